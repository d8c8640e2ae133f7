/* svcconnect.c: see svcconnect.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "closefrom.h"
#include "launch.h"
#include "svcconnect.h"
#include "svcproto.h"
#include "util.h"

/* Connect to the socket of root: the fd, or -1 with errno (ENOENT also for a missing
 * root). A path too long for sun_path goes through an O_PATH fd of the root. */
static int try_connect(const char *root)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int dirfd = -1, fd, err;

	if (snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", root, SVC_SOCKET) >= (int)sizeof(sa.sun_path)) {
		dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0)
			return -1;
		snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s", dirfd, SVC_SOCKET);
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = errno;
		close(fd);
		errno = err;
		fd = -1;
	}
	if (dirfd >= 0) {
		err = errno;
		close(dirfd);
		errno = err;
	}
	return fd;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The detached service: its fds 0-2 on /dev/null, no other fd but errfd (close-on-exec),
 * in /, then node. errfd gets the errno if it cannot be run. */
static void service_process(const struct clientconf *c, int errfd)
{
	char *args[5] = { "--root", (char *)c->root, "service", NULL, NULL };
	int nargs = 3, null, err;

	if (c->service_idle) {
		args[3] = "--service-idle";
		args[4] = (char *)c->service_idle;
		nargs = 5;
	}
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 || chdir("/") < 0)
		goto fail;
	if (errfd < 3 && (errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3)) < 0)
		goto fail;
	close_fd_range(3, errfd - 1);
	close_fd_range(errfd + 1, -1);
	launch_exec(args, nargs, 1);
fail:
	err = errno;
	(void)write_all(errfd, (const char *)&err, sizeof(err));
	_exit(127);
}

/* Start the service, detached (fork, setsid, fork): 0 with a pidfd of it and the read
 * end of its exec-error pipe, or -1 with why. */
