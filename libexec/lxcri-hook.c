/*
 * lxcri-hook: liblxc hook (lxc.hook.version = 1, type in $LXC_HOOK_TYPE).
 *
 * pre-mount: mounts the spec's tmpfs at <rundir>/stage/N and makes the mount
 *            points in them (premount.conf, see hook_premount).
 * mount:     runs in the container's mount namespace before pivot_root and
 *            applies <dirname($LXC_CONFIG_FILE)>/hook.conf to the rootfs at
 *            $LXC_ROOTFS_MOUNT (device nodes, symlinks, masked and read-only
 *            paths). Every path is resolved with openat2(RESOLVE_IN_ROOT), so
 *            symlinks in the rootfs can never lead out of it.
 *            "ocihooks" runs the OCI hooks of create (see hook_oci).
 * post-stop: runs in the monitor after the container is gone; fails when
 *            $LXC_TARGET is "reboot", which makes liblxc stop the container
 *            instead of restarting it (init killed by SIGHUP means "reboot"
 *            to liblxc; to an OCI runtime it is just the way init died).
 *
 * hook.conf: one instruction per line, fields separated by TAB:
 *   dev <path> <c|u|b|p> <major> <minor> <mode-octal> <uid> <gid>
 *   symlink <target> <path>
 *   mkdir <path>
 *   mask <path>
 *   ro <path>
 *   rootro
 *   ocihooks
 * Empty lines and lines starting with '#' are ignored.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "rundir.h"
#include "ocihook.h"
#include "util.h"

#define MAX_FIELDS 9

static char errfile[PATH_MAX];
/* The container's runtime directory, dirname($LXC_CONFIG_FILE). */
static const char *rundir;

/* The reason on stderr, which liblxc logs as "lxc ... produced output: ...".
 * liblxc keeps the newline it reads and adds its own, so a trailing newline
 * would put an empty line into the log: the reason goes without one, and
 * every control character becomes a space (the log is one record a line). */
static void say(const char *line)
{
	size_t n = strlen(line);
	char *out = malloc(n + 1);

	if (!out) {
		(void)write_all(STDERR_FILENO, "lxcri-hook: out of memory", 25);
		return;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)line[i] < 0x20 || line[i] == 0x7f ? ' ' : line[i];
	while (n > 0 && out[n - 1] == ' ')
		n--;
	(void)write_all(STDERR_FILENO, out, n);
	free(out);
}

/* "lxcri-hook: " and the parts, a malloc'ed line of exactly their length: no fixed
 * buffer cuts a reason short (NULL without memory; the caller then says less). */
static char *join_line(const char *const parts[])
{
	size_t len = strlen("lxcri-hook: ") + 2;
	char *line;

	for (size_t i = 0; parts[i]; i++)
		len += strlen(parts[i]);
	line = malloc(len);
	if (!line)
		return NULL;
	strcpy(line, "lxcri-hook: ");
	for (size_t i = 0; parts[i]; i++)
		strcat(line, parts[i]);
	/* One line in the error file too, whatever a path or reason holds. */
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	strcat(line, "\n");
	return line;
}

static _Noreturn void fail_line(const char *const parts[])
{
	char *line = join_line(parts);

	if (!line) {
		say("lxcri-hook: out of memory");
		exit(1);
	}
	say(line);
	if (errfile[0])
		(void)append_line(errfile, line);
	exit(1);
}

/* Report "lxcri-hook: <op> <path>: <text>" on stderr and in the runtime
 * dir's error file (which `lxcri create` shows), then fail the hook; liblxc
 * aborts the start when a hook fails. */
static _Noreturn void fail_msg(const char *op, const char *path, const char *text)
{
	fail_line((const char *const[]){ op, " ", path, ": ", text, NULL });
}

/* Fail with a complete reason ("lxcri-hook: <text>"). */
static _Noreturn void fail_text(const char *text)
{
	fail_line((const char *const[]){ text, NULL });
}

