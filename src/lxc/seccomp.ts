// linux.seccomp → the profile lxcri-init compiles with libseccomp (libexec/seccompfilter.c)
// into the filter it loads right before it execs the process, as runc and crun do:
// liblxc loads none, so a profile only has to allow what the process itself needs.
//
// The profile, one directive a line:
//   default ACTION
//   arch NAME                      every architecture of this machine (native and compat)
//   flag log|spec_allow|tsync|wait_killable_recv
//   listener                       hand a notification fd to the agent at listenerPath
//   rule SYSCALL ACTION [INDEX:OP:VALUE[:VALUE2]]...   the conditions ANDed
// ACTION is a token of SECCOMP_ACTIONS, "errno:N" and "trace:N" with their errnoRet.
// Syscall names libseccomp does not know are skipped by lxcri-init (as runc skips them).
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { errorMessage, invalidSpec, RuntimeError } from '../base/errors.js';
import { echo } from '../base/message.js';
import { ACTIONS_WITH_ERRNO, SECCOMP_ACTIONS, SECCOMP_FLAGS, SECCOMP_OPERATORS, type SeccompAction, type SeccompFlag, type SeccompOperator } from './seccompsupport.js';

export type { SeccompAction, SeccompFlag, SeccompOperator };

export interface SyscallArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: SeccompOperator;
}

export interface Syscall {
  names: string[];
  action: SeccompAction;
  errnoRet?: number;
  args?: SyscallArg[];
}

