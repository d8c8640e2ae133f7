// delete: remove a stopped container (or, with force, kill it first; a record of an
// unfinished create or an older version still names a monitor, which is waited for),
// kill whatever of it is left (reap.ts), remove its cgroups in every hierarchy, sweep the
// empty shared parents (sweep.ts) and remove its runtime directory. A damaged record
// refuses a plain delete; forced, the container is found without it.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cgroupMounts, unifiedDir, type CgroupMounts } from '../cgroup/mounts.js';
import { cgroupPaths, type CgroupPaths } from '../cgroup/paths.js';
import { cgroupPids, removeContainerCgroups } from '../cgroup/remove.js';
import { sweepParents } from '../cgroup/sweep.js';
import type { Logger } from '../log/types.js';
import { checkId } from './id.js';
import { errnoCode, errorMessage, notFound, RuntimeError } from '../base/errors.js';
import { findProcesses, isAlive, type ProcRef } from './proc.js';
import type { RuntimeConfig } from './config.js';
import { reapInit } from './initreap.js';
import { RUNDIR } from '../base/layout.js';
import { removeLxcLock } from './lxclock.js';
import { monitorArgs, reapContainer } from './reap.js';
import { readRecord, type ContainerRecord } from './record.js';
import { DamagedRecord } from './recordshape.js';
import { privateBundlesOf, removeSpecBundle } from './specbundle.js';
import { checkOperation } from './operations.js';
import { containerStatus } from './status.js';
import { pollUntil } from '../base/wait.js';

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
  const dir = unifiedDir(mounts, rel);
  if (!dir) return;
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
  cfg: RuntimeConfig,
  runtimeDir: string,
  rec: ContainerRecord,
  force: boolean,
  log: Logger,
): Promise<string[]> {
  let warnings: string[] = [];
  const status = force ? containerStatus(rec) : checkOperation(rec, 'delete');
  const deadline = Date.now() + cfg.timeouts.delete;
  const mounts = cgroupMounts();
  // A create killed between spawning the monitor and recording it leaves a monitor that
  // only its command line names; a finished create ended its monitor and recorded none.
  const finished = rec.init !== undefined && rec.monitor === undefined;
  const argv = finished ? undefined : monitorArgs(rec.id, dirname(runtimeDir), runtimeDir);
  const monitors = rec.monitor ? [rec.monitor] : argv ? findProcesses('lxcri-start', argv) : [];
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
  // Our own child (adopted by create) would stay a zombie.
  if (rec.init) reapInit(rec.init);
  // The container is stopped (or was killed): whatever of it still runs is an orphan of a
  // killed create or monitor, which neither the record nor the monitor knew.
  await reapOrFail(mounts, rec.cgroup, argv, deadline);
  const left = await removeContainerCgroups(mounts, rec.cgroup, deadline);
  if (left.length) throw new RuntimeError('system', `cannot remove cgroup ${left.join(', ')}: still busy`);
  await sweepParents(mounts, rec.cgroup, log);
  // The container is gone; poststop runs before its runtime directory goes, and a failing
  // one is only a warning.
  if (rec.hooks?.poststop?.length) {
    const { HOOK_STATUS, runHooksWarn } = await import('./hooks.js'); // spawns: loaded only with hooks
    const state = { ociVersion: rec.ociVersion, id: rec.id, status: HOOK_STATUS.poststop, pid: 0, bundle: rec.bundle, annotations: rec.annotations };
    warnings = await runHooksWarn('poststop', rec.hooks.poststop, state, log);
  }
  await removeFiles(runtimeDir, rec.id, rec.bundle);
  return warnings;
}

async function reapOrFail(mounts: CgroupMounts, paths: CgroupPaths, argv: string[] | undefined, deadline: number): Promise<void> {
  const alive = await reapContainer(mounts, paths, argv, deadline);
  if (alive.length) throw new RuntimeError('system', `processes ${alive.join(', ')} of the container survived SIGKILL`);
}

/** The runtime dir, liblxc's lock file of the container and a private bundle. */
async function removeFiles(runtimeDir: string, id: string, bundle: string | undefined): Promise<void> {
  const root = dirname(runtimeDir);
  try {
    await removeLxcLock(root, id);
    await rm(runtimeDir, { recursive: true, force: true });
    for (const b of bundle ? [bundle] : await privateBundlesOf(root, id)) await removeSpecBundle(root, b);
  } catch (err) {
    throw new RuntimeError('system', `cannot remove ${runtimeDir}: ${errorMessage(err)}`);
  }
}

/**
 * delete --force of a container whose record is damaged: its cgroups are found by the
 * path convention (the spec it was created from, kept in the runtime dir, names a custom
 * one), its monitor by its command line; everything in them is killed and removed.
 */
async function deleteDamaged(cfg: RuntimeConfig, runtimeDir: string, id: string, log: Logger): Promise<string[]> {
  const paths = await cgroupPathsOf(cfg, runtimeDir, id);
  log.warn('damaged record: cleaning up by the cgroup path convention', { cgroup: paths.container });
  const deadline = Date.now() + cfg.timeouts.delete;
  const mounts = cgroupMounts();
  await reapOrFail(mounts, paths, monitorArgs(id, dirname(runtimeDir), runtimeDir), deadline);
  const left = await removeContainerCgroups(mounts, paths, deadline);
  if (left.length) throw new RuntimeError('system', `cannot remove cgroup ${left.join(', ')}: still busy`);
  await sweepParents(mounts, paths, log);
  await removeFiles(runtimeDir, id, undefined);
  return [];
}

async function cgroupPathsOf(cfg: RuntimeConfig, runtimeDir: string, id: string): Promise<CgroupPaths> {
  let cgroupsPath: string | undefined;
  try {
    const spec = JSON.parse(await readFile(join(runtimeDir, RUNDIR.spec), 'utf8')) as unknown;
    const p = (spec as { linux?: { cgroupsPath?: unknown } } | null)?.linux?.cgroupsPath;
    if (typeof p === 'string') cgroupsPath = p;
  } catch {
    /* no spec kept (create killed early): the default path */
  }
  try {
    return cgroupPaths(id, cgroupsPath, cfg.monitorCgroup, cfg.systemdCgroup);
  } catch {
    return cgroupPaths(id, undefined, cfg.monitorCgroup, cfg.systemdCgroup);
  }
}

/**
 * Delete the container `id` under `root`. Unknown IDs are an error unless forced (force is
 * idempotent, as podman and CRI-O call it more than once). A damaged record is an error,
 * as the container may still run; forced, the container is cleaned up without it.
 */
export async function deleteById(cfg: RuntimeConfig, id: string, force: boolean, log: Logger): Promise<string[]> {
  checkId(id);
  const dir = join(cfg.root, id);
  try {
    await stat(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      if (force) return [];
      throw notFound(id);
    }
    throw err;
  }
  let rec: ContainerRecord | undefined;
  try {
    rec = await readRecord(dir);
  } catch (err) {
    if (force && err instanceof DamagedRecord) return deleteDamaged(cfg, dir, id, log);
    throw err;
  }
  if (!rec) {
    if (force) return [];
    throw notFound(id); // deleted meanwhile
  }
  return deleteContainer(cfg, dir, rec, force, log);
}
