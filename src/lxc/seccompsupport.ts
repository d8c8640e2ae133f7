// The one table of linux.seccomp support: what the translator (seccomp.ts) writes for
// lxcri-init's filter compiler (libexec/seccompfilter.c, libseccomp) and what `lxcri features`
// reports. An entry with `refused` is refused at create with that reason.

interface Supported {
  /** The token of lxcri-init's profile. */
  token: string;
  refused?: undefined;
}
interface Refused {
  token?: undefined;
  refused: string;
}
type Support = Supported | Refused;

export type SeccompAction =
  | 'SCMP_ACT_ALLOW'
  | 'SCMP_ACT_ERRNO'
  | 'SCMP_ACT_KILL'
  | 'SCMP_ACT_KILL_THREAD'
  | 'SCMP_ACT_KILL_PROCESS'
  | 'SCMP_ACT_TRAP'
  | 'SCMP_ACT_TRACE'
  | 'SCMP_ACT_LOG'
  | 'SCMP_ACT_NOTIFY';

/** Actions; ERRNO and TRACE take errnoRet (EPERM without it, as runc). */
export const SECCOMP_ACTIONS: Readonly<Record<SeccompAction, Support>> = {
  SCMP_ACT_ALLOW: { token: 'allow' },
  SCMP_ACT_ERRNO: { token: 'errno' },
  // The spec's KILL is the thread, as libseccomp's SCMP_ACT_KILL.
  SCMP_ACT_KILL: { token: 'kill_thread' },
  SCMP_ACT_KILL_THREAD: { token: 'kill_thread' },
  SCMP_ACT_KILL_PROCESS: { token: 'kill_process' },
  SCMP_ACT_TRAP: { token: 'trap' },
  // Without a tracer attached the kernel fails the call with ENOSYS.
  SCMP_ACT_TRACE: { token: 'trace' },
  SCMP_ACT_LOG: { token: 'log' },
  // Needs listenerPath: the agent gets the notification fd (see libexec/seccompfilter.c).
  SCMP_ACT_NOTIFY: { token: 'notify' },
};

/** The actions whose errnoRet is the value the call returns (or the tracer's message). */
export const ACTIONS_WITH_ERRNO: ReadonlySet<SeccompAction> = new Set(['SCMP_ACT_ERRNO', 'SCMP_ACT_TRACE']);

export type SeccompFlag =
  | 'SECCOMP_FILTER_FLAG_TSYNC'
  | 'SECCOMP_FILTER_FLAG_LOG'
  | 'SECCOMP_FILTER_FLAG_SPEC_ALLOW'
  | 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV';

/** seccomp(2) filter flags. */
export const SECCOMP_FLAGS: Readonly<Record<SeccompFlag, Support>> = {
  // lxcri-init is single-threaded: passed on all the same, the kernel accepts it.
  SECCOMP_FILTER_FLAG_TSYNC: { token: 'tsync' },
  SECCOMP_FILTER_FLAG_LOG: { token: 'log' },
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: { token: 'spec_allow' },
  // Only with a listener (the kernel refuses it without one); without, it changes nothing.
  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: { token: 'wait_killable_recv' },
};

/** Argument comparisons, all ANDed within a rule. */
export const SECCOMP_OPERATORS = {
  SCMP_CMP_NE: 'ne',
  SCMP_CMP_LT: 'lt',
  SCMP_CMP_LE: 'le',
  SCMP_CMP_EQ: 'eq',
  SCMP_CMP_GE: 'ge',
  SCMP_CMP_GT: 'gt',
  SCMP_CMP_MASKED_EQ: 'masked_eq',
} as const;

export type SeccompOperator = keyof typeof SECCOMP_OPERATORS;

const supported = <K extends string>(table: Record<K, Support>): K[] => (Object.keys(table) as K[]).filter((k) => table[k].refused === undefined);

/** What `lxcri features` lists. */
export const seccompSupport = (): { actions: SeccompAction[]; operators: SeccompOperator[]; knownFlags: SeccompFlag[]; supportedFlags: SeccompFlag[] } => ({
  actions: supported<SeccompAction>(SECCOMP_ACTIONS),
  operators: Object.keys(SECCOMP_OPERATORS) as SeccompOperator[],
  knownFlags: Object.keys(SECCOMP_FLAGS) as SeccompFlag[],
  supportedFlags: supported<SeccompFlag>(SECCOMP_FLAGS),
});
