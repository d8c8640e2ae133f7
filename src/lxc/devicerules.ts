// linux.resources.devices → liblxc's device cgroup keys.
//
// Semantics (runc, crun): the spec's rules, then the runtime's default allow rules, are
// evaluated in order and the last rule that matches a device and an access decides; no
// match denies. linux.devices get no implicit rule (runc neither).
//
// liblxc cannot take an ordered rule list. On a pure cgroup2 host it reads
// lxc.cgroup2.devices.{allow,deny} into an eBPF program that is either an allow-list
// ("deny = a", then allow rules only; deny rules are dropped) or a deny-list ("allow = a",
// then deny rules only); a rule matches only if it grants every requested access bit. On a
// v1/hybrid host it ignores all lxc.cgroup2.* keys and writes lxc.cgroup.devices.* in order
// to the v1 devices controller (where "a" anywhere means every device). The two key sets
// are disjoint, so both are written and liblxc uses the one of its host.
//
// The v1 devices controller applies rules in order, so there the rules are written as
// listed, with their own access, then the defaults as separate rules (as runc and crun),
// when the controller's outcome (it merges and removes access only on exactly the same
// device key) equals the ordered semantics. Otherwise, and always for cgroup2, the rules are
// compiled to one allow-list or deny-list (a key's access merged from every rule that
// grants it) and the result is checked against the ordered semantics on every distinguishable
// device; a spec that cannot be expressed exactly is refused, never widened.
import { invalidSpec } from '../base/errors.js';
import type { DeviceRule } from '../spec/types.js';
import type { ConfigItem, LxcConfig } from './config.js';

const R = 1;
const W = 2;
const M = 4;
const RWM = R | W | M;
const BITS = [R, W, M] as const;

type Kind = 'b' | 'c';

/** A normalized rule; null major/minor = any. */
export interface NormRule {
  allow: boolean;
  type: 'a' | Kind;
  major: number | null;
  minor: number | null;
  access: number;
  /** Where it came from, for error messages. */
  label: string;
}

export interface CompiledRules {
  /** allowlist: everything not allowed is denied; denylist: everything not denied is allowed. */
  mode: 'allowlist' | 'denylist';
  /** Allow rules (allowlist) or deny rules (denylist), types b and c only. */
  rules: { type: Kind; major: number | null; minor: number | null; access: number }[];
}

/** What the runtime always allows after the spec's rules (runc's list, pts at 136). */
const DEFAULT_ALLOWS: ReadonlyArray<readonly [Kind, number | null, number | null, number, string]> = [
  ['c', null, null, M, 'mknod of any character device'],
  ['b', null, null, M, 'mknod of any block device'],
  ['c', 1, 3, RWM, '/dev/null'],
  ['c', 1, 5, RWM, '/dev/zero'],
  ['c', 1, 7, RWM, '/dev/full'],
  ['c', 1, 8, RWM, '/dev/random'],
  ['c', 1, 9, RWM, '/dev/urandom'],
  ['c', 5, 0, RWM, '/dev/tty'],
  ['c', 5, 1, RWM, '/dev/console'],
  ['c', 5, 2, RWM, '/dev/ptmx'],
  ['c', 136, null, RWM, '/dev/pts/*'],
];

export function accessString(a: number): string {
  return `${a & R ? 'r' : ''}${a & W ? 'w' : ''}${a & M ? 'm' : ''}`;
}

function num(n: number | null): string {
  return n === null ? '*' : String(n);
}

function describe(r: Omit<NormRule, 'label'>): string {
  return `${r.allow ? 'allow' : 'deny'} ${r.type} ${num(r.major)}:${num(r.minor)} ${accessString(r.access)}`;
}

function normalize(d: DeviceRule, i: number): NormRule {
  const where = `linux.resources.devices[${i}]`;
  const bad = (why: string): never => {
    throw invalidSpec(`${where}: ${why}`);
  };
  const type = d.type === undefined || d.type === '' ? 'a' : d.type;
  if (type !== 'a' && type !== 'b' && type !== 'c') bad(`unknown device type "${d.type}"`);
  const number = (v: number | undefined, what: string): number | null => {
    // runc takes -1 as the wildcard as well as an absent number.
    if (v === undefined || v === -1) return null;
    if (!Number.isSafeInteger(v) || v < 0 || v > 0xffffffff) bad(`invalid ${what} ${v}`);
    return v as number;
  };
  let access = 0;
  // An absent or empty access means all of rwm, as crun and the CDI tooling take it.
  for (const ch of d.access === undefined || d.access === '' ? 'rwm' : d.access) {
    if (ch === 'r') access |= R;
    else if (ch === 'w') access |= W;
    else if (ch === 'm') access |= M;
    else bad(`invalid access "${d.access}"`);
  }
  const rule = { allow: d.allow === true, type: type as NormRule['type'], major: number(d.major, 'major'), minor: number(d.minor, 'minor'), access };
  return { ...rule, label: `${where} (${describe(rule)})` };
}

