// A container's cgroup statistics in the shape of runc's `events --stats` data
// (libcontainer's types.Stats: cpu, cpuset, memory, pids, blkio, hugetlb). Each controller is read
// from the hierarchy that has it: a v1 hierarchy on a hybrid host, cgroup2 otherwise.
// Counters are u64 and limits reach 2^64-1, beyond a JS number: values are bigints.
// runc omits zero-valued fields marked omitempty; so does this.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupMounts, v1Controllers } from './mounts.js';

type Obj = { [k: string]: Json };
export type Json = bigint | number | string | boolean | null | Json[] | Obj;

const MAX_U64 = (1n << 64n) - 1n;
/** runc reports times in ns; cpuacct.stat counts USER_HZ ticks (100 on Linux). */
const NS_PER_TICK = 10_000_000n;

function read(dir: string, file: string): string | undefined {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** One u64 value ("max" is the largest); undefined when the file is missing or not a number. */
function u64(dir: string, file: string, max = MAX_U64): bigint | undefined {
  const t = read(dir, file)?.trim();
  if (t === undefined) return undefined;
  if (t === 'max') return max;
  return /^\d+$/.test(t) ? BigInt(t) : undefined;
}

/** "key value" lines. */
function keyed(dir: string, file: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of (read(dir, file) ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v && /^\d+$/.test(v)) out.set(k, BigInt(v));
  }
  return out;
}

const list = (dir: string, file: string): bigint[] | undefined =>
  read(dir, file)?.trim().split(/\s+/).filter((v) => /^\d+$/.test(v)).map(BigInt);

/** Sets o[k] unless v is runc's omitempty zero (0, undefined, an empty list or map). */
function put(o: Obj, k: string, v: bigint | Json[] | Obj | undefined): void {
  if (v === undefined || v === 0n) return;
  if (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0) return;
  o[k] = v;
}

/** Where a controller's files are for the cgroup `rel`: its v1 hierarchy, else cgroup2 if enabled there. */
export interface ControllerDirs {
  dir(controller: string): { path: string; v2: boolean } | undefined;
}

export function controllerDirs(rel: string): ControllerDirs {
  const v1 = v1Controllers();
  const unified = cgroupMounts().unified;
  const v2Dir = unified !== undefined ? join(unified, rel) : undefined;
  const v2 = new Set(v2Dir ? (read(v2Dir, 'cgroup.controllers') ?? '').split(/\s+/).filter(Boolean) : []);
  return {
    dir(controller) {
      const m = v1.get(controller);
      if (m !== undefined) return { path: join(m, rel), v2: false };
      if (v2Dir !== undefined && v2.has(controller)) return { path: v2Dir, v2: true };
      return undefined;
    },
  };
}

function cpuStats(dirs: ControllerDirs, rel: string): Obj {
  const usage: Obj = {};
  const throttling: Obj = {};
  const acct = dirs.dir('cpuacct');
  const cpu = dirs.dir('cpu');
  if (acct && !acct.v2) {
    put(usage, 'total', u64(acct.path, 'cpuacct.usage'));
    put(usage, 'percpu', list(acct.path, 'cpuacct.usage_percpu'));
    put(usage, 'percpu_kernel', list(acct.path, 'cpuacct.usage_percpu_sys'));
    put(usage, 'percpu_user', list(acct.path, 'cpuacct.usage_percpu_user'));
    const st = keyed(acct.path, 'cpuacct.stat');
    usage.kernel = (st.get('system') ?? 0n) * NS_PER_TICK;
    usage.user = (st.get('user') ?? 0n) * NS_PER_TICK;
  } else {
    // cgroup2's cpu.stat has the usage even without the cpu controller (a core file).
    const unified = cgroupMounts().unified;
    const st = unified !== undefined ? keyed(join(unified, rel), 'cpu.stat') : new Map<string, bigint>();
    put(usage, 'total', (st.get('usage_usec') ?? 0n) * 1000n);
    usage.kernel = (st.get('system_usec') ?? 0n) * 1000n;
    usage.user = (st.get('user_usec') ?? 0n) * 1000n;
  }
  if (cpu) {
    const st = keyed(cpu.path, 'cpu.stat');
    put(throttling, 'periods', st.get('nr_periods'));
    put(throttling, 'throttledPeriods', st.get('nr_throttled'));
    put(throttling, 'throttledTime', cpu.v2 ? (st.get('throttled_usec') ?? 0n) * 1000n : st.get('throttled_time'));
  }
  return { usage, throttling };
}

