/*
 * The container's seccomp filter: compiled by libseccomp (linked statically into
 * lxcri-init) from the profile file lxcri writes (src/lxc/seccomp.ts), exported as
 * BPF while nothing is filtered yet, and installed later with one seccomp(2) call.
 *
 * Why libseccomp rather than BPF built in TypeScript: it already knows every
 * architecture's syscall table, the compat architectures of a machine and the
 * multiplexed calls (socketcall, ipc on x86), which a hand-made generator would
 * have to duplicate. Why export rather than seccomp_load(): seccomp_load() sets
 * NO_NEW_PRIVS itself and frees memory after the load (munmap under the filter);
 * the raw call leaves execve as the only syscall after the filter is in place (and,
 * with a seccomp agent, the sendmsg that hands it the notification fd).
 *
 * Profile, one directive a line, tokens separated by one space:
 *   default ACTION
 *   arch NAME                      libseccomp's name (x86_64, x86, x32, aarch64, ...)
 *   flag log|spec_allow|tsync|wait_killable_recv   SECCOMP_FILTER_FLAG_* for seccomp(2)
 *   listener                       a notification fd for the seccomp agent
 *   rule SYSCALL ACTION [ARG]...   ARG: INDEX:OP:VALUE[:VALUE2], all ANDed
 * ACTION: allow, kill_thread, kill_process, trap, log, notify, errno:N, trace:N.
 * OP: ne lt le eq ge gt masked_eq (VALUE the mask, VALUE2 the datum, as OCI's).
 * A syscall name this libseccomp does not know is skipped, as runc does.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "boundedread.h"
#include "seccompfilter.h"
#include "util.h"

#define MAX_TOKENS 16
#define MAX_ERRNO 0xffff

/* err = "lxcri-init: seccomp: " and the NULL-terminated parts (truncated to cap). */
static void set_err_parts(char *err, size_t cap, const char **parts)
{
	static const char prefix[] = "lxcri-init: seccomp: ";
	size_t len = 0;

	for (const char *p = prefix; p; p = *parts++) {
		size_t n = strlen(p);
		if (n > cap - 1 - len)
			n = cap - 1 - len;
		memcpy(err + len, p, n);
		len += n;
	}
	err[len] = '\0';
}

#define set_err(err, cap, ...) set_err_parts(err, cap, (const char *[]){ __VA_ARGS__, NULL })

static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end || *v > max ? -1 : 0;
}

static int parse_action(const char *tok, uint32_t *act)
{
	uint64_t n;

	if (strcmp(tok, "allow") == 0)
		*act = SCMP_ACT_ALLOW;
	else if (strcmp(tok, "kill_thread") == 0)
		*act = SCMP_ACT_KILL_THREAD;
	else if (strcmp(tok, "kill_process") == 0)
		*act = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(tok, "trap") == 0)
		*act = SCMP_ACT_TRAP;
	else if (strcmp(tok, "log") == 0)
		*act = SCMP_ACT_LOG;
	else if (strcmp(tok, "notify") == 0)
		*act = SCMP_ACT_NOTIFY;
	else if (strncmp(tok, "errno:", 6) == 0 && parse_u64(tok + 6, MAX_ERRNO, &n) == 0)
		*act = SCMP_ACT_ERRNO((uint32_t)n);
	else if (strncmp(tok, "trace:", 6) == 0 && parse_u64(tok + 6, MAX_ERRNO, &n) == 0)
		*act = SCMP_ACT_TRACE((uint32_t)n);
	else
		return -1;
	return 0;
}

static const struct {
	const char *name;
	enum scmp_compare op;
} OPS[] = {
	{ "ne", SCMP_CMP_NE }, { "lt", SCMP_CMP_LT }, { "le", SCMP_CMP_LE },	     { "eq", SCMP_CMP_EQ },
	{ "ge", SCMP_CMP_GE }, { "gt", SCMP_CMP_GT }, { "masked_eq", SCMP_CMP_MASKED_EQ },
};

