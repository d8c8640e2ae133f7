/* lxclog.c: liblxc's log messages with their control characters escaped, on a stand-in
 * for liblxc's log category (the test does not link liblxc). */
#include <stdbool.h>

#include "check.h"
#include "lxclog.h"

static char escaped[64];
static const char *escape(const char *in, size_t cap)
{
	lxclog_escape(in, escaped, cap);
	return escaped;
}

static void escaping(void)
{
	CHECK_STR(escape("plain text", 64), "plain text");
	CHECK_STR(escape("a\nb\rc\td", 64), "a\\nb\\rc\\td");
	CHECK_STR(escape("\x01\x1f\x7f", 64), "\\x01\\x1f\\x7f");
	CHECK_STR(escape("{\"forged\":1}\n{\"level\":\"error\"}", 64), "{\"forged\":1}\\n{\"level\":\"error\"}");
	/* UTF-8 and backslashes are not control characters. */
	CHECK_STR(escape("caf\xc3\xa9 \\n", 64), "caf\xc3\xa9 \\n");
	CHECK_STR(escape("", 64), "");
	/* Cut to cap, never in the middle of an escape. */
	CHECK_STR(escape("abcdef", 4), "abc");
	CHECK_STR(escape("ab\ncd", 4), "ab");
	CHECK_STR(escape("ab\x01", 6), "ab");
	CHECK_STR(escape("ab\x01", 7), "ab\\x01");
}

/* The stand-in: liblxc's "logfile" appender formats the record it gets. */
static char logged[4096], after[4096];
static int logfile_append(const struct lxclog_appender *self, struct lxclog_event *ev)
{
	va_list copy;

	(void)self;
	va_copy(copy, *ev->vap);
	vsnprintf(logged, sizeof(logged), ev->fmt, copy);
	va_end(copy);
	return 0;
}
/* An appender after it must get the event as liblxc made it. */
static int next_append(const struct lxclog_appender *self, struct lxclog_event *ev)
{
	va_list copy;

	(void)self;
	va_copy(copy, *ev->vap);
	vsnprintf(after, sizeof(after), ev->fmt, copy);
	va_end(copy);
	return 0;
}
static struct lxclog_appender next = { "syslog", next_append, NULL };
static struct lxclog_appender logfile = { "logfile", logfile_append, &next };
struct lxclog_category lxc_log_category_lxc = { "lxc", 0, &logfile, NULL };

static void log_record(const char *fmt, ...)
{
	va_list ap;
	struct lxclog_event ev = { .category = "lxc", .fmt = fmt };

	va_start(ap, fmt);
	ev.vap = &ap;
	for (struct lxclog_appender *a = lxc_log_category_lxc.appender; a; a = a->next)
		a->append(a, &ev);
	va_end(ap);
}

static void wrapping(void)
{
	log_record("mount %s: %d", "/a\nb", 2);
	CHECK_STR(logged, "mount /a\nb: 2");

	CHECK(lxclog_escape_messages());
	CHECK(lxc_log_category_lxc.appender != &logfile);
	CHECK_STR(lxc_log_category_lxc.appender->name, "logfile");
	/* Again (liblxc may have reset its chain): no second wrapper. */
	CHECK(lxclog_escape_messages());
	CHECK(lxc_log_category_lxc.appender->next == &next);

	log_record("mount %s: %d", "/a\nb", 2);
	CHECK_STR(logged, "mount /a\\nb: 2");
	CHECK_STR(after, "mount /a\nb: 2");
	log_record("100%% done");
	CHECK_STR(logged, "100% done");

	/* Not liblxc's layout: left alone, and said so. */
	lxc_log_category_lxc.appender = &next;
	CHECK(!lxclog_escape_messages());
	lxc_log_category_lxc.name = "other";
	CHECK(!lxclog_escape_messages());
}

int main(void)
{
	escaping();
	wrapping();
	return check_done("lxclog");
}
