// create: from a bundle to a container in state "created" (init blocked before exec, in
// its namespaces and cgroup). On failure everything this call made is removed again, and
// nothing that existed before it (an existing container of the same ID) is touched.
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { cgroupMounts } from '../cgroup/mounts.js';
import { cgroupPaths } from '../cgroup/paths.js';
import { removeContainerCgroups } from '../cgroup/remove.js';
import { checkLogFile } from '../log/logfile.js';
import type { Logger } from '../log/types.js';
import { hostId } from '../lxc/idmap.js';
import { probeLsm } from '../lxc/lsm.js';
import { translate } from '../lxc/translate.js';
import { hasCreateTimeHooks } from '../spec/hooks.js';
import { loadBundle } from '../spec/load.js';
import { checkHelpersReachable } from '../lxc/helperreach.js';
import { newUserns } from '../lxc/userns.js';
import { processUser } from '../spec/user.js';
import type { Spec } from '../spec/types.js';
import { errnoCode, errnoText, errorMessage, RuntimeError } from '../base/errors.js';
import { checkId } from './id.js';
import { listenHooks, type HookServer } from './hookserver.js';
import { notifySocketOf } from '../base/layout.js';
import { writeContainerFiles, type Owners } from './containerfiles.js';
import { awaitReady, endMonitor, initPidOf, startMonitor, type Monitor } from './monitor.js';
import { lxc } from '../base/native.js';
import { makeDirs } from '../base/mkdirs.js';
import { listenNotify, type NotifyListener } from './notify.js';
import { isAlive, procRef, runsExecutable } from './proc.js';
import { closeStdio, resolveStdio, type StdioFds, type StdioOptions } from './stdio.js';
import { HELPERS, helperPath } from '../base/location.js';
import { checkPreserveFds, checkTerminal, takeConsole } from './terminal.js';
import { writeRecord, type ContainerRecord } from './record.js';
import { writeFileAtomic } from '../base/files.js';
import type { RuntimeConfig } from './config.js';
import { checkCgroupFree } from '../cgroup/check.js';
import { writeSeccompState } from './seccompstate.js';
import { removeLxcLock } from './lxclock.js';
import type { ProcessHost } from './processhost.js';
import { monitorArgs, reapContainer } from './reap.js';
import { lockParents, PARENT_LOCK, type ParentLock } from '../cgroup/parentlock.js';
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


