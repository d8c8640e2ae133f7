// Unit tests of the spec → liblxc translation and its small parts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MountPoints } from '../../src/lxc/mountpoints.js';
import { cgroupPaths } from '../../src/cgroup/paths.js';
import { parseMountinfo } from '../../src/cgroup/mounts.js';
import { fstabEscape } from '../../src/lxc/config.js';
import { renderHookConf } from '../../src/lxc/hookconf.js';
import { mountEntry } from '../../src/lxc/mounts.js';
import { capabilitySets, capKeep } from '../../src/lxc/capabilities.js';
import { dedupeEnv, identityLine } from '../../src/lxc/process.js';
import { translate } from '../../src/lxc/translate.js';
import { parseReport } from '../../src/runtime/notify.js';
import { parseSignal } from '../../src/runtime/signals.js';
import type { Spec } from '../../src/spec/types.js';
import { sampleSpec } from '../helpers/lxcri.js';

const opts = {
  runtimeDir: '/run/lxcri/c1',
  libexecDir: '/usr/local/libexec/lxcri',
  cgroup: cgroupPaths('c1', undefined, 'lxcri-monitor.slice'),
  lxcLogFile: '/var/log/lxcri/lxcri.log',
  lxcLogLevel: 'warn',
  lsm: { apparmor: false, selinux: false },
  features: { apparmor: true, capabilities: true, cgroupDevices: true, seccomp: true },
};

// Mount points are made in the rootfs as it is translated (src/lxc/mountpoints.ts).
const ROOTFS = mkdtempSync(join(tmpdir(), 'lxcri-translate-rootfs-'));
afterAll(() => rmSync(ROOTFS, { recursive: true, force: true }));

function bundleOf(spec: Spec) {
  return { path: '/bundle', spec, rootfs: ROOTFS };
}

const values = (items: ReadonlyArray<readonly [string, string]>, key: string): string[] =>
  items.filter(([k]) => k === key).map(([, v]) => v);