/* "INDEX:OP:VALUE[:VALUE2]"; tok is modified. */
static int parse_cond(char *tok, struct scmp_arg_cmp *c)
{
	char *f[4] = { tok };
	int nf = 1;
	uint64_t index;

	for (char *p = tok; *p; p++)
		if (*p == ':') {
			if (nf == 4)
				return -1;
			*p = '\0';
			f[nf++] = p + 1;
		}
	if (nf < 3 || parse_u64(f[0], 5, &index) < 0)
		return -1;
	c->arg = (unsigned int)index;
	c->datum_b = 0;
	if (parse_u64(f[2], UINT64_MAX, &c->datum_a) < 0 || (nf == 4 && parse_u64(f[3], UINT64_MAX, &c->datum_b) < 0))
		return -1;
	for (size_t i = 0; i < sizeof(OPS) / sizeof(OPS[0]); i++)
		if (strcmp(f[1], OPS[i].name) == 0) {
			c->op = OPS[i].op;
			return 0;
		}
	return -1;
}

static int tokenize(char *line, char **tok)
{
	int n = 0;

	for (char *save = NULL, *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = t;
	}
	return n;
}

/* The compiled profile: far below this (config.json itself is bounded at 16 MiB). */
#define PROFILE_MAX (64U << 20)

/* errno for compile_text's message from read_bounded's *err. */
static char *bounded_errno(char *buf, int err)
{
	if (!buf)
		errno = err == READ_TOO_LARGE ? EFBIG : err == READ_NOT_REGULAR ? EINVAL : err;
	return buf;
}

/* The whole of fd, which is closed. */
static char *read_fd(int fd)
{
	size_t len;
	int err = 0;
	char *buf = read_bounded_fd(fd, PROFILE_MAX, &len, &err);

	close(fd);
	return bounded_errno(buf, err);
}

/* A regular file only, never through a symlink (the init dir's file). */
static char *read_text(const char *path)
{
	size_t len;
	int err = 0;

	return bounded_errno(read_bounded(path, O_NOFOLLOW, PROFILE_MAX, &len, &err), err);
}

/* One directive; 0, or -1 with err set. */
static int apply(scmp_filter_ctx ctx, char **tok, int n, struct seccomp_filter *out, char *err, size_t cap)
{
	unsigned int *flags = &out->flags;
	int rc;

	if (strcmp(tok[0], "listener") == 0 && n == 1) {
		out->listener = 1;
		*flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		return 0;
	}
	if (strcmp(tok[0], "arch") == 0 && n == 2) {
		uint32_t arch = seccomp_arch_resolve_name(tok[1]);
		if (arch == 0) {
			set_err(err, cap, "unknown architecture ", tok[1]);
			return -1;
		}
		rc = seccomp_arch_add(ctx, arch);
		if (rc < 0 && rc != -EEXIST) {
			set_err(err, cap, "add architecture ", tok[1], ": ", strerror(-rc));
			return -1;
		}
		return 0;
	}
	if (strcmp(tok[0], "flag") == 0 && n == 2) {
		if (strcmp(tok[1], "log") == 0)
			*flags |= SECCOMP_FILTER_FLAG_LOG;
		else if (strcmp(tok[1], "spec_allow") == 0)
			*flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
		else if (strcmp(tok[1], "tsync") == 0)
			*flags |= SECCOMP_FILTER_FLAG_TSYNC;
		else if (strcmp(tok[1], "wait_killable_recv") == 0)
			*flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		else
			goto malformed;
		return 0;
	}
	if (strcmp(tok[0], "rule") == 0 && n >= 3 && n <= 3 + 6) {
		struct scmp_arg_cmp conds[6];
		uint32_t act;
		int nr = seccomp_syscall_resolve_name(tok[1]);

		if (parse_action(tok[2], &act) < 0)
			goto malformed;
		for (int i = 3; i < n; i++)
			if (parse_cond(tok[i], &conds[i - 3]) < 0)
				goto malformed;
		if (nr == __NR_SCMP_ERROR)
			return 0; /* not a syscall this libseccomp knows */
		rc = seccomp_rule_add_array(ctx, act, nr, (unsigned int)(n - 3), conds);
		if (rc < 0) {
			set_err(err, cap, "rule for ", tok[1], ": ", strerror(-rc));
			return -1;
		}
		return 0;
	}
malformed:
	set_err(err, cap, "malformed directive \"", tok[0], "\"");
	return -1;
}

