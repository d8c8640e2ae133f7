/* initseccomp.c: loading the container's seccomp filter (see initseccomp.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "initfiles.h"
#include "initseccomp.h"
#include "seccompfilter.h"

/* The container's seccomp filter (INIT_DIR/seccomp), loaded in the order runc and crun
 * use: with no_new_privs (set by liblxc, or by lxcri-attach for exec), right before execve,
 * so that it filters the process and not us; without it the kernel asks for CAP_SYS_ADMIN,
 * so before the identity change, while we still hold it (liblxc keeps it for us).
 * With a seccomp agent (listenerPath, bind-mounted at INIT_DIR/seccomp-listener) we
 * connect while still the container's root and, after the start byte, send it the state
 * `lxcri create` wrote (INIT_DIR/seccomp.state, with our host PID) and the filter's
 * notification fd. */
static struct seccomp_filter filter;
static int filter_late, agent_sock = -1, notify_fd = -1;

/* The profile of the record: the init dir's file, or the fd `lxcri exec` handed on. */
void seccomp_prepare(const struct procspec *ps, struct failure *f)
{
	char msg[sizeof(f->msg)];
	int nnp, from_fd = ps->seccomp == PROCSPEC_SECCOMP_FD;
	int ret = from_fd ? seccomp_compile_fd(ps->seccomp_fd, "the seccomp fd", &filter, msg, sizeof(msg))
			  : seccomp_compile(INIT_FILE(INITDIR_SECCOMP), &filter, msg, sizeof(msg));

	if (ret < 0) {
		FAIL(f, CODE_INTERNAL, msg);
		return;
	}
	/* The agent would need to be told the exec'd process's host PID. */
	if (filter.listener && from_fd) {
		FAIL(f, CODE_INTERNAL, "lxcri-init: seccomp: no listener for an exec'd process");
		return;
	}
	if (filter.listener) {
		agent_sock = seccomp_agent_connect(INIT_FILE(INITDIR_SECCOMP_LISTENER));
		if (agent_sock < 0) {
			FAIL_SYS(f, "connect to", "the seccomp agent (listenerPath)", errno);
			return;
		}
	}
	nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	if (nnp < 0) {
		FAIL_SYS(f, "read", "no_new_privs", errno);
		return;
	}
	filter_late = nnp == 1;
	if (!filter_late && seccomp_install(&filter, &notify_fd) < 0)
		FAIL_SYS(f, "load", "the seccomp filter", errno);
}

/* The last step before execve: nothing but the process runs under the filter (and,
 * with an agent, the one sendmsg that hands it the notification fd). */
void seccomp_late(void)
{
	struct failure f;
	char *state = NULL;
	size_t len = 0;
	int err = 0;

	if (filter.listener) {
		state = read_file_at(init_fd, INITDIR_SECCOMP_STATE, &len, &err);
		if (!state) {
			FAIL_SYS(&f, "read", INIT_FILE(INITDIR_SECCOMP_STATE), err);
			die(f.msg, f.code);
		}
	}
	if (filter_late && seccomp_install(&filter, &notify_fd) < 0) {
		FAIL_SYS(&f, "load", "the seccomp filter", errno);
		die(f.msg, f.code);
	}
	if (filter.listener && seccomp_agent_send(agent_sock, notify_fd, state, len) < 0) {
		FAIL_SYS(&f, "send the notification fd to", "the seccomp agent", errno);
		die(f.msg, f.code);
	}
}

