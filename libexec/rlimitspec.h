/*
 * rlimitspec.h: a process.rlimits entry as the process record carries it (src/lxc/rlimits.ts
 * rlimitSpecs): "R:SOFT:HARD", R the RLIMIT_* number, SOFT and HARD decimal or "inf".
 */
#ifndef LXCRI_RLIMITSPEC_H
#define LXCRI_RLIMITSPEC_H

#include <sys/resource.h>

struct rlimit_spec {
	int resource;
	struct rlimit limit;
};

/* -1 if malformed (also a resource Linux does not have, or SOFT above HARD). */
int rlimit_parse(const char *text, struct rlimit_spec *r);

#endif
