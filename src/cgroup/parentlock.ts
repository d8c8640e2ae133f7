// Locks between lxcri processes over the shared cgroup parents (lxcri/, the monitors'
// slice and its lxc.pivot) that liblxc makes on demand. The parent lock: create holds it
// shared from before the monitor starts until the container and its monitor are in their
// cgroups, a sweep (sweep.ts) holds it exclusive while it removes empty parents, so a
// sweep never removes a parent between liblxc making it and placing a container in it.
// The sweep lock lets one sweep run at a time. One of each per host, whatever the
// runtime root: the cgroup hierarchies are the host's.
import { closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { errnoText, RuntimeError } from '../base/errors.js';
import { lxc } from '../base/native.js';
import { sleep } from '../base/wait.js';

const LOCK_DIR = '/run/lock';
export const PARENT_LOCK = `${LOCK_DIR}/lxcri-cgroup-parents.lock`;
export const SWEEP_LOCK = `${LOCK_DIR}/lxcri-cgroup-sweep.lock`;

export interface ParentLock {
  /** Unlock and close; calling it again does nothing. */
  release(): void;
}

/**
 * Take the parent lock, polling until `deadline` (epoch ms; a past one tries once);
 * undefined if another process held a conflicting lock all that time.
 */
export function lockParents(mode: 'shared' | 'exclusive', deadline: number): Promise<ParentLock | undefined> {
  return lockFile(PARENT_LOCK, mode, deadline);
}

/** Take the sweep lock (exclusive), as lockParents. */
export function lockSweep(deadline: number): Promise<ParentLock | undefined> {
  return lockFile(SWEEP_LOCK, 'exclusive', deadline);
}

async function lockFile(path: string, mode: 'shared' | 'exclusive', deadline: number): Promise<ParentLock | undefined> {
  let fd: number; // close-on-exec, as every fd Node opens: the monitor never inherits the lock
  try {
    mkdirSync(LOCK_DIR, { recursive: true, mode: 0o755 });
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    throw new RuntimeError('system', `cannot open the cgroup lock ${path}: ${errnoText(err)}`);
  }
  try {
    while (!lxc().flock(fd, mode)) {
      if (Date.now() >= deadline) {
        closeSync(fd);
        return undefined;
      }
      await sleep(2);
    }
  } catch (err) {
    closeSync(fd);
    throw new RuntimeError('system', `cannot lock ${path}: ${errnoText(err)}`);
  }
  let held = true;
  return {
    release(): void {
      if (!held) return;
      held = false;
      closeSync(fd); // closing the only fd of the open file releases the lock
    },
  };
}
