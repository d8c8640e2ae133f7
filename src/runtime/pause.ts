// pause and resume: freeze or thaw every process of the container's cgroup.
import { setFrozen } from '../cgroup/freezer.js';
import { cgroupMounts, unifiedDir } from '../cgroup/mounts.js';
import type { Container } from './container.js';
import { RuntimeError } from '../base/errors.js';
import { checkOperation } from './operations.js';

function cgroupDir(c: Container): string {
  const dir = unifiedDir(cgroupMounts(), c.record.cgroup.container);
  if (!dir) throw new RuntimeError('system', 'pause needs the cgroup2 freezer: no cgroup2 hierarchy is mounted');
  return dir;
}

export async function pause(c: Container, timeoutMs: number): Promise<void> {
  checkOperation(c.record, 'pause');
  await setFrozen(cgroupDir(c), true, Date.now() + timeoutMs);
}

export async function resume(c: Container, timeoutMs: number): Promise<void> {
  checkOperation(c.record, 'resume');
  await setFrozen(cgroupDir(c), false, Date.now() + timeoutMs);
}
