/* lxcri-hook's error lines (see hookerr.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hookerr.h"
#include "rundir.h"
#include "util.h"

static char errfile[PATH_MAX];

void hookerr_report_to(const char *dir)
{
	if ((size_t)snprintf(errfile, sizeof(errfile), "%s/" RUNDIR_ERROR, dir) >= sizeof(errfile))
		errfile[0] = '\0';
}

/* The reason on stderr, which liblxc logs as "lxc ... produced output: ...".
 * liblxc keeps the newline it reads and adds its own, so a trailing newline
 * would put an empty line into the log: the reason goes without one, and
 * every control character becomes a space (the log is one record a line). */
static void say(const char *line)
{
	size_t n = strlen(line);
	char *out = malloc(n + 1);

	if (!out) {
		(void)write_all(STDERR_FILENO, "lxcri-hook: out of memory", 25);
		return;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = (unsigned char)line[i] < 0x20 || line[i] == 0x7f ? ' ' : line[i];
	while (n > 0 && out[n - 1] == ' ')
		n--;
	(void)write_all(STDERR_FILENO, out, n);
	free(out);
}

/* "lxcri-hook: " and the parts, a malloc'ed line of exactly their length: no fixed
 * buffer cuts a reason short (NULL without memory; the caller then says less). */
static char *join_line(const char *const parts[])
{
	size_t len = strlen("lxcri-hook: ") + 2;
	char *line;

	for (size_t i = 0; parts[i]; i++)
		len += strlen(parts[i]);
	line = malloc(len);
	if (!line)
		return NULL;
	strcpy(line, "lxcri-hook: ");
	for (size_t i = 0; parts[i]; i++)
		strcat(line, parts[i]);
	/* One line in the error file too, whatever a path or reason holds. */
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	strcat(line, "\n");
	return line;
}

static _Noreturn void fail_line(const char *const parts[])
{
	char *line = join_line(parts);

	if (!line) {
		say("lxcri-hook: out of memory");
		exit(1);
	}
	say(line);
	if (errfile[0])
		(void)append_line(errfile, line);
	exit(1);
}

void hook_fail_msg(const char *op, const char *path, const char *text)
{
	fail_line((const char *const[]){ op, " ", path, ": ", text, NULL });
}

void hook_fail_text(const char *text)
{
	fail_line((const char *const[]){ text, NULL });
}

void hook_fail(const char *op, const char *path, int err)
{
	hook_fail_msg(op, path, strerror(err));
}
