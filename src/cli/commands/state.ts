// state ID: the runtime-spec State JSON on stdout.
import type { Context } from '../context.js';
import { writeOut } from '../context.js';
import { defineCommand, withId } from '../command.js';

export interface StateArgs {
  id: string;
}

export async function state(args: StateArgs, ctx: Context): Promise<number> {
  const c = await (await ctx.runtime()).get(args.id);
  writeOut(ctx.stdio, `${JSON.stringify(c.state())}\n`);
  return 0;
}

export const command = defineCommand({
  usage: 'state <id>',
  describe: 'print the state JSON of a container',
  options: (a) => withId(a),
  call: (a) => ({ id: a.id, run: (ctx) => state({ id: a.id }, ctx) }),
});