static _Noreturn void fail(const char *op, const char *path, int err)
{
	fail_msg(op, path, strerror(err));
}

/* openat2 with the path confined to rootfd: ".." and absolute symlinks
 * stop at rootfd, /proc magic links are refused. */
static int resolve(int rootfd, const char *path, int flags)
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

/* Mount syscalls take paths; /proc/self/fd/N names exactly the resolved
 * object without walking the (untrusted) path again. */
static const char *fd_path(int fd, char *buf, size_t cap)
{
	snprintf(buf, cap, "/proc/self/fd/%d", fd);
	return buf;
}

/* Split path into the parent dir (malloc'ed) and the last component. */
static char *split_path(const char *op, const char *path, const char **base)
{
	size_t len = strlen(path);
	char *copy, *slash;

	while (len > 1 && path[len - 1] == '/')
		len--;
	copy = strndup(path, len);
	if (!copy)
		fail(op, path, ENOMEM);
	slash = strrchr(copy, '/');
	*base = slash ? slash + 1 : copy;
	if (**base == '\0' || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0)
		fail_msg(op, path, "invalid path");
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
		fail(op, dir, ENAMETOOLONG);
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
		fail(op, dir, ENAMETOOLONG);
	memcpy(name, dir + start, end - start);
	name[end - start] = '\0';
	if (mkdirat(parent, name, 0755) == 0)
		return 0;
	if (errno != EEXIST) {
		dir[end] = '\0';
		fail(op, dir, errno);
	}
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
		return 0;
	n = readlinkat(parent, name, target, sizeof(target) - 1);
	if (n < 0)
		fail(op, dir, errno);
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
		fail(op, dir, errno);
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
		fd = resolve(rootfd, dir, O_DIRECTORY);
		dir[i] = saved;
		if (fd < 0 && errno == ENOENT) {
			if (make_component(parent, dir, start, i, op)) {
				close(parent);
				return -2;
			}
			dir[i] = '\0';
			fd = resolve(rootfd, dir, O_DIRECTORY);
			dir[i] = saved;
		}
		if (fd < 0) {
			dir[i] = '\0';
			fail(op, dir, errno);
		}
		close(parent);
		parent = fd;
	}
	return parent;
}

/* Resolve dir inside the rootfs, creating missing components (0755) one by
 * one in their already resolved parent. */
static int open_dir_creating(int rootfd, const char *op, const char *dir)
{
	char path[PATH_MAX];
	int fd = resolve(rootfd, dir, O_DIRECTORY);

	if (fd >= 0 || errno != ENOENT) {
		if (fd < 0)
			fail(op, dir, errno);
		return fd;
	}
	if (strlen(dir) >= sizeof(path))
		fail(op, dir, ENAMETOOLONG);
	strcpy(path, dir);
	/* Bounded like the kernel's symlink limit, against symlink loops. */
	for (int hops = 0; hops < 40; hops++) {
		fd = walk_creating(rootfd, path, op);
		if (fd != -2)
			return fd;
	}
	fail(op, dir, ELOOP);
}

/* Parse an unsigned number in base; -1 if not a number or above max. */
static long long parse_num(const char *s, int base, unsigned long long max)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -1;
	return (long long)v;
}

/* Mount flags that a bind remount must repeat: in a user namespace the
 * kernel refuses (EPERM) to drop locked nosuid/nodev/noexec/atime flags. */
static unsigned long mount_flags_of(int fd, const char *op, const char *path)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
		{ ST_RDONLY, MS_RDONLY },	    { ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV },		    { ST_NOEXEC, MS_NOEXEC },
		{ ST_SYNCHRONOUS, MS_SYNCHRONOUS }, { ST_MANDLOCK, MS_MANDLOCK },
		{ ST_NOATIME, MS_NOATIME },	    { ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	struct statvfs sv;
	unsigned long flags = 0;

	if (fstatvfs(fd, &sv) < 0)
		fail(op, path, errno);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			flags |= map[i].ms;
	return flags;
}

