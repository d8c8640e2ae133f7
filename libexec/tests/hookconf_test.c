/* hookconf.c: hook.conf and premount.conf lines into instructions, and every way a line
 * can be wrong. */
#include <limits.h>
#include <sys/stat.h>

#include "check.h"
#include "hookconf.h"

/* Parse a copy of text (the parser splits in place); the copy stays valid until the
 * next call. */
static char buf[16384];
static int parse(const char *text, struct hookconf_line *l, struct hookconf_error *err)
{
	snprintf(buf, sizeof(buf), "%s", text);
	return hookconf_parse(buf, strlen(buf), l, err);
}
static int parse_pm(const char *text, struct premount_line *l, struct hookconf_error *err)
{
	snprintf(buf, sizeof(buf), "%s", text);
	return premount_parse(buf, strlen(buf), l, err);
}

/* "<op> <what>: <text>", as lxcri-hook reports it, of a refused line. */
static char refusal[512];
static const char *refused(const char *text)
{
	struct hookconf_line l;
	struct hookconf_error err;

	if (parse(text, &l, &err) != -1)
		return "(accepted)";
	snprintf(refusal, sizeof(refusal), "%s %s: %s", err.op, err.what, err.text);
	return refusal;
}
static const char *refused_pm(const char *text)
{
	struct premount_line l;
	struct hookconf_error err;

	if (parse_pm(text, &l, &err) != -1)
		return "(accepted)";
	snprintf(refusal, sizeof(refusal), "%s %s: %s", err.op, err.what, err.text);
	return refusal;
}

static void good_lines(void)
{
	struct hookconf_line l;
	struct hookconf_error err;

	CHECK(parse("dev\t/dev/sub/zero\tc\t1\t5\t0620\t1000\t1001", &l, &err) == 0);
	CHECK(l.op == HOOKOP_DEV && l.nfields == 8);
	CHECK_STR(l.f[1], "/dev/sub/zero");
	CHECK(l.dev.type == S_IFCHR && l.dev.major == 1 && l.dev.minor == 5);
	CHECK(l.dev.mode == 0620 && l.dev.uid == 1000 && l.dev.gid == 1001);
	CHECK(parse("dev\t/dev/u\tu\t4\t0\t0666\t0\t0", &l, &err) == 0 && l.dev.type == S_IFCHR);
	CHECK(parse("dev\t/dev/blk\tb\t7\t0\t0660\t0\t0", &l, &err) == 0 && l.dev.type == S_IFBLK);
	CHECK(parse("dev\t/dev/fifo\tp\t0\t0\t0640\t0\t0", &l, &err) == 0 && l.dev.type == S_IFIFO);
	/* The largest ID chown takes; (uid_t)-1 would mean "unchanged". */
	CHECK(parse("dev\t/d\tc\t4294967295\t4294967295\t07777\t4294967294\t4294967294", &l, &err) == 0);
	CHECK(l.dev.major == 4294967295U && l.dev.mode == 07777 && l.dev.uid == 4294967294U);

	CHECK(parse("symlink\tpts/ptmx\t/dev/ptmx", &l, &err) == 0 && l.op == HOOKOP_SYMLINK);
	CHECK_STR(l.f[1], "pts/ptmx");
	CHECK_STR(l.f[2], "/dev/ptmx");
	CHECK(parse("mkdir\t/work/a/b", &l, &err) == 0 && l.op == HOOKOP_MKDIR);
	CHECK(parse("mask\t/proc/kcore", &l, &err) == 0 && l.op == HOOKOP_MASK);
	CHECK(parse("ro\t/proc/sys", &l, &err) == 0 && l.op == HOOKOP_RO);
	CHECK(parse("hostname\tbox", &l, &err) == 0 && l.op == HOOKOP_HOSTNAME);
	CHECK(parse("domainname\texample.org", &l, &err) == 0 && l.op == HOOKOP_DOMAINNAME);
	CHECK(parse("sysctl\tnet.ipv4.ip_forward\t1", &l, &err) == 0 && l.op == HOOKOP_SYSCTL);
	CHECK_STR(l.f[2], "1");
	/* A value may hold spaces: only TAB separates. */
	CHECK(parse("sysctl\tkernel.msgmnb\t1 2 3", &l, &err) == 0);
	CHECK_STR(l.f[2], "1 2 3");
	CHECK(parse("rootro", &l, &err) == 0 && l.op == HOOKOP_ROOTRO);
	CHECK(parse("ocihooks", &l, &err) == 0 && l.op == HOOKOP_OCIHOOKS);

	/* Skipped: empty lines and comments (a comment may look like anything). */
	CHECK(parse("", &l, &err) == 1);
	CHECK(parse("# dev\tbogus", &l, &err) == 1);
	CHECK(parse("#", &l, &err) == 1);
}

