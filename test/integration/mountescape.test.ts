// Image symlinks must not make lxcri (or liblxc for it) create host paths (issue 14 item
// 3). Each case plants a link in a private copy of the rootfs (or in a volume) that leads
// to a fresh host path under /tmp; afterwards that path must not exist, and create either
// succeeded with the mount inside the rootfs or failed with one line and left nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mount, Spec } from '../../src/spec/types.js';
import { Env, leftovers, makeBundle, rootfsCopy, type Result } from '../helpers/lxcri.js';

let env: Env;
const hostPaths: string[] = [];
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
  for (const p of hostPaths) rmSync(p, { recursive: true, force: true });
});

/** A host path that does not exist yet, removed after the tests whatever happens. */
function hostPath(name: string): string {
  const p = join('/tmp', `lxcri-pth-${name}-${process.pid}`);
  rmSync(p, { recursive: true, force: true });
  hostPaths.push(p);
  return p;
}


function bundleWith(id: string, rootfs: string, mounts: Mount[], script = 'true'): string {
  return makeBundle(env, id, (s: Spec) => {
    s.root = { path: rootfs, readonly: true };
    s.process!.args = ['sh', '-c', script];
    // No tmpfs on /tmp: links to /tmp/... then lead into the rootfs's own /tmp directory,
    // where lxcri makes the mount points (below a tmpfs liblxc makes them, mountpoints.ts).
    s.mounts = [...s.mounts!.filter((m) => m.destination !== '/tmp'), ...mounts];
  });
}

/** Succeeded, or failed with exactly one line and nothing left behind. */
function expectCleanOutcome(r: Result, id: string): void {
  if (r.code !== 0) {
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lxcri: /);
  }
  expect(leftovers(env, id)).toEqual([]);
}

async function runOnce(id: string, bundle: string): Promise<Result> {
  const r = await env.run(['run', '--bundle', bundle, id]);
  await env.run(['delete', '--force', id]);
  return r;
}

