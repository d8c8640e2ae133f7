/* The OCI hooks of create, from the mount hook (see createhooks.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "boundedread.h"
#include "createhooks.h"
#include "hookerr.h"
#include "hookrpc.h"
#include "ocihook.h"
#include "rundir.h"
#include "util.h"

/* The hooks file `lxcri create` writes (src/lxc/hookrecords.ts) is far smaller. */
#define HOOKS_FILE_MAX (1U << 20)

void createhooks_last_line(int out, char *line, size_t cap)
{
	char buf[4096];
	off_t size = lseek(out, 0, SEEK_END);
	off_t from = size > (off_t)sizeof(buf) ? size - (off_t)sizeof(buf) : 0;
	ssize_t n = size > 0 ? pread(out, buf, (size_t)(size - from), from) : 0;
	size_t start, end = n > 0 ? (size_t)n : 0, len;

	while (end > 0 && (unsigned char)buf[end - 1] <= ' ')
		end--;
	for (start = end; start > 0 && buf[start - 1] != '\n';)
		start--;
	while (start < end && (unsigned char)buf[start] <= ' ')
		start++;
	len = utf8_prefix(buf + start, end - start, CREATEHOOKS_LAST_LINE_MAX);
	for (size_t i = start; i < start + len; i++)
		if ((unsigned char)buf[i] < ' ' || buf[i] == 0x7f)
			buf[i] = ' ';
	if (len < end - start)
		/* At most 4096 bytes were read: the line may be longer still. */
		snprintf(line, cap, "%.*s... (%s%zu bytes)", (int)len, buf + start,
			 start == 0 && from > 0 ? "over " : "", end - start);
	else
		snprintf(line, cap, "%.*s", (int)len, buf + start);
}

void createhooks_run(const char *rundir)
{
	char path[PATH_MAX], msg[1024], *reply, *buf;
	const char *state;
	struct ocihook *hooks;
	size_t statelen, len;
	long n;
	int out, ret, err;

	reply = hookrpc_runtime_hooks(rundir, &state, &statelen);
	snprintf(path, sizeof(path), "%s/" RUNDIR_HOOKS "/" RUNDIR_CREATE_CONTAINER_HOOKS, rundir);
	buf = read_bounded(path, 0, HOOKS_FILE_MAX, &len, &err);
	if (!buf) {
		if (err != ENOENT)
			hook_fail_msg("read", path, read_error(err, HOOKS_FILE_MAX));
		free(reply);
		return;
	}
	n = ocihook_parse(buf, len, &hooks);
	if (n < 0)
		hook_fail("read", path, errno);
	for (long i = 0; i < n; i++) {
		out = (int)syscall(SYS_memfd_create, "hook-output", 1U /* MFD_CLOEXEC */);
		if (out < 0)
			hook_fail("createContainer hook", hooks[i].path, errno);
		ret = ocihook_run(&hooks[i], state, statelen, out, msg, sizeof(msg));
		hookrpc_send_output(rundir, hooks[i].path, out);
		if (ret < 0) {
			char last[256], reason[sizeof(msg) + sizeof(last) + 2];

			createhooks_last_line(out, last, sizeof(last));
			snprintf(reason, sizeof(reason), "%s%s%s", msg, last[0] ? ": " : "", last);
			hook_fail_msg("createContainer hook", hooks[i].path, reason);
		}
		close(out);
	}
	ocihook_free(hooks, n);
	free(buf);
	free(reply);
}
