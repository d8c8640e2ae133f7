// create --bundle DIR [--pid-file FILE] ID: the container exists, its init blocked before
// exec, when this returns. The pid file gets the init's PID (see K8S.md), atomically; the
// init goes to our nearest child subreaper (conmon), nothing of lxcri stays behind.
import { errorMessage } from '../../base/errors.js';
import { callPath, type Context } from '../context.js';
import { defineCommand, PRESERVE_FDS, withId } from '../command.js';

export interface CreateArgs {
  id: string;
  bundle: string;
  pidFile?: string;
  consoleSocket?: string;
  preserveFds?: number;
}

export async function create(args: CreateArgs, ctx: Context): Promise<number> {
  const rt = await ctx.runtime();
  const hook = ctx.createHook;
  const bundle = callPath(ctx.site, args.bundle);
  const runHook = async (error?: string): Promise<void> => {
    if (!hook) return;
    const { runCreateHook } = await import('../createhook.js');
    await runCreateHook(hook, { id: args.id, root: rt.config.root, bundle, logFile: rt.config.lxcLogFile ?? '', error }, ctx.log);
  };
  let hookRan = false;
  let record;
  try {
    ({ record } = await rt.create({
      id: args.id,
      bundle,
      consoleSocket: args.consoleSocket !== undefined ? callPath(ctx.site, args.consoleSocket) : undefined,
      preserveFds: args.preserveFds,
      adopt: false,
      pidFile: args.pidFile !== undefined ? callPath(ctx.site, args.pidFile) : undefined,
      // While the runtime dir still holds what the failing container was given.
      beforeCleanup: async (err) => {
        hookRan = true;
        await runHook(errorMessage(err));
      },
    }));
  } catch (err) {
    if (!hookRan) await runHook(errorMessage(err));
    throw err;
  }
  await runHook();
  ctx.log.debug('container created', { pid: record.init?.pid });
  return 0;
}

export const command = defineCommand({
  usage: 'create <id>',
  ordered: true,
  describe: 'create a container from a bundle; it waits for start',
  options: (a) =>
    withId(a)
      .option('bundle', { alias: 'b', type: 'string', requiresArg: true, default: '.', describe: 'bundle directory' })
      .option('pid-file', { type: 'string', requiresArg: true, describe: 'write the PID of the container init to this file' })
      .option('console-socket', { type: 'string', requiresArg: true, describe: 'unix socket that receives the terminal' })
      .option('preserve-fds', PRESERVE_FDS)
      .option('no-pivot', { type: 'boolean', describe: 'accepted for compatibility' })
      .option('no-new-keyring', { type: 'boolean', describe: 'accepted for compatibility' }),
  call: (a) => ({
    id: a.id,
    preserveFds: a['preserve-fds'],
    run: (ctx) => create({ id: a.id, bundle: a.bundle, pidFile: a['pid-file'], consoleSocket: a['console-socket'], preserveFds: a['preserve-fds'] }, ctx),
  }),
});
