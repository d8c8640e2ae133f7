// runc (and, on a pure cgroup v2 host, crun) run on the same bundle as lxcri, for the
// conformance tests that compare what a container sees. Each gets a private state root
// under the test's own directory, and a container is always deleted again. (crun refuses
// hybrid hosts whose cgroup2 has a controller, as this repository's machines have,
// whatever its cgroup manager.)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCmd, type Env, type Result } from './lxcri.js';

export type OtherRuntime = 'runc' | 'crun';

const rootOf = (env: Env, rt: OtherRuntime): string => join(env.dir, `${rt}-root`);

/** Any command of another runtime with the test's root (create: the container waits for start). */
export function otherCmd(env: Env, rt: OtherRuntime, args: string[]): Promise<Result> {
  return runCmd(rt, ['--root', rootOf(env, rt), ...args]);
}

export function deleteOther(env: Env, rt: OtherRuntime, id: string): void {
  spawnSync(rt, ['--root', rootOf(env, rt), 'delete', '--force', id], { stdio: 'ignore' });
}

/** `<rt> run` in the foreground: the container's output is the result's stdout. */
export async function runOther(env: Env, rt: OtherRuntime, bundle: string, id: string, timeoutMs = 30_000): Promise<Result> {
  try {
    return await runCmd(rt, ['--root', rootOf(env, rt), 'run', '--bundle', bundle, id], { timeoutMs });
  } finally {
    deleteOther(env, rt, id);
  }
}

export const runRunc = (env: Env, bundle: string, id: string, timeoutMs?: number): Promise<Result> => runOther(env, 'runc', bundle, id, timeoutMs);

export const runcCmd = (env: Env, args: string[]): Promise<Result> => otherCmd(env, 'runc', args);
export const deleteRunc = (env: Env, id: string): void => deleteOther(env, 'runc', id);
