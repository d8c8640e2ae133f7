// Device nodes: the OCI default devices plus linux.devices, created by lxcri-hook in the
// container's /dev (liblxc's autodev is off so /dev is exactly what the spec asks for).
import { invalidSpec } from '../base/errors.js';
import type { Device, Mount } from '../spec/types.js';
import type { HookInstruction } from './hookconf.js';

type DevInstruction = Extract<HookInstruction, { op: 'dev' }>;

const DEFAULT_DEVICES: ReadonlyArray<readonly [string, number, number]> = [
  ['/dev/null', 1, 3],
  ['/dev/zero', 1, 5],
  ['/dev/full', 1, 7],
  ['/dev/random', 1, 8],
  ['/dev/urandom', 1, 9],
  ['/dev/tty', 5, 0],
];

const DEFAULT_LINKS: ReadonlyArray<readonly [target: string, path: string]> = [
  ['/proc/self/fd', '/dev/fd'],
  ['/proc/self/fd/0', '/dev/stdin'],
  ['/proc/self/fd/1', '/dev/stdout'],
  ['/proc/self/fd/2', '/dev/stderr'],
  ['/proc/kcore', '/dev/core'],
];

function fromSpec(d: Device): DevInstruction {
  if (!['c', 'b', 'u', 'p'].includes(d.type)) {
    throw invalidSpec(`device ${d.path}: unknown type "${d.type}"`);
  }
  if (d.type !== 'p' && (d.major === undefined || d.minor === undefined)) {
    throw invalidSpec(`device ${d.path}: major and minor are required for type ${d.type}`);
  }
  return {
    op: 'dev',
    path: d.path,
    type: d.type as DevInstruction['type'],
    major: d.major ?? 0,
    minor: d.minor ?? 0,
    mode: (d.fileMode ?? 0o666) & 0o7777,
    uid: d.uid ?? 0,
    gid: d.gid ?? 0,
  };
}

/** Device and /dev symlink instructions for lxcri-hook. */
export function deviceInstructions(devices: Device[], mounts: Mount[]): HookInstruction[] {
  const out: HookInstruction[] = [];
  const byPath = new Map<string, Device>();
  for (const d of devices) byPath.set(d.path, d);
  for (const [path, major, minor] of DEFAULT_DEVICES) {
    const d = byPath.get(path);
    if (d && (d.type !== 'c' || d.major !== major || d.minor !== minor)) {
      throw invalidSpec(`device ${path} must be c ${major}:${minor}`);
    }
    if (!d) out.push({ op: 'dev', path, type: 'c', major, minor, mode: 0o666, uid: 0, gid: 0 });
  }
  for (const d of devices) out.push(fromSpec(d));
  for (const [target, path] of DEFAULT_LINKS) out.push({ op: 'symlink', target, path });
  // With a private devpts the pty multiplexer is its ptmx, as runc and crun arrange.
  if (mounts.some((m) => m.destination === '/dev/pts' && m.type === 'devpts')) {
    out.push({ op: 'symlink', target: 'pts/ptmx', path: '/dev/ptmx' });
  }
  return out;
}
