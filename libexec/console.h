/*
 * console.h: the process's terminal (terminal=console: a new pty in the container's own
 * devpts, as runc, whose master `lxcri create` takes; terminal=stdin: a pty slave of the
 * caller's) and its session.
 */
#ifndef LXCRI_CONSOLE_H
#define LXCRI_CONSOLE_H

#include "initfail.h"

/* The pty open_console made: the master (kept, close-on-exec, for `lxcri create` to take
 * with pidfd_getfd), its fd number and the slave's name there; -1 and "" before. */
extern int console_master;
extern char console_fd[12], console_name[32];

void open_console(struct failure *f);
/* Make stdin our controlling terminal, in a session of our own. */
void take_terminal(struct failure *f);
/* A session and process group of our own (see console.c). */
void new_session(struct failure *f);

#endif
