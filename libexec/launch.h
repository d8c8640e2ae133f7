/* launch.h: exec the pinned node on the lxcri bundle ("in-process mode": today's path of
 * every call, and how the client starts the service). */
#ifndef LXCRI_LAUNCH_H
#define LXCRI_LAUNCH_H

/* Exec node on the bundle with args[0..nargs-1] after it, without drop_env's variables;
 * `service`: the node is the resident service (LAUNCH_SERVICE_FLAG). Returns only on
 * failure: -1 with errno, nothing printed (the service's starter has no stderr to print to). */
int launch_exec(char *const args[], int nargs, int service);

/* The call in-process: launch_exec(argv + 1, argc - 1, service). Returns only on failure,
 * with its one line on stderr printed and the exit code (127) to return. */
int launch_inprocess(int argc, char *const argv[], int service);

/* V8's young generation at 1 MiB instead of 16: the resident service holds ~25 MB less,
 * at no cost a call can measure (its garbage is small and short-lived). */
#define LAUNCH_SERVICE_FLAG "--max-semi-space-size=1"

#endif