/* Remount the mount whose root fd is, read-only, keeping its other flags. */
static void remount_ro(int fd, const char *op, const char *path)
{
	char p[64];
	unsigned long flags = mount_flags_of(fd, op, path);

	if (mount(NULL, fd_path(fd, p, sizeof(p)), NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | flags,
		  NULL) < 0)
		fail(op, path, errno);
}

/* Bind mount the host's device at path onto an empty file at name: mknod
 * is not allowed in a user namespace, binding an existing node is. */
static void bind_host_dev(int parent, const char *name, const char *path)
{
	char p[64];
	int fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0)
		fail("dev", path, errno);
	close(fd);
	fd = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		fail("dev", path, errno);
	if (mount(path, fd_path(fd, p, sizeof(p)), NULL, MS_BIND, NULL) < 0)
		fail("dev", path, errno);
	close(fd);
}

static mode_t dev_type(const char *t)
{
	if (strcmp(t, "c") == 0 || strcmp(t, "u") == 0)
		return S_IFCHR;
	if (strcmp(t, "b") == 0)
		return S_IFBLK;
	if (strcmp(t, "p") == 0)
		return S_IFIFO;
	return 0;
}

/* Make room for a device node at name. Returns 1 if a matching node is
 * already there, -1 if a mount is there (someone else's: leave it). */
static int clear_dev_target(int parent, const char *name, mode_t type, dev_t rdev,
			    const char *path)
{
	struct statx stx;

	if (statx(parent, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &stx) < 0) {
		if (errno == ENOENT)
			return 0;
		fail("dev", path, errno);
	}
	if (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)
		return -1;
	if ((stx.stx_mode & S_IFMT) == type &&
	    (type == S_IFIFO || makedev(stx.stx_rdev_major, stx.stx_rdev_minor) == rdev))
		return 1;
	/* A non-empty directory fails with ENOTEMPTY, as it should. */
	if (unlinkat(parent, name, S_ISDIR(stx.stx_mode) ? AT_REMOVEDIR : 0) < 0)
		fail("dev", path, errno);
	return 0;
}

static void op_dev(int rootfd, char **a)
{
	const char *path = a[1], *name;
	mode_t type = dev_type(a[2]);
	long long major = parse_num(a[3], 10, UINT32_MAX), minor = parse_num(a[4], 10, UINT32_MAX);
	long long mode = parse_num(a[5], 8, 07777);
	long long uid = parse_num(a[6], 10, UINT32_MAX - 1), gid = parse_num(a[7], 10, UINT32_MAX - 1);
	char *dir;
	dev_t rdev;
	int parent, state;

	if (!type || major < 0 || minor < 0 || mode < 0 || uid < 0 || gid < 0)
		fail_msg("dev", path, "invalid device specification");
	rdev = type == S_IFIFO ? 0 : makedev(major, minor);
	dir = split_path("dev", path, &name);
	parent = open_dir_creating(rootfd, "dev", dir);

	state = clear_dev_target(parent, name, type, rdev, path);
	if (state < 0)
		goto out;
	if (state == 0 && mknodat(parent, name, type | (mode_t)mode, rdev) < 0) {
		if (errno != EPERM)
			fail("dev", path, errno);
		bind_host_dev(parent, name, path);
		goto out; /* the host's node keeps its own owner and mode */
	}
	if (fchownat(parent, name, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW) < 0)
		fail("dev", path, errno);
	/* Not a symlink (checked above), so following is harmless. */
	if (fchmodat(parent, name, (mode_t)mode, 0) < 0)
		fail("dev", path, errno);
out:
	close(parent);
	free(dir);
}

static void op_symlink(int rootfd, char **a)
{
	const char *target = a[1], *path = a[2], *name;
	char *dir = split_path("symlink", path, &name);
	int parent = open_dir_creating(rootfd, "symlink", dir);
	struct stat st;

	/* Whatever is there already (e.g. from the image) wins. */
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			fail("symlink", path, errno);
		if (symlinkat(target, parent, name) < 0 && errno != EEXIST)
			fail("symlink", path, errno);
	}
	close(parent);
	free(dir);
}

