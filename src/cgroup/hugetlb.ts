// linux.resources.hugepageLimits → hugetlb.<pageSize>.max (bytes), e.g. hugetlb.2MB.max.
// The kernel names the files by page size in its own spelling (64KB, 2MB, 1GB), which the
// spec's pattern ^[1-9][0-9]*[KMG]B$ matches; a size the host lacks has no file and fails.
import { arrayField, type CgroupLimit, decimal, intField, limit, LimitError, objectField, stringField } from './limits.js';

export function hugetlbLimits(v: unknown): CgroupLimit[] {
  return arrayField('hugepageLimits', v).map((x, i) => {
    const field = `hugepageLimits[${i}]`;
    const h = objectField(field, x) ?? {};
    const size = stringField(`${field}.pageSize`, h.pageSize);
    if (size === undefined || !/^[1-9][0-9]*[KMG]B$/.test(size)) throw new LimitError(`${field}.pageSize`, `invalid page size ${JSON.stringify(h.pageSize)}`);
    const n = intField(`${field}.limit`, h.limit, 0);
    if (n === undefined) throw new LimitError(`${field}.limit`, 'is required');
    return limit(field, `hugetlb.${size}.max`, decimal(n));
  });
}
