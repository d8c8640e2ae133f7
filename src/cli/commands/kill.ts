// kill ID [SIGNAL]: signal the container's init (SIGTERM by default).
import { parseSignal } from '../../runtime/signals.js';
import type { Context } from '../context.js';

export interface KillArgs {
  id: string;
  signal: string;
}

export async function kill(args: KillArgs, ctx: Context): Promise<number> {
  const signum = parseSignal(args.signal);
  const c = await (await ctx.runtime()).get(args.id);
  c.kill(signum);
  ctx.log.info('signalled container', { signum });
  return 0;
}
