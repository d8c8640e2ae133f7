// The processes of a container as the host sees them: every PID in its cgroup (so also
// processes that joined it from outside its PID namespace), as runc's ps lists them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cgroupMounts, hierarchyDirs } from '../cgroup/mounts.js';
import { cgroupPids } from '../cgroup/remove.js';
import { RuntimeError } from '../base/errors.js';
import type { ContainerRecord } from './record.js';

/**
 * Host PIDs in the container's cgroup, in the kernel's order; none once it is gone (a
 * stopped container). The cgroup2 hierarchy is read when there is one, else the first
 * v1 hierarchy (liblxc puts the container in every one).
 */
export async function containerPids(rec: ContainerRecord): Promise<number[]> {
  const m = cgroupMounts();
  for (const dir of hierarchyDirs(m, rec.cgroup.container)) {
    if (existsSync(dir)) return cgroupPids(dir);
  }
  return [];
}

/** ps(1)'s output for `psArgs` (all processes: the caller keeps the container's lines). */
export function runPs(psArgs: string[]): string {
  const r = spawnSync('ps', psArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (r.error) throw new RuntimeError('system', `cannot run ps: ${r.error.message}`);
  if (r.status !== 0) {
    const why = (r.stderr || r.stdout).trim().split('\n')[0] ?? '';
    throw new RuntimeError('invalid-argument', `ps ${psArgs.join(' ')} failed (exit ${r.status ?? r.signal}): ${why}`);
  }
  return r.stdout;
}
