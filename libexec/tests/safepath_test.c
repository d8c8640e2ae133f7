/* safepath.c: walks in a rootfs that never leave it, however its symlinks and ".."
 * point, on a rootfs made in a temp dir. */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "check.h"
#include "safepath.h"

static char tmp[64], root[128], outside[128];
static int rootfd;

static void path_of(char *buf, size_t cap, const char *base, const char *rel)
{
	snprintf(buf, cap, "%s/%s", base, rel);
}

static void setup(void)
{
	char p[256];
	FILE *fp;

	check_tmpdir(tmp, sizeof(tmp));
	path_of(root, sizeof(root), tmp, "rootfs");
	path_of(outside, sizeof(outside), tmp, "outside");
	path_of(p, sizeof(p), root, "etc");
	if (mkdir(root, 0755) < 0 || mkdir(outside, 0755) < 0 || mkdir(p, 0755) < 0) {
		perror("mkdir");
		exit(2);
	}
	path_of(p, sizeof(p), root, "etc/passwd");
	fp = fopen(p, "w");
	if (!fp || fclose(fp) != 0)
		exit(2);
	path_of(p, sizeof(p), outside, "secret");
	fp = fopen(p, "w");
	if (!fp || fclose(fp) != 0)
		exit(2);
	static const char *const links[][2] = {
		{ "/etc", "abs" },			 /* absolute: the rootfs's /etc */
		{ "../../../../../../../etc", "rel" },	 /* ../ past the root */
		{ NULL, "esc" },			 /* the host's $tmp/outside */
		{ "../outside", "rel2" },		 /* ../ out of the rootfs */
		{ "/made/here", "dangling" },		 /* a missing target */
		{ "loop2", "loop1" },
		{ "loop1", "loop2" },
	};
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		path_of(p, sizeof(p), root, links[i][1]);
		if (symlink(links[i][0] ? links[i][0] : outside, p) < 0) {
			perror(p);
			exit(2);
		}
	}
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		exit(2);
}

/* Is fd the object at host path? */
static bool same(int fd, const char *path)
{
	struct stat a, b;

	return fd >= 0 && fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static bool exists(const char *base, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	path_of(p, sizeof(p), base, rel);
	return lstat(p, &st) == 0;
}

static void opening(void)
{
	char passwd[256];
	int fd;

	path_of(passwd, sizeof(passwd), root, "etc/passwd");
	fd = safepath_open(rootfd, "/abs/passwd", 0);
	CHECK(same(fd, passwd));
	close(fd);
	fd = safepath_open(rootfd, "/rel/passwd", 0);
	CHECK(same(fd, passwd));
	close(fd);
	fd = safepath_open(rootfd, "/../../../etc/passwd", 0);
	CHECK(same(fd, passwd));
	close(fd);
	fd = safepath_open(rootfd, "etc/../../etc/passwd", 0);
	CHECK(same(fd, passwd));
	close(fd);
	/* The host's file behind the symlinks is out of reach. */
	errno = 0;
	CHECK(safepath_open(rootfd, "/esc/secret", 0) < 0 && errno == ENOENT);
	errno = 0;
	CHECK(safepath_open(rootfd, "/rel2/secret", 0) < 0 && errno == ENOENT);
	/* /proc's magic links are refused, whatever they would name (the host's / as the
	 * root here: it has a /proc). */
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	errno = 0;
	CHECK(safepath_open(fd, "/proc/self/root/etc", 0) < 0 && errno == ELOOP);
	CHECK(safepath_open(fd, "/proc/self/cwd", 0) < 0 && errno == ELOOP);
	close(fd);
	fd = safepath_existing(rootfd, "mask", "/no/such/path");
	CHECK(fd == -1);
	fd = safepath_existing(rootfd, "mask", "/etc/passwd/x");
	CHECK(fd == -1);
}

static void making(void)
{
	int fd;

	/* Missing directories behind escaping symlinks are made inside the rootfs. */
	fd = safepath_mkdirs(rootfd, "mkdir", "/esc/evil/dir");
	CHECK(fd >= 0);
	close(fd);
	CHECK(!exists(outside, "evil"));
	CHECK(exists(root, strchr(outside, '/') + 1));
	fd = safepath_mkdirs(rootfd, "mkdir", "/rel2/evil2");
	CHECK(fd >= 0);
	close(fd);
	CHECK(!exists(outside, "evil2") && exists(root, "outside/evil2"));
	/* A dangling symlink is followed as the kernel would, inside the rootfs. */
	fd = safepath_mkdirs(rootfd, "mkdir", "/dangling/x");
	CHECK(fd >= 0);
	close(fd);
	CHECK(exists(root, "made/here/x"));
	CHECK(!exists("", "made/here/x"));
	fd = safepath_mkdirs(rootfd, "mkdir", "/work/a/../b");
	CHECK(fd >= 0 && exists(root, "work/a") && exists(root, "work/b"));
	close(fd);
}

/* What fails ends the hook: in a child, with the one line it says. */
struct failing {
	const char *op, *path;
	int split; /* safepath_split instead of safepath_mkdirs */
};
static void run_failing(void *arg)
{
	const struct failing *f = arg;
	const char *base;

	if (f->split)
		safepath_split(f->op, f->path, &base);
	else
		close(safepath_mkdirs(rootfd, f->op, f->path));
}
static const char *fails(const char *op, const char *path, int split)
{
	static char out[PATH_MAX * 2];
	struct failing f = { op, path, split };
	int status = check_child(run_failing, &f, out, sizeof(out));

	return status == 1 ? out : status == 0 ? "(succeeded)" : "(no exit 1)";
}

static void failing(void)
{
	static char longpath[PATH_MAX + 100], expect[PATH_MAX + 200];

	CHECK_STR(fails("mkdir", "/loop1/x", 0), "lxcri-hook: mkdir /loop1/x: Too many levels of symbolic links");
	CHECK_STR(fails("mkdir", "/etc/passwd/x", 0), "lxcri-hook: mkdir /etc/passwd/x: Not a directory");
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	snprintf(expect, sizeof(expect), "lxcri-hook: mkdir %s: File name too long", longpath);
	CHECK_STR(fails("mkdir", longpath, 0), expect);
	CHECK_STR(fails("dev", "/dev/..", 1), "lxcri-hook: dev /dev/..: invalid path");
	CHECK_STR(fails("dev", "/dev/.", 1), "lxcri-hook: dev /dev/.: invalid path");
	CHECK_STR(fails("dev", "/", 1), "lxcri-hook: dev /: invalid path");
	CHECK_STR(fails("symlink", "", 1), "lxcri-hook: symlink : invalid path");
	/* A control character in a path does not break the line. */
	CHECK_STR(fails("dev", "/a\n/..", 1), "lxcri-hook: dev /a /..: invalid path");
}

static void splitting(void)
{
	const char *base;
	char *dir;

	dir = safepath_split("dev", "/dev/pts/0", &base);
	CHECK_STR(dir, "/dev/pts");
	CHECK_STR(base, "0");
	free(dir);
	dir = safepath_split("dev", "/null//", &base);
	CHECK_STR(dir, "/");
	CHECK_STR(base, "null");
	free(dir);
	dir = safepath_split("dev", "null", &base);
	CHECK_STR(dir, ".");
	CHECK_STR(base, "null");
	/* (base points into a copy that this case does not hand back.) */
}

int main(void)
{
	setup();
	opening();
	making();
	failing();
	splitting();
	close(rootfd);
	return check_done("safepath");
}
