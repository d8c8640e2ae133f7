// Small file helpers: atomic replace, so readers never see a half-written file.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// The temporary file may sit in a directory others can write (a --pid-file in /tmp):
// its name is unguessable and it is opened only if new and not through a symlink, so a
// planted link never makes this root process write someone else's file.
const TMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Write `data` to `path` atomically: a new temporary file in the same directory, then a
 * rename over `path` (which replaces a symlink there rather than following it).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(12).toString('hex')}.tmp`);
  const fh = await open(tmp, TMP_FLAGS, mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
