/* identity.c: the identity line and taking it (see identity.h). */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "identity.h"

#define IDENTITY_FIELDS 8

/* A number of the line in base (no sign, no empty field) up to max; -1 if malformed. */
static int number(const char *tok, int base, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (*tok < '0' || *tok > 'f' || (base == 10 && *tok > '9'))
		return -1;
	errno = 0;
	*v = strtoull(tok, &end, base);
	return errno || *end || *v > max ? -1 : 0;
}

int identity_parse(const char *line, struct identity *id)
{
	char text[IDENTITY_MAX_LINE + 1], *save = NULL, *tok;
	unsigned long long v[IDENTITY_FIELDS];
	size_t len = strlen(line);

	if (len > IDENTITY_MAX_LINE)
		return -1;
	memcpy(text, line, len + 1);
	for (int i = 0; i < IDENTITY_FIELDS; i++) {
		tok = strtok_r(i ? NULL : text, " \n", &save);
		if (!tok)
			return -1;
		if (i == 2 && strcmp(tok, "-") == 0) {
			v[i] = (unsigned long long)-1;
			continue;
		}
		/* uid and gid up to 2^32-2 ((uid_t)-1 means "unchanged"), the umask 07777. */
		if (number(tok, i == 2 ? 8 : i > 2 ? 16 : 10, i < 2 ? UINT32_MAX - 1 : i == 2 ? 07777 : ~0ULL, &v[i]) < 0)
			return -1;
	}
	id->uid = (uid_t)v[0];
	id->gid = (gid_t)v[1];
	id->umask = v[2] == (unsigned long long)-1 ? -1 : (long)v[2];
	id->bounding = v[3];
	id->effective = v[4];
	id->permitted = v[5];
	id->inheritable = v[6];
	id->ambient = v[7];
	id->ngroups = 0;
	while ((tok = strtok_r(NULL, " \n", &save))) {
		unsigned long long g;
		if (id->ngroups == IDENTITY_MAX_GROUPS || number(tok, 10, UINT32_MAX - 1, &g) < 0)
			return -1;
		id->groups[id->ngroups++] = (gid_t)g;
	}
	return 0;
}

static int set_caps(unsigned long long eff, unsigned long long perm, unsigned long long inh)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(eff >> (32 * i));
		data[i].permitted = (uint32_t)(perm >> (32 * i));
		data[i].inheritable = (uint32_t)(inh >> (32 * i));
	}
	return (int)syscall(SYS_capset, &hdr, data);
}

static int get_permitted(unsigned long long *perm)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	*perm = (unsigned long long)data[0].permitted | (unsigned long long)data[1].permitted << 32;
	return 0;
}

/* liblxc (or lxcri-attach) leaves us root with the spec's bounding set plus SETUID, SETGID
 * and SETPCAP, which this needs: groups and gid first, then setuid with KEEPCAPS
 * (permitted survives, effective is cleared), effective raised again to drop the rest of
 * the bounding set (needs SETPCAP), then the final sets and ambient capabilities, which
 * survive exec for a non-root user. */
void identity_take(const struct identity *id, struct failure *f)
{
	unsigned long long perm;

	if (setgroups(id->ngroups, id->groups) < 0) {
		FAIL_SYS(f, "setgroups", "", errno);
		return;
	}
	if (setresgid(id->gid, id->gid, id->gid) < 0) {
		FAIL_SYS(f, "setgid", "", errno);
		return;
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setresuid(id->uid, id->uid, id->uid) < 0 ||
	    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) {
		FAIL_SYS(f, "setuid", "", errno);
		return;
	}
	if (get_permitted(&perm) < 0 || set_caps(perm, perm, 0) < 0) {
		FAIL_SYS(f, "capset", "", errno);
		return;
	}
	for (int cap = 0; cap < 64; cap++) {
		if (id->bounding & (1ULL << cap) || prctl(PR_CAPBSET_READ, cap, 0, 0, 0) <= 0)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			FAIL_SYS(f, "drop from the bounding set", "", errno);
			return;
		}
	}
	if (set_caps(id->effective, id->permitted, id->inheritable) < 0) {
		FAIL_SYS(f, "capset", "", errno);
		return;
	}
	for (int cap = 0; cap < 64; cap++) {
		if (!(id->ambient & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
			FAIL_SYS(f, "raise ambient capability", "", errno);
			return;
		}
	}
	if (id->umask >= 0)
		umask((mode_t)id->umask);
}