export interface Seccomp {
  defaultAction: SeccompAction;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: SeccompFlag[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: Syscall[];
}

const EPERM = 1;
/** SCMP_ACT_ERRNO keeps 16 bits: a larger errnoRet would silently become another errno. */
const MAX_ERRNO_RET = 0xffff;
/** Syscall arguments, and so conditions per rule (one per argument). */
const MAX_ARGS = 6;

/**
 * uname machine (os.machine()) → the SCMP_ARCH_* values the filter covers on it: the
 * native one and its compat architectures (x86 and x32 on x86_64, arm on arm64, ...),
 * whose syscalls the kernel also takes there.
 */
export function archFamily(machine: string): string[] | undefined {
  if (machine === 'x86_64') return ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'];
  if (/^i[3-6]86$/.test(machine)) return ['SCMP_ARCH_X86'];
  if (machine.startsWith('armv7')) return ['SCMP_ARCH_ARM'];
  if (machine.startsWith('aarch64')) return ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'];
  if (machine.startsWith('ppc64le')) return ['SCMP_ARCH_PPC64LE'];
  if (machine.startsWith('ppc64')) return ['SCMP_ARCH_PPC64', 'SCMP_ARCH_PPC'];
  if (machine.startsWith('ppc')) return ['SCMP_ARCH_PPC'];
  if (machine.startsWith('mips64')) {
    return ['SCMP_ARCH_MIPS64', 'SCMP_ARCH_MIPS64N32', 'SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPSEL64', 'SCMP_ARCH_MIPSEL64N32', 'SCMP_ARCH_MIPSEL'];
  }
  if (machine.startsWith('mips')) return ['SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPSEL'];
  if (machine.startsWith('s390x')) return ['SCMP_ARCH_S390X', 'SCMP_ARCH_S390'];
  if (machine.startsWith('s390')) return ['SCMP_ARCH_S390'];
  if (machine.startsWith('riscv64')) return ['SCMP_ARCH_RISCV64'];
  return undefined;
}

/** libseccomp's name of an SCMP_ARCH_* value (seccomp_arch_resolve_name). */
const libseccompArch = (arch: string): string => arch.slice('SCMP_ARCH_'.length).toLowerCase();

const refuse = (where: string, why: string): RuntimeError =>
  invalidSpec(`linux.seccomp${where}: ${why}`);

function errnoValue(where: string, ret: number | undefined): number {
  if (ret === undefined) return EPERM;
  if (!Number.isInteger(ret) || ret < 0 || ret > MAX_ERRNO_RET) {
    throw refuse(where, `${ret} is not an errno value seccomp can return (0 to ${MAX_ERRNO_RET})`);
  }
  return ret;
}

/** The profile's token for an OCI action, or a refusal. */
function actionToken(where: string, action: SeccompAction, errnoRet: number | undefined): string {
  const support = Object.hasOwn(SECCOMP_ACTIONS, action) ? SECCOMP_ACTIONS[action] : undefined;
  if (support === undefined) throw refuse(where, `unknown action ${String(action)}`);
  if (support.refused !== undefined) throw refuse(where, `${action}: ${support.refused}`);
  return ACTIONS_WITH_ERRNO.has(action) ? `${support.token}:${errnoValue(where, errnoRet)}` : support.token;
}

function argValue(where: string, v: number | undefined): string {
  const n = v ?? 0;
  // JSON numbers beyond 2^53 have already lost their low bits: refuse rather than guess.
  if (!Number.isSafeInteger(n) || n < 0) throw refuse(where, `${n} is not a 64-bit value JSON can carry exactly (0 to 2^53-1)`);
  return String(n);
}

/** "INDEX:OP:VALUE[:VALUE2]" conditions, which lxcri-init ANDs into one rule. */
function conditions(where: string, args: SyscallArg[]): string[] {
  const seen = new Set<number>();
  return args
    .map((a, i) => {
      const at = `${where}.args[${i}]`;
      if (!Number.isInteger(a.index) || a.index < 0 || a.index >= MAX_ARGS) throw refuse(at, `index ${a.index} is not a syscall argument (0 to 5)`);
      // libseccomp cannot AND two conditions on one argument (it fails the start with
      // EINVAL); runc ORs them into separate rules instead, which changes their meaning.
      if (seen.has(a.index)) throw refuse(at, `a second condition on argument ${a.index} of the same rule is not supported by libseccomp`);
      seen.add(a.index);
      if (!Object.hasOwn(SECCOMP_OPERATORS, a.op)) throw refuse(at, `unknown operator ${String(a.op)}`);
      const op = SECCOMP_OPERATORS[a.op];
      // OCI, like libseccomp's SCMP_CMP, has MASKED_EQ's mask in value and its datum in valueTwo.
      if (a.op === 'SCMP_CMP_MASKED_EQ') return `${a.index}:${op}:${argValue(at, a.value)}:${argValue(at, a.valueTwo)}`;
      return `${a.index}:${op}:${argValue(at, a.value)}`;
    });
}

const SYSCALL_NAME = /^[A-Za-z0-9_]+$/;

export interface SeccompProfile {
  profile: string;
  warnings: string[];
  /** The seccomp agent's socket (listenerPath), when there is one. */
  listenerPath?: string;
}

/** What lxcri-init calls between loading a filter with a listener and the exec: a NOTIFY
 * rule on it would wait for an agent that does not have the fd yet. */
const HANDOVER_SYSCALLS = ['sendmsg'];

/** `noNewPrivileges`: the process's; the filter's load point depends on it (libexec/lxcri-init.c). */
export function seccompProfile(seccomp: Seccomp, nativeArch: string, noNewPrivileges = true): SeccompProfile {
  const warnings: string[] = [];

  const listenerPath = seccomp.listenerPath === '' ? undefined : seccomp.listenerPath;
  if (listenerPath !== undefined && !isAbsolute(listenerPath)) throw refuse('.listenerPath', `${listenerPath} is not an absolute path`);
  // Without no_new_privs the filter is loaded before the identity change, long before the
  // start, when lxcri-init has the state (with the PID) to send with the fd.
  if (listenerPath !== undefined && !noNewPrivileges) {
    throw refuse('.listenerPath', 'a seccomp agent needs process.noNewPrivileges (without it the filter is loaded before the identity change, long before lxcri-init can hand its fd to the agent)');
  }
  // The spec: a runtime MUST refuse NOTIFY without a listener (nobody would answer).
  const notifies = seccomp.defaultAction === 'SCMP_ACT_NOTIFY' || (seccomp.syscalls ?? []).some((sc) => sc.action === 'SCMP_ACT_NOTIFY');
  if (notifies && listenerPath === undefined) throw refuse('', 'SCMP_ACT_NOTIFY needs listenerPath');
  // As runc: lxcri-init's own hand-over must not wait for the agent it hands the fd to.
  if (seccomp.defaultAction === 'SCMP_ACT_NOTIFY') throw refuse('.defaultAction', 'SCMP_ACT_NOTIFY cannot be the default action');
  (seccomp.syscalls ?? []).forEach((sc, i) => {
    const own = sc.action === 'SCMP_ACT_NOTIFY' ? sc.names.find((n) => HANDOVER_SYSCALLS.includes(n)) : undefined;
    if (own) throw refuse(`.syscalls[${i}]`, `SCMP_ACT_NOTIFY cannot be used for ${own} (lxcri-init sends the agent its fd with it)`);
  });
  const defaultToken = actionToken('.defaultAction', seccomp.defaultAction, seccomp.defaultErrnoRet);
  const lines = [`default ${defaultToken}`];

  const family = archFamily(nativeArch);
  const listed = seccomp.architectures ?? [];
  if (listed.length > 0 && !listed.some((a) => family?.includes(a))) {
    warnings.push(
      `linux.seccomp.architectures (${listed.join(', ')}) does not include this machine's architecture (${nativeArch}); the rules are applied to it all the same`,
    );
  }
  // Without a known family libseccomp's native architecture alone.
  for (const arch of family ?? []) lines.push(`arch ${libseccompArch(arch)}`);

  for (const flag of new Set(seccomp.flags ?? [])) {
    const support = Object.hasOwn(SECCOMP_FLAGS, flag) ? SECCOMP_FLAGS[flag] : undefined;
    if (support === undefined) throw refuse('.flags', `unknown flag ${String(flag)}`);
    if (support.refused !== undefined) throw refuse('.flags', `${flag}: ${support.refused}`);
    if (flag === 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV' && listenerPath === undefined) continue;
    lines.push(`flag ${support.token}`);
  }
  if (listenerPath !== undefined) lines.push('listener');

  (seccomp.syscalls ?? []).forEach((sc, i) => {
    const where = `.syscalls[${i}]`;
    const token = actionToken(where, sc.action, sc.errnoRet);
    const args = conditions(where, sc.args ?? []);
    // libseccomp refuses a rule whose action is the default action; such a rule changes nothing.
    if (token === defaultToken) return;
    for (const name of sc.names) {
      // A rule meant to deny something must not vanish: a name no kernel can have (a
      // space, a line break) is a mistake, refused. Well-formed unknown names (a newer
      // kernel's) lxcri-init skips, as runc does.
      if (!SYSCALL_NAME.test(name)) throw refuse(where, `"${echo(name)}" is not a system call name (letters, digits and _ only)`);
      lines.push(['rule', name, token, ...args].join(' '));
    }
  });
  return { profile: `${lines.join('\n')}\n`, warnings, ...(listenerPath === undefined ? {} : { listenerPath }) };
}

/** listenerPath, checked to be a socket now rather than by a failing mount at start. */
export function agentSocket(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw refuse('.listenerPath', `${path}: ${errorMessage(err)}`);
  }
  if (!st.isSocket()) throw refuse('.listenerPath', `${path} is not a socket`);
  return path;
}
