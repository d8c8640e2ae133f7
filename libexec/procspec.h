/*
 * procspec.h: the process record, the one way the process spec reaches lxcri-init, in both
 * of its modes: create writes it into the init dir (INITDIR_PROCESS), `lxcri exec` hands a
 * sealed memfd of it on (`lxcri-init --exec FD`, through lxcri-attach, as the seccomp fd).
 * src/lxc/processrecord.ts is its one writer, procspec.c its one reader;
 * test/unit/processrecord.test.ts holds the names below to that module, and both sides
 * decode the records of test/fixtures/process-record/.
 *
 * A record is entries "KEY=VALUE", each ending in a NUL byte (VALUE may hold anything but
 * NUL), in any order:
 *   identity=LINE    once: see identity.h
 *   cwd=PATH         once; empty is /
 *   terminal=console at most once: a new pty in the container's devpts becomes the stdio
 *                    and controlling terminal, create takes its master (create mode only)
 *   terminal=stdin   stdin is a pty slave of the caller's that becomes the controlling terminal
 *   keep-fds=N       at most once: fds 3..3+N-1 stay open, every fd above is closed
 *   seccomp=file     at most once: load the filter of the init dir's INITDIR_SECCOMP,
 *   seccomp=fd:N     or the one read from fd N
 *   rlimit=R:SOFT:HARD  any number: see rlimitspec.h
 *   env=KEY=VALUE    any number, in order
 *   arg=ARG          at least one, in order
 * An unknown key is an error: a field a newer writer adds is never silently dropped.
 */
#ifndef LXCRI_PROCSPEC_H
#define LXCRI_PROCSPEC_H

#include <stddef.h>

#include "identity.h"
#include "rlimitspec.h"

#define PROCREC_KEY_IDENTITY "identity"
#define PROCREC_KEY_CWD "cwd"
#define PROCREC_KEY_TERMINAL "terminal"
#define PROCREC_KEY_KEEP_FDS "keep-fds"
#define PROCREC_KEY_SECCOMP "seccomp"
#define PROCREC_KEY_RLIMIT "rlimit"
#define PROCREC_KEY_ENV "env"
#define PROCREC_KEY_ARG "arg"
#define PROCREC_TERMINAL_CONSOLE "console"
#define PROCREC_TERMINAL_STDIN "stdin"
#define PROCREC_SECCOMP_FILE "file"
#define PROCREC_SECCOMP_FD "fd:"

/* Bounds against a damaged or hostile record: the whole record; an arg or env entry, as
 * Linux takes one (MAX_ARG_STRLEN, with its NUL); a cwd (PATH_MAX, with its NUL);
 * keep-fds and the seccomp fd. */
#define PROCREC_MAX_SIZE (16U << 20)
#define PROCREC_MAX_STRING 131072
#define PROCREC_MAX_CWD 4096
#define PROCREC_MAX_FD 1000000

enum procspec_terminal { PROCSPEC_TERMINAL_NONE, PROCSPEC_TERMINAL_CONSOLE, PROCSPEC_TERMINAL_STDIN };
enum procspec_seccomp { PROCSPEC_SECCOMP_NONE, PROCSPEC_SECCOMP_FILE, PROCSPEC_SECCOMP_FD };

struct procspec {
	char **args, **env; /* NULL-terminated, pointing into the record */
	size_t nargs, nenv;
	const char *cwd; /* "/" for an empty one */
	struct identity identity;
	enum procspec_terminal terminal;
	int keep_fds;
	enum procspec_seccomp seccomp;
	int seccomp_fd; /* -1 unless PROCSPEC_SECCOMP_FD */
	struct rlimit_spec *rlimits;
	size_t nrlimits;
};

/* Parse the record in buf (len bytes, which must end in a NUL; the entries stay in buf).
 * 0, or -1 with what is wrong in err (one line, without "process record: "). */
int procspec_parse(char *buf, size_t len, struct procspec *ps, char *err, size_t cap);

/* Free what procspec_parse allocated (not buf). */
void procspec_free(struct procspec *ps);

#endif
