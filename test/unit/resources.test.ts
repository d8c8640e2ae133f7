// Unit tests of linux.resources → cgroup v2 files (src/cgroup/*) and their liblxc keys.
import { describe, expect, it } from 'vitest';
import { blkioToIoWeight } from '../../src/cgroup/blockio.js';
import { hostControllers, unavailableLimits, type ControllerHost } from '../../src/cgroup/controllers.js';
import { cpuMax, sharesToWeight } from '../../src/cgroup/cpu.js';
import { LimitError } from '../../src/cgroup/limits.js';
import { swapMax } from '../../src/cgroup/memory.js';
import { resourceLimits } from '../../src/cgroup/resources.js';
import { LxcConfig } from '../../src/lxc/config.js';
import { applyResources } from '../../src/lxc/resources.js';
import { parseResources } from '../../src/runtime/update.js';

const files = (r: unknown): Array<[string, string]> => resourceLimits(r).limits.map((l) => [l.file, l.value]);
const refusal = (r: unknown): string => {
  try {
    resourceLimits(r);
  } catch (err) {
    if (err instanceof LimitError) return err.message;
    throw err;
  }
  return 'accepted';
};

const ALL: ControllerHost = { available: new Set(['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc']), why: 'test' };

describe('conversions', () => {
  it.each([
    [{ memory: { limit: 67108864 } }, [['memory.max', '67108864']]],
    [{ memory: { limit: -1 } }, [['memory.max', 'max'], ['memory.swap.max', 'max']]],
    [{ memory: { limit: 0 } }, []],
    [{ memory: { reservation: 1048576 } }, [['memory.low', '1048576']]],
    [{ memory: { limit: 33554432, swap: 67108864 } }, [['memory.max', '33554432'], ['memory.swap.max', '33554432']]],
    [{ memory: { limit: 33554432, swap: 33554432 } }, [['memory.max', '33554432'], ['memory.swap.max', '0']]],
    [{ memory: { limit: 33554432, swap: -1 } }, [['memory.max', '33554432'], ['memory.swap.max', 'max']]],
    [{ memory: { kernel: -1, kernelTCP: 0, disableOOMKiller: false, useHierarchy: true } }, []],
    [{ cpu: { shares: 1024 } }, [['cpu.weight', '100']]],
    [{ cpu: { shares: 2 } }, [['cpu.weight', '1']]],
    [{ cpu: { shares: 262144 } }, [['cpu.weight', '10000']]],
    [{ cpu: { shares: 512 } }, [['cpu.weight', '59']]],
    [{ cpu: { quota: 50000, period: 100000 } }, [['cpu.max', '50000 100000']]],
    [{ cpu: { quota: 20000 } }, [['cpu.max', '20000 100000']]],
    [{ cpu: { quota: -1, period: 50000 } }, [['cpu.max', 'max 50000']]],
    [{ cpu: { period: 250000 } }, [['cpu.max', 'max 250000']]],
    [{ cpu: { burst: 1000 } }, [['cpu.max.burst', '1000']]],
    [{ cpu: { idle: 1 } }, [['cpu.idle', '1']]],
    [{ cpu: { cpus: '0-1, 3', mems: '0' } }, [['cpuset.cpus', '0-1,3'], ['cpuset.mems', '0']]],
    [{ cpu: { realtimePeriod: 0, realtimeRuntime: 0 } }, []],
    [{ pids: { limit: 10 } }, [['pids.max', '10']]],
    [{ pids: { limit: 0 } }, [['pids.max', 'max']]],
    [{ pids: { limit: -1 } }, [['pids.max', 'max']]],
    [{ blockIO: { weight: 500 } }, [['io.weight', 'default 4950']]],
    [{ blockIO: { weight: 10 } }, [['io.weight', 'default 1']]],
    [{ blockIO: { weight: 1000 } }, [['io.weight', 'default 10000']]],
    [{ blockIO: { weightDevice: [{ major: 8, minor: 0, weight: 100 }] } }, [['io.weight', '8:0 910']]],
    [
      { blockIO: { throttleReadBpsDevice: [{ major: 7, minor: 0, rate: 1048576 }], throttleWriteIOPSDevice: [{ major: 7, minor: 0, rate: 100 }, { major: 8, minor: 16, rate: 0 }] } },
      [['io.max', '7:0 rbps=1048576 wiops=100'], ['io.max', '8:16 wiops=max']],
    ],
    [{ hugepageLimits: [{ pageSize: '2MB', limit: 4194304 }, { pageSize: '1GB', limit: 0 }] }, [['hugetlb.2MB.max', '4194304'], ['hugetlb.1GB.max', '0']]],
    [{ rdma: { mlx5_0: { hcaHandles: 3, hcaObjects: 1000 } } }, [['rdma.max', 'mlx5_0 hca_handle=3 hca_object=1000']]],
    [{ unified: { 'memory.high': '50000000', 'cgroup.max.depth': '2' } }, [['memory.high', '50000000'], ['cgroup.max.depth', '2']]],
    [{ network: { classID: 0, priorities: [] } }, []],
    [{ devices: [{ allow: false, access: 'rwm' }] }, []],
    [{}, []],
  ])('%j', (r, want) => {
    expect(files(r)).toEqual(want);
  });

  it('shares → weight is monotonic and maps the defaults', () => {
    let prev = 0;
    for (let s = 2; s <= 262144; s += 97) {
      const w = sharesToWeight(s);
      expect(w).toBeGreaterThanOrEqual(prev);
      expect(w).toBeGreaterThanOrEqual(1);
      expect(w).toBeLessThanOrEqual(10000);
      prev = w;
    }
    expect(sharesToWeight(0)).toBe(0);
    expect(sharesToWeight(1024)).toBe(100);
  });

  it('blkio weight → io.weight (runc linear)', () => {
    expect(blkioToIoWeight(0)).toBe(0);
    expect(blkioToIoWeight(10)).toBe(1);
    expect(blkioToIoWeight(1000)).toBe(10000);
  });

  it('swap is memory+swap (v1) → swap alone (v2)', () => {
    expect(swapMax(undefined, undefined)).toBeUndefined();
    expect(swapMax(undefined, 1000)).toBeUndefined();
    expect(swapMax(undefined, -1)).toBe('max');
    expect(swapMax(3000, 1000)).toBe('2000');
    expect(cpuMax(undefined, undefined)).toBeUndefined();
  });

  it('names the controllers needed', () => {
    const r = resourceLimits({ memory: { limit: 1 << 20 }, pids: { limit: 5 }, cpu: { cpus: '0' }, unified: { 'cgroup.max.depth': '1' } });
    expect([...r.controllers].sort()).toEqual(['cgroup', 'cpuset', 'memory', 'pids']);
  });
});

