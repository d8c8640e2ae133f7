// linux.seccomp → a liblxc seccomp policy (version 2), the file lxc.seccomp.profile names.
//
// The format, as liblxc 5.0.2 parses it (src/lxc/seccomp.c, parse_config_v2):
//   line 1   "2"
//   line 2   "allowlist <default action>" or "denylist <default action>"
//   then     "[<arch>]" section headers and one rule per line:
//            "<syscall> <action>[ [<index>,<value>,<op>]…]": the conditions of one line are
//            ANDed into one rule, at most one per argument (libseccomp's limit); for
//            SCMP_CMP_MASKED_EQ "[<index>,<datum>,SCMP_CMP_MASKED_EQ,<mask>]".
//   actions  allow, kill (= SCMP_ACT_KILL_THREAD), trap, errno <n>, notify.
// A section header only decides whether the rules below it apply on this machine; liblxc
// adds every rule to the native architecture and to its compat architectures (x86 and
// x32 on x86_64, arm on arm64, …) itself. Syscall names libseccomp does not know are
// skipped by liblxc (logged at INFO level), so they never fail the start.
import { RuntimeError } from '../runtime/errors.js';

export type SeccompAction =
  | 'SCMP_ACT_KILL'
  | 'SCMP_ACT_KILL_PROCESS'
  | 'SCMP_ACT_KILL_THREAD'
  | 'SCMP_ACT_TRAP'
  | 'SCMP_ACT_ERRNO'
  | 'SCMP_ACT_TRACE'
  | 'SCMP_ACT_ALLOW'
  | 'SCMP_ACT_LOG'
  | 'SCMP_ACT_NOTIFY';

export type SeccompOperator =
  | 'SCMP_CMP_NE'
  | 'SCMP_CMP_LT'
  | 'SCMP_CMP_LE'
  | 'SCMP_CMP_EQ'
  | 'SCMP_CMP_GE'
  | 'SCMP_CMP_GT'
  | 'SCMP_CMP_MASKED_EQ';

export type SeccompFlag =
  | 'SECCOMP_FILTER_FLAG_TSYNC'
  | 'SECCOMP_FILTER_FLAG_LOG'
  | 'SECCOMP_FILTER_FLAG_SPEC_ALLOW'
  | 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV';

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

interface ArchFamily {
  /** liblxc's section name for the native architecture. */
  section: string;
  /** The SCMP_ARCH_* values liblxc filters on such a machine (native and compat). */
  arches: string[];
}

/**
 * uname machine (os.machine()) → liblxc's native section and the architectures it covers
 * there, following liblxc's get_hostarch() and its compat contexts.
 */
