/* The rootfs bind of a container in a new user namespace (see rootfs.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rootfs.h"
#include "util.h"

/* A user namespace with the given uid_map/gid_map text ("C H S" lines), as an
 * fd: a child unshares it and waits while we write its maps and open it. */
static int userns_fd(const char *uid_map, const char *gid_map, char *err, size_t cap)
{
	int ready[2], done[2], fd = -1, status;
	char path[64], c = 0;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC) < 0) {
		snprintf(err, cap, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(done, O_CLOEXEC) < 0) {
		snprintf(err, cap, "pipe: %s", strerror(errno));
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, cap, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* Only the parent's end may keep done open, or EOF never comes. */
		close(done[1]);
		/* Nor may it outlive a monitor killed meanwhile. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
			_exit(1);
		c = unshare(CLONE_NEWUSER) < 0 ? 'e' : 'r';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		/* Until the parent closes its end: EOF. */
		if (read(done[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	ready[1] = -1;
	if (read(ready[0], &c, 1) != 1 || c != 'r') {
		snprintf(err, cap, "unshare a user namespace for the idmapped rootfs: failed");
		goto reap;
	}
	const char *maps[2][2] = { { "uid_map", uid_map }, { "gid_map", gid_map } };
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, maps[i][0]);
		int m = open(path, O_WRONLY | O_CLOEXEC);
		if (m < 0 || write_all(m, maps[i][1], strlen(maps[i][1])) < 0) {
			snprintf(err, cap, "write %s: %s", path, strerror(errno));
			if (m >= 0)
				close(m);
			goto reap;
		}
		if (close(m) < 0) {
			snprintf(err, cap, "write %s: %s", path, strerror(errno));
			goto reap;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		snprintf(err, cap, "open %s: %s", path, strerror(errno));
reap:
	close(done[1]);
	done[1] = -1;
	if (waitpid(pid, &status, 0) < 0 && fd >= 0) {
		snprintf(err, cap, "waitpid: %s", strerror(errno));
		close(fd);
		fd = -1;
	}
out:
	for (int i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (done[i] >= 0)
			close(done[i]);
	}
	return fd;
}

/* Enter a private mount namespace and bind source (recursively) at target,
 * idmapped when uid_map is given. 0, or -1 with the reason in err. */
int prepare_rootfs(const char *source, const char *target, const char *uid_map, const char *gid_map,
		   char *err, size_t cap)
{
	int tree, ns = -1;

	if (unshare(CLONE_NEWNS) < 0) {
		snprintf(err, cap, "unshare a mount namespace: %s", strerror(errno));
		return -1;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
		snprintf(err, cap, "make / a slave: %s", strerror(errno));
		return -1;
	}
	tree = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (tree < 0) {
		snprintf(err, cap, "open_tree %s: %s", source, strerror(errno));
		return -1;
	}
	if (uid_map) {
		ns = userns_fd(uid_map, gid_map, err, cap);
		if (ns < 0)
			goto fail;
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (unsigned long long)ns };
		if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
			snprintf(err, cap, "idmap the rootfs %s: %s%s", source, strerror(errno),
				 errno == EINVAL || errno == EOPNOTSUPP ?
					 " (its file system may not support idmapped mounts)" : "");
			goto fail;
		}
		close(ns);
		ns = -1;
	}
	if (move_mount(tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
		snprintf(err, cap, "mount the rootfs %s on %s: %s", source, target, strerror(errno));
		goto fail;
	}
	close(tree);
	return 0;
fail:
	if (ns >= 0)
		close(ns);
	close(tree);
	return -1;
}
