// Error kinds of the runtime. Messages are one line and use the wording managers match on
// by substring: CRI-O takes "container not running" for "already dead", podman and CRI-O
// take "does not exist" for "gone" (runc's words). The ID follows the phrase, so no
// quoting or ID splits it.
import { cut, oneLine } from './message.js';

export type ErrorKind =
  | 'not-found'
  | 'exists'
  | 'not-running'
  | 'invalid-state'
  | 'invalid-spec'
  | 'invalid-argument'
  | 'timeout'
  | 'system';

export class RuntimeError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = 'RuntimeError';
  }
}

/** The phrases managers match, exactly. */
export const NOT_FOUND = 'container does not exist';
export const NOT_RUNNING = 'container not running';

export const notFound = (id: string): RuntimeError => new RuntimeError('not-found', `${NOT_FOUND}: ${id}`);

export const notRunning = (id: string): RuntimeError => new RuntimeError('not-running', `${NOT_RUNNING}: ${id}`);
/** A bundle's config.json refused: `msg` names the field and the reason. */
export const invalidSpec = (msg: string): RuntimeError => new RuntimeError('invalid-spec', `invalid config.json: ${msg}`);

/** Longest error line (characters): a message that echoes whole files stays readable. */
const MAX_MESSAGE = 4096;

/**
 * One line: the message of an error, without stack traces. Line breaks between parts
 * become "; ", any other control character is escaped (message.ts), and the whole is cut.
 */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return oneLine(cut(text.trim().replace(/\s*\n\s*/g, '; '), MAX_MESSAGE));
}

/** errno code of a Node system error, if any. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** A Node system error as the kernel's words only ("no such file or directory"), else its message. */
export function errnoText(err: unknown): string {
  const msg = errorMessage(err);
  const m = /^E[A-Z0-9]+: (.+?), \w+ '.*'$/.exec(msg);
  return m ? m[1]! : msg;
}
