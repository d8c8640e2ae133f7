// spec [--bundle DIR] [--rootless]: write a starter config.json into the bundle, as
// `runc spec` does; an existing one is never overwritten.
import { writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode, RuntimeError } from '../../base/errors.js';
import { callPath, type Context } from '../context.js';
import { defineCommand } from '../command.js';

export interface SpecArgs {
  bundle: string;
  rootless: boolean;
}

export async function specCmd(args: SpecArgs, ctx: Context): Promise<number> {
  const dir = callPath(ctx.site, args.bundle);
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    throw new RuntimeError('invalid-argument', `bundle ${dir}: ${errnoCode(err) === 'ENOENT' ? 'no such directory' : String(err)}`);
  }
  if (!isDir) throw new RuntimeError('invalid-argument', `bundle ${dir}: not a directory`);
  const mounts = (await import('../../cgroup/mounts.js')).cgroupMounts();
  const { exampleSpec } = await import('../../spec/example.js');
  const spec = exampleSpec({
    cgroupns: mounts.unified !== undefined && mounts.v1.length === 0,
    rootless: args.rootless ? { uid: process.geteuid!(), gid: process.getegid!() } : undefined,
  });
  const file = join(dir, 'config.json');
  try {
    // 'wx': the check and the creation are one step, so a concurrent writer is not overwritten either.
    await writeFile(file, `${JSON.stringify(spec, null, '\t')}\n`, { flag: 'wx', mode: 0o666 });
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw new RuntimeError('exists', `${file} exists: remove it first`);
    throw err;
  }
  ctx.log.debug('wrote config.json', { file, rootless: args.rootless });
  return 0;
}

export const command = defineCommand({
  usage: 'spec',
  describe: 'write a starter config.json into the bundle (as runc spec); never overwrites one',
  options: (a) =>
    a
      .option('bundle', { alias: 'b', type: 'string', default: '.', describe: 'bundle directory' })
      .option('rootless', { type: 'boolean', default: false, describe: 'map the caller to root in a user namespace, no network namespace' }),
  call: (a) => ({ id: '', run: (ctx) => specCmd({ bundle: a.bundle, rootless: a.rootless }, ctx) }),
});
