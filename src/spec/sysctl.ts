// linux.sysctl: only keys the kernel scopes to a namespace the container has of its own
// are accepted (runc's rules), since any other key changes the host for everyone. Checked
// with the bundle, before anything exists; lxcri-hook writes them (src/lxc/sysctl.ts).
import { statSync } from 'node:fs';
import { invalidSpec, RuntimeError } from '../runtime/errors.js';
import { nsfsName } from './namespaces.js';
import type { Namespace, NamespaceType } from './types.js';

/** The IPC namespace's System V and POSIX message queue knobs (besides fs.mqueue.*). */
const IPC_KEYS = new Set(['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced']);
const UTS_KEYS = new Set(['kernel.hostname', 'kernel.domainname']);

/** Dotted keys name no dots; slash keys (sysctl(8)'s form for "eth0.100") may. */
const DOT_PART = /^[A-Za-z0-9_\-:+@]+$/;
const SLASH_PART = /^[A-Za-z0-9_\-:+@.]+$/;

const invalid = (msg: string): RuntimeError => invalidSpec(`linux.sysctl ${msg}`);

/** The key's components; refused if it could name anything but a file below /proc/sys. */
export function sysctlParts(key: string): string[] {
  const slash = key.includes('/');
  const parts = key.split(slash ? '/' : '.');
  const part = slash ? SLASH_PART : DOT_PART;
  if (parts.some((p) => !part.test(p) || p === '.' || p === '..')) throw invalid(`${JSON.stringify(key)}: not a sysctl name`);
  return parts;
}

/** Which namespace scopes the key, or undefined when the kernel keeps it host-wide. */
export function sysctlNamespace(parts: string[]): NamespaceType | undefined {
  const dotted = parts.join('.');
  if (IPC_KEYS.has(dotted) || (parts[0] === 'fs' && parts[1] === 'mqueue' && parts.length > 2)) return 'ipc';
  if (parts[0] === 'net' && parts.length > 1) return 'network';
  if (UTS_KEYS.has(dotted)) return 'uts';
  return undefined;
}

/** The namespaces that scope sysctls (sysctlNamespace). */
const SYSCTL_NS: ReadonlySet<NamespaceType> = new Set(['ipc', 'network', 'uts']);

/** A namespace joined by path that is this process's own (the host's) isolates nothing. */
export function isHostNamespace(type: NamespaceType, path: string): boolean {
  if (!SYSCTL_NS.has(type)) return false;
  const own = nsfsName(type);
  try {
    const a = statSync(path);
    const b = statSync(`/proc/self/ns/${own}`);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false; // unreadable: checkNamespaceFile reports it
  }
}

export function checkSysctls(sysctl: Record<string, string>, nss: Namespace[], isHost = isHostNamespace): void {
  for (const key of Object.keys(sysctl)) {
    const type = sysctlNamespace(sysctlParts(key));
    if (type === undefined) throw invalid(`${JSON.stringify(key)} is not namespaced: it would change the host`);
    const ns = nss.find((n) => n.type === type);
    const name = type === 'network' ? 'network' : type.toUpperCase();
    if (!ns) throw invalid(`${JSON.stringify(key)} needs ${type === 'ipc' ? 'an' : 'a'} ${name} namespace: without one it would change the host`);
    if (ns.path !== undefined && isHost(type, ns.path)) throw invalid(`${JSON.stringify(key)}: the ${name} namespace at ${ns.path} is the host's`);
  }
}
