/* Small helpers shared by the lxcri helper programs (header-only). */
#ifndef LXCRI_UTIL_H
#define LXCRI_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Write all of buf, retrying short writes and EINTR; on a socket (`sock`) with
 * MSG_NOSIGNAL, so that a vanished listener cannot kill us with SIGPIPE. */
static inline int put_all(int fd, const char *buf, size_t len, int sock)
{
	while (len > 0) {
		ssize_t n = sock ? send(fd, buf, len, MSG_NOSIGNAL) : write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static inline int write_all(int fd, const char *buf, size_t len)
{
	return put_all(fd, buf, len, 0);
}

static inline int send_all(int fd, const char *buf, size_t len)
{
	return put_all(fd, buf, len, 1);
}

/* Append one line to path (created 0600); -1 if it could not be written, so the
 * caller can fall back to stderr. */
static inline int append_line(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	int ret;

	if (fd < 0)
		return -1;
	ret = write_all(fd, line, strlen(line));
	if (close(fd) < 0)
		ret = -1;
	return ret;
}

/* The length of the longest prefix of s (len bytes) of at most max bytes that ends on a
 * UTF-8 character boundary: a cut never splits a character. */
static inline size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* Back up over continuation bytes (10xxxxxx) to the start of the cut character. */
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* Return a malloc'ed copy of the directory part of path ("." if none). */
static inline char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Connect a new SOCK_STREAM socket to the unix socket at path; the fd, or -1 with errno
 * set. A path that does not fit sun_path (108 bytes: <root>/<id>/... grows with the ID)
 * is reached through /proc/self/fd/<dir fd>/<name>, which the kernel resolves to the same
 * entry; a short one is used as is, so that this works without /proc as well. */
static inline int unix_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	const char *slash = strrchr(path, '/');
	int fd, dirfd = -1, ret, err;

	if (strlen(path) < sizeof(addr.sun_path)) {
		memcpy(addr.sun_path, path, strlen(path) + 1);
	} else {
		char *dir;
		if (!slash || strlen(slash + 1) > 64) {
			errno = ENAMETOOLONG;
			return -1;
		}
		dir = dir_of(path);
		if (!dir)
			return -1;
		dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		err = errno;
		free(dir);
		if (dirfd < 0) {
			errno = err;
			return -1;
		}
		{
			/* "/proc/self/fd/<dirfd>/<name>" without stdio (lxcri-init has none). */
			char digits[12], *d = digits + sizeof(digits) - 1;
			unsigned v = (unsigned)dirfd;
			*d = '\0';
			do
				*--d = (char)('0' + v % 10);
			while (v /= 10);
			strcpy(addr.sun_path, "/proc/self/fd/");
			strcat(addr.sun_path, d);
			strcat(addr.sun_path, "/");
			strcat(addr.sun_path, slash + 1);
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = errno;
		ret = -1;
	} else {
		ret = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
		err = errno;
	}
	if (dirfd >= 0)
		close(dirfd);
	if (ret < 0 && fd >= 0)
		close(fd);
	errno = err;
	return ret < 0 ? -1 : fd;
}

#endif
