// linux.resources.blockIO → the cgroup v1 blkio controller's files. Weights need an I/O
// scheduler that provides them (blkio.weight with CFQ, blkio.bfq.weight with BFQ; see
// v1/files.ts); throttles are one "MAJ:MIN RATE" write per device, a rate of 0 lifting
// the device's limit.
import { arrayField, type CgroupLimit, decimal, limit, objectField } from '../limits.js';
import { blkioWeight, deviceNumber, type ThrottleField, throttles } from '../specfields.js';

const THROTTLE_FILES: Record<ThrottleField, string> = {
  throttleReadBpsDevice: 'blkio.throttle.read_bps_device',
  throttleWriteBpsDevice: 'blkio.throttle.write_bps_device',
  throttleReadIOPSDevice: 'blkio.throttle.read_iops_device',
  throttleWriteIOPSDevice: 'blkio.throttle.write_iops_device',
};

export function blkioV1Limits(v: unknown): CgroupLimit[] {
  const b = objectField('blockIO', v);
  if (!b) return [];
  const out: CgroupLimit[] = [];
  const w = blkioWeight('blockIO.weight', b.weight);
  if (w !== undefined) out.push(limit('blockIO.weight', 'blkio.weight', w));
  const lw = blkioWeight('blockIO.leafWeight', b.leafWeight);
  if (lw !== undefined) out.push(limit('blockIO.leafWeight', 'blkio.leaf_weight', lw));
  arrayField('blockIO.weightDevice', b.weightDevice).forEach((x, i) => {
    const field = `blockIO.weightDevice[${i}]`;
    const d = objectField(field, x) ?? {};
    const dev = deviceNumber(field, d);
    const dw = blkioWeight(`${field}.weight`, d.weight);
    if (dw !== undefined) out.push(limit(field, 'blkio.weight_device', `${dev} ${dw}`));
    const dl = blkioWeight(`${field}.leafWeight`, d.leafWeight);
    if (dl !== undefined) out.push(limit(field, 'blkio.leaf_weight_device', `${dev} ${dl}`));
  });
  for (const t of throttles(b)) out.push(limit(t.field, THROTTLE_FILES[t.name], `${t.dev} ${decimal(t.rate)}`));
  return out;
}
