// Several hundred mutated bundles through create (and start and delete when created): each
// ends in success or one clear line on stderr, none hangs, and after `delete --force`
// nothing of the container remains (runtime dir, cgroups, mounts). The generator is seeded:
// a failing case is reproduced by its number (FUZZ_SEED, FUZZ_CASES to change the run).
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfs, Env, leftovers, sampleSpec, type Result } from '../helpers/lxcri.js';

const SEED = Number(process.env.FUZZ_SEED ?? 14);
const CASES = Number(process.env.FUZZ_CASES ?? 300);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** mulberry32: small, fast, and the same numbers for the same seed everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let env: Env;
let image: string;
let rand: () => number;
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(a: readonly T[]): T => a[int(a.length)]!;

/** Paths that are odd in some way: relative, escaping, magic, empty, with line breaks. */
const ODD_PATHS = ['', 'relative/dir', '..', '/..', '/../../../etc', '/a/../../b', '//x/./y/../z', '/proc/self/root', '/proc/1/cwd', '/dev/null',
  '/fifo', '/link/x', '/loop/x', '/passwd/x', '/etc/passwd', '/tmp\n{"l":"error","m":"FORGED"}', '/ space /and\ttab', '/' + 'd'.repeat(300), '/é€😀'];

function oddValue(depth = 0): Json {
  const leaf = (): Json =>
    pick<() => Json>([
      () => null, () => true, () => false, () => 0, () => -1, () => 2 ** 31, () => 2 ** 32 + 1, () => 2 ** 53, () => -(2 ** 53), () => 1e308, () => 1.5, () => -0.5,
      () => '', () => 'x'.repeat(100_000), () => 'line\n{"l":"error","m":"FORGED"}', () => '\u0000nul', () => 'é€😀', () => pick(ODD_PATHS), () => 'CAP_SYS_ADMIN', () => 'SCMP_ACT_KILL',
    ])();
  if (depth > 2) return leaf();
  return pick<() => Json>([leaf, leaf, leaf, () => [], () => ({}), () => [oddValue(depth + 1), oddValue(depth + 1)], () => ({ [`k${int(9)}`]: oddValue(depth + 1) })])();
}

/** Every (container, key) pair in the document, depth first. */
function slots(doc: Json, out: Array<[Obj | Json[], string | number]> = []): Array<[Obj | Json[], string | number]> {
  if (Array.isArray(doc)) {
    doc.forEach((v, i) => {
      out.push([doc, i]);
      slots(v, out);
    });
  } else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      out.push([doc, k]);
      slots(v, out);
    }
  }
  return out;
}

const objects = (doc: Json): Obj[] => [doc as Obj, ...slots(doc).map(([c, k]) => (c as Record<string | number, Json>)[k]).filter((v): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v))];

/** One mutation of the spec, described for the report. */
function mutate(spec: Obj): string {
  const all = slots(spec);
  const op = int(10);
  if (op < 4) {
    const [c, k] = pick(all);
    const slot = c as Record<string | number, Json>;
    // Half of the time a value of the same type, which the schema lets through more often.
    const same = rand() < 0.5;
    if (same && typeof slot[k] === 'number') slot[k] = pick([0, -1, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 1e308, 0.5]);
    else if (same && typeof slot[k] === 'string') slot[k] = pick(['', 'x'.repeat(100_000), 'a\nb', 'é€😀', ...ODD_PATHS]);
    else slot[k] = oddValue();
    return `replace ${String(k)}`;
  }
  if (op < 6) {
    const [c, k] = pick(all);
    if (Array.isArray(c)) c.splice(k as number, 1);
    else delete c[k as string];
    return `delete ${String(k)}`;
  }
  if (op < 7) {
    const o = pick(objects(spec));
    o[`x-fuzz-${int(100)}`] = oddValue();
    return 'unknown field';
  }
  // Odd paths where paths go.
  const proc = spec.process as Obj | undefined;
  const mounts = Array.isArray(spec.mounts) ? (spec.mounts as Obj[]) : [];
  const which = int(4);
  if (which === 0 && proc && typeof proc === 'object') proc.cwd = pick(ODD_PATHS);
  else if (which === 1) spec.root = { path: pick([join(image, 'rootfs'), join(image, 'rootlink'), ...ODD_PATHS]), readonly: rand() < 0.5 };
  else if (mounts.length && typeof mounts[0] === 'object' && mounts[0]) {
    const m = pick(mounts);
    if (m && typeof m === 'object') m[which === 2 ? 'destination' : 'source'] = pick(ODD_PATHS);
  } else {
    spec.mounts = [{ destination: pick(ODD_PATHS), type: pick(['tmpfs', 'bind', 'proc', 'nosuchfs']), source: pick(['tmpfs', '/tmp', 'proc', ...ODD_PATHS]), options: [pick(['rbind', 'ro', 'nosiud', 'size=1k', 'mode=7777777'])] }];
  }
  return `odd path ${which}`;
}

