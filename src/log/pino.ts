// The runtime log: JSON lines with zerolog's field names (l, m, t, cmd, cid, ...), one file
// shared with liblxc's own log. pino is loaded only when a line is actually written, so a
// quiet successful command does not pay for it.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { callerOf } from './caller.js';
import { checkLogFile } from './logfile.js';
import type { Fields, Logger } from './types.js';

export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];

const rank = (l: Level): number => LEVELS.indexOf(l);

export function isLevel(s: string): s is Level {
  return (LEVELS as readonly string[]).includes(s);
}

interface PinoLike {
  [level: string]: unknown;
  child(b: Fields): PinoLike;
}

export type TimestampFormat = 'rfc3339' | 'unix';

export const isTimestampFormat = (s: string): s is TimestampFormat => s === 'rfc3339' || s === 'unix';

export interface LogOptions {
  file: string;
  level: Level;
  /** The "t" field: RFC 3339 UTC with milliseconds, or Unix seconds. */
  timestamp: TimestampFormat;
  bindings: Fields;
  /** Called once if the log cannot be written (a log failure must never pass silently). */
  onError: (msg: string) => void;
  /** --log-console: readable lines on stderr for people instead of JSON in the file. */
  console?: boolean;
  /** Where the console lines go: the caller's stderr (default 2, ours). */
  consoleFd?: number;
}

/** "15:04:05.000 WARN message key=value ..." on stderr. */
function writeConsole(fd: number, level: Level, msg: string, fields: Fields): void {
  const kv = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
  const line = `${new Date().toISOString().slice(11, 23)} ${level.toUpperCase().padEnd(5)} ${msg}${kv ? ` ${kv}` : ''}\n`;
  try {
    writeSync(fd, line);
  } catch {
    /* stderr closed */
  }
}

/** A call's logger: close() releases its log file (a resident service logs many calls). */
export interface CallLogger extends Logger {
  close(): void;
}

export function createLogger(opts: LogOptions): CallLogger {
  let base: PinoLike | undefined;
  let dest: { destroy(): void } | undefined;
  let failed = false;
  const pino = (): PinoLike | undefined => {
    if (base || failed) return base;
    try {
      checkLogFile(opts.file);
      // A literal require() so the bundler includes pino (evaluated only here); the
      // library build (ES modules) has no require and loads it through createRequire.
      const p = (typeof require === 'function' ? require('pino') : createRequire(import.meta.url)('pino')) as typeof import('pino');
      const d = (dest = p.destination({ dest: opts.file, sync: true, append: true, mode: 0o600 }));
      base = p.pino(
        {
          level: opts.level,
          base: undefined,
          messageKey: 'm',
          timestamp:
            opts.timestamp === 'unix' ? () => `,"t":${Date.now() / 1000}` : () => `,"t":"${new Date().toISOString()}"`,
          formatters: { level: (label: string) => ({ l: label }) },
        },
        d,
      ) as unknown as PinoLike;
      base = base.child(opts.bindings);
    } catch (err) {
      failed = true;
      opts.onError(`cannot write log file ${opts.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return base;
  };
  const make = (bindings: Fields): Logger => {
    const write = (level: Level) => {
      const fn = (msg: string, fields?: Fields): void => {
        if (rank(level) < rank(opts.level)) return;
        const c = callerOf(fn);
        if (opts.console) {
          writeConsole(opts.consoleFd ?? 2, level, msg, { ...opts.bindings, ...bindings, ...fields, ...(c ? { c } : {}) });
          return;
        }
        const p = pino();
        if (!p) return;
        const target = Object.keys(bindings).length ? p.child(bindings) : p;
        try {
          (target[level] as (f: Fields, m: string) => void).call(target, { ...fields, c }, msg);
        } catch (err) {
          opts.onError(`cannot write log file ${opts.file}: ${err instanceof Error ? err.message : String(err)}`);
        }
      };
      return fn;
    };
    return {
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (b: Fields) => make({ ...bindings, ...b }),
    };
  };
  return {
    ...make({}),
    close: () => {
      // Writes are synchronous: nothing is pending. Later lines open the file again.
      dest?.destroy();
      dest = undefined;
      base = undefined;
    },
  };
}
