// spec.process → the init's liblxc settings and identity line (processrecord.ts carries it to lxcri-init).
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

export function applyProcess(cfg: LxcConfig, p: Process, warn: (msg: string) => void): CapabilitySets {
  // lxcri-init starts as the container's root and takes the user's identity itself.
  cfg.set('lxc.init.uid', 0);
  cfg.set('lxc.init.gid', 0);
  const caps = capabilitySets(p.capabilities, warn);
  // lxcri-init's CAP_SYS_ADMIN also loads a seccomp filter without no_new_privs (before
  // the identity change, as runc).
  cfg.set('lxc.cap.keep', capKeep(caps.bounding | INIT_NEEDS));
  if (p.noNewPrivileges) cfg.set('lxc.no_new_privs', 1);
  if (p.oomScoreAdj !== undefined) cfg.set('lxc.proc.oom_score_adj', p.oomScoreAdj);
  return caps;
}

/** What lxcri-init needs to become the user, and CAP_SYS_ADMIN to unmount its init dir
 * first; it drops what the process may not have from the bounding set after. */
const INIT_NEEDS = ['CAP_SETUID', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_SYS_ADMIN'].reduce((m, c) => m | (1n << BigInt(capNumber(c, 'init'))), 0n);

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
