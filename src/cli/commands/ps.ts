// ps [--format table|json] ID [PS-OPTIONS...]: the container's processes. json is the
// array of their host PIDs; table runs the host's ps with the options (default -ef) and
// keeps its header and the lines of those PIDs, as runc ps does.
import { RuntimeError } from '../../base/errors.js';
import { writeOut, type Context } from '../context.js';
import { defineCommand, withId } from '../command.js';

export interface PsArgs {
  id: string;
  format: 'table' | 'json';
  /** Options for ps(1), after the ID (table only; runc ignores them for json too). */
  psArgs: string[];
}

/** The header and the lines whose PID column names one of `pids`. */
export function filterPsOutput(out: string, pids: ReadonlySet<number>): string {
  const lines = out.split('\n');
  const header = lines[0] ?? '';
  const col = header.trim().split(/\s+/).indexOf('PID');
  if (col < 0) throw new RuntimeError('invalid-argument', 'ps output has no PID column (give -o with pid)');
  const kept = lines.slice(1).filter((l) => {
    const f = l.trim().split(/\s+/);
    return f.length > col && pids.has(Number(f[col]));
  });
  return [header, ...kept].map((l) => `${l}\n`).join('');
}

export async function ps(args: PsArgs, ctx: Context): Promise<number> {
  const c = await (await ctx.runtime()).get(args.id);
  const { containerPids, runPs } = await import('../../runtime/processes.js');
  const pids = await containerPids(c.record);
  if (args.format === 'json') {
    writeOut(ctx.stdio, `${JSON.stringify(pids)}\n`);
    return 0;
  }
  writeOut(ctx.stdio, filterPsOutput(runPs(args.psArgs.length ? args.psArgs : ['-ef']), new Set(pids)));
  return 0;
}

export const command = defineCommand({
  usage: 'ps <id>',
  describe: "list the container's processes: ps(1) lines (options after the ID, default -ef) or --format json host PIDs",
  trailing: 'ps-options',
  options: (a) => withId(a).option('format', { alias: 'f', choices: ['table', 'json'] as const, default: 'table' as const }),
  call: (a, trailing) => ({ id: a.id, run: (ctx) => ps({ id: a.id, format: a.format, psArgs: trailing.words }, ctx) }),
});
