// --pid-file in a directory others can write (issue 14 item 5): the temporary file it is
// written through had a predictable name and was opened through symlinks, so a planted
// link made root overwrite any file. Links are planted at every name the old scheme could
// pick for the next few thousand PIDs; the root-owned victim must stay as it was.
import { lstatSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, makeBundle, pidAlive, withArgs } from '../helpers/lxcri.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

const VICTIM_TEXT = 'root-owned victim\n';

/** A world-writable directory holding links to the victim at the names a writer might try. */
function plant(name: string): { dir: string; victim: string; links: number } {
  const dir = join(env.dir, `pth-${name}`);
  mkdirSync(dir);
  chmodSync(dir, 0o1777);
  const victim = join(env.dir, `pth-${name}-victim`);
  writeFileSync(victim, VICTIM_TEXT, { mode: 0o644 });
  const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  let links = 0;
  for (let pid = last; pid < last + 4000; pid++) {
    symlinkSync(victim, join(dir, `.pid.${pid}.tmp`));
    links++;
  }
  for (const guess of ['.pid.tmp', 'pid.tmp', '.pid.0.tmp', '.pid~']) {
    symlinkSync(victim, join(dir, guess));
    links++;
  }
  return { dir, victim, links };
}

function expectIntact(p: { dir: string; victim: string; links: number }): void {
  expect(readFileSync(p.victim, 'utf8')).toBe(VICTIM_TEXT);
  // Nothing but the links and the pid file itself: no temporary file left behind.
  const names = readdirSync(p.dir);
  expect(names.filter((n) => !lstatSync(join(p.dir, n)).isSymbolicLink())).toEqual(['pid']);
  expect(names).toHaveLength(p.links + 1);
}

describe('--pid-file next to planted symlinks', () => {
  it('create and exec --detach write the pid file, never through a link', async () => {
    const bundle = makeBundle(env, 'pth-pidfile', withArgs('sleep', '60'));
    const created = plant('create');
    const c = await env.run(['create', '--bundle', bundle, '--pid-file', join(created.dir, 'pid'), 'pth-pidfile']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expectIntact(created);
    const monitor = Number(readFileSync(join(created.dir, 'pid'), 'utf8'));
    expect(pidAlive(monitor)).toBe(true);
    expect((await env.run(['start', 'pth-pidfile'])).code).toBe(0);

    const exec = plant('exec');
    const e = await env.run(['exec', '--detach', '--pid-file', join(exec.dir, 'pid'), 'pth-pidfile', 'sleep', '30']);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expectIntact(exec);
    const pid = Number(readFileSync(join(exec.dir, 'pid'), 'utf8'));
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toBe('sleep\x0030\x00');
    expect((await env.run(['delete', '--force', 'pth-pidfile'])).code).toBe(0);
  });

  it('run --detach writes the pid file, never through a link', async () => {
    const bundle = makeBundle(env, 'pth-pidrun', withArgs('sleep', '60'));
    const run = plant('run');
    const r = await env.run(['run', '--detach', '--pid-file', join(run.dir, 'pid'), '--bundle', bundle, 'pth-pidrun']);
    expect(r.code).toBe(0);
    expectIntact(run);
    expect(pidAlive(Number(readFileSync(join(run.dir, 'pid'), 'utf8')))).toBe(true);
    expect((await env.run(['delete', '--force', 'pth-pidrun'])).code).toBe(0);
    rmSync(run.dir, { recursive: true, force: true });
  });
});
