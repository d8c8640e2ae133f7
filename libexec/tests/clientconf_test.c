/* clientconf.c: the environment file's grammar and the precedence flag > environment >
 * environment file > default of root, mode and --preserve-fds. */
#include <stdarg.h>
#include <sys/stat.h>

#include "check.h"
#include "clientconf.h"

static char out[256];
static int value(const char *text, const char *name)
{
	return clientconf_env_file_value(text, strlen(text), name, out, sizeof(out));
}

static void env_file_grammar(void)
{
	CHECK(value("LXCRI_ROOT=/a\n", "LXCRI_ROOT") == 1);
	CHECK_STR(out, "/a");
	CHECK(value("# c\n\n  export  LXCRI_ROOT = /b  # note\r\nX=1", "LXCRI_ROOT") == 1);
	CHECK_STR(out, "/b");
	CHECK(value("LXCRI_ROOT='/c d' # q\n", "LXCRI_ROOT") == 1);
	CHECK_STR(out, "/c d");
	CHECK(value("LXCRI_ROOT=\"/e#f\"\n", "LXCRI_ROOT") == 1);
	CHECK_STR(out, "/e#f");
	CHECK(value("LXCRI_ROOT=/g#h\n", "LXCRI_ROOT") == 1); /* dotenv: '#' ends a bare value */
	CHECK_STR(out, "/g");
	/* the last assignment counts; an empty one is unset */
	CHECK(value("LXCRI_ROOT=/x\nLXCRI_ROOT=/y\n", "LXCRI_ROOT") == 1);
	CHECK_STR(out, "/y");
	CHECK(value("LXCRI_ROOT=/x\nLXCRI_ROOT=\n", "LXCRI_ROOT") == 0);
	CHECK(value("LXCRI_ROOT=''\n", "LXCRI_ROOT") == 0);
	CHECK(value("LXCRI_ROOTS=/x\nXLXCRI_ROOT=/y\n", "LXCRI_ROOT") == 0);
	CHECK(value("export=1\nLXCRI_SERVICE=on", "LXCRI_SERVICE") == 1);
	CHECK_STR(out, "on");
	CHECK(value("", "LXCRI_ROOT") == 0);
	/* what the client does not parse: the whole file is unknown */
	CHECK(value("LXCRI_ROOT=/a\nnot a line\n", "LXCRI_ROOT") == -1);
	CHECK(value("LXCRI_ROOT='/a\n/b'\n", "LXCRI_ROOT") == -1);
	CHECK(value("LXCRI_ROOT='/a' b\n", "LXCRI_ROOT") == -1);
	CHECK(value("LXCRI_ROOT=\"/a\\n\"\n", "LXCRI_ROOT") == -1);
	CHECK(value("LXCRI_ROOT=`/a`\n", "LXCRI_ROOT") == -1);
	CHECK(value("1X=2\n", "LXCRI_ROOT") == -1);
	CHECK(clientconf_env_file_value("LXCRI_ROOT=/a\0b", 15, "LXCRI_ROOT", out, sizeof(out)) == -1);
	CHECK(clientconf_env_file_value("LXCRI_ROOT=/abc", 15, "LXCRI_ROOT", out, 4) == -1);
}

static char envfile[512];
static struct clientconf c;

static void put_file(const char *text)
{
	FILE *f = fopen(envfile, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(envfile);
		exit(2);
	}
}

/* Resolve argv (NULL-terminated, after the program name). */
static void resolve(const char *first, ...)
{
	char *argv[32] = { "lxcri" };
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	clientconf_resolve(&c, argc, argv);
}

