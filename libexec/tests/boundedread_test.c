/* boundedread.c: only regular files, never more than the bound, never blocking. */
#include <fcntl.h>
#include <sys/stat.h>

#include "boundedread.h"
#include "check.h"

static char dir[64];

static void write_file(const char *name, size_t n)
{
	char path[128];
	char *buf = malloc(n + 1);
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	memset(buf, 'x', n);
	fp = fopen(path, "w");
	if (!fp || fwrite(buf, 1, n, fp) != n || fclose(fp) != 0) {
		perror(path);
		exit(2);
	}
	free(buf);
}

/* read_bounded_at(dirfd, name, flags, max): its length, or its error as text. */
static char result[64];
static const char *read_name(int dirfd, const char *name, int flags, size_t max)
{
	size_t len = 0;
	int err = 0;
	char *buf = read_bounded_at(dirfd, name, flags, max, &len, &err);

	if (!buf)
		return read_error(err, max);
	snprintf(result, sizeof(result), "%zu bytes%s", len, buf[len] == '\0' ? "" : " (no NUL)");
	free(buf);
	return result;
}

static void files(void)
{
	int dirfd = open(dir, O_PATH | O_DIRECTORY);
	char path[128];

	write_file("empty", 0);
	write_file("small", 100);
	write_file("exact", 8192);
	write_file("over", 8193);
	write_file("big", 3 << 20);
	CHECK_STR(read_name(dirfd, "empty", 0, 8192), "0 bytes");
	CHECK_STR(read_name(dirfd, "small", 0, 8192), "100 bytes");
	CHECK_STR(read_name(dirfd, "exact", 0, 8192), "8192 bytes");
	CHECK_STR(read_name(dirfd, "over", 0, 8192), "larger than 8 KiB");
	CHECK_STR(read_name(dirfd, "big", 0, 2 << 20), "larger than 2 MiB");
	CHECK_STR(read_name(dirfd, "missing", 0, 8192), "No such file or directory");

	/* A FIFO nobody writes to: refused at once, the open does not wait for a writer. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	CHECK(mkfifo(path, 0600) == 0);
	CHECK_STR(read_name(dirfd, "fifo", 0, 8192), "not a regular file");
	CHECK_STR(read_name(dirfd, ".", 0, 8192), "not a regular file");
	/* A read that would never end. */
	CHECK_STR(read_name(AT_FDCWD, "/dev/zero", 0, 8192), "not a regular file");
	/* The caller's flags: a symlink refused with O_NOFOLLOW. */
	snprintf(path, sizeof(path), "%s/link", dir);
	CHECK(symlink("small", path) == 0);
	CHECK_STR(read_name(dirfd, "link", 0, 8192), "100 bytes");
	CHECK_STR(read_name(dirfd, "link", O_NOFOLLOW, 8192), "Too many levels of symbolic links");
	close(dirfd);
}

/* read_bounded_fd on a pipe: whatever fd is, the bound holds. */
static void pipes(void)
{
	int p[2];
	char data[3000];
	size_t len;
	int err = 0;
	char *buf;

	memset(data, 'y', sizeof(data));
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], data, 2000) == 2000);
	close(p[1]);
	buf = read_bounded_fd(p[0], 2000, &len, &err);
	CHECK(buf && len == 2000 && buf[2000] == '\0');
	free(buf);
	close(p[0]);

	CHECK(pipe(p) == 0);
	CHECK(write(p[1], data, 3000) == 3000);
	close(p[1]);
	buf = read_bounded_fd(p[0], 2000, &len, &err);
	CHECK(buf == NULL && err == READ_TOO_LARGE);
	close(p[0]);

	buf = read_bounded_fd(-1, 2000, &len, &err);
	CHECK(buf == NULL && err == EBADF);
}

int main(void)
{
	check_tmpdir(dir, sizeof(dir));
	files();
	pipes();
	return check_done("boundedread");
}
