/*
 * notify.h: lxcri-init's one report to `lxcri create` over the init dir's notify socket:
 * "ok\n" ("ok console <master fd> /dev/pts/N\n" with a terminal, see console.h) or
 * "error <code> <message>\n".
 */
#ifndef LXCRI_NOTIFY_H
#define LXCRI_NOTIFY_H

#include "initfail.h"

/* Connect now, while the init dir is still mounted (detach_init_dir): without a listener
 * nobody will start us; notify then fails with this errno. */
void notify_open(void);

/* The line for f (src/runtime/notify.ts parses it): one line whatever f->msg holds, cut
 * to fit cap. */
void format_notify(const struct failure *f, char *line, size_t cap);

/* Tell `lxcri create` the outcome (f->code 0: ok); 0 on success, -1 with errno. */
int notify(const struct failure *f);

#endif
