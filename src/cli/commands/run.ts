// run --bundle DIR ID: create, start, wait for the container to exit and exit with its
// status (128+N after signal N), then delete it. Signals to lxcri are passed on to it.
import { constants } from 'node:os';
import { writeErr, type Context } from '../context.js';

export interface RunArgs {
  id: string;
  bundle: string;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export async function run(args: RunArgs, ctx: Context): Promise<number> {
  const rt = await ctx.runtime();
  const { container, monitor } = await rt.create({ id: args.id, bundle: args.bundle, keepMonitor: true });
  // The monitor mirrors the container's end: same exit status, or death by the same signal.
  const exited = new Promise<number>((res) =>
    monitor!.once('exit', (code, signal) => res(signal ? 128 + constants.signals[signal] : code ?? 255)),
  );
  const forward = (sig: NodeJS.Signals): void => {
    try {
      container.kill(constants.signals[sig]);
    } catch {
      /* already gone */
    }
  };
  for (const s of FORWARDED) process.on(s, forward);
  try {
    for (const w of await container.start(rt.config.timeouts.start, ctx.log)) writeErr(ctx.stdio, `lxcri: warning: ${w}\n`);
    return await exited;
  } finally {
    for (const s of FORWARDED) process.off(s, forward);
    for (const w of await rt.delete(args.id, { force: true })) writeErr(ctx.stdio, `lxcri: warning: ${w}\n`);
  }
}
