// The lxcri command line's entry and error boundary: it parses with the command table
// (parser.ts, commands/index.ts: each command module owns its options and handler), runs
// the chosen call with the environment and stdio it was given, and turns every failure
// into one line on stderr and a non-zero exit code. Command modules load their heavy
// parts when they run, so a call loads little more than the code it uses.
import yargs, { type Argv } from 'yargs';
import { checkLogFile } from '../log/logfile.js';
import { createLogger, type CallLogger } from '../log/pino.js';
import { errorMessage } from '../base/errors.js';
import { oneLine } from '../base/message.js';
import type { Runtime } from '../runtime/runtime.js';
import { OCI_VERSION } from '../spec/types.js';
import { localHost } from '../runtime/processhost.js';
import { callPath, RunInCaller, writeErr, writeOut, type CallSite, type Env, type Stdio } from './context.js';
import { writeFailureLog } from './failurelog.js';
import type { Call, Command, Trailing } from './command.js';
import { COMMANDS } from './commands/index.js';
import { describeArgv } from './doc/registry.js';
import { resolveGlobals, VALUE_FLAGS, type GlobalArgs } from './globals.js';
import { cli } from './parser.js';
import { usageLine } from './usage.js';

import { VERSION } from './version.js';

/** Commands that touch no container and write no log line at the default level. */
export const INFORMATIONAL: ReadonlySet<string> = new Set(['features', 'spec']);

/** `lxcri [globals] --version` / `-v` (yargs reserves "version" for its own). */
function wantsVersion(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--version' || a === '-v') return true;
    if (VALUE_FLAGS.has(a)) i++;
    else if (!a.startsWith('-')) return false;
  }
  return false;
}

/**
 * Split off what follows the container ID of exec (the process's command, untouched:
 * `exec ID ls -l` gives -l to ls, and the repeatable --env values) or of ps (ps(1)'s
 * options) before yargs sees the arguments; one "--" right after the ID is dropped. The
 * options that take a value are read from the command's own definition.
 */
function splitTrailing(args: string[], at: number, cmd: Command): { args: string[]; trailing: Trailing } {
  const takesValue = valueFlags(cmd);
  const kept = args.slice(0, at + 1);
  const env: string[] = [];
  const gatherEnv = cmd.trailing === 'command';
  for (let i = at + 1; i < args.length; i++) {
    const a = args[i]!;
    if (gatherEnv && (a === '--env' || a === '-e')) {
      if (i + 1 < args.length) env.push(args[++i]!);
      else kept.push(a); // yargs reports the missing value
    } else if (gatherEnv && a.startsWith('--env=')) {
      env.push(a.slice('--env='.length));
    } else if (a === '--' && gatherEnv) {
      return { args: [...kept, ...args.slice(i + 1, i + 2)], trailing: { words: args.slice(i + 2), env } };
    } else if (takesValue.has(a) || VALUE_FLAGS.has(a)) {
      kept.push(a);
      if (i + 1 < args.length) kept.push(args[++i]!);
    } else if (!a.startsWith('-') || a === '-') {
      const rest = args.slice(i + 1);
      return { args: [...kept, a], trailing: { words: rest[0] === '--' ? rest.slice(1) : rest, env } };
    } else {
      kept.push(a);
    }
  }
  return { args: kept, trailing: { words: [], env } };
}

/** The command's options that take a value, as spelled on the command line (--cwd, -u). */
function valueFlags(cmd: Command): Set<string> {
  const doc = describeArgv((y) => cmd.register(y as Argv<GlobalArgs>, () => undefined, { words: [], env: [] })).commands[0];
  const flags = new Set<string>();
  for (const o of doc?.options ?? []) {
    if (o.type === 'boolean' || o.type === 'count') continue;
    for (const n of [o.name, ...o.aliases]) flags.add(n.length === 1 ? `-${n}` : `--${n}`);
  }
  return flags;
}

async function versionText(): Promise<string> {
  let lxcVersion = 'unknown';
  try {
    const { lxc } = await import('../base/native.js');
    lxcVersion = lxc().version();
  } catch {
    /* the addon is optional for --version */
  }
  return `lxcri version ${VERSION}\nspec: ${OCI_VERSION}\nliblxc: ${lxcVersion}\n`;
}

/** The commands the parser knows, from its help text ("  lxcri create <id>  ..."). */
async function commandNames(parser: Argv<GlobalArgs>): Promise<Set<string>> {
  const help = await parser.getHelp();
  return new Set([...help.matchAll(/^ {2}lxcri (\S+)/gm)].map((m) => m[1]!));
}

/** The command word and its index: the first argument that is neither a global option nor its value. */
function commandWord(args: string[]): { word?: string; at: number } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (VALUE_FLAGS.has(a)) i++;
    else if (!a.startsWith('-')) return { word: a, at: i };
  }
  return { at: args.length };
}

/**
 * One call: `site` says where it runs (default: in this process, in its directory). A call
 * that needs the caller's own process throws RunInCaller when the site is not it.
 */
