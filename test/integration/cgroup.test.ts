// cgroup operations that work on any host with a cgroup2 hierarchy (hybrid too):
// pause/resume with the freezer, kill --all, systemd-style cgroup paths.
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupRoots, Env, leftovers, makeBundle, pidAlive, waitFor, withArgs } from '../helpers/lxcri.js';
import { validateSchema } from '../../src/spec/validate.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('pause and resume', () => {
  it('freezes and thaws: a counter stops advancing, state says paused', async () => {
    const out = join(env.dir, 'counter.out');
    const b = makeBundle(env, 'frz', withArgs('sh', '-c', 'i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done'));
    expect((await env.run(['create', '--bundle', b, 'frz'], { stdoutFile: out })).code).toBe(0);
    expect((await env.run(['start', 'frz'])).code).toBe(0);
    await sleep(300);
    const p = await env.run(['pause', 'frz']);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const st = await env.state('frz');
    expect(st.status).toBe('paused');
    expect(st.pid).toBeGreaterThan(0);
    await sleep(100);
    const frozenAt = readFileSync(out, 'utf8');
    await sleep(400);
    expect(readFileSync(out, 'utf8')).toBe(frozenAt);
    expect((await env.run(['pause', 'frz'])).stderr).toMatch(/already paused/);
    const r = await env.run(['resume', 'frz']);
    expect(r.code).toBe(0);
    expect((await env.state('frz')).status).toBe('running');
    await sleep(300);
    expect(readFileSync(out, 'utf8').length).toBeGreaterThan(frozenAt.length);
    expect((await env.run(['resume', 'frz'])).stderr).toMatch(/is running, not paused/);
    // A paused container can be killed and deleted.
    expect((await env.run(['pause', 'frz'])).code).toBe(0);
    expect((await env.run(['delete', '--force', 'frz'])).code).toBe(0);
    expect(leftovers(env, 'frz', [st.pid])).toEqual([]);
  });

  it('refuses to pause what is not running', async () => {
    const b = makeBundle(env, 'nopause', withArgs('sleep', '60'));
    expect((await env.run(['create', '--bundle', b, 'nopause'])).code).toBe(0);
    expect((await env.run(['pause', 'nopause'])).stderr).toMatch(/is created, not running/);
    expect((await env.run(['pause', 'nosuch'])).stderr).toMatch(/container does not exist: nosuch/);
    expect((await env.run(['delete', '--force', 'nopause'])).code).toBe(0);
  });
});

describe('kill --all', () => {
  it('reaches processes forked inside the container', async () => {
    // init traps TERM (PID 1 ignores it otherwise) and its child is a plain sleep.
    const b = makeBundle(env, 'kall', withArgs('sh', '-c', 'sleep 60 & trap "exit 0" TERM; wait'));
    expect((await env.run(['create', '--bundle', b, 'kall'])).code).toBe(0);
    expect((await env.run(['start', 'kall'])).code).toBe(0);
    const init = (await env.state('kall')).pid;
    await sleep(200);
    const cg = readFileSync(`/proc/${init}/cgroup`, 'utf8').match(/^0::(.*)$/m)![1]!;
    const unified = cgroupRoots().find((r) => existsSync(join(r, 'cgroup.controllers')))!;
    const pids = readFileSync(join(unified, cg, 'cgroup.procs'), 'utf8').trim().split('\n').map(Number);
    expect(pids.length).toBe(2);
    const k = await env.run(['kill', '--all', 'kall', 'KILL']);
    expect(k.code).toBe(0);
    await waitFor(() => pids.every((p) => !pidAlive(p)), 10_000, 'all dead');
    expect((await env.run(['delete', 'kall'])).code).toBe(0);
    expect((await env.run(['kill', '-a', 'kall', '9'])).stderr).toMatch(/container does not exist: kall/);
  });
});

describe('--systemd-cgroup', () => {
  it('expands slice:prefix:name into the scope systemd would make', async () => {
    const b = makeBundle(env, 'sd', (s) => {
      s.process!.args = ['sleep', '60'];
      s.linux!.cgroupsPath = 'lxcritest-pod1.slice:crio:sd';
    });
    expect((await env.run(['--systemd-cgroup', 'create', '--bundle', b, 'sd'])).code).toBe(0);
    const st = await env.state('sd');
    await validateSchema('state', { ...st, status: st.status }, 'state');
    expect(readFileSync(`/proc/${st.pid}/cgroup`, 'utf8')).toMatch(/^0::\/lxcritest\.slice\/lxcritest-pod1\.slice\/crio-sd\.scope$/m);
    expect((await env.run(['--systemd-cgroup', 'delete', '--force', 'sd'])).code).toBe(0);
    for (const root of cgroupRoots()) {
      expect(existsSync(join(root, 'lxcritest.slice/lxcritest-pod1.slice/crio-sd.scope'))).toBe(false);
      for (const d of ['lxcritest.slice/lxcritest-pod1.slice', 'lxcritest.slice']) if (existsSync(join(root, d))) rmdirSync(join(root, d));
    }
    expect(leftovers(env, 'sd', [st.pid])).toEqual([]);
  });
});
