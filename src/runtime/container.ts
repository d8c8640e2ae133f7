// A container that exists in the runtime root and every verb on it: state, start, kill,
// exec, pause, resume, update, wait, delete. The CLI commands call these methods.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { cgroupMounts, unifiedDir } from '../cgroup/mounts.js';
import { cgroupPids } from '../cgroup/remove.js';
import { nullLogger, type Logger } from '../log/types.js';
import type { Process, Resources, State } from '../spec/types.js';
import { runtimeConfig, type RuntimeConfig } from './config.js';
import { errnoCode, notRunning, RuntimeError } from '../base/errors.js';
import type { DetachedProcess, ExecOptions, ExecWhere } from './exec.js';
import { exitStatusOf, syncFifoOf } from '../base/layout.js';
import { signalFifo } from './fifo.js';
import { reapInit, recordExit } from './initreap.js';
import { isAlive, runsExecutable } from './proc.js';
import { localHost, type ProcessHost } from './processhost.js';
import type { ContainerRecord } from './record.js';
import { checkOperation } from './operations.js';
import { containerStatus, hasProcess } from './status.js';
import { exitCode, toSignal } from './signals.js';
import { pollUntil } from '../base/wait.js';

/** What a Container takes from its Runtime: the settings (root, timeouts), the log, and who starts helpers. */
export interface ContainerContext {
  config: RuntimeConfig;
  log: Logger;
  host?: ProcessHost;
}

/** Options of Container.wait. */
export interface WaitOptions {
  /** Give up (a 'timeout' RuntimeError) after this many milliseconds; default: wait for ever. */
  timeoutMs?: number;
  /** How often to look, in milliseconds (default 10): the container need not be our child. */
  intervalMs?: number;
}

/** Options of Container.delete and Runtime.delete. */
export interface DeleteOptions {
  /** Kill a container that is not stopped first; for Runtime.delete also: unknown IDs succeed. */
  force?: boolean;
}

export class Container {
  private readonly ctx: ContainerContext;

  constructor(
    readonly id: string,
    readonly runtimeDir: string,
    readonly record: ContainerRecord,
    ctx?: ContainerContext,
  ) {
    this.ctx = ctx ?? { config: runtimeConfig({ root: dirname(runtimeDir) }), log: nullLogger };
  }

  /** Where exec finds the helpers, and who starts them. */
  private where(): ExecWhere {
    return { root: this.ctx.config.root, libexecDir: this.ctx.config.libexecDir, host: this.ctx.host ?? localHost };
  }

  state(): State {
    const status = containerStatus(this.record);
    const st: State = {
      ociVersion: this.record.ociVersion,
      id: this.id,
      status,
      pid: hasProcess(status) && this.record.init ? this.record.init.pid : 0,
      bundle: this.record.bundle,
      rootfs: this.record.rootfs,
      created: this.record.created,
    };
    if (Object.keys(this.record.annotations).length) st.annotations = this.record.annotations;
    return st;
  }

  /**
   * Let the init exec the container process; returns once it has (or has died), after the
   * poststart hooks. Their failures do not fail start: they are logged and returned.
   */
  async start(timeoutMs: number = this.ctx.config.timeouts.start, log: Logger = this.ctx.log): Promise<string[]> {
    checkOperation(this.record, 'start');
    const init = this.record.init!;
    const deadline = Date.now() + timeoutMs;
    const stillCreated = (): boolean => isAlive(init) && runsExecutable(init.pid, this.record.initExe);
    if (!(await signalFifo(syncFifoOf(this.runtimeDir), deadline, stillCreated))) {
      if (!isAlive(init)) throw notRunning(this.id);
      if (!stillCreated()) throw new RuntimeError('invalid-state', `container "${this.id}" was started by someone else`);
      throw new RuntimeError('timeout', `timed out waiting for container "${this.id}" init to accept start`);
    }
    if (!(await pollUntil(() => !stillCreated(), deadline, 1))) {
      throw new RuntimeError('timeout', `timed out waiting for container "${this.id}" to start its process`);
    }
    const poststart = this.record.hooks?.poststart;
    if (!poststart?.length) return [];
    const { HOOK_STATUS, runHooksWarn } = await import('./hooks.js'); // spawns: loaded only with hooks
    // "running" with the init's PID even if the process has already exited, as crun does.
    const r = this.record;
    const state = { ociVersion: r.ociVersion, id: r.id, status: HOOK_STATUS.poststart, pid: init.pid, bundle: r.bundle, annotations: r.annotations };
    return runHooksWarn('poststart', poststart, state, log);
  }

