/*
 * lxcri-init: the container's PID 1 until the container process replaces it.
 *
 * Reads the process spec from INIT_DIR (args, env, cwd), prepares it, tells
 * `lxcri create` over the notify socket whether the process can be started,
 * waits for `lxcri start` to write one byte into the sync FIFO and then execs
 * the process. Statically linked and stdio-free to stay small. It starts as
 * the container's root and takes the process's identity (groups, gid, uid,
 * capability sets, umask; INIT_DIR/identity) as soon as it has read its files,
 * before anything else: liblxc can neither raise capabilities for a non-root
 * user nor set ambient ones.
 *
 * Once it has read its files, and before it takes the process's identity, it
 * unmounts INIT_DIR (keeping an fd for the sync FIFO and the seccomp state, and
 * the notify connection): nothing of the host's runtime dir stays mounted in the
 * container for it to remount rw.
 *
 * The spec's startContainer hooks (INIT_DIR/hooks, with the state JSON in
 * INIT_DIR/hooks.state) run after the start byte, right before the exec, as
 * the process user, with their output on our stderr. A failing hook is
 * reported there and we exit 125: the process never runs.
 *
 * `lxcri-init --exec IDENTITY CWD [--tty] [--seccomp-fd FD] [--keep-fds N] [--rlimit R:SOFT:HARD]... [--unset NAME]... -- ARGS...`
 * is exec mode, for
 * `lxcri exec` (liblxc attaches us as the container's root): no files, no notify
 * socket, no FIFO. The environment is ours minus the NAMEs (what liblxc's attach
 * added that the process env does not have); IDENTITY is the identity line. We
 * take the identity, change to CWD, find ARGS[0] and exec it, with every fd
 * above stderr closed (but for the N after it with --keep-fds, --preserve-fds); errors
 * go to stderr, exit 125, 126 or 127. --tty (and INIT_DIR/terminal in the normal mode):
 * stdin is a pty slave that becomes our controlling terminal, in a new session.
 * --seccomp-fd FD (and INIT_DIR/seccomp's presence in the normal mode): the process runs
 * under the container's seccomp filter, read from FD (`lxcri exec` opens the runtime dir's
 * file) or INIT_DIR/seccomp (see seccomp_prepare).
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
#include "ocihook.h"
#include "rundir.h"
#include "seccompfilter.h"
#include "util.h"

/* Where our files are: the directory we were started from, INIT_DIR or
 * another one (/dev/.lxcri in a user namespace, see src/lxc/userns.ts). */
static char init_dir[256] = INIT_DIR;
/* The init dir once it is unmounted (detach_init_dir), -1 before. */
static int init_fd = -1;

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Exit codes, as shells and other OCI runtimes use them. */
#define CODE_INTERNAL 125
#define CODE_NOEXEC 126
#define CODE_NOTFOUND 127

/* The first error; it ends up in the notify line or on stderr. */
struct failure {
	int code; /* 0: no error */
	char msg[2048];
};

/* Append the NULL-terminated list of strings to buf (truncating). */
static void str_append(char *buf, size_t cap, const char **parts)
{
	size_t len = strlen(buf);
	for (; *parts; parts++) {
		size_t n = strlen(*parts);
		if (n > cap - 1 - len)
			n = cap - 1 - len;
		memcpy(buf + len, *parts, n);
		len += n;
	}
	buf[len] = '\0';
}

/* <init_dir>/<name>, in a buffer of the caller's block (INIT_FILE). */
#define INIT_FILE_MAX (sizeof(init_dir) + 32)
#define INIT_FILE(name) init_file((name), (char[INIT_FILE_MAX]){ 0 })
static const char *init_file(const char *name, char *buf)
{
	buf[0] = '\0';
	str_append(buf, INIT_FILE_MAX, (const char *[]){ init_dir, "/", name, NULL });
	return buf;
}

#define FAIL(f, c, ...)                                                      \
	do {                                                                 \
		(f)->code = (c);                                             \
		(f)->msg[0] = '\0';                                          \
		str_append((f)->msg, sizeof((f)->msg),                       \
			   (const char *[]){ __VA_ARGS__, NULL });           \
	} while (0)

/* Internal error in the usual "lxcri-init: <what>: <strerror>" form. */
#define FAIL_SYS(f, what, arg, err)                                         \
	FAIL(f, CODE_INTERNAL, "lxcri-init: ", what, " ", arg, ": ", strerror(err))

