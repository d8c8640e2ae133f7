// User namespaces (issue 9, item 4): bundles as runc's users and test tools make them run
// with uid/gid 0 mapped to host 1000, the rootfs set up as host root, nothing created in
// the bundle, the cgroup mount made in the user namespace; runc 1.1.5 runs the same
// bundle where it can.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfs, Env, leftovers, REPO, runCmd, type Result } from '../helpers/lxcri.js';
import { HELPERS } from '../../src/base/location.js';
import type { Spec } from '../../src/spec/types.js';

let env: Env;
const runcRoot = mkdtempSync(join(tmpdir(), 'un-runc-'));
beforeAll(() => {
  env = new Env();
  // The bundles of the runc comparison live here: the mapped root must be able to pass.
  chmodSync(env.dir, 0o711);
});
afterAll(async () => {
  await env.cleanup();
  rmSync(runcRoot, { recursive: true, force: true });
});

const MAP = [{ containerID: 0, hostID: 1000, size: 65536 }];

/** `runc spec`'s config, in a user namespace mapped to host 1000, running `args`. */
function runcSpec(rootPath: string, args: string[]): Spec {
  const dir = mkdtempSync(join(tmpdir(), 'un-spec-'));
  try {
    const r = spawnSync('runc', ['spec'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`runc spec failed: ${r.stderr}`);
    const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Spec;
    spec.root = { ...spec.root!, path: rootPath };
    spec.process!.terminal = false;
    spec.process!.args = args;
    spec.linux!.namespaces!.push({ type: 'user' });
    spec.linux!.uidMappings = MAP;
    spec.linux!.gidMappings = MAP;
    return spec;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bundle as test tools make it: a private (0700, root's) temp dir that is the rootfs too. */
function privateBundle(args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'un-private-'));
  const r = spawnSync(join(REPO, 'scripts/mkrootfs.sh'), [dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkrootfs failed: ${r.stderr}`);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(runcSpec('.', args)));
  return dir;
}

/** Names and modes in the bundle's top directory, to see that nothing was added or changed. */
const snapshot = (dir: string): string[] =>
  readdirSync(dir).sort().map((n) => `${n} ${statSync(join(dir, n)).mode.toString(8)} ${statSync(join(dir, n)).uid}`);

/** Whether the host's mount table names path (a mount left behind or made on the host). */
const mountedOnHost = (path: string): boolean => readFileSync('/proc/self/mountinfo', 'utf8').includes(path);

async function lxcriRun(id: string, bundle: string): Promise<Result> {
  return env.run(['run', '--bundle', bundle, id]);
}

function runcRun(id: string, bundle: string): Promise<Result> {
  return runCmd('runc', ['--root', runcRoot, 'run', '--bundle', bundle, id]);
}

describe('user namespaces', () => {
  it('runs a runc spec bundle with its default mounts, as runc does', async () => {
    const bundle = join(env.dir, 'runc-spec');
    mkdirSync(bundle);
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(runcSpec(busyboxRootfs(), ['id', '-u'])));
    const ours = await lxcriRun('un-spec', bundle);
    expect(ours.stderr).toBe('');
    expect(ours.code).toBe(0);
    expect(ours.stdout).toBe('0\n');
    const runc = await runcRun('un-spec-runc', bundle);
    expect(runc.code).toBe(0);
    expect(ours.stdout).toBe(runc.stdout);
    expect(leftovers(env, 'un-spec')).toEqual([]);
    expect(mountedOnHost(busyboxRootfs())).toBe(false);
  });

  it('names the directory that keeps the mapped root from lxcri\'s helpers, in one line, leaving nothing', async () => {
    const bundle = join(env.dir, 'unreachable');
    mkdirSync(bundle);
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(runcSpec(busyboxRootfs(), ['id', '-u'])));
    // The helpers as a clone under /root has them: below a 0700 directory.
    const hidden = mkdtempSync(join(tmpdir(), 'un-hidden-'));
    try {
      const libexec = join(hidden, 'libexec');
      mkdirSync(libexec);
      for (const h of HELPERS) writeFileSync(join(libexec, h), readFileSync(join(REPO, 'libexec', h)), { mode: 0o755 });
      const r = await env.run(['--libexec', libexec, 'run', '--bundle', bundle, 'un-hidden']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`lxcri: user namespace: the container's root (host uid 1000) cannot reach lxcri's helpers in ${libexec}: ${hidden} is mode 0700 (the container's root needs x on it)\n`);
      expect(leftovers(env, 'un-hidden')).toEqual([]);
      chmodSync(hidden, 0o711);
      const ok = await env.run(['--libexec', libexec, 'run', '--bundle', bundle, 'un-hidden']);
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toBe('0\n');
    } finally {
      rmSync(hidden, { recursive: true, force: true });
    }
  });

  it('runs a private bundle (0700, root-owned, root.path ".") without creating anything in it', async () => {
    const bundle = privateBundle(['id', '-u']);
    try {
      const before = snapshot(bundle);
      const r = await lxcriRun('un-private', bundle);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('0\n');
      // runc 1.1.5 fails on this bundle ("lstat <bundle>/proc: permission denied"): it
      // sets the rootfs up as the mapped root, who cannot enter the 0700 directory.
      expect(snapshot(bundle)).toEqual(before);
      expect(statSync(bundle).mode & 0o777).toBe(0o700);
      expect(leftovers(env, 'un-private')).toEqual([]);
      expect(mountedOnHost(bundle)).toBe(false);
    } finally {
      rmSync(bundle, { recursive: true, force: true });
    }
  });

  it('fails in one line, leaving nothing, where the rootfs\'s file system cannot be idmapped', async () => {
    // ramfs has no idmapped mounts: a private rootfs on it cannot be shifted.
    const mnt = mkdtempSync(join(tmpdir(), 'un-ramfs-'));
    expect(spawnSync('mount', ['-t', 'ramfs', 'ramfs', mnt]).status).toBe(0);
    try {
      const bundle = join(mnt, 'b');
      mkdirSync(bundle, { mode: 0o700 });
      expect(spawnSync(join(REPO, 'scripts/mkrootfs.sh'), [bundle]).status).toBe(0);
      writeFileSync(join(bundle, 'config.json'), JSON.stringify(runcSpec('.', ['id', '-u'])));
      const r = await lxcriRun('un-ramfs', bundle);
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^lxcri: lxcri-start: idmap the rootfs .*: Invalid argument \(its file system may not support idmapped mounts\)\n$/);
      expect(leftovers(env, 'un-ramfs')).toEqual([]);
    } finally {
      spawnSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });

  it('runs a rootfs inside a private bundle, and execs into it', async () => {
    // runc 1.1.5 fails here too: it binds the rootfs as the mapped root ("permission denied").
    const bundle = mkdtempSync(join(tmpdir(), 'un-inner-'));
    try {
      const rootfs = join(bundle, 'rootfs');
      const r0 = spawnSync(join(REPO, 'scripts/mkrootfs.sh'), [rootfs], { encoding: 'utf8' });
      expect(r0.status).toBe(0);
      writeFileSync(join(bundle, 'config.json'), JSON.stringify(runcSpec('rootfs', ['sleep', '30'])));
      const before = snapshot(rootfs);
      const c = await env.run(['create', '--bundle', bundle, 'un-inner']);
      expect(c.stderr).toBe('');
      expect(c.code).toBe(0);
      // The rootfs is not shifted: host root's files are nobody's, as with runc.
      const e = await env.run(['exec', 'un-inner', 'sh', '-c', 'id -u; stat -c "%u %g" /bin']);
      expect(e.stderr).toBe('');
      expect(e.stdout).toBe('0\n65534 65534\n');
      expect((await env.run(['delete', '--force', 'un-inner'])).code).toBe(0);
      expect(snapshot(rootfs)).toEqual(before);
      expect(leftovers(env, 'un-inner')).toEqual([]);
    } finally {
      rmSync(bundle, { recursive: true, force: true });
    }
  });

  it('mounts the cgroup tree read-only where the container finds its own cgroup, with or without a cgroup namespace', async () => {
    // Without a cgroup namespace the kernel refuses cgroup2 in a user namespace: a bind of
    // the host's cgroup2 tree shows what a fresh mount would.
    const script =
      'grep " /sys/fs/cgroup " /proc/self/mountinfo | cut -d" " -f6,9; touch /sys/fs/cgroup/x 2>/dev/null || echo ro; ' +
      'cg=$(sed -n "s/^0:://p" /proc/self/cgroup); grep -qx 1 "/sys/fs/cgroup$cg/cgroup.procs" && echo own; echo "$cg"';
    const bundle = join(env.dir, 'cg');
    mkdirSync(bundle);
    // (runc spec adds a cgroup namespace on pure cgroup v2 hosts only.)
    const plain = runcSpec(busyboxRootfs(), ['sh', '-c', script]);
    plain.linux!.namespaces = plain.linux!.namespaces!.filter((n) => n.type !== 'cgroup');
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(plain));
    const r = await lxcriRun('un-cg', bundle);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ro,nosuid,nodev,noexec,relatime cgroup2\nro\nown\n/lxcri/un-cg\n');
    const spec = runcSpec(busyboxRootfs(), ['sh', '-c', script]);
    if (!spec.linux!.namespaces!.some((n) => n.type === 'cgroup')) spec.linux!.namespaces!.push({ type: 'cgroup' });
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    const n = await lxcriRun('un-cgns', bundle);
    expect(n.stderr).toBe('');
    expect(n.stdout).toBe('ro,nosuid,nodev,noexec,relatime cgroup2\nro\nown\n/\n');
  });
});
