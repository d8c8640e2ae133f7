// linux.resources.unified: raw cgroup v2 files and values, written as given (after the
// converted fields, so they win). A key must be a plain file name of a controller
// ("memory.high"); the cgroup core's own files are refused except the two limits among
// them, since writing cgroup.procs, cgroup.subtree_control etc. would move processes or
// change the hierarchy behind the runtime's back.
import { type CgroupLimit, limit, LimitError, objectField } from './limits.js';

const CORE_LIMITS = new Set(['cgroup.max.descendants', 'cgroup.max.depth']);

export function checkUnifiedKey(key: string): void {
  const field = `unified.${key}`;
  if (key === '' || key.includes('/') || key.includes('\0') || key === '.' || key === '..') throw new LimitError(field, 'must be a file name');
  if (!/^[a-z0-9_]+\.[A-Za-z0-9_.]+$/.test(key)) throw new LimitError(field, 'is not a cgroup interface file name (controller.file)');
  if (key.startsWith('cgroup.') && !CORE_LIMITS.has(key)) throw new LimitError(field, 'cgroup core files cannot be set');
}

export function unifiedLimits(v: unknown): CgroupLimit[] {
  const u = objectField('unified', v);
  if (!u) return [];
  return Object.entries(u).map(([key, value]) => {
    checkUnifiedKey(key);
    if (typeof value !== 'string') throw new LimitError(`unified.${key}`, 'must be a string');
    if (/[\n\r\0]/.test(value)) throw new LimitError(`unified.${key}`, 'must be one line');
    return limit(`unified.${key}`, key, value);
  });
}
