// In a new user namespace liblxc mounts lxcri-init and runs lxcri-hook as the container's
// mapped root, an unprivileged host user: every directory above the helpers must let
// "others" through. A clone under /root (0700) or a private temp prefix does not, and
// liblxc's own answer is a bare "Permission denied - Failed to mount". Say which
// directory blocks, before anything is made.
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RuntimeError } from '../base/errors.js';

const X = 0o1;
const RX = 0o5;

/** Throws when `helpers` (files in `dir`) cannot be reached and run by host uid:gid `root`. */
export function checkHelpersReachable(dir: string, helpers: readonly string[], root: { uid: number; gid: number }): void {
  const mappedRoot = root.uid;
  // The permission class the kernel checks: owner, else group, else others.
  const blocked = (path: string, need: number): boolean => {
    const st = statSync(path);
    const shift = st.uid === root.uid ? 6 : st.gid === root.gid ? 3 : 0;
    return ((st.mode >> shift) & need) !== need;
  };
  for (let d = dir; ; d = dirname(d)) {
    if (blocked(d, X)) {
      const mode = (statSync(d).mode & 0o7777).toString(8).padStart(4, '0');
      throw new RuntimeError(
        'invalid-spec',
        `user namespace: the container's root (host uid ${mappedRoot}) cannot reach lxcri's helpers in ${dir}: ${d} is mode ${mode} (the container's root needs x on it)`,
      );
    }
    if (d === dirname(d)) break;
  }
  for (const h of helpers) {
    const f = join(dir, h);
    if (blocked(f, RX)) {
      throw new RuntimeError('invalid-spec', `user namespace: the container's root (host uid ${mappedRoot}) cannot run ${f} (the container's root needs rx on it)`);
    }
  }
}
