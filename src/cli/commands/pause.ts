// pause ID / resume ID: freeze and thaw the container's processes (cgroup v2 freezer).
import type { Context } from '../context.js';

export async function pauseCmd(args: { id: string; resume: boolean }, ctx: Context): Promise<number> {
  const rt = await ctx.runtime();
  const c = await rt.get(args.id);
  const { pause, resume } = await import('../../runtime/pause.js');
  await (args.resume ? resume : pause)(c, rt.config.timeouts.kill);
  ctx.log.debug(args.resume ? 'container resumed' : 'container paused');
  return 0;
}
