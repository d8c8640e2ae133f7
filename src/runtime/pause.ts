// pause and resume: freeze or thaw every process of the container's cgroup.
import { join } from 'node:path';
import { setFrozen } from '../cgroup/freezer.js';
import { cgroupMounts } from '../cgroup/mounts.js';
import type { Container } from './container.js';
import { RuntimeError } from './errors.js';
import { checkOperation } from './operations.js';

function cgroupDir(c: Container): string {
  const unified = cgroupMounts().unified;
  if (!unified) throw new RuntimeError('system', 'pause needs the cgroup2 freezer: no cgroup2 hierarchy is mounted');
  return join(unified, c.record.cgroup.container);
}

export async function pause(c: Container, timeoutMs: number): Promise<void> {
  checkOperation(c.record, 'pause');
  await setFrozen(cgroupDir(c), true, Date.now() + timeoutMs);
}

export async function resume(c: Container, timeoutMs: number): Promise<void> {
  checkOperation(c.record, 'resume');
  await setFrozen(cgroupDir(c), false, Date.now() + timeoutMs);
}
