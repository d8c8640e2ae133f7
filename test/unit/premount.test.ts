// Staged tmpfs (issue 14 item 3): mount options split for mount(2), premount.conf lines.
import { describe, expect, it } from 'vitest';
import { mountFlags } from '../../src/lxc/mountflags.js';
import { renderPremountConf } from '../../src/lxc/premount.js';

describe('mountFlags', () => {
  it('splits flags, file system data and propagation as liblxc and runc do', () => {
    expect(mountFlags(['nosuid', 'strictatime', 'mode=755', 'size=65536k'])).toEqual({ flags: 0x2 | 0x1000000, data: 'mode=755,size=65536k', propagation: [] });
    expect(mountFlags(['ro', 'rw', 'nodev', 'dev', 'noexec', 'rshared', 'uid=5'])).toEqual({ flags: 0x8, data: 'uid=5', propagation: ['rshared'] });
    expect(mountFlags(['defaults'])).toEqual({ flags: 0, data: '', propagation: [] });
  });
});

describe('renderPremountConf', () => {
  it('mounts writable, makes the mount points, then remounts read-only', () => {
    const conf = renderPremountConf([
      { id: 0, source: 'tmpfs', flags: 0x1 | 0x2, data: 'size=1m', make: [{ path: 'a/b', kind: 'dir' }, { path: 'c', kind: 'file' }] },
      { id: 1, source: 'shm', flags: 0, data: '', make: [] },
    ]);
    expect(conf).toBe('tmpfs\t0\ttmpfs\t2\tsize=1m\nmake\t0\ta/b\tdir\nmake\t0\tc\tfile\nro\t0\t3\ntmpfs\t1\tshm\t0\t\n');
  });

  it('refuses fields that would break the line format', () => {
    expect(() => renderPremountConf([{ id: 0, source: 'tmp\tfs', flags: 0, data: '', make: [] }])).toThrow(/a tab or line break in the tmpfs source/);
    expect(() => renderPremountConf([{ id: 0, source: 'tmpfs', flags: 0, data: '', make: [{ path: 'a\tb', kind: 'dir' }] }])).toThrow(/mount destination/);
  });
});