/** The spec's rules followed by the runtime's default allow rules. */
export function effectiveRules(spec: DeviceRule[]): NormRule[] {
  const out = spec.map(normalize);
  for (const [type, major, minor, access, what] of DEFAULT_ALLOWS) {
    const rule = { allow: true, type, major, minor, access };
    out.push({ ...rule, label: `default rule for ${what} (${describe(rule)})` });
  }
  return out;
}

function covers(r: { type: string; major: number | null; minor: number | null }, t: Kind, major: number, minor: number): boolean {
  return (r.type === 'a' || r.type === t) && (r.major === null || r.major === major) && (r.minor === null || r.minor === minor);
}

/** The rule that decides one access bit on one device: the last one matching. */
function decider(rules: NormRule[], t: Kind, major: number, minor: number, bit: number): NormRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (r.access & bit && covers(r, t, major, minor)) return r;
  }
  return undefined;
}

function unused(used: Set<number>): number {
  let n = 0;
  while (used.has(n)) n++;
  return n;
}

interface Universe {
  majors: number[];
  minors: number[];
  freshMajor: number;
  freshMinor: number;
}

/**
 * Both the ordered rules and liblxc's lists only compare numbers for equality, so every
 * device is equivalent to one whose major (minor) is a number some rule names or one no
 * rule names: checking those points checks all devices.
 */
function universe(rules: NormRule[]): Universe {
  const ma = new Set<number>();
  const mi = new Set<number>();
  for (const r of rules) {
    if (r.major !== null) ma.add(r.major);
    if (r.minor !== null) mi.add(r.minor);
  }
  const freshMajor = unused(ma);
  const freshMinor = unused(mi);
  return { majors: [...ma, freshMajor], minors: [...mi, freshMinor], freshMajor, freshMinor };
}

type Key = Omit<NormRule, 'allow' | 'access' | 'label'>;

/** The access bits the ordered rules give (allow) or take (deny) on every device of a key. */
function bitsOnKey(rules: NormRule[], u: Universe, k: Key, allow: boolean): number {
  let bits = 0;
  for (const bit of BITS) {
    let all = true;
    for (const t of k.type === 'a' ? (['b', 'c'] as const) : [k.type]) {
      const got = decider(rules, t, k.major ?? u.freshMajor, k.minor ?? u.freshMinor, bit)?.allow ?? false;
      if (got !== allow) all = false;
    }
    if (all) bits |= bit;
  }
  return bits;
}

/** Candidate list of one mode: the keys the rules of that polarity name, with their bits. */
function candidate(rules: NormRule[], u: Universe, mode: CompiledRules['mode']): CompiledRules | undefined {
  const allow = mode === 'allowlist';
  const merged = new Map<string, CompiledRules['rules'][number]>();
  for (const r of rules) {
    if (r.allow !== allow) continue;
    const bits = bitsOnKey(rules, u, r, allow);
    if (bits === 0) continue;
    // liblxc's eBPF deny rules only match requests within their access, and the kernel
    // asks for mknod alone or for read and/or write at once: a deny of "w" would let an
    // open for reading and writing through, so read and write must be denied together.
    if (!allow && (bits & (R | W)) !== 0 && (bits & (R | W)) !== (R | W)) return undefined;
    for (const type of r.type === 'a' ? (['b', 'c'] as const) : [r.type]) {
      const key = `${type} ${num(r.major)}:${num(r.minor)}`;
      const prev = merged.get(key);
      if (prev) prev.access |= bits;
      else merged.set(key, { type, major: r.major, minor: r.minor, access: bits });
    }
  }
  // Leave out rules that a wider rule of the list already implies.
  const list = [...merged.values()];
  const implied = (r: CompiledRules['rules'][number]): boolean =>
    list.some((o) => o !== r && o.type === r.type && (o.major === null || o.major === r.major) && (o.minor === null || o.minor === r.minor) && (r.access & ~o.access) === 0);
  return { mode, rules: list.filter((r) => !implied(r)) };
}

/** The first device and access bit where the compiled list and the ordered rules differ. */
function mismatch(rules: NormRule[], u: Universe, c: CompiledRules): { t: Kind; major: number; minor: number; bit: number } | undefined {
  for (const t of ['b', 'c'] as const) {
    for (const major of u.majors) {
      for (const minor of u.minors) {
        for (const bit of BITS) {
          const want = decider(rules, t, major, minor, bit)?.allow ?? false;
          const hit = c.rules.some((r) => r.access & bit && covers(r, t, major, minor));
          const got = c.mode === 'allowlist' ? hit : !hit;
          if (got !== want) return { t, major, minor, bit };
        }
      }
    }
  }
  return undefined;
}

