// The container's init as a child of this process. create ends liblxc's monitor once the
// init is ready, so the init is re-parented to the nearest child subreaper: conmon under a
// manager, or this process when it asked create to adopt it (run, library users). Only
// its parent has its exact wait status, as conmon has it with runc.
import { writeFile } from 'node:fs/promises';
import { errnoCode, errorMessage, RuntimeError } from '../base/errors.js';
import { exitStatusOf } from '../base/layout.js';
import { lxc } from '../base/native.js';
import { parentOf, type ProcRef } from './proc.js';

/** What waitpid says about the init: its raw wait status, still running, or not our child. */
export type InitEnd = { status: number } | 'running' | 'not-ours';

/**
 * waitpid(WNOHANG) on the init when it is still the recorded process (a zombie keeps its
 * start time) and our child; reaps it when it has ended.
 */
export function reapInit(init: ProcRef): InitEnd {
  // Gone (someone else reaped it), the PID names another process now, or not our child.
  if (parentOf(init) !== process.pid) return 'not-ours';
  let status: number | null;
  try {
    status = lxc().reap(init.pid);
  } catch (err) {
    if (errnoCode(err) === 'ECHILD') return 'not-ours';
    throw new RuntimeError('system', `cannot wait for the container's init ${init.pid}: ${errorMessage(err)}`);
  }
  return status === null ? 'running' : { status };
}

/** Keeps the exit code (128+N after signal N) for later waits, also from other processes. */
export async function recordExit(runtimeDir: string, code: number): Promise<void> {
  await writeFile(exitStatusOf(runtimeDir), `${code}\n`, { mode: 0o600 }).catch(() => undefined);
}
