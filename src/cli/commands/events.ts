// events [--stats] [--interval D] ID: the container's cgroup statistics as runc prints
// them, {"type":"stats","id":ID,"data":{...}} per line. --stats prints one sample; without
// it a sample follows every interval (default 5s) until the container stops, when runc
// would go on printing the stale numbers of a cgroup that lxcri has already removed.
// Between samples {"type":"oom","id":ID} says the OOM killer killed a process of the
// container (runc is told at once through an eventfd; here the interval is the delay).
import { writeSync } from 'node:fs';
import { errnoCode, notRunning, RuntimeError } from '../../base/errors.js';
import { writeOut, type Context } from '../context.js';
import { defineCommand, withId } from '../command.js';

export interface EventsArgs {
  id: string;
  stats: boolean;
  /** A Go duration, as runc takes it: 5s, 100ms, 1m30s. */
  interval: string;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go duration ("1m30s", "250ms"); positive only. */
export function parseDuration(text: string): number {
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)/g)! : undefined;
  const ms = parts?.reduce((sum, p) => {
    const [, n, unit] = /^(\d+(?:\.\d+)?)(.+)$/.exec(p)!;
    return sum + Number(n) * UNIT_MS[unit!]!;
  }, 0);
  if (ms === undefined || !(ms > 0)) throw new RuntimeError('invalid-argument', `invalid --interval "${text}": a positive duration such as 5s or 100ms`);
  return ms;
}

/** Writes all of `text`; false once the reader has gone (EPIPE). */
function writeLine(fd: number, text: string): boolean {
  const buf = Buffer.from(text);
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(fd, buf, off);
    } catch (err) {
      if (errnoCode(err) === 'EAGAIN') continue;
      if (errnoCode(err) === 'EPIPE') return false;
      throw err;
    }
  }
  return true;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function events(args: EventsArgs, ctx: Context): Promise<number> {
  const { cgroupStats, oomKills, toJson } = await import('../../cgroup/stats.js');
  const intervalMs = parseDuration(args.interval);
  const c = await (await ctx.runtime()).get(args.id);
  const [{ allows, checkOperation }, { containerStatus }] = await Promise.all([import('../../runtime/operations.js'), import('../../runtime/status.js')]);
  const live = (): boolean => allows('stats', containerStatus(c.record));
  checkOperation(c.record, 'stats');
  const rel = c.record.cgroup.container;
  let ooms = oomKills(rel) ?? 0n;
  for (;;) {
    const data = cgroupStats(rel);
    // The sample counts only if the container still ran after it was taken.
    if (!live()) {
      if (args.stats) throw notRunning(args.id);
      return 0;
    }
    const line = `${toJson({ type: 'stats', id: args.id, data })}\n`;
    if (args.stats) {
      writeOut(ctx.stdio, line);
      return 0;
    }
    // A reader that went away (`events ID | head -1`) ends the stream, as SIGPIPE ends runc's.
    if (!writeLine(ctx.stdio.stdout, line)) return 0;
    await sleep(intervalMs);
    const now = oomKills(rel);
    if (now !== undefined && now > ooms) {
      ooms = now;
      if (!writeLine(ctx.stdio.stdout, `${toJson({ type: 'oom', id: args.id })}\n`)) return 0;
    }
    if (!live()) return 0;
  }
}

export const command = defineCommand({
  usage: 'events <id>',
  describe: "print the container's cgroup statistics as JSON lines (runc's stats events): once with --stats, else every --interval until it stops",
  options: (a) =>
    withId(a)
      .option('stats', { type: 'boolean', default: false, describe: 'print one sample and exit' })
      .option('interval', { type: 'string', default: '5s', describe: 'time between samples (5s, 100ms, 1m)' }),
  call: (a) => ({ id: a.id, run: (ctx) => events({ id: a.id, stats: a.stats, interval: a.interval }, ctx) }),
});
