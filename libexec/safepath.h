/*
 * Paths inside a container's rootfs, resolved so that nothing in the rootfs can
 * lead out of it (safepath.c): every walk is openat2(RESOLVE_IN_ROOT), so ".." and
 * absolute symlinks stop at the rootfs, and /proc magic links are refused. The
 * rootfs is the image's: any component may be a symlink someone planted.
 * Failures end lxcri-hook with "<op> <path>: <reason>" (hookerr.h).
 */
#ifndef LXCRI_SAFEPATH_H
#define LXCRI_SAFEPATH_H

#include <stddef.h>

/* openat2 of path confined to rootfd, as O_PATH | O_CLOEXEC | flags; -1 with errno. */
int safepath_open(int rootfd, const char *path, int flags);

/* An existing path's O_PATH fd; -1 if it does not exist (nothing to do). */
int safepath_existing(int rootfd, const char *op, const char *path);

/* The directory dir's fd, missing components made (0755) one by one in their
 * already resolved parent; a dangling symlink is followed as the kernel would. */
int safepath_mkdirs(int rootfd, const char *op, const char *dir);

/* Split path into its parent dir (malloc'ed) and its last component *base, which
 * must name something: not "", "." or "..". */
char *safepath_split(const char *op, const char *path, const char **base);

/* "/proc/self/fd/N": mount syscalls take paths, and this one names exactly the
 * resolved object without walking the (untrusted) path again. */
const char *safepath_proc_fd(int fd, char *buf, size_t cap);

#endif
