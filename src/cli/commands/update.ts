// update --resources FILE|- ID (-r): apply a runtime-spec LinuxResources JSON to a live
// container's cgroup. podman passes a file, CRI-O "-" with the JSON on stdin.
import { readFile } from 'node:fs/promises';
import { readSync } from 'node:fs';
import { errorMessage, RuntimeError } from '../../runtime/errors.js';
import type { Context } from '../context.js';

export interface UpdateArgs {
  id: string;
  resources: string;
}

/** Everything from a file descriptor up to EOF (stdin may be a pipe, file or tty). */
export function readFd(fd: number): string {
  const chunks: Buffer[] = [];
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
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function update(args: UpdateArgs, ctx: Context): Promise<number> {
  let text: string;
  try {
    text = args.resources === '-' ? readFd(ctx.stdio.stdin) : await readFile(args.resources, 'utf8');
  } catch (err) {
    throw new RuntimeError('invalid-argument', `cannot read --resources ${args.resources}: ${errorMessage(err)}`);
  }
  const { parseResources } = await import('../../runtime/update.js');
  const c = await (await ctx.runtime()).get(args.id);
  await c.update(await parseResources(text));
  return 0;
}
