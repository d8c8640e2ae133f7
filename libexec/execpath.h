/*
 * execpath.h: what lxcri-init finds for the process as its user: the executable (a path
 * with a slash as is, else a PATH lookup as Go's exec.LookPath, which runc uses), with
 * runc's 126/127 words; the working directory; HOME from the image's /etc/passwd when the
 * env has none.
 */
#ifndef LXCRI_EXECPATH_H
#define LXCRI_EXECPATH_H

#include "initfail.h"

/* env with HOME added when it has none (a new vector; the old one is freed by realloc). */
char **ensure_home(char **env, struct failure *f);
/* The executable for arg0 (malloc'ed), or NULL with the failure. */
char *resolve(const char *arg0, char **env, struct failure *f);
/* chdir to cwd ("" is /). */
void change_dir(const char *cwd, struct failure *f);

#endif
