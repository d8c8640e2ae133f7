/*
 * lxcri-init: the container's PID 1 until the container process replaces it, and the
 * exec'd process's shim.
 *
 * Both modes get the process spec as one process record (procspec.h) and take the same
 * steps (prepare, run): rlimits, the terminal, the seccomp filter, the process's identity
 * (groups, gid, uid, capability sets, umask; liblxc can neither raise capabilities for a
 * non-root user nor set ambient ones), the working directory, HOME, the PATH lookup, and
 * the exec with every fd above stderr closed (but for the record's keep-fds). Errors exit
 * 125, 126 or 127 with the same words in both modes.
 *
 * create mode (`lxcri-init`, started by liblxc from the init dir INIT_DIR or another one,
 * /dev/.lxcri in a user namespace, see src/lxc/userns.ts): the record is the init dir's
 * INITDIR_PROCESS. Once it has read its files, and before it takes the process's
 * identity, it unmounts the init dir (keeping an fd for the sync FIFO and the seccomp
 * state, and the notify connection): nothing of the host's runtime dir stays mounted in
 * the container for it to remount rw. It tells `lxcri create` over the notify socket
 * whether the process can be started, waits for `lxcri start` to write one byte into the
 * sync FIFO, runs the spec's startContainer hooks (INITDIR_HOOKS, with the state JSON in
 * INITDIR_HOOKS_STATE) as the process user with their output on our stderr (a failing one
 * is reported there and we exit 125: the process never runs), and execs the process.
 *
 * exec mode (`lxcri-init --exec FD`, exec'd by lxcri-attach in the joined container as
 * its root): the record is the sealed memfd FD `lxcri exec` handed on. No files, no
 * notify socket, no FIFO; errors go to stderr. The process gets a session of its own.
 *
 * Statically linked and stdio-free to stay small.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "boundedread.h"
#include "console.h"
#include "execpath.h"
#include "fds.h"
#include "identity.h"
#include "initfail.h"
#include "initfiles.h"
#include "initseccomp.h"
#include "notify.h"
#include "procspec.h"
#include "starthooks.h"
#include "startsync.h"

/* The process record: the init dir's file (record_fd -1, create) or the fd `lxcri exec`
 * handed on. Its entries point into the buffer, which lives as long as we do. */
static void read_record(int record_fd, struct procspec *ps, struct failure *f)
{
	char msg[512];
	size_t len;
	int err = 0;
	char *buf;

	if (record_fd < 0) {
		buf = read_bounded_at(AT_FDCWD, INIT_FILE(INITDIR_PROCESS), O_NOFOLLOW, PROCREC_MAX_SIZE, &len, &err);
	} else {
		/* From the start, whatever offset the writer left. */
		buf = lseek(record_fd, 0, SEEK_SET) < 0 ? (err = errno, NULL)
							: read_bounded_fd(record_fd, PROCREC_MAX_SIZE, &len, &err);
		close(record_fd);
	}
	if (!buf) {
		FAIL(f, CODE_INTERNAL, "lxcri-init: read the process record: ", read_error(err, PROCREC_MAX_SIZE));
		return;
	}
	if (procspec_parse(buf, len, ps, msg, sizeof(msg)) < 0)
		FAIL(f, CODE_INTERNAL, "lxcri-init: process record: ", msg);
}

/* Still the container's root: hard limits may be raised as well as lowered. */
static void set_rlimits(const struct procspec *ps, struct failure *f)
{
	char num[24];

	for (size_t i = 0; !f->code && i < ps->nrlimits; i++) {
		if (setrlimit(ps->rlimits[i].resource, &ps->rlimits[i].limit) == 0)
			continue;
		decimal((unsigned)ps->rlimits[i].resource, num, sizeof(num));
		FAIL_SYS(f, "setrlimit", num, errno);
	}
}

/* Everything that can fail before the process may start, in both modes (create's report
 * waits for it): the record, rlimits, the terminal, the seccomp filter, create's own steps
 * (its startContainer hooks, the init dir's unmount), the identity, the working directory,
 * HOME and finding the executable. Returns the executable's path. */
