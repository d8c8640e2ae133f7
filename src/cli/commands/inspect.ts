// inspect ID: state, spec, liblxc config and record as one JSON document (jq-friendly).
import type { Context } from '../context.js';
import { writeOut } from '../context.js';

export async function inspectCmd(args: { id: string }, ctx: Context): Promise<number> {
  const c = await (await ctx.runtime()).get(args.id);
  const { inspect } = await import('../../runtime/inspect.js');
  writeOut(ctx.stdio, `${JSON.stringify(await inspect(c), null, 2)}\n`);
  return 0;
}
