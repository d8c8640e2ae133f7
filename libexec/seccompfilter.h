/*
 * The container's seccomp filter, as lxcri-init loads it (libexec/seccompfilter.c).
 */
#ifndef LXCRI_SECCOMPFILTER_H
#define LXCRI_SECCOMPFILTER_H

#include <linux/filter.h>
#include <stddef.h>

struct seccomp_filter {
	struct sock_filter *insns; /* NULL: no filter */
	unsigned short len;
	unsigned int flags; /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
	int listener;	    /* hand a notification fd to the seccomp agent (listenerPath) */
};

/* Compile the profile file at path (the format of src/lxc/seccomp.ts) into BPF.
 * 0 on success; -1 with a one-line reason in err otherwise. */
int seccomp_compile(const char *path, struct seccomp_filter *out, char *err, size_t errcap);

/* The same from the open file fd (read from its start, then closed); name is what
 * errors call it. */
int seccomp_compile_fd(int fd, const char *name, struct seccomp_filter *out, char *err, size_t errcap);

/* Install the filter on the calling thread (no-op without one); -1 with errno. With
 * f->listener, *notify_fd is the new notification fd (close-on-exec), else -1. */
int seccomp_install(const struct seccomp_filter *f, int *notify_fd);

/* A close-on-exec connection to the seccomp agent's socket at path; -1 with errno. */
int seccomp_agent_connect(const char *path);

/* Send the container process state (JSON) with notify_fd to the agent, as the runtime
 * spec's listenerPath asks; -1 with errno. */
int seccomp_agent_send(int sock, int notify_fd, const char *state, size_t len);

#endif
