// spec.process → the init's identity and the files lxcri-init reads (args, env, cwd).
import type { Process } from '../spec/types.js';
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

/** Capability names as liblxc spells them: "CAP_NET_ADMIN" → "net_admin". */
export const lxcCapName = (c: string): string => c.toLowerCase().replace(/^cap_/, '');

export function applyProcess(cfg: LxcConfig, p: Process): void {
  cfg.set('lxc.init.uid', p.user.uid);
  cfg.set('lxc.init.gid', p.user.gid);
  if (p.user.additionalGids?.length) cfg.set('lxc.init.groups', p.user.additionalGids.join(','));
  // The bounding set caps everything the container can ever hold; liblxc drops the rest.
  const bounding = p.capabilities?.bounding ?? [];
  cfg.set('lxc.cap.keep', bounding.length ? [...new Set(bounding.map(lxcCapName))].join(' ') : 'none');
  if (p.noNewPrivileges) cfg.set('lxc.no_new_privs', 1);
  if (p.oomScoreAdj !== undefined) cfg.set('lxc.proc.oom_score_adj', p.oomScoreAdj);
  // Without a profile the container is unconfined, as with runc (liblxc would pick its own).
  cfg.set('lxc.apparmor.profile', p.apparmorProfile || 'unconfined');
}

/** NUL-terminated entries, the format lxcri-init reads. */
export const nulList = (items: string[]): string => items.map((s) => `${s}\0`).join('');
