// linux.resources.memory → the cgroup v1 memory controller's files, as runc's fs manager
// writes them: the spec's units are cgroup v1's, so values go in unconverted and -1 means
// no limit. swap is memory+swap (memory.memsw.limit_in_bytes), which the kernel keeps at or
// above memory.limit_in_bytes: see v1/write.ts for the order of an update.
// `kernel` follows runc >= 1.0 (opencontainers/runc#2840): ignored with a warning, as the
// kernel deprecated memory.kmem.limit_in_bytes in 5.4 and refuses it since 6.1.
// kernelTCP (memory.kmem.tcp.limit_in_bytes) is still a kernel setting and is applied.
import { boolField, type CgroupLimit, decimal, intField, limit, LimitError, objectField } from '../limits.js';

export const MEMORY_LIMIT = 'memory.limit_in_bytes';
export const MEMSW_LIMIT = 'memory.memsw.limit_in_bytes';

/** -1 (unlimited), 0 (unset) or a positive byte count. */
function amount(field: string, v: unknown): number | undefined {
  const n = intField(field, v, -1);
  return n === 0 ? undefined : n;
}

export function memoryV1Limits(v: unknown, warn: (w: string) => void): CgroupLimit[] {
  const m = objectField('memory', v);
  if (!m) return [];
  const out: CgroupLimit[] = [];
  const mem = amount('memory.limit', m.limit);
  let swap = amount('memory.swap', m.swap);
  // Unlimited memory without a swap limit: memory+swap unlimited too, or the kernel
  // refuses to raise memory above the old memory+swap limit (runc does the same).
  if (mem === -1 && swap === undefined) swap = -1;
  if (swap !== undefined && swap !== -1) {
    if (mem === undefined || mem === -1) throw new LimitError('memory.swap', 'a swap limit needs a memory limit (swap is memory+swap)');
    if (swap < mem) throw new LimitError('memory.swap', `memory+swap (${swap}) must not be less than memory.limit (${mem})`);
  }
  if (mem !== undefined) out.push(limit('memory.limit', MEMORY_LIMIT, decimal(mem)));
  if (swap !== undefined) out.push(limit('memory.swap', MEMSW_LIMIT, decimal(swap)));
  const low = amount('memory.reservation', m.reservation);
  if (low !== undefined) out.push(limit('memory.reservation', 'memory.soft_limit_in_bytes', decimal(low)));

  const kernel = intField('memory.kernel', m.kernel);
  if (kernel !== undefined && kernel !== 0) warn('linux.resources.memory.kernel is ignored: kernel memory limits are deprecated (Linux 5.4) and not applied, as by runc');
  const tcp = amount('memory.kernelTCP', m.kernelTCP);
  if (tcp !== undefined) out.push(limit('memory.kernelTCP', 'memory.kmem.tcp.limit_in_bytes', decimal(tcp)));

  const swappiness = intField('memory.swappiness', m.swappiness, 0);
  // Docker-style "unset" is -1 as a uint64, which JSON numbers round to 2^64.
  if (swappiness !== undefined && swappiness < 2 ** 63) {
    if (swappiness > 100) throw new LimitError('memory.swappiness', `must be between 0 and 100, got ${swappiness}`);
    out.push(limit('memory.swappiness', 'memory.swappiness', swappiness));
  }
  if (boolField('memory.disableOOMKiller', m.disableOOMKiller)) out.push(limit('memory.disableOOMKiller', 'memory.oom_control', 1));
  if (boolField('memory.useHierarchy', m.useHierarchy) === false) throw new LimitError('memory.useHierarchy', 'the kernel\'s memory accounting is always hierarchical');
  boolField('memory.checkBeforeUpdate', m.checkBeforeUpdate);
  return out;
}