export function archFamily(machine: string): ArchFamily | undefined {
  if (machine === 'x86_64') return { section: 'x86_64', arches: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'] };
  if (machine === 'i686') return { section: 'x86', arches: ['SCMP_ARCH_X86'] };
  if (machine.startsWith('armv7')) return { section: 'arm', arches: ['SCMP_ARCH_ARM'] };
  if (machine.startsWith('aarch64')) return { section: 'arm64', arches: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'] };
  if (machine.startsWith('ppc64le')) return { section: 'ppc64le', arches: ['SCMP_ARCH_PPC64LE'] };
  if (machine.startsWith('ppc64')) return { section: 'ppc64', arches: ['SCMP_ARCH_PPC64', 'SCMP_ARCH_PPC'] };
  if (machine.startsWith('ppc')) return { section: 'ppc', arches: ['SCMP_ARCH_PPC'] };
  if (machine.startsWith('mips64')) {
    return {
      section: 'mips64',
      arches: ['SCMP_ARCH_MIPS64', 'SCMP_ARCH_MIPS64N32', 'SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPSEL64', 'SCMP_ARCH_MIPSEL64N32', 'SCMP_ARCH_MIPSEL'],
    };
  }
  if (machine.startsWith('mips')) return { section: 'mips', arches: ['SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPSEL'] };
  if (machine.startsWith('s390x')) return { section: 's390x', arches: ['SCMP_ARCH_S390X'] };
  if (machine.startsWith('s390')) return { section: 's390', arches: ['SCMP_ARCH_S390'] };
  return undefined;
}

const refuse = (where: string, why: string): RuntimeError =>
  new RuntimeError('invalid-spec', `invalid config.json: linux.seccomp${where}: ${why}`);

function errnoValue(where: string, ret: number | undefined): number {
  if (ret === undefined) return EPERM;
  if (!Number.isInteger(ret) || ret < 0 || ret > MAX_ERRNO_RET) {
    throw refuse(where, `${ret} is not an errno value seccomp can return (0 to ${MAX_ERRNO_RET})`);
  }
  return ret;
}

/** The liblxc action token for an OCI action, or a refusal. */
function actionToken(where: string, action: SeccompAction, errnoRet: number | undefined): string {
  switch (action) {
    case 'SCMP_ACT_ALLOW':
      return 'allow';
    case 'SCMP_ACT_ERRNO':
      return `errno ${errnoValue(where, errnoRet)}`;
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD':
      return 'kill';
    case 'SCMP_ACT_TRAP':
      return 'trap';
    case 'SCMP_ACT_KILL_PROCESS':
      throw refuse(where, `${action} is not supported by liblxc (it only kills the thread: SCMP_ACT_KILL_THREAD)`);
    case 'SCMP_ACT_LOG':
      throw refuse(where, `${action} is not supported by liblxc`);
    case 'SCMP_ACT_TRACE':
      throw refuse(where, `${action} is not supported by liblxc`);
    case 'SCMP_ACT_NOTIFY':
      throw refuse(where, `${action} is not supported (liblxc's seccomp notifier speaks its own proxy protocol, not the OCI listenerPath one)`);
    default:
      throw refuse(where, `unknown action ${String(action)}`);
  }
}

const OPERATORS: ReadonlySet<string> = new Set([
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
]);

function argValue(where: string, v: number | undefined): string {
  const n = v ?? 0;
  // JSON numbers beyond 2^53 have already lost their low bits: refuse rather than guess.
  if (!Number.isSafeInteger(n) || n < 0) throw refuse(where, `${n} is not a 64-bit value JSON can carry exactly (0 to 2^53-1)`);
  return String(n);
}

/** "[i,v,op]" conditions; all of them on one line, which liblxc ANDs into one rule. */
function conditions(where: string, args: SyscallArg[]): string {
  const seen = new Set<number>();
  return args
    .map((a, i) => {
      const at = `${where}.args[${i}]`;
      if (!Number.isInteger(a.index) || a.index < 0 || a.index >= MAX_ARGS) throw refuse(at, `index ${a.index} is not a syscall argument (0 to 5)`);
      // libseccomp cannot AND two conditions on one argument (it fails the start with
      // EINVAL); runc ORs them into separate rules instead, which changes their meaning.
      if (seen.has(a.index)) throw refuse(at, `a second condition on argument ${a.index} of the same rule is not supported by libseccomp`);
      seen.add(a.index);
      if (!OPERATORS.has(a.op)) throw refuse(at, `unknown operator ${String(a.op)}`);
      // OCI (like libseccomp's SCMP_CMP) has the mask in value and the datum in valueTwo;
      // liblxc reads "[index,datum,op,mask]".
      if (a.op === 'SCMP_CMP_MASKED_EQ') return `[${a.index},${argValue(at, a.valueTwo)},${a.op},${argValue(at, a.value)}]`;
      return `[${a.index},${argValue(at, a.value)},${a.op}]`;
    })
    .join('');
}

const SYSCALL_NAME = /^[A-Za-z0-9_]+$/;

export function seccompProfile(seccomp: Seccomp, nativeArch: string): { profile: string; warnings: string[] } {
  const warnings: string[] = [];

  if (seccomp.listenerPath !== undefined && seccomp.listenerPath !== '') {
    throw refuse('.listenerPath', 'seccomp user notification is not supported (liblxc only speaks its own proxy protocol)');
  }
  for (const flag of seccomp.flags ?? []) {
    switch (flag) {
      // The filter is loaded by the container's single-threaded init: nothing to sync.
      case 'SECCOMP_FILTER_FLAG_TSYNC':
      // Only changes how a notify listener's waits end; there is no listener (refused above).
      case 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV':
        break;
      default:
        throw refuse('.flags', `${String(flag)} is not supported by liblxc`);
    }
  }

  const defaultToken = actionToken('.defaultAction', seccomp.defaultAction, seccomp.defaultErrnoRet);

  const family = archFamily(nativeArch);
  const listed = seccomp.architectures ?? [];
  if (listed.length > 0 && !listed.some((a) => family?.arches.includes(a))) {
    warnings.push(
      `linux.seccomp.architectures (${listed.join(', ')}) does not include this machine's architecture (${nativeArch}); the rules are applied to it all the same`,
    );
  }

  const lines = ['2', `${seccomp.defaultAction === 'SCMP_ACT_ALLOW' ? 'denylist' : 'allowlist'} ${defaultToken}`];
  // Without a known native section liblxc would skip every rule; "[all]" applies them.
  lines.push(`[${family?.section ?? 'all'}]`);

  const skipped = new Set<string>();
  (seccomp.syscalls ?? []).forEach((sc, i) => {
    const where = `.syscalls[${i}]`;
    const token = actionToken(where, sc.action, sc.errnoRet);
    const args = conditions(where, sc.args ?? []);
    // libseccomp refuses a rule whose action is the default action; such a rule changes nothing.
    if (token === defaultToken) return;
    for (const name of sc.names) {
      if (!SYSCALL_NAME.test(name) || name.startsWith('reject_force_umount')) {
        skipped.add(name);
        continue;
      }
      lines.push(args ? `${name} ${token} ${args}` : `${name} ${token}`);
    }
  });
  if (skipped.size > 0) {
    warnings.push(`linux.seccomp: not system call names, skipped: ${[...skipped].map((n) => JSON.stringify(n)).join(', ')}`);
  }
  return { profile: `${lines.join('\n')}\n`, warnings };
}
