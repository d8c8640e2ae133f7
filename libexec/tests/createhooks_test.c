/* createhooks.c: a failing hook's last line of output, and the ocihooks instruction end
 * to end against a stand-in for create's hooks.sock. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "check.h"
#include "createhooks.h"
#include "hooksock.h"

static char dir[64];

static const char *last_line(const char *output, size_t len)
{
	static char line[256];
	int fd = (int)syscall(SYS_memfd_create, "out", 0);

	if (write(fd, output, len) != (ssize_t)len)
		return "(write failed)";
	createhooks_last_line(fd, line, sizeof(line));
	close(fd);
	return line;
}
#define LAST(s) last_line(s, sizeof(s) - 1)

static void last_lines(void)
{
	static char big[8192];

	CHECK_STR(LAST(""), "");
	CHECK_STR(LAST("\n\n  \n"), "");
	CHECK_STR(LAST("one"), "one");
	CHECK_STR(LAST("first\nsecond\n"), "second");
	CHECK_STR(LAST("first\n  reason  \n\n\t\n"), "reason");
	CHECK_STR(LAST("a\tb\x01" "c\x7f" "d\n"), "a b c d");
	CHECK_STR(LAST("first\r\nsecond\r\n"), "second");
	/* Cut after 200 bytes, with its length. */
	memset(big, 'x', 300);
	char want[256];
	snprintf(want, sizeof(want), "%.200s... (300 bytes)", big);
	CHECK_STR(last_line(big, 300), want);
	/* Never inside a UTF-8 character: "é" across byte 200 goes whole. */
	memset(big, 'x', 199);
	memcpy(big + 199, "\xc3\xa9yyy", 5);
	CHECK(strncmp(last_line(big, 204), big, 199) == 0 && strcmp(last_line(big, 204) + 199, "... (204 bytes)") == 0);
	/* Only the last 4 KiB are read: a longer line says "over". */
	memset(big, 'x', sizeof(big));
	CHECK(strstr(last_line(big, sizeof(big)), "... (over 4096 bytes)") != NULL);
}

static void run(void *arg)
{
	createhooks_run(arg);
}

/* A hooks file holding one record for /bin/sh -c script. */
static void hooks_file(const char *script)
{
	char path[128], rec[512];
	int n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/hooks", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/hooks/createContainer", dir);
	n = snprintf(rec, sizeof(rec), "/bin/sh%c0%c3%csh%c-c%c%s%c0%c", 0, 0, 0, 0, 0, script, 0, 0);
	fp = fopen(path, "w");
	if (!fp || fwrite(rec, 1, (size_t)n, fp) != (size_t)n || fclose(fp) != 0)
		exit(2);
}

static void end_to_end(void)
{
	struct hooksock s;
	static char req[4096], out[4096];
	size_t len = 0;
	const char *state = "ok\n{\"id\":\"c\",\"status\":\"creating\"}";

	/* A hook that passes: it gets the state on stdin; its output goes to create. */
	hooks_file("read s; echo \"got $s\"");
	hooksock_serve_n(&s, dir, state, strlen(state), 2);
	CHECK(check_child(run, dir, out, sizeof(out)) == 0);
	CHECK_STR(out, "");
	CHECK(hooksock_wait(&s) == 0);
	CHECK(hooksock_nth(&s, 1, req, sizeof(req), &len) == 0);
	CHECK(len == sizeof("output\0/bin/sh") + strlen("got {\"id\":\"c\",\"status\":\"creating\"}\n"));
	CHECK(memcmp(req, "output\0/bin/sh\0got {\"id\"", 24) == 0);

	/* A hook that fails: the reason ends with its last line. */
	hooks_file("echo first; echo 'the reason'; exit 4");
	hooksock_serve_n(&s, dir, state, strlen(state), 2);
	CHECK(check_child(run, dir, out, sizeof(out)) == 1);
	CHECK_STR(out, "lxcri-hook: createContainer hook /bin/sh: exited with status 4: the reason");
	CHECK(hooksock_wait(&s) == 0);

	/* A garbled hooks file. */
	hooks_file("x");
	char path[128];
	snprintf(path, sizeof(path), "%s/hooks/createContainer", dir);
	CHECK(truncate(path, 10) == 0);
	hooksock_serve_n(&s, dir, state, strlen(state), 1);
	CHECK(check_child(run, dir, out, sizeof(out)) == 1);
	char want[256];
	snprintf(want, sizeof(want), "lxcri-hook: read %s: Invalid argument", path);
	CHECK_STR(out, want);
	CHECK(hooksock_wait(&s) == 0);

	/* No hooks file: only create's hooks. */
	CHECK(unlink(path) == 0);
	hooksock_serve_n(&s, dir, state, strlen(state), 1);
	CHECK(check_child(run, dir, out, sizeof(out)) == 0);
	CHECK(hooksock_wait(&s) == 0);
}

int main(void)
{
	check_tmpdir(dir, sizeof(dir));
	last_lines();
	end_to_end();
	return check_done("createhooks");
}