/* Go-style (lower case) error text, as runc's exec errors read. */
static const char *go_strerror(int err, char *buf, size_t cap)
{
	buf[0] = '\0';
	str_append(buf, cap, (const char *[]){ strerror(err), NULL });
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

static void die(const char *msg, int code)
{
	(void)write_all(STDERR_FILENO, msg, strlen(msg));
	(void)write_all(STDERR_FILENO, "\n", 1);
	_exit(code);
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

/* Split NUL-terminated entries into a NULL-terminated vector (no copies).
 * A missing final NUL is tolerated thanks to read_file's extra NUL. */
static char **split_entries(char *buf, size_t len)
{
	size_t count = 0, i = 0;
	char **vec;

	for (size_t p = 0; p < len; p += strlen(buf + p) + 1)
		count++;
	vec = calloc(count + 1, sizeof(*vec));
	if (!vec)
		return NULL;
	for (size_t p = 0; p < len; p += strlen(buf + p) + 1)
		vec[i++] = buf + p;
	return vec;
}

static char **read_entries(const char *path, struct failure *f)
{
	size_t len;
	int err = 0;
	char *buf = read_file(path, &len, &err);
	char **vec;

	if (!buf) {
		FAIL_SYS(f, "read", path, err);
		return NULL;
	}
	vec = split_entries(buf, len); /* the entries point into buf */
	if (!vec) {
		FAIL_SYS(f, "read", path, ENOMEM);
		free(buf);
	}
	return vec;
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

/* Everything that can fail while `lxcri create` waits: the spec files, the
 * working directory, HOME and finding the executable. */
/* identity: "<uid> <gid> <umask octal or -> <bounding> <effective> <permitted>
 * <inheritable> <ambient> [<group>...]", the capability sets as hex bit masks. */
struct identity {
	uid_t uid;
	gid_t gid;
	long umask; /* -1: keep */
	unsigned long long bounding, effective, permitted, inheritable, ambient;
	gid_t groups[256];
	size_t ngroups;
};

#define IDENTITY_FIELDS 8

static int parse_identity(char *text, struct identity *id)
{
	char *save = NULL, *tok;
	unsigned long long v[IDENTITY_FIELDS];

	for (int i = 0; i < IDENTITY_FIELDS; i++) {
		char *end;
		tok = strtok_r(i ? NULL : text, " \n", &save);
		if (!tok)
			return -1;
		if (i == 2 && strcmp(tok, "-") == 0) {
			v[i] = (unsigned long long)-1;
			continue;
		}
		errno = 0;
		v[i] = strtoull(tok, &end, i == 2 ? 8 : i > 2 ? 16 : 10);
		if (errno || *end)
			return -1;
	}
	id->uid = (uid_t)v[0];
	id->gid = (gid_t)v[1];
	id->umask = v[2] == (unsigned long long)-1 ? -1 : (long)v[2];
	id->bounding = v[3];
	id->effective = v[4];
	id->permitted = v[5];
	id->inheritable = v[6];
	id->ambient = v[7];
	id->ngroups = 0;
	while ((tok = strtok_r(NULL, " \n", &save))) {
		char *end;
		if (id->ngroups == sizeof(id->groups) / sizeof(id->groups[0]))
			return -1;
		errno = 0;
		id->groups[id->ngroups++] = (gid_t)strtoul(tok, &end, 10);
		if (errno || *end)
			return -1;
	}
	return 0;
}

static int set_caps(unsigned long long eff, unsigned long long perm, unsigned long long inh)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(eff >> (32 * i));
		data[i].permitted = (uint32_t)(perm >> (32 * i));
		data[i].inheritable = (uint32_t)(inh >> (32 * i));
	}
	return (int)syscall(SYS_capset, &hdr, data);
}

static int get_permitted(unsigned long long *perm)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	*perm = (unsigned long long)data[0].permitted | (unsigned long long)data[1].permitted << 32;
	return 0;
}

