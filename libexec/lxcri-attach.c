/*
 * lxcri-attach: joins `lxcri exec`'s process to a container (liblxc's attach), from a
 * sealed memfd copy of itself.
 *
 * liblxc's attach forks the process that joins the container from its caller. Called
 * from Node, that process showed the host's node binary behind /proc/<pid>/exe until it
 * exec'd: a container process with CAP_SYS_PTRACE could open it there and write it once
 * nothing ran it any more (CVE-2019-5736). So `lxcri exec` runs this helper, which first
 * re-executes itself from a memfd copy sealed against every change (as runc and
 * lxc-attach do); whatever joins the container then shows only that copy.
 *
 * lxcri-attach NAME LXCPATH INIT_FD STATUS_FD [--cwd DIR] [--uid N] [--gid N]
 *     [--no-new-privs] [--keep-caps] [--detach] [--env K=V]... -- ARGV...
 *
 * Joins every namespace of container NAME (in LXCPATH), its cgroup and LSM context, with
 * a cleared environment plus the --env entries, and execs the file behind INIT_FD (the
 * sealed lxcri-init `lxcri exec` made) with ARGV, by the fd (no path in the container).
 * stdin, stdout, stderr and every fd not close-on-exec are the process's. One line goes
 * to STATUS_FD: "pid N" once attached with --detach (we exit and the process is left to
 * our parent's subreaper), else "status W" with its wait status once it has ended;
 * "error MESSAGE" when the attach fails (exit 1).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lxc/attach_options.h>
#include <lxc/lxccontainer.h>

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* The process we wait for, the one signals sent to us are passed on to: it has a session
 * and process group of its own (lxcri-init --exec), so a terminal's ^C or a manager's
 * signal to our group reaches it only through us. */
static volatile pid_t forward_to;

static void fail(const char *what, const char *detail);

static void pass_on(int sig)
{
	if (forward_to > 0)
		(void)kill(forward_to, sig);
}

static void forward_signals(pid_t pid)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH };
	struct sigaction sa;

	forward_to = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pass_on;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			fail("pass signals on", strerror(errno));
}

static int status_fd = -1;

/* Report one line to `lxcri exec` (or stderr before we know where) and exit 1. */
static void fail(const char *what, const char *detail)
{
	char line[4096];
	int n = snprintf(line, sizeof(line), "%s%s%s%s\n", status_fd >= 0 ? "error " : "lxcri-attach: ", what,
			 detail ? ": " : "", detail ? detail : "");
	if (n > 0) {
		size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
		for (size_t i = 0; i + 1 < len; i++)
			if (line[i] == '\n' || line[i] == '\r')
				line[i] = ' '; /* one line, whatever liblxc said */
		(void)!write(status_fd >= 0 ? status_fd : STDERR_FILENO, line, len);
	}
	_exit(1);
}

/* 1 when we run from a memfd carrying our seals (the re-executed copy). */
static int running_sealed(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int seals;

	if (fd < 0)
		fail("open /proc/self/exe", strerror(errno));
	seals = fcntl(fd, F_GET_SEALS);
	close(fd);
	return seals >= 0 && (seals & SEALS) == SEALS;
}

