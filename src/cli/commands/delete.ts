// delete [--force] ID: remove a stopped container; --force kills it first and succeeds
// for unknown IDs.
import { oneLine } from '../../base/message.js';
import { writeErr, type Context } from '../context.js';
import { defineCommand, withId } from '../command.js';

export interface DeleteArgs {
  id: string;
  force: boolean;
}

export async function del(args: DeleteArgs, ctx: Context): Promise<number> {
  const warnings = await (await ctx.runtime()).delete(args.id, { force: args.force });
  for (const w of warnings) writeErr(ctx.stdio, `lxcri: warning: ${oneLine(w)}\n`);
  ctx.log.debug('container deleted', { force: args.force });
  return 0;
}

export const command = defineCommand({
  usage: 'delete <id>',
  ordered: true,
  describe: 'delete a stopped container (--force: any, and unknown IDs succeed)',
  options: (a) => withId(a).option('force', { alias: 'f', type: 'boolean', default: false, describe: 'kill it first if it runs' }),
  call: (a) => ({ id: a.id, run: (ctx) => del({ id: a.id, force: a.force }, ctx) }),
});
