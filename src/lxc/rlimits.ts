// process.rlimits → lxc.prlimit.<resource> = soft:hard, applied by liblxc to the init.
import { invalidSpec } from '../base/errors.js';
import type { Rlimit } from '../spec/types.js';
import type { LxcConfig } from './config.js';

/** RLIMIT_* numbers (asm-generic/resource.h), by liblxc's lower-case names. */
const RESOURCES = new Map([
  ['cpu', 0], ['fsize', 1], ['data', 2], ['stack', 3], ['core', 4], ['rss', 5], ['nproc', 6], ['nofile', 7],
  ['memlock', 8], ['as', 9], ['locks', 10], ['sigpending', 11], ['msgqueue', 12], ['nice', 13], ['rtprio', 14], ['rttime', 15],
]);

/** RLIM_INFINITY as the spec writes it (uint64 max; JSON numbers round it to 2^64). */
const isInfinity = (n: number): boolean => n >= 2 ** 64 - 1 || n === -1;
const value = (n: number): string => (isInfinity(n) ? 'unlimited' : String(n));

/** Checked rlimits as [resource name, soft, hard] (values "unlimited" or a number). */
function checked(rlimits: Rlimit[]): Array<[string, string, string]> {
  const seen = new Set<string>();
  const out: Array<[string, string, string]> = [];
  for (const r of rlimits) {
    const name = r.type.replace(/^RLIMIT_/, '').toLowerCase();
    if (!r.type.startsWith('RLIMIT_') || !RESOURCES.has(name)) {
      throw invalidSpec(`process.rlimits: unknown type "${r.type}"`);
    }
    if (seen.has(name)) throw invalidSpec(`process.rlimits: duplicate ${r.type}`);
    seen.add(name);
    if (!isInfinity(r.hard) && (isInfinity(r.soft) || r.soft > r.hard)) {
      throw invalidSpec(`process.rlimits: ${r.type} soft limit ${r.soft} exceeds hard limit ${r.hard}`);
    }
    out.push([name, value(r.soft), value(r.hard)]);
  }
  return out;
}

export function applyRlimits(cfg: LxcConfig, rlimits: Rlimit[]): void {
  for (const [name, soft, hard] of checked(rlimits)) cfg.set(`lxc.prlimit.${name}`, `${soft}:${hard}`);
}

/** The process record's rlimit entries (processrecord.ts): "R:SOFT:HARD", R the RLIMIT_* number. */
export function rlimitSpecs(rlimits: Rlimit[]): string[] {
  const inf = (v: string): string => (v === 'unlimited' ? 'inf' : v);
  return checked(rlimits).map(([name, soft, hard]) => `${RESOURCES.get(name)}:${inf(soft)}:${inf(hard)}`);
}
