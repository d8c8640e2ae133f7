// The state every hook kind gets on stdin, compared with crun on the same bundle. crun
// refuses the hybrid hosts the rest of the suite runs on, so this runs in the cgroup v2
// VM (scripts/test-cgroup2.sh; skipped elsewhere).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostControllers } from '../../src/cgroup/controllers.js';
import { cgroupMounts } from '../../src/cgroup/mounts.js';
import type { Hook, Hooks } from '../../src/spec/types.js';
import { Env, leftovers, makeBundle, type Result } from '../helpers/lxcri.js';
import { deleteOther, otherCmd } from '../helpers/oci.js';

const pureV2 = hostControllers(cgroupMounts()).available.has('memory');
const KINDS = ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'] as const;

describe.skipIf(!pureV2)('hook states', () => {
  let env: Env;
  beforeAll(() => {
    env = new Env();
  });
  afterAll(async () => {
    await env.cleanup();
  });

  /** Each kind's stdin, from create, start and delete of one container. */
  async function states(rt: 'lxcri' | 'crun'): Promise<Record<string, Record<string, unknown>>> {
    const id = `mo-hookst-${rt}`;
    const out = join(env.dir, `${id}-out`);
    mkdirSync(out, { recursive: true });
    // startContainer runs in the container: it writes to the bind of `out` at /hookout.
    const recorder = (kind: string): Hook => ({
      path: '/bin/sh',
      args: ['sh', '-c', 'cat > "$1/$0.stdin"; echo "$0" >> "$1/order"', kind, kind === 'startContainer' ? '/hookout' : out],
    });
    const hooks: Hooks = {};
    for (const k of KINDS) hooks[k] = [recorder(k)];
    const bundle = makeBundle(env, id, (s) => {
      s.ociVersion = '1.0.2'; // crun 1.8 takes 1.0.x configs only
      s.process!.args = ['true'];
      s.mounts!.push({ destination: '/hookout', type: 'bind', source: out, options: ['rbind', 'rw'] });
      s.annotations = { 'org.example.k': 'v' };
      s.hooks = hooks;
    });
    const run = (args: string[]): Promise<Result> => (rt === 'lxcri' ? env.run(args) : otherCmd(env, 'crun', args));
    try {
      for (const args of [['create', '--bundle', bundle, id], ['start', id], ['delete', '--force', id]]) {
        const r = await run(args);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        if (args[0] === 'start') await new Promise((res) => setTimeout(res, 500));
      }
    } finally {
      if (rt === 'crun') deleteOther(env, 'crun', id);
    }
    if (rt === 'lxcri') expect(leftovers(env, id)).toEqual([]);
    expect(readFileSync(join(out, 'order'), 'utf8')).toBe(`${KINDS.join('\n')}\n`);
    return Object.fromEntries(KINDS.map((k) => [k, JSON.parse(readFileSync(join(out, `${k}.stdin`), 'utf8')) as Record<string, unknown>]));
  }

  it('gives every kind the status crun gives it', async () => {
    const crun = await states('crun');
    const ours = await states('lxcri');
    const status = (s: Record<string, Record<string, unknown>>): Record<string, unknown> =>
      Object.fromEntries(KINDS.map((k) => [k, s[k]!.status]));
    expect(status(ours)).toEqual(status(crun));
    expect(status(ours)).toEqual({
      prestart: 'created', createRuntime: 'created', createContainer: 'created',
      startContainer: 'starting', poststart: 'running', poststop: 'stopped',
    });
    for (const k of KINDS) expect(ours[k]).toMatchObject({ id: 'mo-hookst-lxcri', annotations: { 'org.example.k': 'v' } });
  }, 300_000);
});
