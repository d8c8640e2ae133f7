/* clientconf.c: see clientconf.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clientconf.h"
#include "svcproto.h"

/* The global flags that take a value (src/cli/globals.ts VALUE_FLAGS and the service's):
 * their value is not the command. */
static const char *const value_flags[] = {
	"--root", "--log-file", "--log-level", "--log-timestamp", "--container-log-level",
	"--monitor-cgroup", "--libexec", "--create-timeout", "--start-timeout", "--kill-timeout",
	"--delete-timeout", "--create-hook", "--create-hook-timeout", "--log", "--log-format",
	"--service", "--service-idle",
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int is_name_char(char c, int first)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
		return 1;
	return !first && ((c >= '0' && c <= '9') || c == '.' || c == '-');
}

/* One NAME=value line (p..end, no newline): 1 and the name and value spans, 0 for a
 * blank or comment line, -1 for anything the client does not parse. */
static int parse_line(const char *p, const char *end, const char **name, size_t *nlen, const char **val,
		      size_t *vlen)
{
	const char *q;

	while (p < end && is_space(*p))
		p++;
	if (p == end || *p == '#')
		return 0;
	/* "export NAME=" (but "export=" names export) */
	if (end - p > 6 && memcmp(p, "export", 6) == 0 && is_space(p[6])) {
		q = p + 6;
		while (q < end && is_space(*q))
			q++;
		if (q < end && is_name_char(*q, 1))
			p = q;
	}
	if (!is_name_char(*p, 1))
		return -1;
	*name = p;
	while (p < end && is_name_char(*p, 0))
		p++;
	*nlen = (size_t)(p - *name);
	while (p < end && is_space(*p))
		p++;
	if (p == end || *p != '=')
		return -1;
	p++;
	while (p < end && is_space(*p))
		p++;
	if (p < end && (*p == '\'' || *p == '"')) {
		char quote = *p++;
		*val = p;
		q = memchr(p, quote, (size_t)(end - p));
		if (!q)
			return -1; /* unterminated or multi-line: not the client's to parse */
		*vlen = (size_t)(q - p);
		/* dotenv expands escapes in "..." */
		if (quote == '"' && memchr(p, '\\', *vlen))
			return -1;
		for (q++; q < end && is_space(*q); q++)
			;
		return q == end || *q == '#' ? 1 : -1;
	}
	if (p < end && *p == '`')
		return -1;
	/* Unquoted: up to a '#', trimmed. */
	*val = p;
	q = memchr(p, '#', (size_t)(end - p));
	if (!q)
		q = end;
	while (q > p && is_space(q[-1]))
		q--;
	*vlen = (size_t)(q - p);
	return 1;
}

int clientconf_env_file_value(const char *text, size_t len, const char *name, char *out, size_t cap)
{
	const char *p = text, *end = text + len;
	size_t want = strlen(name);
	int found = 0;

	if (memchr(text, '\0', len))
		return -1;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *n, *v;
		size_t nlen, vlen;
		int r;

		if (!eol)
			eol = end;
		r = parse_line(p, eol, &n, &nlen, &v, &vlen);
		if (r < 0)
			return -1;
		if (r == 1 && nlen == want && memcmp(n, name, want) == 0) {
			if (vlen >= cap)
				return -1;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			found = vlen > 0;
		}
		p = eol + 1;
	}
	return found;
}

/* The environment file's text into buf: its length, 0 for a missing file, -1 if it
 * cannot be read (not a regular file, too large, ...): unknown. */
static ssize_t read_env_file(char *buf, size_t cap)
{
	const char *named = getenv("LXCRI_ENV_FILE");
	const char *path = named && *named ? named : CLIENTCONF_DEFAULT_ENV_FILE;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	size_t n = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size >= (off_t)cap) {
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (r > 0 && n + (size_t)r >= cap)) {
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	return (ssize_t)n;
}

/* The value of --flag V / --flag=V: 1 and *val when given (the first before "--"), 0 if not. */
static int flag_value(int argc, char *const argv[], const char *flag, const char **val)
{
	size_t len = strlen(flag);

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], flag, len) != 0)
			continue;
		if (argv[i][len] == '=') {
			*val = argv[i] + len + 1;
			return 1;
		}
		if (argv[i][len] == '\0' && i + 1 < argc) {
			*val = argv[i + 1];
			return 1;
		}
	}
	return 0;
}

/* Commands that touch no container: run in-process, so that --help or a bundle's starter
 * config never starts a service (nor makes the default root); and the service itself. */
static const char *const in_process_words[] = { "service", "spec", "features", "help" };

