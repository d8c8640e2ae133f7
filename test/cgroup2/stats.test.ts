// events --stats and ps on a pure cgroup v2 host (in ../shared/cgroup2-vm, run by
// scripts/test-cgroup2.sh; skipped elsewhere): the numbers come from the cgroup2 files
// and the limits of the spec come back.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostControllers } from '../../src/cgroup/controllers.js';
import { cgroupMounts } from '../../src/cgroup/mounts.js';
import { Env, LAUNCHER, MAIN, leftovers, makeBundle, waitFor, withArgs } from '../helpers/lxcri.js';
import { HOG, MIB, OOM_LIMITS, withResources } from '../helpers/resources.js';

const mounts = cgroupMounts();
const pureV2 = hostControllers(mounts).available.has('memory');
const long = { timeoutMs: 300_000 };

interface Sample {
  type: string;
  id: string;
  data: {
    cpu: { usage: { total?: number; kernel: number; user: number }; throttling: { periods?: number } };
    cpuset: { cpus?: number[] };
    memory: { usage: { limit: number; usage?: number }; swap: { limit: number }; raw?: Record<string, number> };
    pids: { current?: number; limit?: number };
    hugetlb: Record<string, { failcnt: number }>;
  };
}

describe.skipIf(!pureV2)('events --stats and ps on cgroup v2', () => {
  let env: Env;
  beforeAll(() => {
    env = new Env();
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('reports the spec\'s limits and the live usage from the cgroup2 files', async () => {
    const b = makeBundle(env, 'cli-st2', (s) => {
      withArgs('sh', '-c', 'sleep 1000 & i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; wait')(s);
      withResources({ memory: { limit: 64 * MIB, swap: 96 * MIB }, pids: { limit: 50 }, cpu: { quota: 50000, period: 100000 } })(s);
    });
    expect((await env.run(['run', '-d', '--bundle', b, 'cli-st2'], long)).code).toBe(0);
    let pids: number[] = [];
    await waitFor(async () => {
      pids = JSON.parse((await env.run(['ps', '--format', 'json', 'cli-st2'], long)).stdout) as number[];
      return pids.length === 2;
    }, 60_000, 'two processes');
    const r = await env.run(['events', '--stats', 'cli-st2'], long);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Sample;
    expect(s.type).toBe('stats');
    expect(s.data.memory.usage.limit).toBe(64 * MIB);
    expect(s.data.memory.usage.usage).toBeGreaterThan(0);
    expect(s.data.memory.swap.limit).toBe(96 * MIB); // memory+swap, as runc reports it
    expect(s.data.memory.raw?.anon).toBeGreaterThanOrEqual(0);
    expect(s.data.pids).toEqual({ current: 2, limit: 50 });
    expect(s.data.cpu.usage.total).toBeGreaterThan(0);
    expect(s.data.cpu.throttling.periods).toBeGreaterThan(0);
    // cpuset.cpus.effective of the container as a list, when its parent enabled cpuset.
    const cpusFile = `${mounts.unified}/lxcri/cli-st2/cpuset.cpus.effective`;
    if (existsSync(cpusFile)) expect(readFileSync(cpusFile, 'utf8')).toContain(String(s.data.cpuset.cpus![0]));
    else expect(s.data.cpuset.cpus).toBeUndefined();
    const sizes = readdirSync(`${mounts.unified}/lxcri/cli-st2`).map((f) => /^hugetlb\.([^.]+)\.current$/.exec(f)?.[1]).filter(Boolean);
    expect(Object.keys(s.data.hugetlb).sort()).toEqual(sizes.sort());
    expect((await env.run(['delete', '--force', 'cli-st2'], long)).code).toBe(0);
    expect(leftovers(env, 'cli-st2')).toEqual([]);
  }, 600_000);

  it('events without --stats reports an OOM kill inside the container as {"type":"oom"}', async () => {
    // The init waits for a go signal, then a subshell (the largest process) exceeds the limit.
    await env.run(['delete', '--force', 'cli-oom'], long); // a failed try's container, on retry
    const script = `while [ ! -e /tmp/go ]; do sleep 0.1; done; (${HOG[2]}); echo after; sleep 3`;
    const b = makeBundle(env, 'cli-oom', (s) => {
      withArgs('sh', '-c', script)(s);
      withResources(OOM_LIMITS)(s);
    });
    expect((await env.run(['run', '-d', '--bundle', b, 'cli-oom'], long)).code).toBe(0);
    const p = spawn(LAUNCHER, [...env.globals(), 'events', '--interval', '200ms', 'cli-oom'], {
      env: { ...process.env, LXCRI_MAIN: MAIN },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((res) => p.once('exit', (code) => res(code)));
    await waitFor(() => out.includes('\n'), 120_000, 'first sample');
    expect((await env.run(['exec', 'cli-oom', 'touch', '/tmp/go'], long)).code).toBe(0);
    const timer = setTimeout(() => p.kill('SIGKILL'), 400_000);
    expect(await exited).toBe(0);
    clearTimeout(timer);
    const lines = out.trimEnd().split('\n');
    expect(lines).toContain('{"type":"oom","id":"cli-oom"}');
    expect(lines.filter((l) => l.startsWith('{"type":"stats","id":"cli-oom","data":')).length).toBeGreaterThan(0);
    expect((await env.run(['delete', 'cli-oom'], long)).code).toBe(0);
    expect(leftovers(env, 'cli-oom')).toEqual([]);
  }, { timeout: 600_000, retry: 2 }); // the VM runs under software emulation: timing varies with host load
});
