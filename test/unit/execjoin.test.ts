// lxcri-attach's join arguments (src/runtime/execjoin.ts): the LSM label is only ever
// passed for an LSM the host has, the process's own before the container's.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgroupDirs, joinArgs, lsmArgs } from '../../src/runtime/execjoin.js';
import type { Process } from '../../src/spec/types.js';

const proc = (p: Partial<Process> = {}): Process => ({ cwd: '/', args: ['true'], ...p });
const NONE = { apparmor: false, selinux: false };
const AA = { apparmor: true, selinux: false };
const SE = { apparmor: false, selinux: true };

describe('lsmArgs', () => {
  it('passes nothing when the host has no LSM', () => {
    expect(lsmArgs(proc({ apparmorProfile: 'p', selinuxLabel: 'l' }), proc({ apparmorProfile: 'q', selinuxLabel: 'm' }), NONE)).toEqual([]);
  });

  it('gives the process\'s own AppArmor profile, else the container\'s; none for unconfined', () => {
    expect(lsmArgs(proc({ apparmorProfile: 'mine' }), proc({ apparmorProfile: 'theirs' }), AA)).toEqual(['--apparmor', 'mine']);
    expect(lsmArgs(proc(), proc({ apparmorProfile: 'theirs' }), AA)).toEqual(['--apparmor', 'theirs']);
    expect(lsmArgs(proc(), proc({ apparmorProfile: 'unconfined' }), AA)).toEqual([]);
    expect(lsmArgs(proc(), proc(), AA)).toEqual([]);
    // An SELinux label on a host without SELinux is not passed.
    expect(lsmArgs(proc({ selinuxLabel: 'l' }), proc(), AA)).toEqual([]);
  });

  it('gives the process\'s own SELinux label, else the container\'s', () => {
    expect(lsmArgs(proc({ selinuxLabel: 'system_u:system_r:a_t:s0' }), proc({ selinuxLabel: 'x' }), SE)).toEqual(['--selinux', 'system_u:system_r:a_t:s0']);
    expect(lsmArgs(proc(), proc({ selinuxLabel: 'x' }), SE)).toEqual(['--selinux', 'x']);
    expect(lsmArgs(proc({ apparmorProfile: 'p' }), proc(), SE)).toEqual([]);
  });
});

describe('joinArgs and cgroupDirs', () => {
  it('names the init by PID and start time, then every cgroup dir and the label', () => {
    expect(joinArgs({ pid: 42, start: 12345 }, ['/a/x', '/b/x'], ['--apparmor', 'p'])).toEqual(['--pid', '42', '--start', '12345', '--cgroup', '/a/x', '--cgroup', '/b/x', '--apparmor', 'p']);
  });

  it('lists the container\'s cgroup in each hierarchy where it exists, the unified one too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jn-cg-'));
    try {
      for (const h of ['cpu', 'systemd', 'unified']) mkdirSync(join(dir, h, 'lxcri/c'), { recursive: true });
      for (const h of ['cpu', 'unified']) writeFileSync(join(dir, h, 'lxcri/c/cgroup.procs'), '');
      mkdirSync(join(dir, 'memory'));
      const mounts = { v1: ['cpu', 'memory', 'systemd'].map((h) => join(dir, h)), unified: join(dir, 'unified') };
      expect(cgroupDirs(mounts, 'lxcri/c')).toEqual([join(dir, 'unified/lxcri/c'), join(dir, 'cpu/lxcri/c')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
