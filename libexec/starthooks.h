/*
 * starthooks.h: the spec's startContainer hooks (INITDIR_HOOKS, with the state JSON in
 * INITDIR_HOOKS_STATE), read as root before the init dir is unmounted and run after the
 * start byte, right before the exec, as the process user, with their output on our
 * stderr. A failing hook is reported there and we exit 125: the process never runs.
 */
#ifndef LXCRI_STARTHOOKS_H
#define LXCRI_STARTHOOKS_H

#include "initfail.h"

void read_start_hooks(struct failure *f);
/* Dies on the first failing hook. */
void run_start_hooks(void);

#endif
