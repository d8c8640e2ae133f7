// pause ID / resume ID: freeze and thaw the container's processes (cgroup v2 freezer).
import type { Context } from '../context.js';
import { defineCommand, withId } from '../command.js';

export async function pauseCmd(args: { id: string; resume: boolean }, ctx: Context): Promise<number> {
  const c = await (await ctx.runtime()).get(args.id);
  await (args.resume ? c.resume() : c.pause());
  ctx.log.debug(args.resume ? 'container resumed' : 'container paused');
  return 0;
}

export const command = defineCommand({
  usage: 'pause <id>',
  ordered: true,
  describe: 'freeze every process of a running container',
  options: (a) => withId(a),
  call: (a) => ({ id: a.id, run: (ctx) => pauseCmd({ id: a.id, resume: false }, ctx) }),
});

export const resumeCommand = defineCommand({
  usage: 'resume <id>',
  ordered: true,
  describe: 'thaw a paused container',
  options: (a) => withId(a),
  call: (a) => ({ id: a.id, run: (ctx) => pauseCmd({ id: a.id, resume: true }, ctx) }),
});
