// Names inside a container's runtime directory <root>/<id> and inside the container,
// kept apart from the code that fills them so that state, start and kill load little.
import { join } from 'node:path';

/** Where the init's files are mounted inside the container. */
export const INIT_DIR = '/.lxcri';
export const INIT_BINARY = 'lxcri-init';
/** In the init dir: the seccomp agent's socket (bind-mounted) and the state sent to it. */
export const SECCOMP_LISTENER = 'seccomp-listener';
export const SECCOMP_STATE = 'seccomp.state';

export const initDirOf = (runtimeDir: string): string => join(runtimeDir, 'init');
export const syncFifoOf = (runtimeDir: string): string => join(runtimeDir, 'init', 'syncfifo');
export const notifySocketOf = (runtimeDir: string): string => join(runtimeDir, 'init', 'notify');
/** The container's exit code, written by lxcri-start (libexec/lxcri-start.c) as it ends. */
export const exitStatusOf = (runtimeDir: string): string => join(runtimeDir, 'exit-status');
/** Mount points of the spec's tmpfs, which lxcri-hook mounts in its pre-mount run (src/lxc/mountpoints.ts). */
export const STAGE_DIR = 'stage';
export const PREMOUNT_CONF = 'premount.conf';
