// kill -9 of any lxcri process at any time (issue 14 item 11): the create process or the
// monitor (lxcri-start) is killed at many moments of create; delete --force must then
// find every process of the container (a half-started init that neither the record nor
// the monitor knows included), remove its cgroups in every hierarchy and its runtime
// dir, and the same ID must be creatable again.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupRoots, Env, LAUNCHER, leftovers, MAIN, makeBundle, monitorsOf, pidAlive, waitFor, withArgs } from '../helpers/lxcri.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});


/** Live processes in the container's or its monitor's cgroup, in any hierarchy. */
function cgroupProcs(id: string): number[] {
  const pids: number[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    try {
      for (const l of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (l && pidAlive(Number(l))) pids.push(Number(l));
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name));
    } catch {
      /* removed meanwhile */
    }
  };
  for (const root of cgroupRoots()) for (const rel of [`lxcri/${id}`, `lxcri-monitor.slice/${id}.scope`]) walk(join(root, rel));
  return pids;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Spawn create of `id`; kill -9 `target` (create, the monitor or both) `delay` ms after
 * create (or the monitor) appeared. True when the monitor was there to be killed.
 */
async function killedCreate(bundle: string, id: string, target: 'create' | 'monitor' | 'both', delay: number): Promise<boolean> {
  const p = spawn(LAUNCHER, [...env.globals(), 'create', '--bundle', bundle, id], { env: { ...process.env, LXCRI_MAIN: MAIN }, stdio: 'ignore' });
  const exited = new Promise((r) => p.once('exit', r));
  let done = false;
  let hit = false;
  void exited.then(() => (done = true));
  if (target === 'create') {
    await sleep(delay);
    p.kill('SIGKILL');
  } else {
    let mon: number | undefined;
    while (!done && mon === undefined) {
      mon = monitorsOf(env.root, id)[0];
      if (mon === undefined) await new Promise((r) => setImmediate(r));
    }
    if (mon !== undefined) {
      await sleep(delay);
      try {
        process.kill(mon, 'SIGKILL');
        hit = true;
      } catch {
        /* already gone: create ended it */
      }
      if (target === 'both') p.kill('SIGKILL');
    }
  }
  await exited;
  return hit;
}

describe('kill -9 at any time', () => {
  it('delete --force removes everything of the container and the ID works again', async () => {
    const b = makeBundle(env, 'k', withArgs('sleep', '600'));
    const failures: string[] = [];
    let trials = 0;
    const monitorsKilled = { monitor: 0, both: 0, create: 0 };
    const plan: ['create' | 'monitor' | 'both', number][] = [];
    for (let d = 0; d <= 60; d += 1) plan.push(['monitor', d]);
    for (let d = 0; d <= 400; d += 8) plan.push(['create', d]);
    for (let d = 0; d <= 40; d += 4) plan.push(['both', d]);
    for (const [target, delay] of plan) {
      const id = `orqk-${target}-${delay}`;
      trials++;
      if (await killedCreate(b, id, target, delay)) monitorsKilled[target]++;
      const d = await env.run(['delete', '--force', id]);
      const why: string[] = [];
      if (d.code !== 0 || d.stderr !== '') why.push(`delete --force: ${d.code} ${d.stderr.trim()}`);
      // The monitor's children may still be exiting: give the kernel a moment.
      await waitFor(() => monitorsOf(env.root, id).length === 0 && cgroupProcs(id).length === 0, 2000, 'processes gone').catch(() => undefined);
      for (const pid of [...monitorsOf(env.root, id), ...cgroupProcs(id)]) why.push(`process ${pid} left`);
      why.push(...leftovers(env, id));
      if (existsSync(join(env.lockDir, `.${id}`))) why.push('liblxc lock file');
      const again = await env.run(['create', '--bundle', b, id]);
      if (again.code !== 0) why.push(`create again: ${again.stderr.trim()}`);
      const d2 = await env.run(['delete', '--force', id]);
      if (d2.code !== 0) why.push(`second delete: ${d2.stderr.trim()}`);
      if (why.length) {
        failures.push(`${id}: ${why.join('; ')}`);
        // Clean up by hand so that one failure does not spill into the next trials.
        for (const pid of [...monitorsOf(env.root, id), ...cgroupProcs(id)]) process.kill(pid, 'SIGKILL');
      }
    }
    const kinds = (re: RegExp): number => failures.filter((f) => re.test(f)).length;
    console.log(
      `kill -9 at any time: ${failures.length} of ${trials} trials failed (process left: ${kinds(/process \d+ left/)}, ` +
        `cgroup left: ${kinds(/cgroup \//)}, runtime dir left: ${kinds(/runtime dir/)}, create again failed: ${kinds(/create again/)}, ` +
        `delete failed: ${kinds(/delete --force:/)}, liblxc lock file left: ${kinds(/lock file/)}); monitors killed: ${monitorsKilled.monitor} alone, ${monitorsKilled.both} with create`,
    );
    expect(failures).toEqual([]);
    // The monitor trials must have met a monitor to kill, else they only tested a plain create.
    expect(monitorsKilled.monitor).toBeGreaterThan(0);
    expect(monitorsKilled.both).toBeGreaterThan(0);
  }, 300_000);
});
