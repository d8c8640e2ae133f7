/* clientconf.h: what the client must know before it connects to the service, each with
 * the CLI's precedence flag > environment > environment file > default. The client only
 * approximates the CLI's parse: the service re-resolves every setting and answers
 * SVC_MSG_LOCAL when its own root or mode differ, so a mismatch costs speed, never
 * behaviour. */
#ifndef LXCRI_CLIENTCONF_H
#define LXCRI_CLIENTCONF_H

#include <limits.h>
#include <stddef.h>

#define CLIENTCONF_DEFAULT_ROOT "/run/lxcri"
#define CLIENTCONF_DEFAULT_ENV_FILE "/etc/default/lxcri"
/* The largest environment file the client reads; a larger one is "unknown". */
#define CLIENTCONF_MAX_ENV_FILE 65536

enum clientconf_mode {
	CLIENTCONF_AUTO,  /* the service if it can be reached or started, else in-process */
	CLIENTCONF_ON,    /* the service or an error */
	CLIENTCONF_OFF,   /* in-process */
	CLIENTCONF_LOCAL, /* in-process: a value the client does not take (the CLI reports it),
			   * or a call that is never forwarded (--version, `service`, none) */
};

struct clientconf {
	char root[PATH_MAX];
	enum clientconf_mode mode;
	int preserve_fds;
	/* --service-idle's value for the service the client starts, or NULL. */
	const char *service_idle;
	/* The command makes the root dir (create, run); no other starts a service for a root
	 * that does not exist. */
	int makes_root;
	/* The command is the service itself (run in-process, as the service). */
	int is_service;
};

/* From argv (argv[1..argc-1]), the environment and the environment file. */
void clientconf_resolve(struct clientconf *c, int argc, char *const argv[]);

/* The value of `name` in the environment file's text (len bytes) into out (cap bytes):
 * 1 if assigned a non-empty value (the last assignment counts), 0 if not, -1 if the text
 * cannot be parsed (or the value does not fit): unknown. */
int clientconf_env_file_value(const char *text, size_t len, const char *name, char *out, size_t cap);

#endif
