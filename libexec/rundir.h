/*
 * rundir.h: the runtime directory <root>/<id> and the init dir, the one protocol
 * between lxcri and its C helpers. src/base/layout.ts defines the same names
 * (RUNDIR_HOOK_CONF is RUNDIR.hookConf there); test/unit/rundir.test.ts holds the
 * two to the same values. See layout.ts for what each file holds.
 */
#ifndef LXCRI_RUNDIR_H
#define LXCRI_RUNDIR_H

/* Files of <root>/<id>. */
#define RUNDIR_RECORD "lxcri.json"
#define RUNDIR_SPEC "config.json"
#define RUNDIR_LXC_CONFIG "config"
#define RUNDIR_ERROR "error"
#define RUNDIR_HOOK_CONF "hook.conf"
#define RUNDIR_PREMOUNT_CONF "premount.conf"
#define RUNDIR_STAGE "stage"
#define RUNDIR_HOOK_SOCKET "hooks.sock"
#define RUNDIR_HOOKS "hooks"
#define RUNDIR_CREATE_CONTAINER_HOOKS "createContainer"
#define RUNDIR_INIT "init"
#define RUNDIR_EXIT_STATUS "exit-status"

/* Files of the init dir, mounted at INIT_DIR in the container. */
#define INIT_DIR "/.lxcri"
#define INITDIR_BINARY "lxcri-init"
#define INITDIR_NOTIFY "notify"
#define INITDIR_SYNC_FIFO "syncfifo"
#define INITDIR_PROCESS "process"
#define INITDIR_SECCOMP "seccomp"
#define INITDIR_SECCOMP_LISTENER "seccomp-listener"
#define INITDIR_SECCOMP_STATE "seccomp.state"
#define INITDIR_HOOKS "hooks"
#define INITDIR_HOOKS_STATE "hooks.state"

#endif
