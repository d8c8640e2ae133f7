// Resource limits on a pure cgroup v2 host (run inside the VM of test/cgroup2-vm/run by
// scripts/test-cgroup2.sh; skipped elsewhere). Timeouts are generous: the VM emulates.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostControllers } from '../../src/cgroup/controllers.js';
import { cgroupMounts } from '../../src/cgroup/mounts.js';
import { Env, leftovers, makeBundle, withArgs } from '../helpers/lxcri.js';
import { CPU_LIMITS, FORKS, HOG, MIB, OOM_LIMITS, PIDS_LIMITS, withResources } from '../helpers/resources.js';

const mounts = cgroupMounts();
const pureV2 = hostControllers(mounts).available.has('memory');
const CG = mounts.unified ?? '/sys/fs/cgroup';
const T = 600_000;
const long = { timeoutMs: 300_000 };

/** The container's cgroup directory, from its init's /proc/<pid>/cgroup. */
function cgroupDir(pid: number): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.startsWith('0::'))!;
  return join(CG, line.slice(3));
}
const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8').trim();

/** A block device of the guest ("MAJ:MIN"), loading the loop driver if needed. */
function blockDevice(): string | undefined {
  spawnSync('modprobe', ['loop'], { stdio: 'ignore' });
  for (const d of existsSync('/sys/block') ? readdirSync('/sys/block') : []) {
    try {
      return readFileSync(`/sys/block/${d}/dev`, 'utf8').trim();
    } catch {
      /* next */
    }
  }
  return undefined;
}

describe.skipIf(!pureV2)('resource limits on cgroup v2', () => {
  let env: Env;
  beforeAll(() => {
    env = new Env();
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('a memory limit OOM-kills the process that exceeds it: run exits 137', async () => {
    const parent = 'lxcri-test-oom';
    const b = makeBundle(env, 'oom', (s) => {
      withArgs(...HOG)(s);
      withResources(OOM_LIMITS)(s);
      s.linux!.cgroupsPath = `${parent}/oom`;
    });
    const r = await env.run(['run', '--bundle', b, 'oom'], long);
    expect(r.stdout).not.toMatch(/survived/);
    expect(r.code).toBe(137);
    // memory.events is hierarchical: the parent counts its child's OOM kills.
    const events = read(join(CG, parent), 'memory.events');
    expect(Number(/^oom_kill (\d+)$/m.exec(events)?.[1])).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(CG, parent, 'oom'))).toBe(false);
    rmdirSync(join(CG, parent));
    expect(leftovers(env, 'oom')).toEqual([]);
  }, T);

  it('a pids limit stops a fork bomb', async () => {
    const b = makeBundle(env, 'pids', (s) => {
      withArgs(...FORKS)(s);
      withResources(PIDS_LIMITS)(s);
    });
    const r = await env.run(['run', '--bundle', b, 'pids'], long);
    // The shell plus at most 9 sleeps fit in pids.max 10.
    const started = r.stdout.split('\n').filter((l) => l.startsWith('started ')).length;
    expect({ started: started >= 1 && started <= 9, stderr: r.stderr }).toMatchObject({ started: true, stderr: expect.stringMatching(/can't fork|Resource temporarily unavailable/) });
    expect(r.stdout).not.toMatch(/forks-done/);
    expect(leftovers(env, 'pids')).toEqual([]);
  }, T);

  it('cpu, io, pids and memory files hold the converted values; update changes them live', async () => {
    const dev = blockDevice();
    const b = makeBundle(env, 'files', (s) => {
      withArgs('sleep', '600')(s);
      withResources({
        ...CPU_LIMITS,
        memory: { limit: 64 * MIB, reservation: 8 * MIB, swap: 96 * MIB },
        pids: { limit: 0 },
        ...(dev ? { blockIO: { throttleReadBpsDevice: [{ major: Number(dev.split(':')[0]), minor: Number(dev.split(':')[1]), rate: 1048576 }] } } : {}),
      })(s);
    });
    const c = await env.run(['create', '--bundle', b, 'files'], long);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const st = await env.state('files');
    const dir = cgroupDir(st.pid);
    expect(dir).toBe(join(CG, 'lxcri/files'));
    expect(read(dir, 'cpu.max')).toBe('50000 100000');
    expect(read(dir, 'cpu.weight')).toBe('100');
    expect(read(dir, 'cpu.max.burst')).toBe('1000');
    expect(read(dir, 'memory.max')).toBe(String(64 * MIB));
    expect(read(dir, 'memory.low')).toBe(String(8 * MIB));
    expect(read(dir, 'memory.swap.max')).toBe(String(32 * MIB));
    expect(read(dir, 'pids.max')).toBe('max');
    if (dev) expect(read(dir, 'io.max')).toBe(`${dev} rbps=1048576 wbps=max riops=max wiops=max`);

    const file = join(env.dir, 'update.json');
    writeFileSync(file, JSON.stringify({ memory: { limit: 32 * MIB, swap: 64 * MIB }, cpu: { shares: 512, quota: -1 } }));
    const u = await env.run(['update', '--resources', file, 'files'], long);
    expect(u.stderr).toBe('');
    expect(u.code).toBe(0);
    expect(read(dir, 'memory.max')).toBe(String(32 * MIB));
    expect(read(dir, 'memory.swap.max')).toBe(String(32 * MIB));
    expect(read(dir, 'cpu.weight')).toBe('59');
    expect(read(dir, 'cpu.max')).toBe('max 100000');
    const s = await env.run(['update', '-r', '-', 'files'], { ...long, input: '{"pids":{"limit":20},"unified":{"memory.high":"50331648"}}' });
    expect(s.stderr).toBe('');
    expect(read(dir, 'pids.max')).toBe('20');
    expect(read(dir, 'memory.high')).toBe('50331648');
    const low = await env.run(['update', '-r', '-', 'files'], { ...long, input: '{"memory":{"limit":1,"checkBeforeUpdate":true}}' });
    expect(low.stderr).toMatch(/below the container's current usage/);
    expect(read(dir, 'memory.max')).toBe(String(32 * MIB));

    expect((await env.run(['start', 'files'], long)).code).toBe(0);
    expect((await env.run(['update', '-r', '-', 'files'], { ...long, input: '{"memory":{"limit":48000000}}' })).code).toBe(0);
    expect(read(dir, 'memory.max')).toBe('47996928'); // the kernel rounds down to pages
    expect((await env.run(['delete', '--force', 'files'], long)).code).toBe(0);
    expect(existsSync(dir)).toBe(false);
    expect(leftovers(env, 'files', [st.pid])).toEqual([]);
    expect((await env.run(['update', '-r', file, 'files'], long)).stderr).toContain('container does not exist: files');
  }, T);

  it('a unified key naming a file the kernel lacks fails create with liblxc\'s reason', async () => {
    const b = makeBundle(env, 'badfile', (s) => {
      withArgs('true')(s);
      withResources({ unified: { 'memory.bogus': '1' } })(s);
    });
    const r = await env.run(['create', '--bundle', b, 'badfile'], long);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/memory\.bogus/);
    expect(leftovers(env, 'badfile')).toEqual([]);
  }, T);
});
