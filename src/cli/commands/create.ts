// create --bundle DIR [--pid-file FILE] ID: the container exists, its init blocked before
// exec, when this returns. The pid file gets the monitor's PID (see K8S.md), atomically.
import { writeFileAtomic } from '../../runtime/files.js';
import type { Context } from '../context.js';

export interface CreateArgs {
  id: string;
  bundle: string;
  pidFile?: string;
}

export async function create(args: CreateArgs, ctx: Context): Promise<number> {
  const rt = await ctx.runtime();
  const { record } = await rt.create({ id: args.id, bundle: args.bundle });
  if (args.pidFile) {
    try {
      await writeFileAtomic(args.pidFile, String(record.monitor!.pid), 0o644);
    } catch (err) {
      await rt.delete(args.id, { force: true }).catch(() => undefined);
      throw err;
    }
  }
  ctx.log.info('container created', { pid: record.init?.pid, monitor: record.monitor?.pid });
  return 0;
}
