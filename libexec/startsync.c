/* startsync.c: waiting for `lxcri start`, and our signals (see startsync.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/syscall.h>

#include "initfiles.h"
#include "startsync.h"

/* Block until `lxcri start` writes a byte into the FIFO. An open without a
 * write (a liveness probe) yields EOF and is simply waited out. */
void wait_for_start(void)
{
	const char *fifo = INIT_FILE(INITDIR_SYNC_FIFO);
	struct failure f;

	for (;;) {
		char b;
		ssize_t n;
		/* In the init dir we unmounted: no path in the container leads there. */
		int err, fd = openat(init_fd, INITDIR_SYNC_FIFO, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

		if (fd < 0) {
			if (errno == EINTR)
				continue;
			FAIL_SYS(&f, "open", fifo, errno);
			die(f.msg, f.code);
		}
		do
			n = read(fd, &b, 1);
		while (n < 0 && errno == EINTR);
		err = errno;
		close(fd);
		if (n == 1)
			return;
		if (n < 0) {
			FAIL_SYS(&f, "read", fifo, err);
			die(f.msg, f.code);
		}
	}
}

/* As PID 1 of a pid namespace we would ignore every signal without a
 * handler, so `lxcri kill` could not stop a container that was never
 * started. Die of the signal where the kernel lets us (no pid namespace),
 * otherwise exit like a shell reports a death by signal. */
static void on_terminate(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	sigaction(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

void catch_terminating_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM };
	struct sigaction sa = { .sa_handler = on_terminate };
	struct failure f;

	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL) < 0) {
			FAIL_SYS(&f, "catch", "signals", errno);
			die(f.msg, f.code);
		}
	}
}

/* The kernel's struct sigaction for rt_sigaction(2). glibc's sigaction()
 * refuses the two real-time signals it reserves (32, 33), yet an ignored one
 * inherited from our parent survives exec: reset through the raw syscall. */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

#define KERNEL_NSIG 64

/* The process must start with an empty mask and default dispositions,
 * whatever liblxc or our parent left behind (ignored signals survive exec). */
void reset_signals(void)
{
	struct kernel_sigaction dfl = { .handler = SIG_DFL };
	sigset_t none;
	struct failure f;

	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) {
		FAIL_SYS(&f, "reset", "signal mask", errno);
		die(f.msg, f.code);
	}
	for (int sig = 1; sig <= KERNEL_NSIG; sig++) {
		struct kernel_sigaction old;
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof(old.mask)) < 0 || old.handler == SIG_DFL)
			continue;
		if (syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask)) < 0) {
			FAIL_SYS(&f, "reset", "signal handler", errno);
			die(f.msg, f.code);
		}
	}
}

