// premount.conf: what lxcri-hook does in liblxc's pre-mount hook, in the container's mount
// namespace before the rootfs is set up (libexec/premount.c): mount each
// staged tmpfs at <runtime dir>/stage/N, make the mount points below it, then make it
// read-only if the spec says so. One instruction a line, fields separated by TAB:
//   tmpfs <N> <source> <flags> <data>
//   make <N> <path> <dir|file>
//   ro <N> <flags>
import { invalidSpec } from '../base/errors.js';
import { MS_RDONLY } from './mountflags.js';
import type { StagedTmpfs } from './mountpoints.js';

function field(v: string, what: string): string {
  if (/[\t\n\r\0]/.test(v)) throw invalidSpec(`a tab or line break in the ${what} ${JSON.stringify(v)}`);
  return v;
}

export function renderPremountConf(staged: StagedTmpfs[]): string {
  const lines: string[] = [];
  for (const s of staged) {
    // Read-only only once its mount points are made.
    lines.push(['tmpfs', s.id, field(s.source, 'tmpfs source'), s.flags & ~MS_RDONLY, field(s.data, 'tmpfs options')].join('\t'));
    for (const m of s.make) lines.push(['make', s.id, field(m.path, 'mount destination'), m.kind].join('\t'));
    if (s.flags & MS_RDONLY) lines.push(['ro', s.id, s.flags].join('\t'));
  }
  return lines.map((l) => `${l}\n`).join('');
}
