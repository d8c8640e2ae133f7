/*
 * launch.c: see launch.h. The node binary is pinned at build time and the bundle found
 * from this binary's own location, so that an installed tree works from any prefix and
 * with an empty environment (podman runs kill and delete without PATH). A compiled
 * launcher (rather than a "#!/usr/bin/env node" script) keeps node start-up options out
 * of the caller's hands: container engines run us with their own environment.
 * LXCRI_MAIN overrides the bundle path (to run the build tree).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch.h"

#ifndef LXCRI_NODE
#define LXCRI_NODE "/usr/bin/node"
#endif
/* Node's own warnings must not add lines to lxcri's one-line errors; the Makefile picks
 * the narrowest flag the pinned node understands. */
#ifndef LXCRI_NODE_WARNING_FLAG
#define LXCRI_NODE_WARNING_FLAG "--no-warnings"
#endif

#define MAIN_FROM_BINDIR "/../lib/lxcri/lxcri.cjs"
/* Variables that make node load extra code or certificates on start-up
 * (slow: NODE_EXTRA_CA_CERTS alone costs ~60 ms, and not what was tested). */
static const char *const drop_env[] = {
	"NODE_EXTRA_CA_CERTS",
	"NODE_OPTIONS",
	"NODE_PATH",
	"NODE_REPL_EXTERNAL_MODULE",
};

/* What launch_exec failed at, for launch_inprocess's line. */
enum stage { STAGE_BUNDLE, STAGE_ENV, STAGE_EXEC };
static enum stage failed_at;
static const char *failed_env;

/* <dir of /proc/self/exe>/../lib/lxcri/lxcri.cjs into buf; 0 on success. */
static int main_from_exe(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash) {
		errno = EINVAL;
		return -1;
	}
	*slash = '\0';
	if (snprintf(buf, size, "%s%s", exe, MAIN_FROM_BINDIR) >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int launch_exec(char *const args[], int nargs, int service)
{
	static char main_buf[PATH_MAX + sizeof(MAIN_FROM_BINDIR)];
	const char *main_js = getenv("LXCRI_MAIN");
	char **nargv = calloc((size_t)nargs + 5, sizeof(*nargv));
	int n = 0;

	failed_at = STAGE_EXEC;
	if (!nargv)
		return -1;
	if (!main_js || !*main_js) {
		if (main_from_exe(main_buf, sizeof(main_buf)) < 0) {
			failed_at = STAGE_BUNDLE;
			free(nargv);
			return -1;
		}
		main_js = main_buf;
	}
	for (size_t i = 0; i < sizeof(drop_env) / sizeof(drop_env[0]); i++) {
		if (unsetenv(drop_env[i]) < 0) {
			failed_at = STAGE_ENV;
			failed_env = drop_env[i];
			free(nargv);
			return -1;
		}
	}
	nargv[n++] = LXCRI_NODE;
	nargv[n++] = LXCRI_NODE_WARNING_FLAG;
	if (service)
		nargv[n++] = LAUNCH_SERVICE_FLAG;
	nargv[n++] = (char *)main_js;
	for (int i = 0; i < nargs; i++)
		nargv[n++] = args[i];
	nargv[n] = NULL;
	failed_at = STAGE_EXEC;
	execv(LXCRI_NODE, nargv);
	free(nargv);
	return -1;
}

int launch_inprocess(int argc, char *const argv[], int service)
{
	int err;

	launch_exec(argv + 1, argc - 1, service);
	err = errno;
	switch (failed_at) {
	case STAGE_BUNDLE:
		fprintf(stderr, "lxcri: cannot find the lxcri bundle from /proc/self/exe: %s\n", strerror(err));
		break;
	case STAGE_ENV:
		fprintf(stderr, "lxcri: unsetenv %s: %s\n", failed_env, strerror(err));
		break;
	default:
		fprintf(stderr, "lxcri: cannot exec %s: %s\n", LXCRI_NODE, strerror(err));
		break;
	}
	return 127;
}
