/*
 * lxcri-init: the container's PID 1 until the container process replaces it, and the
 * exec'd process's shim.
 *
 * Both modes get the process spec as one process record (procspec.h) and take the same
 * steps (prepare, run): rlimits, the terminal, the seccomp filter, the process's identity
 * (groups, gid, uid, capability sets, umask; liblxc can neither raise capabilities for a
 * non-root user nor set ambient ones), the working directory, HOME, the PATH lookup, and
 * the exec with every fd above stderr closed (but for the record's keep-fds). Errors exit
 * 125, 126 or 127 with the same words in both modes.
 *
 * create mode (`lxcri-init`, started by liblxc from the init dir INIT_DIR or another one,
 * /dev/.lxcri in a user namespace, see src/lxc/userns.ts): the record is the init dir's
 * INITDIR_PROCESS. Once it has read its files, and before it takes the process's
 * identity, it unmounts the init dir (keeping an fd for the sync FIFO and the seccomp
 * state, and the notify connection): nothing of the host's runtime dir stays mounted in
 * the container for it to remount rw. It tells `lxcri create` over the notify socket
 * whether the process can be started, waits for `lxcri start` to write one byte into the
 * sync FIFO, runs the spec's startContainer hooks (INITDIR_HOOKS, with the state JSON in
 * INITDIR_HOOKS_STATE) as the process user with their output on our stderr (a failing one
 * is reported there and we exit 125: the process never runs), and execs the process.
 *
 * exec mode (`lxcri-init --exec FD`, exec'd by lxcri-attach in the joined container as
 * its root): the record is the sealed memfd FD `lxcri exec` handed on. No files, no
 * notify socket, no FIFO; errors go to stderr. The process gets a session of its own.
 *
 * Statically linked and stdio-free to stay small.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <grp.h>
#include <stdint.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "boundedread.h"
#include "identity.h"
#include "initfail.h"
#include "ocihook.h"
#include "procspec.h"
#include "rundir.h"
#include "seccompfilter.h"
#include "util.h"

/* Where our files are: the directory we were started from, INIT_DIR or
 * another one (/dev/.lxcri in a user namespace, see src/lxc/userns.ts). */
static char init_dir[256] = INIT_DIR;
/* The init dir once it is unmounted (detach_init_dir), -1 before. */
static int init_fd = -1;

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* <init_dir>/<name>, in a buffer of the caller's block (INIT_FILE). */
#define INIT_FILE_MAX (sizeof(init_dir) + 32)
#define INIT_FILE(name) init_file((name), (char[INIT_FILE_MAX]){ 0 })
static const char *init_file(const char *name, char *buf)
{
	buf[0] = '\0';
	str_append(buf, INIT_FILE_MAX, (const char *[]){ init_dir, "/", name, NULL });
	return buf;
}

/* Our own files in init_dir: regular files written by `lxcri create`, not links. The
 * bound only keeps a damaged one from exhausting memory (args and env may be large). */
#define INIT_FILE_LIMIT (256U << 20)
/* Files of the image (/etc/passwd): whatever the image author made them. */
#define IMAGE_FILE_LIMIT (4U << 20)

/* Read one of our files (path relative to dirfd, never through a link); the result has
 * an extra NUL after *len bytes. */
static char *read_file_at(int dirfd, const char *path, size_t *len, int *err)
{
	char *buf = read_bounded_at(dirfd, path, O_NOFOLLOW, INIT_FILE_LIMIT, len, err);
	/* The callers report errno values: EINVAL reads "Invalid argument" for a non-file. */
	if (!buf && *err == READ_NOT_REGULAR)
		*err = EINVAL;
	else if (!buf && *err == READ_TOO_LARGE)
		*err = EFBIG;
	return buf;
}

static char *read_file(const char *path, size_t *len, int *err)
{
	return read_file_at(AT_FDCWD, path, len, err);
}

static const char *env_get(char **env, const char *key)
{
	size_t klen = strlen(key);
	for (; *env; env++)
		if (strncmp(*env, key, klen) == 0 && (*env)[klen] == '=')
			return *env + klen + 1;
	return NULL;
}

