/* procspec.c: the process record's reader (see procspec.h). No stdio: lxcri-init is static. */
#include <errno.h>
#include <stdlib.h>

#include "initfail.h"
#include "procspec.h"

/* Singular keys, as bits of what was seen. */
enum { SEEN_IDENTITY = 1, SEEN_CWD = 2, SEEN_TERMINAL = 4, SEEN_KEEP_FDS = 8, SEEN_SECCOMP = 16 };

static int refuse(char *err, size_t cap, const char **parts)
{
	err[0] = '\0';
	str_append(err, cap, parts);
	return -1;
}
#define REFUSE(...) refuse(err, cap, (const char *[]){ __VA_ARGS__, NULL })

/* A decimal number from min to max, no sign, nothing after it; -1 if not. */
static long bounded(const char *s, long min, long max)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v < min || v > max ? -1 : v;
}

/* The entry's key, shown at most 32 bytes long (a hostile one may be anything). */
static const char *shown(const char *key, size_t klen, char *buf, size_t cap)
{
	size_t n = klen < 32 ? klen : 32;

	if (n > cap - 4)
		n = cap - 4;
	memcpy(buf, key, n);
	strcpy(buf + n, klen > n ? "..." : "");
	return buf;
}

/* One entry of a singular key into ps; what == entry's value. */
static int singular(struct procspec *ps, const char *key, const char *val, size_t vlen, char *err, size_t cap)
{
	long n;

	if (strcmp(key, PROCREC_KEY_IDENTITY) == 0) {
		if (identity_parse(val, &ps->identity) < 0)
			return REFUSE("malformed identity");
	} else if (strcmp(key, PROCREC_KEY_CWD) == 0) {
		if (vlen >= PROCREC_MAX_CWD)
			return REFUSE("cwd is longer than PATH_MAX");
		ps->cwd = *val ? val : "/";
	} else if (strcmp(key, PROCREC_KEY_TERMINAL) == 0) {
		if (strcmp(val, PROCREC_TERMINAL_CONSOLE) == 0)
			ps->terminal = PROCSPEC_TERMINAL_CONSOLE;
		else if (strcmp(val, PROCREC_TERMINAL_STDIN) == 0)
			ps->terminal = PROCSPEC_TERMINAL_STDIN;
		else
			return REFUSE("malformed terminal (console or stdin)");
	} else if (strcmp(key, PROCREC_KEY_KEEP_FDS) == 0) {
		if ((n = bounded(val, 0, PROCREC_MAX_FD)) < 0)
			return REFUSE("malformed keep-fds");
		ps->keep_fds = (int)n;
	} else if (strcmp(val, PROCREC_SECCOMP_FILE) == 0) {
		ps->seccomp = PROCSPEC_SECCOMP_FILE;
	} else {
		/* An fd above stderr. */
		size_t plen = strlen(PROCREC_SECCOMP_FD);
		if (strncmp(val, PROCREC_SECCOMP_FD, plen) != 0 || (n = bounded(val + plen, 3, PROCREC_MAX_FD)) < 0)
			return REFUSE("malformed seccomp (file or fd:N)");
		ps->seccomp = PROCSPEC_SECCOMP_FD;
		ps->seccomp_fd = (int)n;
	}
	return 0;
}

static const struct {
	const char *key;
	int bit;
} singulars[] = {
	{ PROCREC_KEY_IDENTITY, SEEN_IDENTITY }, { PROCREC_KEY_CWD, SEEN_CWD },
	{ PROCREC_KEY_TERMINAL, SEEN_TERMINAL }, { PROCREC_KEY_KEEP_FDS, SEEN_KEEP_FDS },
	{ PROCREC_KEY_SECCOMP, SEEN_SECCOMP },
};

