/*
 * liblxc's log records with their messages escaped (lxclog.c, for lxcri-start).
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
#include <stddef.h>
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

/* in, control characters escaped, into out (cut to cap, always terminated). */
void lxclog_escape(const char *in, char *out, size_t cap);

/* Put the escaping wrapper in place of liblxc's "logfile" appender (again, if
 * liblxc reset its chain). false if liblxc's log is not laid out as expected. */
bool lxclog_escape_messages(void);

#endif
