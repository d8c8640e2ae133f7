/*
 * liblxc's log records with their messages escaped (header-only, for lxcri-start).
 *
 * liblxc writes its records as text lines into the log file lxcri shares with it
 * (one JSON object a line from lxcri). A message carries whatever liblxc was
 * given: a path resolved through a symlink of the image, say. A newline in it
 * starts a line of its own, which anyone reading the log takes for a record of
 * its own, a forged JSON one included. So the monitor wraps liblxc's "logfile"
 * appender: the message is formatted first, its control characters written as
 * \n, \r, \t or \xHH, and the result handed to liblxc's appender as "%s".
 *
 * liblxc's log structures are internal (not in its installed headers); the
 * category and appender layout has been the same since liblxc 2.0 (native/
 * errors.cc relies on it too), the event's since 3.0 (timestamp a timespec).
 */
#ifndef LXCRI_LXCLOG_H
#define LXCRI_LXCLOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct lxclog_event {
	const char *category;
	int priority;
	struct timespec timestamp;
	void *locinfo;
	const char *fmt;
	va_list *vap;
};

struct lxclog_appender {
	const char *name;
	int (*append)(const struct lxclog_appender *, struct lxclog_event *);
	struct lxclog_appender *next;
};

struct lxclog_category {
	const char *name;
	int priority;
	struct lxclog_appender *appender;
	const struct lxclog_category *parent;
};

/* liblxc's root category ("lxc"): every record reaches its appenders. */
extern struct lxclog_category lxc_log_category_lxc;

static struct lxclog_appender lxclog_escaping;
static const struct lxclog_appender *lxclog_logfile;

/* in, control characters escaped, into out (cut to cap, always terminated). */
static inline void lxclog_escape(const char *in, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (; *in; in++) {
		unsigned char ch = (unsigned char)*in;
		char esc[5];
		size_t len = 0;

		if (ch >= 0x20 && ch != 0x7f) {
			esc[len++] = (char)ch;
		} else {
			esc[len++] = '\\';
			if (ch == '\n' || ch == '\r' || ch == '\t') {
				esc[len++] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : 't';
			} else {
				esc[len++] = 'x';
				esc[len++] = hex[ch >> 4];
				esc[len++] = hex[ch & 0xf];
			}
		}
		if (n + len >= cap)
			break;
		memcpy(out + n, esc, len);
		n += len;
	}
	out[n] = '\0';
}

/* liblxc's appender with "%s" and the escaped message as its arguments. */
static int lxclog_forward(struct lxclog_event *ev, ...)
{
	va_list ap;
	int ret;

	va_start(ap, ev);
	ev->fmt = "%s";
	ev->vap = &ap;
	ret = lxclog_logfile->append(lxclog_logfile, ev);
	va_end(ap);
	return ret;
}

static int lxclog_append_escaped(const struct lxclog_appender *self, struct lxclog_event *ev)
{
	/* liblxc cuts a record at 4096 bytes anyway. */
	char msg[4096], out[4096];
	const char *fmt = ev->fmt;
	va_list *vap = ev->vap;
	va_list copy;
	int ret;

	(void)self;
	va_copy(copy, *vap);
	vsnprintf(msg, sizeof(msg), fmt, copy);
	va_end(copy);
	lxclog_escape(msg, out, sizeof(out));
	ret = lxclog_forward(ev, out);
	/* Appenders after this one get the event as liblxc made it. */
	ev->fmt = fmt;
	ev->vap = vap;
	return ret;
}

/* Put the escaping wrapper in place of liblxc's "logfile" appender (again, if
 * liblxc reset its chain). false if liblxc's log is not laid out as expected. */
static inline bool lxclog_escape_messages(void)
{
	struct lxclog_appender **link;

	if (!lxc_log_category_lxc.name || strcmp(lxc_log_category_lxc.name, "lxc") != 0)
		return false;
	for (link = &lxc_log_category_lxc.appender; *link; link = &(*link)->next) {
		if (*link == &lxclog_escaping)
			return true;
		if ((*link)->name && strcmp((*link)->name, "logfile") == 0) {
			lxclog_logfile = *link;
			lxclog_escaping = **link;
			lxclog_escaping.append = lxclog_append_escaped;
			*link = &lxclog_escaping;
			return true;
		}
	}
	return false;
}

#endif
