// The log file is checked (and made) before a command runs, so a path that cannot be a
// log fails the call with one line instead of failing later, blocking or spinning:
// Node's recursive mkdir loops forever under /proc, and opening a FIFO for writing blocks
// until a reader comes. liblxc writes to the same file, so the same checks cover it.
import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoCode, errnoText, RuntimeError } from '../base/errors.js';
import { makeDirs } from '../base/mkdirs.js';

/** The kernel's words, but plain ones where Node's would puzzle ("no such device or address"). */
const PLAIN: Record<string, string> = { ENXIO: 'is a FIFO or socket without a reader', EISDIR: 'is a directory' };
const reason = (err: unknown): string => PLAIN[errnoCode(err) ?? ''] ?? errnoText(err);

const refuse = (file: string, why: string): RuntimeError => new RuntimeError('invalid-argument', `log file ${file}: ${why}`);

let devNull: number | undefined;
const isDevNull = (rdev: number): boolean => rdev === (devNull ??= statSync('/dev/null').rdev);

/**
 * Make sure `file` can take log lines: a regular file (created 0600, its directory 0750)
 * or /dev/null. Anything else (a directory, a FIFO, /dev/full, a path under a file) is
 * refused with the reason.
 */
export function checkLogFile(file: string): void {
  // O_NONBLOCK: a FIFO without a reader fails with ENXIO instead of blocking.
  const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK | constants.O_NOCTTY;
  let fd: number;
  try {
    try {
      fd = openSync(file, flags, 0o600);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
      try {
        makeDirs(dirname(file), 0o750);
      } catch (e) {
        throw refuse(file, `cannot make its directory: ${reason(e)}`);
      }
      fd = openSync(file, flags, 0o600);
    }
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    throw refuse(file, reason(err));
  }
  try {
    const st = fstatSync(fd);
    if (st.isFile() || (st.isCharacterDevice() && isDevNull(st.rdev))) return;
    throw refuse(file, st.isFIFO() ? 'is a FIFO, not a regular file' : st.isCharacterDevice() ? 'is a device, not a regular file (only /dev/null is taken)' : 'not a regular file');
  } finally {
    closeSync(fd);
  }
}
