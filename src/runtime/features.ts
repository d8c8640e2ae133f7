// The runtime-spec Features JSON: what this lxcri supports on this host (lxcri features).
import { machine } from 'node:os';
import { ALL_CAPABILITIES } from '../lxc/capabilities.js';
import { probeLsm } from '../lxc/lsm.js';
import { archFamily } from '../lxc/seccomp.js';
import { seccompSupport } from '../lxc/seccompsupport.js';
import { HOOK_KINDS } from '../spec/hooks.js';
import { SUPPORTED_NAMESPACES } from '../spec/namespaces.js';
import { OCI_VERSION } from '../spec/types.js';

/** Mount options handed to liblxc's mount entries as they are (liblxc knows each of them). */
const MOUNT_OPTIONS = [
  'async', 'atime', 'bind', 'defaults', 'dev', 'diratime', 'dirsync', 'exec', 'iversion', 'lazytime',
  'mand', 'noatime', 'nodev', 'nodiratime', 'noexec', 'noiversion', 'nolazytime', 'nomand',
  'norelatime', 'nostrictatime', 'nosuid', 'private', 'rbind', 'relatime', 'rprivate', 'rshared',
  'rslave', 'runbindable', 'ro', 'rw', 'shared', 'slave', 'strictatime', 'suid', 'sync', 'unbindable',
];

export function featuresJson(): Record<string, unknown> {
  const lsm = probeLsm();
  return {
    ociVersionMin: '1.0.0',
    ociVersionMax: OCI_VERSION,
    hooks: [...HOOK_KINDS],
    mountOptions: MOUNT_OPTIONS,
    linux: {
      namespaces: SUPPORTED_NAMESPACES,
      capabilities: ALL_CAPABILITIES.bounding,
      cgroup: { v1: true, v2: true, systemd: false, systemdUser: false },
      // The table src/lxc/seccomp.ts translates from; what it lacks is refused there.
      seccomp: { enabled: true, ...seccompSupport(), archs: archFamily(machine()) ?? [] },
      apparmor: { enabled: lsm.apparmor },
      selinux: { enabled: lsm.selinux },
      mountExtensions: { idmap: { enabled: false } },
    },
  };
}
