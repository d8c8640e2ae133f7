// Unit tests of linux.seccomp → lxcri-init's seccomp profile (libexec/seccompfilter.c compiles it).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archFamily, seccompProfile, type Seccomp, type Syscall } from '../../src/lxc/seccomp.js';
import { seccompSupport } from '../../src/lxc/seccompsupport.js';
import { cgroupPaths } from '../../src/cgroup/paths.js';
import { translate } from '../../src/lxc/translate.js';
import type { Spec } from '../../src/spec/types.js';
import { sampleSpec } from '../helpers/lxcri.js';
import { RuntimeError } from '../../src/base/errors.js';

// translate() makes mount points in the rootfs (src/lxc/mountpoints.ts).
const ROOTFS = mkdtempSync(join(tmpdir(), 'lxcri-seccomp-rootfs-'));
afterAll(() => rmSync(ROOTFS, { recursive: true, force: true }));

const lines = (s: Seccomp, arch = 'x86_64'): string[] => seccompProfile(s, arch).profile.trimEnd().split('\n');
const X86_64 = ['arch x86_64', 'arch x86', 'arch x32'];

function refusal(s: Seccomp): string {
  try {
    seccompProfile(s, 'x86_64');
  } catch (err) {
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).kind).toBe('invalid-spec');
    expect((err as RuntimeError).message).not.toContain('\n');
    return (err as RuntimeError).message;
  }
  throw new Error('not refused');
}

