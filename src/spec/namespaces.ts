// The runtime-spec namespace types, once: each one's nsfs name (/proc/PID/ns/<name>, what
// NS_GET_NSTYPE reports, and liblxc's name in lxc.namespace.*) and whether liblxc 5 can
// give a container one.
import type { NamespaceType } from './types.js';

export const NAMESPACES = {
  cgroup: { nsfs: 'cgroup', liblxc: true },
  ipc: { nsfs: 'ipc', liblxc: true },
  mount: { nsfs: 'mnt', liblxc: true },
  network: { nsfs: 'net', liblxc: true },
  pid: { nsfs: 'pid', liblxc: true },
  user: { nsfs: 'user', liblxc: true },
  uts: { nsfs: 'uts', liblxc: true },
  time: { nsfs: 'time', liblxc: false },
} as const satisfies Record<NamespaceType, { nsfs: string; liblxc: boolean }>;

export const nsfsName = (type: NamespaceType): string => NAMESPACES[type].nsfs;

/** The types a container can have (features' `linux.namespaces`). */
export const SUPPORTED_NAMESPACES = (Object.keys(NAMESPACES) as NamespaceType[]).filter((t) => NAMESPACES[t].liblxc);