static void op_mkdir(int rootfd, char **a)
{
	close(open_dir_creating(rootfd, "mkdir", a[1]));
}

/* Resolve an existing path; -1 if it does not exist (nothing to do). */
static int resolve_existing(int rootfd, const char *op, const char *path)
{
	int fd = resolve(rootfd, path, 0);

	if (fd < 0 && errno != ENOENT && errno != ENOTDIR)
		fail(op, path, errno);
	return fd;
}

static void op_mask(int rootfd, char **a)
{
	const char *path = a[1];
	int fd = resolve_existing(rootfd, "mask", path);
	struct stat st;
	char p[64];
	int ret;

	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0)
		fail("mask", path, errno);
	if (S_ISDIR(st.st_mode))
		ret = mount("tmpfs", fd_path(fd, p, sizeof(p)), "tmpfs",
			    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0755");
	else
		ret = mount("/dev/null", fd_path(fd, p, sizeof(p)), NULL, MS_BIND, NULL);
	if (ret < 0)
		fail("mask", path, errno);
	close(fd);
}

static void op_ro(int rootfd, char **a)
{
	const char *path = a[1];
	int fd = resolve_existing(rootfd, "ro", path);
	char p[64];

	if (fd < 0)
		return;
	if (mount(fd_path(fd, p, sizeof(p)), p, NULL, MS_BIND | MS_REC, NULL) < 0)
		fail("ro", path, errno);
	close(fd);
	/* The old fd still names the covered mount; remount the new one. */
	fd = resolve(rootfd, path, 0);
	if (fd < 0)
		fail("ro", path, errno);
	remount_ro(fd, "ro", path);
	close(fd);
}

static void op_rootro(const char *rootfs)
{
	int fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail("rootro", rootfs, errno);
	remount_ro(fd, "rootro", rootfs);
	close(fd);
}

/* The hook runs in the container's UTS namespace, new or joined by path (a pod's
 * pinned one): liblxc sets lxc.uts.name only in a namespace it made itself. */
static void op_hostname(int rootfd, char **a)
{
	(void)rootfd;
	if (sethostname(a[1], strlen(a[1])) < 0)
		fail("hostname", a[1], errno);
}

static void op_domainname(int rootfd, char **a)
{
	(void)rootfd;
	if (setdomainname(a[1], strlen(a[1])) < 0)
		fail("domainname", a[1], errno);
}

/* sysctl<TAB>key<TAB>value: written to the container's /proc/sys (its namespaces,
 * its proc mount) before read-only paths make /proc/sys read-only. */
static void op_sysctl(int rootfd, char **a)
{
	char path[PATH_MAX], p[64];
	int fd, wfd;

	if ((size_t)snprintf(path, sizeof(path), "/proc/sys/%s", a[1]) >= sizeof(path))
		fail("sysctl", a[1], ENAMETOOLONG);
	/* net.ipv4.ip_forward → net/ipv4/ip_forward; keys with slashes are paths. */
	if (!strchr(a[1], '/'))
		for (char *c = path + strlen("/proc/sys/"); *c; c++)
			if (*c == '.')
				*c = '/';
	fd = resolve(rootfd, path, 0);
	if (fd < 0)
		fail("sysctl", a[1], errno);
	wfd = open(fd_path(fd, p, sizeof(p)), O_WRONLY | O_CLOEXEC);
	if (wfd < 0)
		fail("sysctl", a[1], errno);
	if (write_all(wfd, a[2], strlen(a[2])) < 0)
		fail("sysctl", a[1], errno);
	if (close(wfd) < 0)
		fail("sysctl", a[1], errno);
	close(fd);
}

