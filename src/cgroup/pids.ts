// linux.resources.pids → pids.max. A limit of 0 or less is "no limit": "max" is written
// (lxcri in Go wrote -1 verbatim, which the kernel rejects).
import { type CgroupLimit, decimal, intField, limit, LimitError, objectField } from './limits.js';

export function pidsLimits(v: unknown): CgroupLimit[] {
  const p = objectField('pids', v);
  if (!p) return [];
  const n = intField('pids.limit', p.limit);
  if (n === undefined) throw new LimitError('pids.limit', 'is required');
  return [limit('pids.limit', 'pids.max', n <= 0 ? 'max' : decimal(n))];
}
