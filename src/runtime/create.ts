// create: from a bundle to a container in state "created" (init blocked before exec, in
// its namespaces and cgroup). On failure everything this call made is removed again, and
// nothing that existed before it (an existing container of the same ID) is touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { cgroupMounts } from '../cgroup/mounts.js';
import { cgroupPaths } from '../cgroup/paths.js';
import { removeCgroup, removeContainerCgroups } from '../cgroup/remove.js';
import { checkLogFile } from '../log/logfile.js';
import type { Logger } from '../log/types.js';
import { hostId } from '../lxc/idmap.js';
import { probeLsm } from '../lxc/lsm.js';
import { translate } from '../lxc/translate.js';
import type { RootfsPrep } from '../lxc/userns.js';
import { hasCreateTimeHooks } from '../spec/hooks.js';
import { loadBundle } from '../spec/load.js';
import { checkHelpersReachable } from '../lxc/helperreach.js';
import { newUserns } from '../lxc/userns.js';
import { processUser } from '../spec/user.js';
import type { Spec } from '../spec/types.js';
import { errnoCode, errnoText, errorMessage, RuntimeError } from './errors.js';
import { checkId } from './id.js';
import { startFailure, type MonitorEnd } from './startfailure.js';
import { listenHooks, type HookServer } from './hookserver.js';
import { watchInitDeath, type InitDeathWatch } from './initdeath.js';
import { writeInitDir } from './initdir.js';
import { writeStaging } from './staging.js';
import { INIT_BINARY, initDirOf, initFileOf, INITDIR, notifySocketOf, RUNDIR } from './layout.js';
import { lxc } from './native.js';
import { makeDirs } from './mkdirs.js';
import { listenNotify, type InitReport } from './notify.js';
import { fileId, isAlive, procRef, runsExecutable } from './proc.js';
import { closeStdio, resolveStdio, type StdioFds, type StdioOptions } from './stdio.js';
import { HELPERS, helperPath } from './location.js';
import { checkPreserveFds, checkTerminal, takeConsole } from './terminal.js';
import { writeRecord, type ContainerRecord } from './record.js';
import { writeFileAtomic } from './files.js';
import type { RuntimeConfig } from './config.js';
import { checkCgroupFree } from '../cgroup/check.js';
import { writeSeccompState } from './seccompstate.js';
import { removeLxcLock } from './lxclock.js';
import { monitorArgs, reapContainer } from './reap.js';
import { lockParents, PARENT_LOCK, type ParentLock } from './parentlock.js';
import { sweepParents } from '../cgroup/sweep.js';
import { applyRootPropagation } from './propagation.js';

export interface CreateRequest {
  id: string;
  /** The bundle directory (its config.json). Exactly one of bundle and spec. */
  bundle?: string;
  /**
   * The spec itself: written to a private bundle the runtime owns (under
   * `<root>/.bundles/`, removed by delete); root.path is taken from the spec (a relative
   * one resolved against the current directory).
   */
  spec?: Spec;
  /** The container's stdin, stdout and stderr (default: this process's); not with process.terminal. */
  stdio?: StdioOptions;
  /**
   * Make this process a child subreaper, so that the container's init becomes its child
   * when create ends liblxc's monitor: Container.wait then has the init's exact exit
   * status (run, library users). Without it the init goes to this process's nearest
   * subreaper (conmon) or PID 1, as with runc. Default: true (the CLI's create: false).
   */
  adopt?: boolean;
  /** Called when create failed, before what it made is removed (the create hook). */
  beforeCleanup?: (err: unknown) => Promise<void>;
  /** process.terminal: the unix socket that receives the pty master (before create returns). */
  consoleSocket?: string;
  /** process.terminal without a console socket: the caller gets the pty master (and owns
   * the fd) before create returns; run relays it (ptyrelay.ts). */
  takeConsole?: (master: number, name: string) => void;
  /** Fds 3 to 3+N-1 of this process reach the container's process under the same numbers. */
  preserveFds?: number;
  /** Gets the init's PID (atomically, never through a symlink) once it is created. */
  pidFile?: string;
}

