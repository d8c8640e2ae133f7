// OCI linux.resources → the cgroup v2 files and values of the container's cgroup, with
// cgroup v1 units converted as runc and crun do (see each converter). Device rules are
// liblxc's (src/lxc/devicerules.ts) and not handled here. Pure: no host access.
import { blockIOLimits } from './blockio.js';
import { cpuLimits } from './cpu.js';
import { hugetlbLimits } from './hugetlb.js';
import { arrayField, type CgroupLimit, intField, LimitError, objectField } from './limits.js';
import { memoryLimits } from './memory.js';
import { pidsLimits } from './pids.js';
import { rdmaLimits } from './rdma.js';
import { unifiedLimits } from './unified.js';

export interface ResourceLimits {
  /** In the order they should be written. */
  limits: CgroupLimit[];
  /** The controllers these files need. */
  controllers: Set<string>;
  /** Fields accepted but not applied (cgroup v1's kernel memory), for the user. */
  warnings?: string[];
}

/** net_cls/net_prio exist only in cgroup v1: refused when asking for anything. */
function refuseNetwork(v: unknown): void {
  const n = objectField('network', v);
  if (!n) return;
  const classID = intField('network.classID', n.classID, 0);
  if (classID !== undefined && classID !== 0) throw new LimitError('network.classID', 'net_cls exists only in cgroup v1');
  if (arrayField('network.priorities', n.priorities).length) throw new LimitError('network.priorities', 'net_prio exists only in cgroup v1');
}

/** Throws LimitError for a field that is malformed or cannot be applied on cgroup v2. */
export function resourceLimits(resources: unknown): ResourceLimits {
  const r = objectField('(resources)', resources) ?? {};
  refuseNetwork(r.network);
  const limits = [
    ...cpuLimits(r.cpu),
    ...memoryLimits(r.memory),
    ...pidsLimits(r.pids),
    ...blockIOLimits(r.blockIO),
    ...hugetlbLimits(r.hugepageLimits),
    ...rdmaLimits(r.rdma),
    ...unifiedLimits(r.unified),
  ];
  return { limits, controllers: new Set(limits.map((l) => l.controller)) };
}
