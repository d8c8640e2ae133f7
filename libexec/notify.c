/* notify.c: the report to `lxcri create` (see notify.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "console.h"
#include "initfiles.h"
#include "notify.h"
#include "util.h"

/* The notify line: "ok\n" ("ok console <master fd> /dev/pts/N\n" with a terminal) or
 * "error <code> <message>\n". */
void format_notify(const struct failure *f, char *line, size_t cap)
{
	char code[12];
	char *p = code + sizeof(code) - 1;
	unsigned v = (unsigned)f->code;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);

	line[0] = '\0';
	if (f->code == 0 && console_master >= 0) {
		str_append(line, cap, (const char *[]){ "ok console ", console_fd, " ", console_name, "\n", NULL });
		return;
	}
	if (f->code == 0) {
		str_append(line, cap, (const char *[]){ "ok\n", NULL });
		return;
	}
	/* Leave room for the newline; the protocol is line based. */
	str_append(line, cap - 1, (const char *[]){ "error ", p, " ", f->msg, NULL });
	for (char *c = line; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	strcat(line, "\n");
}

/* The connection to `lxcri create`'s notify socket, made while the init dir is
 * still mounted (detach_init_dir, or notify when we failed before); -1 before. */
static int notify_sock = -1, notify_err;

/* Connect to `lxcri create`'s notify socket; -1 with errno. */
static int notify_connect(void)
{
	return unix_connect(INIT_FILE(INITDIR_NOTIFY));
}

/* Tell `lxcri create` the outcome; 0 on success. */
int notify(const struct failure *f)
{
	char line[sizeof(f->msg) + 16];
	int ret, err;

	/* Once the init dir is unmounted, the connection made before is all there is. */
	if (notify_sock < 0 && init_fd >= 0) {
		errno = notify_err;
		return -1;
	}
	if (notify_sock < 0 && (notify_sock = notify_connect()) < 0)
		return -1;
	format_notify(f, line, sizeof(line));
	ret = send_all(notify_sock, line, strlen(line));
	err = errno;
	close(notify_sock);
	notify_sock = -1;
	errno = err;
	return ret;
}


void notify_open(void)
{
	notify_sock = notify_connect();
	if (notify_sock < 0)
		notify_err = errno;
}
