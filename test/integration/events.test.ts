// events --stats ID: one sample of the container's cgroup statistics in runc's shape,
// compared with runc events --stats on the same bundle; events without --stats streams
// a sample per --interval and ends when the container stops.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LAUNCHER, MAIN, leftovers, makeBundle, waitFor, withArgs, type Result } from '../helpers/lxcri.js';
import { sideBySide } from '../helpers/runc.js';

const { env, lxcri, ref } = sideBySide();

interface Sample {
  type: string;
  id: string;
  data: {
    cpu: { usage: { total?: number; kernel: number; user: number }; throttling: object };
    cpuset: object;
    memory: { usage: { limit: number; usage?: number; failcnt: number }; raw?: Record<string, number> };
    pids: { current?: number; limit?: number };
    blkio: object;
    hugetlb: object;
  };
}

const keys = (o: object | undefined): string[] => Object.keys(o ?? {}).sort();

describe('events', () => {
  it('--stats prints one sample: cpu, memory, pids, blkio, hugetlb as runc does', async () => {
    const bundle = makeBundle(env, 'cli-ev', withArgs('sh', '-c', 'sleep 1000 & i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; wait'));
    const samples: Array<{ text: string; s: Sample }> = [];
    for (const [run, id] of [[lxcri, 'cli-ev'], [ref, 'cli-evr']] as const) {
      expect((await run(['run', '-d', '--bundle', bundle, id])).code).toBe(0);
      await waitFor(async () => (JSON.parse((await run(['ps', '--format', 'json', id])).stdout) as number[]).length === 2, 10_000, 'two processes');
      const r = await run(['events', '--stats', id]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')).toHaveLength(2); // one line
      samples.push({ text: r.stdout, s: JSON.parse(r.stdout) as Sample });
      expect((await run(['delete', '--force', id])).code).toBe(0);
    }
    const [mine, theirs] = samples as [{ text: string; s: Sample }, { text: string; s: Sample }];
    expect(mine.s.type).toBe('stats');
    expect(mine.s.id).toBe('cli-ev');
    const d = mine.s.data;
    expect(d.pids.current).toBe(2);
    expect(d.pids.current).toBe(theirs.s.data.pids.current);
    expect(d.cpu.usage.total).toBeGreaterThan(0);
    expect(d.memory.usage.usage).toBeGreaterThan(0);
    // Same fields as runc, the same cpuset.
    expect(keys(d)).toEqual(keys(theirs.s.data));
    expect(d.cpuset).toEqual(theirs.s.data.cpuset);
    expect(keys(d.cpu)).toEqual(keys(theirs.s.data.cpu));
    // cache is left out when 0 (runc's omitempty), which depends on the run.
    const noCache = (o: object): string[] => keys(o).filter((k) => k !== 'cache');
    expect(noCache(d.memory)).toEqual(noCache(theirs.s.data.memory));
    expect(keys(d.memory.usage)).toEqual(keys(theirs.s.data.memory.usage));
    expect(keys(d.memory.raw)).toEqual(keys(theirs.s.data.memory.raw));
    expect(keys(d.blkio)).toEqual(keys(theirs.s.data.blkio));
    expect(keys(d.hugetlb)).toEqual(keys(theirs.s.data.hugetlb));
    // u64 limits are printed exactly (JSON.parse rounds them; the text must not).
    const limit = (t: string): string | undefined => /"memory":\{(?:"cache":\d+,)?"usage":\{"limit":(\d+)/.exec(t)?.[1];
    expect(limit(mine.text)).toBeDefined();
    expect(limit(mine.text)).toBe(limit(theirs.text));
    expect(leftovers(env, 'cli-ev')).toEqual([]);
  });

  it('without --stats: a sample every --interval until the container stops, then exit 0', async () => {
    const bundle = makeBundle(env, 'cli-evs', withArgs('sleep', '1'));
    expect((await lxcri(['run', '-d', '--bundle', bundle, 'cli-evs'])).code).toBe(0);
    const began = Date.now();
    const r = await lxcri(['events', '--interval', '100ms', 'cli-evs']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(Date.now() - began).toBeLessThan(10_000);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Sample);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const s of lines) {
      expect(s.type).toBe('stats');
      expect(s.id).toBe('cli-evs');
      expect(s.data.pids.current).toBe(1);
    }
    expect((await env.state('cli-evs')).status).toBe('stopped');
    expect((await lxcri(['delete', 'cli-evs'])).code).toBe(0);
    expect(leftovers(env, 'cli-evs')).toEqual([]);
  });

  it('without --stats: ends with 0 when its reader goes away (events ID | head -1), the container runs on', async () => {
    const bundle = makeBundle(env, 'cli-evp', withArgs('sleep', '60'));
    expect((await lxcri(['run', '-d', '--bundle', bundle, 'cli-evp'])).code).toBe(0);
    const p = spawn(LAUNCHER, [...env.globals(), 'events', '--interval', '100ms', 'cli-evp'], {
      env: { ...process.env, LXCRI_MAIN: MAIN },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise<number | null>((res) => p.once('exit', (code) => res(code)));
    const first = await new Promise<string>((res) => p.stdout.once('data', (b: Buffer) => res(b.toString())));
    expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({ type: 'stats', id: 'cli-evp' });
    p.stdout.destroy();
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
    expect(await exited).toBe(0);
    clearTimeout(timer);
    expect((await env.state('cli-evp')).status).toBe('running');
    expect((await lxcri(['delete', '--force', 'cli-evp'])).code).toBe(0);
    expect(leftovers(env, 'cli-evp')).toEqual([]);
  });

  it('refuses stopped and unknown containers and bad intervals in one line', async () => {
    const one = (r: Result, text: string): void => {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`lxcri: ${text}\n`);
    };
    const bundle = makeBundle(env, 'cli-evx', withArgs('true'));
    expect((await lxcri(['run', '-d', '--bundle', bundle, 'cli-evx'])).code).toBe(0);
    await waitFor(async () => (await env.state('cli-evx')).status === 'stopped', 10_000, 'stopped');
    one(await lxcri(['events', '--stats', 'cli-evx']), 'container not running: cli-evx');
    one(await lxcri(['events', 'cli-evx']), 'container not running: cli-evx');
    one(await lxcri(['events', '--stats', 'cli-nosuch']), 'container does not exist: cli-nosuch');
    for (const bad of ['0', '5x', '-1s', '']) one(await lxcri(['events', `--interval=${bad}`, 'cli-evx']), `invalid --interval "${bad}": a positive duration such as 5s or 100ms`);
    expect((await lxcri(['delete', 'cli-evx'])).code).toBe(0);
  });
});
