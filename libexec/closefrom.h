/* closefrom.h: a child about to exec keeps only the fds it is given. */
#ifndef LXCRI_CLOSEFROM_H
#define LXCRI_CLOSEFROM_H

/* Close every fd in [first, last] (last -1: to the end); errors are ignored (EBADF for the
 * fds that are not open). */
void close_fd_range(int first, int last);

#endif
