// Resource limits on this hybrid host (cgroup v1 controllers, controller-less cgroup2):
// liblxc would ignore every lxc.cgroup2.* key here, so lxcri refuses the limits at create
// with the controller's name, before anything is made. Containers without limits run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupMounts } from '../../src/cgroup/mounts.js';
import { Env, leftovers, makeBundle, withArgs } from '../helpers/lxcri.js';
import { CPU_LIMITS, FORKS, HOG, OOM_LIMITS, PIDS_LIMITS, withResources } from '../helpers/resources.js';

const hybrid = cgroupMounts().v1.length > 0;

describe.skipIf(!hybrid)('resource limits on a hybrid cgroup host', () => {
  let env: Env;
  beforeAll(() => {
    env = new Env();
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it.each([
    ['memory', OOM_LIMITS, HOG],
    ['pids', PIDS_LIMITS, FORKS],
    ['cpu', CPU_LIMITS, ['true']],
  ] as const)('refuses a %s limit at create and leaves nothing', async (ctrl, limits, args) => {
    const id = `hy-${ctrl}`;
    const b = makeBundle(env, id, (s) => {
      withArgs(...args)(s);
      withResources(limits)(s);
    });
    const r = await env.run(['create', '--bundle', b, id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`lxcri: invalid config.json: linux.resources.${ctrl}: the ${ctrl} controller is not available in cgroup2 (this host has cgroup v1 controllers)\n`);
    expect(leftovers(env, id)).toEqual([]);
    const run = await env.run(['run', '--bundle', b, `${id}-run`]);
    expect(run.code).toBe(1);
    expect(leftovers(env, `${id}-run`)).toEqual([]);
  });

  it('refuses io and cpuset limits the same way', async () => {
    const b = makeBundle(env, 'hy-io', withResources({ blockIO: { throttleReadBpsDevice: [{ major: 7, minor: 0, rate: 1048576 }] } }));
    expect((await env.run(['create', '--bundle', b, 'hy-io'])).stderr).toMatch(/linux\.resources\.blockIO: the io controller is not available in cgroup2/);
    const c = makeBundle(env, 'hy-cpuset', withResources({ cpu: { cpus: '0' } }));
    expect((await env.run(['create', '--bundle', c, 'hy-cpuset'])).stderr).toMatch(/linux\.resources\.cpu: the cpuset controller is not available in cgroup2/);
  });

  it('refuses fields cgroup v2 cannot apply, whatever the host', async () => {
    const b = makeBundle(env, 'hy-oomk', withResources({ memory: { disableOOMKiller: true } }));
    const r = await env.run(['create', '--bundle', b, 'hy-oomk']);
    expect(r.stderr).toBe('lxcri: invalid config.json: linux.resources.memory.disableOOMKiller: cgroup v2 cannot disable the OOM killer\n');
    expect(leftovers(env, 'hy-oomk')).toEqual([]);
  });

  it('runs a bundle without limits (device rules only, network unset)', async () => {
    const b = makeBundle(env, 'hy-plain', (s) => {
      withArgs('echo', 'plain-ok')(s);
      withResources({ network: { classID: 0 } })(s);
    });
    const r = await env.run(['run', '--bundle', b, 'hy-plain']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('plain-ok\n');
    expect(r.code).toBe(0);
    expect(leftovers(env, 'hy-plain')).toEqual([]);
  });

  it('update: unknown IDs do not exist; live containers say which controller is missing', async () => {
    const file = join(env.dir, 'res.json');
    writeFileSync(file, JSON.stringify({ memory: { limit: 33554432, swap: 67108864 }, cpu: { shares: 512 } }));
    const u = await env.run(['update', '--resources', file, 'nosuch']);
    expect(u.code).toBe(1);
    expect(u.stderr).toBe('lxcri: container does not exist: nosuch\n');
    expect((await env.run(['update', '-r', '-', 'nosuch'], { input: '{}' })).stderr).toContain('container does not exist: nosuch');

    const b = makeBundle(env, 'hy-upd', withArgs('sleep', '60'));
    expect((await env.run(['create', '--bundle', b, 'hy-upd'])).code).toBe(0);
    const r = await env.run(['update', '-r', '-', 'hy-upd'], { input: '{"pids":{"limit":20}}' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('lxcri: invalid resources: pids: the pids controller is not available in cgroup2 (this host has cgroup v1 controllers)\n');
    const bad = await env.run(['update', '--resources', '-', 'hy-upd'], { input: '{"memory":{"limit":"1G"}}' });
    expect(bad.stderr).toMatch(/resources does not match the OCI schema: \/memory\/limit/);
    expect((await env.run(['update', 'hy-upd'])).code).toBe(2);
    expect((await env.run(['delete', '--force', 'hy-upd'])).code).toBe(0);
    expect((await env.run(['update', '-r', file, 'hy-upd'])).stderr).toContain('container does not exist: hy-upd');
  });
});