export interface Created {
  record: ContainerRecord;
  runtimeDir: string;
}

const alreadyExists = (id: string): RuntimeError => new RuntimeError('exists', `container "${id}" already exists`);


export async function createContainer(cfg: RuntimeConfig, req: CreateRequest & { bundle: string }, log: Logger): Promise<Created> {
  checkId(req.id);
  for (const h of HELPERS) helperPath(cfg.libexecDir, h);
  const bundle = await loadBundle(req.bundle);
  const spec = bundle.spec;
  const proc = spec.process!;
  const runtimeDir = join(cfg.root, req.id);
  // A duplicate ID is reported as such (the mkdir below is the race-free guard).
  if (existsSync(runtimeDir)) throw alreadyExists(req.id);
  const cgroup = cgroupPaths(req.id, spec.linux?.cgroupsPath, cfg.monitorCgroup, cfg.systemdCgroup);
  const mounts = cgroupMounts();
  await checkCgroupFree(mounts, cgroup.container);
  checkTerminal(proc, req.consoleSocket, req.takeConsole !== undefined);
  if (proc.terminal && req.stdio) throw new RuntimeError('invalid-argument', 'stdio: a container with process.terminal has the terminal as its stdio');
  const preserveFds = checkPreserveFds(req.preserveFds);
  const stdio = resolveStdio(req.stdio);

  try {
    return await createWith(cfg, req, log, { bundle, runtimeDir, cgroup, mounts, preserveFds, stdio });
  } finally {
    closeStdio(stdio);
  }
}

interface Prepared {
  bundle: Awaited<ReturnType<typeof loadBundle>>;
  runtimeDir: string;
  cgroup: ReturnType<typeof cgroupPaths>;
  mounts: ReturnType<typeof cgroupMounts>;
  preserveFds: number;
  stdio: StdioFds;
}

