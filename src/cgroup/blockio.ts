// linux.resources.blockIO → io.weight and io.max.
//
// Weights: cgroup v1 blkio.weight [10, 1000] → io.weight [1, 10000] with runc's linear
// conversion (opencontainers/cgroups ConvertBlkIOToIOWeightValue: 1 + (w-10)*9999/990);
// the default weight is "default N", a device's weight "MAJ:MIN N". runc and crun write
// io.bfq.weight (unconverted) instead when the BFQ scheduler provides it; lxcri always
// writes io.weight, which the kernel applies through io.cost or, with BFQ, maps itself.
// leafWeight has no cgroup v2 equivalent and is refused.
// Throttles → one io.max line per device, "MAJ:MIN rbps=N wbps=N riops=N wiops=N"; a rate
// of 0 (cgroup v1: no limit) is "max".
import { arrayField, type CgroupLimit, decimal, intField, limit, LimitError, objectField } from './limits.js';
import { blkioWeight, deviceNumber, THROTTLE_FIELDS, type ThrottleField, throttles } from './specfields.js';

/** blkio weight → io.weight; 0 = unset. */
export function blkioToIoWeight(w: number): number {
  if (w === 0) return 0;
  return 1 + Math.floor(((w - 10) * 9999) / 990);
}

function weight(field: string, v: unknown): number | undefined {
  const w = blkioWeight(field, v);
  return w === undefined ? undefined : blkioToIoWeight(w);
}

function noLeafWeight(field: string, v: unknown): void {
  const w = intField(field, v, 0);
  if (w !== undefined && w !== 0) throw new LimitError(field, 'cgroup v2 has no leaf weight');
}

const THROTTLE_KEYS: Record<ThrottleField, string> = {
  throttleReadBpsDevice: 'rbps',
  throttleWriteBpsDevice: 'wbps',
  throttleReadIOPSDevice: 'riops',
  throttleWriteIOPSDevice: 'wiops',
};

export function blockIOLimits(v: unknown): CgroupLimit[] {
  const b = objectField('blockIO', v);
  if (!b) return [];
  const out: CgroupLimit[] = [];
  const w = weight('blockIO.weight', b.weight);
  if (w !== undefined) out.push(limit('blockIO.weight', 'io.weight', `default ${w}`));
  noLeafWeight('blockIO.leafWeight', b.leafWeight);
  arrayField('blockIO.weightDevice', b.weightDevice).forEach((x, i) => {
    const field = `blockIO.weightDevice[${i}]`;
    const d = objectField(field, x) ?? {};
    const dev = deviceNumber(field, d);
    noLeafWeight(`${field}.leafWeight`, d.leafWeight);
    const dw = weight(`${field}.weight`, d.weight);
    if (dw !== undefined) out.push(limit(field, 'io.weight', `${dev} ${dw}`));
  });
  // One line per device, its keys in a fixed order; a later entry for a key wins.
  const perDevice = new Map<string, { field: string; keys: Map<string, string> }>();
  for (const t of throttles(b)) {
    const entry = perDevice.get(t.dev) ?? { field: t.field, keys: new Map<string, string>() };
    entry.keys.set(THROTTLE_KEYS[t.name], t.rate === 0 ? 'max' : decimal(t.rate));
    perDevice.set(t.dev, entry);
  }
  for (const [dev, { field, keys }] of perDevice) {
    const parts = THROTTLE_FIELDS.map((f) => THROTTLE_KEYS[f]).filter((k) => keys.has(k)).map((k) => `${k}=${keys.get(k)}`);
    out.push(limit(field, 'io.max', `${dev} ${parts.join(' ')}`));
  }
  return out;
}
