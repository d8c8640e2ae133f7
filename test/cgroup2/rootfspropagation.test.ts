// linux.rootfsPropagation compared with crun on the same bundles; crun refuses the hybrid
// hosts the rest of the suite runs on, so this runs in the cgroup v2 VM (skipped
// elsewhere). crun and lxcri agree on every value but slave of a separate shared mount,
// which crun makes private before binding the rootfs: lxcri's "/" stays that mount's slave,
// as the value asks (test/integration/rootfspropagation.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostControllers } from '../../src/cgroup/controllers.js';
import { cgroupMounts } from '../../src/cgroup/mounts.js';
import { Env } from '../helpers/lxcri.js';
import { PropagationRoots } from '../helpers/propagation.js';

const pureV2 = hostControllers(cgroupMounts()).available.has('memory');

describe.skipIf(!pureV2)('linux.rootfsPropagation against crun', () => {
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

  it('gives "/" the tags crun gives it', async () => {
    // Peer group numbers differ between two containers: compare their kinds.
    const kinds = (tags: string[]): string[] => tags.map((t) => t.replace(/^shared:\d+$/, 'shared:N'));
    for (const [host, root] of [['p', roots.private], ['s', roots.shared]] as const) {
      for (const p of ['shared', 'slave', 'private', 'unbindable']) {
        if (host === 's' && p === 'slave') continue;
        const ours = await roots.tags(`mo-propc-${host}-${p}`, root, p);
        expect(kinds(ours)).toEqual(kinds(await roots.tags(`mo-propc-${host}-${p}-crun`, root, p, 'crun')));
      }
    }
  }, 300_000);
});
