/* clientcall.h: one lxcri call run by the service over a connected socket: the request,
 * then the processes the service asks the client to spawn (so that they are the caller's
 * children, with its fds), until the service's SVC_MSG_EXIT. */
#ifndef LXCRI_CLIENTCALL_H
#define LXCRI_CLIENTCALL_H

/* The most children of one call running at a time; a SPAWN beyond it fails (EAGAIN). */
#define CLIENTCALL_MAX_CHILDREN 64

#define CLIENTCALL_LOCAL 1

/* Run the call argv (argv[1..argc-1]; the fds 3..3+preserve_fds-1 go with stdio) over
 * sock. Returns CLIENTCALL_LOCAL when the call must run in-process: the request could
 * not be built or sent (too large, a closed stdio fd, no cwd), or the service answered
 * SVC_MSG_LOCAL. Otherwise it ends the process: with the service's exit code, or 1 and
 * one line on stderr when the service ended or broke the protocol before SVC_MSG_EXIT
 * (after killing and reaping the children still running). */
int clientcall_run(int sock, int argc, char *const argv[], int preserve_fds);

#endif