static void malformed_lines(void)
{
	CHECK_STR(refused("bogus\t/x"), "bogus /x: unknown operation in hook.conf");
	CHECK_STR(refused("bogus"), "bogus : unknown operation in hook.conf");
	/* Case matters; a leading space is part of the name. */
	CHECK_STR(refused("MASK\t/x"), "MASK /x: unknown operation in hook.conf");
	CHECK_STR(refused(" mask\t/x"), " mask /x: unknown operation in hook.conf");
	/* rootro and ocihooks take no fields at all. */
	CHECK_STR(refused("rootro\t/x"), "rootro /x: unknown operation in hook.conf");
	CHECK_STR(refused("ocihooks\t"), "ocihooks : unknown operation in hook.conf");

	CHECK_STR(refused("mask\t/a\t/b"), "mask /a: wrong number of fields in hook.conf");
	CHECK_STR(refused("mask"), "mask : wrong number of fields in hook.conf");
	/* A trailing TAB is one more (empty) field. */
	CHECK_STR(refused("mkdir\t/a\t"), "mkdir /a: wrong number of fields in hook.conf");
	CHECK_STR(refused("dev\t/dev/x\tc\t1\t3\t0666\t0"), "dev /dev/x: wrong number of fields in hook.conf");
	/* More fields than any instruction has (9+) are not read past the maximum. */
	CHECK_STR(refused("dev\t/dev/x\tc\t1\t3\t0666\t0\t0\t0\t0\t0"),
		  "dev /dev/x: wrong number of fields in hook.conf");
	/* A symlink's error names its path, not its target. */
	CHECK_STR(refused("symlink\t/target\t/path\textra"), "symlink /path: wrong number of fields in hook.conf");
	CHECK_STR(refused("symlink\t/target"), "symlink /target: wrong number of fields in hook.conf");
	CHECK_STR(refused("sysctl\tkernel.x"), "sysctl kernel.x: wrong number of fields in hook.conf");

	/* Every field of a device, each wrong in each way. */
	static const char *const bad_devs[] = {
		"dev\t/dev/x\tz\t1\t3\t0666\t0\t0",	      /* type */
		"dev\t/dev/x\t\t1\t3\t0666\t0\t0",	      /* empty type */
		"dev\t/dev/x\tcc\t1\t3\t0666\t0\t0",	      /* type */
		"dev\t/dev/x\tc\t-1\t3\t0666\t0\t0",	      /* negative */
		"dev\t/dev/x\tc\t+1\t3\t0666\t0\t0",	      /* sign */
		"dev\t/dev/x\tc\t 1\t3\t0666\t0\t0",	      /* space */
		"dev\t/dev/x\tc\t1x\t3\t0666\t0\t0",	      /* trailing garbage */
		"dev\t/dev/x\tc\t\t3\t0666\t0\t0",	      /* empty */
		"dev\t/dev/x\tc\t4294967296\t3\t0666\t0\t0",  /* major over 32 bits */
		"dev\t/dev/x\tc\t1\t4294967296\t0666\t0\t0",  /* minor over 32 bits */
		"dev\t/dev/x\tc\t1\t99999999999999999999999\t0666\t0\t0", /* over 64 bits */
		"dev\t/dev/x\tc\t1\t3\t0888\t0\t0",	      /* not octal */
		"dev\t/dev/x\tc\t1\t3\t017777\t0\t0",	      /* beyond 07777 */
		"dev\t/dev/x\tc\t1\t3\t0x1ff\t0\t0",	      /* hex */
		"dev\t/dev/x\tc\t1\t3\t0666\t4294967295\t0",  /* uid -1 */
		"dev\t/dev/x\tc\t1\t3\t0666\t0\t4294967295",  /* gid -1 */
		"dev\t/dev/x\tc\t1\t3\t0666\t0\t-0",	      /* sign */
	};
	for (size_t i = 0; i < sizeof(bad_devs) / sizeof(bad_devs[0]); i++)
		CHECK_STR(refused(bad_devs[i]), "dev /dev/x: invalid device specification");
}

/* Fields are kept whole, however long and whatever bytes they hold. */
static void field_contents(void)
{
	static char line[PATH_MAX * 2 + 16];
	struct hookconf_line l;
	struct hookconf_error err;
	size_t n = strlen("mkdir\t/");

	memcpy(line, "mkdir\t/", n);
	memset(line + n, 'a', PATH_MAX * 2);
	line[n + PATH_MAX * 2] = '\0';
	CHECK(hookconf_parse(line, strlen(line), &l, &err) == 0 && strlen(l.f[1]) == PATH_MAX * 2 + 1);
	/* A carriage return or a newline inside a field (the file's own newline is
	 * taken off by the reader) stays in the path: it is the path's. */
	CHECK(parse("mask\t/a\rb", &l, &err) == 0);
	CHECK_STR(l.f[1], "/a\rb");
	CHECK(parse("hostname\ta b\n", &l, &err) == 0);
	CHECK_STR(l.f[1], "a b\n");
	/* An empty field is a field. */
	CHECK(parse("mask\t", &l, &err) == 0);
	CHECK_STR(l.f[1], "");
}

/* A NUL byte (getline reads past it) would cut the line short: "mask /etc/passwd\0x"
 * must not quietly become "mask /etc/passwd". */