describe('translate', () => {
  const t = translate(bundleOf(sampleSpec()), opts);
  const items = t.config.items;

  it('uses the bundle rootfs in place', () => {
    expect(values(items, 'lxc.rootfs.path')).toEqual([`dir:${ROOTFS}`]);
    expect(values(items, 'lxc.rootfs.mount')).toEqual([ROOTFS]);
    expect(values(items, 'lxc.rootfs.managed')).toEqual(['0']);
  });

  it('maps namespaces, hostname, user and capabilities', () => {
    expect(values(items, 'lxc.namespace.clone')).toEqual(['pid net ipc uts mnt cgroup']);
    expect(values(items, 'lxc.init.uid')).toEqual(['0']);
    expect(values(items, 'lxc.cap.keep')).toEqual(['5 6 7 8 10 21 29']); // + SETGID, SETUID, SETPCAP, SYS_ADMIN for lxcri-init
    expect(values(items, 'lxc.no_new_privs')).toEqual(['1']);
    expect(values(items, 'lxc.console.path')).toEqual(['none']);
    expect(values(items, 'lxc.init.cmd')).toEqual(['/.lxcri/lxcri-init']);
  });

  it('places container and monitor in their cgroups', () => {
    expect(values(items, 'lxc.cgroup.dir.container')).toEqual(['lxcri/c1']);
    expect(values(items, 'lxc.cgroup.dir.monitor')).toEqual(['lxcri-monitor.slice/c1.scope']);
    expect(values(items, 'lxc.cgroup.dir.monitor.pivot')).toEqual(['lxcri-monitor.slice']);
  });

  it('mounts the spec mounts in order, then the init files', () => {
    const m = values(items, 'lxc.mount.entry');
    expect(m[0]).toBe('proc proc proc defaults 0 0');
    // A tmpfs is staged: lxcri-hook mounts it (pre-mount) and makes the mount points in it.
    expect(m[1]).toBe('/run/lxcri/c1/stage/0 dev none bind 0 0');
    expect(values(items, 'lxc.hook.pre-mount')).toEqual(['/usr/local/libexec/lxcri/lxcri-hook']);
    expect(t.staging.conf.split('\n').slice(0, 5)).toEqual([
      'tmpfs\t0\ttmpfs\t16777218\tmode=755,size=65536k', // nosuid|strictatime
      'make\t0\tpts\tdir',
      'make\t0\tshm\tdir',
      'make\t0\tmqueue\tdir',
      'tmpfs\t1\tshm\t14\tmode=1777,size=65536k', // nosuid|nodev|noexec
    ]);
    expect(m.find((e) => e.includes('sys/fs/cgroup'))).toBe('cgroup2 sys/fs/cgroup cgroup2 nosuid,noexec,nodev,relatime,ro 0 0');
    // The init dir holds the container's own copy of lxcri-init: no host binary is bound.
    expect(m.at(-1)).toBe('/run/lxcri/c1/init .lxcri none bind,ro,nodev,nosuid 0 0');
    expect(m.some((e) => e.includes('libexec'))).toBe(false);
  });

  it('mounts /dev/pts as an entry of its own, no devpts of liblxc, and the bind liblxc detaches', () => {
    const m = values(items, 'lxc.mount.entry');
    expect(values(items, 'lxc.pty.max')).toEqual(['0']);
    expect(m[2]).toBe('devpts dev/pts devpts nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5 0 0');
    // Right after the spec's mounts, before lxcri's own.
    expect(m.at(-2)).toBe(`${ROOTFS}/dev/pts dev/pts none bind 0 0`);
    const noPts = translate(bundleOf({ ...sampleSpec(), mounts: sampleSpec().mounts!.filter((x) => x.destination !== '/dev/pts') }), opts);
    expect(values(noPts.config.items, 'lxc.mount.entry').some((e) => e.includes('dev/pts'))).toBe(false);
  });

  it('writes devices, masks, read-only paths and the read-only root for the hook', () => {
    const lines = t.hookConf.trimEnd().split('\n');
    expect(lines[1]).toBe('dev\t/dev/null\tc\t1\t3\t666\t0\t0');
    expect(lines).toContain('symlink\tpts/ptmx\t/dev/ptmx');
    expect(lines).toContain('mask\t/proc/kcore');
    expect(lines).toContain('ro\t/proc/sys');
    expect(lines.at(-1)).toBe('rootro');
  });

  it('gives init the args, deduplicated env and cwd in its process record', () => {
    expect(t.init.process.args[0]).toBe('sh');
    expect(t.init.process.cwd).toBe('/');
    // liblxc sets the rlimits (lxc.prlimit) from the host; lxcri-init only for exec.
    const s = sampleSpec();
    s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 10, hard: 20 }];
    const withLimits = translate(bundleOf(s), opts);
    expect(withLimits.init.process.rlimits).toBeUndefined();
    expect(withLimits.config.toString()).toContain('lxc.prlimit.nofile = 10:20');
  });

  it('refuses a hostname without a uts namespace', () => {
    const s = sampleSpec();
    s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'uts');
    expect(() => translate(bundleOf(s), opts)).toThrow(/hostname needs a uts namespace/);
  });

  it('sets host and domain name through the hook, sysctls before read-only paths', () => {
    const s = sampleSpec();
    s.domainname = 'example.org';
    s.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
    const lines = translate(bundleOf(s), opts).hookConf.split('\n');
    expect(lines.slice(0, 3)).toEqual(['hostname\tlxcri-demo', 'domainname\texample.org', 'sysctl\tnet.ipv4.ip_forward\t1']);
  });

  it('maps rlimits, refusing duplicates', () => {
    const s = sampleSpec();
    s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 10, hard: 20 }, { type: 'RLIMIT_CORE', soft: 0, hard: 2 ** 64 }];
    expect(values(translate(bundleOf(s), opts).config.items, 'lxc.prlimit.nofile')).toEqual(['10:20']);
    expect(values(translate(bundleOf(s), opts).config.items, 'lxc.prlimit.core')).toEqual(['0:unlimited']);
    s.process!.rlimits.push({ type: 'RLIMIT_NOFILE', soft: 1, hard: 1 });
    expect(() => translate(bundleOf(s), opts)).toThrow(/duplicate RLIMIT_NOFILE/);
  });

  it('maps user namespace ids', () => {
    const s = sampleSpec();
    s.linux!.uidMappings = [{ containerID: 0, hostID: 1000, size: 10 }];
    s.linux!.gidMappings = [{ containerID: 0, hostID: 2000, size: 10 }];
    expect(values(translate(bundleOf(s), opts).config.items, 'lxc.idmap')).toEqual(['u 0 1000 10', 'g 0 2000 10']);
    s.linux!.uidMappings.push({ containerID: 5, hostID: 9000, size: 1 });
    expect(() => translate(bundleOf(s), opts)).toThrow(/overlap/);
  });

  it('applies or refuses LSM settings by what the host has', () => {
    const s = sampleSpec();
    s.process!.apparmorProfile = 'my-profile';
    expect(() => translate(bundleOf(s), opts)).toThrow(/AppArmor is not enabled/);
    expect(values(translate(bundleOf(s), { ...opts, lsm: { apparmor: true, selinux: false } }).config.items, 'lxc.apparmor.profile')).toEqual(['my-profile']);
    delete s.process!.apparmorProfile;
    expect(values(translate(bundleOf(s), { ...opts, lsm: { apparmor: true, selinux: false } }).config.items, 'lxc.apparmor.profile')).toEqual(['unconfined']);
    s.process!.selinuxLabel = 'system_u:system_r:container_t:s0';
    expect(() => translate(bundleOf(s), opts)).toThrow(/SELinux is not enabled/);
  });

  it('joins namespaces given by path', () => {
    const s = sampleSpec();
    s.linux!.namespaces = [{ type: 'mount' }, { type: 'network', path: '/var/run/netns/x' }];
    delete s.hostname;
    const it2 = translate(bundleOf(s), opts).config.items;
    expect(values(it2, 'lxc.namespace.clone')).toEqual(['mnt']);
    expect(values(it2, 'lxc.namespace.share.net')).toEqual(['/var/run/netns/x']);
  });

  it('refuses a device that redefines a default device', () => {
    const s = sampleSpec();
    s.linux!.devices = [{ path: '/dev/null', type: 'c', major: 1, minor: 5 }];
    expect(() => translate(bundleOf(s), opts)).toThrow(/\/dev\/null must be c 1:3/);
  });
});