static int start_service(const struct clientconf *c, int *pidfd, int *errfd, char *why, size_t cap)
{
	int errpipe[2], pidpipe[2] = { -1, -1 }, holdpipe[2];
	pid_t mid, svc = 0;
	ssize_t n;
	char hold;

	*pidfd = -1;
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		snprintf(why, cap, "cannot start it: pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(pidpipe, O_CLOEXEC) < 0 || pipe2(holdpipe, O_CLOEXEC) < 0) {
		snprintf(why, cap, "cannot start it: pipe: %s", strerror(errno));
		close(errpipe[0]);
		close(errpipe[1]);
		if (pidpipe[0] >= 0) {
			close(pidpipe[0]);
			close(pidpipe[1]);
		}
		return -1;
	}
	fflush(stderr);
	mid = fork();
	if (mid == 0) {
		close(errpipe[0]);
		close(pidpipe[0]);
		close(holdpipe[1]);
		if (setsid() < 0)
			_exit(1);
		svc = fork();
		if (svc == 0)
			service_process(c, errpipe[1]);
		/* The service's pid while it is still our child (alive or unreaped), so that the
		 * client's pidfd cannot name another process; then wait for the client. */
		if (svc < 0 || write_all(pidpipe[1], (const char *)&svc, sizeof(svc)) < 0)
			_exit(1);
		while (read(holdpipe[0], &hold, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(errpipe[1]);
	close(pidpipe[1]);
	close(holdpipe[0]);
	if (mid < 0) {
		snprintf(why, cap, "cannot start it: fork: %s", strerror(errno));
	} else {
		do
			n = read(pidpipe[0], &svc, sizeof(svc));
		while (n < 0 && errno == EINTR);
		if (n != (ssize_t)sizeof(svc))
			snprintf(why, cap, "cannot start it: fork failed");
		else if ((*pidfd = (int)syscall(SYS_pidfd_open, svc, 0)) < 0)
			snprintf(why, cap, "cannot start it: pidfd_open: %s", strerror(errno));
	}
	close(holdpipe[1]);
	close(pidpipe[0]);
	if (mid > 0)
		while (waitpid(mid, NULL, 0) < 0 && errno == EINTR)
			;
	if (*pidfd < 0) {
		close(errpipe[0]);
		return -1;
	}
	*errfd = errpipe[0];
	return 0;
}

/* Connect until the started service listens, it ends, or the time is up. */
static int wait_service(const char *root, int pidfd, int errfd, char *why, size_t cap)
{
	long long deadline = now_ms() + SVCCONNECT_START_WAIT_MS;
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int fd, err = 0;

	for (;;) {
		fd = try_connect(root);
		if (fd >= 0)
			return fd;
		if (errno != ENOENT && errno != ECONNREFUSED) {
			snprintf(why, cap, "%s", strerror(errno));
			return -1;
		}
		if (poll(&pfd, 1, SVCCONNECT_POLL_MS) > 0) {
			/* It ended: one last try (it may have handed over to another service). */
			fd = try_connect(root);
			if (fd >= 0)
				return fd;
			if (read(errfd, &err, sizeof(err)) == (ssize_t)sizeof(err))
				snprintf(why, cap, "cannot start it: %s", strerror(err));
			else
				snprintf(why, cap, "the service it started ended");
			return -1;
		}
		if (now_ms() >= deadline) {
			snprintf(why, cap, "the service it started did not listen within %d s", SVCCONNECT_START_WAIT_MS / 1000);
			return -1;
		}
	}
}

/* Under <root>/SVC_START_LOCK: connect, or start the service and connect. */
static int start_and_connect(const struct clientconf *c, char *why, size_t cap)
{
	long long deadline;
	int rootfd, lock, fd = -1, pidfd, errfd;

	if (mkdir(c->root, 0711) < 0 && errno != EEXIST) {
		snprintf(why, cap, "cannot start it: mkdir %s: %s", c->root, strerror(errno));
		return -1;
	}
	rootfd = open(c->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		snprintf(why, cap, "cannot start it: %s: %s", c->root, strerror(errno));
		return -1;
	}
	lock = openat(rootfd, SVC_START_LOCK, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	close(rootfd);
	if (lock < 0) {
		snprintf(why, cap, "cannot start it: %s/%s: %s", c->root, SVC_START_LOCK, strerror(errno));
		return -1;
	}
	deadline = now_ms() + SVCCONNECT_LOCK_WAIT_MS;
	while (flock(lock, LOCK_EX | LOCK_NB) < 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) || now_ms() >= deadline) {
			snprintf(why, cap, "cannot start it: lock %s/%s: %s", c->root, SVC_START_LOCK,
				 errno == EWOULDBLOCK ? "held for too long" : strerror(errno));
			close(lock);
			return -1;
		}
		sleep_ms(SVCCONNECT_POLL_MS);
	}
	/* Another client may have started it while we waited. */
	fd = try_connect(c->root);
	if (fd < 0 && (errno == ENOENT || errno == ECONNREFUSED)) {
		if (start_service(c, &pidfd, &errfd, why, cap) == 0) {
			fd = wait_service(c->root, pidfd, errfd, why, cap);
			close(pidfd);
			close(errfd);
		}
	} else if (fd < 0) {
		snprintf(why, cap, "%s", strerror(errno));
	}
	close(lock); /* unlocks */
	return fd;
}

int svcconnect(const struct clientconf *c, char *why, size_t cap)
{
	int fd = try_connect(c->root);

	if (fd >= 0)
		return fd;
	if ((errno != ENOENT && errno != ECONNREFUSED) || geteuid() != 0 || c->mode == CLIENTCONF_OFF) {
		snprintf(why, cap, "%s", strerror(errno));
		return -1;
	}
	/* No root dir, no container: in-process says so without making the root. */
	if (c->mode == CLIENTCONF_AUTO && !c->makes_root && access(c->root, F_OK) < 0) {
		snprintf(why, cap, "%s", strerror(errno));
		return -1;
	}
	return start_and_connect(c, why, cap);
}
