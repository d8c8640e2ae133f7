// Files a v1 limit is written to on this host: weights go to BFQ's blkio.bfq.weight* where
// the kernel has no CFQ blkio.weight* (as runc does); hugetlb reservation limits are left
// out where the kernel has none; every other file keeps its name.
import type { CgroupLimit } from '../limits.js';
import { isRsvd } from './hugetlb.js';

const BFQ: Record<string, string> = { 'blkio.weight': 'blkio.bfq.weight', 'blkio.weight_device': 'blkio.bfq.weight_device' };

export function resolveV1Files(limits: readonly CgroupLimit[], has: (file: string) => boolean): CgroupLimit[] {
  return limits.filter((l) => !isRsvd(l.file) || has(l.file)).map((l) => {
    const bfq = BFQ[l.file];
    return bfq && !has(l.file) && has(bfq) ? { ...l, file: bfq } : l;
  });
}
