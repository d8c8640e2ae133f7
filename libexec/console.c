/* console.c: the process's terminal and session (see console.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "console.h"

/* The pty open_console made in the container's devpts: the master (kept, close-on-exec,
 * for `lxcri create` to take with pidfd_getfd) and the slave's name there; -1 before. */
int console_master = -1;
char console_fd[12], console_name[32];

/* process.terminal, as runc: a new pty in the container's own devpts (after liblxc's
 * mounts), so that `tty` prints /dev/pts/N; its slave becomes our stdio and is bound on
 * /dev/console; `lxcri create` takes the master (see format_notify). */
void open_console(struct failure *f)
{
	int unlock = 0, slave;
	unsigned number;
	struct stat st;

	console_master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (console_master < 0) {
		FAIL_SYS(f, "open", "/dev/pts/ptmx (process.terminal needs a devpts mount at /dev/pts)", errno);
		return;
	}
	if (ioctl(console_master, TIOCSPTLCK, &unlock) < 0 || ioctl(console_master, TIOCGPTN, &number) < 0) {
		FAIL_SYS(f, "set up", "the pty", errno);
		return;
	}
	decimal((unsigned)console_master, console_fd, sizeof(console_fd));
	decimal(number, console_name, sizeof(console_name));
	memmove(console_name + 9, console_name, strlen(console_name) + 1);
	memcpy(console_name, "/dev/pts/", 9);
	slave = ioctl(console_master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (slave < 0) {
		FAIL_SYS(f, "open", console_name, errno);
		return;
	}
	/* An empty file to bind on when the image has no /dev/console (never opened: a
	 * device node there would be the host's console). */
	if (lstat("/dev/console", &st) < 0 && (errno != ENOENT || mknod("/dev/console", S_IFREG | 0600, 0) < 0))
		FAIL_SYS(f, "make", "/dev/console", errno);
	else if (mount(console_name, "/dev/console", NULL, MS_BIND, NULL) < 0)
		FAIL_SYS(f, "bind the terminal on", "/dev/console", errno);
	for (int fd = STDIN_FILENO; !f->code && fd <= STDERR_FILENO; fd++)
		if (dup2(slave, fd) < 0)
			FAIL_SYS(f, "make the terminal", "our stdio", errno);
	if (slave > STDERR_FILENO)
		close(slave);
}

/* With a terminal (process.terminal), our stdin is the slave of a pty (open_console's,
 * or the caller's with terminal=stdin): make it our controlling terminal, in a session of
 * our own. */
void take_terminal(struct failure *f)
{
	/* EPERM: we lead a process group already; TIOCSCTTY then says what is wrong. */
	if (getsid(0) != getpid() && setsid() < 0 && errno != EPERM) {
		FAIL_SYS(f, "setsid", "for the terminal", errno);
		return;
	}
	if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0)
		FAIL_SYS(f, "make stdin", "the controlling terminal", errno);
}

/* An exec'd process gets a session and process group of its own, as with runc: in its
 * caller's group, a manager that kills the exec's process group on a timeout (conmon -T,
 * CRI-O's exec probes) killed itself. EPERM: we lead a process group already. */
void new_session(struct failure *f)
{
	if (getsid(0) != getpid() && setsid() < 0 && errno != EPERM)
		FAIL_SYS(f, "setsid", "for the exec'd process", errno);
}

