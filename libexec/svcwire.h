/* svcwire.h: one message of svcproto.h (type byte + NUL-terminated fields, fds as
 * SCM_RIGHTS on a SOCK_SEQPACKET socket): built, sent, received and read with its bounds. */
#ifndef LXCRI_SVCWIRE_H
#define LXCRI_SVCWIRE_H

#include <stddef.h>

#include "svcproto.h"

struct svcmsg {
	char data[SVC_MAX_MSG]; /* data[0] is the type */
	size_t len;
	int fds[SVC_MAX_FDS];
	int nfds;
	int overflow; /* a field or fd did not fit: the message cannot be sent */
};

/* Building: start, then fields and fds in order. */
void svcmsg_start(struct svcmsg *m, char type);
void svcmsg_str(struct svcmsg *m, const char *s);
void svcmsg_num(struct svcmsg *m, long long v);
void svcmsg_fd(struct svcmsg *m, int fd);

/* Send m as one record (MSG_NOSIGNAL): 0, or -1 with errno (EMSGSIZE if it overflowed). */
int svcwire_send(int sock, const struct svcmsg *m);

#define SVCWIRE_MALFORMED (-2)
/* Receive one record into m, fds with MSG_CMSG_CLOEXEC: 1, 0 at EOF, -1 with errno, or
 * SVCWIRE_MALFORMED (truncated data or fds, no type, a field without its NUL, other
 * control data) with every received fd closed. */
int svcwire_recv(int sock, struct svcmsg *m);

/* Close m's fds (those not taken: set to -1). */
void svcmsg_close_fds(struct svcmsg *m);

/* Reading a received message's fields in order. */
struct svcread {
	const struct svcmsg *m;
	size_t pos;
};
void svcread_start(struct svcread *r, const struct svcmsg *m);
/* The next field, or NULL if there is none. */
const char *svcread_str(struct svcread *r);
/* The next field as a decimal number in [min, max]: 0, or -1 if missing or not one. */
int svcread_num(struct svcread *r, long long min, long long max, long long *out);
/* 1 if every field was read. */
int svcread_done(const struct svcread *r);

#endif