/* The BPF program libseccomp generates, read back from a memfd. */
static int export_bpf(scmp_filter_ctx ctx, struct seccomp_filter *out, char *err, size_t cap)
{
	int fd = memfd_create("lxcri-seccomp", MFD_CLOEXEC);
	off_t size;
	int rc;

	if (fd < 0) {
		set_err(err, cap, "memfd_create: ", strerror(errno));
		return -1;
	}
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		set_err(err, cap, "generate the filter: ", strerror(-rc));
		goto fail;
	}
	size = lseek(fd, 0, SEEK_END);
	if (size < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		set_err(err, cap, "read the filter: ", strerror(errno));
		goto fail;
	}
	if (size == 0 || size % (off_t)sizeof(struct sock_filter) ||
	    size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS) {
		set_err(err, cap, "the filter is longer than the kernel's limit of 4096 instructions");
		goto fail;
	}
	out->insns = malloc((size_t)size);
	if (!out->insns) {
		set_err(err, cap, "read the filter: ", strerror(ENOMEM));
		goto fail;
	}
	for (off_t n = 0; n < size;) {
		ssize_t r = read(fd, (char *)out->insns + n, (size_t)(size - n));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			set_err(err, cap, "read the filter: ", r < 0 ? strerror(errno) : "short read");
			free(out->insns);
			out->insns = NULL;
			goto fail;
		}
		n += r;
	}
	out->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	close(fd);
	return 0;
fail:
	close(fd);
	return -1;
}

static int compile_text(char *text, const char *path, struct seccomp_filter *out, char *err, size_t cap);

int seccomp_compile(const char *path, struct seccomp_filter *out, char *err, size_t cap)
{
	return compile_text(read_text(path), path, out, err, cap);
}

int seccomp_compile_fd(int fd, const char *name, struct seccomp_filter *out, char *err, size_t cap)
{
	return compile_text(read_fd(fd), name, out, err, cap);
}

/* Compile text (NULL: reading path failed, with errno), which is freed. */
static int compile_text(char *text, const char *path, struct seccomp_filter *out, char *err, size_t cap)
{
	char *line, *save = NULL;
	scmp_filter_ctx ctx = NULL;
	int ret = -1;

	out->insns = NULL;
	out->len = 0;
	out->flags = 0;
	out->listener = 0;
	if (!text) {
		set_err(err, cap, "read ", path, ": ", strerror(errno));
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tok[MAX_TOKENS];
		int n = tokenize(line, tok);

		if (n <= 0) {
			set_err(err, cap, "malformed line");
			goto done;
		}
		if (!ctx) {
			uint32_t def;
			if (strcmp(tok[0], "default") != 0 || n != 2 || parse_action(tok[1], &def) < 0) {
				set_err(err, cap, "the profile must start with its default action");
				goto done;
			}
			ctx = seccomp_init(def);
			if (!ctx) {
				set_err(err, cap, "seccomp_init failed");
				goto done;
			}
			continue;
		}
		if (apply(ctx, tok, n, out, err, cap) < 0)
			goto done;
	}
	if (!ctx) {
		set_err(err, cap, "empty profile");
		goto done;
	}
	/* The kernel takes TSYNC with a listener only with TSYNC_ESRCH (as libseccomp adds it). */
	if ((out->flags & SECCOMP_FILTER_FLAG_TSYNC) && out->listener)
		out->flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	/* A flag this kernel lacks would fail only the load, after start: probe it now
	 * (a NULL program with known flags fails with EFAULT, with unknown ones EINVAL). */
	if (out->flags && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, out->flags, NULL) < 0 && errno != EFAULT) {
		set_err(err, cap, "the filter flags (SECCOMP_FILTER_FLAG_*): ", strerror(errno));
		goto done;
	}
	ret = export_bpf(ctx, out, err, cap);
done:
	if (ctx)
		seccomp_release(ctx);
	free(text);
	return ret;
}

int seccomp_install(const struct seccomp_filter *f, int *notify_fd)
{
	struct sock_fprog prog = { .len = f->len, .filter = f->insns };
	long rc;

	*notify_fd = -1;
	if (!f->insns)
		return 0;
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->flags, &prog);
	if (rc >= 0) {
		if (f->listener)
			*notify_fd = (int)rc;
		return 0;
	}
	/* Kernels before 3.17 have only the prctl, which takes no flags. */
	if (errno == ENOSYS && f->flags == 0)
		return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
	return -1;
}

int seccomp_agent_connect(const char *path)
{
	return unix_connect(path);
}

int seccomp_agent_send(int sock, int notify_fd, const char *state, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)state, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	ssize_t n;

	memset(ctl.buf, 0, sizeof(ctl.buf));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &notify_fd, sizeof(int));
	/* One message: the agent reads the state and the fd together. */
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n >= 0 && (size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return n < 0 ? -1 : 0;
}
