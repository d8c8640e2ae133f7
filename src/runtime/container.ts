// A container that exists in the runtime root: its state, start and kill.
import { join } from 'node:path';
import { cgroupMounts } from '../cgroup/mounts.js';
import { cgroupPids } from '../cgroup/remove.js';
import { nullLogger, type Logger } from '../log/types.js';
import type { State } from '../spec/types.js';
import { notRunning, RuntimeError } from './errors.js';
import { syncFifoOf } from './layout.js';
import { signalFifo } from './fifo.js';
import { isAlive, runsExecutable } from './proc.js';
import type { ContainerRecord } from './record.js';
import { containerStatus, hasProcess } from './status.js';
import { pollUntil } from './wait.js';

export class Container {
  constructor(
    readonly id: string,
    readonly runtimeDir: string,
    readonly record: ContainerRecord,
  ) {}

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
  async start(timeoutMs: number, log: Logger = nullLogger): Promise<string[]> {
    const status = containerStatus(this.record);
    if (status !== 'created') {
      if (status === 'stopped') throw notRunning(this.id);
      throw new RuntimeError('invalid-state', `container "${this.id}" is ${status}, not created`);
    }
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

  /** Signal every process in the container's cgroup (kill --all): also those outside its PID namespace. */
  async killAll(signal: number): Promise<void> {
    if (!hasProcess(containerStatus(this.record))) throw notRunning(this.id);
    const unified = cgroupMounts().unified;
    if (!unified) throw new RuntimeError('system', 'kill --all needs a cgroup2 hierarchy');
    for (const pid of await cgroupPids(join(unified, this.record.cgroup.container))) {
      try {
        process.kill(pid, signal);
      } catch {
        /* exited meanwhile */
      }
    }
  }

  /** Send a signal to the container's init. */
  kill(signal: number): void {
    const init = this.record.init;
    if (!init || !hasProcess(containerStatus(this.record))) throw notRunning(this.id);
    try {
      process.kill(init.pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') throw notRunning(this.id);
      throw err;
    }
  }
}
