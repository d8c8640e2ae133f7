// The processes of a container as the host sees them: every PID in its cgroup (so also
// processes that joined it from outside its PID namespace), as runc's ps lists them.
import { existsSync } from 'node:fs';
import { cgroupMounts, hierarchyDirs } from '../cgroup/mounts.js';
import { cgroupPids } from '../cgroup/remove.js';
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
