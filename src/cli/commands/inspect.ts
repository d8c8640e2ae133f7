// inspect ID: state, spec, liblxc config and record as one JSON document (jq-friendly).
import type { Context } from '../context.js';
import { writeOut } from '../context.js';
import { defineCommand, withId } from '../command.js';

export async function inspectCmd(args: { id: string }, ctx: Context): Promise<number> {
  const c = await (await ctx.runtime()).get(args.id);
  const { inspect } = await import('../../runtime/inspect.js');
  writeOut(ctx.stdio, `${JSON.stringify(await inspect(c), null, 2)}\n`);
  return 0;
}

export const command = defineCommand({
  usage: 'inspect <id>',
  describe: 'print state, spec, liblxc config and record of a container as JSON',
  options: (a) => withId(a),
  call: (a) => ({ id: a.id, run: (ctx) => inspectCmd({ id: a.id }, ctx) }),
});