/** Compile the spec's device rules (plus the defaults) to one liblxc list, or refuse. */
export function compileDeviceRules(spec: DeviceRule[]): CompiledRules {
  const rules = effectiveRules(spec);
  const u = universe(rules);
  const allowList = candidate(rules, u, 'allowlist')!;
  const allowMiss = mismatch(rules, u, allowList);
  const denyList = candidate(rules, u, 'denylist');
  const denyOk = denyList !== undefined && mismatch(rules, u, denyList) === undefined;
  if (!allowMiss && (!denyOk || allowList.rules.length <= denyList!.rules.length)) return allowList;
  if (denyOk) return denyList!;
  const m = allowMiss!;
  const culprit = decider(rules, m.t, m.major, m.minor, m.bit) ?? [...rules].reverse().find((r) => covers(r, m.t, m.major, m.minor));
  const dev = `${m.t} ${m.major === u.freshMajor ? '*' : m.major}:${m.minor === u.freshMinor ? '*' : m.minor} ${accessString(m.bit)}`;
  throw invalidSpec(
    `${culprit?.label ?? 'linux.resources.devices'} cannot be expressed with liblxc's device rules (which are an allow-list or a deny-list of whole-device rules, not an ordered list): it would change access to ${dev}`,
  );
}

/**
 * The v1 items for the rules as listed (after a reset to deny-all, which is what no match
 * means), or undefined when the v1 controller would not give the ordered semantics for
 * them. The controller's rules: "a" resets to allow-all or deny-all whatever else the rule
 * says (so other type-a rules are written for b and c); a rule of the default's polarity
 * removes its access from the exception of exactly its key, the other polarity adds it.
 */
function orderedV1(rules: NormRule[], u: Universe): ConfigItem[] | undefined {
  const items: ConfigItem[] = [['lxc.cgroup.devices.deny', 'a']];
  let allowAll = false;
  let exceptions: CompiledRules['rules'] = [];
  rules.forEach((r, i) => {
    const key = `lxc.cgroup.devices.${r.allow ? 'allow' : 'deny'}`;
    if (r.type === 'a' && r.major === null && r.minor === null && r.access === RWM) {
      if (i > 0 || r.allow) items.push([key, 'a']);
      allowAll = r.allow;
      exceptions = [];
      return;
    }
    for (const type of r.type === 'a' ? (['b', 'c'] as const) : [r.type]) {
      items.push([key, `${type} ${num(r.major)}:${num(r.minor)} ${accessString(r.access)}`]);
      const ex = exceptions.find((e) => e.type === type && e.major === r.major && e.minor === r.minor);
      if (r.allow !== allowAll) {
        if (ex) ex.access |= r.access;
        else exceptions.push({ type, major: r.major, minor: r.minor, access: r.access });
      } else if (ex) {
        ex.access &= ~r.access;
        if (ex.access === 0) exceptions = exceptions.filter((e) => e !== ex);
      }
    }
  });
  const list: CompiledRules = { mode: allowAll ? 'denylist' : 'allowlist', rules: exceptions };
  return mismatch(rules, u, list) || splitReadWrite(rules, u, list) ? undefined : items;
}

/**
 * An allow-list grants an open for reading and writing only through one rule that has
 * both: true when a device the ordered rules give r and w gets them from different rules.
 */
function splitReadWrite(rules: NormRule[], u: Universe, c: CompiledRules): boolean {
  if (c.mode !== 'allowlist') return false;
  for (const t of ['b', 'c'] as const) {
    for (const major of u.majors) {
      for (const minor of u.minors) {
        const rw = [R, W].every((bit) => decider(rules, t, major, minor, bit)?.allow ?? false);
        if (rw && !c.rules.some((r) => (r.access & (R | W)) === (R | W) && covers(r, t, major, minor))) return true;
      }
    }
  }
  return false;
}

/** liblxc config items: the v1 keys (hybrid hosts) and the cgroup2 (eBPF) keys. */
export function deviceRuleItems(spec: DeviceRule[]): ConfigItem[] {
  const c = compileDeviceRules(spec);
  const rules = effectiveRules(spec);
  const compiled = (prefix: string): ConfigItem[] => {
    const [global, local] = c.mode === 'allowlist' ? ['deny', 'allow'] : ['allow', 'deny'];
    return [[`${prefix}.${global}`, 'a'], ...c.rules.map((r): ConfigItem => [`${prefix}.${local}`, `${r.type} ${num(r.major)}:${num(r.minor)} ${accessString(r.access)}`])];
  };
  return [...(orderedV1(rules, universe(rules)) ?? compiled('lxc.cgroup.devices')), ...compiled('lxc.cgroup2.devices')];
}

export function applyDeviceRules(cfg: LxcConfig, spec: DeviceRule[]): void {
  for (const [k, v] of deviceRuleItems(spec)) cfg.set(k, v);
}