static void precedence(void)
{
	char dir[64];

	check_tmpdir(dir, sizeof(dir));
	snprintf(envfile, sizeof(envfile), "%s/env", dir);
	setenv("LXCRI_ENV_FILE", envfile, 1);
	unsetenv("LXCRI_ROOT");
	unsetenv("LXCRI_SERVICE");

	/* a missing file: the defaults */
	resolve("state", "x", NULL);
	CHECK_STR(c.root, "/run/lxcri");
	CHECK(c.mode == CLIENTCONF_AUTO && c.preserve_fds == 0 && c.service_idle == NULL);

	put_file("LXCRI_ROOT=/f\nexport LXCRI_SERVICE=\"on\"\n");
	resolve("state", "x", NULL);
	CHECK_STR(c.root, "/f");
	CHECK(c.mode == CLIENTCONF_ON);
	setenv("LXCRI_ROOT", "/e", 1);
	setenv("LXCRI_SERVICE", "auto", 1);
	resolve("state", "x", NULL);
	CHECK_STR(c.root, "/e");
	CHECK(c.mode == CLIENTCONF_AUTO);
	setenv("LXCRI_ROOT", "", 1); /* empty: unset */
	resolve("state", "x", NULL);
	CHECK_STR(c.root, "/f");
	resolve("--root", "/a", "state", "--root=/b", "x", NULL); /* the first flag */
	CHECK_STR(c.root, "/a");
	CHECK(chdir(dir) == 0);
	resolve("--root", "rel/r", "state", "x", NULL);
	snprintf(envfile, sizeof(envfile), "%s/rel/r", dir);
	CHECK_STR(c.root, envfile);
	CHECK(chdir("/") == 0);
	resolve("--root", "rel", "state", "x", NULL);
	CHECK_STR(c.root, "/rel");
	snprintf(envfile, sizeof(envfile), "%s/env", dir);
	resolve("--root=", "state", "x", NULL);
	CHECK_STR(c.root, "/f");
	resolve("exec", "x", "--", "sh", "--root", "/z", NULL);
	CHECK_STR(c.root, "/f");
	resolve("--service", "off", "state", "x", NULL);
	CHECK(c.mode == CLIENTCONF_OFF);
	resolve("--service=bogus", "state", "x", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	setenv("LXCRI_SERVICE", "ON", 1);
	resolve("state", "x", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	unsetenv("LXCRI_SERVICE");

	/* an unparseable file: unknown, so the defaults */
	put_file("LXCRI_ROOT=/f\nLXCRI_SERVICE=off\noops\n");
	resolve("state", "x", NULL);
	CHECK_STR(c.root, "/run/lxcri");
	CHECK(c.mode == CLIENTCONF_AUTO);
	unlink(envfile);
	CHECK(mkdir(envfile, 0700) == 0); /* not a regular file */
	resolve("state", "x", NULL);
	CHECK(c.mode == CLIENTCONF_AUTO);
	CHECK_STR(c.root, "/run/lxcri");
	rmdir(envfile);
	unsetenv("LXCRI_ENV_FILE");
}

static void flags(void)
{
	resolve("exec", "--preserve-fds", "2", "x", "sh", NULL);
	CHECK(c.mode == CLIENTCONF_AUTO && c.preserve_fds == 2);
	resolve("exec", "--preserve-fds=61", "x", "sh", NULL);
	CHECK(c.mode == CLIENTCONF_AUTO && c.preserve_fds == 61);
	resolve("exec", "--preserve-fds=62", "x", "sh", NULL); /* more than a message carries */
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("exec", "--preserve-fds", "1x", "x", "sh", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("exec", "x", "--", "sh", "--preserve-fds", "99", NULL);
	CHECK(c.mode == CLIENTCONF_AUTO && c.preserve_fds == 0);
	resolve("--service-idle", "30", "state", "x", NULL);
	CHECK_STR(c.service_idle, "30");
	/* calls never forwarded */
	resolve(NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("--version", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("--root", "/r", "--log-level", "debug", "service", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("--debug", "service", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL && c.is_service);
	resolve("--root", "/r", "spec", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL && !c.is_service);
	resolve("state", "service", NULL); /* a container named service */
	CHECK(c.mode == CLIENTCONF_AUTO);
	resolve("exec", "x", "--", "sh", "--version", NULL);
	CHECK(c.mode == CLIENTCONF_AUTO);
	/* informational commands and help: in-process (no service started, no root made) */
	resolve("--root", "/r", "spec", "--bundle", "b", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("features", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("--help", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("checkpoint", "--help", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("create", "-h", NULL);
	CHECK(c.mode == CLIENTCONF_LOCAL);
	resolve("state", "spec", NULL); /* a container named spec */
	CHECK(c.mode == CLIENTCONF_AUTO);
	resolve("exec", "x", "--", "ls", "-h", NULL);
	CHECK(c.mode == CLIENTCONF_AUTO);
	/* which commands make the root dir */
	resolve("--root", "/r", "create", "--bundle", "b", "x", NULL);
	CHECK(c.mode == CLIENTCONF_AUTO && c.makes_root);
	resolve("run", "-d", "x", NULL);
	CHECK(c.makes_root);
	resolve("state", "create", NULL);
	CHECK(c.mode == CLIENTCONF_AUTO && !c.makes_root);
	resolve("list", NULL);
	CHECK(!c.makes_root);
}

int main(void)
{
	env_file_grammar();
	precedence();
	flags();
	return check_done("clientconf");
}
