// seccomp: linux.seccomp through liblxc's v2 policy, checked from inside real containers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Seccomp } from '../../src/lxc/seccomp.js';
import { podmanSeccomp } from '../helpers/podmanseccomp.js';
import { Env, leftovers, makeBundle, withArgs } from '../helpers/lxcri.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

/** What busybox sh and lxcri-init (which runs under the filter too) need. */
const BASE_ALLOW = [
  'read', 'write', 'readv', 'writev', 'open', 'openat', 'close', 'fstat', 'stat', 'lstat', 'newfstatat', 'statx',
  'execve', 'exit', 'exit_group', 'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'brk', 'mmap', 'munmap',
  'mprotect', 'arch_prctl', 'set_tid_address', 'set_robust_list', 'rseq', 'getpid', 'getppid', 'gettid', 'getuid',
  'geteuid', 'getgid', 'getegid', 'ioctl', 'fcntl', 'dup2', 'dup3', 'wait4', 'clone', 'clone3', 'fork', 'vfork',
  'uname', 'socket', 'connect', 'sendto', 'sendmsg', 'access', 'faccessat', 'faccessat2', 'getcwd', 'chdir',
  'prctl', 'getrandom', 'pipe', 'pipe2', 'lseek', 'readlink', 'readlinkat', 'getdents64', 'kill', 'getpgrp',
  'setpgid', 'futex', 'prlimit64', 'close_range', 'umask', 'sysinfo', 'nanosleep', 'clock_nanosleep',
  // liblxc loads the filter before lxcri-init, which then takes the process's identity.
  'setgroups', 'setresgid', 'setresuid', 'capget', 'capset',
];

const withSeccomp = (seccomp: Seccomp, ...args: string[]) => (s: Parameters<ReturnType<typeof withArgs>>[0]): void => {
  withArgs(...args)(s);
  s.linux!.seccomp = seccomp as unknown as Record<string, unknown>;
};

async function run(id: string, seccomp: Seccomp, ...args: string[]) {
  const r = await env.run(['run', '--bundle', makeBundle(env, id, withSeccomp(seccomp, ...args)), id]);
  expect(leftovers(env, id)).toEqual([]);
  return r;
}

describe('seccomp', () => {
  it('a denied syscall returns the errno of the rule', async () => {
    const deny = (errnoRet?: number): Seccomp => ({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', ...(errnoRet === undefined ? {} : { errnoRet }) }],
    });
    const script = 'mkdir /tmp/d; echo "status $?"; touch /tmp/f && echo touched';
    const eperm = await run('sc-eperm', deny(), 'sh', '-c', script);
    expect(eperm.stderr).toBe("mkdir: can't create directory '/tmp/d': Operation not permitted\n");
    expect(eperm.stdout).toBe('status 1\ntouched\n');
    expect(eperm.code).toBe(0);
    const eacces = await run('sc-eacces', deny(13), 'sh', '-c', script);
    expect(eacces.stderr).toBe("mkdir: can't create directory '/tmp/d': Permission denied\n");
    expect(eacces.stdout).toBe('status 1\ntouched\n');
  });

  it('an ERRNO default with an allow list: EPERM, or defaultErrnoRet', async () => {
    const s = (defaultErrnoRet?: number): Seccomp => ({
      defaultAction: 'SCMP_ACT_ERRNO',
      ...(defaultErrnoRet === undefined ? {} : { defaultErrnoRet }),
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
      syscalls: [{ names: BASE_ALLOW, action: 'SCMP_ACT_ALLOW' }],
    });
    const script = 'echo hello; mkdir /tmp/d 2>&1; echo end';
    const r = await run('sc-allow', s(), 'sh', '-c', script);
    expect(r.stdout).toBe("hello\nmkdir: can't create directory '/tmp/d': Operation not permitted\nend\n");
    expect(r.code).toBe(0);
    const enosys = await run('sc-allow38', s(38), 'sh', '-c', script);
    expect(enosys.stdout).toBe("hello\nmkdir: can't create directory '/tmp/d': Function not implemented\nend\n");
  });

  it('the conditions of one rule are ANDed; MASKED_EQ takes the mask from value', async () => {
    const s: Seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [
        // kill(1, 0) only: pid 1 AND signal 0
        {
          names: ['kill'],
          action: 'SCMP_ACT_ERRNO',
          errnoRet: 13,
          args: [
            { index: 0, value: 1, op: 'SCMP_CMP_EQ' },
            { index: 1, value: 0, op: 'SCMP_CMP_EQ' },
          ],
        },
        // personality(x) with (x & 0xff) == PER_LINUX32
        { names: ['personality'], action: 'SCMP_ACT_ERRNO', errnoRet: 13, args: [{ index: 0, value: 0xff, valueTwo: 8, op: 'SCMP_CMP_MASKED_EQ' }] },
      ],
    };
    const script = [
      'sleep 10 & kill -0 $! && echo child-sig0-ok',
      'kill -0 1 2>/dev/null || echo pid1-sig0-denied',
      'kill -CONT 1 && echo pid1-cont-ok',
      'kill $!',
      'linux64 true && echo linux64-ok',
      'linux32 true 2>/dev/null || echo linux32-denied',
    ].join('; ');
    const r = await run('sc-and', s, 'sh', '-c', script);
    expect(r.stdout).toBe('child-sig0-ok\npid1-sig0-denied\npid1-cont-ok\nlinux64-ok\nlinux32-denied\n');
    expect(r.code).toBe(0);
  });

  it('kill and trap end the process with SIGSYS', async () => {
    for (const action of ['SCMP_ACT_KILL', 'SCMP_ACT_TRAP'] as const) {
      const id = `sc-${action.slice(9).toLowerCase()}`;
      const r = await run(id, { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action }] }, 'sh', '-c', 'mkdir /tmp/d; echo "status $?"');
      expect(r.stdout).toBe('status 159\n'); // 128 + SIGSYS
    }
  });

  it('a syscall name libseccomp does not know does not break the start', async () => {
    const r = await run(
      'sc-unknown',
      { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['no_such_syscall', 'mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }] },
      'sh', '-c', 'mkdir /tmp/d 2>&1; echo end',
    );
    expect(r.stdout).toBe("mkdir: can't create directory '/tmp/d': Permission denied\nend\n");
    expect(r.code).toBe(0);
  });

  it('the podman default profile runs busybox', async () => {
    const profile = podmanSeccomp(['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE']); // the sample's bounding set
    if (!profile) return;
    const s = profile as unknown as Seccomp;
    const r = await run('sc-podman', s, 'sh', '-c', 'echo hi; mkdir /tmp/d && echo mkdir-ok; swapoff /x 2>&1; echo end');
    expect(r.stdout).toBe("hi\nmkdir-ok\nswapoff: /x: Operation not permitted\nend\n");
    expect(r.code).toBe(0);
  });

  it('a construct liblxc cannot express fails create with one line and leaves nothing', async () => {
    for (const [id, seccomp, msg] of [
      ['sc-refuse-log', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_LOG' }] }, 'linux.seccomp.syscalls[0]: SCMP_ACT_LOG is not supported by liblxc'],
      ['sc-refuse-notify', { defaultAction: 'SCMP_ACT_ALLOW', listenerPath: '/run/x.sock' }, 'linux.seccomp.listenerPath: '],
    ] as const) {
      const r = await env.run(['create', '--bundle', makeBundle(env, id, withSeccomp(seccomp as Seccomp, 'true')), id]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toContain(`lxcri: invalid config.json: ${msg}`);
      expect(leftovers(env, id)).toEqual([]);
    }
  });
});
