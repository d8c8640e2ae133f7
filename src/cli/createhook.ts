// The create hook (crio-lxc's): an operator's program run after every create, also a
// failed one, e.g. to back up what a failing pod was given (env/lxcri-backup.sh). Its
// stdio is /dev/null, it is killed at its timeout, and its failure is logged: create's
// result stands either way.
import { join } from 'node:path';
import type { Logger } from '../log/types.js';
import { RUNDIR } from '../base/layout.js';
import { runProgram } from '../runtime/program.js';

export interface CreateHook {
  path: string;
  timeoutMs: number;
}

export interface CreateHookRun {
  id: string;
  root: string;
  bundle: string;
  logFile: string;
  /** The error message of a failed create. */
  error?: string;
}

export async function runCreateHook(hook: CreateHook, run: CreateHookRun, log: Logger): Promise<void> {
  const runtimePath = join(run.root, run.id);
  const env: Record<string, string> = {
    CONTAINER_ID: run.id,
    LXC_CONFIG: join(runtimePath, RUNDIR.lxcConfig),
    RUNTIME_CMD: 'create',
    RUNTIME_PATH: runtimePath,
    BUNDLE_PATH: run.bundle,
    SPEC_PATH: join(run.bundle, 'config.json'),
    LOG_FILE: run.logFile,
  };
  if (run.error !== undefined) env.RUNTIME_ERROR = run.error;
  const began = Date.now();
  const { failure: outcome } = await runProgram({ path: hook.path, env, cwd: '/', timeoutMs: hook.timeoutMs });
  const fields = { file: hook.path, duration: Date.now() - began };
  if (outcome) log.error('create hook failed', { ...fields, error: outcome });
  else log.debug('create hook done', fields);
}
