// run [--detach] [--pid-file F] [--console-socket S] [--preserve-fds N] [--keep] --bundle DIR ID:
// create and start. In the foreground lxcri waits for the container, exits with its
// status (128+N after signal N), passes its own signals on, and deletes it (unless
// --keep). With --detach it returns once the process runs, as runc does; the container
// keeps running and `delete --force` removes it.
import { closeSync } from 'node:fs';
import { constants } from 'node:os';
import type { Container } from '../../runtime/container.js';
import { RuntimeError } from '../../base/errors.js';
import type { Runtime } from '../../runtime/runtime.js';
import { oneLine } from '../../base/message.js';
import type { PtyRelay } from '../../runtime/ptyrelay.js';
import { callPath, writeErr, type Context } from '../context.js';
import { defineCommand, PRESERVE_FDS, withId } from '../command.js';

export interface RunArgs {
  id: string;
  bundle: string;
  detach?: boolean;
  /** Gets the container's init PID, as with create (see K8S.md, "The pid file"). */
  pidFile?: string;
  /** Only with --detach and process.terminal (runc's rule). */
  consoleSocket?: string;
  preserveFds?: number;
  /** Foreground only: leave the stopped container for the caller to delete. */
  keep?: boolean;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

function checkArgs(args: RunArgs): void {
  // runc refuses these too: lxcri would have no pty of its own to relay, and a detached
  // run has nobody left to delete a kept container's leftovers.
  if (args.consoleSocket !== undefined && !args.detach) throw new RuntimeError('invalid-argument', '--console-socket needs --detach');
  if (args.keep && args.detach) throw new RuntimeError('invalid-argument', '--keep and --detach cannot be used together');
}

export async function run(args: RunArgs, ctx: Context): Promise<number> {
  checkArgs(args);
  const rt = await ctx.runtime();
  let master: number | undefined;
  // In the foreground the init becomes our child (we wait for it and have its exact
  // status); detached it goes to our nearest subreaper, as with runc.
  const { container, record } = await rt.create({
    id: args.id,
    bundle: callPath(ctx.site, args.bundle),
    adopt: !args.detach,
    consoleSocket: args.consoleSocket !== undefined ? callPath(ctx.site, args.consoleSocket) : undefined,
    preserveFds: args.preserveFds,
    pidFile: args.pidFile !== undefined ? callPath(ctx.site, args.pidFile) : undefined,
    // As runc: in the foreground, process.terminal without a console socket is a pty that
    // run relays to its own stdio; detached it stays an error.
    takeConsole: args.detach ? undefined : (fd) => (master = fd),
  });
  if (args.detach) {
    // Nothing of the container may stay behind when start fails.
    try {
      await startWarn(rt, container, ctx);
    } catch (err) {
      await rt.delete(args.id, { force: true }).catch(() => undefined);
      throw err;
    }
    ctx.log.debug('container runs detached', { pid: record.init?.pid });
    return 0;
  }
  const forward = (sig: NodeJS.Signals): void => {
    try {
      container.kill(constants.signals[sig]);
    } catch {
      /* already gone */
    }
  };
  for (const s of FORWARDED) process.on(s, forward);
  let started = false;
  let relay: PtyRelay | undefined;
  try {
    if (master !== undefined) relay = (await import('../../runtime/ptyrelay.js')).startRelay(master, ctx.stdio);
    await startWarn(rt, container, ctx);
    started = true;
    // The init is our child (adopt): its exact status, 128+N after signal N.
    const code = await container.wait();
    if (code === undefined) throw new RuntimeError('system', `container "${args.id}" stopped, but its exit status was lost (its init was not lxcri's child)`);
    return code;
  } finally {
    for (const s of FORWARDED) process.off(s, forward);
    if (master !== undefined) await endRelay(relay, master, ctx);
    if (!args.keep || !started) for (const w of await rt.delete(args.id, { force: true })) writeErr(ctx.stdio, `lxcri: warning: ${oneLine(w)}\n`);
  }
}

/** The container has ended: the rest of its output, our terminal back, the master closed. */
async function endRelay(relay: PtyRelay | undefined, master: number, ctx: Context): Promise<void> {
  try {
    await relay?.finish();
  } catch (err) {
    writeErr(ctx.stdio, `lxcri: warning: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
  } finally {
    closeSync(master);
  }
}

async function startWarn(rt: Runtime, container: Container, ctx: Context): Promise<void> {
  for (const w of await container.start(rt.config.timeouts.start, ctx.log)) writeErr(ctx.stdio, `lxcri: warning: ${oneLine(w)}\n`);
}

export const command = defineCommand({
  usage: 'run <id>',
  ordered: true,
  describe: 'create and start a container; in the foreground wait for it, delete it and exit with its status',
  options: (a) =>
    withId(a)
      .option('bundle', { alias: 'b', type: 'string', requiresArg: true, default: '.', describe: 'bundle directory' })
      .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'return once the process runs; delete it later' })
      .option('pid-file', { type: 'string', requiresArg: true, describe: 'write the PID of the container init (as create) to this file' })
      .option('console-socket', { type: 'string', requiresArg: true, describe: 'unix socket that receives the terminal (with --detach)' })
      .option('preserve-fds', PRESERVE_FDS)
      .option('keep', { type: 'boolean', default: false, describe: 'do not delete the container after it exits' })
      .option('no-pivot', { type: 'boolean', describe: 'accepted for compatibility' })
      .option('no-new-keyring', { type: 'boolean', describe: 'accepted for compatibility' }),
  call: (a) => ({
    id: a.id,
    // In the foreground run waits for the init as its parent and relays signals and the
    // terminal: only the caller's own process can.
    inCaller: !a.detach,
    preserveFds: a['preserve-fds'],
    run: (ctx) =>
      run(
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
  }),
});
