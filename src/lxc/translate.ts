// The whole translation of a validated bundle into what the container is started from:
// liblxc config items, lxcri-hook instructions and lxcri-init's files. It also makes the
// mount points in the rootfs (mountpoints.ts), since their resolved paths go into the config.
import { machine } from 'node:os';
import { join } from 'node:path';
import type { CgroupPaths } from '../cgroup/paths.js';
import { INIT_BINARY, SECCOMP_LISTENER, STAGE_DIR } from '../base/layout.js';
import { hasCreateTimeHooks } from '../spec/hooks.js';
import type { Bundle } from '../spec/load.js';
import { fstabEscape, LxcConfig } from './config.js';
import { applyDeviceRules } from './devicerules.js';
import { deviceInstructions } from './devices.js';
import { renderHookConf, type HookInstruction } from './hookconf.js';
import { renderHookRecords } from './hookrecords.js';
import { applyMounts } from './mounts.js';
import { MountPoints } from './mountpoints.js';
import { renderPremountConf } from './premount.js';
import { applyIdmaps } from './idmap.js';
import { ALL_CAPABILITIES } from './capabilities.js';
import { applyLsm, type LsmHost } from './lsm.js';
import type { Features } from './features.js';
import { applyNamespaces, utsInstructions } from './namespaces.js';
import { pathInstructions } from './paths.js';
import { agentSocket, seccompProfile, type Seccomp } from './seccomp.js';
import { applyProcess } from './process.js';
import { processRecordOf, type ProcessRecord } from './processrecord.js';
import { applyRlimits } from './rlimits.js';
import { applyResources } from './resources.js';
import type { ControllerHost } from '../cgroup/controllers.js';
import { sysctlInstructions } from './sysctl.js';
import { cgroupBindSource, initDirFor, newUserns, rootfsPrep, type RootfsPrep } from './userns.js';


export interface TranslateOptions {
  /** The container's runtime directory, <root>/<id>. */
  runtimeDir: string;
  libexecDir: string;
  cgroup: CgroupPaths;
  /** liblxc log file and level for the monitor; no file = no liblxc log. */
  lxcLogFile?: string;
  lxcLogLevel: string;
  /** Which LSMs the host has (probeLsm()). */
  lsm: LsmHost;
  /** Parts of the spec the operator switched off (see Features). */
  features: Features;
  /** cgroup v2 controllers the limits may use; probed from the host when a limit is set. */
  controllers?: ControllerHost;
  /** A limit whose controller is unavailable is left out with a warning, not refused. */
  ignoreUnavailableControllers?: boolean;
  /** The host's cgroup2 mount point (cgroupMounts().unified). */
  cgroupUnified?: string;
}

export interface InitFiles {
  /** The process record (create adds keepFds, --preserve-fds). */
  process: ProcessRecord;
  /** The seccomp profile lxcri-init loads (src/lxc/seccomp.ts), when linux.seccomp is applied. */
  seccomp?: string;
  /** A placeholder for the seccomp agent's socket (SECCOMP_LISTENER). */
  seccompListener?: boolean;
}

export interface Translation {
  config: LxcConfig;
  hookConf: string;
  init: InitFiles;
  /** Hook records (src/lxc/hookrecords.ts) for lxcri-hook and lxcri-init, when there are such hooks. */
  hookRecords: { createContainer?: string; startContainer?: string };
  /** What the caller should log: parts of the spec that are skipped. */
  warnings: string[];
  /** In a new user namespace: the rootfs bind lxcri-start makes as host root. */
  rootfsPrep?: RootfsPrep;
  /** Where lxcri-init's files are mounted in the container. */
  initDir: string;
  /** The spec's tmpfs that lxcri-hook mounts before liblxc binds them (mountpoints.ts): premount.conf and their count. */
  staging: { conf: string; count: number };
}