/* "R:SOFT:HARD" (R a RLIMIT_* number, "inf" for no limit) → setrlimit. */
static void set_rlimit(const char *spec, struct failure *f)
{
	unsigned long long v[3];
	const char *p = spec;

	for (int i = 0; i < 3; i++) {
		char *end;
		if (i > 0 && strncmp(p, "inf", 3) == 0 && (p[3] == ':' || p[3] == '\0')) {
			v[i] = RLIM_INFINITY;
			end = (char *)p + 3;
		} else {
			errno = 0;
			v[i] = strtoull(p, &end, 10);
			if (errno || end == p) {
				FAIL(f, CODE_INTERNAL, "lxcri-init: malformed --rlimit ", spec);
				return;
			}
		}
		if (*end != (i < 2 ? ':' : '\0')) {
			FAIL(f, CODE_INTERNAL, "lxcri-init: malformed --rlimit ", spec);
			return;
		}
		p = end + 1;
	}
	struct rlimit rl = { .rlim_cur = (rlim_t)v[1], .rlim_max = (rlim_t)v[2] };
	if (f->code == 0 && setrlimit((int)v[0], &rl) < 0)
		FAIL_SYS(f, "setrlimit", spec, errno);
}

/* Become the process's user with exactly its capability sets. liblxc leaves us
 * root with the spec's bounding set plus SETUID, SETGID and SETPCAP, which this
 * needs: groups and gid first, then setuid with KEEPCAPS (permitted survives,
 * effective is cleared), effective raised again to drop the rest of the
 * bounding set (needs SETPCAP), then the final sets and ambient capabilities,
 * which survive exec for a non-root user. */
