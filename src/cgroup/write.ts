// Writing limits into a live cgroup (update). cgroup v2's files are independent of each
// other (memory.swap.max counts swap alone, where cgroup v1's memsw limit had to stay at
// or above the memory limit, forcing an order), so they are written in conversion order.
// The first failing write stops the update; the message names it and what was written.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../base/errors.js';
import type { CgroupLimit } from './limits.js';

export class WriteError extends Error {
  constructor(
    message: string,
    readonly written: string[],
  ) {
    super(message);
    this.name = 'WriteError';
  }
}

/** memory.current of a cgroup in bytes, if readable. */
export function memoryUsage(dir: string): number | undefined {
  try {
    return Number(readFileSync(join(dir, 'memory.current'), 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** `dir` is the cgroup, or (cgroup v1) the container's cgroup in the limit's hierarchy. */
export function writeLimits(dir: string | ((l: CgroupLimit) => string), limits: readonly CgroupLimit[]): void {
  const written: string[] = [];
  for (const l of limits) {
    try {
      // One write per line: the kernel parses each write(2) as one setting.
      writeFileSync(join(typeof dir === 'string' ? dir : dir(l), l.file), l.value);
    } catch (err) {
      const done = written.length ? ` (already written: ${written.join(', ')})` : '';
      throw new WriteError(`cannot set ${l.file} to "${l.value}" (linux.resources.${l.field}): ${errorMessage(err)}${done}`, written);
    }
    written.push(l.file);
  }
}
