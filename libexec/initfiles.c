/* initfiles.c: the init dir and our files in it (see initfiles.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>

#include "boundedread.h"
#include "initfiles.h"
#include "notify.h"

char init_dir[INIT_DIR_MAX] = INIT_DIR;
int init_fd = -1;

const char *init_file(const char *name, char *buf)
{
	buf[0] = '\0';
	str_append(buf, INIT_FILE_MAX, (const char *[]){ init_dir, "/", name, NULL });
	return buf;
}

/* Read one of our files (path relative to dirfd, never through a link); the result has
 * an extra NUL after *len bytes. */
char *read_file_at(int dirfd, const char *path, size_t *len, int *err)
{
	char *buf = read_bounded_at(dirfd, path, O_NOFOLLOW, INIT_FILE_LIMIT, len, err);
	/* The callers report errno values: EINVAL reads "Invalid argument" for a non-file. */
	if (!buf && *err == READ_NOT_REGULAR)
		*err = EINVAL;
	else if (!buf && *err == READ_TOO_LARGE)
		*err = EFBIG;
	return buf;
}

char *read_file(const char *path, size_t *len, int *err)
{
	return read_file_at(AT_FDCWD, path, len, err);
}
/* Unmount the init dir (and the seccomp agent's socket in it) once everything is read
 * from it, while we still are the container's root: the container must find nothing of
 * the host's runtime dir mounted that it could remount rw. What comes later (the notify
 * connection, the sync FIFO, the seccomp state) goes through what we keep open. */
void detach_init_dir(struct failure *f)
{
	/* Without a listener nobody will start us: notify then fails with this errno,
	 * and main shows the first error (ours or this one) on stderr. */
	notify_open();
	init_fd = open(init_dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (init_fd < 0) {
		FAIL_SYS(f, "open", init_dir, errno);
		return;
	}
	if (umount2(init_dir, MNT_DETACH) < 0)
		FAIL_SYS(f, "unmount", init_dir, errno);
}

