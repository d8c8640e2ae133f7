// Shared cgroup parents (issue 14 item 15): after several clients created and deleted
// containers at once, nothing of lxcri remains in any hierarchy once the last container
// is gone, and a parent is never removed under a create about to use it. The monitors'
// parent is private to this run (LXCRI_MONITOR_CGROUP); lxcri/ is shared with whatever
// else runs containers on this host, so it must be gone or hold only others' containers.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupMounts } from '../../src/cgroup/mounts.js';
import { cgroupPaths } from '../../src/cgroup/paths.js';
import { sweepParents } from '../../src/cgroup/sweep.js';
import { nullLogger } from '../../src/log/types.js';
import { lockParents } from '../../src/cgroup/parentlock.js';
import { cgroupRoots, containerIds, Env, makeBundle, withArgs } from '../helpers/lxcri.js';

let env: Env;
const monitorSlice = `orq-monitors-${process.pid}.slice`;
const envVars = { LXCRI_MONITOR_CGROUP: monitorSlice };
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  if (existsSync(env.root)) for (const id of containerIds(env.root)) await env.run(['delete', '--force', id], { env: envVars });
  await env.cleanup();
});

const subdirs = (dir: string): string[] => {
  try {
    return readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
  } catch {
    return [];
  }
};

/** What of lxcri this run could have left in any hierarchy. */
function remains(): string[] {
  const found: string[] = [];
  for (const root of cgroupRoots()) {
    if (existsSync(join(root, monitorSlice))) found.push(join(root, monitorSlice));
    const parent = join(root, 'lxcri');
    if (!existsSync(parent)) continue;
    const children = subdirs(parent);
    for (const c of children) if (c.startsWith('orqp-')) found.push(join(parent, c));
    // Others' containers may keep lxcri/ (they run on this host too); empty it must go.
    if (children.length === 0) found.push(`${parent} (empty)`);
  }
  return found;
}

/**
 * A client creating and deleting containers: killed ones (delete --force of a created
 * container) and ones whose process exits by itself (started, stopped, plain delete).
 */
async function client(bundles: { sleeper: string; quick: string }, n: number, rounds: number, errors: string[]): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const id = `orqp-${n}-${i}`;
    const quick = (n + i) % 2 === 1;
    const c = await env.run(['create', '--bundle', quick ? bundles.quick : bundles.sleeper, id], { env: envVars });
    if (c.code !== 0) errors.push(`create ${id}: ${c.stderr.trim()}`);
    if (quick && c.code === 0) {
      const s = await env.run(['start', id], { env: envVars });
      if (s.code !== 0) errors.push(`start ${id}: ${s.stderr.trim()}`);
      for (let t = 0; t < 200 && (await env.state(id)).status !== 'stopped'; t++) await new Promise((r) => setTimeout(r, 20));
    }
    const d = await env.run(quick ? ['delete', id] : ['delete', '--force', id], { env: envVars });
    if (d.code !== 0) errors.push(`delete ${id}: ${d.stderr.trim()}`);
  }
}

describe('shared cgroup parents', () => {
  it('are gone after the last delete of concurrent clients, and no create fails for a sweep', async () => {
    const b = makeBundle(env, 'p', withArgs('sleep', '600'));
    const bundles = { sleeper: b, quick: makeBundle(env, 'q', withArgs('true')) };
    for (let round = 0; round < 3; round++) {
      const errors: string[] = [];
      // One container that lives through the round: the others' sweeps must leave its parents.
      const keep = `orqp-keep-${round}`;
      expect((await env.run(['create', '--bundle', b, keep], { env: envVars })).code).toBe(0);
      await Promise.all([0, 1, 2, 3].map((n) => client(bundles, 10 * round + n, 6, errors)));
      expect(errors).toEqual([]);
      expect((await env.state(keep)).status).toBe('created');
      expect((await env.run(['delete', '--force', keep], { env: envVars })).code).toBe(0);
      // Another run's delete may be between its container's cgroup and its sweep: allow it a moment.
      const end = Date.now() + 3000;
      while (remains().length && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(remains(), `round ${round}`).toEqual([]);
    }
  }, 240_000);

  it('a sweep keeps the parents while a create holds the lock', async () => {
    const mounts = cgroupMounts();
    // Only this run's monitor parent is swept here: lxcri/ is shared with other runs, whose
    // creates need not take the lock.
    const paths = cgroupPaths('orqp-sweep', 'orq-unused/orqp-sweep', monitorSlice);
    const dirs = [mounts.unified, ...mounts.v1].filter((m): m is string => !!m).map((m) => join(m, monitorSlice, 'lxc.pivot'));
    // Parents as liblxc makes them, empty: a create has made them and not yet placed its container.
    for (const d of dirs) mkdirSync(d, { recursive: true });
    const held = await lockParents('shared', Date.now() + 5000);
    expect(held).toBeDefined();
    await sweepParents(mounts, paths, nullLogger);
    expect(dirs.filter((d) => !existsSync(d))).toEqual([]);
    held!.release();
    await sweepParents(mounts, paths, nullLogger);
    expect(remains()).toEqual([]);
  });

  it('creates racing sweeps succeed', async () => {
    const mounts = cgroupMounts();
    const paths = cgroupPaths('orqp-sweep', 'orq-unused/orqp-sweep', monitorSlice);
    // Sweeps as fast as they come while clients create: no create loses its parent.
    const b = makeBundle(env, 'r', withArgs('sleep', '600'));
    const bundles = { sleeper: b, quick: makeBundle(env, 'rq', withArgs('true')) };
    let sweeping = true;
    let sweeps = 0;
    const sweeper = (async () => {
      while (sweeping) {
        await sweepParents(mounts, paths, nullLogger);
        sweeps++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const errors: string[] = [];
    await Promise.all([100, 101, 102].map((n) => client(bundles, n, 8, errors)));
    sweeping = false;
    await sweeper;
    expect(errors).toEqual([]);
    expect(sweeps).toBeGreaterThan(10);
    await sweepParents(mounts, paths, nullLogger);
    expect(remains()).toEqual([]);
  }, 240_000);
});