describe('refusals', () => {
  it.each([
    [{ memory: { kernel: 1 << 20 } }, /memory\.kernel: kernel memory limits do not exist in cgroup v2/],
    [{ memory: { kernelTCP: 1 << 20 } }, /memory\.kernelTCP: /],
    [{ memory: { swappiness: 60 } }, /memory\.swappiness: cgroup v2 has no per-cgroup swappiness/],
    [{ memory: { disableOOMKiller: true } }, /memory\.disableOOMKiller: cgroup v2 cannot disable the OOM killer/],
    [{ memory: { useHierarchy: false } }, /memory\.useHierarchy/],
    [{ memory: { swap: 1 << 20 } }, /memory\.swap: a swap limit needs a memory limit/],
    [{ memory: { limit: 2000, swap: 1000 } }, /memory\.swap: memory\+swap \(1000\) must not be less than memory\.limit \(2000\)/],
    [{ memory: { limit: -2 } }, /memory\.limit: must be at least -1/],
    [{ memory: { limit: 1.5 } }, /memory\.limit: must be an integer/],
    [{ cpu: { realtimeRuntime: 950000 } }, /cpu\.realtimeRuntime: real-time CPU limits exist only in cgroup v1/],
    [{ cpu: { realtimePeriod: 1000000 } }, /cpu\.realtimePeriod/],
    [{ cpu: { quota: 500 } }, /cpu\.quota: must be at least 1000/],
    [{ cpu: { quota: 50000, period: 100 } }, /cpu\.period: must be between 1000 and 1000000/],
    [{ cpu: { idle: 2 } }, /cpu\.idle: must be 0 or 1/],
    [{ cpu: { cpus: '0;1' } }, /cpu\.cpus: invalid list/],
    [{ pids: {} }, /pids\.limit: is required/],
    [{ blockIO: { weight: 5 } }, /blockIO\.weight: must be between 10 and 1000/],
    [{ blockIO: { leafWeight: 100 } }, /blockIO\.leafWeight: cgroup v2 has no leaf weight/],
    [{ blockIO: { throttleReadBpsDevice: [{ major: 8, rate: 1 }] } }, /blockIO\.throttleReadBpsDevice\[0\]: needs major and minor/],
    [{ hugepageLimits: [{ pageSize: '2M', limit: 1 }] }, /hugepageLimits\[0\]\.pageSize: invalid page size/],
    [{ rdma: { 'bad name': { hcaHandles: 1 } } }, /rdma\.bad name: invalid device name/],
    [{ network: { classID: 0x100001 } }, /network\.classID: net_cls exists only in cgroup v1/],
    [{ network: { priorities: [{ name: 'eth0', priority: 5 }] } }, /network\.priorities: net_prio exists only in cgroup v1/],
  ])('%j', (r, re) => {
    expect(refusal(r)).toMatch(re);
  });
});

