/* procspec.c, identity.c's parser and rlimitspec.c: the process record as
 * src/lxc/processrecord.ts writes it (the shared fixtures of test/fixtures/process-record/),
 * and every way a record, an identity line or an rlimit can be wrong. */
#include "check.h"
#include "procspec.h"

#define FIXTURES "test/fixtures/process-record/"

static char buf[1 << 18], err[512];
static size_t len;

/* Parse len bytes of text (NULs included) from a copy. */
static int parse_n(const char *text, size_t n, struct procspec *ps)
{
	memcpy(buf, text, n);
	len = n;
	return procspec_parse(buf, n, ps, err, sizeof(err));
}
#define PARSE(lit, ps) parse_n((lit), sizeof(lit) - 1, (ps))

/* The error of a refused record, or "(accepted)". */
static const char *refused_n(const char *text, size_t n)
{
	struct procspec ps;

	if (parse_n(text, n, &ps) == 0) {
		procspec_free(&ps);
		return "(accepted)";
	}
	return err;
}
#define REFUSED(lit) refused_n((lit), sizeof(lit) - 1)

static int load(const char *name, struct procspec *ps)
{
	FILE *f = fopen(name, "rb");

	if (!f) {
		perror(name);
		return -1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return procspec_parse(buf, len, ps, err, sizeof(err));
}

/* test/unit/processrecord.test.ts writes the same records from the same values. */
static void fixtures(void)
{
	struct procspec ps;

	CHECK(load(FIXTURES "create.rec", &ps) == 0);
	CHECK_STR(err, "");
	CHECK(ps.nargs == 3 && ps.nenv == 2 && ps.nrlimits == 0);
	CHECK_STR(ps.args[0], "sh");
	CHECK_STR(ps.args[1], "-c");
	CHECK_STR(ps.args[2], "echo \"a=b\"\n");
	CHECK(ps.args[3] == NULL && ps.env[2] == NULL);
	CHECK_STR(ps.env[0], "EMPTY=");
	CHECK_STR(ps.env[1], "PATH=/bin:/usr/bin");
	CHECK_STR(ps.cwd, "/work dir");
	CHECK(ps.identity.uid == 1000 && ps.identity.gid == 100 && ps.identity.umask == 027);
	CHECK(ps.identity.bounding == 0x400 && ps.identity.effective == 0x400 && ps.identity.ambient == 0);
	CHECK(ps.identity.ngroups == 2 && ps.identity.groups[0] == 10 && ps.identity.groups[1] == 20);
	CHECK(ps.terminal == PROCSPEC_TERMINAL_CONSOLE && ps.keep_fds == 2);
	CHECK(ps.seccomp == PROCSPEC_SECCOMP_FILE && ps.seccomp_fd == -1);
	procspec_free(&ps);

	CHECK(load(FIXTURES "exec.rec", &ps) == 0);
	CHECK_STR(err, "");
	CHECK(ps.nargs == 1 && ps.nenv == 0 && ps.env[0] == NULL);
	CHECK_STR(ps.args[0], "/bin/true");
	CHECK_STR(ps.cwd, "/");
	CHECK(ps.identity.uid == 0 && ps.identity.umask == -1 && ps.identity.ngroups == 0);
	CHECK(ps.terminal == PROCSPEC_TERMINAL_STDIN && ps.keep_fds == 0);
	CHECK(ps.seccomp == PROCSPEC_SECCOMP_FD && ps.seccomp_fd == 4);
	CHECK(ps.nrlimits == 2);
	CHECK(ps.rlimits[0].resource == RLIMIT_NOFILE && ps.rlimits[0].limit.rlim_cur == 1024 &&
	      ps.rlimits[0].limit.rlim_max == 4096);
	CHECK(ps.rlimits[1].resource == RLIMIT_CORE && ps.rlimits[1].limit.rlim_cur == RLIM_INFINITY &&
	      ps.rlimits[1].limit.rlim_max == RLIM_INFINITY);
	procspec_free(&ps);
}

#define ID "identity=0 0 - 0 0 0 0 0\0"

static void good_records(void)
{
	struct procspec ps;

	/* Any order; an empty cwd is /; a value may hold '=' and anything but NUL. */
	CHECK(PARSE("arg=a=b\0cwd=\0env=X=\0" ID "arg=\n\t\0", &ps) == 0);
	CHECK(ps.nargs == 2 && ps.nenv == 1);
	CHECK_STR(ps.args[0], "a=b");
	CHECK_STR(ps.args[1], "\n\t");
	CHECK_STR(ps.cwd, "/");
	CHECK(ps.terminal == PROCSPEC_TERMINAL_NONE && ps.seccomp == PROCSPEC_SECCOMP_NONE && ps.keep_fds == 0);
	procspec_free(&ps);
	/* An empty argument is one. */
	CHECK(PARSE(ID "cwd=/\0arg=\0", &ps) == 0 && ps.nargs == 1 && ps.args[0][0] == '\0');
	procspec_free(&ps);
	CHECK(PARSE(ID "cwd=/\0arg=x\0keep-fds=1000000\0seccomp=fd:1000000\0", &ps) == 0);
	CHECK(ps.keep_fds == 1000000 && ps.seccomp_fd == 1000000);
	procspec_free(&ps);
}

static void bad_records(void)
{
	static char huge[PROCREC_MAX_STRING + 64];
	int n;

	CHECK_STR(REFUSED(""), "empty");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x"), "truncated (its last entry has no NUL)");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0noequals\0"), "entry 4 is not KEY=VALUE");
	CHECK_STR(REFUSED(ID "cwd=/\0\0arg=x\0"), "entry 3 is not KEY=VALUE");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0ioPriority=1\0"), "unknown key \"ioPriority\"");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0Arg=y\0"), "unknown key \"Arg\"");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0=y\0"), "unknown key \"\"");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=y\0"),
		  "unknown key \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"");
	CHECK_STR(REFUSED(ID "cwd=/\0cwd=/tmp\0arg=x\0"), "\"cwd\" twice");
	CHECK_STR(REFUSED(ID ID "cwd=/\0arg=x\0"), "\"identity\" twice");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0terminal=stdin\0terminal=stdin\0"), "\"terminal\" twice");
	CHECK_STR(REFUSED("cwd=/\0arg=x\0"), "no identity");
	CHECK_STR(REFUSED(ID "arg=x\0"), "no cwd");
	CHECK_STR(REFUSED(ID "cwd=/\0env=A=b\0"), "no arguments");
	CHECK_STR(REFUSED("identity=0 0\0cwd=/\0arg=x\0"), "malformed identity");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0terminal=yes\0"), "malformed terminal (console or stdin)");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0terminal=\0"), "malformed terminal (console or stdin)");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0keep-fds=-1\0"), "malformed keep-fds");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0keep-fds=1000001\0"), "malformed keep-fds");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0keep-fds=99999999999999999999999\0"), "malformed keep-fds");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0keep-fds=1x\0"), "malformed keep-fds");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0keep-fds=\0"), "malformed keep-fds");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0seccomp=fd:2\0"), "malformed seccomp (file or fd:N)");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0seccomp=fd:\0"), "malformed seccomp (file or fd:N)");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0seccomp=/etc/profile\0"), "malformed seccomp (file or fd:N)");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0rlimit=7:10\0"), "malformed rlimit \"7:10\"");
	CHECK_STR(REFUSED(ID "cwd=/\0arg=x\0rlimit=99:1:1\0"), "malformed rlimit \"99:1:1\"");

	/* Bounded: an arg or env entry as Linux takes it, a cwd, the whole record. */
	n = sizeof(ID) - 1;
	memcpy(huge, ID "cwd=/", (size_t)n + 6);
	n += 6;
	memcpy(huge + n, "arg=", 4);
	memset(huge + n + 4, 'a', PROCREC_MAX_STRING - 1);
	huge[n + 4 + PROCREC_MAX_STRING - 1] = '\0';
	CHECK_STR(refused_n(huge, (size_t)n + 4 + PROCREC_MAX_STRING - 1 + 1), "(accepted)");
	huge[n + 4 + PROCREC_MAX_STRING - 1] = 'a';
	huge[n + 4 + PROCREC_MAX_STRING] = '\0';
	CHECK_STR(refused_n(huge, (size_t)n + 4 + PROCREC_MAX_STRING + 1),
		  "entry 3 (arg) is longer than Linux takes (131071 bytes)");
	/* identity, then a cwd of PATH_MAX bytes without its NUL, then an arg. */
	n = sizeof(ID) - 1;
	memcpy(huge + n, "cwd=", 4);
	memset(huge + n + 4, 'c', PROCREC_MAX_CWD);
	huge[n + 4 + PROCREC_MAX_CWD] = '\0';
	memcpy(huge + n + 5 + PROCREC_MAX_CWD, "arg=x", 6);
	CHECK_STR(refused_n(huge, (size_t)n + 5 + PROCREC_MAX_CWD + 6), "cwd is longer than PATH_MAX");
	huge[n + 4 + PROCREC_MAX_CWD - 1] = '\0';
	CHECK_STR(refused_n(huge, (size_t)n + 5 + PROCREC_MAX_CWD + 6), "entry 3 is not KEY=VALUE");
	{
		struct procspec ps;
		char *big = malloc(PROCREC_MAX_SIZE + 1);
		CHECK(big != NULL);
		if (big) {
			memset(big, 0, PROCREC_MAX_SIZE + 1);
			CHECK(procspec_parse(big, PROCREC_MAX_SIZE + 1, &ps, err, sizeof(err)) == -1);
			CHECK_STR(err, "larger than 16 MiB");
			free(big);
		}
	}
}