async function createWith(cfg: RuntimeConfig, req: CreateRequest & { bundle: string }, log: Logger, prep: Prepared): Promise<Created> {
  const { bundle, runtimeDir, cgroup, mounts, preserveFds, stdio } = prep;
  const spec = bundle.spec;
  const proc = spec.process!;
  const translation = translate(bundle, {
    runtimeDir,
    libexecDir: cfg.libexecDir,
    cgroup,
    lxcLogFile: cfg.lxcLogFile,
    lxcLogLevel: cfg.lxcLogLevel,
    lsm: probeLsm(),
    features: cfg.features,
    ignoreUnavailableControllers: cfg.ignoreUnavailableControllers,
    cgroupUnified: mounts.unified,
  });
  for (const warning of translation.warnings) log.warn(warning);

  // liblxc would make the log's directory 0755 and the file 0640; the log is private.
  if (cfg.lxcLogFile) checkLogFile(cfg.lxcLogFile);
  try {
    makeDirs(cfg.root, 0o711);
  } catch (err) {
    throw new RuntimeError('system', `cannot make the runtime root ${cfg.root}: ${errnoText(err)}`);
  }
  try {
    // Private, except that a container's root in a user namespace (a mapped ID) must be
    // able to search it to bind-mount init/ (everything else keeps its own mode).
    const userns = (spec.linux?.uidMappings?.length ?? 0) > 0;
    await mkdir(runtimeDir, { mode: userns ? 0o711 : 0o700 });
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw alreadyExists(req.id);
    throw err;
  }

  // From here on this call owns runtimeDir; undo everything on any failure.
  let monitor: ChildProcess | undefined;
  let monitorEnded: Promise<MonitorEnd> | undefined;
  let notify: Awaited<ReturnType<typeof listenNotify>> | undefined;
  let hookServer: HookServer | undefined;
  let initDeath: InitDeathWatch | undefined;
  let parentLock: ParentLock | undefined;
  const began = Date.now();
  const deadline = began + cfg.timeouts.create;
  try {
    // Host IDs of the container's root and of the process user (user namespaces map them).
    const uids = spec.linux?.uidMappings ?? [];
    const gids = spec.linux?.gidMappings ?? [];
    const root = { uid: hostId(uids, 0, 'root (uid 0) of the container'), gid: hostId(gids, 0, 'root (gid 0) of the container') };
    if (newUserns(spec.linux?.namespaces ?? [])) checkHelpersReachable(realpathSync(cfg.libexecDir), ['lxcri-init', 'lxcri-hook'], root);
    const procUser = processUser(proc);
    const user = { uid: hostId(uids, procUser.uid, 'process.user.uid'), gid: hostId(gids, procUser.gid, 'process.user.gid') };
    await writeInitDir(runtimeDir, { ...translation.init, preserveFds }, { root, user }, helperPath(cfg.libexecDir, 'lxcri-init'));
    // The container's own copy: while its init runs it, the container is "created".
    const initExe = fileId(join(initDirOf(runtimeDir), INIT_BINARY));
    // The record as soon as it can be whole: a directory without one reads as damaged
    // (recordshape.ts), which delete --force cleans up.
    const record: ContainerRecord = {
      id: req.id,
      bundle: bundle.path,
      rootfs: bundle.rootfs,
      ociVersion: spec.ociVersion,
      created: new Date().toISOString(),
      annotations: spec.annotations ?? {},
      cgroup,
      initExe,
      initDir: translation.initDir,
    };
    // Kept for start and delete, which run them.
    if (spec.hooks?.poststart?.length || spec.hooks?.poststop?.length) {
      record.hooks = { poststart: spec.hooks.poststart, poststop: spec.hooks.poststop };
    }
    await writeRecord(runtimeDir, record);
    // lxcri-hook runs as the container's root: in a user namespace that is a mapped ID,
    // which must read hook.conf and may write its reason for failing to the error file.
    for (const [name, data] of [[RUNDIR.hookConf, translation.hookConf], [RUNDIR.error, '']] as const) {
      await writeFile(join(runtimeDir, name), data, { mode: 0o600 });
      await chown(join(runtimeDir, name), root.uid, root.gid);
    }
    await writeStaging(runtimeDir, translation.staging, root);
    // OCI hooks run by the C helpers, as the container's root (lxcri-init reads its
    // startContainer hooks before it becomes the process user).
    const { createContainer: ccHooks, startContainer: scHooks } = translation.hookRecords;
    if (ccHooks !== undefined) {
      const ccFile = join(runtimeDir, RUNDIR.hooks, RUNDIR.createContainerHooks);
      await mkdir(dirname(ccFile), { mode: 0o700 });
      await chown(dirname(ccFile), root.uid, root.gid);
      await writeFile(ccFile, ccHooks, { mode: 0o400 });
      await chown(ccFile, root.uid, root.gid);
    }
    if (scHooks !== undefined) {
      await writeFile(initFileOf(runtimeDir, INITDIR.hooks), scHooks, { mode: 0o400, flag: 'wx' });
      await chown(initFileOf(runtimeDir, INITDIR.hooks), root.uid, root.gid);
    }
    const configFile = join(runtimeDir, RUNDIR.lxcConfig);
    saveLxcConfig(req.id, cfg.root, configFile, translation.config.items, log);

    // The spec as created, for inspect (the bundle may change or go away).
    await writeFile(join(runtimeDir, RUNDIR.spec), JSON.stringify(spec), { mode: 0o600 });

    if (hasCreateTimeHooks(spec.hooks)) {
      hookServer = await listenHooks({
        runtimeDir,
        hooks: spec.hooks ?? {},
        state: { ociVersion: spec.ociVersion, id: req.id, bundle: bundle.path, annotations: spec.annotations ?? {} },
        root,
        monitorPid: () => monitor?.pid,
        log,
      });
    }

    notify = await listenNotify(notifySocketOf(runtimeDir), user.uid, user.gid);

    // The monitor's stdio is the init's (lxc.console.path = none); with a terminal the init
    // makes its own in the container's devpts (open_console). Preserved fds keep their
    // numbers; liblxc then must not close the monitor's inherited fds (all or none).
    const std = proc.terminal ? (['ignore', 'ignore', 'ignore'] as const) : [stdio.stdin, stdio.stdout, stdio.stderr];
    const extra = Array.from({ length: preserveFds }, (_, i) => 3 + i);
    // liblxc makes the shared cgroup parents in the monitor: no sweep may remove them
    // before the container and the monitor are in their cgroups (parentlock.ts).
    parentLock = await lockParents('shared', deadline);
    if (!parentLock) throw new RuntimeError('timeout', `timed out waiting for the cgroup lock ${PARENT_LOCK}`);
    const startArgs = [req.id, cfg.root, configFile, ...(preserveFds > 0 ? ['--keep-fds'] : []), ...(await rootfsArgs(translation.rootfsPrep))];
    monitor = spawn(helperPath(cfg.libexecDir, 'lxcri-start'), startArgs, {
      cwd: runtimeDir,
      detached: true,
      stdio: [...std, ...extra],
      // No PATH: liblxc would find newuidmap on it and then insist that root, too, owns
      // the mapped ranges in /etc/subuid; as root it writes uid_map itself (as runc does).
      // Its hooks are absolute paths run through /bin/sh.
      env: {},
    });
    const child = monitor;
    monitorEnded = new Promise<MonitorEnd>((res) => child.once('exit', (code, signal) => res({ code, signal })));
    const spawned = await new Promise<number>((res, rej) => {
      child.once('spawn', () => res(child.pid!));
      child.once('error', rej);
    });
    const monRef = procRef(spawned);
    if (!monRef) throw new RuntimeError('system', 'the monitor exited at once');
    record.monitor = monRef;
    await writeRecord(runtimeDir, record);
    log.debug('monitor process started', { pid: spawned });

    initDeath = watchInitDeath(spawned);
    const outcome = await Promise.race([
      notify.report,
      monitorEnded.then((end) => ({ ended: end })),
      initDeath.died.then((death) => ({ died: death.how })),
      new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), Math.max(0, deadline - Date.now())).unref()),
    ]);
    parentLock.release();
    if (outcome === 'timeout') {
      throw new RuntimeError('timeout', `timed out after ${cfg.timeouts.create / 1000}s waiting for container "${req.id}" to be created`);
    }
    if ('ended' in outcome) {
      // The init's own report (the exec error) beats the monitor's exit status, whichever
      // of the two Node saw first.
      const report = await notify.drain();
      if (report && !report.ok) throw initFailure(report);
      throw await startFailure(runtimeDir, outcome.ended, cfg.lxcLogFile, req.id, began);
    }
    if ('died' in outcome) {
      // The monitor's own exit, had it come at the same time, says more (see initdeath.ts).
      const ended = await Promise.race([monitorEnded, new Promise<undefined>((res) => setTimeout(() => res(undefined), 200).unref())]);
      const report = await notify.drain();
      if (report && !report.ok) throw initFailure(report);
      throw await startFailure(runtimeDir, ended ?? { initDied: outcome.died }, cfg.lxcLogFile, req.id, began);
    }
    if (!outcome.ok) throw initFailure(outcome);
    initDeath.stop();

    const initPid = await initPidOf(req.id, cfg.root);
    const initRef = procRef(initPid);
    if (!initRef || !runsExecutable(initPid, initExe)) {
      throw new RuntimeError('system', `container init ${initPid} is not lxcri-init`);
    }
    record.init = initRef;
    await writeRecord(runtimeDir, record);
    // runc's model: nothing of the runtime stays resident. liblxc's monitor has done its
    // part once the init is ready (delete does the rest); without a parent-death signal
    // (translate.ts) the init outlives it and goes to the nearest subreaper. Only SIGKILL
    // ends it: liblxc forwards every other signal to the init.
    if (req.adopt ?? true) lxc().childSubreaper(true);
    monitor.kill('SIGKILL');
    await monitorEnded;
    delete record.monitor;
    await writeRecord(runtimeDir, record);
    const busy = await removeCgroup(mounts, cgroup.monitor, Date.now() + 2000);
    if (busy.length) log.warn('cannot remove the monitor cgroup', { cgroups: busy });
    if (translation.init.seccompListener) await writeSeccompState({ runtimeDir, id: req.id, bundle: bundle.path, spec, pid: initPid, owner: user });
    applyRootPropagation(initPid, spec.linux?.rootfsPropagation);
    if (proc.terminal) takeConsole(initPid, outcome.console, proc, req);
    if (req.pidFile !== undefined) await writeFileAtomic(req.pidFile, String(initPid), 0o644);
    notify.close();
    hookServer?.close();
    return { record, runtimeDir };
  } catch (err) {
    initDeath?.stop();
    notify?.close();
    hookServer?.close();
    parentLock?.release();
    await req.beforeCleanup?.(err);
    await abortCreate(runtimeDir, mounts, cgroup, monitor, monitorEnded, log, monitorArgs(req.id, cfg.root, runtimeDir));
    throw err;
  }
}

