/*
 * Unit tests for lib/imap_date.c. Reference values come from glibc's
 * timegm()/gmtime_r(), which do not depend on TZ.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "lib/imap_date.h"

/* A passing ck_assert() costs a write to the runner: use this in loops. */
#define CHECK(c) do {							\
	if (!(c))							\
		ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);	\
} while (0)

static time_t	 utc(int, int, int, int, int, int);
static Suite	*imap_date_suite(void);

static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static time_t
utc(int y, int m, int d, int hh, int mm, int ss)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	return timegm(&tm);
}

struct date_case {
	const char	*in;
	int		 y, m, d;	/* y == 0: invalid */
};

static const struct date_case date_cases[] = {
	{ "1-Feb-1994", 1994, 2, 1 },
	{ "01-Feb-1994", 1994, 2, 1 },
	{ "1-feb-1994", 1994, 2, 1 },
	{ "1-FEB-1994", 1994, 2, 1 },
	{ "\"1-Feb-1994\"", 1994, 2, 1 },
	{ "28-Oct-2006", 2006, 10, 28 },
	{ "12-Feb-2006", 2006, 2, 12 },
	{ "1-Jan-1970", 1970, 1, 1 },
	{ "31-Dec-1969", 1969, 12, 31 },
	{ "29-Feb-2024", 2024, 2, 29 },
	{ "29-Feb-2000", 2000, 2, 29 },
	{ "31-Dec-9999", 9999, 12, 31 },
	{ "1-Jan-1000", 1000, 1, 1 },
	{ "31-Jan-2020", 2020, 1, 31 },
	{ "30-Apr-2020", 2020, 4, 30 },
	{ "29-Feb-2023", 0, 0, 0 },
	{ "29-Feb-1900", 0, 0, 0 },
	{ "30-Feb-2024", 0, 0, 0 },
	{ "31-Apr-2020", 0, 0, 0 },
	{ "32-Jan-2020", 0, 0, 0 },
	{ "0-Jan-2020", 0, 0, 0 },
	{ "00-Jan-2020", 0, 0, 0 },
	{ "001-Jan-2020", 0, 0, 0 },
	{ "1-Jan-20", 0, 0, 0 },
	{ "1-Jan-020", 0, 0, 0 },
	{ "1-Jan-20200", 0, 0, 0 },
	{ "1-Foo-2020", 0, 0, 0 },
	{ "1-January-2020", 0, 0, 0 },
	{ "1-Ja-2020", 0, 0, 0 },
	{ "1 Jan 2020", 0, 0, 0 },
	{ "1/Jan/2020", 0, 0, 0 },
	{ " 1-Jan-2020", 0, 0, 0 },
	{ "1-Jan-2020 ", 0, 0, 0 },
	{ "\"1-Jan-2020", 0, 0, 0 },
	{ "1-Jan-2020\"", 0, 0, 0 },
	{ "\"\"", 0, 0, 0 },
	{ "\"", 0, 0, 0 },
	{ "", 0, 0, 0 },
	{ "-Jan-2020", 0, 0, 0 },
	{ "1--2020", 0, 0, 0 },
	{ "+1-Jan-2020", 0, 0, 0 },
};

START_TEST(test_date)
{
	const struct date_case *c = &date_cases[_i];
	long		 day = -1;
	size_t		 len = strlen(c->in), k;
	bool		 ok;

	ok = imap_date_parse(c->in, len, &day);
	ck_assert_msg(ok == (c->y != 0), "%s", c->in);
	if (ok)
		ck_assert_int_eq(day, utc(c->y, c->m, c->d, 0, 0, 0) / 86400);
	/* no proper prefix is a date, and nothing past len is read */
	for (k = 0; ok && k < len; k++) {
		char *p = malloc(k ? k : 1);
		memcpy(p, c->in, k);
		if (k == 0 || c->in[k - 1] != '"')
			ck_assert_msg(!imap_date_parse(p, k, &day), "%.*s",
			    (int)k, c->in);
		free(p);
	}
}
END_TEST