static void identities(void)
{
	struct identity id;

	CHECK(identity_parse("1000 100 27 20 20 20 0 0 10 20\n", &id) == 0);
	CHECK(id.uid == 1000 && id.gid == 100 && id.umask == 027 && id.ngroups == 2);
	CHECK(identity_parse("0 0 - ffffffffff 1 2 3 4", &id) == 0);
	CHECK(id.umask == -1 && id.bounding == 0xffffffffffULL && id.effective == 1 && id.ambient == 4);
	CHECK(identity_parse("4294967294 4294967294 0 0 0 0 0 0 4294967294", &id) == 0);
	CHECK(id.uid == 4294967294U && id.groups[0] == 4294967294U);
	CHECK(identity_parse("", &id) == -1);
	CHECK(identity_parse("0 0 - 0 0 0 0", &id) == -1);           /* a field short */
	CHECK(identity_parse("4294967295 0 - 0 0 0 0 0", &id) == -1); /* (uid_t)-1 */
	CHECK(identity_parse("-1 0 - 0 0 0 0 0", &id) == -1);
	CHECK(identity_parse("+1 0 - 0 0 0 0 0", &id) == -1);
	CHECK(identity_parse("0 0 8 0 0 0 0 0", &id) == -1);  /* not octal */
	CHECK(identity_parse("0 0 10000 0 0 0 0 0", &id) == -1);
	CHECK(identity_parse("0 0 - 0 0 0 0 g", &id) == -1);  /* not hex */
	CHECK(identity_parse("0 0 - 0 0 0 0 10000000000000000", &id) == -1);
	CHECK(identity_parse("0 0 - 0 0 0 0 0 x", &id) == -1);
	{
		static char line[IDENTITY_MAX_LINE + 64];
		int n = snprintf(line, sizeof(line), "0 0 -");
		for (int i = 0; i < 5; i++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, " 0");
		for (int i = 0; i < IDENTITY_MAX_GROUPS; i++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %d", i);
		CHECK(identity_parse(line, &id) == 0 && id.ngroups == IDENTITY_MAX_GROUPS);
		snprintf(line + n, sizeof(line) - (size_t)n, " 1");
		CHECK(identity_parse(line, &id) == -1); /* one group too many */
		memset(line, '0', IDENTITY_MAX_LINE + 1);
		line[IDENTITY_MAX_LINE + 1] = '\0';
		CHECK(identity_parse(line, &id) == -1);
	}
}

static void rlimits(void)
{
	struct rlimit_spec r;

	CHECK(rlimit_parse("7:1024:4096", &r) == 0);
	CHECK(r.resource == 7 && r.limit.rlim_cur == 1024 && r.limit.rlim_max == 4096);
	CHECK(rlimit_parse("4:inf:inf", &r) == 0 && r.limit.rlim_cur == RLIM_INFINITY);
	CHECK(rlimit_parse("4:0:inf", &r) == 0 && r.limit.rlim_cur == 0 && r.limit.rlim_max == RLIM_INFINITY);
	CHECK(rlimit_parse("15:18446744073709551614:18446744073709551614", &r) == 0);
	CHECK(rlimit_parse("", &r) == -1);
	CHECK(rlimit_parse("7", &r) == -1);
	CHECK(rlimit_parse("7:1", &r) == -1);
	CHECK(rlimit_parse("7:1:2:3", &r) == -1);
	CHECK(rlimit_parse("7:2:1", &r) == -1);     /* soft above hard */
	CHECK(rlimit_parse("7:inf:1", &r) == -1);
	CHECK(rlimit_parse("inf:1:1", &r) == -1);
	CHECK(rlimit_parse("16:1:1", &r) == -1);    /* no such resource */
	CHECK(rlimit_parse("-1:1:1", &r) == -1);
	CHECK(rlimit_parse("7:-1:1", &r) == -1);
	CHECK(rlimit_parse("7: 1:1", &r) == -1);
	CHECK(rlimit_parse("7:1:18446744073709551616", &r) == -1);
	CHECK(rlimit_parse("7:infinity:1", &r) == -1);
}

int main(void)
{
	fixtures();
	good_records();
	bad_records();
	identities();
	rlimits();
	return check_done("procspec");
}
