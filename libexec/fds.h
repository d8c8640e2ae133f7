/* fds.h: the process gets only the fds it is given (stdio and --preserve-fds). */
#ifndef LXCRI_FDS_H
#define LXCRI_FDS_H

#include "initfail.h"

/* Close every fd from `first` on. */
void close_from(int first, struct failure *f);

#endif
