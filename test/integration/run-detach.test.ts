// run --detach / --pid-file / --keep, compared with runc on the same bundle: detach
// returns once the process runs, the container keeps running with the caller's stdio,
// the pid file is written, and delete --force removes everything.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leftovers, makeBundle, monitorsOf, pidAlive, waitFor, withArgs, type Result } from '../helpers/lxcri.js';
import { sideBySide, type Run } from '../helpers/runc.js';

const { env, lxcri, ref } = sideBySide();

async function state(run: Run, id: string): Promise<{ status: string; pid: number }> {
  const r = await run(['state', id]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { status: string; pid: number };
}

function expectOneLine(r: Result, text: string): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`lxcri: ${text}\n`);
}

describe('run --detach', () => {
  it('returns once the process runs; the container keeps running with the caller\'s stdout; delete --force cleans up', async () => {
    const bundle = makeBundle(env, 'cli-rd', withArgs('sh', '-c', 'echo started; exec sleep 60'));
    for (const [run, id] of [[lxcri, 'cli-rd'], [ref, 'cli-rdr']] as const) {
      const pidFile = join(env.dir, `${id}.pid`);
      const out = join(env.dir, `${id}.out`);
      const began = Date.now();
      const r = await run(['run', '--detach', '--pid-file', pidFile, '--bundle', bundle, id], { stdoutFile: out });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(Date.now() - began).toBeLessThan(20_000); // not the container's 60 s
      const st = await state(run, id);
      expect(st.status).toBe('running');
      expect(pidAlive(st.pid)).toBe(true);
      const filePid = Number(readFileSync(pidFile, 'utf8'));
      expect(pidAlive(filePid)).toBe(true);
      await waitFor(() => readFileSync(out, 'utf8') === 'started\n', 10_000, `${id} output`);
      const d = await run(['delete', '--force', id]);
      expect(d.code).toBe(0);
      await waitFor(() => !pidAlive(st.pid) && !pidAlive(filePid), 10_000, `${id} gone`);
      expect((await run(['state', id])).stderr).toContain('container does not exist');
    }
    expect(leftovers(env, 'cli-rd')).toEqual([]);
  });

  it('the pid file names the container init, as with create: nothing of lxcri stays, and a signal to it reaches the process', async () => {
    const bundle = makeBundle(env, 'cli-rm', withArgs('sh', '-c', 'trap "exit 7" TERM; while :; do sleep 0.1; done'));
    const pidFile = join(env.dir, 'cli-rm.pid');
    expect((await lxcri(['run', '-d', '--pid-file', pidFile, '--bundle', bundle, 'cli-rm'])).code).toBe(0);
    const init = Number(readFileSync(pidFile, 'utf8'));
    expect((await state(lxcri, 'cli-rm')).pid).toBe(init);
    expect(monitorsOf(env.root, 'cli-rm')).toEqual([]);
    await new Promise((r) => setTimeout(r, 200)); // the trap is set
    process.kill(init, 'SIGTERM');
    await waitFor(() => !pidAlive(init), 10_000, 'exit after TERM to the init');
    expect((await state(lxcri, 'cli-rm')).status).toBe('stopped');
    expect((await lxcri(['delete', 'cli-rm'])).code).toBe(0);
    expect(leftovers(env, 'cli-rm', [init])).toEqual([]);
  });

  it('refuses what runc refuses, in one line, and leaves nothing behind', async () => {
    const plain = makeBundle(env, 'cli-rbad', withArgs('sleep', '60'));
    const tty = makeBundle(env, 'cli-rtty', (s) => {
      s.process!.args = ['sleep', '60'];
      s.process!.terminal = true;
    });
    const sock = join(env.dir, 'none.sock');
    expectOneLine(await lxcri(['run', '--console-socket', sock, '--bundle', plain, 'cli-rbad']), '--console-socket needs --detach');
    expectOneLine(await lxcri(['run', '-d', '--bundle', tty, 'cli-rbad']), 'process.terminal needs --console-socket');
    expectOneLine(await lxcri(['run', '-d', '--keep', '--bundle', plain, 'cli-rbad']), '--keep and --detach cannot be used together');
    // runc refuses the first two as well.
    expect((await ref(['run', '--console-socket', sock, '--bundle', plain, 'cli-rbadr'])).code).not.toBe(0);
    expect((await ref(['run', '-d', '--bundle', tty, 'cli-rbadr'])).code).not.toBe(0);
    // A pid file that cannot be written: the started container is removed again.
    const r = await lxcri(['run', '-d', '--pid-file', join(env.dir, 'no/such/dir/pid'), '--bundle', plain, 'cli-rbad']);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lxcri: .*no such file or directory/);
    expect(leftovers(env, 'cli-rbad')).toEqual([]);
  });
});

describe('run in the foreground', () => {
  it('--pid-file is written while it runs; --keep leaves the stopped container for delete', async () => {
    const pidFile = join(env.dir, 'cli-rk.pid');
    const bundle = makeBundle(env, 'cli-rk', withArgs('sh', '-c', 'sleep 0.5; exit 3'));
    const running = lxcri(['run', '--keep', '--pid-file', pidFile, '--bundle', bundle, 'cli-rk']);
    await waitFor(() => {
      try {
        return pidAlive(Number(readFileSync(pidFile, 'utf8')));
      } catch {
        return false;
      }
    }, 10_000, 'pid file');
    const r = await running;
    expect(r.code).toBe(3);
    expect((await state(lxcri, 'cli-rk')).status).toBe('stopped');
    expect((await lxcri(['delete', 'cli-rk'])).code).toBe(0);
    expect(leftovers(env, 'cli-rk')).toEqual([]);
  });
});
