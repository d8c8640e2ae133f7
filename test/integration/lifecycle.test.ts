// The OCI lifecycle with real containers: create → created → start → running → kill →
// stopped → delete, and nothing left behind.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupRoots, Env, leftovers, makeBundle, monitorsOf, pidAlive, waitFor, withArgs } from '../helpers/lxcri.js';
import { becomeSubreaper, cgroupsOf, innerPid, parentPid, reapChild } from '../helpers/subreaper.js';
import { validateSchema } from '../../src/spec/validate.js';

let env: Env;
beforeAll(() => {
  env = new Env();
  becomeSubreaper();
});
afterAll(async () => {
  await env.cleanup();
});

describe('lifecycle', () => {
  it('goes created → running → stopped and cleans up completely', async () => {
    const bundle = makeBundle(env, 'life', withArgs('sleep', '60'));
    const pidFile = join(env.dir, 'life.pid');
    writeFileSync(pidFile, ''); // CRI-O pre-creates it empty
    const c = await env.run(['create', '--bundle', bundle, '--pid-file', pidFile, 'life']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);

    const created = await env.state('life');
    expect(created.status).toBe('created');
    expect(created.pid).toBeGreaterThan(0);
    expect(created.bundle).toBe(bundle);
    expect(created.id).toBe('life');
    await validateSchema('state', created, 'state');
    const initPid = created.pid;
    // Blocked in lxcri-init, not yet the process.
    expect(readFileSync(`/proc/${initPid}/cmdline`, 'utf8')).toContain('lxcri-init');

    // runc's model: the pid file names the init, which is now the child of the caller's
    // subreaper (this test process, as conmon), and nothing of lxcri stays resident.
    expect(Number(readFileSync(pidFile, 'utf8'))).toBe(initPid);
    expect(parentPid(initPid)).toBe(process.pid);
    expect(innerPid(initPid)).toBe(1);
    expect(monitorsOf(env.root, 'life')).toEqual([]);
    // The init is in the container's cgroup in every hierarchy; the monitor's is gone.
    const cgroups = cgroupsOf(initPid);
    expect(cgroups.size).toBe(cgroupRoots().length);
    for (const [h, path] of cgroups) expect(`${h}:${path}`).toMatch(/:\/lxcri\/life$/);
    for (const root of cgroupRoots()) expect(existsSync(join(root, 'lxcri-monitor.slice/life.scope'))).toBe(false);

    const s = await env.run(['start', 'life']);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const running = await env.state('life');
    expect(running.status).toBe('running');
    expect(running.pid).toBe(initPid);
    expect(readFileSync(`/proc/${initPid}/cmdline`, 'utf8')).toBe('sleep\x0060\x00');
    await validateSchema('state', running, 'state');

    const k = await env.run(['kill', 'life', 'KILL']);
    expect(k.code).toBe(0);
    await waitFor(async () => (await env.state('life')).status === 'stopped', 10_000, 'stopped');
    const stopped = await env.state('life');
    expect(stopped.pid).toBe(0);
    // Its exact end reaches its reaper (conmon reads it so): killed by SIGKILL.
    expect(await reapChild(initPid)).toBe(9);

    const d = await env.run(['delete', 'life']);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    expect(leftovers(env, 'life', [initPid])).toEqual([]);
    const gone = await env.run(['state', 'life']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('container does not exist: life');
  });

  it('kill accepts names with and without SIG and numbers', async () => {
    for (const [i, sig] of ['TERM', 'SIGKILL', '9', 'sigterm', '15'].entries()) {
      const id = `sig${i}`;
      // PID 1 of a PID namespace ignores TERM unless it handles it: this one does.
      const bundle = makeBundle(env, id, withArgs('sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.1; done'));
      expect((await env.run(['create', '--bundle', bundle, id])).code).toBe(0);
      expect((await env.run(['start', id])).code).toBe(0);
      const pid = (await env.state(id)).pid;
      await new Promise((r) => setTimeout(r, 100)); // let sh install its trap
      const k = await env.run(['kill', id, sig]);
      expect(k.stderr).toBe('');
      expect(k.code).toBe(0);
      await waitFor(() => !pidAlive(pid), 10_000, `kill ${sig}`);
      await waitFor(async () => (await env.state(id)).status === 'stopped');
      const again = await env.run(['kill', id, 'KILL']);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/container not running: sig\d/);
      expect((await env.run(['delete', id])).code).toBe(0);
      expect(leftovers(env, id, [pid])).toEqual([]);
    }
  });

  it('the default signal is TERM, and the container writes to create\'s stdout', async () => {
    const bundle = makeBundle(env, 'term', withArgs('sh', '-c', 'trap "echo got TERM; exit 7" TERM; echo ready; while true; do sleep 0.1; done'));
    const outFile = join(env.dir, 'term.out');
    const c = await env.run(['create', '--bundle', bundle, 'term'], { stdoutFile: outFile });
    expect(c.code).toBe(0);
    expect((await env.run(['start', 'term'])).code).toBe(0);
    const pid = (await env.state('term')).pid;
    await new Promise((r) => setTimeout(r, 300));
    expect((await env.run(['kill', 'term'])).code).toBe(0);
    await waitFor(() => !pidAlive(pid), 10_000, 'exit after TERM');
    // The test harness gave create a file as stdout; the container kept writing to it.
    const out = readFileSync(outFile, 'utf8');
    expect(out).toBe('ready\ngot TERM\n');
    expect((await env.run(['delete', 'term'])).code).toBe(0);
  });

  it('delete --force kills a running container and removes everything', async () => {
    const bundle = makeBundle(env, 'force', withArgs('sleep', '60'));
    expect((await env.run(['create', '--bundle', bundle, 'force'])).code).toBe(0);
    expect((await env.run(['start', 'force'])).code).toBe(0);
    const pid = (await env.state('force')).pid;
    const plain = await env.run(['delete', 'force']);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toMatch(/running/);
    expect(pidAlive(pid)).toBe(true);
    const d = await env.run(['delete', '--force', 'force']);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    expect(leftovers(env, 'force', [pid])).toEqual([]);
    // Idempotent, as podman calls it twice.
    expect((await env.run(['delete', '--force', 'force'])).code).toBe(0);
  });

  it('delete --force removes a created (never started) container', async () => {
    const bundle = makeBundle(env, 'fresh', withArgs('true'));
    expect((await env.run(['create', '--bundle', bundle, 'fresh'])).code).toBe(0);
    const pid = (await env.state('fresh')).pid;
    expect((await env.run(['delete', '--force', 'fresh'])).code).toBe(0);
    expect(leftovers(env, 'fresh', [pid])).toEqual([]);
  });

  it('lists containers', async () => {
    const bundle = makeBundle(env, 'l1', withArgs('sleep', '60'));
    expect((await env.run(['create', '--bundle', bundle, 'l1'])).code).toBe(0);
    const q = await env.run(['list', '-q']);
    expect(q.stdout.split('\n')).toContain('l1');
    const j = await env.run(['list', '--format', 'json']);
    const states = JSON.parse(j.stdout) as Array<{ id: string; status: string }>;
    expect(states.find((s) => s.id === 'l1')?.status).toBe('created');
    const t = await env.run(['list']);
    expect(t.stdout).toMatch(/^ID\s+PID\s+STATUS\s+BUNDLE\s+CREATED$/m);
    expect((await env.run(['delete', '--force', 'l1'])).code).toBe(0);
    expect(existsSync(join(env.root, 'l1'))).toBe(false);
  });
});