/* every day over a wide range against timegm */
START_TEST(test_date_sweep)
{
	char		 s[32];
	long		 day;
	time_t		 t;
	struct tm	 tm;

	for (t = utc(1600, 1, 1, 0, 0, 0); t < utc(2500, 1, 1, 0, 0, 0);
	    t += 86400 * 11 + 3600) {
		gmtime_r(&t, &tm);
		snprintf(s, sizeof(s), "%d-%s-%04d", tm.tm_mday,
		    mon[tm.tm_mon], tm.tm_year + 1900);
		CHECK(imap_date_parse(s, strlen(s), &day));
		CHECK(day == imap_day_of(t, 0));
		CHECK(day == (t - t % 86400 - (t % 86400 < 0 ? 86400 : 0)) /
		    86400);
	}
}
END_TEST

struct dt_case {
	const char	*in;
	int		 ok;
	int		 y, m, d, hh, mm, ss;	/* UTC */
	int		 tz;
};

static const struct dt_case dt_cases[] = {
	{ "17-Jul-1996 02:44:25 -0700", 1, 1996, 7, 17, 9, 44, 25, -25200 },
	{ " 7-Feb-1994 21:52:25 -0800", 1, 1994, 2, 8, 5, 52, 25, -28800 },
	{ "07-Feb-1994 21:52:25 -0800", 1, 1994, 2, 8, 5, 52, 25, -28800 },
	{ "7-Feb-1994 21:52:25 -0800", 1, 1994, 2, 8, 5, 52, 25, -28800 },
	{ "01-Jan-2000 00:30:00 +0100", 1, 1999, 12, 31, 23, 30, 0, 3600 },
	{ "31-Dec-1999 23:59:59 +0000", 1, 1999, 12, 31, 23, 59, 59, 0 },
	{ "31-dec-1999 23:59:59 -0000", 1, 1999, 12, 31, 23, 59, 59, 0 },
	{ "29-Feb-2024 12:00:00 +0530", 1, 2024, 2, 29, 6, 30, 0, 19800 },
	{ "31-Dec-2016 23:59:60 +0000", 1, 2017, 1, 1, 0, 0, 0, 0 },
	{ "01-Jan-1970 00:00:00 +2359", 1, 1969, 12, 31, 0, 1, 0, 86340 },
	{ "29-Feb-2023 12:00:00 +0000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 24:00:00 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:60:25 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:61 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:25 -0760", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:25 -2400", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:25 0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:25 *0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:25 -070", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:25 -07000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 2:44:25 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996  02:44:25 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:25  -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-96 02:44:25 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17 Jul 1996 02:44:25 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jux-1996 02:44:25 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "  7-Jul-1996 02:44:25 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ " 17-Jul-1996 02:44:25 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "117-Jul-1996 02:44:25 -0700", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "\"17-Jul-1996 02:44:25 -0700\"", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:25 -0700 ", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "17-Jul-1996 02:44:25 GMT", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "", 0, 0, 0, 0, 0, 0, 0, 0 },
};

START_TEST(test_datetime)
{
	const struct dt_case *c = &dt_cases[_i];
	time_t		 t = 0;
	int		 tz = 0;
	size_t		 len = strlen(c->in), k;
	bool		 ok;

	ok = imap_datetime_parse(c->in, len, &t, &tz);
	ck_assert_msg(ok == c->ok, "%s", c->in);
	if (ok) {
		ck_assert_int_eq(t, utc(c->y, c->m, c->d, c->hh, c->mm,
		    c->ss));
		ck_assert_int_eq(tz, c->tz);
	}
	for (k = 0; ok && k < len; k++) {
		char *p = malloc(k ? k : 1);
		memcpy(p, c->in, k);
		ck_assert(!imap_datetime_parse(p, k, &t, &tz));
		free(p);
	}
}
END_TEST

START_TEST(test_format)
{
	char		 out[64], small[10];
	time_t		 t, t2;
	int		 tz, tz2, i;
	uint32_t	 x = 1;
	static const int zones[] = { 0, 3600, -25200, 19800, -12600, 50400,
	    -43200, 86340, -86340 };

	imap_datetime_format(utc(1996, 7, 17, 9, 44, 25), -25200, out,
	    sizeof(out));
	ck_assert_str_eq(out, "17-Jul-1996 02:44:25 -0700");
	imap_datetime_format(utc(2024, 7, 2, 0, 0, 0), 0, out, sizeof(out));
	ck_assert_str_eq(out, "02-Jul-2024 00:00:00 +0000");
	imap_datetime_format(0, 19800, out, sizeof(out));
	ck_assert_str_eq(out, "01-Jan-1970 05:30:00 +0530");
	imap_datetime_format(-1, 0, out, sizeof(out));
	ck_assert_str_eq(out, "31-Dec-1969 23:59:59 +0000");
	imap_datetime_format(0, -1, out, sizeof(out));
	ck_assert_str_eq(out, "31-Dec-1969 23:59:59 -0000");
	/* exactly 26 characters + NUL */
	imap_datetime_format(0, 0, out, 27);
	ck_assert_int_eq(strlen(out), 26);
	/* out of range values are clamped, zones beyond 99:59 ignored */
	imap_datetime_format((time_t)INT64_MAX, 0, out, sizeof(out));
	ck_assert_str_eq(out, "31-Dec-9999 23:59:59 +0000");
	imap_datetime_format((time_t)INT64_MIN, 0, out, sizeof(out));
	ck_assert_str_eq(out, "01-Jan-0000 00:00:00 +0000");
	imap_datetime_format((time_t)INT64_MIN, -3600, out, sizeof(out));
	ck_assert_str_eq(out, "01-Jan-0000 00:00:00 -0100");
	imap_datetime_format((time_t)INT64_MAX, 3600, out, sizeof(out));
	ck_assert_str_eq(out, "31-Dec-9999 23:59:59 +0100");
	imap_datetime_format(0, 1000000, out, sizeof(out));
	ck_assert_str_eq(out, "01-Jan-1970 00:00:00 +0000");
	imap_datetime_format(0, 0, small, sizeof(small));
	ck_assert_str_eq(small, "01-Jan-19");
	imap_datetime_format(0, 0, small, 0);

	/* the extremes of date-time round-trip in any zone */
	{
		static const char *const ext[] = {
		    "01-Jan-0000 00:00:00 +0100", "01-Jan-0000 00:00:00 -2359",
		    "31-Dec-9999 23:59:59 -2359", "31-Dec-9999 23:59:60 +2359" };
		for (i = 0; i < 4; i++) {
			ck_assert(imap_datetime_parse(ext[i], 26, &t, &tz));
			imap_datetime_format(t, tz, out, sizeof(out));
			if (i < 3)
				ck_assert_str_eq(out, ext[i]);
		}
	}

	/* round trip */
	for (i = 0; i < 20000; i++) {
		x = x * 1103515245 + 12345;
		t = (time_t)(x % 4000000000U) - 1000000000;
		tz = zones[i % (sizeof(zones) / sizeof(zones[0]))];
		imap_datetime_format(t, tz, out, sizeof(out));
		CHECK(strlen(out) == 26);
		CHECK(imap_datetime_parse(out, 26, &t2, &tz2));
		CHECK(t == t2);
		CHECK(tz == tz2);
	}
}
END_TEST

START_TEST(test_day_of)
{
	ck_assert_int_eq(imap_day_of(0, 0), 0);
	ck_assert_int_eq(imap_day_of(86399, 0), 0);
	ck_assert_int_eq(imap_day_of(86400, 0), 1);
	ck_assert_int_eq(imap_day_of(-1, 0), -1);
	ck_assert_int_eq(imap_day_of(-86400, 0), -1);
	ck_assert_int_eq(imap_day_of(-86401, 0), -2);
	ck_assert_int_eq(imap_day_of(0, -1), -1);
	ck_assert_int_eq(imap_day_of(86399, 1), 1);
	/* saturates instead of overflowing */
	ck_assert_int_lt(imap_day_of((time_t)INT64_MIN, -86400), -1000000);
	ck_assert_int_gt(imap_day_of((time_t)INT64_MAX, 86400), 1000000);
	/* 17-Jul-1996 02:44:25 -0700 is still the 17th there */
	ck_assert_int_eq(imap_day_of(utc(1996, 7, 17, 9, 44, 25), -25200),
	    utc(1996, 7, 17, 0, 0, 0) / 86400);
	ck_assert_int_eq(imap_day_of(utc(1996, 7, 17, 9, 44, 25), 15 * 3600),
	    utc(1996, 7, 18, 0, 0, 0) / 86400);
}
END_TEST

struct rfc_case {
	const char	*in;
	int		 ok;
	int		 y, m, d, hh, mm, ss;	/* UTC */
	int		 tz;
};

static const struct rfc_case rfc_cases[] = {
	{ "Fri, 21 Nov 1997 09:55:06 -0600", 1,
	  1997, 11, 21, 15, 55, 6, -21600 },
	{ "Tue, 1 Jul 2003 10:52:37 +0200", 1, 2003, 7, 1, 8, 52, 37, 7200 },
	{ "Thu, 13 Feb 1969 23:32:54 -0330", 1,
	  1969, 2, 14, 3, 2, 54, -12600 },
	{ "21 Nov 97 09:55:06 GMT", 1, 1997, 11, 21, 9, 55, 6, 0 },
	{ "21 Nov 04 09:55:06 GMT", 1, 2004, 11, 21, 9, 55, 6, 0 },
	{ "21 Nov 49 09:55:06 UT", 1, 2049, 11, 21, 9, 55, 6, 0 },
	{ "21 Nov 50 09:55:06 UT", 1, 1950, 11, 21, 9, 55, 6, 0 },
	{ "21 Nov 104 09:55:06 UT", 1, 2004, 11, 21, 9, 55, 6, 0 },
	{ "Thu,\r\n\t13\r\n  Feb\r\n    1969\r\n23:32\r\n  -0330 "
	  "(Newfoundland Time)", 1, 1969, 2, 14, 3, 2, 0, -12600 },
	{ "Fri, 21 Nov 1997 09:55:06 EST", 1,
	  1997, 11, 21, 14, 55, 6, -18000 },
	{ "Fri, 21 Nov 1997 09:55:06 edt", 1,
	  1997, 11, 21, 13, 55, 6, -14400 },
	{ "Fri, 21 Nov 1997 09:55:06 CST", 1,
	  1997, 11, 21, 15, 55, 6, -21600 },
	{ "Fri, 21 Nov 1997 09:55:06 CDT", 1,
	  1997, 11, 21, 14, 55, 6, -18000 },
	{ "Fri, 21 Nov 1997 09:55:06 MST", 1,
	  1997, 11, 21, 16, 55, 6, -25200 },
	{ "Fri, 21 Nov 1997 09:55:06 MDT", 1,
	  1997, 11, 21, 15, 55, 6, -21600 },
	{ "Fri, 21 Nov 1997 09:55:06 PST", 1,
	  1997, 11, 21, 17, 55, 6, -28800 },
	{ "Fri, 21 Nov 1997 09:55:06 PDT", 1,
	  1997, 11, 21, 16, 55, 6, -25200 },
	{ "Fri, 21 Nov 1997 09:55:06 Z", 1, 1997, 11, 21, 9, 55, 6, 0 },
	{ "Fri, 21 Nov 1997 09:55:06 A", 1, 1997, 11, 21, 9, 55, 6, 0 },
	{ "Fri, 21 Nov 1997 09:55:06 CEST", 1, 1997, 11, 21, 9, 55, 6, 0 },
	{ "Fri, 21 Nov 1997 09:55:06", 1, 1997, 11, 21, 9, 55, 6, 0 },
	{ "Fri, 21 Nov 1997 09:55:06 +0100 (CET)", 1,
	  1997, 11, 21, 8, 55, 6, 3600 },
	{ "Fri, 21 Nov 1997 09:55:06 +0100 (a (nested) \\) comment)", 1,
	  1997, 11, 21, 8, 55, 6, 3600 },
	{ "(lead) Fri, 21 Nov 1997 09:55:06 +0100", 1,
	  1997, 11, 21, 8, 55, 6, 3600 },
	{ "Fri, 21 Nov 1997 09:55:06 +0100 (unterminated", 1,
	  1997, 11, 21, 8, 55, 6, 3600 },
	{ "Friday, 21 November 1997 09:55:06 +01:00", 1,
	  1997, 11, 21, 8, 55, 6, 3600 },
	{ "Sun 21 Sept 1997 09:55:06 +01", 1, 1997, 9, 21, 8, 55, 6, 3600 },
	{ "Sun, 21 Sep 1997 09:55:06 +01", 1, 1997, 9, 21, 8, 55, 6, 3600 },
	{ "  21   Nov   1997   9:5:6   +0100  ", 1,
	  1997, 11, 21, 8, 5, 6, 3600 },
	{ "21-Nov-1997 09:55:06 -0600", 1, 1997, 11, 21, 15, 55, 6, -21600 },
	{ "Fri Nov 21 09:55:06 1997", 1, 1997, 11, 21, 9, 55, 6, 0 },
	{ "Fri Nov  1 09:55:06 1997", 1, 1997, 11, 1, 9, 55, 6, 0 },
	{ "21 Nov 1997 9:55 PM EST", 1, 1997, 11, 22, 2, 55, 0, -18000 },
	{ "21 Nov 1997 12:15 AM", 1, 1997, 11, 21, 0, 15, 0, 0 },
	{ "21 Nov 1997", 1, 1997, 11, 21, 0, 0, 0, 0 },
	{ "29 Feb 2024 00:00 +0000", 1, 2024, 2, 29, 0, 0, 0, 0 },
	{ "31 Dec 2016 23:59:60 +0000", 1, 2017, 1, 1, 0, 0, 0, 0 },
	{ "29 Feb 2023 00:00 +0000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "21 Nov 1997 24:00:00 +0000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "21 Nov 1997 23:60:00 +0000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "32 Nov 1997 09:55:06 +0000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "Nov 1997 09:55:06 +0000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "21 1997 09:55:06 +0000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "21 Nov 09:55:06 +0000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "21 Nov 19977 09:55:06 +0000", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "garbage", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "(21 Nov 1997)", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "Fri,", 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "99999999999999999999999999 Nov 1997", 0, 0, 0, 0, 0, 0, 0, 0 },
};

START_TEST(test_rfc5322)
{
	const struct rfc_case *c = &rfc_cases[_i];
	time_t		 t = 0;
	int		 tz = 0;
	size_t		 len = strlen(c->in), k;
	bool		 ok;

	ok = rfc5322_date_parse(c->in, len, &t, &tz);
	ck_assert_msg(ok == c->ok, "%s", c->in);
	if (ok) {
		ck_assert_msg(t == utc(c->y, c->m, c->d, c->hh, c->mm, c->ss),
		    "%s: %lld", c->in, (long long)t);
		ck_assert_int_eq(tz, c->tz);
	}
	/* prefixes: no crash, no read past len */
	for (k = 0; k < len; k++) {
		char *p = malloc(k ? k : 1);
		memcpy(p, c->in, k);
		(void)rfc5322_date_parse(p, k, &t, &tz);
		free(p);
	}
}
END_TEST

START_TEST(test_rfc5322_random)
{
	static const char alpha[] = "0123456789 :+-(),\\JanFebMonGMTZ";
	char		 buf[64];
	uint32_t	 x = 7;
	time_t		 t;
	long		 day;
	int		 tz, i;
	size_t		 j, len;

	for (i = 0; i < 20000; i++) {
		x = x * 1103515245 + 12345;
		len = (x >> 16) % sizeof(buf);
		for (j = 0; j < len; j++) {
			x = x * 1103515245 + 12345;
			buf[j] = (i & 1) ? (char)(x >> 16) :
			    alpha[(x >> 16) % (sizeof(alpha) - 1)];
		}
		(void)rfc5322_date_parse(buf, len, &t, &tz);
		(void)imap_datetime_parse(buf, len, &t, &tz);
		(void)imap_date_parse(buf, len, &day);
	}
}
END_TEST

static Suite *
imap_date_suite(void)
{
	Suite	*s = suite_create("imap_date");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_date, 0,
	    sizeof(date_cases) / sizeof(date_cases[0]));
	tcase_add_test(tc, test_date_sweep);
	tcase_add_loop_test(tc, test_datetime, 0,
	    sizeof(dt_cases) / sizeof(dt_cases[0]));
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_day_of);
	tcase_add_loop_test(tc, test_rfc5322, 0,
	    sizeof(rfc_cases) / sizeof(rfc_cases[0]));
	tcase_add_test(tc, test_rfc5322_random);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_date_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
