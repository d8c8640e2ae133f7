/* Parsing hook.conf and premount.conf lines (see hookconf.h). */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hookconf.h"

long long hookconf_num(const char *s, int base, unsigned long long max)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -1;
	return (long long)v;
}

/* Split line at TABs into f (up to HOOKCONF_MAX_FIELDS); returns the count, one more
 * than the maximum if there are more fields. */
static int split_fields(char *line, char **f)
{
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p; p++) {
		if (*p != '\t')
			continue;
		if (n == HOOKCONF_MAX_FIELDS)
			return HOOKCONF_MAX_FIELDS + 1;
		*p = '\0';
		f[n++] = p + 1;
	}
	return n;
}

static int refuse(struct hookconf_error *err, const char *op, const char *what, const char *text)
{
	err->op = op;
	err->what = what;
	err->text = text;
	return -1;
}

static mode_t dev_type(const char *t)
{
	if (strcmp(t, "c") == 0 || strcmp(t, "u") == 0)
		return S_IFCHR;
	if (strcmp(t, "b") == 0)
		return S_IFBLK;
	if (strcmp(t, "p") == 0)
		return S_IFIFO;
	return 0;
}

/* dev <path> <type> <major> <minor> <mode> <uid> <gid> */
static int parse_dev(char **f, struct hookconf_dev *d, struct hookconf_error *err)
{
	mode_t type = dev_type(f[2]);
	long long major = hookconf_num(f[3], 10, UINT32_MAX), minor = hookconf_num(f[4], 10, UINT32_MAX);
	long long mode = hookconf_num(f[5], 8, 07777);
	/* (uid_t)-1 means "unchanged" to chown: not an owner. */
	long long uid = hookconf_num(f[6], 10, UINT32_MAX - 1), gid = hookconf_num(f[7], 10, UINT32_MAX - 1);

	if (!type || major < 0 || minor < 0 || mode < 0 || uid < 0 || gid < 0)
		return refuse(err, "dev", f[1], "invalid device specification");
	*d = (struct hookconf_dev){
		.type = type,
		.major = (unsigned)major,
		.minor = (unsigned)minor,
		.mode = (mode_t)mode,
		.uid = (uid_t)uid,
		.gid = (gid_t)gid,
	};
	return 0;
}

int hookconf_parse(char *line, size_t len, struct hookconf_line *out, struct hookconf_error *err)
{
	static const struct {
		const char *name;
		enum hookconf_op op;
		int nfields;
	} ops[] = {
		{ "dev", HOOKOP_DEV, 8 },
		{ "symlink", HOOKOP_SYMLINK, 3 },
		{ "mkdir", HOOKOP_MKDIR, 2 },
		{ "mask", HOOKOP_MASK, 2 },
		{ "ro", HOOKOP_RO, 2 },
		{ "hostname", HOOKOP_HOSTNAME, 2 },
		{ "domainname", HOOKOP_DOMAINNAME, 2 },
		{ "sysctl", HOOKOP_SYSCTL, 3 },
	};
	char **f = out->f;
	int n;
	const char *what;
	bool nul = memchr(line, '\0', len) != NULL; /* before the split makes TABs NULs */

	if (len == 0 || line[0] == '#')
		return 1;
	memset(out, 0, sizeof(*out));
	n = split_fields(line, f);
	out->nfields = n;
	/* Name the path (not a symlink target) in error messages. */
	what = n > 2 && strcmp(f[0], "symlink") == 0 ? f[2] : n > 1 ? f[1] : "";
	if (nul)
		return refuse(err, f[0], what, "NUL byte in hook.conf");

	if (strcmp(f[0], "rootro") == 0 && n == 1) {
		out->op = HOOKOP_ROOTRO;
		return 0;
	}
	if (strcmp(f[0], "ocihooks") == 0 && n == 1) {
		out->op = HOOKOP_OCIHOOKS;
		return 0;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(f[0], ops[i].name) != 0)
			continue;
		if (n != ops[i].nfields)
			return refuse(err, f[0], what, "wrong number of fields in hook.conf");
		out->op = ops[i].op;
		return ops[i].op == HOOKOP_DEV ? parse_dev(f, &out->dev, err) : 0;
	}
	return refuse(err, f[0], what, "unknown operation in hook.conf");
}

/* A stage number (the text is kept: it names <rundir>/stage/<text>). */
static int parse_stage(const char *s, struct premount_line *out, struct hookconf_error *err)
{
	if (hookconf_num(s, 10, 1000000) < 0)
		return refuse(err, "premount", s, "not a stage number");
	out->stage = s;
	return 0;
}

static int parse_flags(const char *s, struct premount_line *out, struct hookconf_error *err)
{
	long long v = hookconf_num(s, 10, ULONG_MAX);

	if (v < 0)
		return refuse(err, "premount", s, "not mount flags");
	out->flags = (unsigned long)v;
	return 0;
}

int premount_parse(char *line, size_t len, struct premount_line *out, struct hookconf_error *err)
{
	char *f[HOOKCONF_MAX_FIELDS] = { 0 };
	bool nul = memchr(line, '\0', len) != NULL; /* before the split makes TABs NULs */
	int n;

	if (len == 0)
		return 1;
	memset(out, 0, sizeof(*out));
	n = split_fields(line, f);
	if (nul)
		return refuse(err, "premount", f[0], "NUL byte in premount.conf");
	if (strcmp(f[0], "tmpfs") == 0 && n == 5) {
		out->op = PREMOUNT_TMPFS;
		out->source = f[2];
		out->data = f[4];
		return parse_stage(f[1], out, err) < 0 ? -1 : parse_flags(f[3], out, err);
	}
	if (strcmp(f[0], "make") == 0 && n == 4) {
		out->op = PREMOUNT_MAKE;
		out->path = f[2];
		out->file = strcmp(f[3], "file") == 0;
		if (!out->file && strcmp(f[3], "dir") != 0)
			return refuse(err, "premount", f[3], "not dir or file");
		return parse_stage(f[1], out, err);
	}
	if (strcmp(f[0], "ro") == 0 && n == 3) {
		out->op = PREMOUNT_RO;
		return parse_stage(f[1], out, err) < 0 ? -1 : parse_flags(f[2], out, err);
	}
	return refuse(err, "premount", f[0], "unknown operation or wrong number of fields in premount.conf");
}
