// exec [--process FILE] [--detach] [--pid-file P] [--cwd D] [--env K=V]... [--user UID[:GID]]
// ID [CMD ARGS...]: run a process in a created or running container. In the foreground
// lxcri exits with the process's exit status; with --detach it writes the process's PID
// and exits 0, leaving the process to lxcri's parent (conmon reaps it).
import { errnoText, errorMessage, RuntimeError } from '../../base/errors.js';
import { OCI_VERSION, type Process } from '../../spec/types.js';
import { callPath, RunInCaller, type Context } from '../context.js';
import { defineCommand, PRESERVE_FDS, withId } from '../command.js';

export interface ExecArgs {
  id: string;
  command: string[];
  process?: string;
  detach: boolean;
  pidFile?: string;
  cwd?: string;
  env: string[];
  user?: string;
  tty: boolean;
  consoleSocket?: string;
  preserveFds: number;
}

const invalid = (msg: string): RuntimeError => new RuntimeError('invalid-argument', msg);

/** The --process file: runtime-spec Process JSON, schema-checked, args required. */
async function readProcess(file: string, shown: string): Promise<Process> {
  let data: unknown;
  try {
    data = await (await import('../../spec/jsonfile.js')).readJsonFile(file);
  } catch (err) {
    throw invalid(`cannot read --process ${shown}: ${err instanceof (await import('../../spec/jsonfile.js')).JsonFileError ? errorMessage(err) : errnoText(err)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid(`--process ${shown}: not a JSON object`);
  const { validateSchema } = await import('../../spec/validate.js');
  try {
    await validateSchema('config', { ociVersion: OCI_VERSION, process: data }, `--process ${shown}`);
  } catch (err) {
    throw invalid(errorMessage(err).replace('/process/', '/'));
  }
  return data as Process;
}

function parseUser(u: string): { uid: number; gid: number } {
  const m = /^(\d+)(?::(\d+))?$/.exec(u);
  if (!m) throw invalid(`--user ${u}: expected UID or UID:GID (numbers)`);
  const uid = Number(m[1]);
  const gid = m[2] === undefined ? 0 : Number(m[2]);
  if (uid > 0xfffffffe || gid > 0xfffffffe) throw invalid(`--user ${u}: out of range`);
  return { uid, gid };
}

/** A foreground process with a terminal and no console socket: exec relays a pty of its own (ptyrelay.ts). */
function relaysTerminal(terminal: boolean, a: { detach: boolean; consoleSocket?: string }): boolean {
  return terminal && !a.detach && a.consoleSocket === undefined;
}

export async function execCmd(args: ExecArgs, ctx: Context): Promise<number> {
  for (const e of args.env) if (!e.includes('=') || e.startsWith('=')) throw invalid(`--env ${e}: expected KEY=VALUE`);
  const rt = await ctx.runtime();
  const c = await rt.get(args.id);
  let p: Process;
  if (args.process) {
    p = await readProcess(callPath(ctx.site, args.process), args.process);
  } else {
    if (!args.command.length) throw invalid('exec needs --process FILE or a command');
    // runc: the container's own process, with what the flags say replaced.
    p = { ...(await c.process()), args: args.command, terminal: args.tty };
  }
  // runc: --tty sets process.terminal (conmon < 2.1.11 passes it with a --process too).
  if (args.tty) p.terminal = true;
  if (args.process && args.command.length) ctx.log.warn('exec: command ignored, --process given');
  if (args.cwd !== undefined) p.cwd = args.cwd;
  if (args.env.length) p.env = [...(p.env ?? []), ...args.env];
  if (args.user !== undefined) p.user = { ...parseUser(args.user), additionalGids: undefined, umask: p.user?.umask };
  // What create refuses in config.json, exec refuses too, with the same code.
  const { checkProcess } = await import('../../spec/process.js');
  checkProcess(p, (msg) => invalid(`exec: ${msg}`));
  if (relaysTerminal(p.terminal === true, args) && !ctx.site.host.ownsCaller) throw new RunInCaller('exec relays a terminal');
  // With a console socket the process's stdio is the new terminal.
  const stdio = args.consoleSocket === undefined ? ctx.stdio : undefined;
  const at = (f: string | undefined): string | undefined => (f !== undefined ? callPath(ctx.site, f) : undefined);
  const opts = { stdio, consoleSocket: at(args.consoleSocket), preserveFds: args.preserveFds, pidFile: args.detach ? at(args.pidFile) : undefined };
  if (!args.detach) {
    const code = await c.exec(p, opts);
    ctx.log.debug('exec process exited', { code });
    return code;
  }
  // Not waited for: lxcri's parent (conmon, a subreaper) reaps it once we exit.
  const { pid } = await c.execDetached(p, opts);
  ctx.log.debug('exec process started', { pid });
  return 0;
}

export const command = defineCommand({
  usage: 'exec <id> [command..]',
  describe: 'run a process in a created or running container; exits with its status (--detach: 0)',
  trailing: 'command',
  options: (a) =>
    withId(a)
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
      .option('preserve-fds', PRESERVE_FDS),
  call: (a, trailing) => ({
    id: a.id,
    preserveFds: a['preserve-fds'],
    inCaller: relaysTerminal(a.tty, { detach: a.detach, consoleSocket: a['console-socket'] }),
    run: (ctx) =>
      execCmd(
        {
          id: a.id,
          command: trailing.words,
          process: a.process,
          detach: a.detach,
          pidFile: a['pid-file'],
          cwd: a.cwd,
          env: trailing.env,
          user: a.user,
          tty: a.tty,
          consoleSocket: a['console-socket'],
          preserveFds: a['preserve-fds'],
        },
        ctx,
      ),
  }),
});
