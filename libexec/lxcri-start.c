/*
 * lxcri-start: the per-container monitor.
 *
 * Usage: lxcri-start <name> <lxcpath> <configfile> [--keep-fds]
 *                    [--rootfs SOURCE TARGET [--idmap UIDMAP GIDMAP]]
 *
 * --keep-fds (for --preserve-fds): liblxc keeps every fd we inherited above
 * stdio open for the init (it can close all of them or none).
 * --rootfs (a container in a new user namespace): SOURCE is bind-mounted at
 * TARGET, the config's rootfs, as host root first (see rootfs.h); --idmap
 * makes that bind idmapped with these uid_map and gid_map texts.
 *
 * Starts the container through liblxc in the foreground (lxc->start blocks
 * for the container's whole life). `lxcri create` kills this process with
 * SIGKILL once the init has reported ready: the init, which has no
 * parent-death signal (lxc.monitor.signal.pdeath = 0), goes on alone and is
 * re-parented to the caller's subreaper, as runc leaves it. We only return
 * when the init died before that, which create reports as a failed start.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lxc/lxccontainer.h>

#include "lxclog.h"
#include "rootfs.h"
#include "rundir.h"
#include "util.h"

static char errfile[4096];

/* Report a failure in <lxcpath>/<name>/error, where `lxcri create` picks it
 * up after the monitor is gone and makes it its one error line; stderr (the
 * container's, which create shares) only if that file cannot be written. */
static void report(const char *fmt, ...)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "lxcri-start: ");
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");

	if (!errfile[0] || append_line(errfile, line) < 0)
		(void)write_all(STDERR_FILENO, line, strlen(line));
}

/* Detach from the caller's session so that terminal job control signals
 * meant for the caller never reach the monitor. */
static int become_session_leader(void)
{
	if (getsid(0) == getpid())
		return 0;
	/* EPERM: already a process group leader; nothing better to do. */
	if (setsid() < 0 && errno != EPERM) {
		report("setsid: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static struct lxc_container *load_container(const char *name, const char *lxcpath,
					    const char *config, bool keep_fds)
{
	struct lxc_container *c = lxc_container_new(name, lxcpath);
	if (!c) {
		report("failed to create container object %s in %s", name, lxcpath);
		return NULL;
	}
	/* lxc_container_new already loaded <lxcpath>/<name>/config; loading
	 * on top of that would double every multi-valued key. */
	c->clear_config(c);
	if (!c->load_config(c, config)) {
		report("failed to load config %s", config);
		goto err;
	}
	if (!c->want_daemonize(c, false)) {
		report("failed to disable daemonize");
		goto err;
	}
	/* Leak no fd of ours into the container; liblxc keeps stdio 0-2,
	 * which are the container's stdio. With --keep-fds the caller gave us
	 * only the fds it wants to pass (lxcri's own are close-on-exec). */
	if (!c->want_close_all_fds(c, !keep_fds)) {
		report("failed to enable close_all_fds");
		goto err;
	}
	return c;
err:
	lxc_container_put(c);
	return NULL;
}

/* The init ended before create ended us, so before it was ready: say how, for
 * create's error line. error_num is liblxc 5.0's encoding of the init's wait
 * status: exit code n as n << 8, death by signal s as s << 8 | 0x7f (which
 * reads as "stopped by s"). */
static void report_init_end(int status)
{
	int sig;

	if (WIFEXITED(status)) {
		report("the container's init exited with status %d before it was ready", WEXITSTATUS(status));
		return;
	}
	sig = WIFSIGNALED(status) ? WTERMSIG(status) : WSTOPSIG(status);
	report("the container's init was killed by signal %d (%s) before it was ready", sig, strsignal(sig));
}

#define USAGE "usage: lxcri-start <name> <lxcpath> <configfile> [--keep-fds] [--rootfs SOURCE TARGET [--idmap UIDMAP GIDMAP]]\n"

int main(int argc, char *argv[])
{
	struct lxc_container *c;
	const char *name, *lxcpath, *config;
	const char *rootfs_source = NULL, *rootfs_target = NULL, *uid_map = NULL, *gid_map = NULL;
	bool started, keep_fds = false;
	int status, i;

	if (argc < 4) {
		fprintf(stderr, USAGE);
		return 2;
	}
	for (i = 4; i < argc; i++) {
		if (strcmp(argv[i], "--keep-fds") == 0) {
			keep_fds = true;
		} else if (strcmp(argv[i], "--rootfs") == 0 && i + 2 < argc) {
			rootfs_source = argv[++i];
			rootfs_target = argv[++i];
		} else if (strcmp(argv[i], "--idmap") == 0 && i + 2 < argc) {
			uid_map = argv[++i];
			gid_map = argv[++i];
		} else {
			fprintf(stderr, USAGE);
			return 2;
		}
	}
	if (uid_map && !rootfs_source) {
		fprintf(stderr, USAGE);
		return 2;
	}
	name = argv[1];
	lxcpath = argv[2];
	config = argv[3];

	if ((size_t)snprintf(errfile, sizeof(errfile), "%s/%s/" RUNDIR_ERROR, lxcpath, name) >=
	    sizeof(errfile)) {
		errfile[0] = '\0';
		report("container path too long");
		return 1;
	}

	if (rootfs_source) {
		char err[512];
		if (prepare_rootfs(rootfs_source, rootfs_target, uid_map, gid_map, err, sizeof(err)) < 0) {
			report("%s", err);
			return 1;
		}
	}

	if (become_session_leader() < 0)
		return 1;

	/* Before liblxc logs anything about this container: see lxclog.h. */
	if (!lxclog_escape_messages()) {
		report("cannot escape liblxc's log messages: its log is not laid out as expected");
		return 1;
	}
	c = load_container(name, lxcpath, config, keep_fds);
	if (!c)
		return 1;
	if (!lxclog_escape_messages()) {
		lxc_container_put(c);
		report("cannot escape liblxc's log messages: its log is not laid out as expected");
		return 1;
	}

	/* Blocks until init is dead (or create kills us). A SIGHUP death would
	 * make liblxc restart the container ("reboot"); the post-stop hook
	 * (lxcri-hook) vetoes that, so start returns after that first death. */
	started = c->start(c, 0, NULL);
	status = c->error_num;
	lxc_container_put(c);

	if (!started) {
		report("failed to start container %s (error_num %d)", name, status);
		return 1;
	}
	report_init_end(status);
	return 1;
}
