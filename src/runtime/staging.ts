// The runtime dir's part of staged tmpfs (src/lxc/mountpoints.ts): premount.conf for
// lxcri-hook and an empty directory stage/N for each tmpfs to be mounted on, in the
// container's mount namespace only. The container's root (a mapped ID in a user
// namespace) reads the file and mounts there.
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PREMOUNT_CONF, STAGE_DIR } from '../base/layout.js';

/** staging: premount.conf's text and how many tmpfs it mounts (Translation.staging). */
export async function writeStaging(runtimeDir: string, staging: { conf: string; count: number }, root: { uid: number; gid: number }): Promise<void> {
  if (!staging.count) return;
  const conf = join(runtimeDir, PREMOUNT_CONF);
  await writeFile(conf, staging.conf, { mode: 0o400, flag: 'wx' });
  await chown(conf, root.uid, root.gid);
  await mkdir(join(runtimeDir, STAGE_DIR), { mode: 0o711 });
  for (let id = 0; id < staging.count; id++) await mkdir(join(runtimeDir, STAGE_DIR, String(id)), { mode: 0o711 });
}
