// state ID: the runtime-spec State JSON on stdout.
import type { Context } from '../context.js';
import { writeOut } from '../context.js';

export interface StateArgs {
  id: string;
}

export async function state(args: StateArgs, ctx: Context): Promise<number> {
  const c = await (await ctx.runtime()).get(args.id);
  writeOut(ctx.stdio, `${JSON.stringify(c.state())}\n`);
  return 0;
}
