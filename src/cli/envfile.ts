// The environment file (/etc/default/lxcri, or $LXCRI_ENV_FILE): read on every call,
// parsed with dotenv (# comments, blank lines, quotes, multi-line quoted values). dotenv
// skips lines it cannot parse; an operator's typo must not be half-applied silently, so
// every line is checked first and the first bad one fails the call with file and line.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { errnoCode, errorMessage, RuntimeError } from '../runtime/errors.js';

export const DEFAULT_ENV_FILE = '/etc/default/lxcri';

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/** Line-by-line check of what dotenv would silently skip. */
export function checkEnvFile(text: string, file: string): void {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    const m = ASSIGNMENT.exec(line);
    if (!m) throw new RuntimeError('invalid-argument', `${file}:${i + 1}: not a NAME=value line`);
    const value = m[2]!;
    const quote = value[0];
    if (quote !== '"' && quote !== "'" && quote !== '`') continue;
    // A quoted value ends at its closing quote, possibly lines later.
    let rest = value.slice(1);
    let j = i;
    while (!rest.includes(quote)) {
      if (++j >= lines.length) throw new RuntimeError('invalid-argument', `${file}:${i + 1}: unterminated ${quote} quote`);
      rest = lines[j]!;
    }
    const after = rest.slice(rest.indexOf(quote) + 1);
    if (!/^\s*(#.*)?$/.test(after)) throw new RuntimeError('invalid-argument', `${file}:${j + 1}: text after the closing quote`);
    i = j;
  }
}

/** The variables of the environment file; {} when it does not exist. */
export function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return {};
    throw new RuntimeError('invalid-argument', `cannot read ${file}: ${errorMessage(err)}`);
  }
  checkEnvFile(text, file);
  // Loaded only when there is a file: dotenv pulls in node:crypto, slow to start.
  const dotenv = (typeof require === 'function' ? require('dotenv') : createRequire(import.meta.url)('dotenv')) as typeof import('dotenv');
  return dotenv.parse(text);
}
