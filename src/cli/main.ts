// The lxcri command line: global options, one module per command, one line on stderr and
// a non-zero exit code for every failure. Commands are imported when chosen, so a call
// loads only the code (and Node built-ins) it uses.
import yargs, { type Argv } from 'yargs';
import { checkLogFile } from '../log/logfile.js';
import { createLogger } from '../log/pino.js';
import type { Logger } from '../log/types.js';
import { errorMessage } from '../runtime/errors.js';
import { oneLine } from '../runtime/message.js';
import type { Runtime } from '../runtime/runtime.js';
import { OCI_VERSION } from '../spec/types.js';
import { writeErr, writeOut, type Context, type Env, type Stdio } from './context.js';
import { writeFailureLog } from './failurelog.js';
import { globalOptions, resolveGlobals, VALUE_FLAGS, type GlobalArgs } from './globals.js';
import { usageLine } from './usage.js';

/** Commands that touch no container and write no log line at the default level. */
const INFORMATIONAL: ReadonlySet<string> = new Set(['features', 'spec']);
import { VERSION } from './version.js';

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

export type Handler = (ctx: Context) => Promise<number>;

/** exec's options that take a value (so their value is not taken for the container ID). */
const EXEC_VALUE_FLAGS = new Set(['--process', '-p', '--pid-file', '--cwd', '--user', '-u', '--console-socket', '--preserve-fds']);

export interface ExecSplit {
  args: string[];
  command: string[];
  env: string[];
}

/**
 * `exec [options] ID CMD ARGS...`: everything after the ID is the command, untouched
 * (`exec ID ls -l` gives -l to ls); one "--" right after the ID is dropped. Split off,
 * with the repeatable --env/-e values, before yargs sees the arguments.
 */
function splitExecCommand(args: string[], at: number): ExecSplit {
  const kept = args.slice(0, at + 1);
  const env: string[] = [];
  for (let i = at + 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--env' || a === '-e') {
      if (i + 1 < args.length) env.push(args[++i]!);
      else kept.push(a); // yargs reports the missing value
    } else if (a.startsWith('--env=')) {
      env.push(a.slice('--env='.length));
    } else if (a === '--') {
      return { args: [...kept, ...args.slice(i + 1, i + 2)], command: args.slice(i + 2), env };
    } else if (EXEC_VALUE_FLAGS.has(a) || VALUE_FLAGS.has(a)) {
      kept.push(a);
      if (i + 1 < args.length) kept.push(args[++i]!);
    } else if (!a.startsWith('-') || a === '-') {
      const rest = args.slice(i + 1);
      return { args: [...kept, a], command: rest[0] === '--' ? rest.slice(1) : rest, env };
    } else {
      kept.push(a);
    }
  }
  return { args: kept, command: [], env };
}

/** --preserve-fds N: yargs would take "abc" for NaN and carry on. */
function fdCount(v: unknown): number {
  const n = typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`--preserve-fds: "${String(v)}" is not a number of file descriptors`);
  return n;
}

/** ps's options that take a value. */
const PS_VALUE_FLAGS = new Set(['--format', '-f']);

/**
 * `ps [options] ID PS-OPTIONS...`: what follows the ID is for ps(1) (`ps ID -o pid,comm`),
 * split off before yargs sees it; one "--" right after the ID is dropped.
 */
function splitPsOptions(args: string[], at: number): { args: string[]; trailing: string[] } {
  for (let i = at + 1; i < args.length; i++) {
    const a = args[i]!;
    if (PS_VALUE_FLAGS.has(a) || VALUE_FLAGS.has(a)) i++;
    else if (!a.startsWith('-') || a === '-') {
      const rest = args.slice(i + 1);
      return { args: args.slice(0, i + 1), trailing: rest[0] === '--' ? rest.slice(1) : rest };
    }
  }
  return { args, trailing: [] };
}

