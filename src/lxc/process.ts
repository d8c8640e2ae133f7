// spec.process → the init's identity and the files lxcri-init reads (args, env, cwd).
import type { Process } from '../spec/types.js';
import { processUser } from '../spec/user.js';
import { capabilitySets, capKeep, capNumber, hexMask, type CapabilitySets } from './capabilities.js';
import type { LxcConfig } from './config.js';

/** Deduplicate KEY=VALUE entries; the last definition of a key wins, in first-seen order. */
export function dedupeEnv(env: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const e of env) {
    const key = e.slice(0, e.indexOf('='));
    byKey.delete(key);
    byKey.set(key, e);
  }
  return [...byKey.values()];
}

/** `seccomp`: lxcri-init loads a seccomp filter (libexec/seccompfilter.c). */
export function applyProcess(cfg: LxcConfig, p: Process, warn: (msg: string) => void, seccomp = false): CapabilitySets {
  // lxcri-init starts as the container's root and takes the user's identity itself.
  cfg.set('lxc.init.uid', 0);
  cfg.set('lxc.init.gid', 0);
  const caps = capabilitySets(p.capabilities, warn);
  // Without no_new_privs the kernel loads a filter only for CAP_SYS_ADMIN, which
  // lxcri-init then needs until it has loaded it (before the identity change, as runc).
  const filterNeeds = seccomp && !p.noNewPrivileges ? 1n << BigInt(capNumber('CAP_SYS_ADMIN', 'init')) : 0n;
  cfg.set('lxc.cap.keep', capKeep(caps.bounding | INIT_NEEDS | filterNeeds));
  if (p.noNewPrivileges) cfg.set('lxc.no_new_privs', 1);
  if (p.oomScoreAdj !== undefined) cfg.set('lxc.proc.oom_score_adj', p.oomScoreAdj);
  return caps;
}

/** What lxcri-init needs to become the user; it drops them from the bounding set after. */
const INIT_NEEDS = (1n << BigInt(capNumber('CAP_SETUID', 'init'))) | (1n << BigInt(capNumber('CAP_SETGID', 'init'))) | (1n << BigInt(capNumber('CAP_SETPCAP', 'init')));

/** lxcri-init's identity line: uid gid umask bounding effective permitted inheritable ambient groups... */
export function identityLine(p: Process, caps: CapabilitySets): string {
  const u = processUser(p);
  return [
    u.uid,
    u.gid,
    u.umask === undefined ? '-' : u.umask.toString(8),
    hexMask(caps.bounding),
    hexMask(caps.effective),
    hexMask(caps.permitted),
    hexMask(caps.inheritable),
    hexMask(caps.ambient),
    ...(u.additionalGids ?? []),
  ].join(' ') + '\n';
}

/** NUL-terminated entries, the format lxcri-init reads. */
export const nulList = (items: string[]): string => items.map((s) => `${s}\0`).join('');
