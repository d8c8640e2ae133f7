// Terminals for managers (conmon's --console-socket): a pty whose slave becomes the
// process's stdio and controlling terminal, and whose master goes to the manager over a
// unix socket with SCM_RIGHTS, as the runtime-spec console-socket protocol says.
import { closeSync, statSync } from 'node:fs';
import type { Process } from '../spec/types.js';
import { errorMessage, RuntimeError } from './errors.js';
import { lxc } from './native.js';
import type { InitConsole } from './notify.js';

export interface Pty {
  master: number;
  slave: number;
  /** The slave's path in the host's /dev/pts. */
  name: string;
}

/**
 * A new pty, sized as process.consoleSize says (when it says anything); in the devpts
 * instance of `ptmx` when given (see NativeModule.openpty), else in the host's.
 */
export function openPty(p: Process, ptmx?: string): Pty {
  const pty = lxc().openpty(ptmx);
  try {
    if (p.consoleSize) lxc().setWinsize(pty.master, p.consoleSize.height, p.consoleSize.width);
  } catch (err) {
    closePty(pty);
    throw new RuntimeError('system', `cannot size the terminal: ${errorMessage(err)}`);
  }
  return pty;
}

/**
 * The ptmx of a running container's own devpts, when it has one at /dev/pts: a pty made
 * there has a name that resolves inside (`tty` prints /dev/pts/N, as with runc).
 */
export function containerPtmx(initPid: number | undefined): string | undefined {
  if (initPid === undefined) return undefined;
  const ptmx = `/proc/${initPid}/root/dev/pts/ptmx`;
  try {
    return statSync(ptmx).isCharacterDevice() ? ptmx : undefined;
  } catch {
    return undefined;
  }
}

/** Hands the master to whoever listens on `socket` (one message, the pty name as payload). */
export function sendMaster(socket: string, pty: Pty): void {
  try {
    lxc().sendFd(socket, pty.master, pty.name);
  } catch (err) {
    throw new RuntimeError('system', `cannot send the terminal to --console-socket ${socket}: ${errorMessage(err)}`);
  }
}

/** Closes what is still open of this process's copies. */
export function closePty(pty: Pty, which: 'both' | 'slave' | 'master' = 'both'): void {
  for (const k of ['master', 'slave'] as const) {
    if (which !== 'both' && which !== k) continue;
    if (pty[k] < 0) continue;
    try {
      closeSync(pty[k]);
    } catch {
      /* closing is best effort: the fd is ours and was open */
    }
    pty[k] = -1;
  }
}

/**
 * Takes the master of the pty lxcri-init made in the container's devpts (create, see
 * notify.ts) from the init, sizes it as process.consoleSize says, and hands it to the
 * console socket or to the caller.
 */
export function takeConsole(initPid: number, made: InitConsole | undefined, p: Process, to: { consoleSocket?: string; takeConsole?: (master: number, name: string) => void }): void {
  if (!made) throw new RuntimeError('system', 'lxcri-init made no terminal for process.terminal');
  let master: number;
  try {
    master = lxc().pidfdGetfd(initPid, made.fd);
  } catch (err) {
    throw new RuntimeError('system', `cannot take the terminal from the container's init: ${errorMessage(err)}`);
  }
  const pty: Pty = { master, slave: -1, name: made.name };
  try {
    if (p.consoleSize) lxc().setWinsize(master, p.consoleSize.height, p.consoleSize.width);
  } catch (err) {
    closePty(pty);
    throw new RuntimeError('system', `cannot size the terminal: ${errorMessage(err)}`);
  }
  if (to.consoleSocket === undefined && to.takeConsole) {
    to.takeConsole(master, made.name);
    return;
  }
  try {
    sendMaster(to.consoleSocket ?? '', pty);
  } finally {
    closePty(pty);
  }
}

/** The checks runc makes: a terminal needs a console socket (or a caller that relays it,
 * `taken`) and a console socket needs a terminal. */
export function checkTerminal(p: Process, consoleSocket: string | undefined, taken = false): void {
  if (p.terminal && !consoleSocket && !taken) throw new RuntimeError('invalid-argument', 'process.terminal needs --console-socket');
  if (!p.terminal && consoleSocket) throw new RuntimeError('invalid-argument', '--console-socket needs process.terminal: true');
}

/** --preserve-fds N: a whole number, not huge. */
export function checkPreserveFds(n: number | undefined): number {
  const v = n ?? 0;
  if (!Number.isInteger(v) || v < 0 || v > 65536) throw new RuntimeError('invalid-argument', `--preserve-fds ${String(n)}: expected a whole number from 0`);
  return v;
}