static char **env_add(char **env, const char *entry)
{
	size_t n = 0;
	char **bigger;

	while (env[n])
		n++;
	bigger = realloc(env, (n + 2) * sizeof(*env));
	if (!bigger)
		return NULL;
	bigger[n] = (char *)entry;
	bigger[n + 1] = NULL;
	return bigger;
}

/* Parse a decimal uid field ending at ':'; -1 if malformed. */
static long long parse_id(const char *s)
{
	long long v = 0;
	if (*s == ':')
		return -1;
	for (; *s != ':'; s++) {
		if (*s < '0' || *s > '9' || v > 0xffffffffLL)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Home directory of uid from /etc/passwd, or "/" (as runc does). The file
 * is parsed by hand: NSS does not work in a static binary. It is the image's:
 * only a regular file is read, and at most IMAGE_FILE_LIMIT of it; a missing or
 * unreadable one (the process user's) means no entry. */
static char *home_of(uid_t uid, struct failure *f)
{
	size_t len;
	int err = 0;
	char *buf = read_bounded("/etc/passwd", 0, IMAGE_FILE_LIMIT, &len, &err);
	char *home = NULL;

	if (!buf && err != ENOENT && err != ENOTDIR && err != EACCES) {
		FAIL(f, CODE_INTERNAL, "lxcri-init: read /etc/passwd (for HOME): ",
		     read_error(err, IMAGE_FILE_LIMIT));
		return NULL;
	}
	for (char *line = buf; line && *line;) {
		char *next = strchr(line, '\n');
		char *field[7] = { line };
		int nf = 1;

		if (next)
			*next++ = '\0';
		for (char *p = line; *p && nf < 7; p++)
			if (*p == ':')
				field[nf++] = p + 1;
		/* parse_id stops at ':', so field 2 must be followed by one. */
		if (nf == 7 && parse_id(field[2]) == (long long)uid) {
			size_t dlen = (size_t)(field[6] - field[5] - 1);
			if (dlen > 0)
				home = strndup(field[5], dlen);
			break;
		}
		line = next;
	}
	free(buf);
	return home ? home : strdup("/");
}

static char **ensure_home(char **env, struct failure *f)
{
	char *home, *entry;
	char **bigger;

	if (env_get(env, "HOME"))
		return env;
	home = home_of(getuid(), f);
	if (f->code)
		return env;
	entry = home ? malloc(strlen(home) + 6) : NULL;
	if (!entry) {
		FAIL_SYS(f, "set", "HOME", ENOMEM);
		return env;
	}
	strcpy(entry, "HOME=");
	strcat(entry, home);
	free(home);
	bigger = env_add(env, entry);
	if (!bigger) {
		FAIL_SYS(f, "set", "HOME", ENOMEM);
		return env;
	}
	return bigger;
}

/* 0 if path is a regular file we may execute, else an errno value. */
static int check_executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return errno;
	return 0;
}

/* A path with a slash is used as is (relative to cwd), like execve does. */
static char *resolve_explicit(const char *path, struct failure *f)
{
	char ebuf[256];
	int err = check_executable(path);

	if (err == 0)
		return strdup(path);
	FAIL(f, (err == ENOENT || err == ENOTDIR) ? CODE_NOTFOUND : CODE_NOEXEC,
	     "exec: ", path, ": ", go_strerror(err, ebuf, sizeof(ebuf)));
	return NULL;
}

/* Search $PATH of the process env like Go's exec.LookPath (which runc
 * uses): the first regular, executable file wins; an empty element means
 * the current directory. */
static char *resolve_in_path(const char *name, char **env, struct failure *f)
{
	const char *path = env_get(env, "PATH");
	size_t nlen = strlen(name);

	if (!path)
		path = DEFAULT_PATH;
	for (const char *dir = path;; dir++) {
		const char *end = strchrnul(dir, ':');
		size_t dlen = (size_t)(end - dir);
		char *cand = malloc(dlen + nlen + 3);

		if (!cand) {
			FAIL_SYS(f, "resolve", name, ENOMEM);
			return NULL;
		}
		if (dlen == 0) {
			strcpy(cand, ".");
		} else {
			memcpy(cand, dir, dlen);
			cand[dlen] = '\0';
		}
		strcat(cand, "/");
		strcat(cand, name);
		if (check_executable(cand) == 0)
			return cand;
		free(cand);
		if (*end == '\0')
			break;
		dir = end;
	}
	FAIL(f, CODE_NOTFOUND, "exec: \"", name, "\": executable file not found in $PATH");
	return NULL;
}

static char *resolve(const char *arg0, char **env, struct failure *f)
{
	if (strchr(arg0, '/'))
		return resolve_explicit(arg0, f);
	return resolve_in_path(arg0, env, f);
}

static void change_dir(const char *cwd, struct failure *f)
{
	if (cwd[0] == '\0')
		cwd = "/";
	if (chdir(cwd) < 0)
		FAIL_SYS(f, "chdir", cwd, errno);
}

static int send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		/* MSG_NOSIGNAL: a vanished listener must not kill us. */
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The pty open_console made in the container's devpts: the master (kept, close-on-exec,
 * for `lxcri create` to take with pidfd_getfd) and the slave's name there; -1 before. */
static int console_master = -1;
static char console_fd[12], console_name[32];

/* The notify line: "ok\n" ("ok console <master fd> /dev/pts/N\n" with a terminal) or
 * "error <code> <message>\n". */
static void format_notify(const struct failure *f, char *line, size_t cap)
{
	char code[12];
	char *p = code + sizeof(code) - 1;
	unsigned v = (unsigned)f->code;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);

	line[0] = '\0';
	if (f->code == 0 && console_master >= 0) {
		str_append(line, cap, (const char *[]){ "ok console ", console_fd, " ", console_name, "\n", NULL });
		return;
	}
	if (f->code == 0) {
		str_append(line, cap, (const char *[]){ "ok\n", NULL });
		return;
	}
	/* Leave room for the newline; the protocol is line based. */
	str_append(line, cap - 1, (const char *[]){ "error ", p, " ", f->msg, NULL });
	for (char *c = line; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	strcat(line, "\n");
}

/* The connection to `lxcri create`'s notify socket, made while the init dir is
 * still mounted (detach_init_dir, or notify when we failed before); -1 before. */
static int notify_sock = -1, notify_err;

/* Connect to `lxcri create`'s notify socket; -1 with errno. */
static int notify_connect(void)
{
	return unix_connect(INIT_FILE(INITDIR_NOTIFY));
}

/* Tell `lxcri create` the outcome; 0 on success. */
static int notify(const struct failure *f)
{
	char line[sizeof(f->msg) + 16];
	int ret, err;

	/* Once the init dir is unmounted, the connection made before is all there is. */
	if (notify_sock < 0 && init_fd >= 0) {
		errno = notify_err;
		return -1;
	}
	if (notify_sock < 0 && (notify_sock = notify_connect()) < 0)
		return -1;
	format_notify(f, line, sizeof(line));
	ret = send_all(notify_sock, line, strlen(line));
	err = errno;
	close(notify_sock);
	notify_sock = -1;
	errno = err;
	return ret;
}

/* Unmount the init dir (and the seccomp agent's socket in it) once everything is read
 * from it, while we still are the container's root: the container must find nothing of
 * the host's runtime dir mounted that it could remount rw. What comes later (the notify
 * connection, the sync FIFO, the seccomp state) goes through what we keep open. */
static void detach_init_dir(struct failure *f)
{
	/* Without a listener nobody will start us: notify then fails with this errno,
	 * and main shows the first error (ours or this one) on stderr. */
	notify_sock = notify_connect();
	if (notify_sock < 0)
		notify_err = errno;
	init_fd = open(init_dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (init_fd < 0) {
		FAIL_SYS(f, "open", init_dir, errno);
		return;
	}
	if (umount2(init_dir, MNT_DETACH) < 0)
		FAIL_SYS(f, "unmount", init_dir, errno);
}

/* Block until `lxcri start` writes a byte into the FIFO. An open without a
 * write (a liveness probe) yields EOF and is simply waited out. */
static void wait_for_start(void)
{
	const char *fifo = INIT_FILE(INITDIR_SYNC_FIFO);
	struct failure f;

	for (;;) {
		char b;
		ssize_t n;
		/* In the init dir we unmounted: no path in the container leads there. */
		int err, fd = openat(init_fd, INITDIR_SYNC_FIFO, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			FAIL_SYS(&f, "open", fifo, errno);
			die(f.msg, f.code);
		}
		do
			n = read(fd, &b, 1);
		while (n < 0 && errno == EINTR);
		err = errno;
		close(fd);
		if (n == 1)
			return;
		if (n < 0) {
			FAIL_SYS(&f, "read", fifo, err);
			die(f.msg, f.code);
		}
	}
}

/* As PID 1 of a pid namespace we would ignore every signal without a
 * handler, so `lxcri kill` could not stop a container that was never
 * started. Die of the signal where the kernel lets us (no pid namespace),
 * otherwise exit like a shell reports a death by signal. */
static void on_terminate(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void catch_terminating_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM };
	struct sigaction sa = { .sa_handler = on_terminate };
	struct failure f;

	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL) < 0) {
			FAIL_SYS(&f, "catch", "signals", errno);
			die(f.msg, f.code);
		}
	}
}

