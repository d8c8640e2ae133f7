/*
 * initfail.h: how lxcri-init's steps report a failure. The first failure is kept with the
 * exit code it means (as shells and other OCI runtimes use them) and its one line, which
 * ends up in the report to `lxcri create` or on stderr. No stdio: lxcri-init is static.
 */
#ifndef LXCRI_INITFAIL_H
#define LXCRI_INITFAIL_H

#include <stddef.h>
#include <string.h>

#define CODE_INTERNAL 125
#define CODE_NOEXEC 126
#define CODE_NOTFOUND 127

struct failure {
	int code; /* 0: no error */
	char msg[2048];
};

/* Append the NULL-terminated list of strings to buf (truncating). */
void str_append(char *buf, size_t cap, const char **parts);

#define FAIL(f, c, ...)                                                                  \
	do {                                                                             \
		(f)->code = (c);                                                         \
		(f)->msg[0] = '\0';                                                      \
		str_append((f)->msg, sizeof((f)->msg), (const char *[]){ __VA_ARGS__, NULL }); \
	} while (0)

/* Internal error in the usual "lxcri-init: <what> <arg>: <strerror>" form. */
#define FAIL_SYS(f, what, arg, err) FAIL(f, CODE_INTERNAL, "lxcri-init: ", what, " ", arg, ": ", strerror(err))

/* Go-style (lower case) error text, as runc's exec errors read. */
const char *go_strerror(int err, char *buf, size_t cap);

/* The message as one line on stderr, and exit with code. */
_Noreturn void die(const char *msg, int code);

/* Decimal text of a non-negative number. */
void decimal(unsigned long long v, char *buf, size_t cap);

#endif
