// list: the containers under the root, as a table, IDs only (-q) or JSON.
import type { State } from '../../spec/types.js';
import type { Context } from '../context.js';
import { writeErr, writeOut } from '../context.js';
import { errorMessage } from '../../base/errors.js';
import { defineCommand } from '../command.js';

export interface ListArgs {
  quiet: boolean;
  format: 'table' | 'json';
}

export async function list(args: ListArgs, ctx: Context): Promise<number> {
  const { DamagedRecord } = await import('../../runtime/recordshape.js');
  const rt = await ctx.runtime();
  const ids = await rt.list();
  if (args.quiet) {
    writeOut(ctx.stdio, ids.map((id) => `${id}\n`).join(''));
    return 0;
  }
  const states: State[] = [];
  for (const id of ids) {
    // A container may vanish while we look: list what can be read. A damaged record is
    // named on stderr, one line each, but does not fail the listing: managers (podman,
    // CRI-O) list to find their own containers, which must not vanish with another's record.
    const c = await rt.get(id).catch((err: unknown) => {
      if (err instanceof DamagedRecord) writeErr(ctx.stdio, `lxcri: ${errorMessage(err)}\n`);
      return undefined;
    });
    if (c) states.push(c.state());
  }
  if (args.format === 'json') {
    writeOut(ctx.stdio, `${JSON.stringify(states)}\n`);
    return 0;
  }
  const rows = [['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED'], ...states.map((s) => [s.id, String(s.pid), s.status, s.bundle, s.created ?? ''])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  writeOut(ctx.stdio, rows.map((r) => `${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('   ')}\n`).join(''));
  return 0;
}

export const command = defineCommand({
  usage: 'list',
  describe: 'list containers',
  options: (a) =>
    a
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'IDs only' })
      .option('format', { alias: 'f', choices: ['table', 'json'] as const, default: 'table' as const, requiresArg: true }),
  call: (a) => ({ id: '', run: (ctx) => list({ quiet: a.quiet, format: a.format }, ctx) }),
});
