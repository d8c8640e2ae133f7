/* Small helpers shared by the lxcri helper programs (header-only). */
#ifndef LXCRI_UTIL_H
#define LXCRI_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write all of buf, retrying short writes and EINTR. */
static inline int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
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

#endif
