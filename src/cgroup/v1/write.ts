// Writing cgroup v1 limits into a live container (update). The kernel keeps
// memory.memsw.limit_in_bytes (memory+swap) at or above memory.limit_in_bytes, so an update
// raising both must write memory+swap first and one lowering both memory first: as runc,
// memory+swap goes first when it is unlimited or above the current memory limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupLimit } from '../limits.js';
import { writeLimits } from '../write.js';
import type { V1Hierarchies } from './hierarchies.js';
import { MEMORY_LIMIT, MEMSW_LIMIT } from './memory.js';

/** A v1 byte value ("-1" or a count) as a bigint; the kernel shows "no limit" as a huge count. */
const bytes = (s: string): bigint => (s.trim() === '-1' ? 2n ** 64n : BigInt(s.trim()));

export function orderV1Writes(limits: readonly CgroupLimit[], currentMemory: () => string | undefined): CgroupLimit[] {
  const mem = limits.findIndex((l) => l.file === MEMORY_LIMIT);
  const sw = limits.findIndex((l) => l.file === MEMSW_LIMIT);
  if (mem < 0 || sw < 0 || sw < mem) return [...limits];
  const cur = currentMemory();
  if (cur === undefined || bytes(cur) > bytes(limits[sw]!.value)) return [...limits];
  const out = limits.filter((_, i) => i !== sw);
  out.splice(mem, 0, limits[sw]!);
  return out;
}

/** The container's cgroup `rel` in the hierarchy of `controller`. */
export function v1Dir(h: V1Hierarchies, controller: string, rel: string): string | undefined {
  const mount = h.get(controller);
  return mount === undefined ? undefined : join(mount, rel);
}

const readOr = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** memory.usage_in_bytes of the container's v1 memory cgroup, if readable. */
export function memoryUsageV1(h: V1Hierarchies, rel: string): number | undefined {
  const dir = v1Dir(h, 'memory', rel);
  const s = dir && readOr(join(dir, 'memory.usage_in_bytes'));
  return s ? Number(s.trim()) : undefined;
}

/** Write limits whose controllers all exist (checked before) into the container's cgroups. */
export function writeV1Limits(h: V1Hierarchies, rel: string, limits: readonly CgroupLimit[]): void {
  const memDir = v1Dir(h, 'memory', rel);
  const ordered = orderV1Writes(limits, () => (memDir ? readOr(join(memDir, MEMORY_LIMIT)) : undefined));
  writeLimits((l) => v1Dir(h, l.controller, rel)!, ordered);
}
