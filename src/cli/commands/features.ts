// features: the runtime-spec Features JSON (what this lxcri on this host supports).
import { writeOut, type Context } from '../context.js';
import { defineCommand } from '../command.js';

export async function features(ctx: Context): Promise<number> {
  const { featuresJson } = await import('../../runtime/features.js');
  writeOut(ctx.stdio, `${JSON.stringify(featuresJson(), null, 2)}\n`);
  return 0;
}

export const command = defineCommand({
  usage: 'features',
  describe: 'print the runtime-spec Features JSON of this runtime',
  options: (a) => a,
  call: () => ({ id: '', run: (ctx) => features(ctx) }),
});
