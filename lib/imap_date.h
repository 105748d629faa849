/*
 * imap_date: IMAP dates (RFC 9051 date, date-time) and RFC 5322 Date
 * header values.
 */
#ifndef LIB_IMAP_DATE_H
#define LIB_IMAP_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* date = date-text / DQUOTE date-text DQUOTE; date-text = d-MMM-yyyy
 * (day 1 or 2 digits, month case-insensitive). The value is the day as
 * days since 1970-01-01 (a calendar date, no time zone). */
bool	 imap_date_parse(const char *s, size_t len, long *day_r);
/* date-time = "dd-MMM-yyyy hh:mm:ss +zzzz" (day may be " d"), without the
 * quotes. *t_r: UTC seconds; *tz_r: offset in seconds east of UTC. */
bool	 imap_datetime_parse(const char *s, size_t len, time_t *t_r,
	    int *tz_r);
/* Format t in zone tz (seconds east) as date-time without quotes
 * ("17-Jul-1996 02:44:25 -0700") into out (at least 27 bytes). */
void	 imap_datetime_format(time_t t, int tz, char *out, size_t outlen);
/* Parse an RFC 5322 date-time (also obsolete forms, as lenient as real
 * mail needs: optional weekday, 2-digit years, named zones, comments).
 * Returns false if unparsable. */
bool	 rfc5322_date_parse(const char *s, size_t len, time_t *t_r,
	    int *tz_r);
/* Calendar day (days since epoch) of t in zone tz. */
long	 imap_day_of(time_t t, int tz);

#endif