/* The kernel's struct sigaction for rt_sigaction(2). glibc's sigaction()
 * refuses the two real-time signals it reserves (32, 33), yet an ignored one
 * inherited from our parent survives exec: reset through the raw syscall. */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

#define KERNEL_NSIG 64

/* The process must start with an empty mask and default dispositions,
 * whatever liblxc or our parent left behind (ignored signals survive exec). */
static void reset_signals(void)
{
	struct kernel_sigaction dfl = { .handler = SIG_DFL };
	sigset_t none;
	struct failure f;

	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) {
		FAIL_SYS(&f, "reset", "signal mask", errno);
		die(f.msg, f.code);
	}
	for (int sig = 1; sig <= KERNEL_NSIG; sig++) {
		struct kernel_sigaction old;
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof(old.mask)) < 0 || old.handler == SIG_DFL)
			continue;
		if (syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)) < 0) {
			FAIL_SYS(&f, "reset", "signal handler", errno);
			die(f.msg, f.code);
		}
	}
}

/* The startContainer hooks, read (as root) by prepare. */
static struct ocihook *start_hooks;
static long n_start_hooks;
static char *start_state;
static size_t start_state_len;

static void read_start_hooks(struct failure *f)
{
	size_t len;
	int err = 0;
	char *buf = read_file(INIT_FILE(INITDIR_HOOKS), &len, &err);

	if (!buf) {
		if (err != ENOENT)
			FAIL_SYS(f, "read", INIT_FILE(INITDIR_HOOKS), err);
		return;
	}
	/* The records point into buf, which lives as long as we do. */
	n_start_hooks = ocihook_parse(buf, len, &start_hooks);
	if (n_start_hooks < 0) {
		FAIL_SYS(f, "read", INIT_FILE(INITDIR_HOOKS), errno);
		return;
	}
	start_state = read_file(INIT_FILE(INITDIR_HOOKS_STATE), &start_state_len, &err);
	if (!start_state)
		FAIL_SYS(f, "read", INIT_FILE(INITDIR_HOOKS_STATE), err);
}