/** A cpu or node list ("0-3,8") as numbers. */
function cpuList(text: string | undefined): bigint[] | undefined {
  if (text === undefined) return undefined;
  const out: bigint[] = [];
  for (const part of text.trim().split(',').filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    for (let i = BigInt(m[1]!); i <= BigInt(m[2] ?? m[1]!); i++) out.push(i);
  }
  return out;
}

const CPUSET_FLAGS = ['cpu_exclusive', 'mem_hardwall', 'mem_exclusive', 'memory_migrate', 'memory_spread_page', 'memory_spread_slab', 'memory_pressure', 'sched_load_balance'];

/** runc's cpuset fields: the v1 files, or cgroup2's effective lists (the flags have no v2 files: 0). */
function cpusetStats(dirs: ControllerDirs): Obj {
  const d = dirs.dir('cpuset');
  const out: Obj = {};
  const suffix = d?.v2 ? '.effective' : '';
  put(out, 'cpus', d && cpuList(read(d.path, `cpuset.cpus${suffix}`)));
  out.cpu_exclusive = 0n;
  put(out, 'mems', d && cpuList(read(d.path, `cpuset.mems${suffix}`)));
  for (const f of CPUSET_FLAGS.slice(1)) out[f] = 0n;
  out.sched_relax_domain_level = 0n;
  if (d && !d.v2) {
    for (const f of CPUSET_FLAGS) out[f] = u64(d.path, `cpuset.${f}`) ?? 0n;
    const level = read(d.path, 'cpuset.sched_relax_domain_level')?.trim();
    if (level !== undefined && /^-?\d+$/.test(level)) out.sched_relax_domain_level = BigInt(level);
  }
  return out;
}

function memoryEntry(limit: bigint | undefined, usage: bigint | undefined, max: bigint | undefined, failcnt: bigint | undefined): Obj {
  const e: Obj = { limit: limit ?? 0n };
  put(e, 'usage', usage);
  put(e, 'max', max);
  e.failcnt = failcnt ?? 0n;
  return e;
}

function memoryStats(dirs: ControllerDirs): Obj {
  const d = dirs.dir('memory');
  const empty = memoryEntry(undefined, undefined, undefined, undefined);
  if (!d) return { usage: empty, swap: empty, kernel: empty, kernelTCP: empty };
  const raw: Obj = {};
  for (const [k, v] of keyed(d.path, 'memory.stat')) raw[k] = v;
  const out: Obj = {};
  if (!d.v2) {
    const entry = (p: string): Obj =>
      memoryEntry(u64(d.path, `${p}.limit_in_bytes`), u64(d.path, `${p}.usage_in_bytes`), u64(d.path, `${p}.max_usage_in_bytes`), u64(d.path, `${p}.failcnt`));
    put(out, 'cache', raw.cache as bigint | undefined);
    out.usage = entry('memory');
    out.swap = entry('memory.memsw');
    out.kernel = entry('memory.kmem');
    out.kernelTCP = entry('memory.kmem.tcp');
  } else {
    // As runc: swap is reported as memory+swap, cgroup v1's meaning.
    const limit = u64(d.path, 'memory.max');
    const usage = u64(d.path, 'memory.current');
    const failcnt = keyed(d.path, 'memory.events').get('max');
    const swapLimit = u64(d.path, 'memory.swap.max');
    const swapUsage = u64(d.path, 'memory.swap.current');
    put(out, 'cache', raw.file as bigint | undefined);
    out.usage = memoryEntry(limit, usage, u64(d.path, 'memory.peak'), failcnt);
    out.swap = memoryEntry(
      swapLimit === undefined || swapLimit === MAX_U64 || limit === undefined || limit === MAX_U64 ? swapLimit : swapLimit + limit,
      swapUsage === undefined ? undefined : swapUsage + (usage ?? 0n),
      undefined,
      undefined,
    );
    out.kernel = empty;
    out.kernelTCP = empty;
  }
  put(out, 'raw', raw);
  return out;
}

function pidsStats(dirs: ControllerDirs): Obj {
  const d = dirs.dir('pids');
  const out: Obj = {};
  if (!d) return out;
  put(out, 'current', u64(d.path, 'pids.current'));
  put(out, 'limit', u64(d.path, 'pids.max', 0n)); // "max": no limit, omitted as by runc
  return out;
}