describe('mount points never resolve outside the rootfs', () => {
  it('image /.lxcri -> /proc/self/root/<host path>: the init dir is not made on the host', async () => {
    const host = hostPath('initdir');
    const rootfs = rootfsCopy(env, 'initdir');
    rmSync(join(rootfs, '.lxcri'), { recursive: true, force: true }); // a mount point of earlier runs
    symlinkSync(`/proc/self/root${host}`, join(rootfs, '.lxcri'));
    const r = await runOnce('pth-initdir', bundleWith('pth-initdir', rootfs, []));
    expectCleanOutcome(r, 'pth-initdir');
    // The link leads into the container's /proc, where liblxc's mount refuses the link /proc/self.
    expect(r.stderr).toMatch(/symbolic link/);
    expect(existsSync(host)).toBe(false);
  });

  it('a volume destination that is a link to a host path is made inside the rootfs', async () => {
    const host = hostPath('voldest');
    const rootfs = rootfsCopy(env, 'voldest');
    symlinkSync(host, join(rootfs, 'data'));
    const src = join(env.dir, 'voldest-src');
    mkdirSync(src);
    writeFileSync(join(src, 'marker'), 'volume\n');
    const r = await runOnce('pth-voldest', bundleWith('pth-voldest', rootfs, [{ destination: '/data', type: 'bind', source: src, options: ['rbind'] }], 'cat /data/marker'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('volume\n');
    expect(existsSync(host)).toBe(false);
    expect(readdirSync(join(rootfs, host))).toEqual([]); // the mount point, in the rootfs
  });

  it('links and destinations through /proc/1/root fail the mount, nothing made on the host', async () => {
    const host = hostPath('proc1');
    const rootfs = rootfsCopy(env, 'proc1');
    symlinkSync(`/proc/1/root${host}`, join(rootfs, 'mnt2'));
    const src = join(env.dir, 'proc1-src');
    mkdirSync(src);
    for (const dest of ['/mnt2', `/proc/1/root${host}`]) {
      const r = await runOnce('pth-proc1', bundleWith('pth-proc1', rootfs, [{ destination: dest, type: 'bind', source: src, options: ['rbind'] }]));
      expectCleanOutcome(r, 'pth-proc1');
      expect(r.code).not.toBe(0);
      expect(existsSync(host)).toBe(false);
    }
  });

  it('a bound file whose destination links to a host path is made inside the rootfs (mode 0000 source)', async () => {
    const host = hostPath('file');
    const rootfs = rootfsCopy(env, 'file');
    symlinkSync(`/proc/self/root${host}`, join(rootfs, 'etc/pth-file'));
    symlinkSync(host, join(rootfs, 'etc/pth-file2'));
    const src = join(env.dir, 'file-src');
    writeFileSync(src, '', { mode: 0o000 });
    for (const dest of ['/etc/pth-file', '/etc/pth-file2']) {
      const r = await runOnce('pth-file', bundleWith('pth-file', rootfs, [{ destination: dest, type: 'bind', source: src, options: ['rbind', 'ro'] }], `test -f ${dest}`));
      expectCleanOutcome(r, 'pth-file');
      expect(existsSync(host)).toBe(false);
    }
  });

  it('a mount nested in a volume whose content links to /tmp lands in the container\'s /tmp', async () => {
    const host = hostPath('nested');
    const vol = join(env.dir, 'nested-vol');
    mkdirSync(vol);
    symlinkSync('/tmp', join(vol, 'link'));
    const name = host.slice('/tmp/'.length);
    const rootfs = rootfsCopy(env, 'nested');
    const r = await runOnce('pth-nested', bundleWith('pth-nested', rootfs, [
      { destination: '/vol', type: 'bind', source: vol, options: ['rbind'] },
      { destination: `/vol/link/${name}`, type: 'tmpfs', source: 'tmpfs', options: ['size=64k'] },
    ], `grep -c " /tmp/${name} tmpfs " /proc/mounts`));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1\n');
    expect(existsSync(host)).toBe(false);
    expect(existsSync(join(rootfs, 'tmp', name))).toBe(true);
  });
});

describe('a link swapped in while create runs (renameat2 RENAME_EXCHANGE)', () => {
  /**
   * Exchanges rootfs/<dir> (a directory) and rootfs/<dir>link (a link to an existing host
   * directory) as fast as it can during `trials` creates of a bundle with the mount
   * `mounts`; returns how often something appeared in the host directory.
   */
  async function race(name: string, dir: string, mounts: (src: string) => Mount[], keepTmp: boolean): Promise<void> {
    // The link's target exists, as a host directory would: what is made below it counts.
    const target = hostPath(name);
    mkdirSync(target);
    const rootfs = rootfsCopy(env, name);
    mkdirSync(join(rootfs, dir), { recursive: true });
    symlinkSync(target, join(rootfs, `${dir}link`));
    const src = join(env.dir, `${name}-src`);
    mkdirSync(src);
    const id = `pth-${name}`;
    const bundle = makeBundle(env, id, (s: Spec) => {
      s.root = { path: rootfs, readonly: true };
      s.process!.args = ['true'];
      s.mounts = [...s.mounts!.filter((m) => keepTmp || m.destination !== '/tmp'), ...mounts(src)];
    });
    const racer: ChildProcess = spawn('python3', ['-c', [
      'import ctypes, os, sys',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)',
      'a, b = sys.argv[2].encode(), (sys.argv[2] + "link").encode()',
      'while True: libc.renameat2(fd, a, fd, b, 2)',
    ].join('\n'), rootfs, dir], { stdio: 'ignore' });
    let hits = 0;
    let ok = 0;
    const trials = 120;
    try {
      for (let i = 0; i < trials; i++) {
        const r = await env.run(['create', '--bundle', bundle, id]);
        if (r.code === 0) ok++;
        else expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        await env.run(['delete', '--force', id]);
        if (readdirSync(target).length > 0) {
          hits++;
          for (const n of readdirSync(target)) rmSync(join(target, n), { recursive: true, force: true });
        }
      }
    } finally {
      racer.kill('SIGKILL');
    }
    expect(leftovers(env, id)).toEqual([]);
    console.log(`race ${name}: ${trials} trials, ${ok} creates succeeded, host directory written ${hits} times`);
    expect({ hits, trials }).toEqual({ hits: 0, trials });
    // Some creates won the race: the test did exercise the mount.
    expect(ok).toBeGreaterThan(0);
  }

  it('a directory of the rootfs: never writes the host directory', async () => {
    await race('race', 'racedir', (src) => [{ destination: '/racedir/sub/deeper', type: 'bind', source: src, options: ['rbind'] }], false);
  }, 300_000);

  it('the mount point of a tmpfs with a mount below it: never writes the host directory', async () => {
    // liblxc's create=dir below the tmpfs walked the rootfs path again (12 in 60 trials).
    await race('tmprace', 'tmp', (src) => [{ destination: '/tmp/sub', type: 'bind', source: src, options: ['rbind'] }], true);
  }, 300_000);
});
