/*
 * The rootfs of a container in a new user namespace, prepared as host root
 * (rootfs.c, for lxcri-start).
 *
 * liblxc sets up a directory rootfs in its child, as the container's mapped
 * root: a bundle that host root can read but that ID cannot (a 0700 bundle
 * directory, a rootfs directory of mode 0700) could not be used. So, before
 * liblxc starts, the monitor moves into a mount namespace of its own (a slave
 * of the host's: nothing propagates back) and bind-mounts the rootfs at a
 * target in the runtime directory, which the mapped root can reach; liblxc's
 * child is cloned from that namespace and uses the target as its rootfs. When
 * the mapped root could not even enter the rootfs's top directory, the bind
 * is idmapped through the container's mappings, so that what host root owns
 * the container's root owns (the only way such a rootfs can be used at all).
 */
#ifndef LXCRI_ROOTFS_H
#define LXCRI_ROOTFS_H

#include <stddef.h>

/* Enter a private mount namespace and bind source (recursively) at target,
 * idmapped when uid_map is given. 0, or -1 with the reason in err. */
int prepare_rootfs(const char *source, const char *target, const char *uid_map, const char *gid_map,
		   char *err, size_t cap);

#endif
