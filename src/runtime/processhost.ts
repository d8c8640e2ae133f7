// Who starts the runtime's helpers (liblxc's monitor lxcri-start, lxcri-attach), and so
// whose descendants they and the container's processes are. A call run in-process starts
// them itself (LocalHost). A call served by the lxcri service has them started by its
// client (src/service/clienthost.ts): conmon must remain the ancestor of the container's
// init and of an exec'd process, exactly as when it runs lxcri directly.
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { lxc } from '../base/native.js';

/** node:child_process, loaded when a helper is started: every CLI call loads this module,
 * few start a helper, and loading it costs ~2 ms. (A literal require in the bundle; the
 * library's ES modules have none.) */
const childProcess = (): typeof import('node:child_process') =>
  (typeof require === 'function' ? require('node:child_process') : createRequire(import.meta.url)('node:child_process')) as typeof import('node:child_process');

/** How a helper ended, as Node reports a child's exit. */
export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What to start. */
export interface SpawnSpec {
  /** Absolute path of the program; argv[0] is the path too. */
  file: string;
  args: string[];
  /** Its working directory (default: the host's). */
  cwd?: string;
  env: Readonly<Record<string, string>>;
  /** Our fds that become its fds 0..n-1, in order ('ignore': /dev/null). */
  fds: ReadonlyArray<number | 'ignore'>;
  /** In a new session (the monitor: no signal of the caller's terminal reaches it). */
  setsid?: boolean;
  /**
   * The processes it leaves behind become the host's children (PR_SET_CHILD_SUBREAPER while
   * it runs): a library user can then reap a detached exec'd process. A client of the
   * service lets them go to its own nearest subreaper (conmon), as runc does.
   */
  adoptOrphans?: boolean;
}

/** A started helper. */
export interface HostChild {
  readonly pid: number;
  /** Its end, once the host has reaped it. */
  readonly ended: Promise<ChildEnd>;
  /** Signals it if it has not been reaped yet. */
  kill(signal: NodeJS.Signals): void;
}

export interface ProcessHost {
  /** The caller's stdin, stdout and stderr: what a container or process inherits. */
  readonly stdio: readonly [number, number, number];
  /**
   * The caller's fds that --preserve-fds passes on as fds 3..3+count-1: this process's own
   * 3.. in-process, the ones the client sent for a call the service serves.
   */
  preservedFds(count: number): number[];
  /** Starts `spec`; rejects when it cannot be started. */
  spawn(spec: SpawnSpec): Promise<HostChild>;
  /**
   * False when the caller's terminal and signals are not this process's (the service):
   * relaying a pty or adopting the init must then run in the caller's own process.
   */
  readonly ownsCaller: boolean;
}

/** The process itself starts the helpers: the CLI run in-process, and the library. */
export const localHost: ProcessHost = {
  ownsCaller: true,
  stdio: [0, 1, 2],
  preservedFds: (count) => Array.from({ length: count }, (_, i) => 3 + i),
  spawn: (spec) => {
    const adopting = spec.adoptOrphans === true;
    const was = adopting ? lxc().childSubreaper(true) : true;
    const child = childProcess().spawn(spec.file, spec.args, { cwd: spec.cwd, detached: spec.setsid === true, stdio: [...spec.fds], env: { ...spec.env } });
    const ended = new Promise<ChildEnd>((res) =>
      child.once('exit', (code, signal) => {
        if (!was) lxc().childSubreaper(false);
        res({ code, signal });
      }),
    );
    return new Promise<HostChild>((res, rej) => {
      child.once('spawn', () => res({ pid: child.pid!, ended, kill: (sig) => void child.kill(sig) }));
      child.once('error', (err) => {
        if (!was) lxc().childSubreaper(false);
        rej(err);
      });
    });
  },
};

const signalNames = new Map<number, NodeJS.Signals>(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/** A raw wait status as Node reports a child's end. */
export function childEndOf(status: number): ChildEnd {
  const sig = status & 0x7f;
  if (sig === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: null, signal: signalNames.get(sig) ?? 'SIGKILL' };
}
