/*
 * The instruction files `lxcri create` writes for lxcri-hook (hookconf.c), one
 * instruction a line, fields separated by TAB. Parsing checks every field it can
 * without touching the system; what it finds wrong comes back as an error that
 * lxcri-hook reports as "<op> <what>: <text>".
 *
 * hook.conf (the mount hook; src/lxc/hookconf.ts writes it):
 *   dev <path> <c|u|b|p> <major> <minor> <mode-octal> <uid> <gid>
 *   symlink <target> <path>
 *   mkdir <path>
 *   mask <path>
 *   ro <path>
 *   hostname <name>
 *   domainname <name>
 *   sysctl <key> <value>
 *   rootro
 *   ocihooks
 * Empty lines and lines starting with '#' are skipped.
 *
 * premount.conf (the pre-mount hook; src/lxc/premount.ts writes it), N a stage number:
 *   tmpfs N <source> <mount flags, decimal> <data>
 *   make N <path> <dir|file>
 *   ro N <mount flags, decimal>
 * Empty lines are skipped.
 */
#ifndef LXCRI_HOOKCONF_H
#define LXCRI_HOOKCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define HOOKCONF_MAX_FIELDS 9

/* Why a line was refused: lxcri-hook says "<op> <what>: <text>". */
struct hookconf_error {
	const char *op, *what, *text;
};

enum hookconf_op {
	HOOKOP_DEV,
	HOOKOP_SYMLINK,
	HOOKOP_MKDIR,
	HOOKOP_MASK,
	HOOKOP_RO,
	HOOKOP_HOSTNAME,
	HOOKOP_DOMAINNAME,
	HOOKOP_SYSCTL,
	HOOKOP_ROOTRO,
	HOOKOP_OCIHOOKS,
};

/* A device node: dev's fields, checked. */
struct hookconf_dev {
	mode_t type; /* S_IFCHR, S_IFBLK or S_IFIFO */
	unsigned major, minor;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

/* One hook.conf instruction; the fields point into the line. */
struct hookconf_line {
	enum hookconf_op op;
	char *f[HOOKCONF_MAX_FIELDS]; /* f[0] the op's name, then its arguments */
	int nfields;
	struct hookconf_dev dev; /* HOOKOP_DEV only */
};

/* Parse line, len bytes (its trailing newline removed; split in place): 0 with *out
 * filled, 1 for a line to skip, -1 with *err filled. A NUL byte in it is an error: no
 * field can hold one, and cutting the line there would apply a different instruction. */
int hookconf_parse(char *line, size_t len, struct hookconf_line *out, struct hookconf_error *err);

enum premount_op {
	PREMOUNT_TMPFS,
	PREMOUNT_MAKE,
	PREMOUNT_RO,
};

/* One premount.conf instruction; the strings point into the line. */
struct premount_line {
	enum premount_op op;
	const char *stage;  /* the stage's number as written: <rundir>/stage/<stage> */
	const char *source; /* tmpfs */
	const char *data;   /* tmpfs; "" for none */
	unsigned long flags; /* tmpfs, ro */
	const char *path;   /* make: relative to the stage */
	bool file;	    /* make: a file, not a directory */
};

/* As hookconf_parse, for premount.conf. */
int premount_parse(char *line, size_t len, struct premount_line *out, struct hookconf_error *err);

/* An unsigned number in base (digits only, no sign or space); -1 if not a number or
 * above max. */
long long hookconf_num(const char *s, int base, unsigned long long max);

#endif
