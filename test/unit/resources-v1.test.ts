// Unit tests of linux.resources → cgroup v1 files (src/cgroup/v1/*), their liblxc keys and
// the order of an update's writes.
import { describe, expect, it } from 'vitest';
import type { ControllerHost } from '../../src/cgroup/controllers.js';
import { LimitError } from '../../src/cgroup/limits.js';
import { resolveV1Files } from '../../src/cgroup/v1/files.js';
import { parseV1Hierarchies } from '../../src/cgroup/v1/hierarchies.js';
import { resourceLimitsV1 } from '../../src/cgroup/v1/resources.js';
import { orderV1Writes } from '../../src/cgroup/v1/write.js';
import { LxcConfig } from '../../src/lxc/config.js';
import { applyResources } from '../../src/lxc/resources.js';

const MIB = 1 << 20;
const files = (r: unknown): Array<[string, string]> => resourceLimitsV1(r).limits.map((l) => [l.file, l.value]);
const refusal = (r: unknown): string => {
  try {
    resourceLimitsV1(r);
  } catch (err) {
    if (err instanceof LimitError) return err.message;
    throw err;
  }
  return 'accepted';
};

describe('cgroup v1 conversions (runc fs manager units: as given)', () => {
  it.each([
    [{ memory: { limit: 64 * MIB } }, [['memory.limit_in_bytes', String(64 * MIB)]]],
    [{ memory: { limit: -1 } }, [['memory.limit_in_bytes', '-1'], ['memory.memsw.limit_in_bytes', '-1']]],
    [{ memory: { limit: 32 * MIB, swap: 64 * MIB, reservation: 16 * MIB } }, [['memory.limit_in_bytes', String(32 * MIB)], ['memory.memsw.limit_in_bytes', String(64 * MIB)], ['memory.soft_limit_in_bytes', String(16 * MIB)]]],
    [{ memory: { kernelTCP: 8 * MIB, swappiness: 0, disableOOMKiller: true } }, [['memory.kmem.tcp.limit_in_bytes', String(8 * MIB)], ['memory.swappiness', '0'], ['memory.oom_control', '1']]],
    [{ memory: { swappiness: 2 ** 64, disableOOMKiller: false, useHierarchy: true } }, []],
    [{ cpu: { shares: 512, period: 100000, quota: 50000, burst: 1000 } }, [['cpu.shares', '512'], ['cpu.cfs_period_us', '100000'], ['cpu.cfs_quota_us', '50000'], ['cpu.cfs_burst_us', '1000']]],
    [{ cpu: { quota: -1 } }, [['cpu.cfs_quota_us', '-1']]],
    [{ cpu: { realtimeRuntime: 10000, realtimePeriod: 100000, idle: 1 } }, [['cpu.rt_period_us', '100000'], ['cpu.rt_runtime_us', '10000'], ['cpu.idle', '1']]],
    [{ cpu: { cpus: '0-1, 3', mems: '0' } }, [['cpuset.cpus', '0-1,3'], ['cpuset.mems', '0']]],
    [{ pids: { limit: 0 } }, [['pids.max', 'max']]],
    [{ blockIO: { weight: 500, leafWeight: 300, weightDevice: [{ major: 8, minor: 0, weight: 100 }] } }, [['blkio.weight', '500'], ['blkio.leaf_weight', '300'], ['blkio.weight_device', '8:0 100']]],
    [
      { blockIO: { throttleReadBpsDevice: [{ major: 7, minor: 0, rate: 1048576 }], throttleWriteIOPSDevice: [{ major: 7, minor: 0, rate: 0 }] } },
      [['blkio.throttle.read_bps_device', '7:0 1048576'], ['blkio.throttle.write_iops_device', '7:0 0']],
    ],
    [{ hugepageLimits: [{ pageSize: '2MB', limit: 4 * MIB }] }, [['hugetlb.2MB.rsvd.limit_in_bytes', String(4 * MIB)], ['hugetlb.2MB.limit_in_bytes', String(4 * MIB)]]],
    [{ network: { classID: 1048577, priorities: [{ name: 'eth0', priority: 5 }, { name: 'lo', priority: 1 }] } }, [['net_cls.classid', '1048577'], ['net_prio.ifpriomap', 'eth0 5'], ['net_prio.ifpriomap', 'lo 1']]],
  ])('%j', (r, want) => {
    expect(files(r)).toEqual(want);
  });

  it('ignores kernel memory with a warning (runc >= 1.0)', () => {
    const r = resourceLimitsV1({ memory: { kernel: 32 * MIB } });
    expect(r.limits).toEqual([]);
    expect(r.warnings).toEqual([expect.stringMatching(/^linux\.resources\.memory\.kernel is ignored/)]);
  });

  it.each([
    [{ memory: { limit: 64 * MIB, swap: 32 * MIB } }, /memory\.swap: memory\+swap .* must not be less than/],
    [{ memory: { swap: 32 * MIB } }, /memory\.swap: a swap limit needs a memory limit/],
    [{ memory: { swappiness: 101 } }, /memory\.swappiness: must be between 0 and 100/],
    [{ memory: { useHierarchy: false } }, /memory\.useHierarchy/],
    [{ cpu: { shares: 1 } }, /cpu\.shares: must be between 2 and 262144/],
    [{ cpu: { quota: 10 } }, /cpu\.quota: must be at least 1000/],
    [{ cpu: { cpus: 'a' } }, /cpu\.cpus: invalid list/],
    [{ blockIO: { weight: 5 } }, /blockIO\.weight: must be between 10 and 1000/],
    [{ network: { priorities: [{ name: 'a b', priority: 1 }] } }, /network\.priorities\[0\]\.name/],
    [{ unified: { 'memory.high': '1' } }, /unified: cgroup v2 files cannot be set/],
  ])('refuses %j', (r, want) => {
    expect(refusal(r)).toMatch(want);
  });
});

