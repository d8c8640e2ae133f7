/* starthooks.c: the startContainer hooks (see starthooks.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "initfiles.h"
#include "ocihook.h"
#include "starthooks.h"

/* The startContainer hooks, read (as root) by prepare. */
static struct ocihook *start_hooks;
static long n_start_hooks;
static char *start_state;
static size_t start_state_len;

void read_start_hooks(struct failure *f)
{
	size_t len;
	int err = 0;
	char *buf = read_file(INIT_FILE(INITDIR_HOOKS), &len, &err);

	if (!buf) {
		if (err != ENOENT)
			FAIL_SYS(f, "read", INIT_FILE(INITDIR_HOOKS), err);
		return;
	}
	/* The records point into buf, which lives as long as we do. */
	n_start_hooks = ocihook_parse(buf, len, &start_hooks);
	if (n_start_hooks < 0) {
		FAIL_SYS(f, "read", INIT_FILE(INITDIR_HOOKS), errno);
		return;
	}
	start_state = read_file(INIT_FILE(INITDIR_HOOKS_STATE), &start_state_len, &err);
	if (!start_state)
		FAIL_SYS(f, "read", INIT_FILE(INITDIR_HOOKS_STATE), err);
}

void run_start_hooks(void)
{
	char msg[1024];

	for (long i = 0; i < n_start_hooks; i++) {
		struct failure f;
		if (ocihook_run(&start_hooks[i], start_state, start_state_len, STDERR_FILENO, msg,
				sizeof(msg)) == 0)
			continue;
		FAIL(&f, CODE_INTERNAL, "lxcri-init: startContainer hook ", start_hooks[i].path, ": ",
		     msg);
		die(f.msg, f.code);
	}
}