describe('seccompProfile', () => {
  it('renders a Docker/podman-like allow list with EPERM or defaultErrnoRet as default', () => {
    const allow = ['read', 'write', 'openat', 'close', 'execve', 'exit_group'];
    const s: Seccomp = {
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
      syscalls: [
        { names: allow, action: 'SCMP_ACT_ALLOW' },
        { names: ['bdflush'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
      ],
    };
    expect(lines(s)).toEqual(['default errno:1', ...X86_64, ...allow.map((n) => `rule ${n} allow`), 'rule bdflush errno:38']);
    expect(lines({ ...s, defaultErrnoRet: 38 })[0]).toBe('default errno:38');
    expect(lines({ ...s, defaultErrnoRet: 0 })[0]).toBe('default errno:0');
    expect(seccompProfile(s, 'x86_64').warnings).toEqual([]);
  });

  it('renders an ALLOW default with denials, kill, kill_process, trap, trace and log', () => {
    const s: Seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [
        { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' },
        { names: ['chmod'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
        { names: ['reboot'], action: 'SCMP_ACT_KILL' },
        { names: ['kexec_load'], action: 'SCMP_ACT_KILL_THREAD' },
        { names: ['swapon'], action: 'SCMP_ACT_TRAP' },
        { names: ['swapoff'], action: 'SCMP_ACT_KILL_PROCESS' },
        { names: ['ptrace'], action: 'SCMP_ACT_TRACE' },
        { names: ['acct'], action: 'SCMP_ACT_TRACE', errnoRet: 38 },
        { names: ['syslog'], action: 'SCMP_ACT_LOG' },
      ],
    };
    expect(lines(s)).toEqual([
      'default allow',
      ...X86_64,
      'rule mkdir errno:1',
      'rule mkdirat errno:1',
      'rule chmod errno:13',
      'rule reboot kill_thread',
      'rule kexec_load kill_thread',
      'rule swapon trap',
      'rule swapoff kill_process',
      'rule ptrace trace:1',
      'rule acct trace:38',
      'rule syslog log',
    ]);
    expect(lines({ defaultAction: 'SCMP_ACT_KILL_PROCESS', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] })).toEqual([
      'default kill_process',
      ...X86_64,
      'rule read allow',
    ]);
    expect(lines({ defaultAction: 'SCMP_ACT_LOG' })[0]).toBe('default log');
  });

  it('keeps the conditions of a rule on one line (ANDed), MASKED_EQ as mask then datum', () => {
    const s: Seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [
        {
          names: ['socket'],
          action: 'SCMP_ACT_ERRNO',
          args: [
            { index: 0, value: 16, op: 'SCMP_CMP_EQ' },
            { index: 2, value: 9, valueTwo: 0, op: 'SCMP_CMP_EQ' },
          ],
        },
        { names: ['clone'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 2114060288, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }] },
        {
          names: ['kill'],
          action: 'SCMP_ACT_ERRNO',
          args: [
            { index: 0, value: 1, op: 'SCMP_CMP_NE' },
            { index: 1, value: 2, op: 'SCMP_CMP_LT' },
            { index: 2, value: 3, op: 'SCMP_CMP_LE' },
            { index: 3, value: 4, op: 'SCMP_CMP_GE' },
            { index: 4, value: 5, op: 'SCMP_CMP_GT' },
            { index: 5, value: 4294967295, op: 'SCMP_CMP_EQ' },
          ],
        },
      ],
    };
    expect(lines(s).slice(4)).toEqual([
      'rule socket errno:1 0:eq:16 2:eq:9',
      'rule clone errno:1 0:masked_eq:2114060288:0',
      'rule kill errno:1 0:ne:1 1:lt:2 2:le:3 3:ge:4 4:gt:5 5:eq:4294967295',
    ]);
  });

  it('drops rules whose action is the default action (libseccomp refuses them)', () => {
    const s: Seccomp = {
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 38,
      syscalls: [
        { names: ['a'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 },
        { names: ['b'], action: 'SCMP_ACT_ERRNO' },
        { names: ['c'], action: 'SCMP_ACT_ALLOW' },
      ],
    };
    expect(lines(s).slice(4)).toEqual(['rule b errno:1', 'rule c allow']);
    expect(lines({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] })).toEqual(['default allow', ...X86_64]);
  });

  it('filters every architecture of this machine, whatever is listed', () => {
    const s = (architectures?: string[]): Seccomp => ({ defaultAction: 'SCMP_ACT_ALLOW', architectures, syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] });
    for (const a of [undefined, [], ['SCMP_ARCH_X86'], ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64']]) {
      const r = seccompProfile(s(a), 'x86_64');
      expect(r.profile).toBe('default allow\narch x86_64\narch x86\narch x32\nrule mkdir errno:1\n');
      expect(r.warnings).toEqual([]);
    }
    expect(lines(s(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']), 'aarch64').slice(1, 3)).toEqual(['arch aarch64', 'arch arm']);
    // An unknown machine: libseccomp's native architecture only.
    expect(lines(s(), 'sparc64')).toEqual(['default allow', 'rule mkdir errno:1']);
    const foreign = seccompProfile(s(['SCMP_ARCH_AARCH64']), 'x86_64');
    expect(foreign.profile).toContain('arch x86_64\n');
    expect(foreign.warnings).toEqual([expect.stringContaining("does not include this machine's architecture (x86_64)")]);
  });

  it('maps uname machines to their architectures', () => {
    expect(archFamily('x86_64')).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(archFamily('i686')).toEqual(['SCMP_ARCH_X86']);
    expect(archFamily('aarch64')).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    expect(archFamily('armv7l')).toEqual(['SCMP_ARCH_ARM']);
    expect(archFamily('ppc64le')).toEqual(['SCMP_ARCH_PPC64LE']);
    expect(archFamily('s390x')?.[0]).toBe('SCMP_ARCH_S390X');
    expect(archFamily('sparc64')).toBeUndefined();
  });

  it('refuses what cannot be a syscall name, leaves unknown names to lxcri-init', () => {
    const rule = (names: string[]): Seccomp => ({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names, action: 'SCMP_ACT_ERRNO' }] });
    const r = seccompProfile(rule(['mkdir', 'reject_force_umount', 'no_such_syscall']), 'x86_64');
    // Names libseccomp does not know are left to lxcri-init, which skips them.
    expect(r.profile).toBe('default allow\narch x86_64\narch x86\narch x32\nrule mkdir errno:1\nrule reject_force_umount errno:1\nrule no_such_syscall errno:1\n');
    expect(r.warnings).toEqual([]);
    // A rule that would silently vanish is refused: spaces, line breaks, other characters.
    for (const bad of ['read write', 'read\nwrite', '#x', '', 'mkdir;']) {
      expect(() => seccompProfile(rule(['mkdir', bad]), 'x86_64')).toThrow(/linux\.seccomp\.syscalls\[0\]: ".*" is not a system call name/);
    }
    expect(() => seccompProfile(rule(['read\nwrite']), 'x86_64')).toThrow(/"read\\nwrite"/);
  });

  it('takes seccomp notification with a listener and no_new_privs, refuses what would hang or cannot be answered', () => {
    const rule = (r: Partial<Syscall>): Seccomp => ({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', ...r }] });
    const notify: Seccomp = { ...rule({ action: 'SCMP_ACT_NOTIFY' }), listenerPath: '/run/agent.sock', flags: ['SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'] };
    const r = seccompProfile(notify, 'x86_64');
    expect(r.profile).toBe('default allow\narch x86_64\narch x86\narch x32\nflag wait_killable_recv\nlistener\nrule mkdir notify\n');
    expect(r.listenerPath).toBe('/run/agent.sock');
    expect(seccompProfile({ ...notify, listenerPath: '' , syscalls: [] }, 'x86_64').listenerPath).toBeUndefined();
    expect(refusal(rule({ action: 'SCMP_ACT_NOTIFY' }))).toBe('invalid config.json: linux.seccomp: SCMP_ACT_NOTIFY needs listenerPath');
    expect(refusal({ ...notify, listenerPath: 'agent.sock' })).toBe('invalid config.json: linux.seccomp.listenerPath: agent.sock is not an absolute path');
    expect(refusal({ defaultAction: 'SCMP_ACT_NOTIFY', listenerPath: '/run/agent.sock' })).toBe(
      'invalid config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action',
    );
    expect(refusal({ ...notify, syscalls: [{ names: ['mkdir', 'sendmsg'], action: 'SCMP_ACT_NOTIFY' }] })).toMatch(/syscalls\[0\]: SCMP_ACT_NOTIFY cannot be used for sendmsg/);
    let err: unknown;
    try {
      seccompProfile(notify, 'x86_64', false);
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(/^invalid config.json: linux.seccomp.listenerPath: a seccomp agent needs process.noNewPrivileges/);
    expect(refusal(rule({ action: 'SCMP_ACT_NOPE' as Syscall['action'] }))).toBe('invalid config.json: linux.seccomp.syscalls[0]: unknown action SCMP_ACT_NOPE');
    expect(refusal({ defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_NOPE' as 'SECCOMP_FILTER_FLAG_LOG'] })).toBe(
      'invalid config.json: linux.seccomp.flags: unknown flag SECCOMP_FILTER_FLAG_NOPE',
    );
    expect(
      lines({
        defaultAction: 'SCMP_ACT_ALLOW',
        flags: ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV', 'SECCOMP_FILTER_FLAG_LOG'],
      }),
    ).toEqual(['default allow', ...X86_64, 'flag tsync', 'flag log', 'flag spec_allow']);
    expect(refusal(rule({ errnoRet: 65536 }))).toMatch(/syscalls\[0\]: 65536 is not an errno value/);
    expect(refusal({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 70000 })).toMatch(/defaultAction: 70000 is not an errno value/);
    expect(refusal(rule({ args: [{ index: 6, value: 0, op: 'SCMP_CMP_EQ' }] }))).toMatch(/syscalls\[0\].args\[0\]: index 6 is not a syscall argument/);
    expect(
      refusal(
        rule({
          args: [
            { index: 0, value: 7, op: 'SCMP_CMP_GE' },
            { index: 0, value: 9, op: 'SCMP_CMP_LE' },
          ],
        }),
      ),
    ).toMatch(/syscalls\[0\].args\[1\]: a second condition on argument 0/);
    expect(refusal(rule({ args: [{ index: 0, value: 2 ** 60, op: 'SCMP_CMP_EQ' }] }))).toMatch(/is not a 64-bit value JSON can carry exactly/);
  });

  it('takes the podman default profile', () => {
    let podman: { syscalls: Array<Syscall & { includes?: unknown; excludes?: unknown }> } & Seccomp;
    try {
      podman = JSON.parse(readFileSync('/usr/share/containers/seccomp.json', 'utf8'));
    } catch {
      return; // containers-common is not installed
    }
    const s: Seccomp = {
      defaultAction: podman.defaultAction,
      defaultErrnoRet: podman.defaultErrnoRet,
      syscalls: podman.syscalls.map(({ names, action, errnoRet, args }) => ({ names, action, errnoRet, args: args ?? undefined })),
    };
    const r = seccompProfile(s, 'x86_64');
    expect(r.profile.split('\n').slice(0, 4)).toEqual([`default errno:${podman.defaultErrnoRet ?? 1}`, ...X86_64]);
    expect(r.profile).toContain('\nrule read allow\n');
  });

  it('features lists what the table supports', () => {
    const f = seccompSupport();
    expect(f.actions).toEqual([
      'SCMP_ACT_ALLOW', 'SCMP_ACT_ERRNO', 'SCMP_ACT_KILL', 'SCMP_ACT_KILL_THREAD', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_TRAP', 'SCMP_ACT_TRACE', 'SCMP_ACT_LOG', 'SCMP_ACT_NOTIFY',
    ]);
    expect(f.supportedFlags).toEqual(f.knownFlags);
    expect(f.operators).toHaveLength(7);
    for (const action of f.actions.filter((a) => a !== 'SCMP_ACT_NOTIFY')) expect(() => seccompProfile({ defaultAction: action }, 'x86_64')).not.toThrow();
  });
});

describe('translate with linux.seccomp', () => {
  const opts = {
    runtimeDir: '/run/lxcri/c1',
    libexecDir: '/usr/local/libexec/lxcri',
    cgroup: cgroupPaths('c1', undefined, 'lxcri-monitor.slice'),
    lxcLogLevel: 'warn',
    lsm: { apparmor: false, selinux: false },
    features: { apparmor: true, capabilities: true, cgroupDevices: true, seccomp: true },
  };
  const withSeccomp = (nnp: boolean, seccomp = true): Spec => {
    const s = sampleSpec();
    s.process!.noNewPrivileges = nnp;
    if (seccomp) s.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] };
    return s;
  };
  const run = (spec: Spec, seccompOn = true) =>
    translate({ path: '/bundle', spec, rootfs: ROOTFS }, { ...opts, features: { ...opts.features, seccomp: seccompOn } });
  const keep = (t: ReturnType<typeof run>): string | undefined => t.config.items.find(([k]) => k === 'lxc.cap.keep')?.[1];

  it('hands the profile to lxcri-init; liblxc gets none', () => {
    const t = run(withSeccomp(true));
    expect(t.init.seccomp).toMatch(/^default allow\n(arch \w+\n)*rule mkdir errno:1\n$/);
    expect(t.config.items.filter(([k]) => k.startsWith('lxc.seccomp'))).toEqual([]);
  });

  it('keeps CAP_SYS_ADMIN for lxcri-init (it unmounts its init dir; it loads the filter without no_new_privs)', () => {
    expect(keep(run(withSeccomp(true)))).toBe('5 6 7 8 10 21 29');
    expect(keep(run(withSeccomp(false)))).toBe('5 6 7 8 10 21 29');
    expect(keep(run(withSeccomp(false, false)))).toBe('5 6 7 8 10 21 29');
    const off = run(withSeccomp(false), false);
    expect(off.init.seccomp).toBeUndefined();
    expect(keep(off)).toBe('5 6 7 8 10 21 29');
  });
});
