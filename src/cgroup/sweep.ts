// Removing the shared parents lxcri's containers live under (lxcri/, the monitors' slice
// and liblxc's lxc.pivot in it) once they are empty, in every hierarchy: when the last
// container is gone nothing of lxcri remains. Only under the parent lock held exclusive,
// so no create is between liblxc making a parent and placing its container in it. A
// parent that still holds a cgroup or a process is kept: rmdir refuses it.
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/types.js';
import { lockParents } from '../runtime/parentlock.js';
import type { CgroupMounts } from './mounts.js';
import { DEFAULT_PARENT, type CgroupPaths } from './paths.js';

/** How long a sweep waits for creates to finish placing their containers. */
const SWEEP_WAIT_MS = 1000;

/** The shared parents of a container's cgroups lxcri or liblxc made, deepest first. */
export function sharedParents(paths: CgroupPaths): string[] {
  const rels = [`${paths.monitorPivot}/lxc.pivot`, paths.monitorPivot];
  // A linux.cgroupsPath parent is the caller's, never ours to remove.
  if (paths.container.startsWith(`${DEFAULT_PARENT}/`) && paths.container.split('/').length === 2) rels.push(DEFAULT_PARENT);
  return rels;
}

/**
 * rmdir the empty shared parents of `paths` in every hierarchy. When a create holds the
 * lock longer than SWEEP_WAIT_MS the sweep is skipped: that create is about to use the
 * parents, and its container's delete (or its own failure) sweeps again.
 */
export async function sweepParents(mounts: CgroupMounts, paths: CgroupPaths, log: Logger): Promise<void> {
  const lock = await lockParents('exclusive', Date.now() + SWEEP_WAIT_MS);
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
}
