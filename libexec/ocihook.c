/* OCI hooks: the records `lxcri create` writes and running one hook (see ocihook.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ocihook.h"
#include "util.h"

/* Parse a non-negative decimal field; -1 if malformed. */
long ocihook_num(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000L)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Next NUL-terminated field of buf[0..len) at *pos; NULL at the end. */
static char *ocihook_field(char *buf, size_t len, size_t *pos)
{
	char *f;

	if (*pos >= len)
		return NULL;
	f = buf + *pos;
	*pos += strnlen(f, len - *pos) + 1;
	return *pos <= len ? f : NULL;
}

/* A NULL-terminated vector of the next n fields; NULL if malformed. */
static char **ocihook_vector(char *buf, size_t len, size_t *pos, long n)
{
	char **v = calloc((size_t)n + 1, sizeof(*v));

	if (!v)
		return NULL;
	for (long i = 0; i < n; i++) {
		v[i] = ocihook_field(buf, len, pos);
		if (!v[i]) {
			free(v);
			return NULL;
		}
	}
	return v;
}

/* Parse the records in buf (the fields point into buf). Returns the number
 * of hooks with *out malloc'ed, or -1 (errno EINVAL or ENOMEM). */
long ocihook_parse(char *buf, size_t len, struct ocihook **out)
{
	struct ocihook *hooks = NULL;
	long n = 0;
	size_t pos = 0;

	while (pos < len) {
		struct ocihook h, *bigger;
		const char *f;
		long argc, envc;

		h.path = ocihook_field(buf, len, &pos);
		f = ocihook_field(buf, len, &pos);
		h.timeout = f ? ocihook_num(f) : -1;
		f = ocihook_field(buf, len, &pos);
		argc = f ? ocihook_num(f) : -1;
		if (!h.path || h.path[0] != '/' || h.timeout < 0 || argc < 0)
			goto invalid;
		/* Without args argv is just the path: no field of the record is consumed. */
		h.argv = argc ? ocihook_vector(buf, len, &pos, argc) : calloc(2, sizeof(*h.argv));
		if (!h.argv)
			goto invalid;
		if (argc == 0)
			h.argv[0] = (char *)h.path;
		f = ocihook_field(buf, len, &pos);
		envc = f ? ocihook_num(f) : -1;
		h.envp = envc < 0 ? NULL : ocihook_vector(buf, len, &pos, envc);
		if (!h.envp) {
			free(h.argv);
			goto invalid;
		}
		bigger = realloc(hooks, (size_t)(n + 1) * sizeof(*hooks));
		if (!bigger) {
			free(h.argv);
			free(h.envp);
			errno = ENOMEM;
			goto fail;
		}
		hooks = bigger;
		hooks[n++] = h;
	}
	*out = hooks;
	return n;
invalid:
	errno = EINVAL;
fail:
	for (long i = 0; i < n; i++) {
		free(hooks[i].argv);
		free(hooks[i].envp);
	}
	free(hooks);
	return -1;
}

void ocihook_free(struct ocihook *hooks, long n)
{
	for (long i = 0; i < n; i++) {
		free(hooks[i].argv);
		free(hooks[i].envp);
	}
	free(hooks);
}

/* Decimal text of v into buf (at least 24 bytes). */
const char *ocihook_itoa(long v, char *buf)
{
	char *p = buf + 23;
	unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;

	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return p;
}

/* msg = a + b + c (truncated to cap). */
void ocihook_msg(char *msg, size_t cap, const char *a, const char *b, const char *c)
{
	const char *parts[] = { a, b, c };
	size_t len = 0;

	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(parts[i]);
		if (n > cap - 1 - len)
			n = cap - 1 - len;
		memcpy(msg + len, parts[i], n);
		len += n;
	}
	msg[len] = '\0';
}

/* Wait for pid for at most timeout seconds (0: forever); SIGKILL it then.
 * Returns the wait status, -2 on timeout, -1 on error. */
int ocihook_wait(pid_t pid, long timeout)
{
	int status, fd = (int)syscall(SYS_pidfd_open, pid, 0);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (timeout > 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		do
			ret = poll(&p, 1, timeout > 2000000 ? -1 : (int)(timeout * 1000));
		while (ret < 0 && errno == EINTR);
		/* EINTR restarts with the full timeout: rare enough (we catch
		 * nothing that interrupts here) to accept. */
		/* The hook leads its own process group: whatever it started
		 * goes too, and cannot hold our output pipe open. */
		if (ret == 0)
			(void)kill(-pid, SIGKILL);
	}
	close(fd);
	if (ret < 0) {
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, &status, 0);
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return ret == 0 && timeout > 0 ? -2 : status;
}

/* Run one hook. 0 on success; otherwise -1 with the reason in msg. */
int ocihook_run(const struct ocihook *h, const char *state, size_t statelen, int outfd, char *msg, size_t cap)
{
	char num[24];
	int in, status, err = 0, errpipe[2];
	pid_t pid;
	ssize_t n;

	in = (int)syscall(SYS_memfd_create, "state", 1U /* MFD_CLOEXEC */);
	if (in < 0 || write_all(in, state, statelen) < 0 || lseek(in, 0, SEEK_SET) < 0) {
		ocihook_msg(msg, cap, "cannot pass the state: ", strerror(errno), "");
		if (in >= 0)
			close(in);
		return -1;
	}
	/* The child reports a failed exec over a close-on-exec pipe. */
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		ocihook_msg(msg, cap, "pipe: ", strerror(errno), "");
		close(in);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		ocihook_msg(msg, cap, "fork: ", strerror(errno), "");
		close(in);
		close(errpipe[0]);
		close(errpipe[1]);
		return -1;
	}
	if (pid == 0) {
		/* dup2 clears close-on-exec on the copies. */
		if (setpgid(0, 0) == 0 && dup2(in, STDIN_FILENO) >= 0 && dup2(outfd, STDOUT_FILENO) >= 0 &&
		    dup2(outfd, STDERR_FILENO) >= 0)
			execve(h->path, h->argv, h->envp);
		err = errno;
		(void)write_all(errpipe[1], (const char *)&err, sizeof(err));
		_exit(127);
	}
	close(in);
	close(errpipe[1]);
	do
		n = read(errpipe[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(errpipe[0]);
	if (n == (ssize_t)sizeof(err)) {
		(void)waitpid(pid, &status, 0);
		ocihook_msg(msg, cap, "exec: ", strerror(err), "");
		return -1;
	}
	status = ocihook_wait(pid, h->timeout);
	if (status == -2) {
		ocihook_msg(msg, cap, "timed out after ", ocihook_itoa(h->timeout, num), "s");
		return -1;
	}
	if (status == -1) {
		ocihook_msg(msg, cap, "wait: ", strerror(errno), "");
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		ocihook_msg(msg, cap, "exited with status ", ocihook_itoa(WEXITSTATUS(status), num), "");
	else
		ocihook_msg(msg, cap, "killed by signal ", ocihook_itoa(WTERMSIG(status), num), "");
	return -1;
}
