/*
 * svcproto.h: the wire between the lxcri client (bin/lxcri, libexec/lxcri-launch.c) and
 * the resident lxcri service (src/service/). src/base/svcproto.ts defines the same names
 * (SVC_MSG_SPAWN is SVC.msg.spawn there); test/unit/svcproto.test.ts holds the two to
 * the same values.
 *
 * The socket is <root>/SVC_SOCKET, AF_UNIX SOCK_SEQPACKET, mode 0600, owned by root: one
 * message is one record. A message is its type byte followed by NUL-terminated fields
 * (numbers in decimal); file descriptors travel with it as SCM_RIGHTS. A message is at
 * most SVC_MAX_MSG bytes and SVC_MAX_FDS fds; anything else is malformed.
 *
 * client -> service
 *   SVC_MSG_REQUEST  version, cwd, argc, argv[argc], envc, env[envc]
 *                    fds: the client's 0, 1, 2, then its fds 3.. that --preserve-fds passes
 *   SVC_MSG_SPAWNED  tag, pid                      (answers SVC_MSG_SPAWN)
 *   SVC_MSG_FAILED   tag, errno                    (answers SVC_MSG_SPAWN: fork/exec failed)
 *   SVC_MSG_ENDED    tag, raw wait status          (a spawned child ended; the client reaped it)
 * service -> client
 *   SVC_MSG_SPAWN    tag, flags, cwd, argc, argv[argc], envc, env[envc]
 *                    fds: the child's 0..n-1, in order; argv[0] is an absolute path
 *   SVC_MSG_KILL     tag, signal                   (signal a spawned child that has not ended)
 *   SVC_MSG_EXIT     code, text                    (the call's end: write text, if any, to
 *                                                   stderr as it is, and exit with code)
 *   SVC_MSG_LOCAL    (no fields)                   (run this call in-process instead)
 * The client's children are its own: it reaps them, and when the service's end of the
 * socket closes before SVC_MSG_EXIT it kills (SIGKILL) and reaps those still running.
 */
#ifndef LXCRI_SVCPROTO_H
#define LXCRI_SVCPROTO_H

#define SVC_VERSION "1"
/* Files of the root dir (dot names: never a container ID). */
#define SVC_SOCKET ".lxcri.sock"
#define SVC_LOCK ".lxcri.lock"

#define SVC_MAX_MSG 65536
#define SVC_MAX_FDS 64

#define SVC_MSG_REQUEST 'Q'
#define SVC_MSG_SPAWNED 'P'
#define SVC_MSG_FAILED 'F'
#define SVC_MSG_ENDED 'W'
#define SVC_MSG_SPAWN 'S'
#define SVC_MSG_KILL 'K'
#define SVC_MSG_EXIT 'X'
#define SVC_MSG_LOCAL 'L'

/* SVC_MSG_SPAWN flags, as a string of these letters. */
#define SVC_SPAWN_SETSID 's'

#endif
