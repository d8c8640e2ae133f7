// The library API (src/index.ts) with real containers: its bad input gets one clear
// RuntimeError and leaves nothing behind. test/integration/package.test.ts drives the same
// API through the installed npm package.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime, RuntimeError, type Spec } from '../../src/index.js';
import { closeStdio, resolveStdio } from '../../src/runtime/stdio.js';
import { busyboxRootfs, Env, leftovers, makeBundle, sampleSpec, withArgs } from '../helpers/lxcri.js';

let env: Env;
let rt: Runtime;

beforeAll(() => {
  env = new Env();
  rt = new Runtime({ root: env.root });
});
afterAll(async () => {
  await env.cleanup();
});

async function failure(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof RuntimeError) return `${err.kind}: ${err.message}`;
    return `not a RuntimeError: ${String(err)}`;
  }
  return 'no error';
}

const bundles = (): string[] => (existsSync(join(env.root, '.bundles')) ? readdirSync(join(env.root, '.bundles')) : []);

function spec(args: string[]): Spec {
  const s = sampleSpec();
  s.root = { path: busyboxRootfs(), readonly: true };
  s.process!.args = args;
  return s;
}

describe('library: stdio', () => {
  it('takes fds, FileHandles, inherit and ignore; refuses anything without an fd', async () => {
    const fh = await open(join(env.dir, 'fh'), 'w');
    const fds = resolveStdio({ stdin: 'ignore', stdout: fh, stderr: 'inherit' });
    expect(fds.stdout).toBe(fh.fd);
    expect(fds.stderr).toBe(2);
    expect(fds.opened).toEqual([fds.stdin]);
    closeStdio(fds);
    expect(fds.opened).toEqual([]);
    await fh.close();
    expect(await failure(() => resolveStdio({ stdout: {} as never }))).toBe(
      "invalid-argument: stdio.stdout: expected an fd, a stream with a file descriptor (a file once open, a socket or pipe), 'inherit' or 'ignore'",
    );
    expect(await failure(() => resolveStdio({ stderr: -1 }))).toMatch(/^invalid-argument: stdio.stderr: /);
  });
});

describe('library: bad input leaves nothing behind', () => {
  it('create needs exactly one of bundle and spec', async () => {
    expect(await failure(rt.create({ id: 'lib-x' }))).toBe('invalid-argument: create needs either a bundle or a spec');
    expect(await failure(rt.create({ id: 'lib-x', bundle: '/nonexistent', spec: spec(['true']) }))).toBe('invalid-argument: create needs either a bundle or a spec');
    expect(await failure(rt.create({ id: 'lib-x', spec: 'nope' as unknown as Spec }))).toBe('invalid-spec: spec: expected a runtime-spec config object');
  });

  it('an invalid spec object, a bad ID and a duplicate ID remove their private bundle', async () => {
    expect(await failure(rt.create({ id: 'lib-bad', spec: spec([]) }))).toMatch(/^invalid-spec: .*args/);
    expect(await failure(rt.create({ id: '../x', spec: spec(['true']) }))).toMatch(/^invalid-argument: /);
    expect(bundles()).toEqual([]);
    // Made as create makes it: mapped container roots must be able to search it.
    expect(statSync(env.root).mode & 0o777).toBe(0o711);
    const out = join(env.dir, 'dup.out');
    const fd = openSync(out, 'w');
    const { container } = await rt.create({ id: 'lib-dup', spec: spec(['sh', '-c', 'echo dup-ok; sleep 30']), stdio: { stdin: 'ignore', stdout: fd, stderr: fd } });
    closeSync(fd);
    expect(bundles()).toHaveLength(1);
    expect(await failure(rt.create({ id: 'lib-dup', spec: spec(['true']) }))).toBe('exists: container "lib-dup" already exists');
    expect(bundles()).toHaveLength(1);
    await container.start();
    expect(await failure(container.delete())).toBe('invalid-state: container "lib-dup" is running: stop it first or use --force');
    container.kill('KILL');
    expect(await container.wait({ timeoutMs: 10_000 })).toBe(137);
    expect(readFileSync(out, 'utf8')).toBe('dup-ok\n');
    expect(await container.delete()).toEqual([]);
    expect(await failure(container.delete())).toBe('not-found: container does not exist: lib-dup');
    expect(bundles()).toEqual([]);
    expect(leftovers(env, 'lib-dup')).toEqual([]);
  });
});

describe('library: exec, kill, wait', () => {
  it('refuses bad options and signals with one error each; detached wait reaps once', async () => {
    const b = makeBundle(env, 'lib-ex', withArgs('sleep', '60'));
    const { container: c } = await rt.create({ id: 'lib-ex', bundle: b, stdio: { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' } });
    await c.start();
    const p = await c.process();
    const sock = join(env.dir, 'none.sock');
    expect(await failure(c.exec({ ...p, args: ['true'] }, { consoleSocket: sock }))).toBe('invalid-argument: --console-socket needs --tty or process.terminal: true');
    expect(await failure(c.exec({ ...p, args: ['true'], terminal: true }, { consoleSocket: sock, stdio: { stdout: 1 } }))).toBe(
      'invalid-argument: stdio: a process with a console socket has the terminal as its stdio',
    );
    expect(await failure(c.execDetached({ ...p, args: ['true'], terminal: true }))).toBe('invalid-argument: process.terminal needs --console-socket');
    expect(await failure(c.exec({ ...p, args: ['true'] }, { stdio: { stdout: 'x' as never } }))).toMatch(/^invalid-argument: stdio.stdout: /);
    const d = await c.execDetached({ ...p, args: ['sh', '-c', 'exit 7'] }, { stdio: { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' } });
    expect(await d.wait()).toBe(7);
    expect(await d.wait()).toBe(7); // the same answer again, not ECHILD
    expect(await failure(() => c.kill('NOPE'))).toBe('invalid-argument: invalid signal "NOPE"');
    expect(await failure(() => c.kill(99))).toBe('invalid-argument: invalid signal "99": out of range 0-64');
    expect(await failure(() => c.kill(1.5))).toMatch(/^invalid-argument: invalid signal "1.5"/);
    expect(await failure(c.wait({ timeoutMs: 200 }))).toBe('timeout: timed out waiting for container "lib-ex" to stop');
    c.kill(9);
    expect(await c.wait()).toBe(137);
    expect(await failure(c.pause())).toBe('not-running: container not running: lib-ex');
    expect(await failure(c.update({ pids: { limit: 5 } }))).toMatch(/^(not-running: container not running: lib-ex|invalid-argument: invalid resources: pids: )/);
    expect(await failure(c.exec({ ...p, args: ['true'] }))).toBe('not-running: container not running: lib-ex');
    expect(await c.delete()).toEqual([]);
    expect(leftovers(env, 'lib-ex')).toEqual([]);
  });
});
