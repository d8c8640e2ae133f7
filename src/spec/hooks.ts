// Checks on config.json's hooks beyond the schema: every hook is run by exec, so its path
// must be absolute and no field may hold a NUL byte; a timeout is a positive whole number.
import { invalidSpec } from '../runtime/errors.js';
import { MAX_TIMEOUT_SECONDS } from '../runtime/timeout.js';
import type { Hook, Hooks } from './types.js';

export const HOOK_KINDS = ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'] as const;
export type HookKind = (typeof HOOK_KINDS)[number];

/**
 * The hooks of create: lxcri-hook asks create over hooks.sock to run them (or, for
 * startContainer, to learn the init's PID for their state), so translate's `ocihooks`
 * instruction and create's hook server must agree on this one list.
 */
export const CREATE_TIME_HOOKS = ['prestart', 'createRuntime', 'createContainer', 'startContainer'] as const satisfies readonly HookKind[];

export const hasCreateTimeHooks = (hooks: Hooks | undefined): boolean => CREATE_TIME_HOOKS.some((k) => (hooks?.[k]?.length ?? 0) > 0);


function checkHook(kind: HookKind, i: number, h: Hook): void {
  const where = `hooks.${kind}[${i}]`;
  if (typeof h.path !== 'string' || !h.path.startsWith('/')) throw invalidSpec(`${where}.path "${String(h.path)}" must be absolute`);
  for (const s of [h.path, ...(h.args ?? []), ...(h.env ?? [])]) {
    if (s.includes('\0')) throw invalidSpec(`${where}: path, args and env must not contain NUL bytes`);
  }
  if (h.timeout !== undefined && !(Number.isInteger(h.timeout) && h.timeout > 0)) {
    throw invalidSpec(`${where}.timeout ${h.timeout} must be a whole number of seconds greater than zero`);
  }
  // Node's timers (and lxcri-hook's poll) take at most 2^31-1 ms.
  if (h.timeout !== undefined && h.timeout > MAX_TIMEOUT_SECONDS) {
    throw invalidSpec(`${where}.timeout ${h.timeout} is more than ${MAX_TIMEOUT_SECONDS} seconds (about 24 days), the longest timeout lxcri keeps`);
  }
}

export function checkHooks(hooks: Hooks | undefined): void {
  for (const kind of HOOK_KINDS) (hooks?.[kind] ?? []).forEach((h, i) => checkHook(kind, i, h));
}
