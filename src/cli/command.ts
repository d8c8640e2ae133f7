// One command of the CLI: its yargs definition (name, positionals, options) and what a
// parsed call runs, kept together in the command's own module under commands/. main.ts
// registers the table (commands/index.ts) and is the error boundary; the man pages and
// the completion read the same table (doc/registry.ts).
import type { Argv } from 'yargs';
import type { Context } from './context.js';
import type { GlobalArgs } from './globals.js';

/** A call's work, given the environment, stdio and log of the call. */
export type Handler = (ctx: Context) => Promise<number>;

/** Words after the container ID that yargs must not see (split off by main.ts first). */
export interface Trailing {
  /** exec: the process's command and arguments; ps: ps(1)'s options. */
  words: string[];
  /** exec's repeatable --env values, gathered from anywhere before the command. */
  env: string[];
}

/** A parsed call: its container ID ('' for none) and handler. */
export interface Call {
  id: string;
  run: Handler;
  /** The call needs the caller's own process (its terminal, signals, children): see RunInCaller. */
  inCaller?: boolean;
  /** --preserve-fds: the caller's fds it passes on (checked against the site's before the call runs). */
  preserveFds?: number;
}

export interface Command {
  /** The command word. */
  readonly name: string;
  /** What follows the ID: yargs options (default), the process's command, or ps(1)'s options. */
  readonly trailing?: 'command' | 'ps-options';
  /**
   * It changes the container (create, start, kill, delete ...): where calls run side by side
   * (the service), those on one container run one at a time, in order. The others (state,
   * exec, events, ps) never wait: an exec or events call may last as long as the container.
   */
  readonly ordered?: boolean;
  /** Adds the command to a parser; `chosen` gets the call when it is the one parsed. */
  register(y: Argv<GlobalArgs>, chosen: (call: Call) => void, trailing: Trailing): Argv<GlobalArgs>;
}

export function defineCommand<A>(def: {
  /** yargs' command string: the name and positionals, e.g. 'kill <id> [signal]'. */
  usage: string;
  describe: string;
  options: (y: Argv<GlobalArgs>) => Argv<A>;
  call: (a: A, trailing: Trailing) => Call;
  trailing?: Command['trailing'];
  ordered?: boolean;
}): Command {
  return {
    name: def.usage.split(' ')[0]!,
    trailing: def.trailing,
    ordered: def.ordered,
    register: (y, chosen, trailing) => y.command(def.usage, def.describe, def.options, (a) => chosen(def.call(a as unknown as A, trailing))),
  };
}

/** The container ID positional most commands take. */
export const withId = <T>(y: Argv<T>): Argv<T & { id: string }> =>
  y.positional('id', { type: 'string', demandOption: true, describe: 'container ID' }) as Argv<T & { id: string }>;

/** --preserve-fds N: yargs would take "abc" for NaN and carry on. */
export function fdCount(v: unknown): number {
  const n = typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`--preserve-fds: "${String(v)}" is not a number of file descriptors`);
  return n;
}

/** --preserve-fds, as create, run and exec take it. */
export const PRESERVE_FDS = { type: 'string', requiresArg: true, default: '0', coerce: fdCount, describe: 'pass this many fds after stdio' } as const;
