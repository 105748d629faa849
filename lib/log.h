/*
 * log: syslog (facility mail; authentication events to authpriv) or
 * stderr. One line per event, key=value fields; client text passes through
 * log_escape() first. Passwords and SASL data are never logged.
 */
#ifndef LIB_LOG_H
#define LIB_LOG_H

#include <stddef.h>
#include <syslog.h>

/* to_stderr: log to stderr instead of syslog; debug: include LOG_DEBUG. */
void	 log_open(const char *ident, int to_stderr, int debug);
/* Set a prefix added to every line, e.g. "session=1234 user=alice". */
void	 log_set_context(const char *ctx);
void	 log_msg(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 log_auth(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)
/* Copy s into out as printable ASCII (\xNN escapes, max bytes of input,
 * "..." if truncated). Returns out. Bytes outside 0x20-0x7e and the
 * characters '"' and '\' are escaped, so the text can sit inside a quoted
 * key="value" field. out is always NUL-terminated (outlen > 0); if it is
 * too small the text is cut at an escape boundary and ends in "...". */
char	*log_escape(const char *s, size_t len, size_t max, char *out,
	    size_t outlen);
/* Log and exit(1): broken invariants, impossible states. */
void	 fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
