// linux.resources.hugepageLimits → hugetlb.<pageSize>.max (bytes), e.g. hugetlb.2MB.max.
// The kernel names the files by page size in its own spelling (64KB, 2MB, 1GB), which the
// spec's pattern ^[1-9][0-9]*[KMG]B$ matches; a size the host lacks has no file and fails.
import { type CgroupLimit, decimal, limit } from './limits.js';
import { hugepageLimits } from './specfields.js';

export function hugetlbLimits(v: unknown): CgroupLimit[] {
  return hugepageLimits(v).map(({ field, size, bytes }) => limit(field, `hugetlb.${size}.max`, decimal(bytes)));
}
