// linux.resources.hugepageLimits → hugetlb.<pageSize>.limit_in_bytes of cgroup v1 (the
// kernel's own size spelling, as in cgroup v2; a size the host lacks has no file).
import { arrayField, type CgroupLimit, decimal, intField, limit, LimitError, objectField, stringField } from '../limits.js';

export function hugetlbV1Limits(v: unknown): CgroupLimit[] {
  return arrayField('hugepageLimits', v).map((x, i) => {
    const field = `hugepageLimits[${i}]`;
    const h = objectField(field, x) ?? {};
    const size = stringField(`${field}.pageSize`, h.pageSize);
    if (size === undefined || !/^[1-9][0-9]*[KMG]B$/.test(size)) throw new LimitError(`${field}.pageSize`, `invalid page size ${JSON.stringify(h.pageSize)}`);
    const n = intField(`${field}.limit`, h.limit, 0);
    if (n === undefined) throw new LimitError(`${field}.limit`, 'is required');
    return limit(field, `hugetlb.${size}.limit_in_bytes`, decimal(n));
  });
}