/** lxcri-start's arguments for the rootfs it binds as host root, and the bind's target. */
async function rootfsArgs(prep: RootfsPrep | undefined): Promise<string[]> {
  if (!prep) return [];
  await mkdir(prep.target, { mode: 0o755 });
  return ['--rootfs', prep.source, prep.target, ...(prep.idmap ? ['--idmap', prep.idmap.uid, prep.idmap.gid] : [])];
}

function saveLxcConfig(id: string, root: string, file: string, items: ReadonlyArray<readonly [string, string]>, log: Logger): void {
  const c = new (lxc().Container)(id, root);
  try {
    c.clearConfig();
    for (const [k, v] of items) {
      log.trace('set config item', { 'lxc.config': k, val: v });
      try {
        c.setConfigItem(k, v);
      } catch (err) {
        throw new RuntimeError('invalid-spec', `liblxc refused ${k} = ${v}: ${errorMessage(err)}`);
      }
    }
    c.saveConfig(file);
  } finally {
    c.release();
  }
}

async function initPidOf(id: string, root: string): Promise<number> {
  const c = new (lxc().Container)(id, root);
  try {
    const pid = await c.initPid();
    if (pid <= 0) throw new RuntimeError('system', 'liblxc reports no init process');
    return pid;
  } finally {
    c.release();
  }
}

