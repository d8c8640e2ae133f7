/*
 * The C helpers' unit tests' one assertion macro and the little they share (no
 * framework). A test program runs its checks, each failure one line on stderr with
 * file, line and what was wanted, and ends with check_done(): exit status 1 if any
 * check failed.
 */
#ifndef LXCRI_TESTS_CHECK_H
#define LXCRI_TESTS_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int check_count, check_failed;

static inline void check_report(int ok, const char *file, int line, const char *what, const char *got,
				const char *want)
{
	check_count++;
	if (ok)
		return;
	check_failed++;
	if (got)
		fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", file, line, what, got, want);
	else
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", file, line, what);
}

#define CHECK(cond) check_report(!!(cond), __FILE__, __LINE__, #cond, NULL, NULL)
/* Two strings (NULL stands for "(null)"), compared and both shown on failure. */
#define CHECK_STR(got, want)                                                                    \
	do {                                                                                    \
		const char *got_ = (got), *want_ = (want);                                      \
		check_report(got_ && want_ ? strcmp(got_, want_) == 0 : got_ == want_, __FILE__, \
			     __LINE__, #got, got_ ? got_ : "(null)", want_ ? want_ : "(null)");    \
	} while (0)

static inline int check_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failed);
	return check_failed ? 1 : 0;
}

/* Run fn(arg) in a child (the helpers' errors end the process) with its stderr in out
 * (cap bytes, trailing newlines dropped). Returns its exit status, or -1 if it did not
 * exit normally (or could not be run). */
static inline int check_child(void (*fn)(void *), void *arg, char *out, size_t cap)
{
	int pipefd[2], status;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	out[0] = '\0';
	if (pipe(pipefd) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(pipefd[0]);
		if (dup2(pipefd[1], STDERR_FILENO) < 0)
			_exit(126);
		fn(arg);
		_exit(0);
	}
	close(pipefd[1]);
	while (n + 1 < cap && (r = read(pipefd[0], out + n, cap - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		n += (size_t)r;
	}
	close(pipefd[0]);
	while (n > 0 && out[n - 1] == '\n')
		n--;
	out[n] = '\0';
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static char check_tmp[64];
static pid_t check_tmp_owner;

static inline void check_rm_tree(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* Also when a check ends the test early (a helper's error exits); not in the children
 * of check_child, which exit too. */
static void check_rm_tmp(void)
{
	if (check_tmp[0] && getpid() == check_tmp_owner)
		check_rm_tree(check_tmp);
}

/* A fresh directory under /tmp, removed when the test exits; exits if it cannot be made. */
static inline char *check_tmpdir(char *buf, size_t cap)
{
	snprintf(check_tmp, sizeof(check_tmp), "/tmp/lxcri-ctest.XXXXXX");
	if (!mkdtemp(check_tmp) || atexit(check_rm_tmp) != 0) {
		perror("mkdtemp");
		exit(2);
	}
	check_tmp_owner = getpid();
	snprintf(buf, cap, "%s", check_tmp);
	return buf;
}

#endif
