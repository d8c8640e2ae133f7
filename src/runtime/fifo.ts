// The start side of the sync fifo: one byte written to it lets lxcri-init exec the process.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { errnoCode } from '../base/errors.js';
import { sleep } from '../base/wait.js';

/**
 * Open the fifo for writing without blocking (ENXIO while init has not opened it yet),
 * retrying until `stillWaiting` says no or the deadline passes. Returns false if given up.
 */
export async function signalFifo(path: string, deadline: number, stillWaiting: () => boolean): Promise<boolean> {
  for (;;) {
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (err) {
      if (errnoCode(err) !== 'ENXIO') throw err;
      if (!stillWaiting() || Date.now() >= deadline) return false;
      await sleep(1);
      continue;
    }
    try {
      writeSync(fd, Buffer.from([1]));
    } finally {
      closeSync(fd);
    }
    return true;
  }
}
