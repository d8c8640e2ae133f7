// OCI linux.resources → the cgroup v1 files and values of the container's cgroups (one
// per hierarchy), the second backend next to ../resources.ts (cgroup v2). Pure: no host
// access; which files this host has is checked by ../controllers.ts.
import { type CgroupLimit, LimitError, objectField } from '../limits.js';
import { pidsLimits } from '../pids.js';
import { rdmaLimits } from '../rdma.js';
import type { ResourceLimits } from '../resources.js';
import { blkioV1Limits } from './blkio.js';
import { cpuV1Limits } from './cpu.js';
import { hugetlbV1Limits } from './hugetlb.js';
import { memoryV1Limits } from './memory.js';
import { networkV1Limits } from './network.js';

export function resourceLimitsV1(resources: unknown): ResourceLimits {
  const r = objectField('(resources)', resources) ?? {};
  const warnings: string[] = [];
  const u = objectField('unified', r.unified);
  if (u && Object.keys(u).length) throw new LimitError('unified', 'cgroup v2 files cannot be set on a host whose controllers are in cgroup v1');
  const limits: CgroupLimit[] = [
    ...cpuV1Limits(r.cpu),
    ...memoryV1Limits(r.memory, (w) => warnings.push(w)),
    ...pidsLimits(r.pids),
    ...blkioV1Limits(r.blockIO),
    ...hugetlbV1Limits(r.hugepageLimits),
    ...networkV1Limits(r.network),
    ...rdmaLimits(r.rdma),
  ];
  return { limits, controllers: new Set(limits.map((l) => l.controller)), warnings };
}
