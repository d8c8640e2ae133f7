// The cgroup v2 freezer (cgroup.freeze, cgroup.events "frozen"): part of every cgroup2
// hierarchy, so pause and resume work on hybrid hosts as well.
import { readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../base/errors.js';
import { pollUntil } from '../base/wait.js';

/** True when the cgroup is frozen (a missing cgroup is not). */
export function isFrozen(dir: string): boolean {
  try {
    return /^frozen 1$/m.test(readFileSync(join(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** Freeze or thaw the cgroup and wait until the kernel says it is done. */
export async function setFrozen(dir: string, frozen: boolean, deadline: number): Promise<void> {
  try {
    await writeFile(join(dir, 'cgroup.freeze'), frozen ? '1' : '0');
  } catch (err) {
    throw new RuntimeError('system', `cannot ${frozen ? 'freeze' : 'thaw'} cgroup ${dir}: ${(err as Error).message}`);
  }
  const done = async (): Promise<boolean> => /^frozen (\d)$/m.exec(await readFile(join(dir, 'cgroup.events'), 'utf8'))?.[1] === (frozen ? '1' : '0');
  if (!(await pollUntil(done, deadline, 1))) {
    throw new RuntimeError('timeout', `timed out waiting for cgroup ${dir} to ${frozen ? 'freeze' : 'thaw'}`);
  }
}