static int help_flag(const char *a)
{
	return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* Help asked for after the command word (before a literal --). */
static int help_after(int argc, char *const argv[], int i)
{
	for (i++; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (help_flag(argv[i]))
			return 1;
	return 0;
}

/* Commands that make the root dir: for the others a missing root means no container,
 * which an in-process call says as quickly as a service could (none is started for it). */
static int makes_root(const char *word)
{
	return strcmp(word, "create") == 0 || strcmp(word, "run") == 0;
}

/* A call the client never forwards: none, --version, help, or a command of
 * in_process_words (the first word that is neither a flag nor a value flag's value).
 * *creates: the command makes the root dir. */
static int never_forwarded(int argc, char *const argv[], int *creates, int *service)
{
	*creates = 0;
	*service = 0;
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return 0;
		if (strcmp(a, "--version") == 0 || help_flag(a))
			return 1;
		if (a[0] != '-') {
			*service = strcmp(a, "service") == 0;
			for (size_t w = 0; w < sizeof(in_process_words) / sizeof(in_process_words[0]); w++)
				if (strcmp(a, in_process_words[w]) == 0)
					return 1;
			*creates = makes_root(a);
			return help_after(argc, argv, i);
		}
		if (strchr(a, '='))
			continue;
		for (size_t f = 0; f < sizeof(value_flags) / sizeof(value_flags[0]); f++) {
			if (strcmp(a, value_flags[f]) == 0) {
				i++;
				break;
			}
		}
	}
	return 0;
}

/* A setting: flag > environment > environment file > default, empty values unset. The
 * file is read once, when the first setting needs it. */
struct env_file {
	int state; /* 0 unread, 1 read, -1 unknown */
	char text[CLIENTCONF_MAX_ENV_FILE];
	size_t len;
};

static const char *setting(int argc, char *const argv[], const char *flag, const char *env, struct env_file *f,
			   char *buf, size_t cap)
{
	const char *v;

	if (flag_value(argc, argv, flag, &v) && *v)
		return v;
	v = getenv(env);
	if (v && *v)
		return v;
	if (f->state == 0) {
		ssize_t n = read_env_file(f->text, sizeof(f->text));
		f->state = n < 0 ? -1 : 1;
		f->len = n < 0 ? 0 : (size_t)n;
	}
	if (f->state == 1 && clientconf_env_file_value(f->text, f->len, env, buf, cap) == 1)
		return buf;
	return NULL;
}

void clientconf_resolve(struct clientconf *c, int argc, char *const argv[])
{
	static struct env_file file;
	char mode[16];
	const char *v;

	c->root[0] = '\0';
	c->mode = CLIENTCONF_LOCAL;
	c->preserve_fds = 0;
	c->service_idle = NULL;
	file.state = 0;
	if (never_forwarded(argc, argv, &c->makes_root, &c->is_service))
		return;

	v = setting(argc, argv, "--service", "LXCRI_SERVICE", &file, mode, sizeof(mode));
	if (!v || strcmp(v, "auto") == 0)
		c->mode = CLIENTCONF_AUTO;
	else if (strcmp(v, "on") == 0)
		c->mode = CLIENTCONF_ON;
	else if (strcmp(v, "off") == 0)
		c->mode = CLIENTCONF_OFF;
	if (c->mode == CLIENTCONF_OFF || c->mode == CLIENTCONF_LOCAL)
		return;

	v = setting(argc, argv, "--root", "LXCRI_ROOT", &file, c->root, sizeof(c->root));
	if (!v)
		v = CLIENTCONF_DEFAULT_ROOT;
	if (v != c->root && snprintf(c->root, sizeof(c->root), "%s", v) >= (int)sizeof(c->root)) {
		c->mode = CLIENTCONF_LOCAL;
		return;
	}
	/* Relative to the caller's cwd, as the CLI takes it (the service it starts runs in /). */
	if (c->root[0] != '/') {
		char cwd[PATH_MAX], rel[PATH_MAX];

		memcpy(rel, c->root, sizeof(rel));
		if (!getcwd(cwd, sizeof(cwd)) ||
		    snprintf(c->root, sizeof(c->root), "%s/%s", strcmp(cwd, "/") ? cwd : "", rel) >= (int)sizeof(c->root)) {
			c->mode = CLIENTCONF_LOCAL;
			return;
		}
	}

	if (flag_value(argc, argv, "--preserve-fds", &v)) {
		long n = 0;
		const char *p = v;

		/* Digits only, within what a message carries: else the CLI reports it. */
		for (; *p >= '0' && *p <= '9' && n <= SVC_MAX_FDS; p++)
			n = n * 10 + (*p - '0');
		if (p == v || *p || n > SVC_MAX_FDS - 3) {
			c->mode = CLIENTCONF_LOCAL;
			return;
		}
		c->preserve_fds = (int)n;
	}
	if (flag_value(argc, argv, "--service-idle", &v))
		c->service_idle = v;
}
