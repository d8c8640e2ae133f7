// A rootfs whose top directory the container's own users cannot enter (mode 000, or 0700
// with a non-root process user) fails late and badly: lxcri-init, as the container's root
// without CAP_DAC_OVERRIDE, can reach neither its own files nor create's socket under it,
// and create could only say the monitor died. The mode bits say it beforehand.
import type { Stats } from 'node:fs';
import { echo } from '../base/message.js';
import type { Spec } from './types.js';
import { processUser } from './user.js';

/** Capabilities that pass directory search whatever the mode bits say. */
const DAC_CAPS = ['CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH'];

function canSearch(st: Stats, uid: number, gids: number[]): boolean {
  if (st.uid === uid) return (st.mode & 0o100) !== 0;
  if (gids.includes(st.gid)) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/**
 * Refuse a rootfs the container's root (lxcri-init) or its process user cannot search.
 * Not with a user namespace: its IDs are not the host's, and for a new one lxcri-start
 * binds the rootfs, idmapped if needed, so that the mapped root can use it (rootfs.h).
 */
export function checkRootfsAccess(rootfs: string, st: Stats, spec: Spec, refuse: (msg: string) => Error): void {
  if (spec.linux?.namespaces?.some((n) => n.type === 'user')) return;
  const p = spec.process;
  if (!p) return;
  const c = p.capabilities;
  const caps = new Set([...(c?.bounding ?? []), ...(c?.effective ?? []), ...(c?.permitted ?? []), ...(c?.ambient ?? [])]);
  if (DAC_CAPS.some((cap) => caps.has(cap))) return;
  const user = processUser(p);
  const who: Array<[number, number[]]> = [[0, [0]], [user.uid, [user.gid, ...(user.additionalGids ?? [])]]];
  for (const [uid, gids] of who) {
    if (canSearch(st, uid, gids)) continue;
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    throw refuse(
      `root.path ${echo(rootfs)} (mode ${mode}, owner ${st.uid}:${st.gid}) cannot be entered by the container's ${uid === 0 ? 'root' : `user ${uid}`} without CAP_DAC_OVERRIDE: its process could not start`,
    );
  }
}
