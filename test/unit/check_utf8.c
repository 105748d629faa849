/*
 * Unit tests for lib/utf8.c.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/utf8.h"

static const struct {
	const char	*s;
	size_t		 len;		/* 0: strlen */
	bool		 valid;
} valid_cases[] = {
	{ "", 0, true },
	{ "plain ascii", 0, true },
	{ "a\0b", 3, true },			/* NUL is valid UTF-8 */
	{ "caf\xc3\xa9", 0, true },		/* U+00E9 */
	{ "\xc2\x80", 0, true },		/* U+0080, smallest 2-byte */
	{ "\xdf\xbf", 0, true },		/* U+07FF */
	{ "\xe0\xa0\x80", 0, true },		/* U+0800 */
	{ "\xe2\x82\xac", 0, true },		/* EURO SIGN */
	{ "\xed\x9f\xbf", 0, true },		/* U+D7FF */
	{ "\xee\x80\x80", 0, true },		/* U+E000 */
	{ "\xef\xbf\xbf", 0, true },		/* U+FFFF */
	{ "\xf0\x90\x80\x80", 0, true },	/* U+10000 */
	{ "\xf0\x9f\x98\x80", 0, true },	/* emoji */
	{ "\xf4\x8f\xbf\xbf", 0, true },	/* U+10FFFF */
	{ "\x80", 0, false },			/* lone continuation */
	{ "\xbf", 0, false },
	{ "\xc0\x80", 0, false },		/* overlong NUL */
	{ "\xc1\xbf", 0, false },		/* overlong */
	{ "\xe0\x80\x80", 0, false },		/* overlong */
	{ "\xe0\x9f\xbf", 0, false },		/* overlong U+07FF */
	{ "\xf0\x80\x80\x80", 0, false },	/* overlong */
	{ "\xf0\x8f\xbf\xbf", 0, false },	/* overlong U+FFFF */
	{ "\xed\xa0\x80", 0, false },		/* surrogate U+D800 */
	{ "\xed\xbf\xbf", 0, false },		/* surrogate U+DFFF */
	{ "\xf4\x90\x80\x80", 0, false },	/* U+110000 */
	{ "\xf5\x80\x80\x80", 0, false },
	{ "\xf8\x88\x80\x80\x80", 0, false },	/* 5-byte form */
	{ "\xfe", 0, false },
	{ "\xff", 0, false },
	{ "\xc3", 0, false },			/* truncated */
	{ "\xe2\x82", 0, false },
	{ "\xf0\x9f\x98", 0, false },
	{ "\xc3(", 0, false },			/* bad continuation */
	{ "\xe2(\xac", 0, false },
	{ "ok\xc3\xa9\xc3", 0, false },
	{ "latin1 \xe9t\xe9", 0, false },
};

START_TEST(test_valid)
{
	const char	*s = valid_cases[_i].s;
	size_t		 len = valid_cases[_i].len ? valid_cases[_i].len :
	    strlen(s);

	ck_assert_msg(utf8_valid(s, len) == valid_cases[_i].valid,
	    "case %d", _i);
}
END_TEST

/* A string is never valid beyond its given length. */
START_TEST(test_valid_prefix)
{
	const char	*s = "\xe2\x82\xac";

	ck_assert(utf8_valid(s, 0));
	ck_assert(!utf8_valid(s, 1));
	ck_assert(!utf8_valid(s, 2));
	ck_assert(utf8_valid(s, 3));
}
END_TEST

