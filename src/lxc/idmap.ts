// linux.uidMappings/gidMappings → lxc.idmap, and the host IDs behind container IDs.
import { invalidSpec } from '../base/errors.js';
import type { IdMapping } from '../spec/types.js';
import type { LxcConfig } from './config.js';

function check(maps: IdMapping[], what: string): void {
  const sorted = [...maps].sort((a, b) => a.containerID - b.containerID);
  for (let i = 0; i < sorted.length; i++) {
    const m = sorted[i]!;
    if (m.size < 1) throw invalidSpec(`linux.${what}: size must be at least 1`);
    const next = sorted[i + 1];
    if (next && m.containerID + m.size > next.containerID) {
      throw invalidSpec(`linux.${what}: container ranges overlap at ${next.containerID}`);
    }
  }
}

export function applyIdmaps(cfg: LxcConfig, uid: IdMapping[], gid: IdMapping[]): void {
  check(uid, 'uidMappings');
  check(gid, 'gidMappings');
  for (const m of uid) cfg.set('lxc.idmap', `u ${m.containerID} ${m.hostID} ${m.size}`);
  for (const m of gid) cfg.set('lxc.idmap', `g ${m.containerID} ${m.hostID} ${m.size}`);
}

/** The host ID of a container ID (identity without mappings); refuses unmapped IDs. */
export function hostId(maps: IdMapping[], id: number, what: string): number {
  if (maps.length === 0) return id;
  const m = maps.find((x) => id >= x.containerID && id < x.containerID + x.size);
  if (!m) throw invalidSpec(`${what} ${id} is not mapped by the user namespace`);
  return m.hostID + (id - m.containerID);
}
