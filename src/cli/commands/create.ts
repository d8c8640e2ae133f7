// create --bundle DIR [--pid-file FILE] ID: the container exists, its init blocked before
// exec, when this returns. The pid file gets the init's PID (see K8S.md), atomically; the
// init goes to our nearest child subreaper (conmon), nothing of lxcri stays behind.
import { resolve } from 'node:path';
import { errorMessage } from '../../runtime/errors.js';
import type { Context } from '../context.js';

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
  const runHook = async (error?: string): Promise<void> => {
    if (!hook) return;
    const { runCreateHook } = await import('../createhook.js');
    const bundle = resolve(args.bundle);
    await runCreateHook(hook, { id: args.id, root: rt.config.root, bundle, logFile: rt.config.lxcLogFile ?? '', error }, ctx.log);
  };
  let hookRan = false;
  let record;
  try {
    ({ record } = await rt.create({
      id: args.id,
      bundle: args.bundle,
      consoleSocket: args.consoleSocket !== undefined ? resolve(args.consoleSocket) : undefined,
      preserveFds: args.preserveFds,
      adopt: false,
      pidFile: args.pidFile,
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
