// A terminal relayed by lxcri, as runc does for `exec -t` and `run` without a console
// socket: the process has a pty of its own (its stdio and controlling terminal), and lxcri
// copies between its own stdio and the master. Its own terminal is in raw mode meanwhile
// (the pty's line discipline does the editing, Ctrl-C becomes the process's SIGINT), and
// the pty follows its size. Fds are given, never taken from the process, so that a
// resident service can relay for its clients' fds as well.
import { closeSync } from 'node:fs';
import { errorMessage, RuntimeError } from './errors.js';
import { lxc } from './native.js';

export interface RelayIo {
  /** What is typed (-1: nothing); raw mode while relaying if it is a terminal. */
  stdin: number;
  /** Where the process's output goes. */
  stdout: number;
}

export interface RelayOptions {
  /**
   * Restore the terminal and die of SIGHUP, SIGINT, SIGQUIT or SIGTERM when one arrives
   * (the pty's master closes, so the process gets SIGHUP). Off when the caller handles
   * these signals itself (run forwards them to the container).
   */
  dieOnSignals?: boolean;
}

export interface PtyRelay {
  /**
   * Call once the process has ended: copies what the master still holds, restores the
   * terminal, and rejects if relaying failed. Idempotent.
   */
  finish(): Promise<void>;
  /** Restores the terminal at once (synchronous; for exit paths). */
  restore(): void;
}

const DEADLY: NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM'];

/** The window size of the first of `fds` that is a terminal. */
function hostSize(fds: number[]): { rows: number; cols: number } | null {
  for (const fd of fds) {
    if (fd < 0) continue;
    const ws = lxc().getWinsize(fd);
    if (ws) return ws;
  }
  return null;
}

/**
 * Starts relaying between `io` and `master` (which the caller closes after finish). Sizes
 * the pty as the caller's terminal when there is one, then follows SIGWINCH.
 */
export function startRelay(master: number, io: RelayIo, opts: RelayOptions = {}): PtyRelay {
  const native = lxc();
  const sized = [io.stdin, io.stdout];
  const resize = (): void => {
    try {
      const ws = hostSize(sized);
      if (ws) native.setWinsize(master, ws.rows, ws.cols);
    } catch {
      /* the terminal went away: the next resize or the end says so */
    }
  };
  let saved: Buffer | null = null;
  try {
    const ws = hostSize(sized);
    if (ws) native.setWinsize(master, ws.rows, ws.cols);
    if (io.stdin >= 0) saved = native.termRaw(io.stdin);
  } catch (err) {
    throw new RuntimeError('system', `cannot set up the terminal: ${errorMessage(err)}`);
  }
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    process.off('SIGWINCH', resize);
    process.off('exit', restore);
    for (const s of DEADLY) process.off(s, die);
    if (saved) {
      try {
        native.termRestore(io.stdin, saved);
      } catch {
        /* the terminal is gone: nothing to restore */
      }
    }
  };
  function die(sig: NodeJS.Signals): void {
    restore();
    stop();
    // With our handler gone, the signal's default action ends us as it would have.
    process.kill(process.pid, sig);
  }
  process.on('SIGWINCH', resize);
  process.on('exit', restore);
  if (opts.dieOnSignals) for (const s of DEADLY) process.on(s, die);

  let relay: ReturnType<typeof native.relayPty>;
  try {
    relay = native.relayPty(io.stdin, io.stdout, master);
  } catch (err) {
    restore();
    throw new RuntimeError('system', `cannot relay the terminal: ${errorMessage(err)}`);
  }
  const done = relay.done.catch((err: unknown) => {
    throw new RuntimeError('system', `terminal relay failed: ${errorMessage(err)}`);
  });
  // Until finish is called a rejection is not unhandled: finish reports it.
  done.catch(() => undefined);
  let stopped = false;
  function stop(): void {
    if (stopped) return;
    stopped = true;
    closeSync(relay.stop);
  }
  let finished: Promise<void> | undefined;
  const finish = (): Promise<void> =>
    (finished ??= (async () => {
      stop();
      try {
        await done;
      } finally {
        restore();
      }
    })());
  return { finish, restore };
}
