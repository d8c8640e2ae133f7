/* Bounded whole-file reads (see boundedread.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boundedread.h"

char *read_bounded_fd(int fd, size_t max, size_t *len, int *err)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
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
	free(buf);
	return NULL;
}

char *read_bounded_at(int dirfd, const char *path, int flags, size_t max, size_t *len, int *err)
{
	struct stat st;
	char *buf;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | flags);

	if (fd < 0 || fstat(fd, &st) < 0) {
		*err = errno;
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		*err = READ_NOT_REGULAR;
		return NULL;
	}
	buf = read_bounded_fd(fd, max, len, err);
	close(fd);
	return buf;
}

char *read_bounded(const char *path, int flags, size_t max, size_t *len, int *err)
{
	return read_bounded_at(AT_FDCWD, path, flags, max, len, err);
}

const char *read_error(int err, size_t max)
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
