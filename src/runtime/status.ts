// The OCI status of a container, derived from its record and /proc alone (no liblxc):
// cheap enough for CRI-O's polling, and the same whoever is the init's parent.
import { isFrozen } from '../cgroup/freezer.js';
import { cgroupMounts, unifiedDir } from '../cgroup/mounts.js';
import type { Status } from '../spec/types.js';
import { isAlive, runsExecutable } from './proc.js';
import type { ContainerRecord } from './record.js';

export function containerStatus(rec: ContainerRecord): Status {
  if (!rec.init) {
    // create has not finished (or was killed): the monitor tells whether it is still going.
    return rec.monitor && isAlive(rec.monitor) ? 'creating' : 'stopped';
  }
  if (!isAlive(rec.init)) return 'stopped';
  // Until start, init is lxcri-init blocked on the sync fifo; after start it is the process.
  if (runsExecutable(rec.init.pid, rec.initExe)) return 'created';
  const dir = unifiedDir(cgroupMounts(), rec.cgroup.container);
  if (dir && isFrozen(dir)) return 'paused';
  return 'running';
}

/** Status values in which the container has a live init. */
export const hasProcess = (s: Status): boolean => s === 'created' || s === 'running' || s === 'paused';
