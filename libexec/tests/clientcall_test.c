/* clientcall.c against a fake service on a socketpair: the request, spawned children
 * with mapped fds and their ENDED status, FAILED, KILL, EXIT, LOCAL, and the call's end
 * when the service goes away or breaks the protocol (the children die with it). */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

#include "check.h"
#include "clientcall.h"
#include "svcwire.h"

static struct svcmsg m, r;

struct call {
	pid_t pid;
	int sock; /* the service's end */
	int err;  /* the client's stderr */
};

#define RET_LOCAL 99
#define RET_OTHER 98

/* Run clientcall_run(argv) in a child, fds 3..3+preserve-1 open there; close_stdout:
 * with its fd 1 closed. The child blocks SIGTERM and ignores SIGINT and 33: its children
 * must not. */
static void start_call(struct call *c, char *const argv[], int argc, int preserve, int close_stdout)
{
	int sv[2], ep[2];
	sigset_t set;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(ep, O_CLOEXEC) < 0)
		exit(2);
	fflush(stdout);
	fflush(stderr);
	c->pid = fork();
	if (c->pid < 0)
		exit(2);
	if (c->pid == 0) {
		close(sv[0]);
		if (dup2(ep[1], 2) < 0)
			_exit(RET_OTHER);
		for (int fd = 3; fd < 3 + preserve; fd++)
			if (fd != sv[1] && dup2(0, fd) < 0)
				_exit(RET_OTHER);
		if (close_stdout)
			close(1);
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigprocmask(SIG_BLOCK, &set, NULL);
		signal(SIGINT, SIG_IGN);
		signal(SIGCHLD, SIG_IGN); /* would reap the children itself */
		/* and one of libc's own, as make(1) may leave them: only the raw call resets it */
		struct {
			void (*handler)(int);
			unsigned long flags;
			void (*restorer)(void);
			unsigned long mask;
		} ign = { .handler = SIG_IGN };
		syscall(SYS_rt_sigaction, 33, &ign, NULL, sizeof(unsigned long));
		_exit(clientcall_run(sv[1], argc, argv, preserve) == CLIENTCALL_LOCAL ? RET_LOCAL : RET_OTHER);
	}
	close(sv[1]);
	close(ep[1]);
	c->sock = sv[0];
	c->err = ep[0];
}

