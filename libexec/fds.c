/* fds.c: see fds.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "fds.h"

/* Close every fd from `first` on: exec'd processes get only what they are given. */
void close_from(int first, struct failure *f)
{
	long max;

	if (syscall(SYS_close_range, (unsigned)first, ~0U, 0U) == 0)
		return;
	if (errno != ENOSYS && errno != EINVAL) {
		FAIL_SYS(f, "close", "inherited fds", errno);
		return;
	}
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0)
		max = 1024;
	for (long fd = first; fd < max; fd++)
		(void)close((int)fd); /* EBADF for the fds that are not open */
}

