// The linux.resources fields whose reading is the same for cgroup v1 and v2 (their range
// checks and wording); the v1/ and v2 converters differ only in the files they write.
import { arrayField, type CgroupLimit, intField, limit, LimitError, objectField, stringField } from './limits.js';

/** A cpu or memory node list: "0-3,5". */
export const CPU_LIST = /^\s*(\d+(-\d+)?)(\s*,\s*\d+(-\d+)?)*\s*$/;

/** A blkio weight [10, 1000]; 0 or absent = unset. */
export function blkioWeight(field: string, v: unknown): number | undefined {
  const w = intField(field, v, 0);
  if (w === undefined || w === 0) return undefined;
  if (w < 10 || w > 1000) throw new LimitError(field, `must be between 10 and 1000, got ${w}`);
  return w;
}

/** A blockIO device entry's "MAJ:MIN". */
export function deviceNumber(field: string, d: Record<string, unknown>): string {
  const major = intField(`${field}.major`, d.major, 0);
  const minor = intField(`${field}.minor`, d.minor, 0);
  if (major === undefined || minor === undefined) throw new LimitError(field, 'needs major and minor');
  return `${major}:${minor}`;
}

export const THROTTLE_FIELDS = ['throttleReadBpsDevice', 'throttleWriteBpsDevice', 'throttleReadIOPSDevice', 'throttleWriteIOPSDevice'] as const;
export type ThrottleField = (typeof THROTTLE_FIELDS)[number];

export interface Throttle {
  name: ThrottleField;
  field: string;
  dev: string;
  rate: number;
}

/** blockIO's throttle entries in field order, then list order. */
export function throttles(b: Record<string, unknown>): Throttle[] {
  return THROTTLE_FIELDS.flatMap((name) =>
    arrayField(`blockIO.${name}`, b[name]).map((x, i) => {
      const field = `blockIO.${name}[${i}]`;
      const d = objectField(field, x) ?? {};
      const dev = deviceNumber(field, d);
      const rate = intField(`${field}.rate`, d.rate, 0);
      if (rate === undefined) throw new LimitError(`${field}.rate`, 'is required');
      return { name, field, dev, rate };
    }),
  );
}

export interface HugepageLimit {
  field: string;
  /** The kernel's own spelling of the page size (64KB, 2MB, 1GB), as the files are named. */
  size: string;
  bytes: number;
}

export function hugepageLimits(v: unknown): HugepageLimit[] {
  return arrayField('hugepageLimits', v).map((x, i) => {
    const field = `hugepageLimits[${i}]`;
    const h = objectField(field, x) ?? {};
    const size = stringField(`${field}.pageSize`, h.pageSize);
    if (size === undefined || !/^[1-9][0-9]*[KMG]B$/.test(size)) throw new LimitError(`${field}.pageSize`, `invalid page size ${JSON.stringify(h.pageSize)}`);
    const bytes = intField(`${field}.limit`, h.limit, 0);
    if (bytes === undefined) throw new LimitError(`${field}.limit`, 'is required');
    return { field, size, bytes };
  });
}

/** cpu.idle (same file in both versions) and the cpuset lists. */
export function idleAndCpuset(c: Record<string, unknown>): CgroupLimit[] {
  const out: CgroupLimit[] = [];
  const idle = intField('cpu.idle', c.idle);
  if (idle !== undefined) {
    if (idle !== 0 && idle !== 1) throw new LimitError('cpu.idle', `must be 0 or 1, got ${idle}`);
    out.push(limit('cpu.idle', 'cpu.idle', idle));
  }
  for (const k of ['cpus', 'mems'] as const) {
    const list = stringField(`cpu.${k}`, c[k]);
    if (list === undefined || list === '') continue;
    if (!CPU_LIST.test(list)) throw new LimitError(`cpu.${k}`, `invalid list "${list}" (expected e.g. "0-3,5")`);
    out.push(limit(`cpu.${k}`, `cpuset.${k}`, list.replace(/\s+/g, '')));
  }
  return out;
}
