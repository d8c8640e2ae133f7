// A mount destination that is a FIFO in the image: the mount on it waits for a writer
// forever (create hung until its timeout and said nothing useful). Refused by name.
import { fstatSync } from 'node:fs';
import { invalidSpec } from '../base/errors.js';
import { echo } from '../base/message.js';

/** `fd`: the destination's O_PATH fd from the mount point walk (mountpoints.ts). */
export function refuseFifo(fd: number, destination: string): void {
  if (fstatSync(fd).isFIFO()) {
    throw invalidSpec(`mount destination ${echo(destination)} is a FIFO in the image, not a directory or file to mount on`);
  }
}
