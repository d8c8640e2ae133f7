/*
 * lxcri-hook's side of <rundir>/hooks.sock, where `lxcri create` waits while liblxc
 * starts the container (hookrpc.c; src/runtime/hookserver.ts is the other side). One
 * request a connection, ended by shutting down the write side; one answer:
 *
 *   "<pid>\n"                       run the prestart and createRuntime hooks; <pid> is
 *                                   the hook's own PID as the host sees it, from which
 *                                   create finds the container's init.
 *      -> "ok\n<state JSON>"        the state for the createContainer hooks
 *      -> "error <reason>\n"        a hook failed: the start fails with <reason>
 *   "output\0<hook path>\0<bytes>"  a createContainer hook's output, for create's log
 *      -> "ok"
 */
#ifndef LXCRI_HOOKRPC_H
#define LXCRI_HOOKRPC_H

#include <stddef.h>

/* Replies are at most this long (a state JSON is far smaller). */
#define HOOKRPC_REPLY_MAX (1U << 20)
/* At most this much of a hook's output is sent, as create keeps. */
#define HOOKRPC_OUTPUT_MAX (64 * 1024)

enum hookrpc_answer {
	HOOKRPC_OK,
	HOOKRPC_ERROR,
	HOOKRPC_GARBLED,
};

/* An answer of len bytes (NUL-terminated after them): OK with *body the state and
 * *bodylen its length; ERROR with *body the reason (cut at its newline, in place). */
enum hookrpc_answer hookrpc_parse_reply(char *reply, size_t len, char **body, size_t *bodylen);

/* The "output" message for hook and n bytes of its output: malloc'ed, *len its length;
 * NULL without memory. */
char *hookrpc_output_message(const char *hook, const char *bytes, size_t n, size_t *len);

/* Ask create to run the prestart and createRuntime hooks; fails the hook if they
 * failed or create did not answer. Returns the malloc'ed reply, *state pointing to the
 * state JSON in it. */
char *hookrpc_runtime_hooks(const char *rundir, const char **state, size_t *statelen);

/* Hand the output in the file out (a memfd) to create, which logs it as a JSON field as
 * it does for the hooks it runs itself (liblxc would log it raw, one line per line the
 * hook printed). Best effort: a create that is gone cannot log it, and the hook's
 * outcome stands either way. */
void hookrpc_send_output(const char *rundir, const char *hook, int out);

#endif
