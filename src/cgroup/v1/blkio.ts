// linux.resources.blockIO → the cgroup v1 blkio controller's files. Weights need an I/O
// scheduler that provides them (blkio.weight with CFQ, blkio.bfq.weight with BFQ; see
// v1/files.ts); throttles are one "MAJ:MIN RATE" write per device, a rate of 0 lifting
// the device's limit.
import { arrayField, type CgroupLimit, decimal, intField, limit, LimitError, objectField } from '../limits.js';

function weight(field: string, v: unknown): number | undefined {
  const w = intField(field, v, 0);
  if (w === undefined || w === 0) return undefined;
  if (w < 10 || w > 1000) throw new LimitError(field, `must be between 10 and 1000, got ${w}`);
  return w;
}

function device(field: string, d: Record<string, unknown>): string {
  const major = intField(`${field}.major`, d.major, 0);
  const minor = intField(`${field}.minor`, d.minor, 0);
  if (major === undefined || minor === undefined) throw new LimitError(field, 'needs major and minor');
  return `${major}:${minor}`;
}

const THROTTLES = [
  ['throttleReadBpsDevice', 'blkio.throttle.read_bps_device'],
  ['throttleWriteBpsDevice', 'blkio.throttle.write_bps_device'],
  ['throttleReadIOPSDevice', 'blkio.throttle.read_iops_device'],
  ['throttleWriteIOPSDevice', 'blkio.throttle.write_iops_device'],
] as const;

export function blkioV1Limits(v: unknown): CgroupLimit[] {
  const b = objectField('blockIO', v);
  if (!b) return [];
  const out: CgroupLimit[] = [];
  const w = weight('blockIO.weight', b.weight);
  if (w !== undefined) out.push(limit('blockIO.weight', 'blkio.weight', w));
  const lw = weight('blockIO.leafWeight', b.leafWeight);
  if (lw !== undefined) out.push(limit('blockIO.leafWeight', 'blkio.leaf_weight', lw));
  arrayField('blockIO.weightDevice', b.weightDevice).forEach((x, i) => {
    const field = `blockIO.weightDevice[${i}]`;
    const d = objectField(field, x) ?? {};
    const dev = device(field, d);
    const dw = weight(`${field}.weight`, d.weight);
    if (dw !== undefined) out.push(limit(field, 'blkio.weight_device', `${dev} ${dw}`));
    const dl = weight(`${field}.leafWeight`, d.leafWeight);
    if (dl !== undefined) out.push(limit(field, 'blkio.leaf_weight_device', `${dev} ${dl}`));
  });
  for (const [name, file] of THROTTLES) {
    arrayField(`blockIO.${name}`, b[name]).forEach((x, i) => {
      const field = `blockIO.${name}[${i}]`;
      const d = objectField(field, x) ?? {};
      const dev = device(field, d);
      const rate = intField(`${field}.rate`, d.rate, 0);
      if (rate === undefined) throw new LimitError(`${field}.rate`, 'is required');
      out.push(limit(field, file, `${dev} ${decimal(rate)}`));
    });
  }
  return out;
}
