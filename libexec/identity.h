/*
 * identity.h: who the process runs as. The identity line (src/lxc/process.ts identityLine):
 * "<uid> <gid> <umask octal or -> <bounding> <effective> <permitted> <inheritable>
 * <ambient> [<group>...]", the capability sets as hex bit masks; lxcri-init starts as the
 * container's root and takes it itself (liblxc can neither raise capabilities for a
 * non-root user nor set ambient ones).
 */
#ifndef LXCRI_IDENTITY_H
#define LXCRI_IDENTITY_H

#include <sys/types.h>

#include "initfail.h"

#define IDENTITY_MAX_GROUPS 256
/* The longest line: 8 fields and every group, with room to spare. */
#define IDENTITY_MAX_LINE 8192

struct identity {
	uid_t uid;
	gid_t gid;
	long umask; /* -1: keep */
	unsigned long long bounding, effective, permitted, inheritable, ambient;
	gid_t groups[IDENTITY_MAX_GROUPS];
	size_t ngroups;
};

/* Parse an identity line (a trailing newline is allowed); -1 if malformed. */
int identity_parse(const char *line, struct identity *id);

/* Become the process's user with exactly its capability sets and umask. */
void identity_take(const struct identity *id, struct failure *f);

#endif
