// A container must get a cgroup of its own: one that already holds processes belongs to
// something else (another container, a pod's infra process) and is refused.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupMounts } from './mounts.js';
import { RuntimeError } from '../base/errors.js';

export async function checkCgroupFree(mounts: CgroupMounts, rel: string): Promise<void> {
  if (!mounts.unified) return;
  let events: string;
  try {
    events = await readFile(join(mounts.unified, rel, 'cgroup.events'), 'utf8');
  } catch {
    return; // does not exist yet
  }
  if (/^populated 1$/m.test(events)) {
    throw new RuntimeError('invalid-spec', `cgroup ${rel} already has processes: a container needs a cgroup of its own`);
  }
}
