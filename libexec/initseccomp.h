/*
 * initseccomp.h: the container's seccomp filter in lxcri-init (the record's seccomp=...),
 * compiled before the report and loaded as runc and crun do (see initseccomp.c), with the
 * seccomp agent's hand-over.
 */
#ifndef LXCRI_INITSECCOMP_H
#define LXCRI_INITSECCOMP_H

#include "initfail.h"
#include "procspec.h"

void seccomp_prepare(const struct procspec *ps, struct failure *f);
/* The last step before execve; dies on an error. */
void seccomp_late(void);

#endif
