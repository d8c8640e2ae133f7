/*
 * The pre-mount hook (premount.c): the spec's tmpfs mounts, staged. Runs in the
 * container's mount namespace before liblxc sets up the rootfs: each tmpfs is mounted
 * at <rundir>/stage/N and the mount points below it are made here by fd, where nothing
 * else can reach them (no path in a fresh tmpfs can be a symlink); liblxc then binds it
 * onto its destination in the rootfs (src/lxc/mountpoints.ts, premount.ts). liblxc's
 * own create= would walk the rootfs path again, through whatever a local user renamed
 * into place meanwhile. Failures end lxcri-hook (hookerr.h).
 */
#ifndef LXCRI_PREMOUNT_H
#define LXCRI_PREMOUNT_H

/* Apply <rundir>/premount.conf (none: nothing to do). */
void premount_run(const char *rundir);

#endif