  /**
   * Signal every process in the container's cgroup (kill --all): also those outside its
   * PID namespace. Also after the init exited, as runc does: CRI-O sends `kill --all ID 9`
   * then to kill what a host-PID container left in its cgroup; none left is success.
   */
  async killAll(sig: number | string): Promise<void> {
    const signal = toSignal(sig);
    const dir = unifiedDir(cgroupMounts(), this.record.cgroup.container);
    if (!dir) throw new RuntimeError('system', 'kill --all needs a cgroup2 hierarchy');
    for (const pid of await cgroupPids(dir)) {
      try {
        process.kill(pid, signal);
      } catch {
        /* exited meanwhile */
      }
    }
  }

  /**
   * Send a signal to the container's init: a number or a name ("TERM", "SIGTERM", "term");
   * 0 only checks that the init is alive.
   */
  kill(sig: number | string = 'TERM'): void {
    const signal = toSignal(sig);
    const init = this.record.init;
    checkOperation(this.record, 'kill');
    if (!init) throw notRunning(this.id);
    try {
      process.kill(init.pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') throw notRunning(this.id);
      throw err;
    }
  }

  /** The container's own process as create stored it: a base for exec (`{ ...p, args }`). */
  async process(): Promise<Process> {
    const { containerProcess } = await import('./exec.js');
    return containerProcess(this);
  }

  /**
   * Run `p` in the created or running container (lxcri-attach's join, through lxcri-init's exec
   * mode) and wait for it: resolves with its exit code (128+N after signal N).
   */
  async exec(p: Process, opts: ExecOptions = {}): Promise<number> {
    const { execForeground } = await import('./exec.js');
    return execForeground(this, this.where(), p, opts, this.ctx.log);
  }

  /**
   * Start `p` in the container without waiting; resolves with its host PID and `wait()`,
   * which resolves with its exit code. The process is a child of this process: wait for it
   * (or exit and leave it to your parent), see DetachedProcess.
   */
  async execDetached(p: Process, opts: ExecOptions = {}): Promise<DetachedProcess> {
    const { execBackground } = await import('./exec.js');
    return execBackground(this, this.where(), p, opts, this.ctx.log);
  }

  /** Freeze every process of the running container (cgroup v2 freezer); state says "paused". */
  async pause(): Promise<void> {
    const { pause } = await import('./pause.js');
    await pause(this, this.ctx.config.timeouts.kill);
  }

  /** Thaw the paused container. */
  async resume(): Promise<void> {
    const { resume } = await import('./pause.js');
    await resume(this, this.ctx.config.timeouts.kill);
  }

  /** Apply runtime-spec LinuxResources to the live container's cgroup (schema-checked first). */
  async update(resources: Resources): Promise<void> {
    const { checkResources, updateContainer } = await import('./update.js');
    await updateContainer(this, await checkResources(resources), this.ctx.log);
  }

  /**
   * Resolves once the container has stopped, with its exit code (128+N after signal N)
   * when this process reaped its init (create's `adopt`) or another wait of it did;
   * undefined when the init was not ours to reap (it went to conmon or PID 1).
   */
  async wait(opts: WaitOptions = {}): Promise<number | undefined> {
    const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
    const init = this.record.init;
    let ours = init !== undefined;
    let code: number | undefined;
    const ended = (): boolean => {
      if (ours && init) {
        // Our child ends only when we have reaped it: a look at its status after
        // waitpid said "running" could see it exit and lose its exit code.
        const end = reapInit(init);
        if (end === 'running') return false;
        if (end !== 'not-ours') {
          code = exitCode(end.status);
          return true;
        }
        ours = false;
      }
      return containerStatus(this.record) === 'stopped';
    };
    if (!(await pollUntil(ended, deadline, opts.intervalMs ?? 10))) {
      throw new RuntimeError('timeout', `timed out waiting for container "${this.id}" to stop`);
    }
    if (code !== undefined) {
      await recordExit(this.runtimeDir, code);
      return code;
    }
    try {
      const kept = Number((await readFile(exitStatusOf(this.runtimeDir), 'utf8')).trim());
      return Number.isInteger(kept) ? kept : undefined;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Delete the container (see Runtime.delete); resolves with the warnings of poststop hooks. */
  async delete(opts: DeleteOptions = {}): Promise<string[]> {
    const { deleteById } = await import('./delete.js');
    return deleteById({ ...this.ctx.config, root: dirname(this.runtimeDir) }, this.id, opts.force ?? false, this.ctx.log);
  }
}
