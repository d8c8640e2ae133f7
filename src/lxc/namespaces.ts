// linux.namespaces → lxc.namespace.clone (new ones) and lxc.namespace.share.* (joined by path).
import { NAMESPACES, nsfsName } from '../spec/namespaces.js';
import type { Namespace, NamespaceType } from '../spec/types.js';
import { invalidSpec } from '../runtime/errors.js';
import type { LxcConfig } from './config.js';
import type { HookInstruction } from './hookconf.js';

/** liblxc's name of a namespace type: the nsfs one (validation refused what liblxc lacks). */
function lxcNamespace(type: NamespaceType): string {
  if (!NAMESPACES[type].liblxc) throw new Error(`${type} namespace is refused by validation`);
  return nsfsName(type);
}

export function applyNamespaces(cfg: LxcConfig, namespaces: Namespace[]): void {
  const clone = namespaces.filter((n) => !n.path).map((n) => lxcNamespace(n.type));
  cfg.set('lxc.namespace.clone', clone.join(' '));
  for (const n of namespaces) if (n.path) cfg.set(`lxc.namespace.share.${lxcNamespace(n.type)}`, n.path);
}

/**
 * hostname/domainname for lxcri-hook. Without a UTS namespace of the container's own
 * (new or joined) they would rename the host, so they are refused then.
 */
export function utsInstructions(hostname: string | undefined, domainname: string | undefined, namespaces: Namespace[]): HookInstruction[] {
  const out: HookInstruction[] = [];
  const hasUts = namespaces.some((n) => n.type === 'uts');
  for (const [op, name] of [['hostname', hostname], ['domainname', domainname]] as const) {
    if (!name) continue;
    if (!hasUts) throw invalidSpec(`${op} needs a uts namespace`);
    if (name.length > 64) throw invalidSpec(`${op} is longer than 64 bytes`);
    out.push({ op, name });
  }
  return out;
}