/** blkio entries "MAJ:MIN Op value" (v1); the Total line has no device and is left out. */
function blkioV1(dir: string, file: string): Obj[] {
  const out: Obj[] = [];
  for (const line of (read(dir, file) ?? '').split('\n')) {
    const m = /^(\d+):(\d+)\s+(\S+)\s+(\d+)$/.exec(line.trim());
    if (!m) continue;
    const e: Obj = {};
    put(e, 'major', BigInt(m[1]!));
    put(e, 'minor', BigInt(m[2]!));
    e.op = m[3]!;
    put(e, 'value', BigInt(m[4]!));
    out.push(e);
  }
  return out;
}

function blkioStats(dirs: ControllerDirs): Obj {
  const d = dirs.dir(dirs.dir('blkio') ? 'blkio' : 'io');
  const out: Obj = {};
  if (!d) return out;
  if (!d.v2) {
    // The CFQ files when that scheduler accounts, else the throttling layer's (as runc).
    const pick = (name: string): Obj[] => {
      const cfq = blkioV1(d.path, `blkio.${name}`);
      return cfq.length ? cfq : blkioV1(d.path, `blkio.throttle.${name}`);
    };
    put(out, 'ioServiceBytesRecursive', pick('io_service_bytes_recursive'));
    put(out, 'ioServicedRecursive', pick('io_serviced_recursive'));
    return out;
  }
  // io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N ...".
  const bytes: Obj[] = [];
  const ios: Obj[] = [];
  for (const line of (read(d.path, 'io.stat') ?? '').split('\n')) {
    const [dev, ...kv] = line.trim().split(/\s+/);
    const mm = /^(\d+):(\d+)$/.exec(dev ?? '');
    if (!mm) continue;
    const vals = new Map(kv.map((p) => p.split('=') as [string, string]));
    const entry = (op: string, v: string | undefined): Obj => {
      const e: Obj = {};
      put(e, 'major', BigInt(mm[1]!));
      put(e, 'minor', BigInt(mm[2]!));
      e.op = op;
      put(e, 'value', v !== undefined && /^\d+$/.test(v) ? BigInt(v) : undefined);
      return e;
    };
    bytes.push(entry('Read', vals.get('rbytes')), entry('Write', vals.get('wbytes')));
    ios.push(entry('Read', vals.get('rios')), entry('Write', vals.get('wios')));
  }
  put(out, 'ioServiceBytesRecursive', bytes);
  put(out, 'ioServicedRecursive', ios);
  return out;
}

function hugetlbStats(dirs: ControllerDirs): Obj {
  const d = dirs.dir('hugetlb');
  const out: Obj = {};
  if (!d) return out;
  let files: string[];
  try {
    files = readdirSync(d.path);
  } catch {
    return out;
  }
  const sizes = new Set(files.map((f) => /^hugetlb\.([^.]+)\./.exec(f)?.[1]).filter((s): s is string => s !== undefined));
  for (const size of sizes) {
    const e: Obj = {};
    if (d.v2) {
      put(e, 'usage', u64(d.path, `hugetlb.${size}.current`));
      e.failcnt = keyed(d.path, `hugetlb.${size}.events`).get('max') ?? 0n;
    } else {
      put(e, 'usage', u64(d.path, `hugetlb.${size}.usage_in_bytes`));
      put(e, 'max', u64(d.path, `hugetlb.${size}.max_usage_in_bytes`));
      e.failcnt = u64(d.path, `hugetlb.${size}.failcnt`) ?? 0n;
    }
    out[size] = e;
  }
  return out;
}

/** The statistics of the cgroup `rel` (relative to every hierarchy's root). */
export function cgroupStats(rel: string): Obj {
  const dirs = controllerDirs(rel);
  return {
    cpu: cpuStats(dirs, rel),
    cpuset: cpusetStats(dirs),
    memory: memoryStats(dirs),
    pids: pidsStats(dirs),
    blkio: blkioStats(dirs),
    hugetlb: hugetlbStats(dirs),
    intel_rdt: {},
    network_interfaces: null,
  };
}

/**
 * How many processes of the cgroup `rel` the OOM killer has killed (memory.events on
 * cgroup2, memory.oom_control on v1); undefined when that cannot be read.
 */
export function oomKills(rel: string): bigint | undefined {
  const d = controllerDirs(rel).dir('memory');
  if (!d) return undefined;
  return keyed(d.path, d.v2 ? 'memory.events' : 'memory.oom_control').get('oom_kill');
}

/** JSON text with bigints as plain numbers (JSON.stringify refuses them). */
export function toJson(v: Json): string {
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`)
    .join(',')}}`;
}
