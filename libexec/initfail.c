/* initfail.c: see initfail.h. */
#include <unistd.h>

#include "initfail.h"
#include "util.h"

void str_append(char *buf, size_t cap, const char **parts)
{
	size_t len = strlen(buf);
	for (; *parts; parts++) {
		size_t n = strlen(*parts);
		if (n > cap - 1 - len)
			n = cap - 1 - len;
		memcpy(buf + len, *parts, n);
		len += n;
	}
	buf[len] = '\0';
}

const char *go_strerror(int err, char *buf, size_t cap)
{
	buf[0] = '\0';
	str_append(buf, cap, (const char *[]){ strerror(err), NULL });
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

void die(const char *msg, int code)
{
	(void)write_all(STDERR_FILENO, msg, strlen(msg));
	(void)write_all(STDERR_FILENO, "\n", 1);
	_exit(code);
}

void decimal(unsigned long long v, char *buf, size_t cap)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp) - 1;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	buf[0] = '\0';
	str_append(buf, cap, (const char *[]){ p, NULL });
}
