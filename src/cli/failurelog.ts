// --log FILE: podman reads this file after a failed call and decodes it as ONE JSON object
// {"level","msg","time"} (or takes it as text with --log-format text).
import { closeSync, constants, openSync, writeSync } from 'node:fs';

export function writeFailureLog(file: string, format: string | undefined, msg: string): void {
  const time = new Date().toISOString();
  const text = format === 'text' ? `${time} error: ${msg}\n` : `${JSON.stringify({ level: 'error', msg, time })}\n`;
  try {
    // O_NONBLOCK: a FIFO without a reader must not hang the failing call.
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK | constants.O_NOCTTY, 0o600);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* stderr already carries the message */
  }
}
