/*
 * initfiles.h: lxcri-init's init dir (create mode): where our files are (the directory we
 * were started from, INIT_DIR or another one, /dev/.lxcri in a user namespace, see
 * src/lxc/userns.ts), reading them, and its unmount once they are read.
 */
#ifndef LXCRI_INITFILES_H
#define LXCRI_INITFILES_H

#include <stddef.h>

#include "initfail.h"
#include "rundir.h"

#define INIT_DIR_MAX 256
extern char init_dir[INIT_DIR_MAX];
/* The init dir once it is unmounted (detach_init_dir), -1 before. */
extern int init_fd;

/* <init_dir>/<name>, in a buffer of the caller's block. */
#define INIT_FILE_MAX (INIT_DIR_MAX + 32)
#define INIT_FILE(name) init_file((name), (char[INIT_FILE_MAX]){ 0 })
const char *init_file(const char *name, char *buf);

/* Our own files in init_dir: regular files written by `lxcri create`, not links. The
 * bound only keeps a damaged one from exhausting memory. */
#define INIT_FILE_LIMIT (256U << 20)

/* Read one of our files (path relative to dirfd, never through a link); the result has
 * an extra NUL after *len bytes. NULL with *err an errno value. */
char *read_file_at(int dirfd, const char *path, size_t *len, int *err);
char *read_file(const char *path, size_t *len, int *err);

/* Unmount the init dir once everything is read from it (see initfiles.c). */
void detach_init_dir(struct failure *f);

#endif
