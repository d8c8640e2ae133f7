/* execpath.c: the process's executable, working directory and HOME (see execpath.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "boundedread.h"
#include "execpath.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Files of the image (/etc/passwd): whatever the image author made them. */
#define IMAGE_FILE_LIMIT (4U << 20)

static const char *env_get(char **env, const char *key)
{
	size_t klen = strlen(key);
	for (; *env; env++)
		if (strncmp(*env, key, klen) == 0 && (*env)[klen] == '=')
			return *env + klen + 1;
	return NULL;
}

static char **env_add(char **env, const char *entry)
{
	size_t n = 0;
	char **bigger;

	while (env[n])
		n++;
	bigger = realloc(env, (n + 2) * sizeof(*env));
	if (!bigger)
		return NULL;
	bigger[n] = (char *)entry;
	bigger[n + 1] = NULL;
	return bigger;
}

/* Parse a decimal uid field ending at ':'; -1 if malformed. */
static long long parse_id(const char *s)
{
	long long v = 0;
	if (*s == ':')
		return -1;
	for (; *s != ':'; s++) {
		if (*s < '0' || *s > '9' || v > 0xffffffffLL)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Home directory of uid from /etc/passwd, or "/" (as runc does). The file
 * is parsed by hand: NSS does not work in a static binary. It is the image's:
 * only a regular file is read, and at most IMAGE_FILE_LIMIT of it; a missing or
 * unreadable one (the process user's) means no entry. */
static char *home_of(uid_t uid, struct failure *f)
{
	size_t len;
	int err = 0;
	char *buf = read_bounded("/etc/passwd", 0, IMAGE_FILE_LIMIT, &len, &err);
	char *home = NULL;

	if (!buf && err != ENOENT && err != ENOTDIR && err != EACCES) {
		FAIL(f, CODE_INTERNAL, "lxcri-init: read /etc/passwd (for HOME): ",
		     read_error(err, IMAGE_FILE_LIMIT));
		return NULL;
	}
	for (char *line = buf; line && *line;) {
		char *next = strchr(line, '\n');
		char *field[7] = { line };
		int nf = 1;

		if (next)
			*next++ = '\0';
		for (char *p = line; *p && nf < 7; p++)
			if (*p == ':')
				field[nf++] = p + 1;
		/* parse_id stops at ':', so field 2 must be followed by one. */
		if (nf == 7 && parse_id(field[2]) == (long long)uid) {
			size_t dlen = (size_t)(field[6] - field[5] - 1);
			if (dlen > 0)
				home = strndup(field[5], dlen);
			break;
		}
		line = next;
	}
	free(buf);
	return home ? home : strdup("/");
}

char **ensure_home(char **env, struct failure *f)
{
	char *home, *entry;
	char **bigger;

	if (env_get(env, "HOME"))
		return env;
	home = home_of(getuid(), f);
	if (f->code)
		return env;
	entry = home ? malloc(strlen(home) + 6) : NULL;
	if (!entry) {
		FAIL_SYS(f, "set", "HOME", ENOMEM);
		return env;
	}
	strcpy(entry, "HOME=");
	strcat(entry, home);
	free(home);
	bigger = env_add(env, entry);
	if (!bigger) {
		FAIL_SYS(f, "set", "HOME", ENOMEM);
		return env;
	}
	return bigger;
}

/* 0 if path is a regular file we may execute, else an errno value. */
static int check_executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return errno;
	return 0;
}

/* A path with a slash is used as is (relative to cwd), like execve does. */
static char *resolve_explicit(const char *path, struct failure *f)
{
	char ebuf[256];
	int err = check_executable(path);

	if (err == 0)
		return strdup(path);
	FAIL(f, (err == ENOENT || err == ENOTDIR) ? CODE_NOTFOUND : CODE_NOEXEC,
	     "exec: ", path, ": ", go_strerror(err, ebuf, sizeof(ebuf)));
	return NULL;
}

/* Search $PATH of the process env like Go's exec.LookPath (which runc
 * uses): the first regular, executable file wins; an empty element means
 * the current directory. */
static char *resolve_in_path(const char *name, char **env, struct failure *f)
{
	const char *path = env_get(env, "PATH");
	size_t nlen = strlen(name);

	if (!path)
		path = DEFAULT_PATH;
	for (const char *dir = path;; dir++) {
		const char *end = strchrnul(dir, ':');
		size_t dlen = (size_t)(end - dir);
		char *cand = malloc(dlen + nlen + 3);

		if (!cand) {
			FAIL_SYS(f, "resolve", name, ENOMEM);
			return NULL;
		}
		if (dlen == 0) {
			strcpy(cand, ".");
		} else {
			memcpy(cand, dir, dlen);
			cand[dlen] = '\0';
		}
		strcat(cand, "/");
		strcat(cand, name);
		if (check_executable(cand) == 0)
			return cand;
		free(cand);
		if (*end == '\0')
			break;
		dir = end;
	}
	FAIL(f, CODE_NOTFOUND, "exec: \"", name, "\": executable file not found in $PATH");
	return NULL;
}

char *resolve(const char *arg0, char **env, struct failure *f)
{
	if (strchr(arg0, '/'))
		return resolve_explicit(arg0, f);
	return resolve_in_path(arg0, env, f);
}

void change_dir(const char *cwd, struct failure *f)
{
	if (cwd[0] == '\0')
		cwd = "/";
	if (chdir(cwd) < 0)
		FAIL_SYS(f, "chdir", cwd, errno);
}

