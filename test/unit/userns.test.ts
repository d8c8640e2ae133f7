// Unit tests of what a new user namespace changes in the translation (src/lxc/userns.ts).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cgroupPaths } from '../../src/cgroup/paths.js';
import { translate } from '../../src/lxc/translate.js';
import { initDirFor, rootfsPrep } from '../../src/lxc/userns.js';
import type { Spec } from '../../src/spec/types.js';
import { sampleSpec } from '../helpers/lxcri.js';

const opts = {
  runtimeDir: '/run/lxcri/c1',
  libexecDir: '/usr/local/libexec/lxcri',
  cgroup: cgroupPaths('c1', undefined, 'lxcri-monitor.slice'),
  lxcLogLevel: 'warn',
  lsm: { apparmor: false, selinux: false },
  features: { apparmor: true, capabilities: true, cgroupDevices: true, seccomp: true },
  cgroupUnified: '/sys/fs/cgroup/unified',
};

const MAP = [{ containerID: 0, hostID: 1000, size: 65536 }];
const dirs: string[] = [];
/** A root-owned directory of the given mode, standing for a rootfs. */
function rootfsOfMode(mode: number): string {
  const d = mkdtempSync(join(tmpdir(), 'un-unit-'));
  chmodSync(d, mode);
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function userSpec(edit: (s: Spec) => void = () => undefined): Spec {
  const s = sampleSpec();
  s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'cgroup');
  s.linux!.namespaces.push({ type: 'user' });
  s.linux!.uidMappings = MAP;
  s.linux!.gidMappings = MAP;
  edit(s);
  return s;
}

const values = (items: ReadonlyArray<readonly [string, string]>, key: string): string[] =>
  items.filter(([k]) => k === key).map(([, v]) => v);

describe('a new user namespace', () => {
  it('has liblxc use the rootfs that host root binds into the runtime dir', () => {
    const rootfs = rootfsOfMode(0o755);
    const t = translate({ path: '/bundle', spec: userSpec(), rootfs }, opts);
    expect(values(t.config.items, 'lxc.rootfs.path')).toEqual(['dir:/run/lxcri/c1/rootfs']);
    expect(values(t.config.items, 'lxc.rootfs.mount')).toEqual(['/run/lxcri/c1/rootfs']);
    expect(t.rootfsPrep).toEqual({ source: rootfs, target: '/run/lxcri/c1/rootfs' });
  });

  it('puts the init files into the container\'s own /dev', () => {
    const t = translate({ path: '/bundle', spec: userSpec(), rootfs: rootfsOfMode(0o755) }, opts);
    expect(t.initDir).toBe('/dev/.lxcri');
    expect(values(t.config.items, 'lxc.init.cmd')).toEqual(['/dev/.lxcri/lxcri-init']);
    expect(values(t.config.items, 'lxc.mount.entry').at(-1)).toBe('/run/lxcri/c1/init dev/.lxcri none bind,ro,nodev,nosuid 0 0');
    // Made by lxcri-hook in the staged tmpfs of /dev (src/lxc/mountpoints.ts).
    expect(t.staging.conf).toContain('make\t0\t.lxcri\tdir\n');
    // Not into a /dev bound from elsewhere (that may be the host's), nor without a user namespace.
    const bound = userSpec((s) => {
      s.mounts = s.mounts!.map((m) => (m.destination === '/dev' ? { destination: '/dev', type: 'bind', source: '/dev', options: ['rbind'] } : m));
    });
    expect(initDirFor(bound.linux!.namespaces!, bound.mounts!)).toBe('/.lxcri');
    expect(translate({ path: '/bundle', spec: sampleSpec(), rootfs: rootfsOfMode(0o755) }, opts).initDir).toBe('/.lxcri');
  });

  it('binds the host\'s cgroup2 tree for a cgroup mount unless it has a cgroup namespace', () => {
    const cg = (s: Spec): string | undefined =>
      values(translate({ path: '/bundle', spec: s, rootfs: rootfsOfMode(0o755) }, opts).config.items, 'lxc.mount.entry').find((e) => e.includes(' sys/fs/cgroup '));
    expect(cg(userSpec())).toBe('/sys/fs/cgroup/unified sys/fs/cgroup none nosuid,noexec,nodev,relatime,ro,bind 0 0');
    expect(cg(userSpec((s) => s.linux!.namespaces!.push({ type: 'cgroup' })))).toBe('cgroup2 sys/fs/cgroup cgroup2 nosuid,noexec,nodev,relatime,ro 0 0');
  });

  it('idmaps the rootfs only when the container\'s root could not enter it', () => {
    expect(rootfsPrep(rootfsOfMode(0o755), '/r', MAP, MAP).idmap).toBeUndefined();
    expect(rootfsPrep(rootfsOfMode(0o711), '/r', MAP, MAP).idmap).toBeUndefined();
    expect(rootfsPrep(rootfsOfMode(0o700), '/r', MAP, MAP).idmap).toEqual({ uid: '0 1000 65536\n', gid: '0 1000 65536\n' });
    expect(rootfsPrep(rootfsOfMode(0o750), '/r', MAP, MAP).idmap).toBeDefined();
    // Host root's files are the container's when host 0 is mapped: its capabilities apply.
    const identity = [{ containerID: 0, hostID: 0, size: 65536 }];
    expect(rootfsPrep(rootfsOfMode(0o700), '/r', identity, identity).idmap).toBeUndefined();
  });
});
