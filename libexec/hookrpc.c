/* The hooks.sock client (see hookrpc.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "boundedread.h"
#include "hookerr.h"
#include "hookrpc.h"
#include "rundir.h"
#include "util.h"

enum hookrpc_answer hookrpc_parse_reply(char *reply, size_t len, char **body, size_t *bodylen)
{
	if (len >= 3 && memcmp(reply, "ok\n", 3) == 0) {
		*body = reply + 3;
		*bodylen = len - 3;
		return HOOKRPC_OK;
	}
	if (len >= 6 && memcmp(reply, "error ", 6) == 0) {
		reply[strcspn(reply, "\n")] = '\0';
		*body = reply + 6;
		*bodylen = strlen(*body);
		return HOOKRPC_ERROR;
	}
	return HOOKRPC_GARBLED;
}

char *hookrpc_output_message(const char *hook, const char *bytes, size_t n, size_t *len)
{
	size_t head = sizeof("output") + strlen(hook) + 1;
	char *msg = malloc(head + n);

	if (!msg)
		return NULL;
	memcpy(msg, "output", sizeof("output"));
	memcpy(msg + sizeof("output"), hook, strlen(hook) + 1);
	memcpy(msg + head, bytes, n);
	*len = head + n;
	return msg;
}

/* Send msg on a new connection to sock and read the answer: the malloc'ed reply, or
 * NULL with *err (an errno value or boundedread's READ_*) and *step "ocihooks" (the
 * request) or "read" (the answer). */
static char *exchange(const char *sock, const char *msg, size_t len, size_t *replylen, int *err,
		      const char **step)
{
	int fd = unix_connect(sock);
	char *reply;

	*step = "ocihooks";
	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	if (write_all(fd, msg, len) < 0 || shutdown(fd, SHUT_WR) < 0) {
		*err = errno;
		close(fd);
		return NULL;
	}
	*step = "read";
	reply = read_bounded_fd(fd, HOOKRPC_REPLY_MAX, replylen, err);
	close(fd);
	return reply;
}

char *hookrpc_runtime_hooks(const char *rundir, const char **state, size_t *statelen)
{
	char sock[PATH_MAX], self[32], line[48], *reply, *body;
	const char *step;
	ssize_t n;
	size_t len;
	int err;

	if ((size_t)snprintf(sock, sizeof(sock), "%s/" RUNDIR_HOOK_SOCKET, rundir) >= sizeof(sock))
		hook_fail("ocihooks", rundir, ENAMETOOLONG);
	/* /proc is still the host's before pivot_root. */
	n = readlink("/proc/self", self, sizeof(self) - 1);
	if (n < 0)
		hook_fail("ocihooks", "/proc/self", errno);
	self[n] = '\0';
	snprintf(line, sizeof(line), "%s\n", self);
	reply = exchange(sock, line, strlen(line), &len, &err, &step);
	if (!reply)
		hook_fail_msg(step, sock, read_error(err, HOOKRPC_REPLY_MAX));
	switch (hookrpc_parse_reply(reply, len, &body, statelen)) {
	case HOOKRPC_OK:
		*state = body;
		return reply;
	case HOOKRPC_ERROR:
		hook_fail_text(body);
	case HOOKRPC_GARBLED:
		break;
	}
	hook_fail_msg("ocihooks", sock, "no answer from lxcri create");
}

void hookrpc_send_output(const char *rundir, const char *hook, int out)
{
	char sock[PATH_MAX], *bytes, *msg, *reply;
	const char *step;
	off_t size = lseek(out, 0, SEEK_END);
	size_t len, replylen;
	ssize_t n;
	int err;

	if (size <= 0)
		return;
	if (size > HOOKRPC_OUTPUT_MAX)
		size = HOOKRPC_OUTPUT_MAX;
	bytes = malloc((size_t)size);
	if (!bytes)
		return;
	do
		n = pread(out, bytes, (size_t)size, 0);
	while (n < 0 && errno == EINTR);
	msg = n < 0 ? NULL : hookrpc_output_message(hook, bytes, (size_t)n, &len);
	free(bytes);
	if (!msg)
		return;
	snprintf(sock, sizeof(sock), "%s/" RUNDIR_HOOK_SOCKET, rundir);
	/* The answer ("ok") tells us create has logged it. */
	reply = exchange(sock, msg, len, &replylen, &err, &step);
	free(reply);
	free(msg);
}
