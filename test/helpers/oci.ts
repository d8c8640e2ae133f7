// runc run on the same bundle as lxcri, for the conformance tests that compare what a
// container sees. runc gets a private state root under the test's own directory, and the
// container is always deleted again. (crun refuses this hybrid host: its cgroup2 has a
// controller, whatever crun's cgroup manager.)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCmd, type Env, type Result } from './lxcri.js';

const rootOf = (env: Env): string => join(env.dir, 'runc-root');

/** `runc run` in the foreground: the container's output is the result's stdout. */
export async function runRunc(env: Env, bundle: string, id: string, timeoutMs = 30_000): Promise<Result> {
  try {
    return await runCmd('runc', ['--root', rootOf(env), 'run', '--bundle', bundle, id], { timeoutMs });
  } finally {
    spawnSync('runc', ['--root', rootOf(env), 'delete', '--force', id], { stdio: 'ignore' });
  }
}

/** Any runc command with the test's runc root (create: the container waits for start). */
export function runcCmd(env: Env, args: string[]): Promise<Result> {
  return runCmd('runc', ['--root', rootOf(env), ...args]);
}

export function deleteRunc(env: Env, id: string): void {
  spawnSync('runc', ['--root', rootOf(env), 'delete', '--force', id], { stdio: 'ignore' });
}