static const struct {
	const char	*hay;
	const char	*needle;
	bool		 found;
} ci_cases[] = {
	{ "Hello World", "world", true },
	{ "Hello World", "WORLD", true },
	{ "Hello World", "o w", true },
	{ "Hello World", "worlds", false },
	{ "Hello", "", true },
	{ "", "", true },
	{ "", "a", false },
	{ "abc", "abcd", false },
	{ "aaab", "aab", true },		/* restart after partial */
	{ "ababac", "abac", true },
	/* Latin-1 */
	{ "CAF\xc3\x89", "caf\xc3\xa9", true },		/* É / é */
	{ "caf\xc3\xa9", "CAF\xc3\x89", true },
	{ "\xc3\x9c" "ber", "\xc3\xbc" "BER", true },	/* Ü / ü */
	{ "\xc3\x97", "\xc3\xb7", false },		/* × is not ÷ */
	{ "Stra\xc3\x9f" "e", "STRASSE", false },	/* no full folding */
	{ "\xe1\xba\x9e", "\xc3\x9f", true },		/* ẞ / ß */
	{ "\xc5\xb8", "\xc3\xbf", true },		/* Ÿ / ÿ */
	{ "\xc2\xb5", "\xce\xbc", true },		/* micro / mu */
	/* Latin Extended-A */
	{ "\xc5\x81\xc3\xb3" "d\xc5\xba", "\xc5\x82\xc3\x93" "D\xc5\xb9",
	    true },					/* Łódź / łÓDŹ */
	{ "\xc4\x8c" "esk\xc3\xbd", "\xc4\x8d" "ESK\xc3\x9d", true },
	{ "\xc5\x92" "uvre", "\xc5\x93" "UVRE", true },	/* Œ / œ */
	{ "\xc5\xbf", "S", true },			/* long s */
	{ "\xc4\xb1", "I", false },			/* dotless i */
	/* Latin Extended Additional and symbols */
	{ "Vi\xe1\xbb\x86T", "vi\xe1\xbb\x87t", true },	/* Ệ / ệ */
	{ "\xe2\x84\xaa", "k", true },			/* KELVIN SIGN */
	/* Greek */
	{ "\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91",
	    "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1", true },
	{ "\xce\x9f\xce\x94\xce\x8c\xce\xa3",
	    "\xce\xbf\xce\xb4\xcf\x8c\xcf\x82", true },	/* ΟΔΌΣ/οδός */
	{ "\xcf\x82", "\xcf\x83", true },		/* final sigma */
	{ "\xce\x86", "\xce\xac", true },		/* Ά / ά */
	{ "\xce\x8f", "\xcf\x8e", true },		/* Ώ / ώ */
	/* Cyrillic */
	{ "\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90",
	    "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", true },
	{ "\xd0\x81\xd0\xbb\xd0\xba\xd0\xb0", "\xd1\x91\xd0\x9b", true },
	{ "\xd0\x86", "\xd1\x96", true },		/* І / і */
	{ "\xd2\x90", "\xd2\x91", true },		/* Ґ / ґ */
	{ "\xd3\x81", "\xd3\x82", true },		/* Ӂ / ӂ */
	{ "\xd3\x80", "\xd3\x8f", true },		/* Ӏ / ӏ */
	/* case folding does not mix scripts */
	{ "\xd0\x90", "a", false },			/* Cyrillic A */
	{ "\xce\x91", "a", false },			/* Greek Alpha */
	/* invalid bytes match only themselves */
	{ "abc\xe9" "def", "\xe9" "D", true },
	{ "abc\xe9" "def", "\xc9" "D", false },
	{ "abc\xe9" "def", "\xc3\xa9", false },
	{ "x\xc3", "\xc3", true },
	{ "\xf0\x9f\x98\x80 ok", "\xf0\x9f\x98\x80 OK", true },
};

START_TEST(test_contains_ci)
{
	const char	*h = ci_cases[_i].hay, *n = ci_cases[_i].needle;

	ck_assert_msg(utf8_contains_ci(h, strlen(h), n, strlen(n)) ==
	    ci_cases[_i].found, "case %d", _i);
}
END_TEST

/* Counted strings: NULs inside and lengths shorter than the text. */
START_TEST(test_contains_counted)
{
	ck_assert(utf8_contains_ci("a\0Bc", 4, "\0b", 2));
	ck_assert(!utf8_contains_ci("abc", 2, "c", 1));
	ck_assert(utf8_contains_ci("abc", 3, "cd", 1));
}
END_TEST

/* A needle longer than the internal stack array. */
START_TEST(test_contains_long)
{
	char	 hay[2000], needle[300];

	memset(hay, 'a', sizeof(hay));
	memset(needle, 'A', sizeof(needle));
	needle[sizeof(needle) - 1] = 'B';
	hay[1500] = 'b';
	ck_assert(utf8_contains_ci(hay, sizeof(hay), needle,
	    sizeof(needle)));
	hay[1500] = 'c';
	ck_assert(!utf8_contains_ci(hay, sizeof(hay), needle,
	    sizeof(needle)));
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite	*s = suite_create("utf8");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_valid, 0,
	    sizeof(valid_cases) / sizeof(valid_cases[0]));
	tcase_add_test(tc, test_valid_prefix);
	tcase_add_loop_test(tc, test_contains_ci, 0,
	    sizeof(ci_cases) / sizeof(ci_cases[0]));
	tcase_add_test(tc, test_contains_counted);
	tcase_add_test(tc, test_contains_long);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(utf8_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
