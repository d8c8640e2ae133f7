/* Reading a whole file that someone else may have made: an image's /etc/passwd can be a
 * FIFO (an open or read that never returns), /dev/zero (a read that never ends) or a
 * huge file. Only a regular file is read, and at most a bound (header-only). */
#ifndef LXCRI_BOUNDEDREAD_H
#define LXCRI_BOUNDEDREAD_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Why read_bounded failed beyond an errno value: not a regular file, or over the bound. */
#define READ_NOT_REGULAR (-1)
#define READ_TOO_LARGE (-2)

/* Read all of path (relative to dirfd, opened with O_RDONLY | O_CLOEXEC | O_NONBLOCK |
 * flags: the FIFO's open must not block either) into a malloc'ed buffer with an extra NUL
 * after *len bytes. NULL on failure, with *err an errno value or READ_NOT_REGULAR /
 * READ_TOO_LARGE. */
static inline char *read_bounded_at(int dirfd, const char *path, int flags, size_t max, size_t *len, int *err)
{
	struct stat st;
	size_t cap = 4096, n = 0;
	char *buf = NULL;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | flags);

	if (fd < 0)
		goto fail;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*err = READ_NOT_REGULAR;
		return NULL;
	}
	if (!(buf = malloc(cap)))
		goto fail;
	for (;;) {
		ssize_t r;
		if (n + 1 >= cap) {
			char *bigger;
			if (n > max)
				break;
			bigger = realloc(buf, cap *= 2);
			if (!bigger)
				goto fail;
			buf = bigger;
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(buf);
		*err = READ_TOO_LARGE;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	*err = errno;
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

static inline char *read_bounded(const char *path, int flags, size_t max, size_t *len, int *err)
{
	return read_bounded_at(AT_FDCWD, path, flags, max, len, err);
}

/* The text for read_bounded's *err. */
static inline const char *read_error(int err, size_t max)
{
	static char text[64];
	if (err == READ_NOT_REGULAR)
		return "not a regular file";
	if (err == READ_TOO_LARGE) {
		/* max is a number of MiB or more in every use; KiB otherwise. */
		size_t v = max >= (1U << 20) ? max >> 20 : max >> 10;
		char digits[24], *p = digits + sizeof(digits) - 1;
		*p = '\0';
		do
			*--p = (char)('0' + v % 10);
		while (v /= 10);
		text[0] = '\0';
		strcat(text, "larger than ");
		strcat(text, p);
		strcat(text, max >= (1U << 20) ? " MiB" : " KiB");
		return text;
	}
	return strerror(err);
}

#endif
