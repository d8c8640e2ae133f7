// Resource limits on this hybrid host (cgroup v1 controllers, controller-less cgroup2):
// lxcri applies linux.resources through the v1 hierarchies, as runc does. Each bundle runs
// in lxcri and in runc 1.1.5 (each under a cgroupsPath of its own) and the v1 files of both
// containers are compared; runc is the reference wherever it applies a field.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupMounts } from '../../src/cgroup/mounts.js';
import { v1Hierarchies } from '../../src/cgroup/v1/hierarchies.js';
import type { Spec } from '../../src/spec/types.js';
import { Env, leftovers, makeBundle, runCmd, withArgs, type Result } from '../helpers/lxcri.js';
import { FORKS, HOG, MIB, OOM_LIMITS, PIDS_LIMITS, withResources } from '../helpers/resources.js';

const hybrid = cgroupMounts().v1.length > 0;
const H = v1Hierarchies();
const haveRunc = spawnSync('sh', ['-c', 'command -v runc']).status === 0;
const tag = `${process.pid}`;

/** A v1 file of a cgroup (path relative to the hierarchy roots), trimmed; undefined if absent. */
function v1(rel: string, file: string): string | undefined {
  const mount = H.get(file.split('.')[0]!);
  try {
    return readFileSync(join(mount!, rel, file), 'utf8').trim();
  } catch {
    return undefined;
  }
}
const cgroupExists = (rel: string): boolean => [...new Set(H.values())].some((m) => existsSync(join(m, rel)));

/** A real block device ("MAJ:MIN") for the throttles: the first of /sys/block. */
function blockDevice(): { major: number; minor: number } {
  for (const d of readdirSync('/sys/block')) {
    const m = /^(\d+):(\d+)$/.exec(readFileSync(`/sys/block/${d}/dev`, 'utf8').trim());
    if (m) return { major: Number(m[1]), minor: Number(m[2]) };
  }
  throw new Error('no block device in /sys/block');
}

/** runc with a private root; output through files, as a created container holds its stdio. */
const runc = (args: string[]): Promise<Result> => runCmd('runc', ['--root', `/run/v1-runc-${tag}`, ...args]);

const DEV = blockDevice();
const DEVS = `${DEV.major}:${DEV.minor}`;
const LIMITS = {
  memory: { limit: 64 * MIB, swap: 128 * MIB, reservation: 32 * MIB, swappiness: 30, disableOOMKiller: true },
  cpu: { shares: 512, quota: 50000, period: 100000, realtimePeriod: 100000, realtimeRuntime: 10000, cpus: '0', mems: '0' },
  pids: { limit: 50 },
  blockIO: { throttleReadBpsDevice: [{ ...DEV, rate: 1048576 }], throttleWriteIOPSDevice: [{ ...DEV, rate: 100 }] },
};
/** The v1 files LIMITS sets, and what they hold afterwards. */
const EXPECTED: Array<[string, string]> = [
  ['memory.limit_in_bytes', String(64 * MIB)],
  ['memory.memsw.limit_in_bytes', String(128 * MIB)],
  ['memory.soft_limit_in_bytes', String(32 * MIB)],
  ['memory.swappiness', '30'],
  ['cpu.shares', '512'],
  ['cpu.cfs_quota_us', '50000'],
  ['cpu.cfs_period_us', '100000'],
  ['cpu.rt_period_us', '100000'],
  ['cpu.rt_runtime_us', '10000'],
  ['cpuset.cpus', '0'],
  ['cpuset.mems', '0'],
  ['pids.max', '50'],
  ['blkio.throttle.read_bps_device', `${DEVS} 1048576`],
  ['blkio.throttle.write_iops_device', `${DEVS} 100`],
];
const files = (rel: string): Array<[string, string | undefined]> => EXPECTED.map(([f]) => [f, v1(rel, f)]);
const oomDisabled = (rel: string): string | undefined => /^oom_kill_disable (\d)$/m.exec(v1(rel, 'memory.oom_control') ?? '')?.[1];

/** The same bundle for lxcri and runc, each with its own cgroupsPath under the hierarchy roots. */
const withCgroup = (path: string) => (s: Spec): void => {
  s.linux!.cgroupsPath = path;
};

