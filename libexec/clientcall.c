/* clientcall.c: see clientcall.h and svcproto.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clientcall.h"
#include "closefrom.h"
#include "svcwire.h"
#include "util.h"

extern char **environ;

#define TAG_MAX 64

struct child {
	char tag[TAG_MAX];
	pid_t pid;
	int pidfd;
};

static struct child children[CLIENTCALL_MAX_CHILDREN];
static int nchildren;
static int spawned_any;
/* One message at a time: received, or built for an answer. */
static struct svcmsg in, out;
/* A SPAWN's argv and env (each field at least its NUL: no more than the message's bytes). */
static char *spawn_argv[SVC_MAX_MSG + 1], *spawn_env[SVC_MAX_MSG + 1];

enum { ENDED_EOF, ENDED_MALFORMED };

/* The service is gone or broke the protocol: the children still running die with the
 * call (they are ours to reap), then one line and exit 1. */
static void fail_call(int why)
{
	for (int i = 0; i < nchildren; i++) {
		kill(children[i].pid, SIGKILL);
		while (waitpid(children[i].pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (why == ENDED_MALFORMED)
		fputs("lxcri: the lxcri service sent a malformed message\n", stderr);
	else
		fputs("lxcri: the lxcri service ended during the call\n", stderr);
	exit(1);
}

static void answer(int sock)
{
	if (svcwire_send(sock, &out) < 0)
		fail_call(ENDED_EOF);
}

static void answer_num(int sock, char type, const char *tag, long long v)
{
	svcmsg_start(&out, type);
	svcmsg_str(&out, tag);
	svcmsg_num(&out, v);
	answer(sock);
}

static struct child *find_child(const char *tag)
{
	for (int i = 0; i < nchildren; i++)
		if (strcmp(children[i].tag, tag) == 0)
			return &children[i];
	return NULL;
}

/* In the child: the received fds on 0..n-1 and no other, default signals, then exec.
 * Any failure goes to errfd as an errno. */
static void spawn_child(int errfd, const char *flags, const char *cwd, int *fds, int n)
{
	/* The kernel's struct sigaction (handler, flags, restorer, mask), all SIG_DFL. */
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		unsigned long mask;
	} dfl = { .handler = SIG_DFL };
	sigset_t none;
	int err;

	if (strchr(flags, SVC_SPAWN_SETSID) && setsid() < 0)
		goto fail;
	if (*cwd && chdir(cwd) < 0)
		goto fail;
	/* Everything above n first, so that no dup2 below lands on an fd still needed. */
	if ((errfd = fcntl(errfd, F_DUPFD_CLOEXEC, n)) < 0)
		goto fail;
	for (int i = 0; i < n; i++)
		if ((fds[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, n)) < 0)
			goto fail;
	for (int i = 0; i < n; i++)
		if (dup2(fds[i], i) < 0) /* the copy is not close-on-exec */
			goto fail;
	close_fd_range(n, errfd - 1);
	close_fd_range(errfd + 1, -1);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		goto fail;
	/* The raw call: libc refuses its own signals (32, 33), which a caller may have
	 * ignored, and ignored stays ignored across exec. */
	for (int sig = 1; sig < NSIG; sig++)
		(void)syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(unsigned long)); /* EINVAL: SIGKILL, SIGSTOP */
	execve(spawn_argv[0], spawn_argv, spawn_env);
fail:
	err = errno;
	(void)write_all(errfd, (const char *)&err, sizeof(err));
	_exit(127);
}

/* SVC_MSG_SPAWN: tag, flags, cwd, argc, argv, envc, env; fds the child's 0..n-1. */
static void spawn(int sock)
{
	struct svcread r;
	const char *tag, *flags, *cwd;
	long long argc, envc;
	int pipefd[2], err = 0;
	ssize_t got = 0;
	pid_t pid;

	svcread_start(&r, &in);
	tag = svcread_str(&r);
	flags = svcread_str(&r);
	cwd = svcread_str(&r);
	if (!cwd || !*tag || strlen(tag) >= TAG_MAX || strspn(flags, "s") != strlen(flags) || find_child(tag) ||
	    svcread_num(&r, 1, SVC_MAX_MSG, &argc) < 0)
		goto malformed;
	for (long long i = 0; i < argc; i++)
		if (!(spawn_argv[i] = (char *)svcread_str(&r)))
			goto malformed;
	spawn_argv[argc] = NULL;
	if (spawn_argv[0][0] != '/' || svcread_num(&r, 0, SVC_MAX_MSG, &envc) < 0)
		goto malformed;
	for (long long i = 0; i < envc; i++)
		if (!(spawn_env[i] = (char *)svcread_str(&r)))
			goto malformed;
	spawn_env[envc] = NULL;
	if (!svcread_done(&r))
		goto malformed;

	if (nchildren == CLIENTCALL_MAX_CHILDREN) {
		svcmsg_close_fds(&in);
		answer_num(sock, SVC_MSG_FAILED, tag, EAGAIN);
		return;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		err = errno;
		svcmsg_close_fds(&in);
		answer_num(sock, SVC_MSG_FAILED, tag, err);
		return;
	}
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		spawn_child(pipefd[1], flags, cwd, in.fds, in.nfds);
	}
	if (pid < 0)
		err = errno;
	close(pipefd[1]);
	svcmsg_close_fds(&in);
	if (pid > 0) {
		do
			got = read(pipefd[0], &err, sizeof(err));
		while (got < 0 && errno == EINTR);
		if (got != 0) { /* the child's errno (or, failing that, the read's) */
			if (got != (ssize_t)sizeof(err))
				err = got < 0 ? errno : EIO;
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
	}
	close(pipefd[0]);
	if (err == 0) {
		int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0) {
			err = errno;
			kill(pid, SIGKILL);
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		} else {
			struct child *c = &children[nchildren++];
			snprintf(c->tag, sizeof(c->tag), "%s", tag);
			c->pid = pid;
			c->pidfd = pidfd;
			spawned_any = 1;
			answer_num(sock, SVC_MSG_SPAWNED, tag, pid);
			return;
		}
	}
	answer_num(sock, SVC_MSG_FAILED, tag, err);
	return;
malformed:
	fail_call(ENDED_MALFORMED);
}

