// update --resources FILE|- ID (-r): apply a runtime-spec LinuxResources JSON to a live
// container's cgroup. podman passes a file, CRI-O "-" with the JSON on stdin.
import { readSync } from 'node:fs';
import { errorMessage, RuntimeError } from '../../base/errors.js';
import { callPath, type Context } from '../context.js';
import { defineCommand, withId } from '../command.js';

export interface UpdateArgs {
  id: string;
  resources: string;
}

/** A LinuxResources document is a few KB; the bound keeps /dev/zero from filling memory. */
const RESOURCES_LIMIT = 1 << 20;

/** Everything from a file descriptor up to EOF (stdin may be a pipe, file or tty), at most `max` bytes. */
export function readFd(fd: number, max = RESOURCES_LIMIT): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((err as NodeJS.ErrnoException).code === 'EOF') break;
      throw err;
    }
    if (n === 0) break;
    total += n;
    if (total > max) throw new Error(`larger than ${max} bytes`);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function update(args: UpdateArgs, ctx: Context): Promise<number> {
  let text: string;
  try {
    text = args.resources === '-' ? readFd(ctx.stdio.stdin) : (await import('../../runtime/regularfile.js')).readRegularFile(callPath(ctx.site, args.resources), RESOURCES_LIMIT);
  } catch (err) {
    throw new RuntimeError('invalid-argument', `cannot read --resources ${args.resources}: ${errorMessage(err)}`);
  }
  const { parseResources } = await import('../../runtime/update.js');
  const c = await (await ctx.runtime()).get(args.id);
  await c.update(await parseResources(text));
  return 0;
}

export const command = defineCommand({
  usage: 'update <id>',
  ordered: true,
  describe: 'change the cgroup limits of a live container (runtime-spec LinuxResources JSON)',
  options: (a) => withId(a).option('resources', { alias: 'r', type: 'string', requiresArg: true, demandOption: true, describe: 'JSON file, or - for stdin' }),
  // Reading the caller's stdin may wait for as long as the caller likes: in its own process,
  // never in the service, where it would hold up every other call.
  call: (a) => ({ id: a.id, inCaller: a.resources === '-', run: (ctx) => update({ id: a.id, resources: a.resources }, ctx) }),
});