/* Read all of fd (up to 1 MiB) into a malloc'ed, NUL-terminated buffer. */
static char *read_all(int fd, size_t *len, const char *what)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		fail("read", what, ENOMEM);
	for (;;) {
		ssize_t r;
		if (n + 1 >= cap) {
			char *bigger = cap >= (1U << 20) ? NULL : realloc(buf, cap *= 2);
			if (!bigger)
				fail("read", what, cap >= (1U << 20) ? EFBIG : ENOMEM);
			buf = bigger;
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fail("read", what, errno);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Ask `lxcri create` (on <rundir>/hooks.sock) to run the prestart and
 * createRuntime hooks in the runtime's namespaces. We send our own PID as
 * the host sees it (/proc is still the host's before pivot_root), from
 * which create finds the container's init; it answers "ok\n<state JSON>"
 * (the state for createContainer) or "error <reason>\n". */
static char *runtime_hooks(size_t *statelen)
{
	char sock[PATH_MAX], self[32], line[48], *reply;
	ssize_t n;
	size_t len;
	int fd;

	if ((size_t)snprintf(sock, sizeof(sock), "%s/" RUNDIR_HOOK_SOCKET, rundir) >= sizeof(sock))
		fail("ocihooks", rundir, ENAMETOOLONG);
	n = readlink("/proc/self", self, sizeof(self) - 1);
	if (n < 0)
		fail("ocihooks", "/proc/self", errno);
	self[n] = '\0';
	snprintf(line, sizeof(line), "%s\n", self);
	fd = unix_connect(sock);
	if (fd < 0)
		fail("ocihooks", sock, errno);
	if (write_all(fd, line, strlen(line)) < 0 || shutdown(fd, SHUT_WR) < 0)
		fail("ocihooks", sock, errno);
	reply = read_all(fd, &len, sock);
	close(fd);
	if (strncmp(reply, "ok\n", 3) == 0) {
		*statelen = len - 3;
		return reply;
	}
	if (strncmp(reply, "error ", 6) == 0) {
		reply[strcspn(reply, "\n")] = '\0';
		fail_text(reply + 6);
	}
	fail_msg("ocihooks", sock, "no answer from lxcri create");
}

/* Hand a createContainer hook's output (in the memfd out) to `lxcri create`
 * over hooks.sock as "output\0<hook path>\0<bytes>": create logs it as a
 * JSON field like the output of the hooks it runs itself. liblxc would log it
 * raw, one line per line the hook printed, with whatever those contain. At
 * most HOOK_OUTPUT_LIMIT bytes, as create keeps. Best effort: a create that
 * is gone cannot log it, and the hook's outcome stands either way. */
#define HOOK_OUTPUT_LIMIT (64 * 1024)
static void send_output(const char *hook, int out)
{
	char sock[PATH_MAX];
	size_t head = sizeof("output") + strlen(hook) + 1, len;
	off_t size = lseek(out, 0, SEEK_END);
	char *msg, *reply;
	ssize_t n;
	int fd;

	if (size <= 0)
		return;
	if (size > HOOK_OUTPUT_LIMIT)
		size = HOOK_OUTPUT_LIMIT;
	msg = malloc(head + (size_t)size);
	if (!msg)
		return;
	memcpy(msg, "output", sizeof("output"));
	memcpy(msg + sizeof("output"), hook, strlen(hook) + 1);
	do
		n = pread(out, msg + head, (size_t)size, 0);
	while (n < 0 && errno == EINTR);
	snprintf(sock, sizeof(sock), "%s/" RUNDIR_HOOK_SOCKET, rundir);
	fd = n < 0 ? -1 : unix_connect(sock);
	if (fd >= 0) {
		/* The answer ("ok") tells us create has logged it. */
		if (write_all(fd, msg, head + (size_t)n) == 0 && shutdown(fd, SHUT_WR) == 0) {
			reply = read_all(fd, &len, sock);
			free(reply);
		}
		close(fd);
	}
	free(msg);
}

/* The last non-empty line of the output in out, control characters as spaces,
 * cut at a character boundary after 200 bytes with a marker that gives its length:
 * a failing hook's reason ends with it, as with the hooks create runs itself. ""
 * if there is none. cap must hold 200 bytes and the marker. */
#define LAST_LINE_MAX 200
static void last_line(int out, char *line, size_t cap)
{
	char buf[4096];
	off_t size = lseek(out, 0, SEEK_END);
	off_t from = size > (off_t)sizeof(buf) ? size - (off_t)sizeof(buf) : 0;
	ssize_t n = size > 0 ? pread(out, buf, (size_t)(size - from), from) : 0;
	size_t start, end = n > 0 ? (size_t)n : 0, len;

	while (end > 0 && (unsigned char)buf[end - 1] <= ' ')
		end--;
	for (start = end; start > 0 && buf[start - 1] != '\n';)
		start--;
	while (start < end && (unsigned char)buf[start] <= ' ')
		start++;
	len = utf8_prefix(buf + start, end - start, LAST_LINE_MAX);
	for (size_t i = start; i < start + len; i++)
		if ((unsigned char)buf[i] < ' ' || buf[i] == 0x7f)
			buf[i] = ' ';
	if (len < end - start)
		/* At most 4096 bytes were read: the line may be longer still. */
		snprintf(line, cap, "%.*s... (%s%zu bytes)", (int)len, buf + start,
			 start == 0 && from > 0 ? "over " : "", end - start);
	else
		snprintf(line, cap, "%.*s", (int)len, buf + start);
}

/* ocihooks: the prestart and createRuntime hooks (by create, see above),
 * then the createContainer hooks here, in the container's namespaces before
 * pivot_root. Their output is logged by create (send_output). */
static void op_ocihooks(void)
{
	char path[PATH_MAX], msg[1024], *state, *buf;
	struct ocihook *hooks;
	size_t statelen, len;
	long n;
	int fd, out, ret;

	state = runtime_hooks(&statelen);
	snprintf(path, sizeof(path), "%s/" RUNDIR_HOOKS "/" RUNDIR_CREATE_CONTAINER_HOOKS, rundir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			fail("read", path, errno);
		free(state);
		return;
	}
	buf = read_all(fd, &len, path);
	close(fd);
	n = ocihook_parse(buf, len, &hooks);
	if (n < 0)
		fail("read", path, errno);
	for (long i = 0; i < n; i++) {
		out = (int)syscall(SYS_memfd_create, "hook-output", 1U /* MFD_CLOEXEC */);
		if (out < 0)
			fail("createContainer hook", hooks[i].path, errno);
		ret = ocihook_run(&hooks[i], state + 3, statelen, out, msg, sizeof(msg));
		send_output(hooks[i].path, out);
		if (ret < 0) {
			char last[256], reason[sizeof(msg) + sizeof(last) + 2];

			last_line(out, last, sizeof(last));
			snprintf(reason, sizeof(reason), "%s%s%s", msg, last[0] ? ": " : "", last);
			fail_msg("createContainer hook", hooks[i].path, reason);
		}
		close(out);
	}
	ocihook_free(hooks, n);
	free(buf);
	free(state);
}

/* Split line at TABs into f (up to MAX_FIELDS); returns the count. */
static int split_fields(char *line, char **f)
{
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p; p++) {
		if (*p != '\t')
			continue;
		if (n == MAX_FIELDS)
			return MAX_FIELDS + 1;
		*p = '\0';
		f[n++] = p + 1;
	}
	return n;
}

static void run_line(int rootfd, const char *rootfs, char *line)
{
	static const struct {
		const char *name;
		int nfields;
		void (*fn)(int rootfd, char **a);
	} ops[] = {
		{ "dev", 8, op_dev },	  { "symlink", 3, op_symlink }, { "mkdir", 2, op_mkdir },
		{ "mask", 2, op_mask }, { "ro", 2, op_ro },
		{ "hostname", 2, op_hostname }, { "domainname", 2, op_domainname },
		{ "sysctl", 3, op_sysctl },
	};
	char *f[MAX_FIELDS] = { 0 };
	int n = split_fields(line, f);
	/* Name the path (not a symlink target) in error messages. */
	const char *what = n > 2 && strcmp(f[0], "symlink") == 0 ? f[2] : n > 1 ? f[1] : "";

	if (strcmp(f[0], "rootro") == 0 && n == 1) {
		op_rootro(rootfs);
		return;
	}
	if (strcmp(f[0], "ocihooks") == 0 && n == 1) {
		op_ocihooks();
		return;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(f[0], ops[i].name) != 0)
			continue;
		if (n != ops[i].nfields)
			fail_msg(f[0], what, "wrong number of fields in hook.conf");
		ops[i].fn(rootfd, f);
		return;
	}
	fail_msg(f[0], what, "unknown operation in hook.conf");
}

static int hook_mount(const char *dir)
{
	const char *rootfs = getenv("LXC_ROOTFS_MOUNT");
	char conf[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;
	int rootfd;

	if (!rootfs || !*rootfs)
		fail_msg("mount", "LXC_ROOTFS_MOUNT", "not set");
	snprintf(conf, sizeof(conf), "%s/" RUNDIR_HOOK_CONF, dir);
	fp = fopen(conf, "re");
	if (!fp) {
		if (errno == ENOENT)
			return 0; /* nothing to do */
		fail("read", conf, errno);
	}
	rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		fail("open", rootfs, errno);
	/* Modes in hook.conf are exact. */
	umask(0);

	while ((len = getline(&line, &cap, fp)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		run_line(rootfd, rootfs, line);
	}
	if (ferror(fp))
		fail("read", conf, errno);
	free(line);
	fclose(fp);
	close(rootfd);
	return 0;
}

/* pre-mount: the spec's tmpfs, staged (src/lxc/mountpoints.ts, premount.ts).
 * Runs in the container's mount namespace before liblxc sets up the rootfs:
 * each tmpfs is mounted at <rundir>/stage/N and the mount points below it are
 * made here by fd, where nothing else can reach them (no path in a fresh tmpfs
 * can be a symlink); liblxc then binds it onto its destination in the rootfs.
 * liblxc's own create= would walk the rootfs path again, through whatever a
 * local user renamed into place meanwhile. */
static void stage_path(const char *dir, const char *id, char *buf, size_t cap)
{
	if (parse_num(id, 10, 1000000) < 0)
		fail_msg("premount", id, "not a stage number");
	if ((size_t)snprintf(buf, cap, "%s/" RUNDIR_STAGE "/%s", dir, id) >= cap)
		fail("premount", dir, ENAMETOOLONG);
}

static unsigned long stage_flags(const char *s)
{
	long long v = parse_num(s, 10, ULONG_MAX);

	if (v < 0)
		fail_msg("premount", s, "not mount flags");
	return (unsigned long)v;
}

/* tmpfs N source flags data */
static void premount_tmpfs(const char *dir, char **a)
{
	char path[PATH_MAX];

	stage_path(dir, a[1], path, sizeof(path));
	if (mount(a[2], path, "tmpfs", stage_flags(a[3]), a[4][0] ? a[4] : NULL) < 0)
		fail("mount tmpfs", path, errno);
}

/* make N path dir|file: parents as directories, each opened without
 * following symlinks in the one before. */
static void premount_make(const char *dir, char **a)
{
	char path[PATH_MAX], rel[PATH_MAX];
	char *name, *next;
	int parent;
	bool file = strcmp(a[3], "file") == 0;

	if (!file && strcmp(a[3], "dir") != 0)
		fail_msg("premount", a[3], "not dir or file");
	stage_path(dir, a[1], path, sizeof(path));
	if ((size_t)snprintf(rel, sizeof(rel), "%s", a[2]) >= sizeof(rel))
		fail("premount", a[2], ENAMETOOLONG);
	parent = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0)
		fail("premount", path, errno);
	for (name = strtok_r(rel, "/", &next); name; name = strtok_r(NULL, "/", &next)) {
		bool last = next == NULL || *next == '\0';
		int fd;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			fail_msg("premount", a[2], "invalid path");
		if (last && file) {
			fd = openat(parent, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (fd < 0 && errno != EEXIST)
				fail("premount", a[2], errno);
			if (fd >= 0)
				close(fd);
			break;
		}
		if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
			fail("premount", a[2], errno);
		fd = openat(parent, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			fail("premount", a[2], errno);
		close(parent);
		parent = fd;
	}
	close(parent);
}

/* ro N flags: read-only once its mount points are made. */
static void premount_ro(const char *dir, char **a)
{
	char path[PATH_MAX];

	stage_path(dir, a[1], path, sizeof(path));
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | stage_flags(a[2]), NULL) < 0)
		fail("remount read-only", path, errno);
}

static int hook_premount(const char *dir)
{
	char conf[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;

	snprintf(conf, sizeof(conf), "%s/" RUNDIR_PREMOUNT_CONF, dir);
	fp = fopen(conf, "re");
	if (!fp) {
		if (errno == ENOENT)
			return 0;
		fail("read", conf, errno);
	}
	/* What is mounted here must not propagate to the host (liblxc makes the
	 * tree a slave too, but only after this hook). */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		fail("premount", "/", errno);
	umask(0);
	while ((len = getline(&line, &cap, fp)) >= 0) {
		char *f[MAX_FIELDS] = { 0 };
		int n;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		n = split_fields(line, f);
		if (strcmp(f[0], "tmpfs") == 0 && n == 5)
			premount_tmpfs(dir, f);
		else if (strcmp(f[0], "make") == 0 && n == 4)
			premount_make(dir, f);
		else if (strcmp(f[0], "ro") == 0 && n == 3)
			premount_ro(dir, f);
		else
			fail_msg("premount", f[0], "unknown operation or wrong number of fields in premount.conf");
	}
	if (ferror(fp))
		fail("read", conf, errno);
	free(line);
	fclose(fp);
	return 0;
}

/* liblxc 5 restarts the container within the same lxc->start call when
 * init dies of SIGHUP, unless a post-stop hook fails ("Container will be
 * stopped instead of rebooted"). Failing quietly is the veto: lxc->start
 * then returns normally after init's SIGHUP death. */
static int hook_post_stop(void)
{
	const char *target = getenv("LXC_TARGET");

	return target && strcmp(target, "reboot") == 0 ? 1 : 0;
}

int main(void)
{
	const char *type = getenv("LXC_HOOK_TYPE");
	const char *config = getenv("LXC_CONFIG_FILE");
	char *dir;
	int ret;

	if (!config || !*config)
		fail_msg("hook", "LXC_CONFIG_FILE", "not set");
	dir = dir_of(config);
	if (!dir)
		fail("hook", config, ENOMEM);
	rundir = dir;
	if ((size_t)snprintf(errfile, sizeof(errfile), "%s/" RUNDIR_ERROR, dir) >= sizeof(errfile))
		errfile[0] = '\0';
	if (strlen(dir) > PATH_MAX - 32)
		fail("hook", dir, ENAMETOOLONG);
	/* Without the type (lxc.hook.version 0) we cannot know what to do. */
	if (!type)
		fail_msg("hook", "LXC_HOOK_TYPE", "not set (lxc.hook.version must be 1)");

	if (strcmp(type, "pre-mount") == 0)
		ret = hook_premount(dir);
	else if (strcmp(type, "mount") == 0)
		ret = hook_mount(dir);
	else if (strcmp(type, "post-stop") == 0)
		ret = hook_post_stop();
	else
		ret = 0; /* other hook types: nothing to do (yet) */
	free(dir);
	return ret;
}
