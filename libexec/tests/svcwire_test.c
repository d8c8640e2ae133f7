/* svcwire.c: messages round trip with their fds; the bounds; every malformed record is
 * refused with its fds closed; EOF. */
#include <fcntl.h>
#include <limits.h>
#include <sys/socket.h>

#include "check.h"
#include "svcwire.h"

static struct svcmsg m, r;
static int sv[2];

static void pair(void)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("socketpair");
		exit(2);
	}
}

static void unpair(void)
{
	close(sv[0]);
	close(sv[1]);
}

/* Is the pipe's read end at EOF (every write end closed)? */
static int pipe_eof(int rfd)
{
	char b;
	int fl = fcntl(rfd, F_GETFL);
	ssize_t n;

	fcntl(rfd, F_SETFL, fl | O_NONBLOCK);
	n = read(rfd, &b, 1);
	fcntl(rfd, F_SETFL, fl);
	return n == 0;
}

static void round_trip(void)
{
	struct svcread rd;
	long long v;
	int p[2];
	char b[8] = "";

	pair();
	CHECK(pipe(p) == 0);
	svcmsg_start(&m, SVC_MSG_SPAWN);
	svcmsg_str(&m, "t1");
	svcmsg_str(&m, "");
	svcmsg_num(&m, -42);
	svcmsg_fd(&m, p[1]);
	svcmsg_fd(&m, 0);
	CHECK(svcwire_send(sv[0], &m) == 0);
	CHECK(svcwire_recv(sv[1], &r) == 1);
	CHECK(r.data[0] == SVC_MSG_SPAWN && r.len == 1 + 3 + 1 + 4);
	CHECK(r.nfds == 2);
	svcread_start(&rd, &r);
	CHECK_STR(svcread_str(&rd), "t1");
	CHECK_STR(svcread_str(&rd), "");
	CHECK(!svcread_done(&rd));
	CHECK(svcread_num(&rd, -100, 100, &v) == 0 && v == -42);
	CHECK(svcread_done(&rd));
	CHECK(svcread_str(&rd) == NULL);
	CHECK(svcread_num(&rd, 0, 1, &v) == -1); /* missing */
	/* the received fd is the pipe's write end, close-on-exec */
	CHECK(r.fds[0] != p[1] && (fcntl(r.fds[0], F_GETFD) & FD_CLOEXEC));
	CHECK(write(r.fds[0], "hi", 2) == 2 && read(p[0], b, sizeof(b)) == 2 && memcmp(b, "hi", 2) == 0);
	svcmsg_close_fds(&r);
	close(p[1]);
	CHECK(pipe_eof(p[0]));
	close(p[0]);

	/* a message of its type alone */
	svcmsg_start(&m, SVC_MSG_LOCAL);
	CHECK(svcwire_send(sv[0], &m) == 0);
	CHECK(svcwire_recv(sv[1], &r) == 1 && r.len == 1 && r.nfds == 0);
	svcread_start(&rd, &r);
	CHECK(svcread_done(&rd) && svcread_str(&rd) == NULL);
	unpair();
}

static void numbers(void)
{
	struct svcread rd;
	long long v;
	const char *fields[] = { "12", "x", "", "1x", "-", "99999999999999999999", " 1", "+1" };

	svcmsg_start(&m, SVC_MSG_KILL);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		svcmsg_str(&m, fields[i]);
	svcread_start(&rd, &m);
	CHECK(svcread_num(&rd, 0, 10, &v) == -1); /* 12 > max */
	for (size_t i = 1; i < sizeof(fields) / sizeof(fields[0]); i++)
		CHECK(svcread_num(&rd, LLONG_MIN, LLONG_MAX, &v) == -1);
	svcmsg_start(&m, SVC_MSG_KILL);
	svcmsg_str(&m, "10");
	svcread_start(&rd, &m);
	CHECK(svcread_num(&rd, 0, 10, &v) == 0 && v == 10);
}

static void bounds(void)
{
	static char big[SVC_MAX_MSG + 1];

	pair();
	/* exactly SVC_MAX_MSG bytes: type, SVC_MAX_MSG-2 bytes and the NUL */
	memset(big, 'a', SVC_MAX_MSG - 2);
	big[SVC_MAX_MSG - 2] = '\0';
	svcmsg_start(&m, SVC_MSG_EXIT);
	svcmsg_str(&m, big);
	CHECK(!m.overflow && m.len == SVC_MAX_MSG);
	CHECK(svcwire_send(sv[0], &m) == 0);
	CHECK(svcwire_recv(sv[1], &r) == 1 && r.len == SVC_MAX_MSG);
	/* one byte more does not fit; nor does a field after it */
	big[SVC_MAX_MSG - 2] = 'a';
	big[SVC_MAX_MSG - 1] = '\0';
	svcmsg_start(&m, SVC_MSG_EXIT);
	svcmsg_str(&m, big);
	CHECK(m.overflow);
	svcmsg_str(&m, "");
	errno = 0;
	CHECK(svcwire_send(sv[0], &m) == -1 && errno == EMSGSIZE);
	svcmsg_start(&m, SVC_MSG_EXIT);
	for (int i = 0; i < SVC_MAX_FDS; i++)
		svcmsg_fd(&m, 0);
	CHECK(!m.overflow);
	svcmsg_fd(&m, 0);
	CHECK(m.overflow);
	CHECK(svcwire_send(sv[0], &m) == -1 && errno == EMSGSIZE);
	unpair();
}

/* Send raw bytes with nfds copies of fd. */
static void send_raw(const char *data, size_t len, int fd, int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * (SVC_MAX_FDS + 8))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (nfds) {
		struct cmsghdr *c;
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		for (int i = 0; i < nfds; i++)
			memcpy(CMSG_DATA(c) + i * sizeof(int), &fd, sizeof(int));
	}
	if (sendmsg(sv[0], &mh, 0) != (ssize_t)len) {
		perror("sendmsg");
		exit(2);
	}
}

/* A raw record with a pipe's write end: malformed, and the received copies closed. */
static void refused(const char *what, const char *data, size_t len, int nfds)
{
	int p[2];

	if (pipe(p) < 0)
		exit(2);
	send_raw(data, len, p[1], nfds);
	close(p[1]);
	if (svcwire_recv(sv[1], &r) != SVCWIRE_MALFORMED)
		fprintf(stderr, "not refused: %s\n", what);
	CHECK(r.nfds == 0);
	if (!pipe_eof(p[0]))
		fprintf(stderr, "fd left open: %s\n", what);
	CHECK(pipe_eof(p[0]));
	close(p[0]);
}

static void malformed(void)
{
	static char big[SVC_MAX_MSG + 2];
	int one = 1;

	pair();
	refused("a field without its NUL", "Xabc", 4, 1);
	refused("a field without its NUL after one with", "Xa\0b", 4, 1);
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	refused("more than SVC_MAX_MSG bytes", big, SVC_MAX_MSG + 1, 1);
	refused("more than SVC_MAX_FDS fds", "X0\0", 3, SVC_MAX_FDS + 1);
	refused("fds without data", "", 0, 1);
	/* other control data: credentials, once the receiver asks for them */
	CHECK(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) == 0);
	refused("credentials", "L", 1, 1);
	unpair();

	/* EOF: the peer closed */
	pair();
	close(sv[0]);
	CHECK(svcwire_recv(sv[1], &r) == 0);
	close(sv[1]);
}

int main(void)
{
	round_trip();
	numbers();
	bounds();
	malformed();
	return check_done("svcwire");
}
