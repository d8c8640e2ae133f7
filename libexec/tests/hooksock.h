/* A stand-in for `lxcri create`'s side of hooks.sock (src/runtime/hookserver.ts) in the
 * C unit tests: answers n connections with a fixed reply and keeps their requests. */
#ifndef LXCRI_TESTS_HOOKSOCK_H
#define LXCRI_TESTS_HOOKSOCK_H

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "check.h"

struct hooksock {
	pid_t pid;
	char dir[200];
};

/* Listen on <dir>/hooks.sock (bound before this returns) and serve n connections in a
 * child: read each request to its end into <dir>/request.<i>, write reply, close. */
static inline void hooksock_serve_n(struct hooksock *s, const char *dir, const char *reply, size_t replylen, int n)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/hooks.sock", dir);
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	unlink(addr.sun_path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0) {
		perror("hooksock");
		exit(2);
	}
	fflush(stdout);
	fflush(stderr);
	s->pid = fork();
	if (s->pid < 0)
		exit(2);
	if (s->pid == 0) {
		static char buf[1 << 17];
		char file[256];

		for (int i = 0; i < n; i++) {
			size_t len = 0;
			ssize_t r;
			int c = accept(fd, NULL, NULL);
			FILE *fp;

			if (c < 0)
				_exit(1);
			while (len < sizeof(buf) && (r = read(c, buf + len, sizeof(buf) - len)) > 0)
				len += (size_t)r;
			snprintf(file, sizeof(file), "%s/request.%d", dir, i);
			fp = fopen(file, "w");
			if (!fp || fwrite(buf, 1, len, fp) != len || fclose(fp) != 0)
				_exit(1);
			if (replylen && write(c, reply, replylen) != (ssize_t)replylen)
				_exit(1);
			close(c);
		}
		_exit(0);
	}
	close(fd);
}

static inline void hooksock_serve(struct hooksock *s, const char *dir, const char *reply, size_t replylen)
{
	hooksock_serve_n(s, dir, reply, replylen, 1);
}

/* Wait for the server to end (killed if it still waits after 10 s). 0 if it served all. */
static inline int hooksock_wait(struct hooksock *s)
{
	int status = 0;
	pid_t r = 0;

	for (int i = 0; i < 1000 && (r = waitpid(s->pid, &status, WNOHANG)) == 0; i++)
		usleep(10000);
	if (r == 0) {
		(void)kill(s->pid, SIGKILL);
		(void)waitpid(s->pid, &status, 0);
		return -1;
	}
	return r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Request i the server got, into buf (*len bytes); 0 if it has one. */
static inline int hooksock_nth(struct hooksock *s, int i, char *buf, size_t cap, size_t *len)
{
	char file[256];
	FILE *fp;

	snprintf(file, sizeof(file), "%s/request.%d", s->dir, i);
	fp = fopen(file, "r");
	if (!fp)
		return -1;
	*len = fread(buf, 1, cap, fp);
	fclose(fp);
	return 0;
}

/* Wait for a one-connection server; its request into buf. 0 if it served. */
static inline int hooksock_request(struct hooksock *s, char *buf, size_t cap, size_t *len)
{
	return hooksock_wait(s) < 0 ? -1 : hooksock_nth(s, 0, buf, cap, len);
}

#endif