static void nul_bytes(void)
{
	struct hookconf_line l;
	struct premount_line pl;
	struct hookconf_error err;
	char line[64];
	size_t len;

#define SET(s) (memcpy(line, s, sizeof(s) - 1), sizeof(s) - 1)

	len = SET("mask\t/etc/passwd\0/x");
	CHECK(hookconf_parse(line, len, &l, &err) == -1);
	CHECK_STR(err.op, "mask");
	CHECK_STR(err.what, "/etc/passwd");
	CHECK_STR(err.text, "NUL byte in hook.conf");
	len = SET("rootro\0");
	CHECK(hookconf_parse(line, len, &l, &err) == -1);
	CHECK_STR(err.text, "NUL byte in hook.conf");
	len = SET("\0mask");
	CHECK(hookconf_parse(line, len, &l, &err) == -1);
	/* In a comment it does not matter. */
	len = SET("# a\0b");
	CHECK(hookconf_parse(line, len, &l, &err) == 1);
	len = SET("ro\t0\t1\0");
	CHECK(premount_parse(line, len, &pl, &err) == -1);
	CHECK_STR(err.op, "premount");
	CHECK_STR(err.what, "ro");
	CHECK_STR(err.text, "NUL byte in premount.conf");
#undef SET
}

static void premount_lines(void)
{
	struct premount_line l;
	struct hookconf_error err;

	CHECK(parse_pm("tmpfs\t0\ttmpfs\t2\tmode=750,size=64k", &l, &err) == 0);
	CHECK(l.op == PREMOUNT_TMPFS && l.flags == 2);
	CHECK_STR(l.stage, "0");
	CHECK_STR(l.source, "tmpfs");
	CHECK_STR(l.data, "mode=750,size=64k");
	CHECK(parse_pm("tmpfs\t1\tshm\t0\t", &l, &err) == 0);
	CHECK_STR(l.data, "");
	CHECK(parse_pm("make\t0\ta/b\tdir", &l, &err) == 0 && l.op == PREMOUNT_MAKE && !l.file);
	CHECK_STR(l.path, "a/b");
	CHECK(parse_pm("make\t12\ta/f\tfile", &l, &err) == 0 && l.file);
	CHECK_STR(l.stage, "12");
	/* The stage is named as written. */
	CHECK(parse_pm("ro\t007\t1", &l, &err) == 0 && l.op == PREMOUNT_RO && l.flags == 1);
	CHECK_STR(l.stage, "007");
	CHECK(parse_pm("ro\t1\t4129", &l, &err) == 0 && l.flags == 4129);
	CHECK(parse_pm("", &l, &err) == 1);

	CHECK_STR(refused_pm("bogus\t1"), "premount bogus: unknown operation or wrong number of fields in premount.conf");
	/* No comments in premount.conf. */
	CHECK_STR(refused_pm("# x"), "premount # x: unknown operation or wrong number of fields in premount.conf");
	CHECK_STR(refused_pm("tmpfs\t0\ttmpfs\t2"), "premount tmpfs: unknown operation or wrong number of fields in premount.conf");
	CHECK_STR(refused_pm("make\t0\ta\tdir\tx"), "premount make: unknown operation or wrong number of fields in premount.conf");
	CHECK_STR(refused_pm("ro\t0"), "premount ro: unknown operation or wrong number of fields in premount.conf");
	CHECK_STR(refused_pm("tmpfs\tx\ttmpfs\t2\t"), "premount x: not a stage number");
	CHECK_STR(refused_pm("tmpfs\t-1\ttmpfs\t2\t"), "premount -1: not a stage number");
	CHECK_STR(refused_pm("ro\t1000001\t1"), "premount 1000001: not a stage number");
	CHECK_STR(refused_pm("ro\t../1\t1"), "premount ../1: not a stage number");
	CHECK_STR(refused_pm("tmpfs\t0\ttmpfs\tnosuid\t"), "premount nosuid: not mount flags");
	CHECK_STR(refused_pm("ro\t0\t18446744073709551616"), "premount 18446744073709551616: not mount flags");
	CHECK_STR(refused_pm("make\t0\ta\tsocket"), "premount socket: not dir or file");
	/* The kind is checked before the stage, as the hook always did. */
	CHECK_STR(refused_pm("make\tx\ta\tsocket"), "premount socket: not dir or file");
	CHECK_STR(refused_pm("make\tx\ta\tdir"), "premount x: not a stage number");
}

static void numbers(void)
{
	CHECK(hookconf_num("0", 10, 5) == 0);
	CHECK(hookconf_num("5", 10, 5) == 5);
	CHECK(hookconf_num("6", 10, 5) == -1);
	CHECK(hookconf_num("0755", 8, 07777) == 0755);
	CHECK(hookconf_num("", 10, 5) == -1);
	CHECK(hookconf_num("18446744073709551616", 10, ULLONG_MAX) == -1);
}

int main(void)
{
	good_lines();
	malformed_lines();
	field_contents();
	nul_bytes();
	premount_lines();
	numbers();
	return check_done("hookconf");
}