function initFailure(r: Extract<InitReport, { ok: false }>): RuntimeError {
  return new RuntimeError('system', r.message);
}

async function abortCreate(
  runtimeDir: string,
  mounts: ReturnType<typeof cgroupMounts>,
  cgroup: ReturnType<typeof cgroupPaths>,
  monitor: ChildProcess | undefined,
  ended: Promise<MonitorEnd> | undefined,
  log: Logger,
  argv: string[],
): Promise<void> {
  if (monitor?.pid !== undefined && ended) {
    const ref = procRef(monitor.pid);
    if (ref && isAlive(ref)) monitor.kill('SIGKILL');
    await ended;
  }
  if (monitor) {
    // The init outlives its monitor (no parent-death signal), and a monitor killed early
    // leaves its half-started init behind: reap.ts finds and kills both.
    const alive = await reapContainer(mounts, cgroup, argv, Date.now() + 5000);
    if (alive.length) log.warn('processes left behind after failed create', { pids: alive });
    const left = await removeContainerCgroups(mounts, cgroup, Date.now() + 5000);
    if (left.length) log.warn('cgroup left behind after failed create', { cgroups: left });
    await sweepParents(mounts, cgroup, log).catch((err: unknown) => log.warn('cannot sweep cgroup parents', { error: errorMessage(err) }));
  }
  await removeLxcLock(dirname(runtimeDir), basename(runtimeDir)).catch(() => undefined);
  await rm(runtimeDir, { recursive: true, force: true }).catch((err: unknown) =>
    log.warn('cannot remove runtime dir after failed create', { error: errorMessage(err) }),
  );
}
