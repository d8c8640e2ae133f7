/* svcwire.c: see svcwire.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "svcwire.h"

void svcmsg_start(struct svcmsg *m, char type)
{
	m->data[0] = type;
	m->len = 1;
	m->nfds = 0;
	m->overflow = 0;
}

void svcmsg_str(struct svcmsg *m, const char *s)
{
	size_t n = strlen(s) + 1;

	if (m->overflow || n > sizeof(m->data) - m->len) {
		m->overflow = 1;
		return;
	}
	memcpy(m->data + m->len, s, n);
	m->len += n;
}

void svcmsg_num(struct svcmsg *m, long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", v);
	svcmsg_str(m, buf);
}

void svcmsg_fd(struct svcmsg *m, int fd)
{
	if (m->nfds >= SVC_MAX_FDS) {
		m->overflow = 1;
		return;
	}
	m->fds[m->nfds++] = fd;
}

int svcwire_send(int sock, const struct svcmsg *m)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * SVC_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = (void *)m->data, .iov_len = m->len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (m->overflow) {
		errno = EMSGSIZE;
		return -1;
	}
	if (m->nfds > 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)m->nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)m->nfds);
		memcpy(CMSG_DATA(c), m->fds, sizeof(int) * (size_t)m->nfds);
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != m->len) { /* a record is sent whole or not at all */
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

void svcmsg_close_fds(struct svcmsg *m)
{
	for (int i = 0; i < m->nfds; i++) {
		if (m->fds[i] >= 0)
			close(m->fds[i]);
		m->fds[i] = -1;
	}
	m->nfds = 0;
}

int svcwire_recv(int sock, struct svcmsg *m)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * SVC_MAX_FDS)];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = m->data, .iov_len = sizeof(m->data) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	int other = 0;
	ssize_t n;

	m->len = 0;
	m->nfds = 0;
	m->overflow = 0;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t i = 0; i < k; i++) {
				int fd;
				memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (m->nfds < SVC_MAX_FDS)
					m->fds[m->nfds++] = fd;
				else
					close(fd); /* cannot happen: the buffer holds SVC_MAX_FDS */
			}
		} else {
			other = 1;
		}
	}
	if (n == 0 && m->nfds == 0 && !other)
		return 0;
	m->len = (size_t)n;
	if ((mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || other || n == 0 || (n > 1 && m->data[n - 1] != '\0')) {
		svcmsg_close_fds(m);
		return SVCWIRE_MALFORMED;
	}
	return 1;
}

void svcread_start(struct svcread *r, const struct svcmsg *m)
{
	r->m = m;
	r->pos = 1;
}

const char *svcread_str(struct svcread *r)
{
	const char *s;

	if (r->pos >= r->m->len)
		return NULL;
	s = r->m->data + r->pos;
	r->pos += strlen(s) + 1; /* every field ends with a NUL: svcwire_recv checked the last */
	return s;
}

int svcread_num(struct svcread *r, long long min, long long max, long long *out)
{
	const char *s = svcread_str(r);
	char *end;
	long long v;

	if (!s || !*s || !((*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int svcread_done(const struct svcread *r)
{
	return r->pos >= r->m->len;
}