/* The client's exit status (-1: not a normal exit) and its stderr. */
static int end_call(struct call *c, char *err, size_t cap)
{
	size_t n = 0;
	ssize_t k;
	int status;

	while (n + 1 < cap && (k = read(c->err, err + n, cap - 1 - n)) > 0)
		n += (size_t)k;
	err[n] = '\0';
	close(c->err);
	close(c->sock);
	if (waitpid(c->pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void send_msg(struct call *c)
{
	if (svcwire_send(c->sock, &m) < 0) {
		perror("send");
		exit(2);
	}
}

static void exit_call(struct call *c, int code, const char *text)
{
	svcmsg_start(&m, SVC_MSG_EXIT);
	svcmsg_num(&m, code);
	svcmsg_str(&m, text);
	send_msg(c);
}

/* SPAWN tag of /bin/sh -c script with the given fds and environment. */
static void spawn_sh(struct call *c, const char *tag, const char *flags, const char *cwd, const char *script,
		     const int *fds, int nfds)
{
	svcmsg_start(&m, SVC_MSG_SPAWN);
	svcmsg_str(&m, tag);
	svcmsg_str(&m, flags);
	svcmsg_str(&m, cwd);
	svcmsg_num(&m, 3);
	svcmsg_str(&m, "/bin/sh");
	svcmsg_str(&m, "-c");
	svcmsg_str(&m, script);
	svcmsg_num(&m, 1);
	svcmsg_str(&m, "FOO=bar baz");
	for (int i = 0; i < nfds; i++)
		svcmsg_fd(&m, fds[i]);
	send_msg(c);
}

/* The next message: its type, and its tag and number fields. */
static char tag[64];
static long long num;
static char next(struct call *c)
{
	struct svcread rd;
	const char *t;

	if (svcwire_recv(c->sock, &r) != 1)
		return 0;
	svcread_start(&rd, &r);
	t = svcread_str(&rd);
	snprintf(tag, sizeof(tag), "%s", t ? t : "");
	if (svcread_num(&rd, LLONG_MIN, LLONG_MAX, &num) < 0 || !svcread_done(&rd))
		return '?';
	return r.data[0];
}

static void recv_request(struct call *c, int want_fds)
{
	CHECK(svcwire_recv(c->sock, &r) == 1 && r.data[0] == SVC_MSG_REQUEST);
	CHECK(r.nfds == want_fds);
	svcmsg_close_fds(&r);
}

static int pipe_read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t k;

	while (n + 1 < cap && (k = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)k;
	buf[n] = '\0';
	close(fd);
	return (int)n;
}

static void request_and_exit(void)
{
	char *argv[] = { "lxcri", "--root", "/r", "state", "x", NULL };
	char cwd[PATH_MAX], err[256];
	struct svcread rd;
	struct call c;
	long long v, envc;
	const char *s;

	setenv("CLIENTCALL_TEST", "a=b", 1);
	start_call(&c, argv, 5, 2, 0);
	CHECK(svcwire_recv(c.sock, &r) == 1 && r.data[0] == SVC_MSG_REQUEST);
	svcread_start(&rd, &r);
	CHECK_STR(svcread_str(&rd), SVC_VERSION);
	CHECK_STR(svcread_str(&rd), getcwd(cwd, sizeof(cwd)));
	CHECK(svcread_num(&rd, 0, 100, &v) == 0 && v == 4);
	CHECK_STR(svcread_str(&rd), "--root");
	CHECK_STR(svcread_str(&rd), "/r");
	CHECK_STR(svcread_str(&rd), "state");
	CHECK_STR(svcread_str(&rd), "x");
	CHECK(svcread_num(&rd, 1, 100000, &envc) == 0);
	v = 0;
	for (long long i = 0; i < envc; i++)
		if ((s = svcread_str(&rd)) && strcmp(s, "CLIENTCALL_TEST=a=b") == 0)
			v = 1;
	CHECK(v == 1 && svcread_done(&rd));
	CHECK(r.nfds == 5); /* stdio and --preserve-fds 2 */
	svcmsg_close_fds(&r);
	exit_call(&c, 3, "lxcri: text as it is\n");
	CHECK(end_call(&c, err, sizeof(err)) == 3);
	CHECK_STR(err, "lxcri: text as it is\n");
}

static void spawn_and_end(void)
{
	char *argv[] = { "lxcri", "exec", "x", NULL };
	char err[256], outbuf[1024];
	struct call c;
	int p[2], null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int fds[3];
	pid_t child;

	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	CHECK(pipe2(p, O_CLOEXEC) == 0 && null >= 0); /* after the fork: the client has no copy */
	/* fd 0 /dev/null, 1 and 2 the pipe: what the child has, its cwd, environment,
	 * session, signals */
	fds[0] = null;
	fds[1] = p[1];
	fds[2] = p[1];
	spawn_sh(&c, "t1", "s", "/tmp",
		 "pwd; echo \"$FOO\"; ls /proc/$$/fd; "
		 "[ \"$(cut -d' ' -f6 /proc/$$/stat)\" = $$ ] && echo leader; echo e >&2; exit 5",
		 fds, 3);
	close(p[1]);
	close(null);
	CHECK(next(&c) == SVC_MSG_SPAWNED);
	CHECK_STR(tag, "t1");
	child = (pid_t)num;
	CHECK(child > 0);
	CHECK(next(&c) == SVC_MSG_ENDED);
	CHECK_STR(tag, "t1");
	CHECK(WIFEXITED(num) && WEXITSTATUS(num) == 5);
	pipe_read_all(p[0], outbuf, sizeof(outbuf));
	CHECK_STR(outbuf, "/tmp\nbar baz\n0\n1\n2\nleader\ne\n");
	/* reaped: gone, and a KILL for it is ignored */
	CHECK(kill(child, 0) == -1 && errno == ESRCH);
	svcmsg_start(&m, SVC_MSG_KILL);
	svcmsg_str(&m, "t1");
	svcmsg_num(&m, 9);
	send_msg(&c);

	/* without 's': the client's session; no fds at all */
	CHECK(pipe2(p, O_CLOEXEC) == 0);
	fds[0] = p[1];
	spawn_sh(&c, "t2", "", "", "[ \"$(cut -d' ' -f6 /proc/$$/stat)\" != $$ ] && echo notleader >&0", fds, 1);
	close(p[1]);
	CHECK(next(&c) == SVC_MSG_SPAWNED);
	CHECK(next(&c) == SVC_MSG_ENDED && WIFEXITED(num) && WEXITSTATUS(num) == 0);
	pipe_read_all(p[0], outbuf, sizeof(outbuf));
	CHECK_STR(outbuf, "notleader\n");

	/* exec failure: FAILED with the errno; a bad cwd too */
	svcmsg_start(&m, SVC_MSG_SPAWN);
	svcmsg_str(&m, "t3");
	svcmsg_str(&m, "");
	svcmsg_str(&m, "");
	svcmsg_num(&m, 1);
	svcmsg_str(&m, "/nonexistent/prog");
	svcmsg_num(&m, 0);
	send_msg(&c);
	CHECK(next(&c) == SVC_MSG_FAILED);
	CHECK_STR(tag, "t3");
	CHECK(num == ENOENT);
	spawn_sh(&c, "t4", "", "/nonexistent", "exit 0", NULL, 0);
	CHECK(next(&c) == SVC_MSG_FAILED && num == ENOENT);
	exit_call(&c, 0, "");
	CHECK(end_call(&c, err, sizeof(err)) == 0);
	CHECK_STR(err, "");
}

/* The fds of process pid ("0 1 "), sorted. */
static char fds_buf[256];
static const char *fd_list(pid_t pid)
{
	char path[64], cmd[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	snprintf(cmd, sizeof(cmd), "ls %s | tr '\\n' ' '", path);
	f = popen(cmd, "r");
	n = f ? fread(fds_buf, 1, sizeof(fds_buf) - 1, f) : 0;
	fds_buf[n] = '\0';
	if (f)
		pclose(f);
	return fds_buf;
}

/* The line of /proc/<pid>/status that starts with key. */
static char line_buf[256];
static const char *status_line(pid_t pid, const char *key)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	line_buf[0] = '\0';
	f = fopen(path, "r");
	while (f && fgets(line_buf, sizeof(line_buf), f))
		if (strncmp(line_buf, key, strlen(key)) == 0)
			break;
	if (f)
		fclose(f);
	return line_buf;
}

static void kill_and_detached(void)
{
	char *argv[] = { "lxcri", "exec", "x", NULL };
	char err[256];
	struct call c;
	pid_t left;

	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	/* sleep itself: only the fd it was given, no signal blocked or ignored */
	svcmsg_start(&m, SVC_MSG_SPAWN);
	svcmsg_str(&m, "k");
	svcmsg_str(&m, "");
	svcmsg_str(&m, "");
	svcmsg_num(&m, 2);
	svcmsg_str(&m, "/bin/sleep");
	svcmsg_str(&m, "100");
	svcmsg_num(&m, 0);
	svcmsg_fd(&m, null);
	send_msg(&c);
	close(null);
	CHECK(next(&c) == SVC_MSG_SPAWNED);
	CHECK_STR(fd_list((pid_t)num), "0 ");
	CHECK_STR(status_line((pid_t)num, "SigBlk:"), "SigBlk:\t0000000000000000\n");
	CHECK_STR(status_line((pid_t)num, "SigIgn:"), "SigIgn:\t0000000000000000\n");
	svcmsg_start(&m, SVC_MSG_KILL);
	svcmsg_str(&m, "k");
	svcmsg_num(&m, SIGTERM); /* its mask was reset: SIGTERM is not blocked there */
	send_msg(&c);
	CHECK(next(&c) == SVC_MSG_ENDED);
	CHECK_STR(tag, "k");
	CHECK(WIFSIGNALED(num) && WTERMSIG(num) == SIGTERM);
	/* a child still running at EXIT stays (a detached exec's process) */
	spawn_sh(&c, "d", "s", "", "exec sleep 100", NULL, 0);
	CHECK(next(&c) == SVC_MSG_SPAWNED);
	left = (pid_t)num;
	exit_call(&c, 7, "");
	CHECK(end_call(&c, err, sizeof(err)) == 7);
	CHECK(kill(left, 0) == 0);
	kill(left, SIGKILL);
}

static void local(void)
{
	char *argv[] = { "lxcri", "state", "x", NULL };
	char err[256];
	struct call c;
	pid_t child;
	time_t t0;

	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	svcmsg_start(&m, SVC_MSG_LOCAL);
	send_msg(&c);
	CHECK(end_call(&c, err, sizeof(err)) == RET_LOCAL);
	CHECK_STR(err, "");

	/* after a SPAWN it breaks the protocol: the child dies with the call */
	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	spawn_sh(&c, "l", "", "", "exec sleep 100", NULL, 0);
	CHECK(next(&c) == SVC_MSG_SPAWNED);
	child = (pid_t)num;
	svcmsg_start(&m, SVC_MSG_LOCAL);
	send_msg(&c);
	t0 = time(NULL);
	CHECK(end_call(&c, err, sizeof(err)) == 1);
	CHECK(time(NULL) - t0 < 5);
	CHECK_STR(err, "lxcri: the lxcri service sent a malformed message\n");
	CHECK(kill(child, 0) == -1 && errno == ESRCH);
}

static void unsendable(void)
{
	char *argv[] = { "lxcri", "state", "x", NULL };
	char err[256];
	struct call c;

	/* a closed stdio fd cannot travel: in-process, nothing sent */
	start_call(&c, argv, 3, 0, 1);
	CHECK(end_call(&c, err, sizeof(err)) == RET_LOCAL);
	start_call(&c, argv, 3, 0, 1);
	CHECK(svcwire_recv(c.sock, &r) == 0);
	end_call(&c, err, sizeof(err));
}

static void service_gone(void)
{
	char *argv[] = { "lxcri", "exec", "x", NULL };
	char err[256];
	struct call c;
	pid_t child;
	time_t t0;

	/* EOF mid-call: the running child is killed and reaped */
	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	spawn_sh(&c, "g", "s", "", "exec sleep 100", NULL, 0);
	CHECK(next(&c) == SVC_MSG_SPAWNED);
	child = (pid_t)num;
	shutdown(c.sock, SHUT_RDWR);
	t0 = time(NULL);
	CHECK(end_call(&c, err, sizeof(err)) == 1);
	CHECK(time(NULL) - t0 < 5); /* it killed the child rather than wait for it */
	CHECK_STR(err, "lxcri: the lxcri service ended during the call\n");
	CHECK(kill(child, 0) == -1 && errno == ESRCH);

	/* malformed: an unknown type, a field without its NUL, an EXIT with an fd */
	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	CHECK(send(c.sock, "Zx", 3, 0) == 3);
	CHECK(end_call(&c, err, sizeof(err)) == 1);
	CHECK_STR(err, "lxcri: the lxcri service sent a malformed message\n");
	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	CHECK(send(c.sock, "X0", 2, 0) == 2);
	CHECK(end_call(&c, err, sizeof(err)) == 1);
	CHECK_STR(err, "lxcri: the lxcri service sent a malformed message\n");
	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	exit_call(&c, 256, "");
	CHECK(end_call(&c, err, sizeof(err)) == 1);
	CHECK_STR(err, "lxcri: the lxcri service sent a malformed message\n");
	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	svcmsg_start(&m, SVC_MSG_EXIT);
	svcmsg_num(&m, 0);
	svcmsg_str(&m, "");
	svcmsg_fd(&m, 0);
	send_msg(&c);
	CHECK(end_call(&c, err, sizeof(err)) == 1);
	CHECK_STR(err, "lxcri: the lxcri service sent a malformed message\n");
	/* a SPAWN whose argv[0] is not absolute */
	start_call(&c, argv, 3, 0, 0);
	recv_request(&c, 3);
	svcmsg_start(&m, SVC_MSG_SPAWN);
	svcmsg_str(&m, "t");
	svcmsg_str(&m, "");
	svcmsg_str(&m, "");
	svcmsg_num(&m, 1);
	svcmsg_str(&m, "sh");
	svcmsg_num(&m, 0);
	send_msg(&c);
	CHECK(end_call(&c, err, sizeof(err)) == 1);
	CHECK_STR(err, "lxcri: the lxcri service sent a malformed message\n");
}

int main(void)
{
	request_and_exit();
	spawn_and_end();
	kill_and_detached();
	local();
	unsendable();
	service_gone();
	return check_done("clientcall");
}
