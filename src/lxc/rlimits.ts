// process.rlimits → lxc.prlimit.<resource> = soft:hard, applied by liblxc to the init.
import { RuntimeError } from '../runtime/errors.js';
import type { Rlimit } from '../spec/types.js';
import type { LxcConfig } from './config.js';

const RESOURCES = new Set(['as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack']);

/** RLIM_INFINITY as the spec writes it (uint64 max; JSON numbers round it to 2^64). */
const isInfinity = (n: number): boolean => n >= 2 ** 64 - 1 || n === -1;
const value = (n: number): string => (isInfinity(n) ? 'unlimited' : String(n));

export function applyRlimits(cfg: LxcConfig, rlimits: Rlimit[]): void {
  const seen = new Set<string>();
  for (const r of rlimits) {
    const name = r.type.replace(/^RLIMIT_/, '').toLowerCase();
    if (!r.type.startsWith('RLIMIT_') || !RESOURCES.has(name)) {
      throw new RuntimeError('invalid-spec', `invalid config.json: process.rlimits: unknown type "${r.type}"`);
    }
    if (seen.has(name)) throw new RuntimeError('invalid-spec', `invalid config.json: process.rlimits: duplicate ${r.type}`);
    seen.add(name);
    if (!isInfinity(r.hard) && (isInfinity(r.soft) || r.soft > r.hard)) {
      throw new RuntimeError('invalid-spec', `invalid config.json: process.rlimits: ${r.type} soft limit ${r.soft} exceeds hard limit ${r.hard}`);
    }
    cfg.set(`lxc.prlimit.${name}`, `${value(r.soft)}:${value(r.hard)}`);
  }
}