static void run_start_hooks(void)
{
	char msg[1024];

	for (long i = 0; i < n_start_hooks; i++) {
		struct failure f;
		if (ocihook_run(&start_hooks[i], start_state, start_state_len, STDERR_FILENO, msg,
				sizeof(msg)) == 0)
			continue;
		FAIL(&f, CODE_INTERNAL, "lxcri-init: startContainer hook ", start_hooks[i].path, ": ",
		     msg);
		die(f.msg, f.code);
	}
}

/* process.terminal, as runc: a new pty in the container's own devpts (after liblxc's
 * mounts), so that `tty` prints /dev/pts/N; its slave becomes our stdio and is bound on
 * /dev/console; `lxcri create` takes the master (see format_notify). */
static void open_console(struct failure *f)
{
	int unlock = 0, slave;
	unsigned number;
	struct stat st;

	console_master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (console_master < 0) {
		FAIL_SYS(f, "open", "/dev/pts/ptmx (process.terminal needs a devpts mount at /dev/pts)", errno);
		return;
	}
	if (ioctl(console_master, TIOCSPTLCK, &unlock) < 0 || ioctl(console_master, TIOCGPTN, &number) < 0) {
		FAIL_SYS(f, "set up", "the pty", errno);
		return;
	}
	decimal((unsigned)console_master, console_fd, sizeof(console_fd));
	decimal(number, console_name, sizeof(console_name));
	memmove(console_name + 9, console_name, strlen(console_name) + 1);
	memcpy(console_name, "/dev/pts/", 9);
	slave = ioctl(console_master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (slave < 0) {
		FAIL_SYS(f, "open", console_name, errno);
		return;
	}
	/* An empty file to bind on when the image has no /dev/console (never opened: a
	 * device node there would be the host's console). */
	if (lstat("/dev/console", &st) < 0 && (errno != ENOENT || mknod("/dev/console", S_IFREG | 0600, 0) < 0))
		FAIL_SYS(f, "make", "/dev/console", errno);
	else if (mount(console_name, "/dev/console", NULL, MS_BIND, NULL) < 0)
		FAIL_SYS(f, "bind the terminal on", "/dev/console", errno);
	for (int fd = STDIN_FILENO; !f->code && fd <= STDERR_FILENO; fd++)
		if (dup2(slave, fd) < 0)
			FAIL_SYS(f, "make the terminal", "our stdio", errno);
	if (slave > STDERR_FILENO)
		close(slave);
}

/* With a terminal (process.terminal), our stdin is the slave of a pty (open_console's,
 * or the caller's with terminal=stdin): make it our controlling terminal, in a session of
 * our own. */
static void take_terminal(struct failure *f)
{
	/* EPERM: we lead a process group already; TIOCSCTTY then says what is wrong. */
	if (getsid(0) != getpid() && setsid() < 0 && errno != EPERM) {
		FAIL_SYS(f, "setsid", "for the terminal", errno);
		return;
	}
	if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
		FAIL_SYS(f, "make stdin", "the controlling terminal", errno);
}

/* An exec'd process gets a session and process group of its own, as with runc: in its
 * caller's group, a manager that kills the exec's process group on a timeout (conmon -T,
 * CRI-O's exec probes) killed itself. EPERM: we lead a process group already. */
static void new_session(struct failure *f)
{
	if (getsid(0) != getpid() && setsid() < 0 && errno != EPERM)
		FAIL_SYS(f, "setsid", "for the exec'd process", errno);
}

/* The container's seccomp filter (INIT_DIR/seccomp), loaded in the order runc and crun
 * use: with no_new_privs (set by liblxc, or by its attach for exec), right before execve,
 * so that it filters the process and not us; without it the kernel asks for CAP_SYS_ADMIN,
 * so before the identity change, while we still hold it (liblxc keeps it for us).
 * With a seccomp agent (listenerPath, bind-mounted at INIT_DIR/seccomp-listener) we
 * connect while still the container's root and, after the start byte, send it the state
 * `lxcri create` wrote (INIT_DIR/seccomp.state, with our host PID) and the filter's
 * notification fd. */
static struct seccomp_filter filter;
static int filter_late, agent_sock = -1, notify_fd = -1;

/* The profile of the record: the init dir's file, or the fd `lxcri exec` handed on. */
static void seccomp_prepare(const struct procspec *ps, struct failure *f)
{
	char msg[sizeof(f->msg)];
	int nnp, from_fd = ps->seccomp == PROCSPEC_SECCOMP_FD;
	int ret = from_fd ? seccomp_compile_fd(ps->seccomp_fd, "the seccomp fd", &filter, msg, sizeof(msg))
			  : seccomp_compile(INIT_FILE(INITDIR_SECCOMP), &filter, msg, sizeof(msg));

	if (ret < 0) {
		FAIL(f, CODE_INTERNAL, msg);
		return;
	}
	/* The agent would need to be told the exec'd process's host PID. */
	if (filter.listener && from_fd) {
		FAIL(f, CODE_INTERNAL, "lxcri-init: seccomp: no listener for an exec'd process");
		return;
	}
	if (filter.listener) {
		agent_sock = seccomp_agent_connect(INIT_FILE(INITDIR_SECCOMP_LISTENER));
		if (agent_sock < 0) {
			FAIL_SYS(f, "connect to", "the seccomp agent (listenerPath)", errno);
			return;
		}
	}
	nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	if (nnp < 0) {
		FAIL_SYS(f, "read", "no_new_privs", errno);
		return;
	}
	filter_late = nnp == 1;
	if (!filter_late && seccomp_install(&filter, &notify_fd) < 0)
		FAIL_SYS(f, "load", "the seccomp filter", errno);
}

/* The last step before execve: nothing but the process runs under the filter (and,
 * with an agent, the one sendmsg that hands it the notification fd). */
static void seccomp_late(void)
{
	struct failure f;
	char *state = NULL;
	size_t len = 0;
	int err = 0;

	if (filter.listener) {
		state = read_file_at(init_fd, INITDIR_SECCOMP_STATE, &len, &err);
		if (!state) {
			FAIL_SYS(&f, "read", INIT_FILE(INITDIR_SECCOMP_STATE), err);
			die(f.msg, f.code);
		}
	}
	if (filter_late && seccomp_install(&filter, &notify_fd) < 0) {
		FAIL_SYS(&f, "load", "the seccomp filter", errno);
		die(f.msg, f.code);
	}
	if (filter.listener && seccomp_agent_send(agent_sock, notify_fd, state, len) < 0) {
		FAIL_SYS(&f, "send the notification fd to", "the seccomp agent", errno);
		die(f.msg, f.code);
	}
}

/* Close every fd from `first` on: exec'd processes get only what they are given. */
static void close_from(int first, struct failure *f)
{
	long max;

	if (syscall(SYS_close_range, (unsigned)first, ~0U, 0U) == 0)
		return;
	if (errno != ENOSYS && errno != EINVAL) {
		FAIL_SYS(f, "close", "inherited fds", errno);
		return;
	}
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0)
		max = 1024;
	for (long fd = first; fd < max; fd++)
		(void)close((int)fd); /* EBADF for the fds that are not open */
}