/* Re-execute ourselves from a sealed memfd copy of our binary; returns only on failure. */
static void rexec_sealed(char **argv)
{
	extern char **environ;
	struct stat st;
	off_t done = 0;
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int out = memfd_create("lxcri-attach", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (in < 0 || out < 0 || fstat(in, &st) < 0)
		fail("copy our binary to a memfd", strerror(errno));
	while (done < st.st_size) {
		ssize_t n = sendfile(out, in, NULL, (size_t)(st.st_size - done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail("copy our binary to a memfd", n == 0 ? "short read" : strerror(errno));
		done += n;
	}
	close(in);
	if (fcntl(out, F_ADD_SEALS, SEALS) < 0)
		fail("seal our memfd copy", strerror(errno));
	fexecve(out, argv, environ);
	fail("re-execute from our memfd copy", strerror(errno));
}

static int parse_fd(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > 1000000000)
		fail("malformed", what);
	return (int)v;
}

struct exec_payload {
	int fd;
	char **argv;
};

/* In the attached process: exec lxcri-init by its fd, no path looked up in the container. */
static int exec_init(void *payload)
{
	extern char **environ;
	const struct exec_payload *p = payload;
	const char *reason;

	syscall(SYS_execveat, p->fd, "", p->argv, environ, AT_EMPTY_PATH);
	reason = strerror(errno);
	(void)!write(STDERR_FILENO, "lxcri: exec lxcri-init in the container: ", 41);
	(void)!write(STDERR_FILENO, reason, strlen(reason));
	(void)!write(STDERR_FILENO, "\n", 1);
	_exit(126);
}

int main(int argc, char **argv)
{
	lxc_attach_options_t opts = LXC_ATTACH_OPTIONS_DEFAULT;
	struct exec_payload payload;
	struct lxc_container *c;
	char **env, line[64];
	int i = 5, nenv = 0, detach = 0, keep_caps = 0, nnp = 0;
	pid_t pid = -1;

	if (argc < 7)
		fail("usage", "lxcri-attach NAME LXCPATH INIT_FD STATUS_FD [OPTIONS] -- ARGV...");
	if (!running_sealed())
		rexec_sealed(argv);
	status_fd = parse_fd(argv[4], "STATUS_FD");
	payload.fd = parse_fd(argv[3], "INIT_FD");
	/* Neither reaches the process: the exec by fd works on a close-on-exec fd. */
	if (fcntl(status_fd, F_SETFD, FD_CLOEXEC) < 0 || fcntl(payload.fd, F_SETFD, FD_CLOEXEC) < 0)
		fail("set close-on-exec", strerror(errno));
	env = calloc((size_t)argc, sizeof(*env));
	if (!env)
		fail("out of memory", NULL);
	opts.attach_flags = LXC_ATTACH_DEFAULT;
	opts.namespaces = -1; /* every namespace the container has */
	opts.personality = LXC_ATTACH_DETECT_PERSONALITY;
	opts.uid = 0;
	opts.gid = 0;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--no-new-privs") == 0) {
			nnp = 1;
		} else if (strcmp(argv[i], "--keep-caps") == 0) {
			keep_caps = 1;
		} else if (strcmp(argv[i], "--detach") == 0) {
			detach = 1;
		} else if (i + 1 < argc && strcmp(argv[i], "--cwd") == 0) {
			opts.initial_cwd = argv[++i];
		} else if (i + 1 < argc && strcmp(argv[i], "--uid") == 0) {
			opts.uid = (uid_t)parse_fd(argv[++i], "--uid");
		} else if (i + 1 < argc && strcmp(argv[i], "--gid") == 0) {
			opts.gid = (gid_t)parse_fd(argv[++i], "--gid");
		} else if (i + 1 < argc && strcmp(argv[i], "--env") == 0) {
			env[nenv++] = argv[++i];
		} else {
			fail("unknown option", argv[i]);
		}
	}
	if (i + 1 >= argc)
		fail("no ARGV after --", NULL);
	payload.argv = argv + i + 1;
	if (nnp)
		opts.attach_flags |= LXC_ATTACH_NO_NEW_PRIVS;
	/* lxcri-init drops what the process may not have itself (see src/runtime/exec.ts). */
	if (keep_caps)
		opts.attach_flags &= ~LXC_ATTACH_DROP_CAPABILITIES;
	opts.env_policy = LXC_ATTACH_CLEAR_ENV;
	opts.extra_env_vars = env;
	opts.extra_keep_env = NULL;
	opts.stdin_fd = STDIN_FILENO;
	opts.stdout_fd = STDOUT_FILENO;
	opts.stderr_fd = STDERR_FILENO;

	c = lxc_container_new(argv[1], argv[2]);
	if (!c)
		fail("load container", argv[1]);
	if (!c->is_running(c))
		fail("container is not running", argv[1]);
	if (c->attach(c, exec_init, &payload, &opts, &pid) < 0 || pid <= 0)
		fail("attach", c->error_string ? c->error_string : "liblxc's attach failed");
	if (detach) {
		snprintf(line, sizeof(line), "pid %d\n", (int)pid);
	} else {
		int status;
		pid_t r;
		forward_signals(pid);
		do
			r = waitpid(pid, &status, 0);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			fail("wait for the process", strerror(errno));
		snprintf(line, sizeof(line), "status %d\n", status);
	}
	if (write(status_fd, line, strlen(line)) < 0)
		fail("report", strerror(errno));
	lxc_container_put(c);
	return 0;
}
