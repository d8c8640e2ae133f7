/*
 * lxcri-attach: joins `lxcri exec`'s process to a running container by itself (no liblxc,
 * no monitor: only the container's init has to be alive), from a sealed memfd copy of
 * itself.
 *
 * The process that joins the container showed the host binary it was started from behind
 * /proc/<pid>/exe until it exec'd: a container process with CAP_SYS_PTRACE could open it
 * there and write it once nothing ran it any more (CVE-2019-5736). So we first re-execute
 * ourselves from a memfd copy sealed against every change (as runc and lxc-attach do).
 *
 * lxcri-attach INIT_FD STATUS_FD --pid N --start T [--cgroup DIR]...
 *     [--apparmor PROFILE | --selinux LABEL] [--no-new-privs] [--detach] [--env K=V]...
 *     -- ARGV...
 *
 * N is the container's init (host PID) and T its start time (field 22 of /proc/N/stat), so
 * a recycled PID is never joined. Each DIR is the container's cgroup in one hierarchy.
 * We fork the process, write its PID into DIR/cgroup.procs of each (with our host
 * credentials, before it joins a user namespace) and let it join every namespace of the
 * init that differs from ours; it then execs the file behind INIT_FD (the sealed
 * lxcri-init `lxcri exec` made) with ARGV and exactly the --env entries, by the fd (no
 * path in the container). We stay outside the container's cgroup and namespaces (only our
 * children's PID namespace is the container's), so the waiting helper counts against none
 * of its limits. stdin, stdout, stderr and every fd not close-on-exec are the process's.
 * One line goes to STATUS_FD: "pid N" once the process exec'd with --detach (we exit and
 * it is left to our parent's subreaper), else "status W" with its wait status once it has
 * ended; "error MESSAGE" when the join fails (exit 1).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
#define MAX_CGROUPS 64

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

/* Write "PREFIXwhat[: detail]\n" as one line to fd. */
static void write_line(int fd, const char *prefix, const char *what, const char *detail)
{
	char line[4096];
	int n = snprintf(line, sizeof(line), "%s%s%s%s\n", prefix, what, detail ? ": " : "", detail ? detail : "");
	if (n > 0) {
		size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
		for (size_t i = 0; i + 1 < len; i++)
			if (line[i] == '\n' || line[i] == '\r')
				line[i] = ' ';
		line[len - 1] = '\n';
		(void)!write(fd, line, len);
	}
}

/* Report one line to `lxcri exec` (or stderr before we know where) and exit 1. */
static void fail(const char *what, const char *detail)
{
	if (status_fd >= 0)
		write_line(status_fd, "error ", what, detail);
	else
		write_line(STDERR_FILENO, "lxcri-attach: ", what, detail);
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

static long long parse_num(const char *s, const char *what, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v > max)
		fail("malformed", what);
	return v;
}

/* Field 22 of /proc/PID/stat (start time in clock ticks), -1 when the process is gone. */
static long long start_time(pid_t pid)
{
	char path[64], buf[1024];
	ssize_t n;
	char *p;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* comm may hold spaces and ')': the fields after it start behind the last ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	/* ") S ppid ...": state is field 3, start time field 22. */
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoll(p + 1, NULL, 10) : -1;
}

/* A pidfd of the container's init, checked to be the recorded process. */
static int open_init(pid_t pid, long long start)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0 && errno != ESRCH)
		fail("open the container's init", strerror(errno));
	/* Checked after the pidfd exists: it cannot name a process started later. */
	if (fd < 0 || start_time(pid) != start)
		fail("the container's init is gone", NULL);
	return fd;
}

/* The namespaces of process pid that are not ours (the kernel joins the user one first). */
static int namespaces_to_join(pid_t pid)
{
	static const struct {
		const char *name;
		int flag;
	} ns[] = {
		{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },     { "pid", CLONE_NEWPID },	    { "uts", CLONE_NEWUTS },
		{ "ipc", CLONE_NEWIPC },   { "net", CLONE_NEWNET },    { "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
	};
	int flags = 0;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		char path[64];
		struct stat theirs, ours;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns[i].name);
		if (stat(path, &ours) < 0) {
			if (errno == ENOENT)
				continue; /* a namespace type this kernel lacks */
			fail("inspect our namespaces", strerror(errno));
		}
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns[i].name);
		if (stat(path, &theirs) < 0)
			fail("the container's init is gone", strerror(errno));
		if (theirs.st_dev != ours.st_dev || theirs.st_ino != ours.st_ino)
			flags |= ns[i].flag;
	}
	return flags;
}

/* What the process sets as its exec-time LSM label, if anything. */
struct label {
	const char *file; /* below /proc/thread-self/ */
	char text[4096];
};

