/* liblxc's log records with their messages escaped (see lxclog.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lxclog.h"

static struct lxclog_appender lxclog_escaping;
static const struct lxclog_appender *lxclog_logfile;

/* in, control characters escaped, into out (cut to cap, always terminated). */
void lxclog_escape(const char *in, char *out, size_t cap)
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
bool lxclog_escape_messages(void)
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
