// Reading a file an operator or a bundle names: a FIFO there would block the open or the
// read forever, /dev/zero would never end. Only a regular file is read, and at most a bound.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Why readRegularFile refused a file that could be opened; the message is the reason. */
export class NotReadableFile extends Error {}

/**
 * The text of `path` (opened non-blocking and checked with fstat: no FIFO, device or
 * directory). Errors of open (ENOENT, EACCES ...) are thrown as Node gives them.
 */
export function readRegularFile(path: string, maxBytes: number): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotReadableFile('not a regular file');
    const tooLarge = (): NotReadableFile => new NotReadableFile(`larger than ${maxBytes} bytes`);
    if (st.size > maxBytes) throw tooLarge();
    // The size may change under us: read until EOF, but never past the bound (the buffer
    // starts at the size fstat gave and grows up to the bound).
    let buf = Buffer.allocUnsafe(Math.min(maxBytes, st.size) + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(Math.min(buf.length, maxBytes + 1 - buf.length))]);
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
      if (n > maxBytes) throw tooLarge();
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
