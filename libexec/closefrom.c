/* closefrom.c: see closefrom.h. */
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "closefrom.h"

void close_fd_range(int first, int last)
{
	long max;

	if (last >= 0 && last < first)
		return;
	if (syscall(SYS_close_range, (unsigned)first, last < 0 ? ~0U : (unsigned)last, 0U) == 0)
		return;
	/* Kernels before 5.9 */
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 1 << 20)
		max = 1 << 20;
	if (last >= 0 && last < max)
		max = (long)last + 1;
	for (long fd = first; fd < max; fd++)
		(void)close((int)fd);
}
