// Mount options as mount(2) takes them: flags and the file system's data string, split
// the way liblxc and runc split them. Used where lxcri-hook mounts a tmpfs itself
// (mountpoints.ts); everything else goes to liblxc as text.

const MS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  SYNCHRONOUS: 0x10,
  MANDLOCK: 0x40,
  DIRSYNC: 0x80,
  NOSYMFOLLOW: 0x100,
  NOATIME: 0x400,
  NODIRATIME: 0x800,
  SILENT: 0x8000,
  RELATIME: 0x200000,
  STRICTATIME: 0x1000000,
  LAZYTIME: 0x2000000,
} as const;
export const MS_RDONLY = MS.RDONLY;

/** option → [flag, set (true) or clear (false)] */
const FLAG_OPTIONS: Record<string, [number, boolean]> = {
  defaults: [0, true],
  ro: [MS.RDONLY, true],
  rw: [MS.RDONLY, false],
  nosuid: [MS.NOSUID, true],
  suid: [MS.NOSUID, false],
  nodev: [MS.NODEV, true],
  dev: [MS.NODEV, false],
  noexec: [MS.NOEXEC, true],
  exec: [MS.NOEXEC, false],
  sync: [MS.SYNCHRONOUS, true],
  async: [MS.SYNCHRONOUS, false],
  dirsync: [MS.DIRSYNC, true],
  mand: [MS.MANDLOCK, true],
  nomand: [MS.MANDLOCK, false],
  nosymfollow: [MS.NOSYMFOLLOW, true],
  symfollow: [MS.NOSYMFOLLOW, false],
  noatime: [MS.NOATIME, true],
  atime: [MS.NOATIME, false],
  nodiratime: [MS.NODIRATIME, true],
  diratime: [MS.NODIRATIME, false],
  relatime: [MS.RELATIME, true],
  norelatime: [MS.RELATIME, false],
  strictatime: [MS.STRICTATIME, true],
  nostrictatime: [MS.STRICTATIME, false],
  lazytime: [MS.LAZYTIME, true],
  nolazytime: [MS.LAZYTIME, false],
  silent: [MS.SILENT, true],
  loud: [MS.SILENT, false],
};

/** Propagation is a property of the mount in the container, not of the file system. */
export const PROPAGATION_OPTIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable']);

export interface MountFlags {
  flags: number;
  /** Options for the file system itself (size=, mode=, ...), comma-separated. */
  data: string;
  /** Propagation options, for the mount in the container. */
  propagation: string[];
}

export function mountFlags(options: string[]): MountFlags {
  let flags = 0;
  const data: string[] = [];
  const propagation: string[] = [];
  for (const o of options) {
    const f = FLAG_OPTIONS[o];
    if (f) flags = f[1] ? flags | f[0] : flags & ~f[0];
    else if (PROPAGATION_OPTIONS.has(o)) propagation.push(o);
    else data.push(o);
  }
  return { flags, data: data.join(','), propagation };
}
