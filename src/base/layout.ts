// The runtime directory <root>/<id> and the init dir, the one protocol between lxcri and
// its C helpers: every name in it is defined here and in libexec/rundir.h, which
// test/unit/rundir.test.ts holds to the same values (RUNDIR.hookConf is
// RUNDIR_HOOK_CONF there). Kept apart from the code that fills them, so that state,
// start and kill load little.
import { join } from 'node:path';

/** Files of <root>/<id>. */
export const RUNDIR = {
  /** The record (record.ts). */
  record: 'lxcri.json',
  /** The spec as created (inspect, exec, delete of a damaged record). */
  spec: 'config.json',
  /** The liblxc config lxcri-start loads. */
  lxcConfig: 'config',
  /** The first line a helper failed with (lxcri-start, lxcri-hook), for create's error. */
  error: 'error',
  /** lxcri-hook's instructions for its mount run (src/lxc/hookconf.ts). */
  hookConf: 'hook.conf',
  /** lxcri-hook's tmpfs for its pre-mount run (src/lxc/mountpoints.ts), and their dir. */
  premountConf: 'premount.conf',
  stage: 'stage',
  /** create's socket on which lxcri-hook asks it to run the hooks of create. */
  hookSocket: 'hooks.sock',
  /** The dir of the createContainer hook records lxcri-hook runs, and that file. */
  hooks: 'hooks',
  createContainerHooks: 'createContainer',
  /** The init dir (INITDIR), bind-mounted into the container. */
  init: 'init',
  /** The container's exit code (128+N after signal N), kept by whoever reaped its init. */
  exitStatus: 'exit-status',
} as const;

/** Files of the init dir, <root>/<id>/init, which the container sees at INIT_DIR. */
export const INITDIR = {
  /** The container's own copy of lxcri-init, its init. */
  binary: 'lxcri-init',
  /** lxcri-init's ready report to create (a unix socket) and start's fifo. */
  notify: 'notify',
  syncFifo: 'syncfifo',
  /** The process record (src/lxc/processrecord.ts, libexec/procspec.h). */
  process: 'process',
  /** The compiled seccomp profile; the agent's socket and the state sent to it. */
  seccomp: 'seccomp',
  seccompListener: 'seccomp-listener',
  seccompState: 'seccomp.state',
  /** startContainer hook records and the state they get. */
  hooks: 'hooks',
  hooksState: 'hooks.state',
} as const;

/** Where the init dir is mounted inside the container. */
export const INIT_DIR = '/.lxcri';
export const INIT_BINARY = INITDIR.binary;
export const SECCOMP_LISTENER = INITDIR.seccompListener;
export const SECCOMP_STATE = INITDIR.seccompState;
export const STAGE_DIR = RUNDIR.stage;
export const PREMOUNT_CONF = RUNDIR.premountConf;

export const initDirOf = (runtimeDir: string): string => join(runtimeDir, RUNDIR.init);
export const initFileOf = (runtimeDir: string, name: (typeof INITDIR)[keyof typeof INITDIR]): string => join(runtimeDir, RUNDIR.init, name);
export const syncFifoOf = (runtimeDir: string): string => initFileOf(runtimeDir, INITDIR.syncFifo);
export const notifySocketOf = (runtimeDir: string): string => initFileOf(runtimeDir, INITDIR.notify);
export const exitStatusOf = (runtimeDir: string): string => join(runtimeDir, RUNDIR.exitStatus);
