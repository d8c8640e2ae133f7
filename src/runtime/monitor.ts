// liblxc's monitor (libexec/lxcri-start) while create runs: started with the container's
// stdio, watched until lxcri-init reports ready (or until it or the init ends first, said
// in one line), then ended: runc's model leaves nothing of the runtime resident.
import { mkdir } from 'node:fs/promises';
import type { CgroupMounts } from '../cgroup/mounts.js';
import type { CgroupPaths } from '../cgroup/paths.js';
import { removeCgroup } from '../cgroup/remove.js';
import type { Logger } from '../log/types.js';
import type { RootfsPrep } from '../lxc/userns.js';
import { RuntimeError } from '../base/errors.js';
import { watchInitDeath } from './initdeath.js';
import { lxc } from '../base/native.js';
import type { InitReport, NotifyListener } from './notify.js';
import type { HostChild, ProcessHost } from './processhost.js';
import { monitorArgs } from './reap.js';
import { startFailure } from './startfailure.js';

/** liblxc's monitor while create runs: a helper its host started (and reaps). */
export type Monitor = HostChild;

export interface MonitorStart {
  helper: string;
  id: string;
  root: string;
  runtimeDir: string;
  /** The container's stdio (the monitor's, which liblxc hands on to the init). */
  stdio: ReadonlyArray<number | 'ignore'>;
  /** Fds 3..3+N-1 go on to the init too. */
  preserveFds: number;
  rootfsPrep?: RootfsPrep;
}

/** Starts the monitor through `host` (the caller's process: the init becomes its descendant). */
export async function startMonitor(m: MonitorStart, host: ProcessHost): Promise<Monitor> {
  // The argv delete and reap.ts look for a stray monitor by (monitorArgs).
  const args = [...monitorArgs(m.id, m.root, m.runtimeDir), ...(m.preserveFds > 0 ? ['--keep-fds'] : []), ...(await rootfsArgs(m.rootfsPrep))];
  return host.spawn({
    file: m.helper,
    args,
    cwd: m.runtimeDir,
    setsid: true,
    fds: [...m.stdio, ...host.preservedFds(m.preserveFds)],
    // No PATH: liblxc would find newuidmap on it and then insist that root, too, owns
    // the mapped ranges in /etc/subuid; as root it writes uid_map itself (as runc does).
    // Its hooks are absolute paths run through /bin/sh.
    env: {},
  });
}

/** lxcri-start's arguments for the rootfs it binds as host root, and the bind's target. */
async function rootfsArgs(prep: RootfsPrep | undefined): Promise<string[]> {
  if (!prep) return [];
  await mkdir(prep.target, { mode: 0o755 });
  return ['--rootfs', prep.source, prep.target, ...(prep.idmap ? ['--idmap', prep.idmap.uid, prep.idmap.gid] : [])];
}

export interface ReadyWait {
  id: string;
  runtimeDir: string;
  lxcLogFile?: string;
  /** When create began (liblxc's log lines since then explain a failure). */
  began: number;
  deadline: number;
  timeoutMs: number;
}

/** lxcri-init's ready report, or the one-line reason it never came. */
export async function awaitReady(mon: Monitor, pid: number, notify: NotifyListener, w: ReadyWait): Promise<Extract<InitReport, { ok: true }>> {
  const initDeath = watchInitDeath(pid);
  try {
    const outcome = await Promise.race([
      notify.report,
      mon.ended.then((end) => ({ ended: end })),
      initDeath.died.then((death) => ({ died: death.how })),
      new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), Math.max(0, w.deadline - Date.now())).unref()),
    ]);
    if (outcome === 'timeout') {
      throw new RuntimeError('timeout', `timed out after ${w.timeoutMs / 1000}s waiting for container "${w.id}" to be created`);
    }
    if ('ended' in outcome) {
      // The init's own report (the exec error) beats the monitor's exit status, whichever
      // of the two Node saw first.
      const report = await notify.drain();
      if (report && !report.ok) throw initFailure(report);
      throw await startFailure(w.runtimeDir, outcome.ended, w.lxcLogFile, w.id, w.began);
    }
    if ('died' in outcome) {
      // The monitor's own exit, had it come at the same time, says more (see initdeath.ts).
      const ended = await Promise.race([mon.ended, new Promise<undefined>((res) => setTimeout(() => res(undefined), 200).unref())]);
      const report = await notify.drain();
      if (report && !report.ok) throw initFailure(report);
      throw await startFailure(w.runtimeDir, ended ?? { initDied: outcome.died }, w.lxcLogFile, w.id, w.began);
    }
    if (!outcome.ok) throw initFailure(outcome);
    return outcome;
  } finally {
    initDeath.stop();
  }
}

function initFailure(r: Extract<InitReport, { ok: false }>): RuntimeError {
  return new RuntimeError('system', r.message);
}

/** The init's host PID, which the running monitor knows (liblxc's command socket). */
export async function initPidOf(id: string, root: string): Promise<number> {
  const c = new (lxc().Container)(id, root);
  try {
    const pid = await c.initPid();
    if (pid <= 0) throw new RuntimeError('system', 'liblxc reports no init process');
    return pid;
  } finally {
    c.release();
  }
}

/**
 * Ends the monitor once the init is ready, and its cgroup. Without a parent-death signal
 * (translate.ts) the init outlives it and goes to the nearest child subreaper. Only
 * SIGKILL ends it: liblxc forwards every other signal to the init.
 */
export async function endMonitor(mon: Monitor, mounts: CgroupMounts, cgroup: CgroupPaths, log: Logger): Promise<void> {
  mon.kill('SIGKILL');
  await mon.ended;
  const busy = await removeCgroup(mounts, cgroup.monitor, Date.now() + 2000);
  if (busy.length) log.warn('cannot remove the monitor cgroup', { cgroups: busy });
}