/* The process record: the init dir's file (record_fd -1, create) or the fd `lxcri exec`
 * handed on. Its entries point into the buffer, which lives as long as we do. */
static void read_record(int record_fd, struct procspec *ps, struct failure *f)
{
	char msg[512];
	size_t len;
	int err = 0;
	char *buf;

	if (record_fd < 0) {
		buf = read_bounded_at(AT_FDCWD, INIT_FILE(INITDIR_PROCESS), O_NOFOLLOW, PROCREC_MAX_SIZE, &len, &err);
	} else {
		/* The writer left the offset at its end. */
		buf = lseek(record_fd, 0, SEEK_SET) < 0 ? (err = errno, NULL)
							: read_bounded_fd(record_fd, PROCREC_MAX_SIZE, &len, &err);
		close(record_fd);
	}
	if (!buf) {
		FAIL(f, CODE_INTERNAL, "lxcri-init: read the process record: ", read_error(err, PROCREC_MAX_SIZE));
		return;
	}
	if (procspec_parse(buf, len, ps, msg, sizeof(msg)) < 0)
		FAIL(f, CODE_INTERNAL, "lxcri-init: process record: ", msg);
}

/* Still the container's root: hard limits may be raised as well as lowered. */
static void set_rlimits(const struct procspec *ps, struct failure *f)
{
	char num[24];

	for (size_t i = 0; !f->code && i < ps->nrlimits; i++) {
		if (setrlimit(ps->rlimits[i].resource, &ps->rlimits[i].limit) == 0)
			continue;
		decimal((unsigned)ps->rlimits[i].resource, num, sizeof(num));
		FAIL_SYS(f, "setrlimit", num, errno);
	}
}

