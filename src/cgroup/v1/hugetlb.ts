// linux.resources.hugepageLimits → hugetlb.<pageSize>.limit_in_bytes of cgroup v1 (the
// kernel's own size spelling, as in cgroup v2; a size the host lacks has no file), and the
// same value to hugetlb.<pageSize>.rsvd.limit_in_bytes, which also counts reservations, where
// the kernel has it (>= 5.7; the spec asks for it, runc >= 1.1.10 writes it). Without the
// rsvd limit a process can mmap more huge pages than allowed and die of SIGBUS on first use.
import { type CgroupLimit, decimal, limit } from '../limits.js';
import { hugepageLimits } from '../specfields.js';

export const isRsvd = (file: string): boolean => /^hugetlb\.[^.]+\.rsvd\./.test(file);

export function hugetlbV1Limits(v: unknown): CgroupLimit[] {
  return hugepageLimits(v).flatMap(({ field, size, bytes }) => [
    limit(field, `hugetlb.${size}.rsvd.limit_in_bytes`, decimal(bytes)),
    limit(field, `hugetlb.${size}.limit_in_bytes`, decimal(bytes)),
  ]);
}
