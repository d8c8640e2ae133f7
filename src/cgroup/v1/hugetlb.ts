// linux.resources.hugepageLimits → hugetlb.<pageSize>.limit_in_bytes of cgroup v1 (the
// kernel's own size spelling, as in cgroup v2; a size the host lacks has no file), and the
// same value to hugetlb.<pageSize>.rsvd.limit_in_bytes, which also counts reservations, where
// the kernel has it (>= 5.7; the spec asks for it, runc >= 1.1.10 writes it). Without the
// rsvd limit a process can mmap more huge pages than allowed and die of SIGBUS on first use.
import { arrayField, type CgroupLimit, decimal, intField, limit, LimitError, objectField, stringField } from '../limits.js';

export const isRsvd = (file: string): boolean => /^hugetlb\.[^.]+\.rsvd\./.test(file);

export function hugetlbV1Limits(v: unknown): CgroupLimit[] {
  return arrayField('hugepageLimits', v).flatMap((x, i) => {
    const field = `hugepageLimits[${i}]`;
    const h = objectField(field, x) ?? {};
    const size = stringField(`${field}.pageSize`, h.pageSize);
    if (size === undefined || !/^[1-9][0-9]*[KMG]B$/.test(size)) throw new LimitError(`${field}.pageSize`, `invalid page size ${JSON.stringify(h.pageSize)}`);
    const n = intField(`${field}.limit`, h.limit, 0);
    if (n === undefined) throw new LimitError(`${field}.limit`, 'is required');
    return [limit(field, `hugetlb.${size}.rsvd.limit_in_bytes`, decimal(n)), limit(field, `hugetlb.${size}.limit_in_bytes`, decimal(n))];
  });
}
