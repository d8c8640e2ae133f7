// exec: run another process in a created or running container, through lxcri-attach's
// own join of the init's namespaces and cgroups (attachhelper.ts, execjoin.ts: no liblxc,
// no monitor) and lxcri-init's exec mode, so that it gets the same identity handling as the
// container's own process (groups, umask, the five capability sets, PATH lookup, HOME,
// the 126/127 messages).
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '../log/types.js';
import { capabilitySets } from '../lxc/capabilities.js';
import { encodeProcessRecord, processRecordOf } from '../lxc/processrecord.js';
import type { Process, Spec } from '../spec/types.js';
import type { Container } from './container.js';
import { errnoCode, errorMessage, notRunning, RuntimeError } from '../base/errors.js';
import type { RuntimeConfig } from './config.js';
import { INIT_BINARY, initDirOf, initFileOf, INITDIR, RUNDIR, SECCOMP_LISTENER } from '../base/layout.js';
import { helperPath } from '../base/location.js';
import { attachDetached, attachWait, childFds, type AttachJob } from './attachhelper.js';
import type { ProcessHost } from './processhost.js';
import { cgroupDirs, joinArgs, lsmArgs, storedProcess } from './execjoin.js';
import { cgroupMounts } from '../cgroup/mounts.js';
import { probeLsm } from '../lxc/lsm.js';
import { lxc } from '../base/native.js';
import { exitCode } from './signals.js';
import { writeFileAtomic } from '../base/files.js';
import { checkOperation } from './operations.js';
import { containerStatus, hasProcess } from './status.js';
import { pollUntil } from '../base/wait.js';
import { closeStdio, resolveStdio, type StdioOptions } from './stdio.js';
import { startRelay } from './ptyrelay.js';
import { checkPreserveFds, closePty, containerPtmx, openPty, sendMaster, type Pty } from './terminal.js';

export interface ExecStdio {
  stdin: number;
  stdout: number;
  stderr: number;
}

export interface ExecFds {
  /** 'pty': stdin is a pty slave of ours that must become the controlling terminal. */
  tty?: 'pty';
  /** --preserve-fds: fds 3 to 3+N-1 of the caller stay open in the process. */
  keepFds?: number;
}

