// Removing the shared parents lxcri's containers live under (lxcri/, the monitors' slice
// and liblxc's lxc.pivot in it) once they are empty, in every hierarchy: when the last
// container is gone nothing of lxcri remains. Only under the parent lock held exclusive,
// so no create is between liblxc making a parent and placing its container in it. A
// parent that still holds a cgroup or a process is kept: rmdir refuses it.
//
// A sweep never waits for creates: one in progress either makes a container (whose
// delete sweeps again) or fails (and sweeps itself). Sweeps do wait for each other, so
// that of two deletes at once the later sweep sees both containers' cgroups gone.
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/types.js';
import { lockParents, lockSweep } from './parentlock.js';
import type { CgroupMounts } from './mounts.js';
import { DEFAULT_PARENT, type CgroupPaths } from './paths.js';

/** How long a sweep waits for the one running (each takes a few rmdirs). */
const SWEEP_WAIT_MS = 5000;

/** The shared parents of a container's cgroups lxcri or liblxc made, deepest first. */
export function sharedParents(paths: CgroupPaths): string[] {
  const rels = [`${paths.monitorPivot}/lxc.pivot`, paths.monitorPivot];
  // A linux.cgroupsPath parent is the caller's, never ours to remove.
  if (paths.container.startsWith(`${DEFAULT_PARENT}/`) && paths.container.split('/').length === 2) rels.push(DEFAULT_PARENT);
  return rels;
}

/** rmdir the empty shared parents of `paths` in every hierarchy, unless a create holds the parent lock. */
export async function sweepParents(mounts: CgroupMounts, paths: CgroupPaths, log: Logger): Promise<void> {
  const turn = await lockSweep(Date.now() + SWEEP_WAIT_MS);
  if (!turn) {
    log.warn('cgroup parents kept: another sweep did not finish');
    return;
  }
  try {
    const lock = await lockParents('exclusive', 0);
    if (!lock) {
      log.debug('cgroup parents kept: a create is placing a container in them');
      return;
    }
    try {
      for (const rel of sharedParents(paths)) {
        for (const m of [mounts.unified, ...mounts.v1]) {
          if (m) await rmdir(join(m, rel)).catch(() => undefined); // in use (EBUSY, ENOTEMPTY) or gone: kept
        }
      }
    } finally {
      lock.release();
    }
  } finally {
    turn.release();
  }
}
