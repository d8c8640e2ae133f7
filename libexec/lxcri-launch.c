/*
 * lxcri-launch: installed as <prefix>/bin/lxcri; execs node on the bundled
 * CLI. A compiled launcher (rather than a "#!/usr/bin/env node" script)
 * pins the node binary and keeps node start-up options out of the
 * caller's hands: container engines run us with their own environment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LXCRI_NODE
#define LXCRI_NODE "/usr/bin/node"
#endif
#ifndef LXCRI_MAIN
#define LXCRI_MAIN "/usr/local/lib/lxcri/lxcri.cjs"
#endif

/* Variables that make node load extra code or certificates on start-up
 * (slow, and not what the runtime was tested with). */
static const char *const drop_env[] = {
	"NODE_EXTRA_CA_CERTS",
	"NODE_OPTIONS",
	"NODE_PATH",
	"NODE_REPL_EXTERNAL_MODULE",
};

int main(int argc, char *argv[])
{
	const char *main_js = getenv("LXCRI_MAIN");
	char **nargv = calloc((size_t)argc + 3, sizeof(*nargv));
	int n = 0;

	if (!nargv) {
		fprintf(stderr, "lxcri: %s\n", strerror(ENOMEM));
		return 127;
	}
	/* An override lets the CLI run from the build tree. */
	if (!main_js || !*main_js)
		main_js = LXCRI_MAIN;
	for (size_t i = 0; i < sizeof(drop_env) / sizeof(drop_env[0]); i++) {
		if (unsetenv(drop_env[i]) < 0) {
			fprintf(stderr, "lxcri: unsetenv %s: %s\n", drop_env[i], strerror(errno));
			return 127;
		}
	}

	nargv[n++] = LXCRI_NODE;
	nargv[n++] = "--disable-warning=ExperimentalWarning";
	nargv[n++] = (char *)main_js;
	for (int i = 1; i < argc; i++)
		nargv[n++] = argv[i];
	nargv[n] = NULL;

	execv(LXCRI_NODE, nargv);
	fprintf(stderr, "lxcri: cannot exec %s: %s\n", LXCRI_NODE, strerror(errno));
	return 127;
}
