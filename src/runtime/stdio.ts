// Caller-given standard streams of a container or an exec'd process. liblxc and the
// monitor take file descriptors, so a stream is accepted when it has one: a file stream
// (fs.createWriteStream once open, or a FileHandle's fd), a socket or pipe (net.Socket),
// process.stdout.
import { closeSync, openSync } from 'node:fs';
import type { Stream } from 'node:stream';
import { RuntimeError } from '../base/errors.js';

/** Something with a file descriptor of this process, such as a FileHandle. */
export interface HasFd {
  fd: number;
}

/**
 * One standard stream: an fd of this process, a stream that has one (an open file stream
 * has `.fd`, a socket or pipe its handle's), a FileHandle, 'inherit' (this process's own
 * 0, 1 or 2) or 'ignore' (/dev/null).
 */
export type StdioTarget = number | Stream | HasFd | 'inherit' | 'ignore';

/** The process's stdin, stdout and stderr; each defaults to 'inherit'. */
export interface StdioOptions {
  stdin?: StdioTarget;
  stdout?: StdioTarget;
  stderr?: StdioTarget;
}

/** Resolved: three fds, and those opened here (the caller closes them when done). */
export interface StdioFds {
  stdin: number;
  stdout: number;
  stderr: number;
  opened: number[];
}

const NAMES = ['stdin', 'stdout', 'stderr'] as const;

function fdOf(t: object): number | undefined {
  const o = t as { fd?: unknown; _handle?: unknown };
  if (typeof o.fd === 'number' && o.fd >= 0) return o.fd;
  const h = o._handle;
  if (typeof h === 'object' && h !== null && 'fd' in h && typeof h.fd === 'number' && h.fd >= 0) return h.fd;
  return undefined;
}

/** `inherited`: what 'inherit' means (the caller's stdio: ours, or a service client's). */
export function resolveStdio(s: StdioOptions = {}, inherited: readonly number[] = [0, 1, 2]): StdioFds {
  const out: StdioFds = { stdin: 0, stdout: 1, stderr: 2, opened: [] };
  try {
    NAMES.forEach((name, i) => resolveOne(s, name, i, out, inherited[i]!));
  } catch (err) {
    closeStdio(out);
    throw err;
  }
  return out;
}

/** Closes the fds resolveStdio opened itself. */
export function closeStdio(fds: StdioFds): void {
  for (const fd of fds.opened.splice(0)) closeSync(fd);
}

function resolveOne(s: StdioOptions, name: (typeof NAMES)[number], i: number, out: StdioFds, inherited: number): void {
  const t = s[name] ?? 'inherit';
  let fd: number | undefined;
  if (t === 'inherit') fd = inherited;
  else if (t === 'ignore') out.opened.push((fd = openSync('/dev/null', i === 0 ? 'r' : 'w')));
  else if (typeof t === 'number') fd = Number.isInteger(t) && t >= 0 ? t : undefined;
  else if (typeof t === 'object' && t !== null) fd = fdOf(t);
  if (fd === undefined) {
    throw new RuntimeError('invalid-argument', `stdio.${name}: expected an fd, a stream with a file descriptor (a file once open, a socket or pipe), 'inherit' or 'ignore'`);
  }
  out[name] = fd;
}
