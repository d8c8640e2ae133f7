// The whole translation of a validated bundle into what the container is started from:
// liblxc config items, lxcri-hook instructions and lxcri-init's files.
import { join } from 'node:path';
import type { CgroupPaths } from '../cgroup/paths.js';
import { RuntimeError } from '../runtime/errors.js';
import type { Bundle } from '../spec/load.js';
import { fstabEscape, LxcConfig } from './config.js';
import { deviceInstructions } from './devices.js';
import { renderHookConf, type HookInstruction } from './hookconf.js';
import { applyMounts } from './mounts.js';
import { applyNamespaces, hasNewNamespace } from './namespaces.js';
import { pathInstructions } from './paths.js';
import { applyProcess, dedupeEnv } from './process.js';

/** Where the init's files are mounted inside the container. */
export const INIT_DIR = '/.lxcri';
export const INIT_BINARY = 'lxcri-init';

export interface TranslateOptions {
  /** The container's runtime directory, <root>/<id>. */
  runtimeDir: string;
  libexecDir: string;
  cgroup: CgroupPaths;
  /** liblxc log file and level for the monitor; no file = no liblxc log. */
  lxcLogFile?: string;
  lxcLogLevel: string;
}

export interface InitFiles {
  args: string[];
  env: string[];
  cwd: string;
}

export interface Translation {
  config: LxcConfig;
  hookConf: string;
  init: InitFiles;
}

export function translate(bundle: Bundle, opts: TranslateOptions): Translation {
  const { spec } = bundle;
  const proc = spec.process;
  const linux = spec.linux;
  if (!proc || !linux || !spec.root) throw new Error('translate() needs a checked bundle');
  if (proc.terminal) {
    throw new RuntimeError('invalid-spec', 'invalid config.json: process.terminal needs a console socket, which this version does not support yet');
  }
  const cfg = new LxcConfig();
  const namespaces = linux.namespaces ?? [];

  if (opts.lxcLogFile) cfg.set('lxc.log.file', opts.lxcLogFile);
  cfg.set('lxc.log.level', opts.lxcLogLevel);

  // The bundle's rootfs is used in place: liblxc never manages, copies or destroys it.
  cfg.set('lxc.rootfs.path', `dir:${bundle.rootfs}`);
  cfg.set('lxc.rootfs.mount', bundle.rootfs);
  cfg.set('lxc.rootfs.managed', 0);
  cfg.set('lxc.ephemeral', 0);
  if (linux.rootfsPropagation) cfg.set('lxc.rootfs.options', linux.rootfsPropagation);

  if (spec.hostname !== undefined && spec.hostname !== '') {
    if (!hasNewNamespace(namespaces, 'uts')) {
      throw new RuntimeError('invalid-spec', 'invalid config.json: hostname needs a new uts namespace');
    }
    cfg.set('lxc.uts.name', spec.hostname);
  }

  applyNamespaces(cfg, namespaces);
  applyProcess(cfg, proc);

  // Nothing implicit: /proc, /sys, /dev and cgroup mounts come from the spec only.
  cfg.set('lxc.mount.auto', '');
  cfg.set('lxc.autodev', 0);
  cfg.set('lxc.pty.max', 0);
  cfg.set('lxc.tty.max', 0);
  // Without a terminal the container keeps create's stdio (conmon's pipes).
  cfg.set('lxc.console.path', 'none');

  applyMounts(cfg, spec.mounts ?? [], bundle.path);
  // The init's files (read-only) and the static init binary on top of its placeholder.
  cfg.set('lxc.mount.entry', `${fstabEscape(join(opts.runtimeDir, 'init'))} ${INIT_DIR.slice(1)} none bind,ro,nodev,nosuid,create=dir 0 0`);
  cfg.set('lxc.mount.entry', `${fstabEscape(join(opts.libexecDir, INIT_BINARY))} ${INIT_DIR.slice(1)}/${INIT_BINARY} none bind,ro,nosuid,create=file 0 0`);

  cfg.set('lxc.init.cmd', `${INIT_DIR}/${INIT_BINARY}`);
  cfg.set('lxc.init.cwd', '/');

  cfg.set('lxc.hook.version', 1);
  cfg.set('lxc.hook.mount', join(opts.libexecDir, 'lxcri-hook'));
  // liblxc restarts a container whose init died of SIGHUP (its "reboot"); lxcri-hook
  // vetoes that in post-stop, so the container stops and the monitor dies of SIGHUP.
  cfg.set('lxc.hook.post-stop', join(opts.libexecDir, 'lxcri-hook'));

  cfg.set('lxc.cgroup.relative', 0);
  cfg.set('lxc.cgroup.dir.container', opts.cgroup.container);
  cfg.set('lxc.cgroup.dir.monitor', opts.cgroup.monitor);
  cfg.set('lxc.cgroup.dir.monitor.pivot', opts.cgroup.monitorPivot);

  const hook: HookInstruction[] = [
    ...deviceInstructions(linux.devices ?? [], spec.mounts ?? []),
    ...pathInstructions(linux.maskedPaths ?? [], linux.readonlyPaths ?? []),
  ];
  // Read-only root last, so that mount points could still be made before it.
  if (spec.root.readonly) hook.push({ op: 'rootro' });

  return {
    config: cfg,
    hookConf: renderHookConf(hook),
    init: { args: proc.args ?? [], env: dedupeEnv(proc.env ?? []), cwd: proc.cwd },
  };
}
