// hook.conf: the instructions lxcri-hook executes inside the container's mount namespace
// before pivot_root (device nodes, symlinks, masked and read-only paths, read-only root).
// One instruction per line, fields separated by TAB; see libexec/hookconf.h.
import { invalidSpec } from '../base/errors.js';

export type HookInstruction =
  | { op: 'dev'; path: string; type: 'c' | 'b' | 'p' | 'u'; major: number; minor: number; mode: number; uid: number; gid: number }
  | { op: 'symlink'; target: string; path: string }
  | { op: 'mask'; path: string }
  | { op: 'ro'; path: string }
  | { op: 'rootro' }
  /** The OCI hooks of create: prestart and createRuntime (by create), createContainer. */
  | { op: 'ocihooks' }
  | { op: 'hostname' | 'domainname'; name: string }
  | { op: 'sysctl'; key: string; value: string };

function field(s: string, what: string): string {
  if (/[\t\n\0]/.test(s)) throw invalidSpec(`${what} "${s}" contains a TAB, newline or NUL`);
  return s;
}

export function renderHookConf(list: HookInstruction[]): string {
  return list
    .map((h) => {
      switch (h.op) {
        case 'dev':
          return ['dev', field(h.path, 'device path'), h.type, h.major, h.minor, h.mode.toString(8), h.uid, h.gid].join('\t');
        case 'symlink':
          return ['symlink', field(h.target, 'symlink target'), field(h.path, 'symlink path')].join('\t');
        case 'mask':
          return ['mask', field(h.path, 'masked path')].join('\t');
        case 'ro':
          return ['ro', field(h.path, 'readonly path')].join('\t');
        case 'rootro':
        case 'ocihooks':
          return h.op;
        case 'hostname':
        case 'domainname':
          return [h.op, field(h.name, h.op)].join('\t');
        case 'sysctl':
          return ['sysctl', h.key, field(h.value, `sysctl ${h.key} value`)].join('\t');
      }
    })
    .map((l) => `${l}\n`)
    .join('');
}