describe('cgroup v1 hierarchies, keys and files', () => {
  const mi = [
    '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
    '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
    '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
    '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
    '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
    '50 60 0:32 /lxcri/x /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory',
  ].join('\n');

  it('maps each controller to its hierarchy (co-mounted ones too, named ones not)', () => {
    expect([...parseV1Hierarchies(mi)]).toEqual([
      ['cpu', '/sys/fs/cgroup/cpu,cpuacct'],
      ['cpuacct', '/sys/fs/cgroup/cpu,cpuacct'],
      ['memory', '/sys/fs/cgroup/memory'],
    ]);
  });

  const V1: ControllerHost = { version: 'v1', available: new Set(['cpu', 'memory', 'pids', 'blkio']), why: 'test v1', hasFile: (f) => !/memsw|weight/.test(f) };

  it('emits lxc.cgroup.* keys, memory before memory+swap', () => {
    const cfg = new LxcConfig();
    expect(applyResources(cfg, { memory: { limit: 64 * MIB }, pids: { limit: 10 }, cpu: { shares: 512 } }, { controllers: V1 })).toEqual([]);
    expect(cfg.items).toEqual([
      ['lxc.cgroup.cpu.shares', '512'],
      ['lxc.cgroup.memory.limit_in_bytes', String(64 * MIB)],
      ['lxc.cgroup.pids.max', '10'],
    ]);
  });

  it('refuses a controller no v1 hierarchy holds, and a file this kernel lacks', () => {
    expect(() => applyResources(new LxcConfig(), { hugepageLimits: [{ pageSize: '2MB', limit: 0 }] }, { controllers: V1 })).toThrow(
      'invalid config.json: linux.resources.hugepageLimits: the hugetlb controller is not available in cgroup v1 (test v1)',
    );
    expect(() => applyResources(new LxcConfig(), { memory: { limit: MIB, swap: 2 * MIB } }, { controllers: V1 })).toThrow(
      'invalid config.json: linux.resources.memory.swap: the memory controller of this kernel has no memory.memsw.limit_in_bytes',
    );
    const cfg = new LxcConfig();
    const w = applyResources(cfg, { memory: { limit: MIB, swap: 2 * MIB }, blockIO: { weight: 100 } }, { controllers: V1, ignoreUnavailable: true });
    expect(w).toEqual([
      'linux.resources.memory.swap is not applied: the memory controller of this kernel has no memory.memsw.limit_in_bytes',
      'linux.resources.blockIO.weight is not applied: the blkio controller of this kernel has no blkio.weight',
    ]);
    expect(cfg.items).toEqual([['lxc.cgroup.memory.limit_in_bytes', String(MIB)]]);
  });

  it('writes weights to BFQ\'s files where CFQ\'s are missing', () => {
    const limits = resourceLimitsV1({ blockIO: { weight: 100, weightDevice: [{ major: 8, minor: 0, weight: 200 }] } }).limits;
    expect(resolveV1Files(limits, (f) => f.startsWith('blkio.bfq.')).map((l) => l.file)).toEqual(['blkio.bfq.weight', 'blkio.bfq.weight_device']);
    expect(resolveV1Files(limits, () => true).map((l) => l.file)).toEqual(['blkio.weight', 'blkio.weight_device']);
  });

  it('writes hugetlb reservation limits only where the kernel has them', () => {
    const limits = resourceLimitsV1({ hugepageLimits: [{ pageSize: '2MB', limit: MIB }] }).limits;
    expect(resolveV1Files(limits, () => true).map((l) => l.file)).toEqual(['hugetlb.2MB.rsvd.limit_in_bytes', 'hugetlb.2MB.limit_in_bytes']);
    expect(resolveV1Files(limits, (f) => !f.includes('rsvd')).map((l) => l.file)).toEqual(['hugetlb.2MB.limit_in_bytes']);
  });
});

describe('order of a v1 update', () => {
  const update = (limit: number, swap: number, current: string): string[] =>
    orderV1Writes(resourceLimitsV1({ memory: { limit, swap }, pids: { limit: 5 } }).limits, () => current).map((l) => l.file);

  it('raises memory+swap before memory, lowers memory before memory+swap', () => {
    expect(update(256 * MIB, 512 * MIB, String(64 * MIB))).toEqual(['memory.memsw.limit_in_bytes', 'memory.limit_in_bytes', 'pids.max']);
    expect(update(16 * MIB, 32 * MIB, String(64 * MIB))).toEqual(['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes', 'pids.max']);
    expect(update(16 * MIB, -1, String(64 * MIB))).toEqual(['memory.memsw.limit_in_bytes', 'memory.limit_in_bytes', 'pids.max']);
    expect(update(16 * MIB, 32 * MIB, '9223372036854771712')).toEqual(['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes', 'pids.max']);
  });
});
