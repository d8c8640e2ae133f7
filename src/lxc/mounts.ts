// spec.mounts → lxc.mount.entry, mount points made and destinations resolved inside the
// rootfs (mountpoints.ts) and given to liblxc relative to it.
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { invalidSpec } from '../base/errors.js';
import type { Mount } from '../spec/types.js';
import { fstabEscape, type LxcConfig } from './config.js';
import { cut, echo } from '../base/message.js';
import { mountFlags } from './mountflags.js';
import { checkMountOptions } from './mountoptions.js';
import type { MountedFs, MountPointKind, MountPoints } from './mountpoints.js';

const isBind = (m: Mount): boolean =>
  m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');

/** What the mount point has to be (null: the source is missing and the mount optional). */
function mountPointKind(m: Mount, source: string): MountPointKind | null {
  if (!isBind(m)) return 'dir';
  try {
    return statSync(source).isDirectory() ? 'dir' : 'file';
  } catch {
    if ((m.options ?? []).includes('optional')) return null;
    throw invalidSpec(`mount ${echo(m.destination)}: source ${echo(source)} does not exist`);
  }
}

/** What the mount puts on its destination, for mount points below it (not a tmpfs). */
function mountedFs(m: Mount, source: string): MountedFs {
  return isBind(m) ? { fs: 'bind', source } : { fs: 'kernel' };
}

/** Options with no liblxc equivalent: refused rather than silently weakened. */
const UNSUPPORTED_OPTIONS = new Set(['rro', 'rrw', 'idmap', 'ridmap', 'recursive']);

/** Options the kernel or liblxc would reject for a file system type. */
function filterOptions(type: string, options: string[]): string[] {
  const drop: Record<string, string[]> = {
    cgroup2: ['private', 'rprivate', 'slave', 'rslave'],
    tmpfs: ['tmpcopyup', 'rprivate'],
    sysfs: ['rslave'],
  };
  const d = drop[type] ?? [];
  return options.filter((o) => !d.includes(o));
}

/** liblxc logs mount paths unescaped, and its log is one record a line. */
const LINE_BREAK = /[\n\r]/;

/** cgroupBind: the host's cgroup2 hierarchy to bind for a cgroup mount (see userns.ts). */
export function mountEntry(m: Mount, bundle: string, points: MountPoints, cgroupBind?: string): string {
  const fields: Array<[string, string | undefined]> = [['destination', m.destination], ['source', m.source], ['type', m.type], ...(m.options ?? []).map((o): [string, string] => ['option', o])];
  for (const [what, v] of fields) {
    if (v !== undefined && LINE_BREAK.test(v)) {
      throw invalidSpec(`mount ${JSON.stringify(cut(m.destination))}: a line break in its ${what} ${JSON.stringify(cut(v))}`);
    }
  }
  if (!isAbsolute(m.destination)) {
    throw invalidSpec(`mount destination "${echo(m.destination)}" must be absolute`);
  }
  if (m.uidMappings || m.gidMappings) {
    throw invalidSpec(`mount ${echo(m.destination)}: id-mapped mounts are not supported`);
  }
  checkMountOptions(m);
  const unsupported = (m.options ?? []).filter((o) => UNSUPPORTED_OPTIONS.has(o));
  if (unsupported.length) {
    throw invalidSpec(`mount ${echo(m.destination)}: option ${unsupported.join(', ')} is not supported by liblxc`);
  }
  if (cgroupBind !== undefined && (m.type === 'cgroup' || m.type === 'cgroup2')) {
    m = { ...m, type: 'bind', source: cgroupBind, options: [...filterOptions('cgroup2', m.options ?? []), 'bind'] };
  }
  // cgroup v1 is not offered to containers: a cgroup mount is the container's cgroup2 view.
  const type = m.type === 'cgroup' ? 'cgroup2' : m.type || (isBind(m) ? 'none' : 'none');
  let source = m.type === 'cgroup' ? 'cgroup2' : m.source ?? type;
  if (isBind(m)) source = resolve(bundle, source);
  const opts = filterOptions(type, (m.options ?? []).filter((o) => o !== 'optional'));
  const line = (src: string, dest: string, fstype: string, o: string[]): string =>
    [fstabEscape(src), fstabEscape(notRoot(dest)), fstabEscape(fstype), fstabEscape(o.length ? o.join(',') : 'defaults'), '0', '0'].join(' ');
  if (!isBind(m) && type === 'tmpfs') {
    // Staged (mountpoints.ts): lxcri-hook mounts it and makes the mount points in it by fd;
    // liblxc binds it here, with the flags it was mounted with.
    const f = mountFlags(opts);
    const stage = points.stageTmpfs(source, f.flags, f.data);
    const placed = points.place(m.destination, 'dir', { fs: 'fresh', stage: stage.id });
    return line(stage.path, placed.path, 'none', ['bind', ...f.propagation]);
  }
  const kind = mountPointKind(m, source);
  if (kind === null) opts.push('optional');
  const placed = points.place(m.destination, kind, mountedFs(m, source));
  return line(source, placed.path, type === 'bind' ? 'none' : type, opts);
}

function notRoot(dest: string): string {
  if (dest === '') throw invalidSpec('a mount on / is not supported');
  return dest;
}

export function applyMounts(cfg: LxcConfig, mounts: Mount[], bundle: string, rootfs: string, points: MountPoints, cgroupBind?: string): void {
  let pts = false;
  for (const m of mounts) {
    const entry = mountEntry(m, bundle, points, cgroupBind);
    cfg.set('lxc.mount.entry', entry);
    if (entry.split(' ')[1] === 'dev/pts') pts = true;
  }
  // liblxc's own devpts is off (lxc.pty.max = 0) so that the spec's /dev/pts is mounted in
  // its listed place, but liblxc 5.0.2 then still detaches the top mount on /dev/pts after
  // the mount hook (lxc_finish_devpts_child). That top mount is this bind of /dev/pts onto
  // itself, so the spec's mount stays where the config put it. Its source is the container's
  // /dev/pts where liblxc has mounted the rootfs (lxc.rootfs.mount), not the bundle's dir.
  if (pts) {
    const mnt = [...cfg.items].reverse().find(([k]) => k === 'lxc.rootfs.mount')?.[1] ?? rootfs;
    cfg.set('lxc.mount.entry', `${fstabEscape(resolve(mnt, 'dev/pts'))} dev/pts none bind 0 0`);
  }
}
