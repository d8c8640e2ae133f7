// process.capabilities: the bounding set goes to liblxc (lxc.cap.keep), the other four
// sets to lxcri-init as bit masks, which it sets after switching to the process user.
import { invalidSpec } from '../base/errors.js';
import type { Capabilities } from '../spec/types.js';

/** Linux capability numbers (include/uapi/linux/capability.h). */
const CAPS = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID',
  'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW',
  'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT',
  'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD',
  'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG',
  'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
] as const;

/** Every capability in every set: what "capabilities switched off" hands the process. */
export const ALL_CAPABILITIES: Capabilities = (() => {
  const all = CAPS.map((c) => `CAP_${c}`);
  return { bounding: all, effective: all, permitted: all, inheritable: all, ambient: all };
})();

export function capNumber(name: string, set: string): number {
  const n = CAPS.indexOf(name.replace(/^CAP_/, '') as (typeof CAPS)[number]);
  if (!name.startsWith('CAP_') || n < 0) {
    throw invalidSpec(`process.capabilities.${set}: unknown capability "${name}"`);
  }
  return n;
}

const mask = (names: string[] | undefined, set: string): bigint =>
  (names ?? []).reduce((m, c) => m | (1n << BigInt(capNumber(c, set))), 0n);

export interface CapabilitySets {
  bounding: bigint;
  effective: bigint;
  permitted: bigint;
  inheritable: bigint;
  ambient: bigint;
}

/**
 * The five sets as masks, refusing combinations the kernel would reject at start.
 * Ambient capabilities that are not both permitted and inheritable cannot be raised:
 * like runc, they are left out with a warning (`runc spec` writes such a bundle).
 */
export function capabilitySets(c: Capabilities | undefined, warn: (msg: string) => void = () => undefined): CapabilitySets {
  const sets: CapabilitySets = {
    bounding: mask(c?.bounding, 'bounding'),
    effective: mask(c?.effective, 'effective'),
    permitted: mask(c?.permitted, 'permitted'),
    inheritable: mask(c?.inheritable, 'inheritable'),
    ambient: mask(c?.ambient, 'ambient'),
  };
  const outside = (set: bigint, of: bigint, what: string, ofWhat: string): void => {
    const extra = set & ~of;
    if (extra) {
      throw invalidSpec(`process.capabilities.${what} has ${capNames(extra).join(', ')} outside the ${ofWhat} set`);
    }
  };
  outside(sets.permitted, sets.bounding, 'permitted', 'bounding');
  outside(sets.inheritable, sets.bounding, 'inheritable', 'bounding');
  outside(sets.effective, sets.permitted, 'effective', 'permitted');
  const unraisable = sets.ambient & ~(sets.permitted & sets.inheritable);
  if (unraisable) {
    warn(`process.capabilities.ambient: ${capNames(unraisable).join(', ')} not raised: not both permitted and inheritable`);
    sets.ambient &= ~unraisable;
  }
  return sets;
}

const capNames = (m: bigint): string[] => CAPS.filter((_, i) => m & (1n << BigInt(i))).map((n) => `CAP_${n}`);

/** lxc.cap.keep: liblxc keeps these in the bounding set (by number: its name table may be older). */
export function capKeep(bounding: bigint): string {
  const nums = CAPS.map((_, i) => i).filter((i) => bounding & (1n << BigInt(i)));
  return nums.length ? nums.join(' ') : 'none';
}

export const hexMask = (m: bigint): string => m.toString(16);