static void take_identity(const struct identity *id, struct failure *f)
{
	unsigned long long perm;

	if (setgroups(id->ngroups, id->groups) < 0) {
		FAIL_SYS(f, "setgroups", "", errno);
		return;
	}
	if (setresgid(id->gid, id->gid, id->gid) < 0) {
		FAIL_SYS(f, "setgid", "", errno);
		return;
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setresuid(id->uid, id->uid, id->uid) < 0 ||
	    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) {
		FAIL_SYS(f, "setuid", "", errno);
		return;
	}
	if (get_permitted(&perm) < 0 || set_caps(perm, perm, 0) < 0) {
		FAIL_SYS(f, "capset", "", errno);
		return;
	}
	for (int cap = 0; cap < 64; cap++) {
		if (id->bounding & (1ULL << cap) || prctl(PR_CAPBSET_READ, cap, 0, 0, 0) <= 0)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			FAIL_SYS(f, "drop from the bounding set", "", errno);
			return;
		}
	}
	if (set_caps(id->effective, id->permitted, id->inheritable) < 0) {
		FAIL_SYS(f, "capset", "", errno);
		return;
	}
	for (int cap = 0; cap < 64; cap++) {
		if (!(id->ambient & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
			FAIL_SYS(f, "raise ambient capability", "", errno);
			return;
		}
	}
	if (id->umask >= 0)
		umask((mode_t)id->umask);
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

/* Decimal text of a small non-negative number. */
static void decimal(unsigned v, char *buf, size_t cap)
{
	char tmp[12];
	char *p = tmp + sizeof(tmp) - 1;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	buf[0] = '\0';
	str_append(buf, cap, (const char *[]){ p, NULL });
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
 * or the manager's for --exec --tty): make it our controlling terminal, in a session of
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

static void close_from(int first, struct failure *f);

/* liblxc closes what the monitor inherited, except with --preserve-fds, where it
 * must keep all of it: then we keep fds 3 to 3+N-1 (INIT_DIR/preserve-fds) only. */
static void close_unpreserved(struct failure *f)
{
	size_t len;
	int err = 0;
	long n = 0;
	char *text = read_file(INIT_FILE(INITDIR_PRESERVE_FDS), &len, &err);

	if (!text) {
		if (err != ENOENT)
			FAIL_SYS(f, "read", INIT_FILE(INITDIR_PRESERVE_FDS), err);
		else
			close_from(STDERR_FILENO + 1, f);
		return;
	}
	char *end;
	errno = 0;
	n = strtol(text, &end, 10);
	if (errno || *end || n < 0 || n > 1000000)
		FAIL(f, CODE_INTERNAL, "lxcri-init: read ", INIT_FILE(INITDIR_PRESERVE_FDS), ": malformed");
	else
		close_from(STDERR_FILENO + 1 + (int)n, f);
	free(text);
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

/* exec_fd: exec mode's profile (--seccomp-fd), -1 in the normal mode (INIT_DIR/seccomp). */
static void seccomp_prepare(struct failure *f, int exec_fd)
{
	char msg[sizeof(f->msg)];
	int nnp, exec_mode = exec_fd >= 0;
	int ret = exec_mode ? seccomp_compile_fd(exec_fd, "--seccomp-fd", &filter, msg, sizeof(msg))
			    : seccomp_compile(INIT_FILE(INITDIR_SECCOMP), &filter, msg, sizeof(msg));

	if (ret < 0) {
		FAIL(f, CODE_INTERNAL, msg);
		return;
	}
	if (filter.listener && exec_mode) {
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

static char *prepare(char ***argsp, char ***envp, struct failure *f)
{
	struct identity id;
	char *text;
	size_t len;
	int err = 0;
	char *cwd;

	close_unpreserved(f);
	if (f->code)
		return NULL;
	*argsp = read_entries(INIT_FILE(INITDIR_ARGS), f);
	if (!*argsp)
		return NULL;
	if (!(*argsp)[0]) {
		FAIL(f, CODE_INTERNAL, "lxcri-init: read ", INIT_FILE(INITDIR_ARGS), ": no arguments");
		return NULL;
	}
	*envp = read_entries(INIT_FILE(INITDIR_ENV), f);
	if (!*envp)
		return NULL;
	cwd = read_file(INIT_FILE(INITDIR_CWD), &len, &err);
	if (!cwd) {
		FAIL_SYS(f, "read", INIT_FILE(INITDIR_CWD), err);
		return NULL;
	}
	text = read_file(INIT_FILE(INITDIR_IDENTITY), &len, &err);
	if (!text) {
		FAIL_SYS(f, "read", INIT_FILE(INITDIR_IDENTITY), err);
		free(cwd);
		return NULL;
	}
	if (parse_identity(text, &id) < 0)
		FAIL(f, CODE_INTERNAL, "lxcri-init: read ", INIT_FILE(INITDIR_IDENTITY), ": malformed");
	free(text);
	if (!f->code && access(INIT_FILE(INITDIR_TERMINAL), F_OK) == 0) {
		open_console(f);
		if (!f->code)
			take_terminal(f);
	}
	else if (!f->code && errno != ENOENT)
		FAIL_SYS(f, "check", INIT_FILE(INITDIR_TERMINAL), errno);
	if (!f->code)
		read_start_hooks(f);
	if (!f->code && access(INIT_FILE(INITDIR_SECCOMP), F_OK) == 0)
		seccomp_prepare(f, -1);
	else if (!f->code && errno != ENOENT)
		FAIL_SYS(f, "check", INIT_FILE(INITDIR_SECCOMP), errno);
	if (!f->code)
		detach_init_dir(f);
	if (!f->code)
		take_identity(&id, f);
	if (f->code) {
		free(cwd);
		return NULL;
	}
	change_dir(cwd, f);
	free(cwd);
	if (f->code)
		return NULL;
	*envp = ensure_home(*envp, f);
	if (f->code)
		return NULL;
	return resolve((*argsp)[0], *envp, f);
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

/* Our environment without the entries whose names are in unset (NULL-terminated). */
static char **exec_env(char **environ_, char **unset, size_t nunset, struct failure *f)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ_[n])
		n++;
	env = calloc(n + 1, sizeof(*env));
	if (!env) {
		FAIL_SYS(f, "copy", "environment", ENOMEM);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ_[i], '=');
		size_t klen = eq ? (size_t)(eq - environ_[i]) : strlen(environ_[i]);
		int drop = 0;
		for (size_t u = 0; u < nunset && !drop; u++)
			drop = strlen(unset[u]) == klen && strncmp(unset[u], environ_[i], klen) == 0;
		if (!drop)
			env[k++] = environ_[i];
	}
	env[k] = NULL;
	return env;
}

static int exec_mode(int argc, char **argv, char **envp)
{
	struct failure f = { 0 };
	struct identity id;
	char **unset, **args, **env;
	size_t nunset = 0;
	char *path;
	int i = 4, tty = 0, seccomp_fd = -1;
	long keep = 0;

	if (argc < 6)
		die("lxcri-init: usage: lxcri-init --exec IDENTITY CWD [--tty] [--seccomp-fd FD] [--keep-fds N] [--rlimit R:SOFT:HARD]... [--unset NAME]... -- ARGS...",
		    CODE_INTERNAL);
	unset = calloc((size_t)argc, sizeof(*unset));
	if (!unset)
		die("lxcri-init: out of memory", CODE_INTERNAL);
	for (;;) {
		if (i < argc && strcmp(argv[i], "--tty") == 0) {
			tty = 1;
			i++;
		} else if (i + 1 < argc && strcmp(argv[i], "--seccomp-fd") == 0) {
			char *end;
			errno = 0;
			long fd = strtol(argv[i + 1], &end, 10);
			if (errno || *end || fd <= STDERR_FILENO || fd > 1000000)
				die("lxcri-init: --exec: malformed --seccomp-fd", CODE_INTERNAL);
			seccomp_fd = (int)fd;
			i += 2;
		} else if (i + 1 < argc && strcmp(argv[i], "--keep-fds") == 0) {
			char *end;
			errno = 0;
			keep = strtol(argv[i + 1], &end, 10);
			if (errno || *end || keep < 0 || keep > 1000000)
				die("lxcri-init: --exec: malformed --keep-fds", CODE_INTERNAL);
			i += 2;
		} else if (i + 1 < argc && strcmp(argv[i], "--unset") == 0) {
			unset[nunset++] = argv[i + 1];
			i += 2;
		} else if (i + 1 < argc && strcmp(argv[i], "--rlimit") == 0) {
			/* Still root: hard limits may be raised as well as lowered. */
			set_rlimit(argv[i + 1], &f);
			i += 2;
		} else {
			break;
		}
	}
	if (i >= argc || strcmp(argv[i], "--") != 0 || i + 1 >= argc)
		die("lxcri-init: usage: lxcri-init --exec IDENTITY CWD [--tty] [--seccomp-fd FD] [--keep-fds N] [--rlimit R:SOFT:HARD]... [--unset NAME]... -- ARGS...",
		    CODE_INTERNAL);
	args = argv + i + 1;
	if (parse_identity(argv[2], &id) < 0)
		die("lxcri-init: --exec: malformed identity", CODE_INTERNAL);
	env = exec_env(envp, unset, nunset, &f);
	if (!f.code && tty) {
		take_terminal(&f);
	} else if (!f.code) {
		new_session(&f);
	}
	if (!f.code && seccomp_fd >= 0)
		seccomp_prepare(&f, seccomp_fd);
	if (!f.code)
		take_identity(&id, &f);
	if (!f.code)
		change_dir(argv[3], &f);
	if (!f.code)
		env = ensure_home(env, &f);
	path = f.code ? NULL : resolve(args[0], env, &f);
	if (!f.code)
		close_from(STDERR_FILENO + 1 + (int)keep, &f);
	if (f.code)
		die(f.msg, f.code);
	reset_signals();
	seccomp_late();
	execve(path, args, env);

	int err = errno;
	char ebuf[256];
	FAIL(&f, (err == ENOENT || err == ENOTDIR) ? CODE_NOTFOUND : CODE_NOEXEC, "exec: ", path,
	     ": ", go_strerror(err, ebuf, sizeof(ebuf)));
	die(f.msg, f.code);
	return f.code;
}

int main(int argc, char **argv, char **envp)
{
	struct failure f = { 0 };
	char **args = NULL, **env = NULL;
	char *path;

	if (argc > 1 && strcmp(argv[1], "--exec") == 0)
		return exec_mode(argc, argv, envp);
	/* liblxc starts us by the absolute path of our mount, in our files' dir. */
	const char *slash = strrchr(argv[0], '/');
	if (slash && slash != argv[0] && (size_t)(slash - argv[0]) < sizeof(init_dir)) {
		memcpy(init_dir, argv[0], (size_t)(slash - argv[0]));
		init_dir[slash - argv[0]] = '\0';
	}
	catch_terminating_signals();
	path = prepare(&args, &env, &f);

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
	reset_signals();
	run_start_hooks();
	seccomp_late();
	execve(path, args, env);

	int err = errno;
	FAIL(&f, err == ENOENT ? CODE_NOTFOUND : CODE_NOEXEC, "lxcri-init: exec ", path, ": ",
	     strerror(err));
	die(f.msg, f.code);
	return f.code;
}
