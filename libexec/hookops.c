/* The mount hook's rootfs instructions (see hookops.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hookerr.h"
#include "hookops.h"
#include "safepath.h"
#include "util.h"

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
		hook_fail(op, path, errno);
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

	if (mount(NULL, safepath_proc_fd(fd, p, sizeof(p)), NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | flags,
		  NULL) < 0)
		hook_fail(op, path, errno);
}

/* Bind mount the host's device at path onto an empty file at name: mknod
 * is not allowed in a user namespace, binding an existing node is. */
static void bind_host_dev(int parent, const char *name, const char *path)
{
	char p[64];
	int fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0)
		hook_fail("dev", path, errno);
	close(fd);
	fd = openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		hook_fail("dev", path, errno);
	if (mount(path, safepath_proc_fd(fd, p, sizeof(p)), NULL, MS_BIND, NULL) < 0)
		hook_fail("dev", path, errno);
	close(fd);
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
		hook_fail("dev", path, errno);
	}
	if (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)
		return -1;
	if ((stx.stx_mode & S_IFMT) == type &&
	    (type == S_IFIFO || makedev(stx.stx_rdev_major, stx.stx_rdev_minor) == rdev))
		return 1;
	/* A non-empty directory fails with ENOTEMPTY, as it should. */
	if (unlinkat(parent, name, S_ISDIR(stx.stx_mode) ? AT_REMOVEDIR : 0) < 0)
		hook_fail("dev", path, errno);
	return 0;
}

static void op_dev(int rootfd, const char *path, const struct hookconf_dev *d)
{
	dev_t rdev = d->type == S_IFIFO ? 0 : makedev(d->major, d->minor);
	const char *name;
	char *dir = safepath_split("dev", path, &name);
	int parent = safepath_mkdirs(rootfd, "dev", dir);
	int state = clear_dev_target(parent, name, d->type, rdev, path);

	if (state < 0)
		goto out;
	if (state == 0 && mknodat(parent, name, d->type | d->mode, rdev) < 0) {
		if (errno != EPERM)
			hook_fail("dev", path, errno);
		bind_host_dev(parent, name, path);
		goto out; /* the host's node keeps its own owner and mode */
	}
	if (fchownat(parent, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
		hook_fail("dev", path, errno);
	/* Not a symlink (checked above), so following is harmless. */
	if (fchmodat(parent, name, d->mode, 0) < 0)
		hook_fail("dev", path, errno);
out:
	close(parent);
	free(dir);
}

static void op_symlink(int rootfd, const char *target, const char *path)
{
	const char *name;
	char *dir = safepath_split("symlink", path, &name);
	int parent = safepath_mkdirs(rootfd, "symlink", dir);
	struct stat st;

	/* Whatever is there already (e.g. from the image) wins. */
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			hook_fail("symlink", path, errno);
		if (symlinkat(target, parent, name) < 0 && errno != EEXIST)
			hook_fail("symlink", path, errno);
	}
	close(parent);
	free(dir);
}

static void op_mask(int rootfd, const char *path)
{
	int fd = safepath_existing(rootfd, "mask", path);
	struct stat st;
	char p[64];
	int ret;

	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0)
		hook_fail("mask", path, errno);
	if (S_ISDIR(st.st_mode))
		ret = mount("tmpfs", safepath_proc_fd(fd, p, sizeof(p)), "tmpfs",
			    MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0755");
	else
		ret = mount("/dev/null", safepath_proc_fd(fd, p, sizeof(p)), NULL, MS_BIND, NULL);
	if (ret < 0)
		hook_fail("mask", path, errno);
	close(fd);
}

static void op_ro(int rootfd, const char *path)
{
	int fd = safepath_existing(rootfd, "ro", path);
	char p[64];

	if (fd < 0)
		return;
	if (mount(safepath_proc_fd(fd, p, sizeof(p)), p, NULL, MS_BIND | MS_REC, NULL) < 0)
		hook_fail("ro", path, errno);
	close(fd);
	/* The old fd still names the covered mount; remount the new one. */
	fd = safepath_open(rootfd, path, 0);
	if (fd < 0)
		hook_fail("ro", path, errno);
	remount_ro(fd, "ro", path);
	close(fd);
}

static void op_rootro(const char *rootfs)
{
	int fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		hook_fail("rootro", rootfs, errno);
	remount_ro(fd, "rootro", rootfs);
	close(fd);
}

/* sysctl<TAB>key<TAB>value: written to the container's /proc/sys (its namespaces,
 * its proc mount) before read-only paths make /proc/sys read-only. */
static void op_sysctl(int rootfd, const char *key, const char *value)
{
	char path[PATH_MAX], p[64];
	int fd, wfd;

	if ((size_t)snprintf(path, sizeof(path), "/proc/sys/%s", key) >= sizeof(path))
		hook_fail("sysctl", key, ENAMETOOLONG);
	/* net.ipv4.ip_forward → net/ipv4/ip_forward; keys with slashes are paths. */
	if (!strchr(key, '/'))
		for (char *c = path + strlen("/proc/sys/"); *c; c++)
			if (*c == '.')
				*c = '/';
	fd = safepath_open(rootfd, path, 0);
	if (fd < 0)
		hook_fail("sysctl", key, errno);
	wfd = open(safepath_proc_fd(fd, p, sizeof(p)), O_WRONLY | O_CLOEXEC);
	if (wfd < 0)
		hook_fail("sysctl", key, errno);
	if (write_all(wfd, value, strlen(value)) < 0)
		hook_fail("sysctl", key, errno);
	if (close(wfd) < 0)
		hook_fail("sysctl", key, errno);
	close(fd);
}

void hookops_apply(int rootfd, const char *rootfs, const struct hookconf_line *l)
{
	char *const *a = l->f;

	switch (l->op) {
	case HOOKOP_DEV:
		op_dev(rootfd, a[1], &l->dev);
		break;
	case HOOKOP_SYMLINK:
		op_symlink(rootfd, a[1], a[2]);
		break;
	case HOOKOP_MKDIR:
		close(safepath_mkdirs(rootfd, "mkdir", a[1]));
		break;
	case HOOKOP_MASK:
		op_mask(rootfd, a[1]);
		break;
	case HOOKOP_RO:
		op_ro(rootfd, a[1]);
		break;
	case HOOKOP_ROOTRO:
		op_rootro(rootfs);
		break;
	/* The hook runs in the container's UTS namespace, new or joined by path (a pod's
	 * pinned one): liblxc sets lxc.uts.name only in a namespace it made itself. */
	case HOOKOP_HOSTNAME:
		if (sethostname(a[1], strlen(a[1])) < 0)
			hook_fail("hostname", a[1], errno);
		break;
	case HOOKOP_DOMAINNAME:
		if (setdomainname(a[1], strlen(a[1])) < 0)
			hook_fail("domainname", a[1], errno);
		break;
	case HOOKOP_SYSCTL:
		op_sysctl(rootfd, a[1], a[2]);
		break;
	case HOOKOP_OCIHOOKS:
		/* Not a rootfs instruction: createhooks_run's. */
		hook_fail_msg("ocihooks", "", "not a rootfs instruction");
	}
}
