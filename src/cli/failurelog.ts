// --log FILE: podman reads this file after a failed call and decodes it as ONE JSON object
// {"level","msg","time"} (or takes it as text with --log-format text).
import { writeFileSync } from 'node:fs';

export function writeFailureLog(file: string, format: string | undefined, msg: string): void {
  const time = new Date().toISOString();
  const text = format === 'text' ? `${time} error: ${msg}\n` : `${JSON.stringify({ level: 'error', msg, time })}\n`;
  try {
    writeFileSync(file, text, { mode: 0o600 });
  } catch {
    /* stderr already carries the message */
  }
}