/* A child's pidfd is readable: it ended; reap it and tell the service. */
static void ended(int sock, int i)
{
	struct child c = children[i];
	int status = 0;

	while (waitpid(c.pid, &status, 0) < 0) {
		if (errno != EINTR)
			fail_call(ENDED_MALFORMED); /* cannot happen: it is our unreaped child */
	}
	close(c.pidfd);
	children[i] = children[--nchildren];
	answer_num(sock, SVC_MSG_ENDED, c.tag, status);
}

/* One message from the service; returns only to go on with the call. */
static int handle(int sock)
{
	struct svcread r;
	long long v;
	int ret = svcwire_recv(sock, &in);

	if (ret == 0 || ret == -1)
		fail_call(ENDED_EOF);
	if (ret == SVCWIRE_MALFORMED)
		fail_call(ENDED_MALFORMED);
	svcread_start(&r, &in);
	switch (in.data[0]) {
	case SVC_MSG_SPAWN:
		spawn(sock);
		return 0;
	case SVC_MSG_KILL: {
		const char *tag = svcread_str(&r);
		struct child *c;

		if (!tag || svcread_num(&r, 0, NSIG - 1, &v) < 0 || !svcread_done(&r) || in.nfds)
			break;
		c = find_child(tag);
		if (c) /* not reaped yet: the pid is still this child's */
			kill(c->pid, (int)v);
		return 0;
	}
	case SVC_MSG_EXIT: {
		const char *text;

		if (svcread_num(&r, 0, 255, &v) < 0 || !(text = svcread_str(&r)) || !svcread_done(&r) || in.nfds)
			break;
		(void)write_all(STDERR_FILENO, text, strlen(text));
		exit((int)v);
	}
	case SVC_MSG_LOCAL:
		if (spawned_any || !svcread_done(&r) || in.nfds)
			break;
		return CLIENTCALL_LOCAL;
	}
	fail_call(ENDED_MALFORMED);
	return 0;
}

/* SVC_MSG_REQUEST: 0, or -1 if it cannot be built or sent. */
static int request(int sock, int argc, char *const argv[], int preserve_fds)
{
	char cwd[PATH_MAX];
	int envc = 0;

	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	svcmsg_start(&out, SVC_MSG_REQUEST);
	svcmsg_str(&out, SVC_VERSION);
	svcmsg_str(&out, cwd);
	svcmsg_num(&out, argc - 1);
	for (int i = 1; i < argc; i++)
		svcmsg_str(&out, argv[i]);
	while (environ && environ[envc])
		envc++;
	svcmsg_num(&out, envc);
	for (int i = 0; i < envc; i++)
		svcmsg_str(&out, environ[i]);
	for (int fd = 0; fd < 3 + preserve_fds; fd++)
		svcmsg_fd(&out, fd);
	return svcwire_send(sock, &out);
}

int clientcall_run(int sock, int argc, char *const argv[], int preserve_fds)
{
	struct pollfd pfd[1 + CLIENTCALL_MAX_CHILDREN];

	nchildren = 0;
	spawned_any = 0;
	if (request(sock, argc, argv, preserve_fds) < 0)
		return CLIENTCALL_LOCAL;
	/* A SIGCHLD ignored by our caller would reap the children before we can: their
	 * statuses are the service's to have. */
	if (signal(SIGCHLD, SIG_DFL) == SIG_ERR)
		return CLIENTCALL_LOCAL; /* nothing spawned yet: the service sees EOF */
	for (;;) {
		int n;

		pfd[0].fd = sock;
		pfd[0].events = POLLIN;
		for (int i = 0; i < nchildren; i++) {
			pfd[1 + i].fd = children[i].pidfd;
			pfd[1 + i].events = POLLIN;
		}
		n = poll(pfd, (nfds_t)(1 + nchildren), -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail_call(ENDED_EOF);
		}
		/* Children first: an ENDED goes out before the service's next word is read. */
		for (int i = nchildren - 1; i >= 0; i--)
			if (pfd[1 + i].revents)
				ended(sock, i);
		if (pfd[0].revents && handle(sock) == CLIENTCALL_LOCAL)
			return CLIENTCALL_LOCAL;
	}
}
