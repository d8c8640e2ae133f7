// The longest timeout lxcri accepts. Node keeps a timer for at most 2^31-1 ms (about 24.8
// days): a longer delay fires after 1 ms, with a TimeoutOverflowWarning on stderr. Every
// timeout is checked where it enters (flags, settings, hooks, the library's options), so
// no timer is ever set past it.
import { RuntimeError } from './errors.js';

export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** The same in whole seconds (hook timeouts and the --*-timeout settings are seconds). */
export const MAX_TIMEOUT_SECONDS = Math.floor(MAX_TIMEOUT_MS / 1000);

/** Why `seconds` is no usable timeout, or undefined if it is one (finite, > 0, not too long). */
export function secondsProblem(seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'not a positive number of seconds';
  if (seconds * 1000 > MAX_TIMEOUT_MS) return `more than ${MAX_TIMEOUT_SECONDS} seconds (about 24 days), the longest timeout lxcri keeps`;
  return undefined;
}

/** A timeout in milliseconds from the library's options: refused unless usable. */
export function checkTimeoutMs(ms: number, what: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMEOUT_MS) {
    throw new RuntimeError('invalid-argument', `${what} ${String(ms)}: must be more than 0 and at most ${MAX_TIMEOUT_MS} milliseconds`);
  }
  return ms;
}