static int make_label(struct label *l, const char *apparmor, const char *selinux)
{
	if (apparmor) {
		struct stat st;
		l->file = stat("/proc/thread-self/attr/apparmor/exec", &st) == 0 ? "attr/apparmor/exec" : "attr/exec";
		return snprintf(l->text, sizeof(l->text), "exec %s", apparmor) < (int)sizeof(l->text);
	}
	if (selinux) {
		l->file = "attr/exec";
		return snprintf(l->text, sizeof(l->text), "%s", selinux) < (int)sizeof(l->text);
	}
	l->file = NULL;
	return 1;
}

struct join {
	int pidfd;
	int flags; /* the namespaces the process joins itself (not the PID one) */
	int init_fd;
	char **argv;
	char **env;
	const struct label *label;
	int nnp;
	int go;	 /* read end: one byte once we put the process into the cgroup */
	int err; /* write end: the reason the join failed, if it did */
};

/* In the forked process: report why the join failed to our parent and exit. */
static void child_fail(const struct join *j, const char *what, int err)
{
	write_line(j->err, "", what, strerror(err));
	_exit(1);
}

/* In the forked process (already in the container's PID namespace): wait for the cgroup
 * move, join the init's other namespaces, label and exec lxcri-init by its fd. */
static void join_and_exec(const struct join *j)
{
	char byte;
	ssize_t n;
	int label_fd = -1;

	do
		n = read(j->go, &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(1); /* our parent failed and said why */
	/* Opened while /proc is still the host's: the container's may be masked. */
	if (j->label->file) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/thread-self/%s", j->label->file);
		label_fd = open(path, O_WRONLY | O_CLOEXEC);
		if (label_fd < 0)
			child_fail(j, "open the LSM exec label", errno);
	}
	if (j->flags && setns(j->pidfd, j->flags) < 0)
		child_fail(j, "join namespaces", errno);
	/* The container's root with no supplementary groups (not ours): lxcri-init takes the
	 * process identity from there. setgroups is denied in a user namespace whose
	 * setgroups file says "deny". */
	if (setgroups(0, NULL) < 0 && !(errno == EPERM && (j->flags & CLONE_NEWUSER)))
		child_fail(j, "drop supplementary groups", errno);
	if (setresgid(0, 0, 0) < 0)
		child_fail(j, "become the container's root group", errno);
	if (setresuid(0, 0, 0) < 0)
		child_fail(j, "become the container's root", errno);
	if (chdir("/") < 0)
		child_fail(j, "chdir to the container's root", errno);
	if (label_fd >= 0) {
		size_t len = strlen(j->label->text);
		if (write(label_fd, j->label->text, len) != (ssize_t)len)
			child_fail(j, "set the LSM exec label", errno);
		close(label_fd);
	}
	/* After the label: with no_new_privs an LSM may refuse a transition. */
	if (j->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail(j, "set no_new_privs", errno);
	syscall(SYS_execveat, j->init_fd, "", j->argv, j->env, AT_EMPTY_PATH);
	child_fail(j, "exec lxcri-init in the container", errno);
}

/* Put pid into the container's cgroup in every hierarchy. */
static const char *move_to_cgroups(pid_t pid, char **dirs, int ndirs, int *err)
{
	char num[32];
	int len = snprintf(num, sizeof(num), "%d", (int)pid);

	for (int i = 0; i < ndirs; i++) {
		char path[4096];
		int fd;
		if (snprintf(path, sizeof(path), "%s/cgroup.procs", dirs[i]) >= (int)sizeof(path)) {
			*err = ENAMETOOLONG;
			return dirs[i];
		}
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, num, (size_t)len) != len) {
			*err = errno;
			if (fd >= 0)
				close(fd);
			return dirs[i];
		}
		close(fd);
	}
	return NULL;
}

static pid_t wait_for(pid_t pid, int *status)
{
	pid_t r;
	do
		r = waitpid(pid, status, 0);
	while (r < 0 && errno == EINTR);
	return r;
}

