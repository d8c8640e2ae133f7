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
 * Runs the container in the foreground through liblxc (lxc->start blocks for
 * the container's whole life) and then terminates the way the container's
 * init did: the same exit code, or death by the same signal, so that whoever
 * waits for this process sees the container's own wait status.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lxc/lxccontainer.h>

#include "lxclog.h"
#include "rootfs.h"
#include "util.h"

static char errfile[4096];
static char exitfile[4096];

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

/* Signals whose default action does not end the process. */
static bool is_harmless(int sig)
{
	switch (sig) {
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: /* would stop us */
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH: /* ignored */
		return true;
	default:
		return false;
	}
}

/* Terminate with signal sig, like the container's init did. */
static int die_of_signal(int sig)
{
	struct rlimit nocore = { 0, 0 };
	struct sigaction sa;
	sigset_t set;

	if (is_harmless(sig))
		return 128 + sig;

	/* A core dump of the monitor would be misleading and slow. */
	if (setrlimit(RLIMIT_CORE, &nocore) < 0)
		report("setrlimit RLIMIT_CORE: %s", strerror(errno));

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	/* EINVAL for SIGKILL/SIGSTOP, which are always default anyway. */
	if (sigaction(sig, &sa, NULL) < 0 && errno != EINVAL)
		report("sigaction %d: %s", sig, strerror(errno));

	/* Our caller may have handed us a mask that blocks it. */
	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
		report("sigprocmask: %s", strerror(errno));

	if (raise(sig) != 0)
		report("raise %d: %s", sig, strerror(errno));

	/* Still here (the signal could not be delivered): exit the way a
	 * shell reports a death by signal. */
	return 128 + sig;
}

/* error_num is init's wait status as liblxc 5.0 encodes it: exit code n as
 * n << 8 (like wait), but death by signal s as s << 8 | 0x7f, which reads as
 * "stopped by s". A real "stopped" status never gets there (liblxc only
 * reports a dead init), so both encodings of a signal death are accepted. */
static int mirror_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return die_of_signal(WTERMSIG(status));
	if (WIFSTOPPED(status))
		return die_of_signal(WSTOPSIG(status));
	report("unexpected init wait status %#x", (unsigned)status);
	return 1;
}

/* The container's exit code (128+N after signal N) in <lxcpath>/<name>/exit-status,
 * written before this process ends: whoever is not our parent (the library's
 * Container.wait) reads it once we are gone. */
static void record_exit(int status)
{
	char line[32];
	int code = 1;

	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status);
	else if (WIFSTOPPED(status))
		code = 128 + WSTOPSIG(status);
	snprintf(line, sizeof(line), "%d\n", code);
	if (append_line(exitfile, line) < 0)
		report("cannot write %s: %s", exitfile, strerror(errno));
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

	if ((size_t)snprintf(errfile, sizeof(errfile), "%s/%s/error", lxcpath, name) >=
	    sizeof(errfile)) {
		errfile[0] = '\0';
		report("container path too long");
		return 1;
	}
	if ((size_t)snprintf(exitfile, sizeof(exitfile), "%s/%s/exit-status", lxcpath, name) >=
	    sizeof(exitfile)) {
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

	/* Blocks until init is dead. A SIGHUP death would make liblxc restart
	 * the container ("reboot"); the post-stop hook (lxcri-hook) vetoes
	 * that, so start returns with that first death in error_num. */
	started = c->start(c, 0, NULL);
	status = c->error_num;
	lxc_container_put(c);

	if (!started) {
		report("failed to start container %s (error_num %d)", name, status);
		return 1;
	}
	record_exit(status);
	return mirror_status(status);
}
