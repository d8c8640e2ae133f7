// A lock between lxcri processes over the shared cgroup parents (lxcri/, the monitors'
// slice and its lxc.pivot) that liblxc makes on demand: create holds it shared from
// before the monitor starts until the container and its monitor are in their cgroups,
// the sweep after a delete holds it exclusive while it removes empty parents. So a sweep
// never removes a parent between liblxc making it and placing a container in it.
// One lock per host, whatever the runtime root: the cgroup hierarchies are the host's.
import { closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { errnoText, RuntimeError } from './errors.js';
import { lxc } from './native.js';
import { sleep } from './wait.js';

const LOCK_DIR = '/run/lock';
export const PARENT_LOCK = `${LOCK_DIR}/lxcri-cgroup-parents.lock`;

export interface ParentLock {
  /** Unlock and close; calling it again does nothing. */
  release(): void;
}

/**
 * Take the lock, polling until `deadline` (epoch ms); undefined if another process held
 * a conflicting lock all that time.
 */
export async function lockParents(mode: 'shared' | 'exclusive', deadline: number): Promise<ParentLock | undefined> {
  let fd: number; // close-on-exec, as every fd Node opens: the monitor never inherits the lock
  try {
    mkdirSync(LOCK_DIR, { recursive: true, mode: 0o755 });
    fd = openSync(PARENT_LOCK, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    throw new RuntimeError('system', `cannot open the cgroup lock ${PARENT_LOCK}: ${errnoText(err)}`);
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
    throw new RuntimeError('system', `cannot lock ${PARENT_LOCK}: ${errnoText(err)}`);
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
