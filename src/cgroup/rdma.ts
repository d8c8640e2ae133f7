// linux.resources.rdma → one rdma.max line per device: "NAME hca_handle=N hca_object=N".
import { type CgroupLimit, decimal, intField, limit, LimitError, objectField } from './limits.js';

export function rdmaLimits(v: unknown): CgroupLimit[] {
  const r = objectField('rdma', v);
  if (!r) return [];
  const out: CgroupLimit[] = [];
  for (const [name, x] of Object.entries(r)) {
    const field = `rdma.${name}`;
    if (!/^[^\s=]+$/.test(name)) throw new LimitError(field, 'invalid device name');
    const d = objectField(field, x) ?? {};
    const parts: string[] = [];
    const handles = intField(`${field}.hcaHandles`, d.hcaHandles, 0);
    const objects = intField(`${field}.hcaObjects`, d.hcaObjects, 0);
    if (handles !== undefined) parts.push(`hca_handle=${decimal(handles)}`);
    if (objects !== undefined) parts.push(`hca_object=${decimal(objects)}`);
    if (parts.length) out.push(limit(field, 'rdma.max', `${name} ${parts.join(' ')}`));
  }
  return out;
}
