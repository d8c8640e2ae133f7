// Error kinds of the runtime. Messages are one line and use the wording managers match on
// ("container does not exist", "container not running"; see managers.md section 7).

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

export const notFound = (id: string): RuntimeError =>
  new RuntimeError('not-found', `container "${id}" does not exist`);

export const notRunning = (id: string): RuntimeError =>
  new RuntimeError('not-running', `container "${id}" not running`);

/** One line: the message of an error and of its causes, without stack traces. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/\s*\n\s*/g, '; ');
  return String(err);
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
