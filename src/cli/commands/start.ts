// start ID: the created container's process starts; returns without waiting for it.
import { oneLine } from '../../base/message.js';
import { writeErr, type Context } from '../context.js';
import { defineCommand, withId } from '../command.js';

export interface StartArgs {
  id: string;
}

export async function start(args: StartArgs, ctx: Context): Promise<number> {
  const rt = await ctx.runtime();
  const c = await rt.get(args.id);
  for (const w of await c.start(rt.config.timeouts.start, ctx.log)) writeErr(ctx.stdio, `lxcri: warning: ${oneLine(w)}\n`);
  ctx.log.debug('container started', { pid: c.record.init?.pid });
  return 0;
}

export const command = defineCommand({
  usage: 'start <id>',
  ordered: true,
  describe: 'start the process of a created container',
  options: (a) => withId(a),
  call: (a) => ({ id: a.id, run: (ctx) => start({ id: a.id }, ctx) }),
});
