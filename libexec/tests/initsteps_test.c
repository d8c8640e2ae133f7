/* lxcri-init's steps that need no container: the report line to create (notify.c, the
 * protocol src/runtime/notify.ts parses) and the executable lookup and working directory
 * (execpath.c) with runc's 126/127 words. */
#include <sys/stat.h>

#include "check.h"
#include "console.h"
#include "execpath.h"
#include "notify.h"

static void report_lines(void)
{
	struct failure f = { 0 };
	char line[64], big[4096];

	format_notify(&f, line, sizeof(line));
	CHECK_STR(line, "ok\n");
	console_master = 7;
	snprintf(console_fd, sizeof(console_fd), "7");
	snprintf(console_name, sizeof(console_name), "/dev/pts/3");
	format_notify(&f, line, sizeof(line));
	CHECK_STR(line, "ok console 7 /dev/pts/3\n");
	console_master = -1;
	FAIL(&f, CODE_NOTFOUND, "exec: \"bad\nname\r\": x");
	format_notify(&f, line, sizeof(line));
	CHECK_STR(line, "error 127 exec: \"bad name \": x\n");
	/* A long message is cut, the line still ends in its one newline. */
	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	FAIL(&f, CODE_INTERNAL, big);
	format_notify(&f, line, sizeof(line));
	CHECK(strlen(line) == sizeof(line) - 1 && strncmp(line, "error 125 mmm", 13) == 0);
	CHECK(strchr(line, '\n') == line + sizeof(line) - 2);
}

static void touch(const char *path, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs("#!/bin/sh\n", f) < 0 || fclose(f) != 0 || chmod(path, mode) < 0) {
		perror(path);
		exit(2);
	}
}

static void lookup(void)
{
	char dir[64], path[128], want[256];
	char env0[512], *env[] = { env0, NULL };
	struct failure f = { 0 };
	char *got;

	check_tmpdir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/d1", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/d1/prog", dir); /* a directory is skipped */
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/d2", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/d2/prog", dir); /* not executable: skipped */
	touch(path, 0644);
	snprintf(path, sizeof(path), "%s/d3", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/d3/prog", dir);
	touch(path, 0755);

	snprintf(env0, sizeof(env0), "PATH=%s/d1:%s/d2:%s/d3", dir, dir, dir);
	got = resolve("prog", env, &f);
	snprintf(want, sizeof(want), "%s/d3/prog", dir);
	CHECK_STR(got, want);
	CHECK(f.code == 0);
	free(got);

	CHECK(resolve("nope", env, &f) == NULL && f.code == CODE_NOTFOUND);
	CHECK_STR(f.msg, "exec: \"nope\": executable file not found in $PATH");
	f.code = 0;
	CHECK(resolve("/no/such/file", env, &f) == NULL && f.code == CODE_NOTFOUND);
	CHECK_STR(f.msg, "exec: /no/such/file: no such file or directory");
	f.code = 0;
	snprintf(path, sizeof(path), "%s/d1", dir);
	snprintf(want, sizeof(want), "exec: %s: permission denied", path);
	CHECK(resolve(path, env, &f) == NULL && f.code == CODE_NOEXEC);
	CHECK_STR(f.msg, want);
	f.code = 0;
	snprintf(path, sizeof(path), "%s/d2/prog", dir);
	CHECK(resolve(path, env, &f) == NULL && f.code == CODE_NOEXEC);
	f.code = 0;

	/* An empty PATH element is the working directory. */
	snprintf(path, sizeof(path), "%s/d3", dir);
	change_dir(path, &f);
	CHECK(f.code == 0);
	snprintf(env0, sizeof(env0), "PATH=/nonexistent:");
	got = resolve("prog", env, &f);
	CHECK_STR(got, "./prog");
	free(got);

	change_dir("", &f);
	CHECK(f.code == 0 && getcwd(path, sizeof(path)) && strcmp(path, "/") == 0);
	change_dir("/nonexistent-dir", &f);
	CHECK(f.code == CODE_INTERNAL);
	CHECK_STR(f.msg, "lxcri-init: chdir /nonexistent-dir: No such file or directory");
}

int main(void)
{
	report_lines();
	lookup();
	return check_done("initsteps");
}