describe('helpers', () => {
  it('dedupes env, last wins', () => {
    expect(dedupeEnv(['A=1', 'B=2', 'A=3'])).toEqual(['B=2', 'A=3']);
    expect(dedupeEnv(['A=x=y', 'C='])).toEqual(['A=x=y', 'C=']);
  });
  it('maps capability sets and refuses impossible ones', () => {
    const sets = capabilitySets({ bounding: ['CAP_KILL', 'CAP_NET_BIND_SERVICE'], permitted: ['CAP_NET_BIND_SERVICE'], inheritable: ['CAP_NET_BIND_SERVICE'], effective: ['CAP_NET_BIND_SERVICE'], ambient: ['CAP_NET_BIND_SERVICE'] });
    expect(sets.ambient).toBe(1n << 10n);
    expect(capKeep(sets.bounding)).toBe('5 10');
    expect(capKeep(0n)).toBe('none');
    expect(() => capabilitySets({ bounding: ['CAP_NOPE'] })).toThrow(/unknown capability "CAP_NOPE"/);
    expect(() => capabilitySets({ bounding: [], permitted: ['CAP_KILL'] })).toThrow(/permitted has CAP_KILL outside the bounding set/);
    const warnings: string[] = [];
    expect(capabilitySets({ bounding: ['CAP_KILL'], permitted: ['CAP_KILL'], ambient: ['CAP_KILL'] }, (w) => warnings.push(w)).ambient).toBe(0n);
    expect(warnings).toEqual(['process.capabilities.ambient: CAP_KILL not raised: not both permitted and inheritable']);
  });
  it('writes the identity line for lxcri-init', () => {
    const caps = capabilitySets({ bounding: ['CAP_KILL'], permitted: ['CAP_KILL'], effective: ['CAP_KILL'] });
    expect(identityLine({ user: { uid: 1000, gid: 100, umask: 0o27, additionalGids: [10, 20] }, cwd: '/' }, caps)).toBe('1000 100 27 20 20 20 0 0 10 20\n');
    expect(identityLine({ user: { uid: 0, gid: 0 }, cwd: '/' }, capabilitySets(undefined))).toBe('0 0 - 0 0 0 0 0\n');
  });
  it('escapes mount entry fields', () => {
    expect(fstabEscape('/a b\\c')).toBe('/a\\040b\\134c');
  });
  it('mounts cgroup as cgroup2, or binds the host hierarchy given (user namespace without a cgroup namespace, as runc)', () => {
    const m = { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'ro'] };
    expect(mountEntry(m, '/b', new MountPoints(ROOTFS, { stageDir: '/r/stage' }))).toBe('cgroup2 sys/fs/cgroup cgroup2 nosuid,ro 0 0');
    expect(mountEntry(m, '/b', new MountPoints(ROOTFS, { stageDir: '/r/stage' }), '/sys/fs/cgroup')).toBe('/sys/fs/cgroup sys/fs/cgroup none nosuid,ro,bind 0 0');
  });
  it('resolves bind sources against the bundle and requires them unless optional', () => {
    expect(() => mountEntry({ destination: '/x', type: 'bind', source: 'nope', options: ['rbind'] }, '/nonexistent-bundle', new MountPoints(ROOTFS, { stageDir: '/r/stage' }))).toThrow(/does not exist/);
    expect(mountEntry({ destination: '/x', type: 'bind', source: 'nope', options: ['rbind', 'optional'] }, '/b', new MountPoints(ROOTFS, { stageDir: '/r/stage' }))).toBe('/b/nope x none rbind,optional 0 0');
    expect(mountEntry({ destination: '/etc/hosts', type: 'bind', source: '/etc/hosts', options: ['rbind', 'ro'] }, '/b', new MountPoints(ROOTFS, { stageDir: '/r/stage' }))).toBe('/etc/hosts etc/hosts none rbind,ro 0 0');
    expect(() => mountEntry({ destination: 'rel', type: 'tmpfs' }, '/b', new MountPoints(ROOTFS, { stageDir: '/r/stage' }))).toThrow(/absolute/);
  });
  it('renders hook.conf and refuses TABs in paths', () => {
    expect(renderHookConf([{ op: 'mask', path: '/a' }, { op: 'rootro' }])).toBe('mask\t/a\nrootro\n');
    expect(() => renderHookConf([{ op: 'ro', path: '/a\tb' }])).toThrow(/TAB/);
  });
  it('parses signals by name and number', () => {
    expect(parseSignal('9')).toBe(9);
    expect(parseSignal('KILL')).toBe(9);
    expect(parseSignal('sigkill')).toBe(9);
    expect(parseSignal('SIGTERM')).toBe(15);
    expect(parseSignal('term')).toBe(15);
    expect(parseSignal('RTMIN+1')).toBe(35);
    expect(parseSignal('0')).toBe(0);
    for (const bad of ['65', 'NOPE', '', '-1', '9x']) expect(() => parseSignal(bad)).toThrow(/invalid signal/);
  });
  it('parses init reports', () => {
    expect(parseReport('ok\n')).toEqual({ ok: true });
    expect(parseReport('error 127 exec: "x": executable file not found in $PATH\n')).toEqual({
      ok: false,
      code: 127,
      message: 'exec: "x": executable file not found in $PATH',
    });
    expect(parseReport('').ok).toBe(false);
  });
  it('computes cgroup paths', () => {
    expect(cgroupPaths('x', '/kubepods/pod1/crio-x', 'mon.slice')).toEqual({
      container: 'kubepods/pod1/crio-x',
      monitor: 'mon.slice/x.scope',
      monitorPivot: 'mon.slice',
    });
    expect(() => cgroupPaths('x', '/a/../b', 'm')).toThrow(/\.\./);
  });
  it('finds cgroup mounts in mountinfo', () => {
    const mi = [
      '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
      '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
      '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
      '50 31 0:38 /sub /mnt/x rw - cgroup2 cgroup2 rw',
    ].join('\n');
    expect(parseMountinfo(mi)).toEqual({ unified: '/sys/fs/cgroup/unified', v1: ['/sys/fs/cgroup/cpu'] });
  });
});
