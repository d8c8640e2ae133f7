// delete: remove a stopped container (or, with force, kill it first): wait for its monitor,
// then remove its cgroups in every hierarchy and its runtime directory.
import { rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cgroupMounts, type CgroupMounts } from '../cgroup/mounts.js';
import { cgroupPids, removeContainerCgroups } from '../cgroup/remove.js';
import type { Logger } from '../log/types.js';
import { checkId } from './id.js';
import { errnoCode, errorMessage, notFound, RuntimeError } from './errors.js';
import { findProcesses, isAlive, type ProcRef } from './proc.js';
import { readRecord, type ContainerRecord } from './record.js';
import { removeSpecBundle } from './specbundle.js';
import { containerStatus } from './status.js';
import { pollUntil } from './wait.js';

function killRef(ref: ProcRef | undefined): void {
  if (ref && isAlive(ref)) {
    try {
      process.kill(ref.pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
  }
}

/** SIGKILL everything in the container's cgroup (processes outside its PID namespace too). */
async function killCgroup(mounts: CgroupMounts, rel: string, monitor: ProcRef | undefined): Promise<void> {
  if (!mounts.unified) return;
  const dir = join(mounts.unified, rel);
  try {
    await writeFile(join(dir, 'cgroup.kill'), '1');
    return;
  } catch {
    /* no cgroup.kill (kernel < 5.14) or no cgroup: signal one by one */
  }
  for (const pid of await cgroupPids(dir)) {
    if (pid === monitor?.pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export async function deleteContainer(
  runtimeDir: string,
  rec: ContainerRecord | undefined,
  force: boolean,
  timeoutMs: number,
  log: Logger,
): Promise<string[]> {
  let warnings: string[] = [];
  if (rec) {
    const status = containerStatus(rec);
    if (status !== 'stopped' && !force) {
      throw new RuntimeError('invalid-state', `container "${rec.id}" is ${status}: stop it first or use --force`);
    }
    const deadline = Date.now() + timeoutMs;
    const mounts = cgroupMounts();
    // A create killed between spawning the monitor and recording it leaves a monitor
    // that only its command line names.
    const monitors = rec.monitor ? [rec.monitor] : findProcesses('lxcri-start', [rec.id, dirname(runtimeDir), join(runtimeDir, 'config')]);
    if (status !== 'stopped' || monitors.some(isAlive)) {
      killRef(rec.init);
      await killCgroup(mounts, rec.cgroup.container, rec.monitor);
      if (!rec.monitor) monitors.forEach(killRef);
      for (const mon of monitors) {
        if (!(await pollUntil(() => !isAlive(mon), deadline))) {
          log.warn('monitor did not exit, killing it', { pid: mon.pid });
          killRef(mon);
          await pollUntil(() => !isAlive(mon), Date.now() + 2000);
        }
      }
    }
    const left = await removeContainerCgroups(mounts, rec.cgroup, deadline);
    if (left.length) throw new RuntimeError('system', `cannot remove cgroup ${left.join(', ')}: still busy`);
    // The container is gone; poststop runs before its runtime directory goes, and a failing
    // one is only a warning.
    if (rec.hooks?.poststop?.length) {
      const { HOOK_STATUS, runHooksWarn } = await import('./hooks.js'); // spawns: loaded only with hooks
      const state = { ociVersion: rec.ociVersion, id: rec.id, status: HOOK_STATUS.poststop, pid: 0, bundle: rec.bundle, annotations: rec.annotations };
      warnings = await runHooksWarn('poststop', rec.hooks.poststop, state, log);
    }
  }
  try {
    await rm(runtimeDir, { recursive: true, force: true });
    await removeSpecBundle(dirname(runtimeDir), rec?.bundle);
  } catch (err) {
    throw new RuntimeError('system', `cannot remove ${runtimeDir}: ${errorMessage(err)}`);
  }
  return warnings;
}

/**
 * Delete the container `id` under `root`. Unknown IDs are an error unless forced (force is
 * idempotent, as podman and CRI-O call it more than once).
 */
export async function deleteById(root: string, id: string, force: boolean, timeoutMs: number, log: Logger): Promise<string[]> {
  checkId(id);
  const dir = join(root, id);
  try {
    await stat(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      if (force) return [];
      throw notFound(id);
    }
    throw err;
  }
  const rec = await readRecord(dir).catch(() => undefined);
  return deleteContainer(dir, rec, force, timeoutMs, log);
}
