// A container in a new user namespace. liblxc sets it up as the container's mapped root,
// which may reach neither the bundle nor the rootfs that host root can, and may not create
// mount points in a rootfs that host root owns. So: host root binds the rootfs into the
// runtime directory first (lxcri-start --rootfs, libexec/rootfs.h), lxcri-init's files go
// where the container owns the file system, and the cgroup mount is one the mapped root
// can make.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { IdMapping, Mount, Namespace } from '../spec/types.js';
import { INIT_DIR } from '../base/layout.js';
import { hostId } from './idmap.js';

export const newUserns = (nss: Namespace[]): boolean => nss.some((n) => n.type === 'user' && !n.path);

/** What lxcri-start prepares as host root: the rootfs bound at target, maybe idmapped. */
export interface RootfsPrep {
  source: string;
  target: string;
  /** uid_map and gid_map texts for an idmapped bind. */
  idmap?: { uid: string; gid: string };
}

const mapText = (maps: IdMapping[]): string => maps.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('');

/** A host ID that the namespace maps (the container's root has its capabilities over it). */
const mapped = (maps: IdMapping[], id: number): boolean => maps.some((m) => id >= m.hostID && id < m.hostID + m.size);

/**
 * The rootfs bound at <runtime dir>/rootfs. Idmapped only when the container's root could
 * not even enter its top directory: then no runtime could use it unshifted (runc fails on
 * it too), and with the shift what host root owns the container's root owns.
 */
export function rootfsPrep(rootfs: string, runtimeDir: string, uids: IdMapping[], gids: IdMapping[]): RootfsPrep {
  const prep: RootfsPrep = { source: rootfs, target: join(runtimeDir, 'rootfs') };
  const st = statSync(rootfs);
  const ru = hostId(uids, 0, 'root (uid 0) of the container');
  const rg = hostId(gids, 0, 'root (gid 0) of the container');
  const enterable =
    (st.uid === ru && (st.mode & 0o100) !== 0) ||
    (st.uid !== ru && st.gid === rg && (st.mode & 0o010) !== 0) ||
    (st.uid !== ru && st.gid !== rg && (st.mode & 0o001) !== 0) ||
    (mapped(uids, st.uid) && mapped(gids, st.gid));
  if (!enterable) prep.idmap = { uid: mapText(uids), gid: mapText(gids) };
  return prep;
}

/**
 * Where lxcri-init's files are mounted. The mapped root cannot make /.lxcri in a rootfs
 * that host root owns, and nothing of lxcri's belongs in the bundle: with a file system
 * of the container's own on /dev (the usual tmpfs) the mount point is made there.
 */
export function initDirFor(nss: Namespace[], mounts: Mount[]): string {
  if (!newUserns(nss)) return INIT_DIR;
  const dev = mounts.filter((m) => m.destination.replace(/\/+$/, '') === '/dev').at(-1);
  const bind = dev && (dev.type === 'bind' || (dev.options ?? []).some((o) => o === 'bind' || o === 'rbind'));
  return dev && !bind ? `/dev${INIT_DIR}` : INIT_DIR;
}

/**
 * The host's cgroup2 hierarchy to bind for a cgroup mount, when the container cannot
 * mount cgroup2 itself: in a new user namespace without a cgroup namespace of its own the
 * kernel refuses that mount, and a bind shows what a fresh mount would (the whole tree).
 */
export function cgroupBindSource(nss: Namespace[], unified: string | undefined): string | undefined {
  if (!newUserns(nss) || nss.some((n) => n.type === 'cgroup' && !n.path)) return undefined;
  return unified;
}
