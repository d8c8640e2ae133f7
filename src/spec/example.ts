// The starter config.json of `lxcri spec`: the same content `runc spec` writes (runc
// 1.1.5, libcontainer/specconv), with this runtime's ociVersion and hostname, so a bundle
// made for one runs on the other.
import type { Mount, Spec } from './types.js';
import { OCI_VERSION } from './types.js';

export interface ExampleOptions {
  /** Add a cgroup namespace, as runc does on a pure cgroup v2 host. */
  cgroupns: boolean;
  /** `--rootless`: the caller's effective IDs, mapped to root in a new user namespace. */
  rootless?: { uid: number; gid: number };
}

const CAPS = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

const MOUNTS: Mount[] = [
  { destination: '/proc', type: 'proc', source: 'proc' },
  { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
  { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
  { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
  { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
  { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
];

export function exampleSpec(opts: ExampleOptions): Spec {
  const spec: Spec = {
    ociVersion: OCI_VERSION,
    process: {
      terminal: true,
      user: { uid: 0, gid: 0 },
      args: ['sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
      cwd: '/',
      capabilities: { bounding: [...CAPS], effective: [...CAPS], permitted: [...CAPS], ambient: [...CAPS] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: 'lxcri',
    mounts: MOUNTS.map((m) => ({ ...m, options: m.options && [...m.options] })),
    linux: {
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/sys/firmware',
        '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
  if (opts.cgroupns) spec.linux!.namespaces!.push({ type: 'cgroup' });
  if (opts.rootless) toRootless(spec, opts.rootless);
  return spec;
}

/**
 * What runc's --rootless changes: no network namespace (an unprivileged user cannot set
 * one up), a user namespace mapping the caller to root, /sys bound from the host (sysfs
 * cannot be mounted without owning the network namespace), no uid=/gid= mount options
 * (unmapped IDs) and no cgroup resources.
 */
function toRootless(spec: Spec, ids: { uid: number; gid: number }): void {
  const linux = spec.linux!;
  linux.namespaces = [...linux.namespaces!.filter((n) => n.type !== 'network' && n.type !== 'user'), { type: 'user' }];
  linux.uidMappings = [{ containerID: 0, hostID: ids.uid, size: 1 }];
  linux.gidMappings = [{ containerID: 0, hostID: ids.gid, size: 1 }];
  spec.mounts = spec.mounts!.map((m) => {
    if (m.destination === '/sys') return { destination: '/sys', type: 'none', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] };
    return m.options ? { ...m, options: m.options.filter((o) => !o.startsWith('gid=') && !o.startsWith('uid=')) } : m;
  });
  delete linux.resources;
}