/* Everything that can fail before the process may start, in both modes (create's report
 * waits for it): the record, rlimits, the terminal, the seccomp filter, create's own steps
 * (its startContainer hooks, the init dir's unmount), the identity, the working directory,
 * HOME and finding the executable. Returns the executable's path. */
static char *prepare(int record_fd, struct procspec *ps, struct failure *f)
{
	int create = record_fd < 0;

	read_record(record_fd, ps, f);
	/* create: liblxc kept what --preserve-fds keeps, and more; exec: see the end. */
	if (!f->code && create)
		close_from(STDERR_FILENO + 1 + ps->keep_fds, f);
	if (!f->code)
		set_rlimits(ps, f);
	if (!f->code && ps->terminal == PROCSPEC_TERMINAL_CONSOLE && !create)
		FAIL(f, CODE_INTERNAL, "lxcri-init: process record: terminal=console is for create");
	if (!f->code && ps->terminal == PROCSPEC_TERMINAL_CONSOLE)
		open_console(f);
	if (!f->code && ps->terminal != PROCSPEC_TERMINAL_NONE)
		take_terminal(f);
	else if (!f->code)
		new_session(f);
	if (!f->code && create)
		read_start_hooks(f);
	if (!f->code && ps->seccomp != PROCSPEC_SECCOMP_NONE)
		seccomp_prepare(ps, f);
	if (!f->code && create)
		detach_init_dir(f);
	if (!f->code)
		identity_take(&ps->identity, f);
	if (!f->code)
		change_dir(ps->cwd, f);
	if (!f->code)
		ps->env = ensure_home(ps->env, f);
	char *path = f->code ? NULL : resolve(ps->args[0], ps->env, f);
	/* exec: the record's and the seccomp profile's fds are read; the process gets only
	 * stdio and the --preserve-fds ones. */
	if (!f->code && !create)
		close_from(STDERR_FILENO + 1 + ps->keep_fds, f);
	return path;
}

