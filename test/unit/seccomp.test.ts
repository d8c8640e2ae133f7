// Unit tests of linux.seccomp → liblxc seccomp policy (v2).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { archFamily, seccompProfile, type Seccomp, type Syscall } from '../../src/lxc/seccomp.js';
import { RuntimeError } from '../../src/runtime/errors.js';

const lines = (s: Seccomp, arch = 'x86_64'): string[] => seccompProfile(s, arch).profile.trimEnd().split('\n');

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
    expect(lines(s)).toEqual(['2', 'allowlist errno 1', '[x86_64]', ...allow.map((n) => `${n} allow`), 'bdflush errno 38']);
    expect(lines({ ...s, defaultErrnoRet: 38 })[1]).toBe('allowlist errno 38');
    expect(lines({ ...s, defaultErrnoRet: 0 })[1]).toBe('allowlist errno 0');
    expect(seccompProfile(s, 'x86_64').warnings).toEqual([]);
  });

  it('renders an ALLOW default with a few denials, kill and trap', () => {
    const s: Seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [
        { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' },
        { names: ['chmod'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
        { names: ['reboot'], action: 'SCMP_ACT_KILL' },
        { names: ['kexec_load'], action: 'SCMP_ACT_KILL_THREAD' },
        { names: ['swapon'], action: 'SCMP_ACT_TRAP' },
      ],
    };
    expect(lines(s)).toEqual([
      '2',
      'denylist allow',
      '[x86_64]',
      'mkdir errno 1',
      'mkdirat errno 1',
      'chmod errno 13',
      'reboot kill',
      'kexec_load kill',
      'swapon trap',
    ]);
    expect(lines({ defaultAction: 'SCMP_ACT_KILL', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] })).toEqual([
      '2',
      'allowlist kill',
      '[x86_64]',
      'read allow',
    ]);
  });

  it('keeps the conditions of a rule on one line (ANDed), MASKED_EQ as datum then mask', () => {
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
    expect(lines(s).slice(3)).toEqual([
      'socket errno 1 [0,16,SCMP_CMP_EQ][2,9,SCMP_CMP_EQ]',
      'clone errno 1 [0,0,SCMP_CMP_MASKED_EQ,2114060288]',
      'kill errno 1 [0,1,SCMP_CMP_NE][1,2,SCMP_CMP_LT][2,3,SCMP_CMP_LE][3,4,SCMP_CMP_GE][4,5,SCMP_CMP_GT][5,4294967295,SCMP_CMP_EQ]',
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
    expect(lines(s).slice(3)).toEqual(['b errno 1', 'c allow']);
    expect(lines({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] })).toEqual([
      '2',
      'denylist allow',
      '[x86_64]',
    ]);
  });

  it('writes one section for the native architecture, whatever is listed', () => {
    const s = (architectures?: string[]): Seccomp => ({ defaultAction: 'SCMP_ACT_ALLOW', architectures, syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] });
    for (const a of [undefined, [], ['SCMP_ARCH_X86'], ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64']]) {
      const r = seccompProfile(s(a), 'x86_64');
      expect(r.profile).toBe('2\ndenylist allow\n[x86_64]\nmkdir errno 1\n');
      expect(r.warnings).toEqual([]);
      expect(r.profile).not.toContain('[]');
    }
    expect(lines(s(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']), 'aarch64')[2]).toBe('[arm64]');
    expect(lines(s(), 'riscv64')[2]).toBe('[all]');
    const foreign = seccompProfile(s(['SCMP_ARCH_AARCH64']), 'x86_64');
    expect(foreign.profile).toContain('[x86_64]\nmkdir errno 1');
    expect(foreign.warnings).toEqual([expect.stringContaining("does not include this machine's architecture (x86_64)")]);
  });

  it('maps uname machines to liblxc sections', () => {
    expect(archFamily('x86_64')?.section).toBe('x86_64');
    expect(archFamily('i686')?.section).toBe('x86');
    expect(archFamily('aarch64')?.section).toBe('arm64');
    expect(archFamily('armv7l')?.section).toBe('arm');
    expect(archFamily('ppc64le')?.section).toBe('ppc64le');
    expect(archFamily('s390x')?.section).toBe('s390x');
    expect(archFamily('riscv64')).toBeUndefined();
  });

  it('skips what cannot be a syscall name, with a warning', () => {
    const r = seccompProfile(
      { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'bad name', '#x', 'reject_force_umount', 'no_such_syscall'], action: 'SCMP_ACT_ERRNO' }] },
      'x86_64',
    );
    // Names libseccomp does not know are left to liblxc, which skips them.
    expect(r.profile).toBe('2\ndenylist allow\n[x86_64]\nmkdir errno 1\nno_such_syscall errno 1\n');
    expect(r.warnings).toEqual(['linux.seccomp: not system call names, skipped: "bad name", "#x", "reject_force_umount"']);
  });

  it('refuses what liblxc cannot express', () => {
    const rule = (r: Partial<Syscall>): Seccomp => ({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', ...r }] });
    for (const action of ['SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_LOG', 'SCMP_ACT_TRACE', 'SCMP_ACT_NOTIFY'] as const) {
      expect(refusal(rule({ action }))).toMatch(new RegExp(`^invalid config.json: linux.seccomp.syscalls\\[0\\]: ${action} is not supported`));
      expect(refusal({ defaultAction: action })).toMatch(new RegExp(`^invalid config.json: linux.seccomp.defaultAction: ${action} is not supported`));
    }
    expect(refusal({ defaultAction: 'SCMP_ACT_ALLOW', listenerPath: '/run/seccomp.sock' })).toMatch(/^invalid config.json: linux.seccomp.listenerPath: /);
    expect(refusal({ defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_LOG'] })).toBe(
      'invalid config.json: linux.seccomp.flags: SECCOMP_FILTER_FLAG_LOG is not supported by liblxc',
    );
    expect(refusal({ defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_SPEC_ALLOW'] })).toMatch(/SPEC_ALLOW is not supported/);
    expect(lines({ defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_TSYNC'] })).toEqual(['2', 'denylist allow', '[x86_64]']);
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
    expect(r.profile.split('\n').slice(0, 3)).toEqual(['2', `allowlist errno ${podman.defaultErrnoRet ?? 1}`, '[x86_64]']);
    expect(r.profile).toContain('\nread allow\n');
  });
});
