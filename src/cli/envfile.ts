// The environment file (/etc/default/lxcri, or $LXCRI_ENV_FILE): read on every call,
// parsed with dotenv (# comments, blank lines, quotes, multi-line quoted values). dotenv
// skips lines it cannot parse; an operator's typo must not be half-applied silently, so
// every line is checked first and the first bad one fails the call with file and line.
import { createRequire } from 'node:module';
import { errnoCode, errnoText, errorMessage, RuntimeError } from '../base/errors.js';
import { NotReadableFile, readRegularFile } from '../runtime/regularfile.js';

export const DEFAULT_ENV_FILE = '/etc/default/lxcri';
/** Far more than any settings file needs; a bound, as the file may be anything. */
const MAX_ENV_FILE = 1 << 20;

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/** Where each variable of the file is assigned (the last assignment, as dotenv takes it). */
export type EnvFileLines = Map<string, number>;

/** Line-by-line check of what dotenv would silently skip; the line of every name. */
export function checkEnvFile(text: string, file: string): EnvFileLines {
  const names: EnvFileLines = new Map();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    const m = ASSIGNMENT.exec(line);
    if (!m) throw new RuntimeError('invalid-argument', `${file}:${i + 1}: not a NAME=value line`);
    names.set(m[1]!, i + 1);
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
  return names;
}

export interface EnvFile {
  values: Record<string, string>;
  lines: EnvFileLines;
}

/**
 * The variables of the environment file. A missing file is empty unless `required` (a
 * file the operator named in LXCRI_ENV_FILE must exist: a typo there would otherwise
 * drop every setting silently).
 */
export function readEnvFile(file: string, required: boolean): EnvFile {
  let text: string;
  try {
    text = readRegularFile(file, MAX_ENV_FILE);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      if (!required) return { values: {}, lines: new Map() };
      throw new RuntimeError('invalid-argument', `environment file ${file} (LXCRI_ENV_FILE) does not exist`);
    }
    const why = err instanceof NotReadableFile ? errorMessage(err) : errnoText(err);
    throw new RuntimeError('invalid-argument', `cannot read environment file ${file}: ${why}`);
  }
  const lines = checkEnvFile(text, file);
  // Loaded only when there is a file: dotenv pulls in node:crypto, slow to start.
  const dotenv = (typeof require === 'function' ? require('dotenv') : createRequire(import.meta.url)('dotenv')) as typeof import('dotenv');
  return { values: dotenv.parse(text), lines };
}
