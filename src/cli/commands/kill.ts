// kill [--all] ID [SIGNAL]: signal the container's init, or every process of its cgroup
// (SIGTERM by default).
import { parseSignal } from '../../runtime/signals.js';
import type { Context } from '../context.js';
import { defineCommand, withId } from '../command.js';

export interface KillArgs {
  id: string;
  signal: string;
  /** Every process of the container's cgroup, not only its init. */
  all: boolean;
}

export async function kill(args: KillArgs, ctx: Context): Promise<number> {
  const signum = parseSignal(args.signal);
  const c = await (await ctx.runtime()).get(args.id);
  if (args.all) await c.killAll(signum);
  else c.kill(signum);
  ctx.log.debug('signalled container', { signum, all: args.all });
  return 0;
}

export const command = defineCommand({
  usage: 'kill <id> [signal]',
  ordered: true,
  describe: 'send a signal to a container (default TERM)',
  options: (a) =>
    withId(a)
      .positional('signal', { type: 'string', default: 'TERM', describe: 'name (KILL, SIGKILL) or number' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: "every process of the container's cgroup" }),
  call: (a) => ({ id: a.id, run: (ctx) => kill({ id: a.id, signal: String(a.signal), all: a.all }, ctx) }),
});
