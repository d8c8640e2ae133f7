// Finding and killing every process of a container without trusting its record or its
// monitor: a create or monitor killed at any moment can leave a half-started init (still
// the forked lxcri-start, or lxcri-init blocked in recvmsg) that neither the record nor
// the monitor knows. What names such a process for good: the container's cgroups, in
// every hierarchy (liblxc places the init in the v1 controllers and in cgroup2), and the
// monitor's command line, which a forked child carries until it execs.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hierarchyDirs, type CgroupMounts } from '../cgroup/mounts.js';
import type { CgroupPaths } from '../cgroup/paths.js';
import { cgroupPids } from '../cgroup/remove.js';
import { findProcesses, isAlive, procRef } from './proc.js';
import { sleep } from '../base/wait.js';
import { RUNDIR } from '../base/layout.js';


/** The monitor's argv after its name (create.ts), which its forked children share until exec. */
export const monitorArgs = (id: string, root: string, runtimeDir: string): string[] => [id, root, join(runtimeDir, RUNDIR.lxcConfig)];

function living(pid: number): boolean {
  const ref = procRef(pid);
  return ref !== undefined && isAlive(ref);
}

function sigkill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
}

/** A frozen task does not die of SIGKILL under the v1 freezer: thaw it first (v2 frozen tasks do die). */
async function thaw(mounts: CgroupMounts, rel: string): Promise<void> {
  for (const dir of hierarchyDirs(mounts, rel)) {
    await writeFile(join(dir, 'freezer.state'), 'THAWED').catch(() => undefined);
  }
}

/** The live processes of the container: in its or its monitor's cgroups, or running as its monitor. */
export async function containerProcesses(mounts: CgroupMounts, paths: CgroupPaths, monitorArgv: string[] | undefined): Promise<number[]> {
  const pids = new Set<number>();
  for (const rel of [paths.container, paths.monitor]) {
    for (const dir of hierarchyDirs(mounts, rel)) for (const pid of await cgroupPids(dir)) pids.add(pid);
  }
  // No command line to look for once create has finished (its monitor is gone).
  if (monitorArgv) for (const ref of findProcesses('lxcri-start', monitorArgv)) pids.add(ref.pid);
  pids.delete(process.pid);
  return [...pids].filter((pid) => pid > 0 && living(pid));
}

/**
 * SIGKILL every process of the container until none is left (a process may fork while we
 * look, so once is not enough). Returns the PIDs still alive at the deadline.
 */
export async function reapContainer(mounts: CgroupMounts, paths: CgroupPaths, monitorArgv: string[] | undefined, deadline: number): Promise<number[]> {
  let thawed = false;
  for (;;) {
    const pids = await containerProcesses(mounts, paths, monitorArgv);
    if (pids.length === 0 || Date.now() >= deadline) return pids;
    if (!thawed) {
      await thaw(mounts, paths.container);
      thawed = true;
    }
    pids.forEach(sigkill);
    await sleep(5);
  }
}
