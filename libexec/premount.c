/* The pre-mount hook's staged tmpfs mounts (see premount.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hookconf.h"
#include "hookerr.h"
#include "premount.h"
#include "rundir.h"

static void stage_path(const char *rundir, const char *stage, char *buf, size_t cap)
{
	if ((size_t)snprintf(buf, cap, "%s/" RUNDIR_STAGE "/%s", rundir, stage) >= cap)
		hook_fail("premount", rundir, ENAMETOOLONG);
}

/* The mount points of a stage: parents as directories, each opened without following
 * symlinks in the one before. */
static void make(const char *stage, const char *relpath, bool file)
{
	char rel[PATH_MAX];
	char *name, *next;
	int parent;

	if ((size_t)snprintf(rel, sizeof(rel), "%s", relpath) >= sizeof(rel))
		hook_fail("premount", relpath, ENAMETOOLONG);
	parent = open(stage, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (parent < 0)
		hook_fail("premount", stage, errno);
	for (name = strtok_r(rel, "/", &next); name; name = strtok_r(NULL, "/", &next)) {
		bool last = next == NULL || *next == '\0';
		int fd;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			hook_fail_msg("premount", relpath, "invalid path");
		if (last && file) {
			fd = openat(parent, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (fd < 0 && errno != EEXIST)
				hook_fail("premount", relpath, errno);
			if (fd >= 0)
				close(fd);
			break;
		}
		if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
			hook_fail("premount", relpath, errno);
		fd = openat(parent, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			hook_fail("premount", relpath, errno);
		close(parent);
		parent = fd;
	}
	close(parent);
}

static void apply(const char *rundir, const struct premount_line *l)
{
	char path[PATH_MAX];

	stage_path(rundir, l->stage, path, sizeof(path));
	switch (l->op) {
	case PREMOUNT_TMPFS:
		if (mount(l->source, path, "tmpfs", l->flags, l->data[0] ? l->data : NULL) < 0)
			hook_fail("mount tmpfs", path, errno);
		break;
	case PREMOUNT_MAKE:
		make(path, l->path, l->file);
		break;
	case PREMOUNT_RO:
		/* Read-only once its mount points are made. */
		if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | l->flags, NULL) < 0)
			hook_fail("remount read-only", path, errno);
		break;
	}
}

void premount_run(const char *rundir)
{
	char conf[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;

	snprintf(conf, sizeof(conf), "%s/" RUNDIR_PREMOUNT_CONF, rundir);
	fp = fopen(conf, "re");
	if (!fp) {
		if (errno == ENOENT)
			return;
		hook_fail("read", conf, errno);
	}
	/* What is mounted here must not propagate to the host (liblxc makes the
	 * tree a slave too, but only after this hook). */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		hook_fail("premount", "/", errno);
	umask(0);
	while ((len = getline(&line, &cap, fp)) >= 0) {
		struct premount_line l;
		struct hookconf_error err;
		int ret;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		ret = premount_parse(line, (size_t)len, &l, &err);
		if (ret < 0)
			hook_fail_msg(err.op, err.what, err.text);
		if (ret == 0)
			apply(rundir, &l);
	}
	if (ferror(fp))
		hook_fail("read", conf, errno);
	free(line);
	fclose(fp);
}
