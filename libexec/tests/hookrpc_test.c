/* hookrpc.c: the hooks.sock messages, and both exchanges against a stand-in server. */
#include <sys/stat.h>
#include <sys/syscall.h>

#include "check.h"
#include "hookrpc.h"
#include "hooksock.h"

static char dir[64];

static void replies(void)
{
	char buf[128], *body;
	size_t len;

#define REPLY(text) (memcpy(buf, text, sizeof(text)), sizeof(text) - 1)
	len = REPLY("ok\n{\"ociVersion\":\"1.2.1\"}");
	CHECK(hookrpc_parse_reply(buf, len, &body, &len) == HOOKRPC_OK);
	CHECK_STR(body, "{\"ociVersion\":\"1.2.1\"}");
	CHECK(len == strlen(body));
	len = REPLY("ok\n");
	CHECK(hookrpc_parse_reply(buf, len, &body, &len) == HOOKRPC_OK && len == 0);
	len = REPLY("error prestart hook /bin/x: exited with status 1\nmore");
	CHECK(hookrpc_parse_reply(buf, len, &body, &len) == HOOKRPC_ERROR);
	CHECK_STR(body, "prestart hook /bin/x: exited with status 1");
	len = REPLY("error ");
	CHECK(hookrpc_parse_reply(buf, len, &body, &len) == HOOKRPC_ERROR);
	CHECK_STR(body, "");
	static const char *const garbled[] = { "", "ok", "OK\n{}", "error", "errors x\n", "\nok\n" };
	for (size_t i = 0; i < sizeof(garbled) / sizeof(garbled[0]); i++) {
		len = strlen(garbled[i]);
		memcpy(buf, garbled[i], len + 1);
		CHECK(hookrpc_parse_reply(buf, len, &body, &len) == HOOKRPC_GARBLED);
	}
	/* The length is the reply's, not up to a NUL: "ok" then a NUL is not "ok\n". */
	memcpy(buf, "ok\0\n", 4);
	CHECK(hookrpc_parse_reply(buf, 2, &body, &len) == HOOKRPC_GARBLED);
#undef REPLY
}

static void output_message(void)
{
	size_t len;
	char *msg = hookrpc_output_message("/bin/hook", "a\0b\n", 4, &len);

	CHECK(msg && len == sizeof("output") + sizeof("/bin/hook") + 4);
	CHECK(msg && memcmp(msg, "output\0/bin/hook\0a\0b\n", len) == 0);
	free(msg);
	msg = hookrpc_output_message("/h", "", 0, &len);
	CHECK(msg && len == sizeof("output\0/h"));
	free(msg);
}

static void ask(void *arg)
{
	const char *state;
	size_t statelen;
	char *reply = hookrpc_runtime_hooks(arg, &state, &statelen);

	/* What the parent checks: the state, on stderr. */
	fprintf(stderr, "state %zu %s", statelen, state);
	free(reply);
}

/* runtime_hooks against a server answering reply: the client's stderr and exit status
 * as "<status> <stderr>", and the request in req. */
static char got[8192];
static const char *exchange(const char *reply, char *req, size_t cap)
{
	struct hooksock s;
	char out[4096];
	size_t len = 0;
	int status;

	hooksock_serve(&s, dir, reply, strlen(reply));
	status = check_child(ask, dir, out, sizeof(out));
	if (hooksock_request(&s, req, cap - 1, &len) < 0)
		len = 0;
	req[len] = '\0';
	snprintf(got, sizeof(got), "%d %s", status, out);
	return got;
}

static void runtime_hooks(void)
{
	char req[256], want[128], sock[256];

	CHECK_STR(exchange("ok\n{\"id\":\"c\"}", req, sizeof(req)), "0 state 10 {\"id\":\"c\"}");
	/* The request is the client's PID as the host sees it, one line. The client was a
	 * child of this process: its PID is not ours, but a number. */
	CHECK(strlen(req) > 1 && req[strlen(req) - 1] == '\n' && strspn(req, "0123456789") == strlen(req) - 1);
	snprintf(want, sizeof(want), "%d\n", (int)getpid());
	CHECK(strcmp(req, want) != 0);

	CHECK_STR(exchange("error prestart hook /bin/x: exited with status 1\n", req, sizeof(req)),
		  "1 lxcri-hook: prestart hook /bin/x: exited with status 1");
	snprintf(sock, sizeof(sock), "1 lxcri-hook: ocihooks %s/hooks.sock: no answer from lxcri create", dir);
	CHECK_STR(exchange("", req, sizeof(req)), sock);
	CHECK_STR(exchange("garbage", req, sizeof(req)), sock);

	/* Nobody listening: the connect's error. */
	char out[512];
	snprintf(want, sizeof(want), "%s/none", dir);
	CHECK(mkdir(want, 0700) == 0);
	snprintf(sock, sizeof(sock), "lxcri-hook: ocihooks %s/none/hooks.sock: No such file or directory", dir);
	CHECK(check_child(ask, want, out, sizeof(out)) == 1);
	CHECK_STR(out, sock);
}

static void send_output(void)
{
	struct hooksock s;
	static char req[1 << 17], big[HOOKRPC_OUTPUT_MAX + 100];
	size_t len = 0;
	int fd = (int)syscall(SYS_memfd_create, "out", 0);

	CHECK(write(fd, "line 1\nline 2\n", 14) == 14);
	hooksock_serve(&s, dir, "ok", 2);
	hookrpc_send_output(dir, "/bin/hook", fd);
	CHECK(hooksock_request(&s, req, sizeof(req), &len) == 0);
	CHECK(len == sizeof("output\0/bin/hook") + 14 && memcmp(req, "output\0/bin/hook\0line 1\nline 2\n", len) == 0);

	/* At most HOOKRPC_OUTPUT_MAX bytes of it. */
	memset(big, 'x', sizeof(big));
	CHECK(pwrite(fd, big, sizeof(big), 0) == (ssize_t)sizeof(big));
	hooksock_serve(&s, dir, "ok", 2);
	hookrpc_send_output(dir, "/h", fd);
	CHECK(hooksock_request(&s, req, sizeof(req), &len) == 0);
	CHECK(len == sizeof("output\0/h") + HOOKRPC_OUTPUT_MAX);
	close(fd);

	/* Nothing to send: no connection (a server would wait; none is there). Best
	 * effort: no server is no error. */
	fd = (int)syscall(SYS_memfd_create, "empty", 0);
	hookrpc_send_output(dir, "/h", fd);
	CHECK(write(fd, "x", 1) == 1);
	hookrpc_send_output("/nonexistent", "/h", fd);
	close(fd);
}

int main(void)
{
	check_tmpdir(dir, sizeof(dir));
	replies();
	output_message();
	runtime_hooks();
	send_output();
	return check_done("hookrpc");
}
