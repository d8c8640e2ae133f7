// pause ID / resume ID: freeze and thaw the container's processes (cgroup v2 freezer).
import type { Context } from '../context.js';

export async function pauseCmd(args: { id: string; resume: boolean }, ctx: Context): Promise<number> {
  const c = await (await ctx.runtime()).get(args.id);
  await (args.resume ? c.resume() : c.pause());
  ctx.log.debug(args.resume ? 'container resumed' : 'container paused');
  return 0;
}
