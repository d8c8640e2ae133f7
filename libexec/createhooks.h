/*
 * The mount hook's "ocihooks" instruction (createhooks.c): the prestart and
 * createRuntime hooks, which `lxcri create` runs in the runtime's namespaces when asked
 * over hooks.sock (hookrpc.h), then the createContainer hooks here, in the container's
 * namespaces before pivot_root. Failures end lxcri-hook (hookerr.h).
 */
#ifndef LXCRI_CREATEHOOKS_H
#define LXCRI_CREATEHOOKS_H

#include <stddef.h>

/* A failing hook's reason ends with its last line of output, at most this many bytes. */
#define CREATEHOOKS_LAST_LINE_MAX 200

void createhooks_run(const char *rundir);

/* The last non-empty line of the output in the file out, control characters as spaces,
 * cut at a character boundary after CREATEHOOKS_LAST_LINE_MAX bytes with a marker that
 * gives its length; "" if there is none. cap must hold the cut line and the marker. */
void createhooks_last_line(int out, char *line, size_t cap);

#endif