describe.skipIf(!hybrid)('resource limits on a hybrid cgroup host (cgroup v1 controllers)', () => {
  let env: Env;
  beforeAll(() => {
    env = new Env();
  });
  afterAll(async () => {
    await env.cleanup();
    for (const id of (await runc(['list', '-q'])).stdout.split('\n').filter(Boolean)) await runc(['delete', '--force', id]);
    rmSync(`/run/v1-runc-${tag}`, { recursive: true, force: true });
  });

  it.skipIf(!haveRunc)('memory, cpu, cpuset, pids and blkio limits: the v1 files hold what runc writes for the same bundle', async () => {
    const edit = (cg: string) => (s: Spec): void => {
      withArgs('sleep', '60')(s);
      withResources(LIMITS)(s);
      withCgroup(cg)(s);
    };
    const lx = `/v1-lx-files-${tag}`;
    const rc = `/v1-runc-files-${tag}`;
    const c = await env.run(['create', '--bundle', makeBundle(env, 'v1-files', edit(lx)), 'v1-files']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const r = await runc(['create', '--bundle', makeBundle(env, 'v1-runc-files', edit(rc)), `v1-runc-files-${tag}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    expect(files(lx)).toEqual(EXPECTED);
    expect(files(lx)).toEqual(files(rc));
    expect(oomDisabled(lx)).toBe('1');
    expect(oomDisabled(lx)).toBe(oomDisabled(rc));
    // liblxc wrote them before the init ran: it is in these cgroups already
    const pid = (await env.state('v1-files')).pid!;
    expect(readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toMatch(new RegExp(`^\\d+:memory:${lx}$`, 'm'));

    // update: raising memory and memory+swap (memory+swap first), then lowering both (memory first)
    const up = { memory: { limit: 256 * MIB, swap: 512 * MIB }, cpu: { shares: 256, quota: 20000 }, pids: { limit: 30 } };
    const down = { memory: { limit: 48 * MIB, swap: 96 * MIB }, cpu: { quota: -1 }, blockIO: { throttleReadBpsDevice: [{ ...DEV, rate: 0 }] } };
    for (const res of [up, down]) {
      const u = await env.run(['update', '-r', '-', 'v1-files'], { input: JSON.stringify(res) });
      expect(u.stderr).toBe('');
      expect(u.code).toBe(0);
      const file = join(env.dir, 'runc-res.json');
      writeFileSync(file, JSON.stringify(res));
      const ru = await runc(['update', '-r', file, `v1-runc-files-${tag}`]);
      expect(ru.stderr).toBe('');
      // runc update takes no blkio throttles (only blkio weight): those are not compared
      const noThrottle = (f: Array<[string, string | undefined]>): Array<[string, string | undefined]> => f.filter(([n]) => !n.startsWith('blkio.throttle.'));
      expect(noThrottle(files(lx))).toEqual(noThrottle(files(rc)));
    }
    expect(files(lx).filter(([f]) => /^(memory\.(memsw\.)?limit|cpu\.(shares|cfs_quota)|pids\.max|blkio\.throttle\.read)/.test(f))).toEqual([
      ['memory.limit_in_bytes', String(48 * MIB)],
      ['memory.memsw.limit_in_bytes', String(96 * MIB)],
      ['cpu.shares', '256'],
      ['cpu.cfs_quota_us', '-1'],
      ['pids.max', '30'],
      ['blkio.throttle.read_bps_device', ''],
    ]);
    // unlimited memory lifts memory+swap too, as runc does
    expect((await env.run(['update', '-r', '-', 'v1-files'], { input: '{"memory":{"limit":-1}}' })).code).toBe(0);
    expect(v1(lx, 'memory.memsw.limit_in_bytes')).toBe(v1(lx, 'memory.limit_in_bytes'));
    expect(BigInt(v1(lx, 'memory.limit_in_bytes')!)).toBeGreaterThan(2n ** 62n);

    expect((await env.run(['delete', '--force', 'v1-files'])).code).toBe(0);
    expect((await runc(['delete', '--force', `v1-runc-files-${tag}`])).code).toBe(0);
    expect(cgroupExists(lx)).toBe(false);
    expect(leftovers(env, 'v1-files', [pid])).toEqual([]);
  });

  it('kernelTCP is applied; kernel memory is ignored with a warning, as runc does', async () => {
    const b = makeBundle(env, 'v1-kmem', (s) => {
      withArgs('sleep', '60')(s);
      withResources({ memory: { limit: 64 * MIB, kernel: 32 * MIB, kernelTCP: 16 * MIB } })(s);
    });
    const c = await env.run(['create', '--bundle', b, 'v1-kmem']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(v1('lxcri/v1-kmem', 'memory.kmem.tcp.limit_in_bytes')).toBe(String(16 * MIB));
    expect(BigInt(v1('lxcri/v1-kmem', 'memory.kmem.limit_in_bytes') ?? '0')).toBeGreaterThan(2n ** 62n);
    expect(readFileSync(env.logFile, 'utf8')).toMatch(/linux\.resources\.memory\.kernel is ignored/);
    expect((await env.run(['delete', '--force', 'v1-kmem'])).code).toBe(0);
  });

  it('a memory limit OOM-kills the process that exceeds it: run exits 137', async () => {
    const b = makeBundle(env, 'v1-oom', (s) => {
      withArgs(...HOG)(s);
      withResources(OOM_LIMITS)(s);
    });
    const r = await env.run(['run', '--bundle', b, 'v1-oom']);
    expect(r.stdout).not.toMatch(/survived/);
    expect(r.code).toBe(137);
    expect(leftovers(env, 'v1-oom')).toEqual([]);
  });

  it('a pids limit stops a fork bomb', async () => {
    const b = makeBundle(env, 'v1-pids', (s) => {
      withArgs(...FORKS)(s);
      withResources(PIDS_LIMITS)(s);
    });
    const r = await env.run(['run', '--bundle', b, 'v1-pids']);
    const started = r.stdout.split('\n').filter((l) => l.startsWith('started ')).length;
    expect({ started: started >= 1 && started <= 9, stderr: r.stderr }).toMatchObject({ started: true, stderr: expect.stringMatching(/can't fork|Resource temporarily unavailable/) });
    expect(r.stdout).not.toMatch(/forks-done/);
    expect(leftovers(env, 'v1-pids')).toEqual([]);
  });

  // What this host's v1 hierarchies lack: hugetlb, net_cls and net_prio are mounted in none,
  // and no I/O scheduler gives blkio weights. runc fails on each of these bundles as well.
  it.each([
    ['hugetlb', { hugepageLimits: [{ pageSize: '2MB', limit: 4 * MIB }] }, 'hugepageLimits: the hugetlb controller is not available in cgroup v1'],
    ['net_cls', { network: { classID: 0x100001 } }, 'network: the net_cls controller is not available in cgroup v1'],
    ['net_prio', { network: { priorities: [{ name: 'lo', priority: 5 }] } }, 'network: the net_prio controller is not available in cgroup v1'],
    ['blkio.weight', { blockIO: { weight: 500 } }, 'blockIO.weight: the blkio controller of this kernel has no blkio.weight'],
  ] as const)('refuses %s where this host has no such cgroup, naming it, and leaves nothing', async (what, res, message) => {
    const ctrl = what.split('.')[0]!;
    const file = what.includes('.') ? what : undefined;
    const present = file ? existsSync(join(H.get(ctrl) ?? '/nonexistent', file)) || existsSync(join(H.get(ctrl) ?? '/nonexistent', 'blkio.bfq.weight')) : H.has(ctrl);
    if (present) {
      console.warn(`this host has ${what}: the refusal is not checked`);
      return;
    }
    const id = `v1-no-${ctrl}`;
    const edit = (s: Spec): void => {
      withArgs('true')(s);
      withResources(res)(s);
    };
    const r = await env.run(['run', '--bundle', makeBundle(env, id, edit), id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^lxcri: invalid config.json: linux\\.resources\\.${message.replace(/[.[\]]/g, '\\$&')}`));
    expect(r.stderr.split('\n').length).toBe(2);
    expect(leftovers(env, id)).toEqual([]);
    if (haveRunc) {
      const rr = await runc(['run', '--bundle', makeBundle(env, `${id}-runc`, (s) => { edit(s); withCgroup(`/v1-runc-no-${tag}`)(s); }), `${id}-runc-${tag}`]);
      expect(rr.code).not.toBe(0);
      await runc(['delete', '--force', `${id}-runc-${tag}`]);
    }
  });

  it('refuses cgroup v2 files (unified), as runc does on cgroup v1', async () => {
    const b = makeBundle(env, 'v1-unified', withResources({ unified: { 'memory.high': '1000000' } }));
    const r = await env.run(['create', '--bundle', b, 'v1-unified']);
    expect(r.stderr).toBe('lxcri: invalid config.json: linux.resources.unified: cgroup v2 files cannot be set on a host whose controllers are in cgroup v1\n');
    expect(r.code).toBe(1);
    expect(leftovers(env, 'v1-unified')).toEqual([]);
  });

  it('runs a bundle without limits (device rules only, network unset)', async () => {
    const b = makeBundle(env, 'v1-plain', (s) => {
      withArgs('echo', 'plain-ok')(s);
      withResources({ network: { classID: 0 } })(s);
    });
    const r = await env.run(['run', '--bundle', b, 'v1-plain']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('plain-ok\n');
    expect(r.code).toBe(0);
    expect(leftovers(env, 'v1-plain')).toEqual([]);
  });

  it('update: bad input and unknown IDs fail with one line and change nothing', async () => {
    const file = join(env.dir, 'res.json');
    writeFileSync(file, JSON.stringify({ memory: { limit: 33554432, swap: 67108864 }, cpu: { shares: 512 } }));
    const u = await env.run(['update', '--resources', file, 'nosuch']);
    expect(u.code).toBe(1);
    expect(u.stderr).toBe('lxcri: container does not exist: nosuch\n');
    expect((await env.run(['update', '-r', '-', 'nosuch'], { input: '{}' })).stderr).toContain('container does not exist: nosuch');

    const b = makeBundle(env, 'v1-upd', withArgs('sleep', '60'));
    expect((await env.run(['create', '--bundle', b, 'v1-upd'])).code).toBe(0);
    const before = v1('lxcri/v1-upd', 'memory.limit_in_bytes');
    const bad = await env.run(['update', '--resources', '-', 'v1-upd'], { input: '{"memory":{"limit":"1G"}}' });
    expect(bad.stderr).toMatch(/resources does not match the OCI schema: \/memory\/limit/);
    const swap = await env.run(['update', '-r', '-', 'v1-upd'], { input: JSON.stringify({ memory: { limit: 64 * MIB, swap: 32 * MIB } }) });
    expect(swap.stderr).toBe(`lxcri: invalid resources: memory.swap: memory+swap (${32 * MIB}) must not be less than memory.limit (${64 * MIB})\n`);
    const huge = await env.run(['update', '-r', '-', 'v1-upd'], { input: '{"hugepageLimits":[{"pageSize":"2MB","limit":0}]}' });
    if (!H.has('hugetlb')) expect(huge.stderr).toMatch(/^lxcri: invalid resources: hugepageLimits: the hugetlb controller is not available in cgroup v1 \(this host's cgroup v1 hierarchies have: .*memory.*\)\n$/);
    const low = await env.run(['update', '-r', '-', 'v1-upd'], { input: '{"memory":{"limit":4096,"checkBeforeUpdate":true}}' });
    expect(low.stderr).toMatch(/^lxcri: invalid resources: memory\.limit 4096 is below the container's current usage \d+ \(checkBeforeUpdate\)\n$/);
    expect(v1('lxcri/v1-upd', 'memory.limit_in_bytes')).toBe(before);
    expect((await env.run(['update', 'v1-upd'])).code).toBe(2);
    expect((await env.run(['delete', '--force', 'v1-upd'])).code).toBe(0);
    expect((await env.run(['update', '-r', file, 'v1-upd'])).stderr).toContain('container does not exist: v1-upd');
  });
});
