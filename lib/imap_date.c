/*
 * imap_date: RFC 9051 date / date-time and RFC 5322 Date values.
 *
 * All arithmetic is on the proleptic Gregorian calendar in UTC: no TZ
 * environment, no libc time zone state.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/imap_date.h"

#define SECS_PER_DAY	86400L
/* 0000-01-01 00:00:00 and 9999-12-31 23:59:59 UTC */
#define FORMAT_MIN	(-62167219200LL)
#define FORMAT_MAX	(253402300799LL)
/* RFC 5322 numeric zones: at most 99:59 either way */
#define ZONE_MAX	(99 * 3600 + 59 * 60)

struct rfc_date {
	int	 day, month, hour, min, sec;
	long	 year;
	int	 year_digits;
	int	 tz;
	bool	 have_day, have_month, have_year, have_time, have_zone;
};

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};
static const char *const day_names[7] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday"
};

/* RFC 5322 4.3 obsolete zone names, hours east of UTC */
static const struct {
	const char	*name;
	int		 hours;
} zone_names[] = {
	{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
	{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
	{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 }
};

static long	 days_from_civil(long, int, int);
static void	 civil_from_days(long, long *, int *, int *);
static int	 days_in_month(long, int);
static long	 floor_day(long long);
static bool	 ascii_caseeq(const char *, const char *, size_t);
static bool	 word_eq(const char *, size_t, const char *);
static bool	 word_prefix_of(const char *, size_t, const char *);
static int	 month_of(const char *, size_t, bool);
static size_t	 digits(const char *, size_t, size_t, size_t, long *);
static bool	 valid_day(long, int, int);
static size_t	 skip_comment(const char *, size_t, size_t);
static void	 rfc_word(struct rfc_date *, const char *, size_t);
static bool	 rfc_number(struct rfc_date *, long, size_t);
static size_t	 rfc_time(struct rfc_date *, const char *, size_t, size_t);
static size_t	 rfc_sign(struct rfc_date *, const char *, size_t, size_t);
static bool	 rfc_finish(struct rfc_date *, time_t *, int *);

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1-12). */
static long
days_from_civil(long y, int m, int d)
{
	long	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, long *y_r, int *m_r, int *d_r)
{
	long	 era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d_r = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m_r = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y_r = yoe + era * 400 + (*m_r <= 2);
}

static int
days_in_month(long y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	bool	 leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static bool
valid_day(long y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* ASCII only: no locale may change what a month name is */
static bool
ascii_caseeq(const char *a, const char *b, size_t n)
{
	size_t	 i;
	char	 x, y;

	for (i = 0; i < n; i++) {
		x = a[i];
		y = b[i];
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return false;
	}
	return true;
}

/* s (len bytes) equals word, ignoring case */
static bool
word_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && ascii_caseeq(s, word, len);
}

/* s is at least 3 letters and a prefix of name ("Jan", "Sept", "Monday") */
static bool
word_prefix_of(const char *s, size_t len, const char *name)
{
	return len >= 3 && len <= strlen(name) &&
	    ascii_caseeq(s, name, len);
}

/* Month 1-12 of a name, or 0. exact: the 3-letter form only. */
static int
month_of(const char *s, size_t len, bool exact)
{
	int	 i;

	for (i = 0; i < 12; i++) {
		if (exact ? len == 3 && ascii_caseeq(s, month_names[i], 3) :
		    word_prefix_of(s, len, month_names[i]))
			return i + 1;
	}
	return 0;
}

/* min..max decimal digits at s[i]; returns the count used (0: too few). */
static size_t
digits(const char *s, size_t len, size_t i, size_t max, long *v_r)
{
	size_t	 n = 0;
	long	 v = 0;

	while (i + n < len && n < max && s[i + n] >= '0' && s[i + n] <= '9') {
		v = v * 10 + (s[i + n] - '0');
		n++;
	}
	*v_r = v;
	return n;
}

bool
imap_date_parse(const char *s, size_t len, long *day_r)
{
	long	 d, y;
	size_t	 i = 0, n;
	int	 m;

	/* RFC 9051 9: date = date-text / DQUOTE date-text DQUOTE */
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s++;
		len -= 2;
	}
	if ((n = digits(s, len, i, 2, &d)) == 0)
		return false;
	i += n;
	if (len - i < 5 || s[i] != '-' || s[i + 4] != '-')
		return false;
	if ((m = month_of(s + i + 1, 3, true)) == 0)
		return false;
	i += 5;
	if (digits(s, len, i, 4, &y) != 4 || i + 4 != len)
		return false;
	if (!valid_day(y, m, (int)d))
		return false;
	*day_r = days_from_civil(y, m, (int)d);
	return true;
}

bool
imap_datetime_parse(const char *s, size_t len, time_t *t_r, int *tz_r)
{
	long	 d, y, hh, mi, ss, zh, zm;
	size_t	 i = 0, n;
	int	 m, sign;

	/* date-day-fixed = (SP DIGIT) / 2DIGIT; a bare 1-digit day is
	 * accepted too, as other servers do */
	if (len > 0 && s[0] == ' ')
		i++;
	if ((n = digits(s, len, i, i == 1 ? 1 : 2, &d)) == 0)
		return false;
	i += n;
	/* "-MMM-yyyy hh:mm:ss +zzzz" */
	if (len - i != 24 || s[i] != '-' || s[i + 4] != '-')
		return false;
	if ((m = month_of(s + i + 1, 3, true)) == 0)
		return false;
	i += 5;
	if (digits(s, len, i, 4, &y) != 4 || s[i + 4] != ' ' ||
	    digits(s, len, i + 5, 2, &hh) != 2 || s[i + 7] != ':' ||
	    digits(s, len, i + 8, 2, &mi) != 2 || s[i + 10] != ':' ||
	    digits(s, len, i + 11, 2, &ss) != 2 || s[i + 13] != ' ' ||
	    (s[i + 14] != '+' && s[i + 14] != '-') ||
	    digits(s, len, i + 15, 2, &zh) != 2 ||
	    digits(s, len, i + 17, 2, &zm) != 2)
		return false;
	/* seconds 60: a leap second */
	if (!valid_day(y, m, (int)d) || hh > 23 || mi > 59 || ss > 60 ||
	    zh > 23 || zm > 59)
		return false;
	sign = s[i + 14] == '-' ? -1 : 1;
	*tz_r = sign * (int)(zh * 3600 + zm * 60);
	*t_r = (time_t)days_from_civil(y, m, (int)d) * SECS_PER_DAY +
	    hh * 3600 + mi * 60 + ss - *tz_r;
	return true;
}

void
imap_datetime_format(time_t t, int tz, char *out, size_t outlen)
{
	long long	 local, secs;
	long		 day, y;
	int		 m, d, atz;

	if (outlen == 0)
		return;
	if (tz > ZONE_MAX || tz < -ZONE_MAX)
		tz = 0;
	/* bound t before adding the zone (no overflow), then the result */
	local = (long long)t;
	if (local < FORMAT_MIN - SECS_PER_DAY)
		local = FORMAT_MIN - SECS_PER_DAY;
	if (local > FORMAT_MAX + SECS_PER_DAY)
		local = FORMAT_MAX + SECS_PER_DAY;
	local += tz;
	if (local < FORMAT_MIN)
		local = FORMAT_MIN;
	if (local > FORMAT_MAX)
		local = FORMAT_MAX;
	day = floor_day(local);
	secs = local - (long long)day * SECS_PER_DAY;
	civil_from_days(day, &y, &m, &d);
	atz = tz < 0 ? -tz : tz;
	/* RFC 9051 date-day-fixed allows "02" as well as " 2" */
	snprintf(out, outlen, "%02d-%.3s-%04ld %02d:%02d:%02d %c%02d%02d",
	    d, month_names[m - 1], y, (int)(secs / 3600),
	    (int)(secs / 60 % 60), (int)(secs % 60), tz < 0 ? '-' : '+',
	    atz / 3600, atz / 60 % 60);
}

long
imap_day_of(time_t t, int tz)
{
	long long	 local;

	if (__builtin_add_overflow((long long)t, (long long)tz, &local))
		local = tz < 0 ? LLONG_MIN : LLONG_MAX;
	return floor_day(local);
}

/* Day number of a UTC second count, rounding towards minus infinity. */
static long
floor_day(long long secs)
{
	long long	 q = secs / SECS_PER_DAY;

	if (secs % SECS_PER_DAY < 0)
		q--;
	return (long)q;
}

/* RFC 5322 3.2.2: comments nest and may hold quoted-pairs. */
static size_t
skip_comment(const char *s, size_t len, size_t i)
{
	size_t	 depth = 0;

	for (; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i + 1;
	}
	return len;
}

static void
rfc_word(struct rfc_date *r, const char *w, size_t n)
{
	size_t	 i;
	int	 m;

	for (i = 0; i < 7; i++)
		if (word_prefix_of(w, n, day_names[i]))
			return;
	if (!r->have_month && (m = month_of(w, n, false)) != 0) {
		r->month = m;
		r->have_month = true;
		return;
	}
	if (r->have_time && (word_eq(w, n, "AM") || word_eq(w, n, "PM"))) {
		if (r->hour == 12)
			r->hour = 0;
		if (word_eq(w, n, "PM") && r->hour < 12)
			r->hour += 12;
		return;
	}
	if (r->have_zone || !r->have_time)
		return;
	for (i = 0; i < sizeof(zone_names) / sizeof(zone_names[0]); i++) {
		if (word_eq(w, n, zone_names[i].name)) {
			r->tz = zone_names[i].hours * 3600;
			r->have_zone = true;
			return;
		}
	}
	/* RFC 5322 4.3: military and unknown zones are taken as -0000 */
	if (n <= 5) {
		r->tz = 0;
		r->have_zone = true;
	}
}

/* A number that is neither a time nor a zone: day or year. */
static bool
rfc_number(struct rfc_date *r, long v, size_t n)
{
	if (n > 4)
		return false;
	if (!r->have_day && !r->have_year && n <= 2) {
		r->day = (int)v;
		r->have_day = true;
	} else if (!r->have_year && (r->have_day || r->have_month)) {
		r->year = v;
		r->year_digits = (int)n;
		r->have_year = true;
	}
	return true;
}

/* hh:mm[:ss] at s[i], 1-2 digits each; returns the index after it. */
static size_t
rfc_time(struct rfc_date *r, const char *s, size_t len, size_t i)
{
	long	 h, m, sec = 0;
	size_t	 n;

	n = digits(s, len, i, 2, &h);
	i += n + 1;
	if ((n = digits(s, len, i, 2, &m)) == 0)
		return i;
	i += n;
	if (i + 1 < len && s[i] == ':' && (n = digits(s, len, i + 1, 2,
	    &sec)) > 0)
		i += 1 + n;
	if (!r->have_time) {
		r->hour = (int)h;
		r->min = (int)m;
		r->sec = (int)sec;
		r->have_time = true;
	}
	return i;
}

/* "+hhmm" / "-hhmm" (also "+hh", "+hh:mm") after the date, else "-" is a
 * separator as in "5-Jan-2020". Returns the index after what was used. */
static size_t
rfc_sign(struct rfc_date *r, const char *s, size_t len, size_t i)
{
	long	 v, mm = 0;
	size_t	 n;
	int	 sign = s[i] == '-' ? -1 : 1;

	if (!r->have_time && !r->have_year)
		return i + 1;
	n = digits(s, len, i + 1, 4, &v);
	i += 1 + n;
	if (n == 2 && i + 2 < len && s[i] == ':' &&
	    digits(s, len, i + 1, 2, &mm) == 2) {
		i += 3;
		v = v * 100 + mm;
	} else if (n == 2)
		v *= 100;
	else if (n != 4)
		return i;
	if (!r->have_zone && v % 100 < 60) {
		r->tz = sign * (int)(v / 100 * 3600 + v % 100 * 60);
		r->have_zone = true;
	}
	return i;
}

static bool
rfc_finish(struct rfc_date *r, time_t *t_r, int *tz_r)
{
	long	 y = r->year;

	if (!r->have_day || !r->have_month || !r->have_year)
		return false;
	/* RFC 5322 4.3: 2-digit years < 50 are 20xx, others 19xx;
	 * 3-digit years are 1900 + value */
	if (r->year_digits <= 2)
		y += y < 50 ? 2000 : 1900;
	else if (r->year_digits == 3)
		y += 1900;
	if (!valid_day(y, r->month, r->day) || r->hour > 23 || r->min > 59 ||
	    r->sec > 60)
		return false;
	*tz_r = r->have_zone ? r->tz : 0;
	*t_r = (time_t)days_from_civil(y, r->month, r->day) * SECS_PER_DAY +
	    r->hour * 3600 + r->min * 60 + r->sec - *tz_r;
	return true;
}

/*
 * Lenient: the fields are recognised by form rather than position, so
 * "Mon, 5 Jan 2020 10:00:00 +0100", "5 Jan 20 10:00 EST" and asctime's
 * "Mon Jan  5 10:00:00 2020" all parse; comments and stray punctuation
 * are skipped.
 */
bool
rfc5322_date_parse(const char *s, size_t len, time_t *t_r, int *tz_r)
{
	struct rfc_date	 r;
	size_t		 i = 0, n;
	long		 v;
	char		 c;

	memset(&r, 0, sizeof(r));
	while (i < len) {
		c = s[i];
		if (c == '(') {
			i = skip_comment(s, len, i);
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			for (n = 0; i + n < len && ((s[i + n] >= 'a' &&
			    s[i + n] <= 'z') || (s[i + n] >= 'A' &&
			    s[i + n] <= 'Z')); n++)
				;
			rfc_word(&r, s + i, n);
			i += n;
		} else if (c >= '0' && c <= '9') {
			n = digits(s, len, i, 10, &v);
			if (n <= 2 && i + n + 1 < len && s[i + n] == ':')
				i = rfc_time(&r, s, len, i);
			else {
				if (!rfc_number(&r, v, n))
					return false;
				i += n;
			}
		} else if (c == '+' || c == '-')
			i = rfc_sign(&r, s, len, i);
		else
			i++;
	}
	return rfc_finish(&r, t_r, tz_r);
}