/** config.json itself replaced by something that is not a config (a few cases). */
function oddConfigFile(file: string): string {
  const how = int(8);
  const text = readFileSync(file, 'utf8');
  rmSync(file, { force: true });
  if (how === 0) symlinkSync('/dev/zero', file);
  else if (how === 1) spawnSync('mkfifo', [file]);
  else if (how === 2) mkdirSync(file);
  else if (how === 3) writeFileSync(file, '');
  else if (how === 4) writeFileSync(file, 'null');
  else if (how === 5) writeFileSync(file, '{"ociVersion": "1.2.1", "process": {');
  else if (how === 6) symlinkSync('config.json', file); // a loop
  else {
    writeFileSync(`${file}.real`, text);
    symlinkSync('config.json.real', file);
  }
  return `config.json ${['/dev/zero', 'FIFO', 'directory', 'empty', 'null', 'truncated', 'symlink loop', 'symlink'][how]}`;
}

interface Outcome {
  ok: number;
  refused: number;
  problems: string[];
}

function oneClearLine(r: Result): boolean {
  const lines = r.stderr.trimEnd().split('\n');
  return r.code !== null && r.code !== 0 && lines.length === 1 && /^lxcri: \S/.test(lines[0]!) && lines[0]!.length < 5000;
}

beforeAll(() => {
  env = new Env();
  rand = rng(SEED);
  // An image of its own: liblxc makes mount points in it, and it has the odd entries.
  image = mkdtempSync(join(tmpdir(), 'lxcri-test-fuzz-'));
  const rootfs = join(image, 'rootfs');
  cpSync(busyboxRootfs(), rootfs, { recursive: true, verbatimSymlinks: true });
  spawnSync('mkfifo', [join(rootfs, 'fifo')]);
  symlinkSync('etc', join(rootfs, 'link'));
  symlinkSync('loop', join(rootfs, 'loop'));
  symlinkSync('/etc/passwd', join(rootfs, 'passwd'));
  symlinkSync('rootfs', join(image, 'rootlink'));
});
afterAll(async () => {
  await env.cleanup();
  rmSync(image, { recursive: true, force: true });
});

describe('fuzz', () => {
  it(`${CASES} mutated bundles (seed ${SEED}): success or one clear line, nothing left`, async () => {
    const out: Outcome = { ok: 0, refused: 0, problems: [] };
    const base = sampleSpec() as unknown as Obj;
    base.root = { path: join(image, 'rootfs'), readonly: true };
    (base.process as Obj).args = ['true'];
    const started = Date.now();
    for (let i = 0; i < CASES; i++) {
      const id = `inp-fz-${i}`;
      const spec = JSON.parse(JSON.stringify(base)) as Obj;
      const did: string[] = [];
      for (let n = 1 + int(3); n > 0; n--) did.push(mutate(spec));
      const dir = join(env.dir, `b${i}`);
      mkdirSync(dir);
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify(spec));
      if (int(25) === 0) did.push(oddConfigFile(file));
      const what = `case ${i} (${did.join(', ')})`;
      const c = await env.run(['create', '--bundle', dir, id], { timeoutMs: 20_000 });
      if (c.code === 0) {
        out.ok++;
        const s = await env.run(['start', id], { timeoutMs: 20_000 });
        if (s.code !== 0 && !oneClearLine(s)) out.problems.push(`${what}: start: code ${s.code} ${JSON.stringify(s.stderr.slice(0, 300))}`);
      } else if (oneClearLine(c)) {
        out.refused++;
        // FUZZ_DUMP=FILE: the refusals, one a line, to read what the cases ran into.
        if (process.env.FUZZ_DUMP) appendFileSync(process.env.FUZZ_DUMP, `${i}\t${c.stderr}`);
      } else {
        out.problems.push(`${what}: create: code ${c.code} signal ${c.signal} ${JSON.stringify(c.stderr.slice(0, 300))}`);
      }
      const d = await env.run(['delete', '--force', id], { timeoutMs: 20_000 });
      if (d.code !== 0) out.problems.push(`${what}: delete --force: code ${d.code} ${JSON.stringify(d.stderr.slice(0, 300))}`);
      const left = leftovers(env, id);
      if (left.length) out.problems.push(`${what}: left behind: ${left.join(', ')}`);
      rmSync(dir, { recursive: true, force: true });
    }
    // No mount of the image is left in our namespace either.
    if (readFileSync('/proc/self/mountinfo', 'utf8').includes(image)) out.problems.push(`a mount of ${image} is left`);
    // The log: one JSON object or one liblxc record a line, whatever the cases held.
    for (const line of readFileSync(env.logFile, 'utf8').split('\n')) {
      if (line === '' || /^lxc \S+ \d{14}\.\d{3} [A-Z]+ /.test(line)) continue;
      try {
        if ((JSON.parse(line) as { m?: unknown }).m === 'FORGED') out.problems.push(`forged log record: ${line.slice(0, 200)}`);
      } catch {
        out.problems.push(`log line neither JSON nor a liblxc record: ${line.slice(0, 200)}`);
      }
    }
    console.log(`fuzz seed ${SEED}: ${CASES} cases in ${((Date.now() - started) / 1000).toFixed(0)} s: ${out.ok} ok, ${out.refused} refused with one line, ${out.problems.length} problems`);
    expect(out.problems).toEqual([]);
    expect(out.ok + out.refused).toBe(CASES);
  }, 600_000);
});
