/*
 * The mount hook's instructions applied to the container's rootfs (hookops.c): device
 * nodes, symlinks, directories, masked and read-only paths, the read-only rootfs, the
 * UTS names and sysctls. Runs in the container's mount namespace before pivot_root;
 * every path in the rootfs is walked with safepath.h. Failures end lxcri-hook
 * (hookerr.h). The ocihooks instruction is createhooks.h's.
 */
#ifndef LXCRI_HOOKOPS_H
#define LXCRI_HOOKOPS_H

#include "hookconf.h"

/* Apply one instruction to the rootfs at rootfs (rootfd its O_PATH fd). */
void hookops_apply(int rootfd, const char *rootfs, const struct hookconf_line *l);

#endif