export async function createContainer(cfg: RuntimeConfig, req: CreateRequest & { bundle: string }, log: Logger, host: ProcessHost): Promise<Created> {
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
  const stdio = resolveStdio(req.stdio, host.stdio);

  try {
    return await createWith(cfg, req, log, { bundle, runtimeDir, cgroup, mounts, preserveFds, stdio, host });
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
  host: ProcessHost;
}

async function createWith(cfg: RuntimeConfig, req: CreateRequest & { bundle: string }, log: Logger, prep: Prepared): Promise<Created> {
  const { bundle, runtimeDir, cgroup, mounts, preserveFds, stdio, host } = prep;
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
  let monitor: Monitor | undefined;
  let notify: NotifyListener | undefined;
  let hookServer: HookServer | undefined;
  let parentLock: ParentLock | undefined;
  const began = Date.now();
  const deadline = began + cfg.timeouts.create;
  try {
    const owners = containerOwners(spec);
    if (newUserns(spec.linux?.namespaces ?? [])) checkHelpersReachable(realpathSync(cfg.libexecDir), ['lxcri-init', 'lxcri-hook'], owners.root);
    const { record } = await writeContainerFiles(
      { id: req.id, root: cfg.root, runtimeDir, bundle, translation, cgroup, owners, preserveFds, initBinary: helperPath(cfg.libexecDir, 'lxcri-init') },
      log,
    );
    if (hasCreateTimeHooks(spec.hooks)) {
      hookServer = await listenHooks({
        runtimeDir,
        hooks: spec.hooks ?? {},
        state: { ociVersion: spec.ociVersion, id: req.id, bundle: bundle.path, annotations: spec.annotations ?? {} },
        root: owners.root,
        monitorPid: () => monitor?.pid,
        log,
      });
    }
    notify = await listenNotify(notifySocketOf(runtimeDir), owners.user.uid, owners.user.gid);

    // liblxc makes the shared cgroup parents in the monitor: no sweep may remove them
    // before the container and the monitor are in their cgroups (parentlock.ts).
    parentLock = await lockParents('shared', deadline);
    if (!parentLock) throw new RuntimeError('timeout', `timed out waiting for the cgroup lock ${PARENT_LOCK}`);
    monitor = await startMonitor({
      helper: helperPath(cfg.libexecDir, 'lxcri-start'),
      id: req.id,
      root: cfg.root,
      runtimeDir,
      // The monitor's stdio is the init's (lxc.console.path = none); with a terminal the
      // init makes its own in the container's devpts (open_console). Preserved fds keep
      // their numbers; liblxc then must not close the monitor's inherited fds (all or none).
      stdio: proc.terminal ? ['ignore', 'ignore', 'ignore'] : [stdio.stdin, stdio.stdout, stdio.stderr],
      preserveFds,
      rootfsPrep: translation.rootfsPrep,
    }, host);
    const monitorPid = monitor.pid;
    const monRef = procRef(monitorPid);
    if (!monRef) throw new RuntimeError('system', 'the monitor exited at once');
    record.monitor = monRef;
    await writeRecord(runtimeDir, record);
    log.debug('monitor process started', { pid: monitorPid });
    let ready;
    try {
      ready = await awaitReady(monitor, monitorPid, notify, { id: req.id, runtimeDir, lxcLogFile: cfg.lxcLogFile, began, deadline, timeoutMs: cfg.timeouts.create });
    } finally {
      parentLock.release();
    }

    const initPid = await initPidOf(req.id, cfg.root);
    const initRef = procRef(initPid);
    if (!initRef || !runsExecutable(initPid, record.initExe)) {
      throw new RuntimeError('system', `container init ${initPid} is not lxcri-init`);
    }
    record.init = initRef;
    await writeRecord(runtimeDir, record);
    // runc's model: nothing of the runtime stays resident; the init goes to the nearest
    // child subreaper, which this process is when it adopts it (never the service: the
    // init is its client's, and so conmon's).
    if ((req.adopt ?? true) && host.ownsCaller) lxc().childSubreaper(true);
    await endMonitor(monitor, mounts, cgroup, log);
    delete record.monitor;
    await writeRecord(runtimeDir, record);
    if (translation.init.seccompListener) await writeSeccompState({ runtimeDir, id: req.id, bundle: bundle.path, spec, pid: initPid, owner: owners.user });
    applyRootPropagation(initPid, spec.linux?.rootfsPropagation);
    if (proc.terminal) takeConsole(initPid, ready.console, proc, req);
    if (req.pidFile !== undefined) await writeFileAtomic(req.pidFile, String(initPid), 0o644);
    notify.close();
    hookServer?.close();
    return { record, runtimeDir };
  } catch (err) {
    notify?.close();
    hookServer?.close();
    parentLock?.release();
    await req.beforeCleanup?.(err);
    await abortCreate(runtimeDir, mounts, cgroup, monitor, log, monitorArgs(req.id, cfg.root, runtimeDir));
    throw err;
  }
}

/** Host IDs of the container's root and of the process user (user namespaces map them). */
function containerOwners(spec: Spec): Owners {
  const uids = spec.linux?.uidMappings ?? [];
  const gids = spec.linux?.gidMappings ?? [];
  const procUser = processUser(spec.process!);
  return {
    root: { uid: hostId(uids, 0, 'root (uid 0) of the container'), gid: hostId(gids, 0, 'root (gid 0) of the container') },
    user: { uid: hostId(uids, procUser.uid, 'process.user.uid'), gid: hostId(gids, procUser.gid, 'process.user.gid') },
  };
}

async function abortCreate(
  runtimeDir: string,
  mounts: ReturnType<typeof cgroupMounts>,
  cgroup: ReturnType<typeof cgroupPaths>,
  monitor: Monitor | undefined,
  log: Logger,
  argv: string[],
): Promise<void> {
  if (monitor) {
    const ref = procRef(monitor.pid);
    if (ref && isAlive(ref)) monitor.kill('SIGKILL');
    await monitor.ended;
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
