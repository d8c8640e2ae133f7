// linux.rootfsPropagation as the container's own /proc/self/mountinfo shows its "/", for a
// rootfs on a private and on a shared host mount (made by the test, so that the host's own
// propagation does not matter), compared with runc 1.1.5 where runc honours the value
// (it leaves "/" private for shared and for slave of a shared mount, and cannot run
// unbindable at all: "mount rootfs ... flags 0x5000: invalid argument"). crun 1.8 (in the
// cgroup v2 VM) gives the same as lxcri but for slave of a separate shared mount, which
// it makes private before binding the rootfs: lxcri's "/" stays that mount's slave, as the
// value asks.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfs, Env, leftovers, makeBundle } from '../helpers/lxcri.js';
import { runRunc } from '../helpers/oci.js';

let env: Env;
const hostMounts: string[] = [];
// Not in env.dir (0700): a user namespace's root must reach the rootfs.
let mountBase: string;

/** The rootfs bind-mounted on a directory of the test with the given propagation. */
function hostRootfs(name: string, propagation: 'private' | 'shared'): { dir: string; peer?: string } {
  const dir = join(mountBase, name);
  mkdirSync(dir);
  execFileSync('mount', ['--bind', busyboxRootfs(), dir]);
  hostMounts.push(dir);
  execFileSync('mount', [`--make-${propagation}`, dir]);
  const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === dir)!;
  return { dir, peer: /shared:(\d+)/.exec(line)?.[1] };
}

let privateRoot: string;
let sharedRoot: { dir: string; peer?: string };

beforeAll(() => {
  env = new Env();
  mountBase = mkdtempSync(join(tmpdir(), 'lxcri-test-mo-prop-'));
  chmodSync(mountBase, 0o755);
  privateRoot = hostRootfs('mo-prop-private', 'private').dir;
  sharedRoot = hostRootfs('mo-prop-shared', 'shared');
});
afterAll(async () => {
  // Unmounted first: cleanup's recursive removal would go through them into the rootfs.
  for (const m of hostMounts.reverse()) execFileSync('umount', [m]);
  rmSync(mountBase, { recursive: true, force: true });
  await env.cleanup();
});

/** The optional fields of the container's "/" line: "shared:N", "master:N", "unbindable". */
function rootTags(mountinfo: string): string[] {
  const line = mountinfo.split('\n').find((l) => l.split(' ')[4] === '/');
  expect(line).toBeDefined();
  const f = line!.split(' ');
  return f.slice(6, f.indexOf('-'));
}

async function tags(id: string, root: string, propagation: string, runc = false, userns = false): Promise<string[]> {
  const bundle = makeBundle(env, id, (s) => {
    s.root = { path: root, readonly: true };
    s.linux!.rootfsPropagation = propagation;
    s.process!.args = ['cat', '/proc/self/mountinfo'];
    if (userns) {
      s.linux!.namespaces!.push({ type: 'user' });
      s.linux!.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
      s.linux!.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    }
  });
  const r = runc ? await runRunc(env, bundle, id) : await env.run(['run', '--bundle', bundle, id]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  if (!runc) expect(leftovers(env, id)).toEqual([]);
  return rootTags(r.stdout);
}

describe('linux.rootfsPropagation', () => {
  it('holds for "/" on a rootfs from a private host mount', async () => {
    const shared = await tags('mo-prop-p-shared', privateRoot, 'shared');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatch(/^shared:\d+$/);
    expect(await tags('mo-prop-p-slave', privateRoot, 'slave')).toEqual([]); // a slave of nothing is private
    expect(await tags('mo-prop-p-private', privateRoot, 'private')).toEqual([]);
    expect(await tags('mo-prop-p-unbindable', privateRoot, 'unbindable')).toEqual(['unbindable']);
    for (const p of ['slave', 'private']) {
      expect(await tags(`mo-prop-p-${p}-runc`, privateRoot, p, true)).toEqual([]);
    }
  });

  it('holds for "/" on a rootfs from a shared host mount: slave receives from it', async () => {
    const peer = sharedRoot.peer;
    expect(peer).toBeDefined();
    // Shared: a peer group of its own, neither a peer nor a slave of the host's mount.
    const shared = await tags('mo-prop-s-shared', sharedRoot.dir, 'shared');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatch(/^shared:\d+$/);
    expect(shared[0]).not.toBe(`shared:${peer}`);
    expect(await tags('mo-prop-s-slave', sharedRoot.dir, 'slave')).toEqual([`master:${peer}`]);
    expect(await tags('mo-prop-s-private', sharedRoot.dir, 'private')).toEqual([]);
    expect(await tags('mo-prop-s-unbindable', sharedRoot.dir, 'unbindable')).toEqual(['unbindable']);
    expect(await tags('mo-prop-s-private-runc', sharedRoot.dir, 'private', true)).toEqual([]);
  });

  it('holds in a user namespace too (its mount namespace is entered from the host)', async () => {
    expect(await tags('mo-prop-u-private', privateRoot, 'private', false, true)).toEqual([]);
    expect(await tags('mo-prop-u-unbindable', privateRoot, 'unbindable', false, true)).toEqual(['unbindable']);
    expect(await tags('mo-prop-u-slave', sharedRoot.dir, 'slave', false, true)).toEqual([`master:${sharedRoot.peer}`]);
  });
});