export function translate(bundle: Bundle, opts: TranslateOptions): Translation {
  const { spec } = bundle;
  const proc = spec.process;
  const linux = spec.linux;
  if (!proc || !linux || !spec.root) throw new Error('translate() needs a checked bundle');
  const cfg = new LxcConfig();
  const namespaces = linux.namespaces ?? [];

  // liblxc at trace level has libseccomp write its filter code into the log, as bare lines
  // among lxcri's JSON and liblxc's "lxc ..." lines; debug is as far as it goes then.
  const seccompOn = linux.seccomp !== undefined && opts.features.seccomp;
  const lxcTrace = /^(trace|0)$/i.test(opts.lxcLogLevel.trim());
  if (opts.lxcLogFile) cfg.set('lxc.log.file', opts.lxcLogFile);
  cfg.set('lxc.log.level', seccompOn && lxcTrace ? 'debug' : opts.lxcLogLevel);

  // The bundle's rootfs is used in place: liblxc never manages, copies or destroys it.
  // In a new user namespace host root binds it into the runtime dir first (userns.ts).
  const userns = newUserns(namespaces);
  const prep = userns ? rootfsPrep(bundle.rootfs, opts.runtimeDir, linux.uidMappings ?? [], linux.gidMappings ?? []) : undefined;
  const lxcRootfs = prep?.target ?? bundle.rootfs;
  cfg.set('lxc.rootfs.path', `dir:${lxcRootfs}`);
  cfg.set('lxc.rootfs.mount', lxcRootfs);
  cfg.set('lxc.rootfs.managed', 0);
  cfg.set('lxc.ephemeral', 0);
  // linux.rootfsPropagation is set after liblxc's pivot_root (runtime/propagation.ts).

  // Host and domain name are set by lxcri-hook, in a new UTS namespace or a joined one.
  const uts = utsInstructions(spec.hostname, spec.domainname, namespaces);

  applyNamespaces(cfg, namespaces);
  applyIdmaps(cfg, linux.uidMappings ?? [], linux.gidMappings ?? []);
  const warnings: string[] = [];
  if (seccompOn && lxcTrace) warnings.push('liblxc logs at debug, not trace, for a container with seccomp: at trace it writes the filter code into the log as bare lines');
  const off = (what: string): void => {
    warnings.push(`${what} switched off by the operator: the container gets less confinement than its spec asks for`);
  };
  // lxcri-init, not liblxc, loads the filter: right before the exec (see libexec/seccompfilter.c).
  const seccomp = linux.seccomp && opts.features.seccomp ? seccompProfile(linux.seccomp as unknown as Seccomp, machine(), proc.noNewPrivileges === true) : undefined;
  if (linux.seccomp && !opts.features.seccomp) off('seccomp');
  const caps = applyProcess(cfg, opts.features.capabilities ? proc : { ...proc, capabilities: ALL_CAPABILITIES }, (w) => warnings.push(w));
  if (!opts.features.capabilities) off('capabilities');
  if (opts.features.apparmor) applyLsm(cfg, proc, linux, opts.lsm);
  else off('AppArmor');
  applyRlimits(cfg, proc.rlimits ?? []);

  // Nothing implicit: /proc, /sys, /dev and cgroup mounts come from the spec only.
  cfg.set('lxc.mount.auto', '');
  cfg.set('lxc.autodev', 0);
  // No devpts of liblxc's: it would land after every mount entry. A spec's /dev/pts is an
  // ordinary entry in its listed place (mounts.ts keeps liblxc from detaching it).
  cfg.set('lxc.pty.max', 0);
  cfg.set('lxc.tty.max', 0);
  // Without a terminal the container keeps create's stdio (conmon's pipes).
  cfg.set('lxc.console.path', 'none');

  // Every mount point is made here, inside the rootfs, never through a symlink (mountpoints.ts).
  const points = new MountPoints(bundle.rootfs, { inheritOwner: userns, stageDir: join(opts.runtimeDir, STAGE_DIR) });
  applyMounts(cfg, spec.mounts ?? [], bundle.path, bundle.rootfs, points, cgroupBindSource(namespaces, opts.cgroupUnified));
  // process.terminal: lxcri-init makes the pty in the container's devpts and binds it on
  // /dev/console itself, as runc's init does (libexec/lxcri-init.c open_console).
  // The init's files (read-only), with the container's own copy of the init binary
  // (initdir.ts): nothing of the host's is mounted that the container could remount rw.
  // lxcri-init unmounts it all before it becomes the process (libexec/lxcri-init.c).
  const initPath = initDirFor(namespaces, spec.mounts ?? []);
  const initDir = fstabEscape(points.place(initPath, 'dir', { fs: 'bind', source: join(opts.runtimeDir, 'init') }).path);
  cfg.set('lxc.mount.entry', `${fstabEscape(join(opts.runtimeDir, 'init'))} ${initDir} none bind,ro,nodev,nosuid 0 0`);
  // The seccomp agent's socket, on its placeholder, for lxcri-init to connect to.
  if (seccomp?.listenerPath !== undefined) {
    cfg.set('lxc.mount.entry', `${fstabEscape(agentSocket(seccomp.listenerPath))} ${initDir}/${SECCOMP_LISTENER} none bind 0 0`);
  }

  cfg.set('lxc.init.cmd', `${initPath}/${INIT_BINARY}`);
  cfg.set('lxc.init.cwd', '/');

  cfg.set('lxc.hook.version', 1);
  // The spec's tmpfs, mounted and filled with their mount points before liblxc binds them.
  if (points.staged.length) cfg.set('lxc.hook.pre-mount', join(opts.libexecDir, 'lxcri-hook'));
  cfg.set('lxc.hook.mount', join(opts.libexecDir, 'lxcri-hook'));
  // liblxc restarts a container whose init died of SIGHUP (its "reboot"); lxcri-hook
  // vetoes that in post-stop, so the container stops and the monitor dies of SIGHUP.
  cfg.set('lxc.hook.post-stop', join(opts.libexecDir, 'lxcri-hook'));

  cfg.set('lxc.cgroup.relative', 0);
  cfg.set('lxc.cgroup.dir.container', opts.cgroup.container);
  cfg.set('lxc.cgroup.dir.monitor', opts.cgroup.monitor);
  cfg.set('lxc.cgroup.dir.monitor.pivot', opts.cgroup.monitorPivot);
  // The init outlives its monitor (create ends the monitor once the init is ready, as
  // runc leaves nothing resident): no parent-death signal.
  cfg.set('lxc.monitor.signal.pdeath', '0');
  if (opts.features.cgroupDevices) applyDeviceRules(cfg, linux.resources?.devices ?? []);
  else off('device cgroup rules');
  warnings.push(...applyResources(cfg, linux.resources, { controllers: opts.controllers, ignoreUnavailable: opts.ignoreUnavailableControllers }));

  // OCI hooks of create run after the mounts, devices, names and sysctls, before masked
  // and read-only paths (which runc applies after pivot_root). startContainer needs the
  // round trip too: it is where create learns the init's PID for their state.
  const hooks = spec.hooks ?? {};
  const hook: HookInstruction[] = [
    ...uts,
    ...sysctlInstructions(linux.sysctl ?? {}),
    ...deviceInstructions(linux.devices ?? [], spec.mounts ?? []),
    ...(hasCreateTimeHooks(hooks) ? [{ op: 'ocihooks' as const }] : []),
    ...pathInstructions(linux.maskedPaths ?? [], linux.readonlyPaths ?? []),
  ];
  // Read-only root last, so that mount points could still be made before it.
  if (spec.root.readonly) hook.push({ op: 'rootro' });

  return {
    config: cfg,
    hookConf: renderHookConf(hook),
    init: {
      process: processRecordOf(proc, caps, { terminal: proc.terminal ? 'console' : undefined, seccomp: seccomp ? 'file' : undefined, rlimits: false }),
      seccomp: seccomp?.profile,
      seccompListener: seccomp?.listenerPath !== undefined,
    },
    hookRecords: {
      createContainer: hooks.createContainer?.length ? renderHookRecords(hooks.createContainer) : undefined,
      startContainer: hooks.startContainer?.length ? renderHookRecords(hooks.startContainer) : undefined,
    },
    warnings: [...warnings, ...(seccomp?.warnings ?? [])],
    rootfsPrep: prep,
    initDir: initPath,
    staging: { conf: renderPremountConf(points.staged), count: points.staged.length },
  };
}