function commands(y: Argv<GlobalArgs>, set: (cmd: string, id: string, h: Handler) => void, exec: ExecSplit, psOptions: string[]): Argv<GlobalArgs> {
  const id = (a: Argv<GlobalArgs>): Argv<GlobalArgs & { id: string }> =>
    a.positional('id', { type: 'string', demandOption: true, describe: 'container ID' }) as Argv<GlobalArgs & { id: string }>;
  return y
    .command(
      'create <id>',
      'create a container from a bundle; it waits for start',
      (a) =>
        id(a)
          .option('bundle', { alias: 'b', type: 'string', requiresArg: true, default: '.', describe: 'bundle directory' })
          .option('pid-file', { type: 'string', requiresArg: true, describe: 'write the PID of the container init to this file' })
          .option('console-socket', { type: 'string', requiresArg: true, describe: 'unix socket that receives the terminal' })
          .option('preserve-fds', { type: 'string', requiresArg: true, default: '0', coerce: fdCount, describe: 'pass this many fds after stdio' })
          .option('no-pivot', { type: 'boolean', describe: 'accepted for compatibility' })
          .option('no-new-keyring', { type: 'boolean', describe: 'accepted for compatibility' }),
      (a) =>
        set('create', a.id, (ctx) => {
          return import('./commands/create.js').then((m) =>
            m.create({ id: a.id, bundle: a.bundle, pidFile: a['pid-file'], consoleSocket: a['console-socket'], preserveFds: a['preserve-fds'] }, ctx),
          );
        }),
    )
    .command('start <id>', 'start the process of a created container', (a) => id(a), (a) => set('start', a.id, (ctx) => import('./commands/start.js').then((m) => m.start({ id: a.id }, ctx))))
    .command('state <id>', 'print the state JSON of a container', (a) => id(a), (a) => set('state', a.id, (ctx) => import('./commands/state.js').then((m) => m.state({ id: a.id }, ctx))))
    .command(
      'kill <id> [signal]',
      'send a signal to a container (default TERM)',
      (a) =>
        id(a)
          .positional('signal', { type: 'string', default: 'TERM', describe: 'name (KILL, SIGKILL) or number' })
          .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'every process of the container\'s cgroup' }),
      (a) => set('kill', a.id, (ctx) => import('./commands/kill.js').then((m) => m.kill({ id: a.id, signal: String(a.signal), all: a.all }, ctx))),
    )
    .command(
      'delete <id>',
      'delete a stopped container (--force: any, and unknown IDs succeed)',
      (a) => id(a).option('force', { alias: 'f', type: 'boolean', default: false, describe: 'kill it first if it runs' }),
      (a) => set('delete', a.id, (ctx) => import('./commands/delete.js').then((m) => m.del({ id: a.id, force: a.force }, ctx))),
    )
    .command('inspect <id>', 'print state, spec, liblxc config and record of a container as JSON', (a) => id(a), (a) =>
      set('inspect', a.id, (ctx) => import('./commands/inspect.js').then((m) => m.inspectCmd({ id: a.id }, ctx))),
    )
    .command('pause <id>', 'freeze every process of a running container', (a) => id(a), (a) =>
      set('pause', a.id, (ctx) => import('./commands/pause.js').then((m) => m.pauseCmd({ id: a.id, resume: false }, ctx))),
    )
    .command('resume <id>', 'thaw a paused container', (a) => id(a), (a) =>
      set('resume', a.id, (ctx) => import('./commands/pause.js').then((m) => m.pauseCmd({ id: a.id, resume: true }, ctx))),
    )
    .command(
      'update <id>',
      'change the cgroup limits of a live container (runtime-spec LinuxResources JSON)',
      (a) => id(a).option('resources', { alias: 'r', type: 'string', requiresArg: true, demandOption: true, describe: 'JSON file, or - for stdin' }),
      (a) => set('update', a.id, (ctx) => import('./commands/update.js').then((m) => m.update({ id: a.id, resources: a.resources }, ctx))),
    )
    .command(
      'list',
      'list containers',
      (a) =>
        a
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'IDs only' })
          .option('format', { alias: 'f', choices: ['table', 'json'] as const, default: 'table' as const, requiresArg: true }),
      (a) => set('list', '', (ctx) => import('./commands/list.js').then((m) => m.list({ quiet: a.quiet, format: a.format }, ctx))),
    )
    .command(
      'exec <id> [command..]',
      'run a process in a created or running container; exits with its status (--detach: 0)',
      (a) =>
        id(a)
          // Everything after the ID belongs to the command: `exec ID ls -l` gives -l to ls.
          .positional('command', { type: 'string', array: true, describe: 'command and arguments (without --process), passed as they are' })
          .option('process', { alias: 'p', type: 'string', requiresArg: true, describe: 'runtime-spec Process JSON file' })
          .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'do not wait; print nothing, write --pid-file' })
          .option('pid-file', { type: 'string', requiresArg: true, describe: 'write the process PID to this file' })
          .option('cwd', { type: 'string', requiresArg: true, describe: 'working directory in the container' })
          .option('env', { alias: 'e', type: 'string', requiresArg: true, describe: 'KEY=VALUE, repeatable' })
          .option('user', { alias: 'u', type: 'string', requiresArg: true, describe: 'UID[:GID]' })
          .option('tty', { alias: 't', type: 'boolean', default: false, describe: 'give the process a terminal (process.terminal)' })
          .option('console-socket', { type: 'string', requiresArg: true, describe: 'unix socket that receives the terminal' })
          .option('preserve-fds', { type: 'string', requiresArg: true, default: '0', coerce: fdCount, describe: 'pass this many fds after stdio' }),
      (a) =>
        set('exec', a.id, (ctx) =>
          import('./commands/exec.js').then((m) =>
            m.execCmd(
              {
                id: a.id,
                command: exec.command,
                process: a.process,
                detach: a.detach,
                pidFile: a['pid-file'],
                cwd: a.cwd,
                env: exec.env,
                user: a.user,
                tty: a.tty,
                consoleSocket: a['console-socket'],
                preserveFds: a['preserve-fds'],
              },
              ctx,
            ),
          ),
        ),
    )
    .command(
      'spec',
      'write a starter config.json into the bundle (as runc spec); never overwrites one',
      (a) =>
        a
          .option('bundle', { alias: 'b', type: 'string', default: '.', describe: 'bundle directory' })
          .option('rootless', { type: 'boolean', default: false, describe: 'map the caller to root in a user namespace, no network namespace' }),
      (a) => set('spec', '', (ctx) => import('./commands/spec.js').then((m) => m.specCmd({ bundle: a.bundle, rootless: a.rootless }, ctx))),
    )
    .command(
      'ps <id>',
      "list the container's processes: ps(1) lines (options after the ID, default -ef) or --format json host PIDs",
      (a) => id(a).option('format', { alias: 'f', choices: ['table', 'json'] as const, default: 'table' as const }),
      (a) => set('ps', a.id, (ctx) => import('./commands/ps.js').then((m) => m.ps({ id: a.id, format: a.format, psArgs: psOptions }, ctx))),
    )
    .command(
      'events <id>',
      "print the container's cgroup statistics as JSON lines (runc's stats events): once with --stats, else every --interval until it stops",
      (a) =>
        id(a)
          .option('stats', { type: 'boolean', default: false, describe: 'print one sample and exit' })
          .option('interval', { type: 'string', default: '5s', describe: 'time between samples (5s, 100ms, 1m)' }),
      (a) => set('events', a.id, (ctx) => import('./commands/events.js').then((m) => m.events({ id: a.id, stats: a.stats, interval: a.interval }, ctx))),
    )
    .command('features', 'print the runtime-spec Features JSON of this runtime', (a) => a, () =>
      set('features', '', (ctx) => import('./commands/features.js').then((m) => m.features(ctx))),
    )
    .command(
      'run <id>',
      'create and start a container; in the foreground wait for it, delete it and exit with its status',
      (a) =>
        id(a)
          .option('bundle', { alias: 'b', type: 'string', requiresArg: true, default: '.', describe: 'bundle directory' })
          .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'return once the process runs; delete it later' })
          .option('pid-file', { type: 'string', requiresArg: true, describe: 'write the PID of the container init (as create) to this file' })
          .option('console-socket', { type: 'string', requiresArg: true, describe: 'unix socket that receives the terminal (with --detach)' })
          .option('preserve-fds', { type: 'string', requiresArg: true, default: '0', coerce: fdCount, describe: 'pass this many fds after stdio' })
          .option('keep', { type: 'boolean', default: false, describe: 'do not delete the container after it exits' })
          .option('no-pivot', { type: 'boolean', describe: 'accepted for compatibility' })
          .option('no-new-keyring', { type: 'boolean', describe: 'accepted for compatibility' }),
      (a) =>
        set('run', a.id, (ctx) =>
          import('./commands/run.js').then((m) =>
            m.run(
              {
                id: a.id,
                bundle: a.bundle,
                detach: a.detach,
                pidFile: a['pid-file'],
                consoleSocket: a['console-socket'],
                preserveFds: a['preserve-fds'],
                keep: a.keep,
              },
              ctx,
            ),
          ),
        ),
    );
}

