// What a mount destination is in the image, checked before liblxc mounts on it: liblxc
// opens the mount point, which for a FIFO waits for a writer forever (create hung until
// its timeout and said nothing useful).
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../runtime/errors.js';
import { echo } from '../runtime/message.js';

/** `dest`: the destination resolved inside the rootfs (mountpath.ts), rootfs-relative. */
export function checkMountPoint(rootfs: string, dest: string, destination: string): void {
  let st;
  try {
    st = lstatSync(join(rootfs, dest));
  } catch {
    return; // missing: liblxc makes it
  }
  if (st.isFIFO()) {
    throw new RuntimeError('invalid-spec', `invalid config.json: mount destination ${echo(destination)} is a FIFO in the image, not a directory or file to mount on`);
  }
}
