// liblxc's lock file of a container, /run/lxc/lock/<lxcpath>/.<name> (root's lock
// directory), which liblxc makes while it works on the container and never removes.
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const LOCK_DIR = '/run/lxc/lock';

/**
 * Remove the lock file of container `id` under `root`: only after the container's
 * processes are gone and while its runtime dir still guards the ID, so no liblxc call on
 * the container can hold it. The directory stays: liblxc makes it and then opens in it,
 * and removing it between the two would fail another container's create.
 */
export async function removeLxcLock(root: string, id: string): Promise<void> {
  const dir = join(LOCK_DIR, resolve(root));
  await rm(join(dir, `.${id}`), { force: true });
}