/** The container's own process spec, as create stored it. */
export async function containerProcess(c: Container): Promise<Process> {
  let text: string;
  try {
    text = await readFile(join(c.runtimeDir, RUNDIR.spec), 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw notRunning(c.id);
    throw new RuntimeError('system', `container "${c.id}": cannot read its config.json: ${errorMessage(err)}`);
  }
  const spec = JSON.parse(text) as Spec;
  if (!spec.process) throw new RuntimeError('system', `container "${c.id}": its config.json has no process`);
  return spec.process;
}

/** Where exec finds the container (its runtime root) and the lxcri-init it runs, and who starts lxcri-attach. */
export type ExecWhere = Pick<RuntimeConfig, 'root' | 'libexecDir'> & { host: ProcessHost };

/** The process record for `p` in exec mode (`seccompFd`: the process gets the container's
 * seccomp filter, which lxcri-init reads from this fd). */
export function execRecord(p: Process, warn: (msg: string) => void, fds: ExecFds, seccompFd?: number): Buffer {
  if (!p.args?.length) throw new RuntimeError('invalid-argument', 'process.args must not be empty');
  const caps = capabilitySets(p.capabilities, warn);
  const terminal = fds.tty === 'pty' ? 'stdin' : undefined;
  return encodeProcessRecord(processRecordOf(p, caps, { terminal, keepFds: fds.keepFds, seccomp: seccompFd, rlimits: true }));
}

function checkRunning(c: Container): void {
  checkOperation(c.record, 'exec');
}

/** A failed join: the container stopped meanwhile (its init is gone), or the reason. */
function joinFailed(c: Container, err: unknown): RuntimeError {
  if (!hasProcess(containerStatus(c.record))) return notRunning(c.id);
  return new RuntimeError('system', `exec in container "${c.id}" failed: ${errorMessage(err)}`);
}

/** An attach job (see attachhelper.ts) and the fds of ours it holds, which `close` closes
 * once lxcri-attach has them. */
interface Attach {
  job: AttachJob;
  close(): void;
}

/**
 * Nothing of the container's init dir is mounted in it any more (lxcri-init unmounted it):
 * the attached process execs a sealed memfd copy of the host's lxcri-init by its fd, and
 * lxcri-init reads the seccomp profile from an inherited fd. No host file is behind
 * /proc/<pid>/exe of what joins the container (lxcri-attach runs from a sealed memfd too),
 * no path in the container is looked up, and nothing of the host's is mounted to remount.
 */
function attachJob(c: Container, where: ExecWhere, p: Process, stdio: ExecStdio, fds: ExecFds, log: Logger): Attach {
  const keepFds = fds.keepFds ?? 0;
  const kept = where.host.preservedFds(keepFds);
  for (const fd of kept) {
    try {
      lxc().setInheritable(fd, true);
    } catch (err) {
      throw new RuntimeError('invalid-argument', `--preserve-fds ${fds.keepFds}: ${errorMessage(err)}`);
    }
  }
  // As runc: an exec'd process runs under the container's filter, loaded by lxcri-init,
  // which create wrote when the container got one.
  const seccompFile = initFileOf(c.runtimeDir, INITDIR.seccomp);
  const seccomp = existsSync(seccompFile);
  // The agent would need to be told the exec'd process's host PID, which nothing does yet.
  if (existsSync(join(initDirOf(c.runtimeDir), SECCOMP_LISTENER))) {
    throw new RuntimeError('invalid-argument', `container "${c.id}" has a seccomp agent (linux.seccomp.listenerPath): exec is not supported in it`);
  }
  const owned: number[] = [];
  const close = (): void => {
    for (const fd of owned.splice(0)) closeSync(fd);
  };
  try {
    const helper = helperPath(where.libexecDir, 'lxcri-attach');
    const initFd = lxc().sealedCopy(helperPath(where.libexecDir, INIT_BINARY), INIT_BINARY);
    owned.push(initFd);
    let seccompFd: number | undefined;
    if (seccomp) {
      seccompFd = openSync(seccompFile, constants.O_RDONLY | constants.O_NOFOLLOW);
      owned.push(seccompFd);
    }
    // lxcri-init reads the record and the profile from the fd numbers lxcri-attach hands them on as.
    const at = childFds(keepFds, seccomp);
    const recordFd = lxc().sealedData('lxcri-process', execRecord(p, (msg) => log.warn(msg), fds, at.seccomp));
    owned.push(recordFd);
    const argv = [INIT_BINARY, '--exec', String(at.record)];
    const init = c.record.init;
    if (!init) throw notRunning(c.id);
    const own = storedProcess(c.id, c.runtimeDir);
    const join = joinArgs(init, cgroupDirs(cgroupMounts(), c.record.cgroup.container), lsmArgs(p, own, probeLsm()));
    // As liblxc's attach did (lxc.no_new_privs): a container's no_new_privs holds for every
    // process in it, which also keeps its seccomp filter loaded after the identity change.
    const noNewPrivileges = p.noNewPrivileges === true || own?.noNewPrivileges === true;
    const job = { helper, join, ...stdio, kept, initFd, recordFd, seccompFd, argv, noNewPrivileges };
    return { job, close };
  } catch (err) {
    close();
    if (err instanceof RuntimeError) throw err;
    throw new RuntimeError('system', `exec in container "${c.id}": ${errorMessage(err)}`);
  }
}

/** Run `p` in the container and wait for it; resolves with its exit code (128+N for signal N). */
export async function execWait(c: Container, where: ExecWhere, p: Process, stdio: ExecStdio, log: Logger, fds: ExecFds = {}): Promise<number> {
  checkRunning(c);
  const a = attachJob(c, where, p, stdio, fds, log);
  try {
    return exitCode(await attachWait(a.job, where.host));
  } catch (err) {
    throw joinFailed(c, err);
  } finally {
    a.close();
  }
}

/** Start `p` in the container; returns its host PID (see attachDetached: whose child it is). */
export async function execDetached(c: Container, where: ExecWhere, p: Process, stdio: ExecStdio, log: Logger, fds: ExecFds = {}): Promise<number> {
  checkRunning(c);
  const a = attachJob(c, where, p, stdio, fds, log);
  try {
    return await attachDetached(a.job, where.host);
  } catch (err) {
    throw joinFailed(c, err);
  } finally {
    a.close();
  }
}

/** How Container.exec and execDetached run a process. */
export interface ExecOptions {
  /** The process's stdin, stdout, stderr (default: this process's); not with a console socket. */
  stdio?: StdioOptions;
  /**
   * With process.terminal: the unix socket that receives the master of a new pty (the
   * runtime-spec console-socket protocol); the slave is the process's stdio and
   * controlling terminal. Without a socket, a foreground process with process.terminal
   * gets a new pty all the same, and exec relays between it and `stdio` (ptyrelay.ts; as
   * runc, also for CRI-O's streaming exec, whose stdio is a pty of CRI-O's).
   */
  consoleSocket?: string;
  /** Fds 3 to 3+N-1 of this process stay open in the process under the same numbers. */
  preserveFds?: number;
  /** execDetached: gets the process's host PID (atomically, never through a symlink). */
  pidFile?: string;
}

const invalid = (msg: string): RuntimeError => new RuntimeError('invalid-argument', msg);

/** A process started by Container.execDetached. */
export interface DetachedProcess {
  /** Its host PID. It is a child of this process (see attachDetached). */
  readonly pid: number;
  /**
   * Resolves once it has ended, with its exit code (128+N after signal N), and reaps it.
   * Call it or exit: until its parent reaps it, an ended process keeps the container's
   * PID namespace, so a container whose init exits cannot finish stopping.
   */
  wait(opts?: { intervalMs?: number }): Promise<number>;
}

function detachedProcess(pid: number): DetachedProcess {
  let waited: Promise<number> | undefined;
  const wait = (opts: { intervalMs?: number } = {}): Promise<number> =>
    (waited ??= (async () => {
      let status: number | null = null;
      const ended = (): boolean => {
        try {
          status = lxc().reap(pid);
        } catch (err) {
          throw new RuntimeError('system', `cannot wait for process ${pid}: ${errorMessage(err)}`);
        }
        return status !== null;
      };
      await pollUntil(ended, Infinity, opts.intervalMs ?? 10);
      return exitCode(status!);
    })());
  return { pid, wait };
}

function checkExec(p: Process, opts: ExecOptions, detach: boolean): { socket?: string; keepFds: number } {
  const keepFds = checkPreserveFds(opts.preserveFds);
  const socket = opts.consoleSocket !== undefined ? resolve(opts.consoleSocket) : undefined;
  if (socket !== undefined && !p.terminal) throw invalid('--console-socket needs --tty or process.terminal: true');
  if (p.terminal && socket === undefined && detach) throw invalid('process.terminal needs --console-socket');
  if (socket !== undefined && opts.stdio) throw invalid('stdio: a process with a console socket has the terminal as its stdio');
  return { socket, keepFds };
}

/** A new pty in the container's own devpts, sized as the process asks (see containerPtmx). */
function ptyFor(c: Container, p: Process): Pty {
  return openPty(p, containerPtmx(c.record.init?.pid));
}

/** Run `p` in the foreground; resolves with its exit code (128+N after signal N). */
export async function execForeground(c: Container, where: ExecWhere, p: Process, opts: ExecOptions, log: Logger): Promise<number> {
  const { socket, keepFds } = checkExec(p, opts, false);
  if (socket === undefined) {
    const stdio = resolveStdio(opts.stdio, where.host.stdio);
    try {
      if (p.terminal) return await execRelayed(c, where, p, stdio, log, keepFds);
      return await execWait(c, where, p, stdio, log, { keepFds });
    } finally {
      closeStdio(stdio);
    }
  }
  const pty = ptyFor(c, p);
  try {
    // The manager gets the master first: if that fails, nothing has run.
    sendMaster(socket, pty);
    closePty(pty, 'master');
    const pio = { stdin: pty.slave, stdout: pty.slave, stderr: pty.slave };
    return await execWait(c, where, p, pio, log, { tty: 'pty', keepFds });
  } finally {
    closePty(pty);
  }
}

/** A foreground process with a pty of its own, relayed to `stdio` (as `runc exec -t`). */
async function execRelayed(c: Container, where: ExecWhere, p: Process, stdio: ExecStdio, log: Logger, keepFds: number): Promise<number> {
  const pty = ptyFor(c, p);
  try {
    const relay = startRelay(pty.master, { stdin: stdio.stdin, stdout: stdio.stdout }, { dieOnSignals: true });
    let code: number;
    try {
      code = await execWait(c, where, p, { stdin: pty.slave, stdout: pty.slave, stderr: pty.slave }, log, { tty: 'pty', keepFds });
    } catch (err) {
      relay.restore();
      await relay.finish().catch(() => undefined);
      throw err;
    }
    await relay.finish();
    return code;
  } finally {
    closePty(pty);
  }
}

/**
 * Start `p`; its host PID and a way to wait for it. The process is a child of this process
 * (see attachDetached), which reaps it or leaves it to its own parent by exiting.
 */
export async function execBackground(c: Container, where: ExecWhere, p: Process, opts: ExecOptions, log: Logger): Promise<DetachedProcess> {
  const pid = await startBackground(c, where, p, opts, log);
  if (opts.pidFile !== undefined) {
    try {
      await writeFileAtomic(resolve(opts.pidFile), String(pid), 0o644);
    } catch (err) {
      // Nobody would know of the process: do not leave it behind.
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      throw new RuntimeError('system', `cannot write --pid-file ${opts.pidFile}: ${errorMessage(err)}`);
    }
  }
  return detachedProcess(pid);
}

async function startBackground(c: Container, where: ExecWhere, p: Process, opts: ExecOptions, log: Logger): Promise<number> {
  const { socket, keepFds } = checkExec(p, opts, true);
  if (socket === undefined) {
    const stdio = resolveStdio(opts.stdio, where.host.stdio);
    try {
      return await execDetached(c, where, p, stdio, log, { keepFds });
    } finally {
      closeStdio(stdio);
    }
  }
  const pty = ptyFor(c, p);
  try {
    const pid = await execDetached(c, where, p, { stdin: pty.slave, stdout: pty.slave, stderr: pty.slave }, log, { tty: 'pty', keepFds });
    try {
      sendMaster(socket, pty);
    } catch (err) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      throw err;
    }
    return pid;
  } finally {
    closePty(pty);
  }
}
