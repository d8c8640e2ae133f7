/*
 * OCI hooks for the C helpers (ocihook.c; no stdio: lxcri-init is static and
 * stdio-free).
 *
 * A hooks file holds one record per hook, every field NUL-terminated:
 *   <path> <timeout seconds, 0 = none> <argc> <arg>... <envc> <env>...
 * written by `lxcri create` (src/lxc/hookrecords.ts). argv is exactly the
 * spec's args (args[0] is argv[0]); without args it is just the path.
 *
 * ocihook_run() executes one hook: the state JSON on stdin (a memfd, so a
 * hook that never reads it cannot block us), stdout and stderr to outfd,
 * the spec's env only, in a process group of its own that is killed with
 * SIGKILL at its timeout.
 */
#ifndef LXCRI_OCIHOOK_H
#define LXCRI_OCIHOOK_H

#include <stddef.h>
#include <sys/types.h>

struct ocihook {
	const char *path;
	long timeout; /* seconds; 0: none */
	char **argv;  /* NULL-terminated */
	char **envp;  /* NULL-terminated */
};

/* Parse a non-negative decimal field; -1 if malformed. */
long ocihook_num(const char *s);

/* Parse the records in buf (the fields point into buf). Returns the number
 * of hooks with *out malloc'ed, or -1 (errno EINVAL or ENOMEM). */
long ocihook_parse(char *buf, size_t len, struct ocihook **out);

void ocihook_free(struct ocihook *hooks, long n);

/* Decimal text of v into buf (at least 24 bytes). */
const char *ocihook_itoa(long v, char *buf);

/* msg = a + b + c (truncated to cap). */
void ocihook_msg(char *msg, size_t cap, const char *a, const char *b, const char *c);

/* Wait for pid for at most timeout seconds (0: forever); SIGKILL it then.
 * Returns the wait status, -2 on timeout, -1 on error. */
int ocihook_wait(pid_t pid, long timeout);

/* Run one hook. 0 on success; otherwise -1 with the reason in msg. */
int ocihook_run(const struct ocihook *h, const char *state, size_t statelen, int outfd, char *msg, size_t cap);

#endif