/**
 * Every command and option, as --help shows them. The man pages and the shell completion
 * are generated from this too (src/cli/doc/), with a `y` that records the definitions.
 */
export function cli(y: Argv, set: (cmd: string, id: string, h: Handler) => void, exec: ExecSplit = { args: [], command: [], env: [] }, psOptions: string[] = []): Argv<GlobalArgs> {
  return commands(globalOptions(y.version(false)), set, exec, psOptions)
    .scriptName('lxcri')
    .usage('$0 [global options] <command> [options] <id>')
    .help('help')
    .option('version', { alias: 'v', type: 'boolean', describe: 'print the version' })
    .alias('help', 'h');
}

async function versionText(): Promise<string> {
  let lxcVersion = 'unknown';
  try {
    const { lxc } = await import('../runtime/native.js');
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

/** The command word: the first argument that is neither a global option nor its value. */
function commandWord(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (VALUE_FLAGS.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

export async function main(args: string[], env: Env, stdio: Stdio): Promise<number> {
  if (wantsVersion(args)) {
    writeOut(stdio, await versionText());
    return 0;
  }
  // Managers probe `checkpoint --help`: it must fail for checkpointing to count as unsupported.
  if (commandWord(args) === 'checkpoint') {
    writeErr(stdio, 'lxcri: checkpoint is not supported\n');
    return 1;
  }
  let chosen: { cmd: string; id: string; handler: Handler } | undefined;
  let usageError: string | undefined;
  let printed = false;
  let exec: ExecSplit = { args, command: [], env: [] };
  const word = commandWord(args);
  if (word === 'exec') exec = splitExecCommand(args, args.indexOf(word));
  args = exec.args;
  let psOptions: string[] = [];
  if (word === 'ps') ({ args, trailing: psOptions } = splitPsOptions(args, args.indexOf(word)));
  const parser = cli(yargs(), (cmd, id, handler) => (chosen = { cmd, id, handler }), exec, psOptions)
    .strict()
    .wrap(null)
    .exitProcess(false)
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .fail((msg, err) => {
      usageError = usageLine(msg || (err ? errorMessage(err) : 'invalid arguments'));
    });
  let g: GlobalArgs;
  try {
    // yargs takes a lone "-" after a long option for a flag, not its value (update --resources - ID).
    const argv = args.flatMap((a, i) => (a === '--resources' && args[i + 1] === '-' ? ['--resources=-'] : a === '-' && args[i - 1] === '--resources' ? [] : [a]));
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

  const began = process.hrtime.bigint();
  let log: Logger | undefined;
  const { cmd, id, handler } = chosen;
  try {
    const { config: cfg, logLevel: level, timestamp, settings, variables, warnings } = resolveGlobals(g, env);
    // Before anything runs: a path that cannot take the log fails the call here, once.
    // Commands that only print what lxcri supports run for any user, as runc's do.
    if (!INFORMATIONAL.has(cmd)) checkLogFile(cfg.lxcLogFile!);
    log = createLogger({
      file: cfg.lxcLogFile!,
      level,
      timestamp,
      console: settings.logConsole,
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
    const runtime = async (): Promise<Runtime> => (rt ??= new (await import('../runtime/runtime.js')).Runtime(cfg, l));
    const createHook = settings.createHook ? { path: settings.createHook, timeoutMs: settings.createHookTimeout * 1000 } : undefined;
    const code = await handler({ env, stdio, log: l, runtime, createHook });
    log.debug('cmd completed', { duration: Number(process.hrtime.bigint() - began) / 1e6 });
    return code;
  } catch (err) {
    const msg = errorMessage(err);
    writeErr(stdio, `lxcri: ${msg}\n`);
    log?.error('cmd failed', { error: msg, duration: Number(process.hrtime.bigint() - began) / 1e6 });
    if (g.log) writeFailureLog(g.log, g['log-format'], msg);
    return 1;
  }
}
