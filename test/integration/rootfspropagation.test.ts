// linux.rootfsPropagation as the container's own /proc/self/mountinfo shows its "/", for a
// rootfs on a private and on a shared host mount, compared with runc 1.1.5 where runc
// honours the value (it leaves "/" private for shared and for slave of a shared mount, and
// cannot run unbindable at all: "mount rootfs ... flags 0x5000: invalid argument").
// test/cgroup2/rootfspropagation.test.ts compares with crun, which needs cgroup v2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env } from '../helpers/lxcri.js';
import { PropagationRoots } from '../helpers/propagation.js';

let env: Env;
let roots: PropagationRoots;
beforeAll(() => {
  env = new Env();
  roots = new PropagationRoots(env);
});
afterAll(async () => {
  roots.cleanup();
  await env.cleanup();
});

describe('linux.rootfsPropagation', () => {
  it('holds for "/" on a rootfs from a private host mount', async () => {
    const shared = await roots.tags('mo-prop-p-shared', roots.private, 'shared');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatch(/^shared:\d+$/);
    expect(await roots.tags('mo-prop-p-slave', roots.private, 'slave')).toEqual([]); // a slave of nothing is private
    expect(await roots.tags('mo-prop-p-private', roots.private, 'private')).toEqual([]);
    expect(await roots.tags('mo-prop-p-unbindable', roots.private, 'unbindable')).toEqual(['unbindable']);
    for (const p of ['slave', 'private']) {
      expect(await roots.tags(`mo-prop-p-${p}-runc`, roots.private, p, 'runc')).toEqual([]);
    }
  });

  it('holds for "/" on a rootfs from a shared host mount: slave receives from it', async () => {
    // Shared: a peer group of its own, neither a peer nor a slave of the host's mount.
    const shared = await roots.tags('mo-prop-s-shared', roots.shared, 'shared');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatch(/^shared:\d+$/);
    expect(shared[0]).not.toBe(`shared:${roots.peer}`);
    expect(await roots.tags('mo-prop-s-slave', roots.shared, 'slave')).toEqual([`master:${roots.peer}`]);
    expect(await roots.tags('mo-prop-s-private', roots.shared, 'private')).toEqual([]);
    expect(await roots.tags('mo-prop-s-unbindable', roots.shared, 'unbindable')).toEqual(['unbindable']);
    expect(await roots.tags('mo-prop-s-private-runc', roots.shared, 'private', 'runc')).toEqual([]);
  });

  it('holds in a user namespace too (its mount namespace is entered from the host)', async () => {
    expect(await roots.tags('mo-prop-u-private', roots.private, 'private', 'lxcri', true)).toEqual([]);
    expect(await roots.tags('mo-prop-u-unbindable', roots.private, 'unbindable', 'lxcri', true)).toEqual(['unbindable']);
    expect(await roots.tags('mo-prop-u-slave', roots.shared, 'slave', 'lxcri', true)).toEqual([`master:${roots.peer}`]);
  });
});