static char *prepare(int record_fd, struct procspec *ps, struct failure *f)
{
	int create = record_fd < 0;

	read_record(record_fd, ps, f);
	/* create: liblxc kept what --preserve-fds keeps, and more; exec: see the end. */
	if (!f->code && create)
		close_from(STDERR_FILENO + 1 + ps->keep_fds, f);
	if (!f->code)
		set_rlimits(ps, f);
	if (!f->code && ps->terminal == PROCSPEC_TERMINAL_CONSOLE && !create)
		FAIL(f, CODE_INTERNAL, "lxcri-init: process record: terminal=console is for create");
	if (!f->code && ps->terminal == PROCSPEC_TERMINAL_CONSOLE)
		open_console(f);
	if (!f->code && ps->terminal != PROCSPEC_TERMINAL_NONE)
		take_terminal(f);
	else if (!f->code)
		new_session(f);
	if (!f->code && create)
		read_start_hooks(f);
	if (!f->code && ps->seccomp != PROCSPEC_SECCOMP_NONE)
		seccomp_prepare(ps, f);
	if (!f->code && create)
		detach_init_dir(f);
	if (!f->code)
		identity_take(&ps->identity, f);
	if (!f->code)
		change_dir(ps->cwd, f);
	if (!f->code)
		ps->env = ensure_home(ps->env, f);
	char *path = f->code ? NULL : resolve(ps->args[0], ps->env, f);
	/* exec: the record's and the seccomp profile's fds are read; the process gets only
	 * stdio and the --preserve-fds ones. */
	if (!f->code && !create)
		close_from(STDERR_FILENO + 1 + ps->keep_fds, f);
	return path;
}

/* The last steps, the same in both modes once the process may start. */
static _Noreturn void run(const char *path, const struct procspec *ps)
{
	struct failure f;
	int err;

	reset_signals();
	run_start_hooks();
	seccomp_late();
	execve(path, ps->args, ps->env);
	err = errno;
	FAIL(&f, err == ENOENT ? CODE_NOTFOUND : CODE_NOEXEC, "lxcri-init: exec ", path, ": ", strerror(err));
	die(f.msg, f.code);
}

/* `lxcri-init --exec FD`: FD holds the record. */
static int exec_mode(int argc, char **argv)
{
	struct failure f = { 0 };
	struct procspec ps;
	char *path, *end;
	long fd;

	errno = 0;
	fd = argc == 3 ? strtol(argv[2], &end, 10) : -1;
	if (argc != 3 || errno || *end || fd <= STDERR_FILENO || fd > PROCREC_MAX_FD)
		die("lxcri-init: usage: lxcri-init --exec FD (the process record's fd)", CODE_INTERNAL);
	path = prepare((int)fd, &ps, &f);
	if (f.code)
		die(f.msg, f.code);
	run(path, &ps);
}

int main(int argc, char **argv)
{
	struct failure f = { 0 };
	struct procspec ps;
	char *path;

	if (argc > 1 && strcmp(argv[1], "--exec") == 0)
		return exec_mode(argc, argv);
	/* liblxc starts us by the absolute path of our mount, in our files' dir. */
	const char *slash = strrchr(argv[0], '/');
	if (slash && slash != argv[0] && (size_t)(slash - argv[0]) < sizeof(init_dir)) {
		memcpy(init_dir, argv[0], (size_t)(slash - argv[0]));
		init_dir[slash - argv[0]] = '\0';
	}
	catch_terminating_signals();
	path = prepare(-1, &ps, &f);

	if (notify(&f) < 0) {
		/* Nobody else will show the error; and without create (killed, or the
		 * report blocked, e.g. by seccomp) nobody would ever start us. */
		if (!f.code)
			FAIL_SYS(&f, "report to", "lxcri create", errno);
		die(f.msg, f.code);
	}
	if (f.code)
		return f.code; /* `lxcri create` reports it */

	wait_for_start();
	run(path, &ps);
}
