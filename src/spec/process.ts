// The checks every process spec passes, create's process.json and exec's --process alike
// (after exec's --cwd and --env are applied): the same rules by the same code, so that
// exec accepts nothing create refuses.
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { echo } from '../base/message.js';
import type { Process } from './types.js';

/** Longest single argument or variable execve takes (MAX_ARG_STRLEN, with its NUL). */
const MAX_ARG_STRLEN = 32 * 4096;
/** What execve takes in all at least (ARG_MAX) and at most (3/4 of the 8 MiB _STK_LIM). */
const MIN_ARG_SPACE = 32 * 4096;
const MAX_ARG_SPACE = 6 << 20;
/** Room for what lxcri-init and liblxc add (lxcri-init's own arguments, HOME, container=). */
const SLACK = 8 << 10;

/** The soft RLIMIT_STACK the process's execve runs under: its own rlimit, else ours. */
function stackLimit(p: Process): number {
  const own = p.rlimits?.find((r) => r.type === 'RLIMIT_STACK');
  if (own) return own.soft;
  try {
    const m = /^Max stack size\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m && m[1] !== 'unlimited') return Number(m[1]);
  } catch {
    /* no /proc: the kernel's largest space applies */
  }
  return Infinity;
}

/** The bytes of argument and environment space execve gives with this stack limit. */
export function argSpace(stack: number): number {
  return Math.max(Math.min(MAX_ARG_SPACE, Math.floor(stack / 4)), MIN_ARG_SPACE);
}

/**
 * Refuse what the process could never run with, in `what`'s words ("process", "--process
 * FILE"): a relative cwd, env entries that are not KEY=VALUE, NUL bytes, and arguments or
 * an environment larger than execve takes (which would fail late, or silently in exec).
 */
export function checkProcess(p: Process, refuse: (msg: string) => Error, what = 'process'): void {
  const args = p.args ?? [];
  if (args.length === 0) throw refuse(`${what}.args must not be empty`);
  if (typeof p.cwd !== 'string' || !isAbsolute(p.cwd)) throw refuse(`${what}.cwd "${echo(String(p.cwd))}" must be absolute`);
  const env = p.env ?? [];
  for (const e of env) {
    if (!e.includes('=') || e.startsWith('=')) throw refuse(`${what}.env entry "${echo(e)}" is not KEY=VALUE`);
  }
  for (const s of [...args, ...env, p.cwd]) {
    if (s.includes('\0')) throw refuse(`${what} args, env and cwd must not contain NUL bytes`);
  }
  let total = 0;
  for (const [field, list] of [['args', args], ['env', env]] as const) {
    for (const s of list) {
      const bytes = Buffer.byteLength(s) + 1;
      if (bytes > MAX_ARG_STRLEN) {
        throw refuse(`${what}.${field} entry "${echo(s, 40)}" is ${bytes - 1} bytes: Linux takes at most ${MAX_ARG_STRLEN - 1} for one argument or variable`);
      }
      total += bytes + 8; // and its pointer
    }
  }
  const space = argSpace(stackLimit(p)) - SLACK;
  if (total > space) {
    throw refuse(`${what}: args and env take ${total} bytes, more than the ${space} a new program gets from Linux (a quarter of the stack limit, at most 6 MiB)`);
  }
}
