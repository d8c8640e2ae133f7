/* rlimitspec.c: see rlimitspec.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rlimitspec.h"

/* One field ending at `stop`; "inf" (not for the resource) is RLIM_INFINITY. */
static const char *field(const char *p, char stop, int inf_ok, unsigned long long *v)
{
	char *end;

	if (inf_ok && strncmp(p, "inf", 3) == 0 && p[3] == stop) {
		*v = RLIM_INFINITY;
		return p + 3;
	}
	if (*p < '0' || *p > '9')
		return NULL;
	errno = 0;
	*v = strtoull(p, &end, 10);
	return errno || *end != stop ? NULL : end;
}

int rlimit_parse(const char *text, struct rlimit_spec *r)
{
	unsigned long long v[3];
	const char *p = text;

	for (int i = 0; i < 3; i++) {
		p = field(p, i < 2 ? ':' : '\0', i > 0, &v[i]);
		if (!p)
			return -1;
		p++;
	}
	if (v[0] >= RLIMIT_NLIMITS || v[1] > v[2])
		return -1;
	r->resource = (int)v[0];
	r->limit.rlim_cur = (rlim_t)v[1];
	r->limit.rlim_max = (rlim_t)v[2];
	return 0;
}
