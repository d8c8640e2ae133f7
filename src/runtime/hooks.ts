// Running OCI hooks from the runtime's own process (prestart and createRuntime during
// create, poststart in start, poststop in delete): exec'd with the spec's args as the whole
// argv (args[0] is argv[0]), exactly the spec's env, the container state JSON on stdin, and
// killed at its timeout. Hook output never reaches lxcri's stdout or stderr (they are the
// container's, or the caller's): it goes to the lxcri log, and a failing hook's last line of
// output is part of the error.
import { spawn } from 'node:child_process';
import type { Logger } from '../log/types.js';
import type { HookKind } from '../spec/hooks.js';
import type { Hook, State } from '../spec/types.js';
import { errorMessage, RuntimeError } from './errors.js';
import { echo } from './message.js';

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
export function runHook(kind: HookKind, hook: Hook, state: HookState, log: Logger): Promise<void> {
  const args = hook.args ?? [];
  const fail = (why: string, output = ''): RuntimeError => {
    const detail = lastLine(output);
    return new RuntimeError('system', `${kind} hook ${hook.path}: ${why}${detail ? `: ${detail}` : ''}`);
  };
  return new Promise((resolve, reject) => {
    const child = spawn(hook.path, args.slice(1), {
      argv0: args[0] ?? hook.path,
      env: envObject(hook.env ?? []),
      stdio: ['pipe', 'pipe', 'pipe'],
      // A process group of its own, killed as a whole at the timeout.
      detached: true,
    });
    // Bytes, decoded once at the end: a chunk may end inside a character.
    const chunks: Buffer[] = [];
    let kept = 0;
    const collect = (d: Buffer): void => {
      if (kept >= OUTPUT_LIMIT) return;
      chunks.push(d);
      kept += d.length;
    };
    let output = '';
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    // A hook that does not read its stdin may exit before we are done writing.
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(state));
    let timedOut = false;
    const timer = hook.timeout
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }, hook.timeout * 1000)
      : undefined;
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(fail(`exec: ${errorMessage(err)}`));
    });
    // 'exit', not 'close': a daemon the hook left behind may hold its pipes open.
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      output = Buffer.concat(chunks).subarray(0, OUTPUT_LIMIT).toString('utf8');
      if (output) log.info('hook output', { kind, path: hook.path, output: output.slice(0, OUTPUT_LIMIT) });
      if (timedOut) reject(fail(`timed out after ${hook.timeout}s`, output));
      else if (code === 0) resolve();
      else if (signal) reject(fail(`killed by ${signal}`, output));
      else reject(fail(`exited with status ${code}`, output));
    });
  });
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
