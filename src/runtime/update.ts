// update: change the cgroup limits of a live container (created, running or paused) from a
// runtime-spec LinuxResources object, by writing the container's cgroup v2 files or, on a
// host with v1 controllers, its cgroup v1 files (the same conversions as create).
import { join } from 'node:path';
import { limitsFor } from '../cgroup/backend.js';
import { cgroupControllers, unavailableLimits, v1Controllers, type ControllerHost } from '../cgroup/controllers.js';
import { type CgroupLimit, LimitError } from '../cgroup/limits.js';
import { cgroupMounts } from '../cgroup/mounts.js';
import { memoryUsage, writeLimits } from '../cgroup/write.js';
import { resolveV1Files } from '../cgroup/v1/files.js';
import { v1Hierarchies } from '../cgroup/v1/hierarchies.js';
import { memoryUsageV1, writeV1Limits } from '../cgroup/v1/write.js';
import type { Logger } from '../log/types.js';
import { validateSchema } from '../spec/validate.js';
import type { Container } from './container.js';
import { errorMessage, RuntimeError } from './errors.js';
import { checkOperation } from './operations.js';

const PREFIX = 'invalid resources';

/** Parse and check a LinuxResources document (update's --resources). */
export async function parseResources(text: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new RuntimeError('invalid-argument', `${PREFIX}: not JSON: ${errorMessage(err)}`);
  }
  return checkResources(body);
}

/** Check a LinuxResources object against the runtime-spec schema. */
export async function checkResources(body: unknown): Promise<Record<string, unknown>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RuntimeError('invalid-argument', `${PREFIX}: expected a JSON object (runtime-spec LinuxResources)`);
  }
  // The generated validators cover whole configs only: check it as one's linux.resources.
  await validateSchema('config', { ociVersion: '1.2.0', linux: { resources: body } }, 'resources').catch((err: unknown) => {
    throw new RuntimeError('invalid-argument', errorMessage(err).replace('/linux/resources', ''));
  });
  return body as Record<string, unknown>;
}

/** Where update writes: the container's cgroup(s), what they can take and how to write. */
interface Target {
  host: ControllerHost;
  usage(): number | undefined;
  write(limits: readonly CgroupLimit[]): void;
}

function target(rel: string): Target {
  const mounts = cgroupMounts();
  if (mounts.v1.length > 0) {
    const h = v1Hierarchies();
    return { host: v1Controllers(h, rel), usage: () => memoryUsageV1(h, rel), write: (l) => writeV1Limits(h, rel, l) };
  }
  if (!mounts.unified) throw new RuntimeError('system', 'update: this host has no cgroup2 hierarchy');
  const dir = join(mounts.unified, rel);
  return { host: cgroupControllers(dir), usage: () => memoryUsage(dir), write: (l) => writeLimits(dir, l) };
}

export async function updateContainer(c: Container, resources: Record<string, unknown>, log: Logger): Promise<void> {
  const t = target(c.record.cgroup.container);
  let conv;
  try {
    conv = limitsFor(t.host.version, resources);
  } catch (err) {
    if (err instanceof LimitError) throw new RuntimeError('invalid-argument', `${PREFIX}: ${err.field}: ${err.reason}`);
    throw err;
  }
  for (const w of conv.warnings ?? []) log.warn(w);
  if (Array.isArray(resources.devices) && resources.devices.length) log.warn('update does not change device rules; linux.resources.devices ignored');
  checkOperation(c.record, 'update');
  const limits = t.host.hasFile ? resolveV1Files(conv.limits, t.host.hasFile) : conv.limits;
  const missing = unavailableLimits(limits, t.host);
  if (missing.length) throw new RuntimeError('invalid-argument', `${PREFIX}: ${missing[0]!.field}: ${missing[0]!.message}`);

  const mem = resources.memory as { limit?: number; checkBeforeUpdate?: boolean } | undefined;
  if (mem?.checkBeforeUpdate && mem.limit !== undefined && mem.limit > 0) {
    const usage = t.usage();
    if (usage !== undefined && usage > mem.limit) {
      throw new RuntimeError('invalid-argument', `${PREFIX}: memory.limit ${mem.limit} is below the container's current usage ${usage} (checkBeforeUpdate)`);
    }
  }
  try {
    t.write(limits);
  } catch (err) {
    throw new RuntimeError('system', `update of container "${c.id}": ${errorMessage(err)}`);
  }
  // A state check after the writes: a container that stopped meanwhile lost its cgroup.
  checkOperation(c.record, 'update');
  log.info('container resources updated', { files: limits.map((l) => l.file) });
}