export async function main(args: string[], env: Env, stdio: Stdio, site: CallSite = { cwd: process.cwd(), host: localHost }): Promise<number> {
  if (wantsVersion(args)) {
    writeOut(stdio, await versionText());
    return 0;
  }
  const { word, at } = commandWord(args);
  // Managers probe `checkpoint --help`: it must fail for checkpointing to count as unsupported.
  if (word === 'checkpoint') {
    writeErr(stdio, 'lxcri: checkpoint is not supported\n');
    return 1;
  }
  let chosen: { cmd: string; call: Call } | undefined;
  let usageError: string | undefined;
  let printed = false;
  const command = COMMANDS.find((c) => c.name === word);
  let trailing: Trailing = { words: [], env: [] };
  if (command?.trailing) ({ args, trailing } = splitTrailing(args, at, command));
  const parser = cli(yargs(), (cmd, call) => (chosen = { cmd, call }), trailing)
    .strict()
    .wrap(null)
    .exitProcess(false)
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .fail((msg, err) => {
      usageError = usageLine(msg || (err ? errorMessage(err) : 'invalid arguments'));
    });
  let g: GlobalArgs;
  try {
    // yargs takes a lone "-" (stdin) after a long option for a flag, not its value
    // (update --resources - ID): joined as --resources=-.
    const takesValue = command && args.includes('-') ? valueFlags(command) : new Set<string>();
    const joins = (i: number): boolean => args[i]!.startsWith('--') && takesValue.has(args[i]!) && args[i + 1] === '-';
    const argv = args.flatMap((a, i) => (joins(i) ? [`${a}=-`] : i > 0 && joins(i - 1) ? [] : [a]));
    g = (await parser.parseAsync(argv, {}, (_err, _argv, output) => {
      if (output) {
        printed = true;
        if (!usageError) writeOut(stdio, `${output}\n`);
      }
    })) as GlobalArgs;
  } catch (err) {
    usageError ??= usageLine(errorMessage(err));
    g = {};
  }
  // yargs says "Unknown arguments: stat, x" for a misspelled command.
  if (usageError && !chosen && word !== undefined && /^Unknown arguments?: /.test(usageError) && !(await commandNames(parser)).has(word)) {
    usageError = `unknown command "${word}"`;
  }
  if (usageError) {
    // yargs spreads some messages (invalid choices) over several lines: one line, always.
    writeErr(stdio, `lxcri: ${oneLine(usageError.replace(/:?\s*\n\s*/g, ': '))} (see lxcri --help)\n`);
    return 2;
  }
  if (!chosen) {
    if (!printed) writeErr(stdio, 'lxcri: a command is required (see lxcri --help)\n');
    return printed ? 0 : 2;
  }

  const { cmd, call } = chosen;
  if (call.inCaller && !site.host.ownsCaller) throw new RunInCaller(cmd);
  // The service has the fds its client sent; a client that sent fewer runs the call itself.
  if (call.preserveFds) site.host.preservedFds(call.preserveFds);
  const began = process.hrtime.bigint();
  let log: CallLogger | undefined;
  const { id, run: handler } = call;
  try {
    const { config: cfg, logLevel: level, timestamp, settings, variables, warnings } = resolveGlobals(g, env, site.cwd);
    // The client guessed the root and the mode from a shorter parse than this one.
    if (site.root !== undefined && (cfg.root !== site.root || settings.service === 'off')) throw new RunInCaller(`root ${cfg.root}, service ${settings.service}`);
    // Before anything runs: a path that cannot take the log fails the call here, once.
    // Commands that only print what lxcri supports run for any user, as runc's do.
    if (!INFORMATIONAL.has(cmd)) checkLogFile(cfg.lxcLogFile!);
    log = createLogger({
      file: cfg.lxcLogFile!,
      level,
      timestamp,
      console: settings.logConsole,
      consoleFd: stdio.stderr,
      bindings: id ? { cmd, cid: id } : { cmd },
      onError: (msg) => writeErr(stdio, `lxcri: ${oneLine(msg)}\n`),
    });
    const l = log;
    for (const v of variables) l.trace('setting from variable', { env: v.env, source: v.source });
    for (const w of warnings) {
      writeErr(stdio, `lxcri: warning: ${oneLine(w.text)}\n`);
      l.warn('unknown setting in the environment file', w.fields);
    }
    let rt: Runtime | undefined;
    const runtime = async (): Promise<Runtime> => (rt ??= new (await import('../runtime/runtime.js')).Runtime(cfg, l, site.host));
    const createHook = settings.createHook ? { path: callPath(site, settings.createHook), timeoutMs: settings.createHookTimeout * 1000 } : undefined;
    const work = (): Promise<number> => handler({ env, stdio, log: l, runtime, createHook, settings, site });
    // Calls that change one container, one at a time (the service serves many calls at once).
    const code = id && command?.ordered && site.serialize ? await site.serialize(`${cfg.root!}\0${id}`, work) : await work();
    log.debug('cmd completed', { duration: Number(process.hrtime.bigint() - began) / 1e6 });
    return code;
  } catch (err) {
    if (err instanceof RunInCaller) throw err;
    const msg = errorMessage(err);
    writeErr(stdio, `lxcri: ${msg}\n`);
    log?.error('cmd failed', { error: msg, duration: Number(process.hrtime.bigint() - began) / 1e6 });
    if (g.log) writeFailureLog(callPath(site, g.log), g['log-format'], msg);
    return 1;
  } finally {
    log?.close();
  }
}
