// Mount options liblxc understands. An option with "=" is file system data, which the
// kernel checks at mount time (an unknown one fails the start, as with runc). A flag
// liblxc does not know it drops without a word, so "nosiud" for "nosuid" would mount
// without the protection asked for: refused here instead, before anything is made.
import { invalidSpec } from '../base/errors.js';
import { echo } from '../base/message.js';
import type { Mount } from '../spec/types.js';

/** liblxc's mount flags, propagation types and its own "optional". */
const LIBLXC_FLAGS = [
  'async', 'atime', 'bind', 'defaults', 'dev', 'diratime', 'dirsync', 'exec', 'iversion', 'lazytime',
  'loud', 'mand', 'noatime', 'nodev', 'nodiratime', 'noexec', 'noiversion', 'nolazytime', 'nomand',
  'norelatime', 'nostrictatime', 'nosuid', 'nosymfollow', 'rbind', 'relatime', 'remount', 'ro', 'rw',
  'silent', 'strictatime', 'suid', 'symfollow', 'sync',
  'private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave', 'unbindable', 'runbindable',
  'optional',
];

/**
 * Flags of the spec's world that lxcri handles or that mean nothing any more: devpts's
 * newinstance (always so since Linux 4.7), runc's and crun's tmpcopyup/notmpcopyup (see
 * mounts.ts), and the flags mounts.ts refuses by name with its own reason.
 */
const OTHER_FLAGS = ['newinstance', 'tmpcopyup', 'notmpcopyup', 'rro', 'rrw', 'idmap', 'ridmap', 'recursive'];

const KNOWN = new Set([...LIBLXC_FLAGS, ...OTHER_FLAGS]);

export function checkMountOptions(m: Mount): void {
  for (const o of m.options ?? []) {
    if (o.includes('=') || KNOWN.has(o)) continue;
    throw invalidSpec(`mount ${echo(m.destination)}: unknown mount option "${echo(o)}"`);
  }
}