/* Check every entry and take the singular ones; count the lists. */
static int first_pass(char *buf, size_t len, struct procspec *ps, char *err, size_t cap)
{
	char num[24], key[40];
	int seen = 0;

	for (size_t p = 0, i = 1; p < len; i++) {
		char *entry = buf + p, *eq = strchr(entry, '=');
		size_t elen = strlen(entry), klen;
		int bit = 0;

		p += elen + 1;
		decimal(i, num, sizeof(num));
		if (!eq)
			return REFUSE("entry ", num, " is not KEY=VALUE");
		klen = (size_t)(eq - entry);
		*eq = '\0'; /* the key, for a moment */
		for (size_t s = 0; s < sizeof(singulars) / sizeof(singulars[0]); s++)
			if (strcmp(entry, singulars[s].key) == 0)
				bit = singulars[s].bit;
		if (bit && (seen & bit)) {
			REFUSE("\"", shown(entry, klen, key, sizeof(key)), "\" twice");
		} else if (bit) {
			seen |= bit;
			if (singular(ps, entry, eq + 1, elen - klen - 1, err, cap) < 0) {
				*eq = '=';
				return -1;
			}
		} else if (strcmp(entry, PROCREC_KEY_ARG) == 0 || strcmp(entry, PROCREC_KEY_ENV) == 0) {
			if (elen - klen - 1 >= PROCREC_MAX_STRING)
				REFUSE("entry ", num, " (", entry, ") is longer than Linux takes (131071 bytes)");
			else if (entry[0] == 'a')
				ps->nargs++;
			else
				ps->nenv++;
		} else if (strcmp(entry, PROCREC_KEY_RLIMIT) == 0) {
			ps->nrlimits++;
		} else {
			REFUSE("unknown key \"", shown(entry, klen, key, sizeof(key)), "\"");
		}
		*eq = '=';
		if (err[0])
			return -1;
	}
	if (!(seen & SEEN_IDENTITY))
		return REFUSE("no identity");
	if (!(seen & SEEN_CWD))
		return REFUSE("no cwd");
	if (ps->nargs == 0)
		return REFUSE("no arguments");
	return 0;
}

int procspec_parse(char *buf, size_t len, struct procspec *ps, char *err, size_t cap)
{
	size_t a = 0, e = 0, r = 0;

	memset(ps, 0, sizeof(*ps));
	ps->seccomp_fd = -1;
	err[0] = '\0';
	if (len == 0)
		return REFUSE("empty");
	if (len > PROCREC_MAX_SIZE)
		return REFUSE("larger than 16 MiB");
	if (buf[len - 1] != '\0')
		return REFUSE("truncated (its last entry has no NUL)");
	if (first_pass(buf, len, ps, err, cap) < 0)
		return -1;
	ps->args = calloc(ps->nargs + 1, sizeof(*ps->args));
	ps->env = calloc(ps->nenv + 1, sizeof(*ps->env));
	ps->rlimits = calloc(ps->nrlimits + 1, sizeof(*ps->rlimits));
	if (!ps->args || !ps->env || !ps->rlimits) {
		procspec_free(ps);
		return REFUSE(strerror(ENOMEM));
	}
	for (size_t p = 0; p < len; p += strlen(buf + p) + 1) {
		char *entry = buf + p, *val = strchr(entry, '=') + 1;
		size_t klen = (size_t)(val - 1 - entry);

		if (klen == 3 && strncmp(entry, PROCREC_KEY_ARG, 3) == 0)
			ps->args[a++] = val;
		else if (klen == 3 && strncmp(entry, PROCREC_KEY_ENV, 3) == 0)
			ps->env[e++] = val;
		else if (klen == 6 && strncmp(entry, PROCREC_KEY_RLIMIT, 6) == 0 && rlimit_parse(val, &ps->rlimits[r++]) < 0) {
			procspec_free(ps);
			return REFUSE("malformed rlimit \"", val, "\"");
		}
	}
	return 0;
}

void procspec_free(struct procspec *ps)
{
	free(ps->args);
	free(ps->env);
	free(ps->rlimits);
	ps->args = ps->env = NULL;
	ps->rlimits = NULL;
}
