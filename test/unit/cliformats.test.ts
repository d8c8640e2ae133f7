// The pure parts of ps, events and spec: ps table filtering, Go durations, exact u64
// JSON, v1 controller hierarchies from mountinfo, the starter spec.
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/commands/events.js';
import { filterPsOutput } from '../../src/cli/commands/ps.js';
import { parseV1Controllers } from '../../src/cgroup/mounts.js';
import { toJson } from '../../src/cgroup/stats.js';
import { exampleSpec } from '../../src/spec/example.js';
import { validateSchema } from '../../src/spec/validate.js';

describe('ps table', () => {
  const out = ['  PID TTY  CMD', '    1 ?    init', '  42 ?    sleep 1', '  420 ?   sh', ''].join('\n');
  it('keeps the header and the lines of the given PIDs', () => {
    expect(filterPsOutput(out, new Set([42, 7]))).toBe('  PID TTY  CMD\n  42 ?    sleep 1\n');
    expect(filterPsOutput(out, new Set())).toBe('  PID TTY  CMD\n');
  });
  it('needs a PID column', () => {
    expect(() => filterPsOutput('COMMAND\nsleep\n', new Set([1]))).toThrow(/no PID column/);
  });
});

describe('durations', () => {
  it('parses Go durations to milliseconds', () => {
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('100ms')).toBe(100);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('2500us')).toBe(2.5);
  });
  it('refuses anything else', () => {
    for (const bad of ['', '0', '0s', '5', 's', '-1s', '5x', '1s ', '1 s']) expect(() => parseDuration(bad)).toThrow(/invalid --interval/);
  });
});

describe('stats JSON', () => {
  it('prints u64 values exactly', () => {
    expect(toJson({ a: 18446744073709551615n, b: [1n, 2n], c: null, d: 'x"y', e: {} })).toBe('{"a":18446744073709551615,"b":[1,2],"c":null,"d":"x\\"y","e":{}}');
  });
});

describe('v1 hierarchies', () => {
  it('maps each controller to its mount point, co-mounted ones too; named and v2 hierarchies are not controllers', () => {
    const mi = [
      '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
      '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
      '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
      '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
      '99 31 0:32 /sub /mnt/memsub rw,relatime - cgroup cgroup rw,memory',
    ].join('\n');
    const m = parseV1Controllers(mi);
    expect(m.get('cpu')).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(m.get('cpuacct')).toBe('/sys/fs/cgroup/cpu,cpuacct');
    expect(m.get('memory')).toBe('/sys/fs/cgroup/memory');
    expect(m.has('name=systemd')).toBe(false);
    expect(m.has('pids')).toBe(false);
  });
});

describe('starter spec', () => {
  it('is valid; --rootless maps the caller to root in a user namespace without a network namespace', async () => {
    const plain = exampleSpec({ cgroupns: false });
    await validateSchema('config', plain, 'spec');
    expect(plain.linux!.namespaces!.map((n) => n.type)).toEqual(['pid', 'network', 'ipc', 'uts', 'mount']);
    expect(exampleSpec({ cgroupns: true }).linux!.namespaces!.map((n) => n.type)).toContain('cgroup');
    const rl = exampleSpec({ cgroupns: false, rootless: { uid: 1000, gid: 100 } });
    await validateSchema('config', rl, 'spec');
    expect(rl.linux!.namespaces!.map((n) => n.type)).toEqual(['pid', 'ipc', 'uts', 'mount', 'user']);
    expect(rl.linux!.uidMappings).toEqual([{ containerID: 0, hostID: 1000, size: 1 }]);
    expect(rl.linux!.gidMappings).toEqual([{ containerID: 0, hostID: 100, size: 1 }]);
    expect(rl.linux!.resources).toBeUndefined();
    expect(rl.mounts!.find((m) => m.destination === '/sys')).toEqual({ destination: '/sys', type: 'none', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] });
    expect(rl.mounts!.flatMap((m) => m.options ?? []).filter((o) => o.startsWith('gid=') || o.startsWith('uid='))).toEqual([]);
    // The default's own mounts were not changed by the rootless copy.
    expect(exampleSpec({ cgroupns: false }).mounts!.find((m) => m.destination === '/dev/pts')!.options).toContain('gid=5');
  });
});