int main(int argc, char **argv)
{
	char **env, *cgroups[MAX_CGROUPS], line[64], reason[4096];
	const char *apparmor = NULL, *selinux = NULL, *bad;
	int i = 3, nenv = 0, ncgroups = 0, detach = 0, go[2], errp[2], status, err = 0;
	long long init_pid = -1, init_start = -1;
	struct label label;
	struct join j;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (argc < 5)
		fail("usage", "lxcri-attach INIT_FD STATUS_FD --pid N --start T [OPTIONS] -- ARGV...");
	if (!running_sealed())
		rexec_sealed(argv);
	status_fd = (int)parse_num(argv[2], "STATUS_FD", 1000000);
	memset(&j, 0, sizeof(j));
	j.init_fd = (int)parse_num(argv[1], "INIT_FD", 1000000);
	/* Neither reaches the process: the exec by fd works on a close-on-exec fd. */
	if (fcntl(status_fd, F_SETFD, FD_CLOEXEC) < 0 || fcntl(j.init_fd, F_SETFD, FD_CLOEXEC) < 0)
		fail("set close-on-exec", strerror(errno));
	env = calloc((size_t)argc, sizeof(*env));
	if (!env)
		fail("out of memory", NULL);
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--no-new-privs") == 0) {
			j.nnp = 1;
		} else if (strcmp(argv[i], "--detach") == 0) {
			detach = 1;
		} else if (i + 1 < argc && strcmp(argv[i], "--pid") == 0) {
			init_pid = parse_num(argv[++i], "--pid", 0x3fffffff);
		} else if (i + 1 < argc && strcmp(argv[i], "--start") == 0) {
			init_start = parse_num(argv[++i], "--start", 0x7fffffffffffffffLL);
		} else if (i + 1 < argc && strcmp(argv[i], "--cgroup") == 0) {
			if (ncgroups == MAX_CGROUPS)
				fail("too many --cgroup", NULL);
			cgroups[ncgroups++] = argv[++i];
		} else if (i + 1 < argc && strcmp(argv[i], "--apparmor") == 0) {
			apparmor = argv[++i];
		} else if (i + 1 < argc && strcmp(argv[i], "--selinux") == 0) {
			selinux = argv[++i];
		} else if (i + 1 < argc && strcmp(argv[i], "--env") == 0) {
			env[nenv++] = argv[++i];
		} else {
			fail("unknown option", argv[i]);
		}
	}
	if (i + 1 >= argc)
		fail("no ARGV after --", NULL);
	if (init_pid <= 0 || init_start < 0)
		fail("--pid and --start are required", NULL);
	if (apparmor && selinux)
		fail("--apparmor and --selinux exclude each other", NULL);
	if (!make_label(&label, apparmor, selinux))
		fail("LSM label too long", NULL);
	j.argv = argv + i + 1;
	j.env = env;
	j.label = &label;
	/* Not dumpable, and so inherited by the child we fork into the container's PID
	 * namespace: until it has joined the mount namespace and exec'd, a container process
	 * must not ptrace it or reach the host's root, cwd and fds through its /proc entry
	 * (CVE-2016-9962). exec resets it for lxcri-init, already inside. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		fail("make ourselves non-dumpable", strerror(errno));
	j.pidfd = open_init((pid_t)init_pid, init_start);
	j.flags = namespaces_to_join((pid_t)init_pid);
	/* Only our children enter it: the process is forked into it, we stay outside. */
	if ((j.flags & CLONE_NEWPID) && setns(j.pidfd, CLONE_NEWPID) < 0)
		fail("join the PID namespace", strerror(errno));
	j.flags &= ~CLONE_NEWPID;
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		fail("pipe", strerror(errno));
	pid = fork();
	if (pid < 0)
		fail("fork into the container's PID namespace", strerror(errno));
	if (pid == 0) {
		close(go[1]);
		close(errp[0]);
		j.go = go[0];
		j.err = errp[1];
		join_and_exec(&j);
	}
	close(go[0]);
	close(errp[1]);
	if (!detach)
		forward_signals(pid);
	/* Before it joins a user namespace: with our host credentials we may move it. */
	bad = move_to_cgroups(pid, cgroups, ncgroups, &err);
	if (bad) {
		(void)kill(pid, SIGKILL);
		(void)wait_for(pid, &status);
		snprintf(reason, sizeof(reason), "join cgroup %s", bad);
		fail(reason, strerror(err));
	}
	if (write(go[1], "g", 1) != 1)
		fail("let the process go on", strerror(errno));
	close(go[1]);
	/* EOF once it exec'd (the pipe is close-on-exec), a reason if it failed before. */
	while (got < sizeof(reason) - 1) {
		n = read(errp[0], reason + got, sizeof(reason) - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	reason[got] = '\0';
	if (got) {
		(void)wait_for(pid, &status);
		reason[strcspn(reason, "\n")] = '\0';
		fail(reason, NULL);
	}
	if (detach) {
		snprintf(line, sizeof(line), "pid %d\n", (int)pid);
	} else {
		if (wait_for(pid, &status) < 0)
			fail("wait for the process", strerror(errno));
		snprintf(line, sizeof(line), "status %d\n", status);
	}
	if (write(status_fd, line, strlen(line)) < 0)
		fail("report", strerror(errno));
	return 0;
}
