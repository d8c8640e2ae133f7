/* ocihook.c: the hook records `lxcri create` writes (src/lxc/hookrecords.ts), truncated
 * and hostile ones, and running a hook. */
#include <fcntl.h>
#include <sys/syscall.h>

#include "check.h"
#include "ocihook.h"

/* Records are NUL-separated: written here as a string with '|' for NUL. */
static char rec[4096];
static size_t record(const char *text)
{
	size_t n = strlen(text);

	memcpy(rec, text, n);
	for (size_t i = 0; i < n; i++)
		if (rec[i] == '|')
			rec[i] = '\0';
	return n;
}

static long parse(const char *text, struct ocihook **hooks)
{
	size_t len = record(text);

	errno = 0;
	return ocihook_parse(rec, len, hooks);
}

static void good_records(void)
{
	struct ocihook *h;
	long n;

	n = parse("/bin/hook|5|2|hook|--flag|1|A=b|", &h);
	CHECK(n == 1);
	if (n == 1) {
		CHECK_STR(h[0].path, "/bin/hook");
		CHECK(h[0].timeout == 5);
		CHECK_STR(h[0].argv[0], "hook");
		CHECK_STR(h[0].argv[1], "--flag");
		CHECK(h[0].argv[2] == NULL);
		CHECK_STR(h[0].envp[0], "A=b");
		CHECK(h[0].envp[1] == NULL);
		ocihook_free(h, n);
	}
	/* Without args argv is the path alone; no env is an empty env. Two records. */
	n = parse("/a|0|0|0|/b|100|2|b| args|2|X=1|Y=|", &h);
	CHECK(n == 2);
	if (n == 2) {
		CHECK_STR(h[0].argv[0], "/a");
		CHECK(h[0].argv[1] == NULL && h[0].envp[0] == NULL && h[0].timeout == 0);
		CHECK_STR(h[1].argv[1], " args");
		CHECK_STR(h[1].envp[1], "Y=");
		CHECK(h[1].timeout == 100);
		ocihook_free(h, n);
	}
	/* Empty args and env strings are fields too. */
	n = parse("/a|0|2|||0|", &h);
	CHECK(n == 1 && h[0].argv[0][0] == '\0' && h[0].argv[1][0] == '\0' && h[0].argv[2] == NULL);
	if (n > 0)
		ocihook_free(h, n);
	CHECK(parse("", &h) == 0);
	ocihook_free(h, 0);
}

static void bad_records(void)
{
	static const char *const bad[] = {
		"bin/hook|0|0|0|",	  /* relative path */
		"|0|0|0|",		  /* empty path */
		"/a|",			  /* no timeout */
		"/a|x|0|0|",		  /* timeout not a number */
		"/a|-1|0|0|",		  /* negative timeout */
		"/a||0|0|",		  /* empty timeout */
		"/a|999999999999|0|0|",	  /* absurd timeout */
		"/a|0|",		  /* no argc */
		"/a|0|2|x|",		  /* argc beyond the record */
		"/a|0|0|",		  /* no envc */
		"/a|0|0|1|",		  /* envc beyond the record */
		"/a|0|0|1|A=b",		  /* last field without its NUL */
		"/a|0|0|0",		  /* envc without its NUL */
		"/a|0|0|0|/b|0|",	  /* a second record cut short */
		"/a|0|0|0|junk",	  /* trailing bytes */
		"/a|0|1x|a|0|",		  /* argc with garbage */
		"/a|0|100000000|0|",	  /* argc far beyond the record */
	};
	struct ocihook *h = (struct ocihook *)&h;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long n = parse(bad[i], &h);
		if (n != -1 || errno != EINVAL)
			fprintf(stderr, "record %zu: \"%s\"\n", i, bad[i]);
		CHECK(n == -1 && errno == EINVAL);
	}
	/* A record cut anywhere is refused, never read past. */
	const char *full = "/bin/hook|5|2|hook|--flag|1|A=b|";
	size_t len = record(full);
	for (size_t cut = 1; cut < len; cut++) {
		char *copy = malloc(cut);
		memcpy(copy, rec, cut);
		CHECK(ocihook_parse(copy, cut, &h) == -1);
		free(copy);
	}
}

static void text(void)
{
	char num[24], msg[16];

	CHECK_STR(ocihook_itoa(0, num), "0");
	CHECK_STR(ocihook_itoa(127, num), "127");
	CHECK_STR(ocihook_itoa(-15, num), "-15");
	CHECK(ocihook_num("0") == 0 && ocihook_num("42") == 42 && ocihook_num("") == -1 && ocihook_num("4 ") == -1);
	ocihook_msg(msg, sizeof(msg), "exited ", "with ", "status 1");
	CHECK_STR(msg, "exited with sta");
	ocihook_msg(msg, sizeof(msg), "a", "", "b");
	CHECK_STR(msg, "ab");
}

/* Run /bin/sh -c script as a hook; its output in *out. */
static int run(const char *script, long timeout, char *msg, size_t cap, char *out, size_t outcap)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL }, *envp[] = { "PATH=/bin:/usr/bin", "V=v", NULL };
	struct ocihook h = { .path = "/bin/sh", .timeout = timeout, .argv = argv, .envp = envp };
	int fd = (int)syscall(SYS_memfd_create, "out", 0);
	ssize_t n;
	int ret;

	msg[0] = '\0';
	ret = ocihook_run(&h, "{\"id\":\"x\"}", 10, fd, msg, cap);
	n = pread(fd, out, outcap - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	return ret;
}

static void running(void)
{
	char msg[256], out[256];
	struct ocihook h = { .path = "/nonexistent/hook", .timeout = 0 };
	char *argv[] = { "hook", NULL }, *envp[] = { NULL };

	CHECK(run("cat; echo \" $V $0 $#\"; echo err >&2", 0, msg, sizeof(msg), out, sizeof(out)) == 0);
	CHECK_STR(out, "{\"id\":\"x\"} v sh 0\nerr\n");
	CHECK(run("exit 3", 0, msg, sizeof(msg), out, sizeof(out)) == -1);
	CHECK_STR(msg, "exited with status 3");
	CHECK(run("kill -TERM $$", 0, msg, sizeof(msg), out, sizeof(out)) == -1);
	CHECK_STR(msg, "killed by signal 15");
	/* The timeout kills the hook's whole process group. */
	CHECK(run("sleep 30 & sleep 30", 1, msg, sizeof(msg), out, sizeof(out)) == -1);
	CHECK_STR(msg, "timed out after 1s");
	h.argv = argv;
	h.envp = envp;
	CHECK(ocihook_run(&h, "", 0, STDERR_FILENO, msg, sizeof(msg)) == -1);
	CHECK_STR(msg, "exec: No such file or directory");
}

int main(void)
{
	good_records();
	bad_records();
	text();
	running();
	return check_done("ocihook");
}