/* The last steps, the same in both modes once the process may start. */
static _Noreturn void run(const char *path, const struct procspec *ps)
{
	struct failure f;
	int err;

	reset_signals();
	run_start_hooks();
	seccomp_late();
	execve(path, ps->args, ps->env);
	err = errno;
	FAIL(&f, err == ENOENT ? CODE_NOTFOUND : CODE_NOEXEC, "lxcri-init: exec ", path, ": ", strerror(err));
	die(f.msg, f.code);
}

/* `lxcri-init --exec FD`: FD holds the record. */
static int exec_mode(int argc, char **argv)
{
	struct failure f = { 0 };
	struct procspec ps;
	char *path, *end;
	long fd;

	errno = 0;
	fd = argc == 3 ? strtol(argv[2], &end, 10) : -1;
	if (argc != 3 || errno || *end || fd <= STDERR_FILENO || fd > PROCREC_MAX_FD)
		die("lxcri-init: usage: lxcri-init --exec FD (the process record's fd)", CODE_INTERNAL);
	path = prepare((int)fd, &ps, &f);
	if (f.code)
		die(f.msg, f.code);
	run(path, &ps);
}

int main(int argc, char **argv)
{
	struct failure f = { 0 };
	struct procspec ps;
	char *path;

	if (argc > 1 && strcmp(argv[1], "--exec") == 0)
		return exec_mode(argc, argv);
	/* liblxc starts us by the absolute path of our mount, in our files' dir. */
	const char *slash = strrchr(argv[0], '/');
	if (slash && slash != argv[0] && (size_t)(slash - argv[0]) < sizeof(init_dir)) {
		memcpy(init_dir, argv[0], (size_t)(slash - argv[0]));
		init_dir[slash - argv[0]] = '\0';
	}
	catch_terminating_signals();
	path = prepare(-1, &ps, &f);

	if (notify(&f) < 0) {
		/* Nobody else will show the error; and without create (killed, or the
		 * report blocked, e.g. by seccomp) nobody would ever start us. */
		if (!f.code)
			FAIL_SYS(&f, "report to", "lxcri create", errno);
		die(f.msg, f.code);
	}
	if (f.code)
		return f.code; /* `lxcri create` reports it */

	wait_for_start();
	run(path, &ps);
}
