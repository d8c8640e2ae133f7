// linux.resources.memory → memory.max, memory.low, memory.swap.max.
//
// Units follow runc and crun (libcontainer/cgroups/utils.go ConvertMemorySwapToCgroupV2Value,
// crun's cgroup-resources.c): the spec's swap is cgroup v1's memory+swap total, cgroup v2's
// memory.swap.max is swap alone, so memory.swap.max = swap - limit. -1 is "max"; 0 is unset.
// kernel, kernelTCP and swappiness have no cgroup v2 file (kernel memory is charged to
// memory.max anyway), nor has disableOOMKiller (no memory.oom_control): they are refused
// when asking for anything but the default.
import { boolField, type CgroupLimit, decimal, intField, limit, LimitError, objectField } from './limits.js';

const bytes = (n: number): string => (n === -1 ? 'max' : decimal(n));

/** -1 (unlimited), 0 (unset) or a positive byte count. */
function amount(field: string, v: unknown): number | undefined {
  const n = intField(field, v, -1);
  return n === 0 ? undefined : n;
}

/** memory.swap.max from the spec's memory+swap and memory limits (both may be unset). */
export function swapMax(swap: number | undefined, mem: number | undefined): string | undefined {
  // Unlimited memory and no swap given: both unlimited, as on cgroup v1.
  if (swap === undefined) return mem === -1 ? 'max' : undefined;
  if (swap === -1) return 'max';
  if (mem === undefined || mem === -1) throw new LimitError('memory.swap', 'a swap limit needs a memory limit (swap is memory+swap, as on cgroup v1)');
  if (swap < mem) throw new LimitError('memory.swap', `memory+swap (${swap}) must not be less than memory.limit (${mem})`);
  return decimal(swap - mem);
}

export function memoryLimits(v: unknown): CgroupLimit[] {
  const m = objectField('memory', v);
  if (!m) return [];
  const out: CgroupLimit[] = [];
  const mem = amount('memory.limit', m.limit);
  const low = amount('memory.reservation', m.reservation);
  const swap = amount('memory.swap', m.swap);
  if (mem !== undefined) out.push(limit('memory.limit', 'memory.max', bytes(mem)));
  if (low !== undefined) out.push(limit('memory.reservation', 'memory.low', bytes(low)));
  const sw = swapMax(swap, mem);
  if (sw !== undefined) out.push(limit('memory.swap', 'memory.swap.max', sw));

  for (const k of ['kernel', 'kernelTCP'] as const) {
    const n = intField(`memory.${k}`, m[k]);
    if (n !== undefined && n !== 0 && n !== -1) throw new LimitError(`memory.${k}`, 'kernel memory limits do not exist in cgroup v2 (kernel memory counts against memory.limit)');
  }
  const swappiness = intField('memory.swappiness', m.swappiness);
  // Docker-style "unset" is -1 as a uint64, which JSON numbers round to 2^64.
  if (swappiness !== undefined && swappiness < 2 ** 63) throw new LimitError('memory.swappiness', 'cgroup v2 has no per-cgroup swappiness');
  if (boolField('memory.disableOOMKiller', m.disableOOMKiller)) throw new LimitError('memory.disableOOMKiller', 'cgroup v2 cannot disable the OOM killer');
  if (boolField('memory.useHierarchy', m.useHierarchy) === false) throw new LimitError('memory.useHierarchy', 'cgroup v2 memory accounting is always hierarchical');
  boolField('memory.checkBeforeUpdate', m.checkBeforeUpdate);
  return out;
}
