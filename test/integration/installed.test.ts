// An installed lxcri (make install PREFIX=...) with an empty environment, as podman runs
// kill and delete, takes a `runc spec` busybox bundle through the whole lifecycle.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfs, cgroupRoots, lockDirOf, pidAlive, runCmd, waitFor, type Result } from '../helpers/lxcri.js';

const prefix = process.env.LXCRI_TEST_PREFIX;
// Made only when the tests run: vitest runs no hook of a file whose tests are all skipped.
const dir = prefix ? mkdtempSync(join(tmpdir(), 'lxcri-installed-')) : '';
const root = join('/run', `lxcri-installed-${process.pid}`);

const lxcri = (...args: string[]): Promise<Result> => runCmd('/usr/bin/env', ['-i', join(prefix!, 'bin/lxcri'), '--root', root, ...args]);

beforeAll(() => {
  if (!prefix) return;
  const bundle = join(dir, 'bundle');
  mkdirSync(bundle);
  const r = spawnSync('runc', ['spec'], { cwd: bundle, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`runc spec failed: ${r.stderr}`);
  const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as { root: { path: string }; process: { terminal: boolean; args: string[] } };
  spec.root.path = busyboxRootfs();
  spec.process.terminal = false;
  spec.process.args = ['sleep', '60'];
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
});
afterAll(async () => {
  if (prefix) await lxcri('delete', '--force', 'inst');
  rmSync(dir, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
  rmSync(lockDirOf(root), { recursive: true, force: true });
});

describe.skipIf(!prefix)('installed lxcri with an empty environment', () => {
  it('runs a runc spec bundle through the lifecycle and cleans up', async () => {
    expect((await lxcri('--version')).stdout).toMatch(/^lxcri version /);
    const pidFile = join(dir, 'pid');
    const c = await lxcri('create', '--bundle', join(dir, 'bundle'), '--pid-file', pidFile, 'inst');
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(JSON.parse((await lxcri('state', 'inst')).stdout).status).toBe('created');
    expect((await lxcri('start', 'inst')).code).toBe(0);
    const st = JSON.parse((await lxcri('state', 'inst')).stdout) as { status: string; pid: number; bundle: string };
    expect(st.status).toBe('running');
    expect(st.bundle).toBe(join(dir, 'bundle'));
    const monitor = Number(readFileSync(pidFile, 'utf8'));
    expect(pidAlive(monitor)).toBe(true);
    expect((await lxcri('kill', 'inst', '9')).code).toBe(0);
    await waitFor(() => !pidAlive(st.pid) && !pidAlive(monitor), 10_000, 'exit');
    expect((await lxcri('delete', 'inst')).code).toBe(0);
    expect(existsSync(join(root, 'inst'))).toBe(false);
    for (const r of cgroupRoots()) {
      expect(existsSync(join(r, 'lxcri/inst'))).toBe(false);
      expect(existsSync(join(r, 'lxcri-monitor.slice/inst.scope'))).toBe(false);
    }
  });
});
