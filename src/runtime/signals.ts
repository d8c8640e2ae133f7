// Signal names and numbers as `kill` accepts them: 9, KILL, kill, SIGKILL, sigkill, and 0
// (no signal: kill(2)'s existence check, which runc passes through as well); wait statuses
// decoded as a shell reports them.
import { constants } from 'node:os';
import { RuntimeError } from '../base/errors.js';

const byName = constants.signals as Record<string, number>;
const SIGRTMIN = 34;
const SIGRTMAX = 64;

export function parseSignal(input: string): number {
  const s = input.trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n >= 0 && n <= SIGRTMAX) return n;
    throw new RuntimeError('invalid-argument', `invalid signal "${input}": out of range 0-${SIGRTMAX}`);
  }
  const name = s.toUpperCase().replace(/^SIG/, '');
  const rt = /^RTMIN(?:\+(\d+))?$/.exec(name) ?? /^RTMAX(?:-(\d+))?$/.exec(name);
  if (rt) {
    const off = Number(rt[1] ?? 0);
    const n = name.startsWith('RTMIN') ? SIGRTMIN + off : SIGRTMAX - off;
    if (n >= SIGRTMIN && n <= SIGRTMAX) return n;
  }
  const n = byName[`SIG${name}`];
  if (n !== undefined) return n;
  throw new RuntimeError('invalid-argument', `invalid signal "${input}"`);
}

/** A signal given as a number or a name, checked as parseSignal checks it. */
export function toSignal(s: number | string): number {
  return parseSignal(typeof s === 'number' ? String(s) : s);
}

const byNumber = new Map<number, string>(Object.entries(byName).map(([name, n]) => [n, name]));

/** A wait status as a shell reports it: the exit code, or 128+signal. */
export function exitCode(status: number): number {
  const sig = status & 0x7f;
  if (sig === 0) return (status >> 8) & 0xff;
  return 128 + sig;
}

/** A wait status (as waitpid or /proc/<pid>/stat's exit_code field gives it) in words. */
export function describeWaitStatus(status: number): string {
  const sig = status & 0x7f;
  if (sig === 0) return `exit status ${(status >> 8) & 0xff}`;
  const name = byNumber.get(sig);
  return `killed by signal ${sig}${name ? ` (${name})` : ''}`;
}
