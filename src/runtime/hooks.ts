// Running OCI hooks from the runtime's own process (prestart and createRuntime during
// create, poststart in start, poststop in delete): exec'd with the spec's args as the whole
// argv (args[0] is argv[0]), exactly the spec's env, the container state JSON on stdin, and
// killed at its timeout. Hook output never reaches lxcri's stdout or stderr (they are the
// container's, or the caller's): it goes to the lxcri log, and a failing hook's last line of
// output is part of the error.
import type { Logger } from '../log/types.js';
import type { HookKind } from '../spec/hooks.js';
import type { Hook, State } from '../spec/types.js';
import { errorMessage, RuntimeError } from './errors.js';
import { echo } from './message.js';
import { runProgram } from './program.js';

/** The status each hook kind sees, as crun gives it ("starting" is crun's own value). */
export const HOOK_STATUS = {
  prestart: 'created',
  createRuntime: 'created',
  createContainer: 'created',
  startContainer: 'starting',
  poststart: 'running',
  poststop: 'stopped',
} as const satisfies Record<HookKind, string>;

/** What hooks get on stdin: the runtime-spec state. */
export type HookState = Pick<State, 'ociVersion' | 'id' | 'pid' | 'bundle' | 'annotations'> & {
  status: (typeof HOOK_STATUS)[HookKind];
};

/** Bytes of a hook's output kept for the log (lxcri-hook keeps as many). */
export const OUTPUT_LIMIT = 64 * 1024;

function envObject(env: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) {
    const eq = e.indexOf('=');
    if (eq > 0) out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

/** The last non-empty line, one line and cut with a marker (as lxcri-hook's last_line). */
function lastLine(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return echo(lines[lines.length - 1] ?? '');
}

/** Run one hook; rejects with "<kind> hook <path>: <reason>". */
export async function runHook(kind: HookKind, hook: Hook, state: HookState, log: Logger): Promise<void> {
  const args = hook.args ?? [];
  const end = await runProgram({
    path: hook.path,
    argv0: args[0] ?? hook.path,
    args: args.slice(1),
    env: envObject(hook.env ?? []),
    stdin: JSON.stringify(state),
    outputLimit: OUTPUT_LIMIT,
    timeoutMs: hook.timeout !== undefined ? hook.timeout * 1000 : undefined,
  });
  if (end.output) log.info('hook output', { kind, path: hook.path, output: end.output });
  if (end.failure) {
    const detail = lastLine(end.output);
    throw new RuntimeError('system', `${kind} hook ${hook.path}: ${end.failure}${detail ? `: ${detail}` : ''}`);
  }
}

/** Run hooks in order; the first failure rejects (create-time hooks). */
export async function runHooks(kind: HookKind, hooks: Hook[] | undefined, state: HookState, log: Logger): Promise<void> {
  for (const h of hooks ?? []) {
    log.debug('running hook', { kind, path: h.path });
    await runHook(kind, h, state, log);
  }
}

/** Run every hook; failures are logged and returned as warnings (poststart, poststop). */
export async function runHooksWarn(kind: HookKind, hooks: Hook[] | undefined, state: HookState, log: Logger): Promise<string[]> {
  const warnings: string[] = [];
  for (const h of hooks ?? []) {
    try {
      await runHook(kind, h, state, log);
    } catch (err) {
      const msg = errorMessage(err);
      log.warn('hook failed', { kind, path: h.path, error: msg });
      warnings.push(msg);
    }
  }
  return warnings;
}
