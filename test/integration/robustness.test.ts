// Failures around a container: an init killed from outside, a create that is killed half-way, a
// custom cgroupsPath and a non-root process user.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
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


describe('robustness', () => {
  it('nothing of lxcri stays with the container; an init killed by anyone, created or running, is cleaned up by delete, poststop hooks included', async () => {
    for (const when of ['created', 'running']) {
      const id = `gone-${when}`;
      const mark = join(env.dir, `${id}.poststop`);
      const b = makeBundle(env, id, (s) => {
        withArgs('sleep', '60')(s);
        s.hooks = { poststop: [{ path: '/bin/sh', args: ['sh', '-c', `cat > ${mark}`] }] };
      });
      expect((await env.run(['create', '--bundle', b, id])).code).toBe(0);
      if (when === 'running') expect((await env.run(['start', id])).code).toBe(0);
      const pid = (await env.state(id)).pid;
      expect(monitorsOf(env.root, id)).toEqual([]);
      process.kill(pid, 'SIGKILL');
      await waitFor(async () => (await env.state(id)).status === 'stopped', 10_000, `${id} stopped`);
      const d = await env.run(['delete', id]);
      expect(d.stderr).toBe('');
      expect(d.code).toBe(0);
      expect(JSON.parse(readFileSync(mark, 'utf8'))).toMatchObject({ id, status: 'stopped', pid: 0 });
      expect(leftovers(env, id, [pid])).toEqual([]);
    }
  });

  it('delete --force cleans up after a create killed at any point', async () => {
    const b = makeBundle(env, 'killed', withArgs('sleep', '60'));
    for (const delay of [30, 50, 60, 70, 80, 90, 100, 120, 200]) {
      const id = `killed${delay}`;
      const p = spawn(LAUNCHER, [...env.globals(), 'create', '--bundle', b, id], { env: { ...process.env, LXCRI_MAIN: MAIN }, stdio: 'ignore' });
      const exited = new Promise((r) => p.once('exit', r));
      await new Promise((r) => setTimeout(r, delay));
      p.kill('SIGKILL');
      await exited;
      const d = await env.run(['delete', '--force', id]);
      expect(d.stderr, `delay ${delay}`).toBe('');
      expect(d.code).toBe(0);
      await waitFor(() => monitorsOf(env.root, id).length === 0, 5_000, `monitor of ${id} gone`);
      expect(leftovers(env, id), `delay ${delay}`).toEqual([]);
    }
  });

  it('uses linux.cgroupsPath and removes it on delete', async () => {
    const b = makeBundle(env, 'cgp', (s) => {
      s.process!.args = ['sleep', '60'];
      s.linux!.cgroupsPath = '/lxcri-test-parent/cgp';
    });
    expect((await env.run(['create', '--bundle', b, 'cgp'])).code).toBe(0);
    const pid = (await env.state('cgp')).pid;
    expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toMatch(/^0::\/lxcri-test-parent\/cgp$/m);
    // A second container may not join a cgroup that has processes.
    const b2 = makeBundle(env, 'cgp2', (s) => {
      s.linux!.cgroupsPath = '/lxcri-test-parent/cgp';
    });
    const r = await env.run(['create', '--bundle', b2, 'cgp2']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cgroup lxcri-test-parent\/cgp already has processes/);
    expect((await env.state('cgp')).status).toBe('created');
    expect((await env.run(['delete', '--force', 'cgp'])).code).toBe(0);
    for (const root of cgroupRoots()) {
      expect(existsSync(join(root, 'lxcri-test-parent/cgp'))).toBe(false);
      // The parent belongs to whoever chose it (kubelet for a pod): lxcri leaves it.
      if (existsSync(join(root, 'lxcri-test-parent'))) rmdirSync(join(root, 'lxcri-test-parent'));
    }
  });

  it('runs the process as the spec user', async () => {
    const b = makeBundle(env, 'user', (s) => {
      s.process!.args = ['sh', '-c', 'id -u; id -g; echo $HOME'];
      s.process!.user = { uid: 65534, gid: 65534 };
    });
    const r = await env.run(['run', '--bundle', b, 'user']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('65534\n65534\n/nonexistent\n');
    expect(r.code).toBe(0);
  });

  it('takes a relative root.path against the bundle', async () => {
    const b = makeBundle(env, 'relroot', (s) => {
      s.process!.args = ['true'];
    });
    const { symlinkSync } = await import('node:fs');
    const { busyboxRootfs } = await import('../helpers/lxcri.js');
    symlinkSync(busyboxRootfs(), join(b, 'rootfs'));
    const { writeFileSync } = await import('node:fs');
    const spec = JSON.parse(readFileSync(join(b, 'config.json'), 'utf8')) as { root: { path: string } };
    spec.root.path = 'rootfs';
    writeFileSync(join(b, 'config.json'), JSON.stringify(spec));
    const r = await env.run(['run', '--bundle', b, 'relroot']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('create reports the init\'s exec error, not its monitor\'s exit, also under CPU load', async () => {
    // Busy loops on both cores: the init's report and the monitor's exit arrive close
    // together, in either order.
    const busy = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    try {
      const cases: Array<[string, string[], RegExp]> = [
        ['noexec', ['/etc/passwd'], /^lxcri: exec: \/etc\/passwd: permission denied$/], // 126
        ['missing', ['/no/such/program'], /^lxcri: exec: \/no\/such\/program: no such file or directory$/], // 127
      ];
      for (const [name, args, pattern] of cases) {
        const b = makeBundle(env, `bad-race-${name}`, withArgs(...args));
        for (let i = 0; i < 20; i++) {
          const id = `bad-race-${name}-${i}`;
          const r = await env.run(['create', '--bundle', b, id]);
          expect(r.code, id).toBe(1);
          expect(r.stderr.trimEnd(), id).toMatch(pattern);
          expect(leftovers(env, id)).toEqual([]);
        }
      }
    } finally {
      for (const p of busy) p.kill('SIGKILL');
    }
  }, 600_000);

  it('create reports the init\'s error even when it sees the monitor\'s exit first', async () => {
    // lxcri is stopped while its monitor runs (a createContainer hook holds the start for
    // a moment, after lxcri-hook's exchange with create) and continued once the monitor
    // has exited: the init's report and the monitor's exit are then both waiting for it,
    // and the exit (a signal, read first) used to win.
    const marker = join(env.dir, 'bad-order-hook');
    const b = makeBundle(env, 'bad-order', (s) => {
      s.process!.args = ['/etc/passwd'];
      s.hooks = { createContainer: [{ path: '/bin/sh', args: ['sh', '-c', `touch ${marker}; sleep 0.3`] }] };
    });
    let forced = 0;
    for (let i = 0; i < 5; i++) {
      const id = `bad-order-${i}`;
      rmSync(marker, { force: true });
      let done = false;
      const run = env.run(['create', '--bundle', b, id]).finally(() => (done = true));
      await waitFor(() => done || existsSync(marker), 10_000, 'the createContainer hook');
      const monitor = monitorsOf(env.root, id)[0];
      if (!done && monitor !== undefined) {
        const lxcri = Number(/^PPid:\s*(\d+)$/m.exec(readFileSync(`/proc/${monitor}/status`, 'latin1'))![1]);
        process.kill(lxcri, 'SIGSTOP');
        try {
          await waitFor(() => !pidAlive(monitor), 10_000, 'the monitor to exit');
          forced++;
        } finally {
          process.kill(lxcri, 'SIGCONT');
        }
      }
      const r = await run;
      expect(r.code, id).toBe(1);
      expect(r.stderr, id).toBe('lxcri: exec: /etc/passwd: permission denied\n');
      expect(leftovers(env, id)).toEqual([]);
    }
    expect(forced).toBeGreaterThan(0);
  }, 120_000);
});
