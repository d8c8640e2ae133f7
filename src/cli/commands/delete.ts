// delete [--force] ID: remove a stopped container; --force kills it first and succeeds
// for unknown IDs.
import type { Context } from '../context.js';

export interface DeleteArgs {
  id: string;
  force: boolean;
}

export async function del(args: DeleteArgs, ctx: Context): Promise<number> {
  await (await ctx.runtime()).delete(args.id, { force: args.force });
  ctx.log.info('container deleted', { force: args.force });
  return 0;
}
