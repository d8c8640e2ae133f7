/* Reading a whole file that someone else may have made: an image's /etc/passwd can be a
 * FIFO (an open or read that never returns), /dev/zero (a read that never ends) or a
 * huge file. Only a regular file is read, and at most a bound (boundedread.c; no stdio:
 * lxcri-init uses it). */
#ifndef LXCRI_BOUNDEDREAD_H
#define LXCRI_BOUNDEDREAD_H

#include <stddef.h>

/* Why read_bounded failed beyond an errno value: not a regular file, or over the bound. */
#define READ_NOT_REGULAR (-1)
#define READ_TOO_LARGE (-2)

/* Read all of path (relative to dirfd, opened with O_RDONLY | O_CLOEXEC | O_NONBLOCK |
 * flags: the FIFO's open must not block either) into a malloc'ed buffer with an extra NUL
 * after *len bytes. NULL on failure, with *err an errno value or READ_NOT_REGULAR /
 * READ_TOO_LARGE. */
char *read_bounded_at(int dirfd, const char *path, int flags, size_t max, size_t *len, int *err);

char *read_bounded(const char *path, int flags, size_t max, size_t *len, int *err);

/* Read fd to its end (a socket, a file we opened), like read_bounded_at but whatever fd
 * is: NULL with *err an errno value or READ_TOO_LARGE after more than max bytes. */
char *read_bounded_fd(int fd, size_t max, size_t *len, int *err);

/* The text for read_bounded's *err. */
const char *read_error(int err, size_t max);

#endif
