/* svcconnect.h: a connection to the service of a root, started on demand. */
#ifndef LXCRI_SVCCONNECT_H
#define LXCRI_SVCCONNECT_H

#include <stddef.h>

#include "clientconf.h"

/* The start lock, beside the socket (the service's own SVC_LOCK is never touched here). */
#define SVC_START_LOCK ".lxcri.start"
#define SVCCONNECT_LOCK_WAIT_MS 10000
#define SVCCONNECT_START_WAIT_MS 5000
#define SVCCONNECT_POLL_MS 5

/* A connected SOCK_SEQPACKET socket (close-on-exec) to <root>/SVC_SOCKET; when there is
 * no service (ENOENT, ECONNREFUSED) and the caller is root, one is started first (argv
 * `--root <root> service [--service-idle V]`). -1 with why (cap bytes) saying why not. */
int svcconnect(const struct clientconf *c, char *why, size_t cap);

#endif
