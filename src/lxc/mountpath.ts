// Mount destinations resolved inside the rootfs, the way the container will see them:
// absolute symlinks are re-rooted at the rootfs, relative ones followed from where they
// are, and a ".." above the rootfs is refused as an escape. liblxc then gets a path
// without symlinks, so neither its mount nor its create=dir can leave the rootfs.
import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../runtime/errors.js';

const MAX_LINKS = 40;

/** The destination as a rootfs-relative path without symlinks ("" for the root). */
export function resolveInRoot(rootfs: string, destination: string): string {
  const done: string[] = [];
  let todo = destination.split('/').filter((c) => c !== '' && c !== '.');
  let links = 0;
  const escape = (): RuntimeError =>
    new RuntimeError('invalid-spec', `invalid config.json: mount destination ${destination} escapes the rootfs through a symlink`);
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '..') {
      if (done.length === 0) throw escape();
      done.pop();
      continue;
    }
    let st;
    try {
      st = lstatSync(join(rootfs, ...done, c));
    } catch {
      // Missing from here on: liblxc creates the rest, none of which can be a symlink.
      if (todo.includes('..')) {
        throw new RuntimeError('invalid-spec', `invalid config.json: mount destination ${destination} has ".." below a missing directory`);
      }
      return [...done, c, ...todo].join('/');
    }
    if (!st.isSymbolicLink()) {
      done.push(c);
      continue;
    }
    if (++links > MAX_LINKS) throw new RuntimeError('invalid-spec', `invalid config.json: mount destination ${destination}: too many symlinks`);
    const target = readlinkSync(join(rootfs, ...done, c));
    const parts = target.split('/').filter((x) => x !== '' && x !== '.');
    if (target.startsWith('/')) done.length = 0; // absolute: from the container's root
    todo = [...parts, ...todo];
  }
  return done.join('/');
}
