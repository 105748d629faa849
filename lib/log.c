/*
 * log: syslog or stderr, one line per event.
 *
 * The only mutable state is the log configuration of this process (ident,
 * destination, context prefix), which STYLE.md allows as a global.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "lib/log.h"

#define LOG_LINE_MAX	2048

static struct {
	char	 ident[64];
	int	 to_stderr;
	int	 debug;
	char	 ctx[512];
} log_state = { "imapd", 1, 0, "" };

static const char	*log_level_name(int);
static int		 log_plain(unsigned char);
static void		 log_vemit(int, int, const char *, va_list)
			    __attribute__((format(printf, 3, 0)));

void
log_open(const char *ident, int to_stderr, int debug)
{
	if (ident != NULL)
		(void)strlcpy(log_state.ident, ident, sizeof(log_state.ident));
	log_state.to_stderr = to_stderr;
	log_state.debug = debug;
	if (!to_stderr) {
		/*
		 * openlog() keeps the ident pointer, so it points into our
		 * own storage. LOG_NDELAY connects to the syslog socket now,
		 * before a later chroot() makes /dev/log unreachable.
		 */
		openlog(log_state.ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
	}
	setlogmask(LOG_UPTO(debug ? LOG_DEBUG : LOG_INFO));
}

void
log_set_context(const char *ctx)
{
	if (ctx == NULL)
		ctx = "";
	(void)strlcpy(log_state.ctx, ctx, sizeof(log_state.ctx));
}

static const char *
log_level_name(int prio)
{
	switch (LOG_PRI(prio)) {
	case LOG_EMERG:
		return "emerg";
	case LOG_ALERT:
		return "alert";
	case LOG_CRIT:
		return "crit";
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
		return "notice";
	case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

/* Format one event and send it to syslog (with facility) or stderr. */
static void
log_vemit(int facility, int prio, const char *fmt, va_list ap)
{
	char		 msg[LOG_LINE_MAX];
	const char	*sep;

	prio = LOG_PRI(prio);
	if (prio == LOG_DEBUG && !log_state.debug)
		return;
	/* a truncated line is still worth logging */
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	sep = log_state.ctx[0] != '\0' ? " " : "";
	if (log_state.to_stderr) {
		fprintf(stderr, "%s[%ld]: %s: %s%s%s\n", log_state.ident,
		    (long)getpid(), log_level_name(prio), log_state.ctx, sep,
		    msg);
		fflush(stderr);
	} else
		syslog(facility | prio, "%s%s%s", log_state.ctx, sep, msg);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vemit(LOG_MAIL, prio, fmt, ap);
	va_end(ap);
}

void
log_auth(int prio, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vemit(LOG_AUTHPRIV, prio, fmt, ap);
	va_end(ap);
}

/* 1 if byte c is copied as is by log_escape(), else it takes 4 bytes */
static int
log_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\' && c != '"';
}

char *
log_escape(const char *s, size_t len, size_t max, char *out, size_t outlen)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, o, n, need, room;
	int			 truncated;

	if (outlen == 0)
		return out;
	n = len < max ? len : max;
	truncated = len > max;
	/* does all of it fit? otherwise keep room for "..." */
	for (i = 0, need = 0; i < n; i++)
		need += log_plain(p[i]) ? 1 : 4;
	if (need + (truncated ? 3 : 0) >= outlen)
		truncated = 1;
	room = outlen - 1 - (truncated && outlen > 3 ? 3 : 0);
	for (i = 0, o = 0; i < n; i++) {
		if (o + (log_plain(p[i]) ? 1 : 4) > room)
			break;
		if (log_plain(p[i]))
			out[o++] = (char)p[i];
		else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[p[i] >> 4];
			out[o++] = hex[p[i] & 0xf];
		}
	}
	if (truncated && o + 3 < outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[LOG_LINE_MAX];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_msg(LOG_CRIT, "fatal: %s", msg);
	exit(1);
}
