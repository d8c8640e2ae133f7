/*
 * lxcri-hook: liblxc hook (lxc.hook.version = 1, type in $LXC_HOOK_TYPE); the
 * container's runtime directory is dirname($LXC_CONFIG_FILE).
 *
 * pre-mount: mounts the spec's tmpfs at <rundir>/stage/N and makes the mount
 *            points in them (premount.conf, see premount.h).
 * mount:     runs in the container's mount namespace before pivot_root and
 *            applies <rundir>/hook.conf (hookconf.h) to the rootfs at
 *            $LXC_ROOTFS_MOUNT: device nodes, symlinks, masked and read-only
 *            paths (hookops.h, walking the rootfs with safepath.h), and the OCI
 *            hooks of create (createhooks.h).
 * post-stop: runs in the monitor after the container is gone; fails when
 *            $LXC_TARGET is "reboot", which makes liblxc stop the container
 *            instead of restarting it (init killed by SIGHUP means "reboot"
 *            to liblxc; to an OCI runtime it is just the way init died).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "createhooks.h"
#include "hookconf.h"
#include "hookerr.h"
#include "hookops.h"
#include "premount.h"
#include "rundir.h"
#include "util.h"

static void hook_mount(const char *rundir)
{
	const char *rootfs = getenv("LXC_ROOTFS_MOUNT");
	char conf[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;
	int rootfd;

	if (!rootfs || !*rootfs)
		hook_fail_msg("mount", "LXC_ROOTFS_MOUNT", "not set");
	snprintf(conf, sizeof(conf), "%s/" RUNDIR_HOOK_CONF, rundir);
	fp = fopen(conf, "re");
	if (!fp) {
		if (errno == ENOENT)
			return; /* nothing to do */
		hook_fail("read", conf, errno);
	}
	rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		hook_fail("open", rootfs, errno);
	/* Modes in hook.conf are exact. */
	umask(0);

	while ((len = getline(&line, &cap, fp)) >= 0) {
		struct hookconf_line l;
		struct hookconf_error err;
		int ret;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		ret = hookconf_parse(line, (size_t)len, &l, &err);
		if (ret < 0)
			hook_fail_msg(err.op, err.what, err.text);
		if (ret > 0)
			continue;
		if (l.op == HOOKOP_OCIHOOKS)
			createhooks_run(rundir);
		else
			hookops_apply(rootfd, rootfs, &l);
	}
	if (ferror(fp))
		hook_fail("read", conf, errno);
	free(line);
	fclose(fp);
	close(rootfd);
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
	char *rundir;
	int ret = 0;

	if (!config || !*config)
		hook_fail_msg("hook", "LXC_CONFIG_FILE", "not set");
	rundir = dir_of(config);
	if (!rundir)
		hook_fail("hook", config, ENOMEM);
	hookerr_report_to(rundir);
	if (strlen(rundir) > PATH_MAX - 32)
		hook_fail("hook", rundir, ENAMETOOLONG);
	/* Without the type (lxc.hook.version 0) we cannot know what to do. */
	if (!type)
		hook_fail_msg("hook", "LXC_HOOK_TYPE", "not set (lxc.hook.version must be 1)");

	if (strcmp(type, "pre-mount") == 0)
		premount_run(rundir);
	else if (strcmp(type, "mount") == 0)
		hook_mount(rundir);
	else if (strcmp(type, "post-stop") == 0)
		ret = hook_post_stop();
	/* other hook types: nothing to do (yet) */
	free(rundir);
	return ret;
}
