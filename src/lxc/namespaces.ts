// linux.namespaces → lxc.namespace.clone (new ones) and lxc.namespace.share.* (joined by path).
import type { Namespace, NamespaceType } from '../spec/types.js';
import type { LxcConfig } from './config.js';

const LXC_NAME: Record<Exclude<NamespaceType, 'time'>, string> = {
  pid: 'pid',
  network: 'net',
  mount: 'mnt',
  ipc: 'ipc',
  uts: 'uts',
  user: 'user',
  cgroup: 'cgroup',
};

export function lxcNamespace(type: NamespaceType): string {
  if (type === 'time') throw new Error('time namespace is refused by validation');
  return LXC_NAME[type];
}

export function applyNamespaces(cfg: LxcConfig, namespaces: Namespace[]): void {
  const clone = namespaces.filter((n) => !n.path).map((n) => lxcNamespace(n.type));
  cfg.set('lxc.namespace.clone', clone.join(' '));
  for (const n of namespaces) if (n.path) cfg.set(`lxc.namespace.share.${lxcNamespace(n.type)}`, n.path);
}

/** True when the spec asks for a namespace of this type of its own (not joined). */
export const hasNewNamespace = (namespaces: Namespace[], type: NamespaceType): boolean =>
  namespaces.some((n) => n.type === type && !n.path);
