/* Confined path walking in a container's rootfs (see safepath.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hookerr.h"
#include "safepath.h"

int safepath_open(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(O_PATH | O_CLOEXEC | flags),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long fd;
	int tries = 0;

	/* EAGAIN: a concurrent rename made the kernel give up; retry. */
	do
		fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN && ++tries < 100);
	return (int)fd;
}

const char *safepath_proc_fd(int fd, char *buf, size_t cap)
{
	snprintf(buf, cap, "/proc/self/fd/%d", fd);
	return buf;
}

char *safepath_split(const char *op, const char *path, const char **base)
{
	size_t len = strlen(path);
	char *copy, *slash;

	while (len > 1 && path[len - 1] == '/')
		len--;
	copy = strndup(path, len);
	if (!copy)
		hook_fail(op, path, ENOMEM);
	slash = strrchr(copy, '/');
	*base = slash ? slash + 1 : copy;
	if (**base == '\0' || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0)
		hook_fail_msg(op, path, "invalid path");
	if (!slash)
		return strdup(".");
	*slash = '\0';
	return copy[0] ? copy : strdup("/");
}

/* A dangling symlink at dir[start..end) stands for a missing directory:
 * rewrite dir so that the walk continues at its target, as the kernel
 * would resolve it (relative targets start in the symlink's directory). */
static void follow_dangling(char *dir, size_t start, size_t end, const char *target,
			    const char *op)
{
	char rest[PATH_MAX];
	size_t keep = target[0] == '/' ? 0 : start;

	snprintf(rest, sizeof(rest), "%s", dir + end);
	if (keep + strlen(target) + strlen(rest) + 2 > PATH_MAX)
		hook_fail(op, dir, ENAMETOOLONG);
	dir[keep] = '\0';
	strcat(dir, target);
	strcat(dir, "/");
	strcat(dir, rest);
}

/* Create component dir[start..end) in parent. Returns 1 if dir was
 * rewritten to follow a dangling symlink instead. */
static int make_component(int parent, char *dir, size_t start, size_t end, const char *op)
{
	char name[NAME_MAX + 1], target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (end - start > NAME_MAX)
		hook_fail(op, dir, ENAMETOOLONG);
	memcpy(name, dir + start, end - start);
	name[end - start] = '\0';
	if (mkdirat(parent, name, 0755) == 0)
		return 0;
	if (errno != EEXIST) {
		dir[end] = '\0';
		hook_fail(op, dir, errno);
	}
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
		return 0;
	n = readlinkat(parent, name, target, sizeof(target) - 1);
	if (n < 0)
		hook_fail(op, dir, errno);
	target[n] = '\0';
	follow_dangling(dir, start, end, target, op);
	return 1;
}

/* One walk over dir, creating what is missing. Returns the directory's fd,
 * or -2 if dir was rewritten (dangling symlink) and the walk must restart. */
static int walk_creating(int rootfd, char *dir, const char *op)
{
	int parent = dup(rootfd);
	size_t i = 0;

	if (parent < 0)
		hook_fail(op, dir, errno);
	while (dir[i]) {
		char saved;
		size_t start;
		int fd;

		while (dir[i] == '/')
			i++;
		start = i;
		while (dir[i] && dir[i] != '/')
			i++;
		if (i == start)
			break;
		/* Resolve the prefix as a whole: symlinks and ".." in it are
		 * confined to the rootfs by the kernel. */
		saved = dir[i];
		dir[i] = '\0';
		fd = safepath_open(rootfd, dir, O_DIRECTORY);
		dir[i] = saved;
		if (fd < 0 && errno == ENOENT) {
			if (make_component(parent, dir, start, i, op)) {
				close(parent);
				return -2;
			}
			dir[i] = '\0';
			fd = safepath_open(rootfd, dir, O_DIRECTORY);
			dir[i] = saved;
		}
		if (fd < 0) {
			dir[i] = '\0';
			hook_fail(op, dir, errno);
		}
		close(parent);
		parent = fd;
	}
	return parent;
}

int safepath_mkdirs(int rootfd, const char *op, const char *dir)
{
	char path[PATH_MAX];
	int fd = safepath_open(rootfd, dir, O_DIRECTORY);

	if (fd >= 0 || errno != ENOENT) {
		if (fd < 0)
			hook_fail(op, dir, errno);
		return fd;
	}
	if (strlen(dir) >= sizeof(path))
		hook_fail(op, dir, ENAMETOOLONG);
	strcpy(path, dir);
	/* Bounded like the kernel's symlink limit, against symlink loops. */
	for (int hops = 0; hops < 40; hops++) {
		fd = walk_creating(rootfd, path, op);
		if (fd != -2)
			return fd;
	}
	hook_fail(op, dir, ELOOP);
}

int safepath_existing(int rootfd, const char *op, const char *path)
{
	int fd = safepath_open(rootfd, path, 0);

	if (fd < 0 && errno != ENOENT && errno != ENOTDIR)
		hook_fail(op, path, errno);
	return fd;
}