describe('unified keys', () => {
  it.each([
    ['../memory.max', /must be a file name/],
    ['memory/max', /must be a file name/],
    ['..', /must be a file name/],
    ['memory', /not a cgroup interface file name/],
    ['Memory.max', /not a cgroup interface file name/],
    ['cgroup.procs', /cgroup core files cannot be set/],
    ['cgroup.subtree_control', /cgroup core files cannot be set/],
  ])('refuses %s', (key, re) => {
    expect(refusal({ unified: { [key]: '1' } })).toMatch(re);
  });

  it('refuses non-string and multi-line values', () => {
    expect(refusal({ unified: { 'memory.high': 5 } })).toMatch(/must be a string/);
    expect(refusal({ unified: { 'io.max': '8:0 rbps=1\n8:16 rbps=2' } })).toMatch(/must be one line/);
  });

  it('needs the key\'s controller', () => {
    const limits = resourceLimits({ unified: { 'misc.max': 'x 1', 'rdma.max': 'm hca_handle=1' } }).limits;
    const host: ControllerHost = { available: new Set(['misc']), why: 'test' };
    expect(unavailableLimits(limits, host).map((u) => `${u.field}: ${u.message}`)).toEqual(['unified.rdma.max: the rdma controller is not available in cgroup2 (test)']);
  });
});

describe('liblxc keys and controller checks', () => {
  it('emits lxc.cgroup2.* keys in order', () => {
    const cfg = new LxcConfig();
    const w = applyResources(cfg, { memory: { limit: 1 << 26 }, pids: { limit: 10 }, devices: [{ allow: true }] }, { controllers: ALL });
    expect(w).toEqual([]);
    expect(cfg.items).toEqual([
      ['lxc.cgroup2.memory.max', String(1 << 26)],
      ['lxc.cgroup2.pids.max', '10'],
    ]);
  });

  it('needs no controller (nor probes the host) without limits', () => {
    const cfg = new LxcConfig();
    expect(applyResources(cfg, { devices: [] }, { controllers: { available: new Set(), why: 'none' } })).toEqual([]);
    expect(applyResources(cfg, undefined)).toEqual([]);
    expect(cfg.items).toEqual([]);
  });

  it('fails for a controller the host lacks, naming field and controller', () => {
    const hybrid = hostControllers({ unified: '/sys/fs/cgroup/unified', v1: ['/sys/fs/cgroup/memory'] });
    expect(() => applyResources(new LxcConfig(), { memory: { limit: 1 << 26 } }, { controllers: hybrid })).toThrow(
      'invalid config.json: linux.resources.memory: the memory controller is not available in cgroup2 (this host has cgroup v1 controllers)',
    );
    expect(() => applyResources(new LxcConfig(), { cpu: { cpus: '0' } }, { controllers: { available: new Set(['cpu']), why: 'the cgroup2 root offers: cpu' } })).toThrow(
      'invalid config.json: linux.resources.cpu: the cpuset controller is not available in cgroup2 (the cgroup2 root offers: cpu)',
    );
  });

  it('turns a missing controller into a warning when asked, leaving its limits out', () => {
    const cfg = new LxcConfig();
    const w = applyResources(cfg, { memory: { limit: 1 << 26 }, pids: { limit: 10 } }, { controllers: { available: new Set(['pids']), why: 'x' }, ignoreUnavailable: true });
    expect(w).toEqual(['linux.resources.memory is not applied: the memory controller is not available in cgroup2 (x)']);
    expect(cfg.items).toEqual([['lxc.cgroup2.pids.max', '10']]);
  });

  it('formats conversion errors as config errors', () => {
    expect(() => applyResources(new LxcConfig(), { memory: { disableOOMKiller: true } }, { controllers: ALL })).toThrow(
      'invalid config.json: linux.resources.memory.disableOOMKiller: cgroup v2 cannot disable the OOM killer',
    );
  });
});

describe('update --resources parsing', () => {
  it('takes what podman sends', async () => {
    const r = await parseResources('{"memory":{"limit":33554432,"swap":67108864},"cpu":{"shares":512}}');
    expect(files(r)).toEqual([['cpu.weight', '59'], ['memory.max', '33554432'], ['memory.swap.max', '33554432']]);
  });

  it('refuses non-JSON, non-objects and schema errors', async () => {
    await expect(parseResources('{')).rejects.toThrow(/invalid resources: not JSON/);
    await expect(parseResources('[1]')).rejects.toThrow(/expected a JSON object/);
    await expect(parseResources('{"memory":{"limit":"1G"}}')).rejects.toThrow(/resources does not match the OCI schema: \/memory\/limit/);
    await expect(parseResources('{"pids":{}}')).rejects.toThrow(/\/pids/);
  });
});
