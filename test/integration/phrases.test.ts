// What managers match on: the exact error phrases of runc ("container does not exist",
// "container not running"), `kill ID 0` as a liveness check and `kill --all` after the
// container's exit, each compared with runc 1.1.5 on the same bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leftovers, makeBundle, pidAlive, waitFor, withArgs, type Result } from '../helpers/lxcri.js';
import { sideBySide, type Run } from '../helpers/runc.js';
import { cgroupMounts } from '../../src/cgroup/mounts.js';
import type { Spec } from '../../src/spec/types.js';

const { env, lxcri, ref } = sideBySide();

async function status(run: Run, id: string): Promise<string> {
  const r = await run(['state', id]);
  return r.code === 0 ? (JSON.parse(r.stdout) as { status: string }).status : 'gone';
}

/** create + start a detached container with either runtime; its state pid. */
async function started(run: Run, id: string, bundle: string): Promise<number> {
  const c = await run(['create', '--bundle', bundle, id]);
  expect(c.stderr).toBe('');
  expect(c.code).toBe(0);
  expect((await run(['start', id])).code).toBe(0);
  const s = await run(['state', id]);
  return (JSON.parse(s.stdout) as { pid: number }).pid;
}

function failsWith(r: Result, phrase: string): void {
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(phrase);
}

describe('error phrases', () => {
  it('unknown IDs: "container does not exist" from state, kill, delete, start, pause; delete --force succeeds', async () => {
    for (const run of [lxcri, ref]) {
      for (const args of [['state'], ['kill'], ['delete'], ['start'], ['pause'], ['kill', '--all']]) {
        failsWith(await run([...args, 'cli-nosuch']), 'container does not exist');
      }
      expect((await run(['delete', '--force', 'cli-nosuch'])).code).toBe(0);
    }
    // One line, with the ID after the phrase.
    expect((await lxcri(['state', 'cli-nosuch'])).stderr).toBe('lxcri: container does not exist: cli-nosuch\n');
  });

  it('stopped containers: "container not running" from kill, kill 0 and pause', async () => {
    const bundle = makeBundle(env, 'cli-ph', withArgs('true'));
    for (const [run, id] of [[lxcri, 'cli-ph'], [ref, 'cli-phr']] as const) {
      await started(run, id, bundle);
      await waitFor(async () => (await status(run, id)) === 'stopped', 10_000, `${id} stopped`);
      for (const args of [['kill', id, 'KILL'], ['kill', id, '0'], ['pause', id]]) failsWith(await run(args), 'container not running');
      expect((await run(['delete', id])).code).toBe(0);
    }
    expect((await lxcri(['kill', 'cli-nosuch', '0'])).stderr).toBe('lxcri: container does not exist: cli-nosuch\n');
  });
});

describe('kill', () => {
  it('kill ID 0 succeeds while the init lives (created, running, paused) and signals nothing', async () => {
    const bundle = makeBundle(env, 'cli-k0', withArgs('sleep', '60'));
    for (const [run, id] of [[lxcri, 'cli-k0'], [ref, 'cli-k0r']] as const) {
      expect((await run(['create', '--bundle', bundle, id])).code).toBe(0);
      const k = await run(['kill', id, '0']);
      expect(k.stderr).toBe('');
      expect(k.code).toBe(0);
      expect((await run(['start', id])).code).toBe(0);
      expect((await run(['kill', id, '0'])).code).toBe(0);
      expect((await run(['pause', id])).code).toBe(0);
      expect((await run(['kill', id, '0'])).code).toBe(0);
      expect((await run(['resume', id])).code).toBe(0);
      expect(await status(run, id)).toBe('running');
      expect((await run(['kill', '--all', id, '0'])).code).toBe(0);
      expect(await status(run, id)).toBe('running');
      expect((await run(['delete', '--force', id])).code).toBe(0);
    }
    expect(leftovers(env, 'cli-k0')).toEqual([]);
  });

  it('kill --all ID 9 after the container stopped exits 0', async () => {
    const bundle = makeBundle(env, 'cli-ka', withArgs('sh', '-c', 'exit 3'));
    for (const [run, id] of [[lxcri, 'cli-ka'], [ref, 'cli-kar']] as const) {
      await started(run, id, bundle);
      await waitFor(async () => (await status(run, id)) === 'stopped', 10_000, `${id} stopped`);
      const k = await run(['kill', '--all', id, '9']);
      expect(k.stderr).toBe('');
      expect(k.code).toBe(0);
      expect((await run(['kill', '-a', id, 'KILL'])).code).toBe(0);
      expect((await run(['delete', id])).code).toBe(0);
    }
    expect(leftovers(env, 'cli-ka')).toEqual([]);
  });

  it('kill --all after exit kills what a host-PID container left in its cgroup (CRI-O hostPID)', async () => {
    const hostPid = (s: Spec): void => {
      s.process!.args = ['sh', '-c', 'sleep 1000 & exit 0'];
      s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'pid');
    };
    const bundle = makeBundle(env, 'cli-kh', hostPid);
    const pid = await started(lxcri, 'cli-kh', bundle);
    await waitFor(async () => (await status(lxcri, 'cli-kh')) === 'stopped', 10_000, 'init exit');
    expect(pidAlive(pid)).toBe(false);
    const procs = readFileSync(join(cgroupMounts().unified!, 'lxcri/cli-kh/cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
    expect(procs).toHaveLength(1);
    expect(pidAlive(procs[0]!)).toBe(true);
    expect((await lxcri(['kill', 'cli-kh', '9'])).stderr).toContain('container not running');
    const k = await lxcri(['kill', '--all', 'cli-kh', '9']);
    expect(k.stderr).toBe('');
    expect(k.code).toBe(0);
    await waitFor(() => !pidAlive(procs[0]!), 10_000, 'left-over process killed');
    expect((await lxcri(['delete', 'cli-kh'])).code).toBe(0);
    expect(leftovers(env, 'cli-kh', [procs[0]!])).toEqual([]);
  });
});
