/*
 * Unit tests: LIST wildcard matching (RFC 9051 6.3.9).
 */
#include <check.h>
#include <stdlib.h>

#include "imapd/listmatch.h"

static const struct {
	const char	*pattern;
	const char	*name;
	int		 match;
} cases[] = {
	{ "*", "INBOX", 1 },
	{ "*", "a/b/c", 1 },
	{ "%", "a", 1 },
	{ "%", "a/b", 0 },
	{ "a/%", "a/b", 1 },
	{ "a/%", "a/b/c", 0 },
	{ "a/*", "a/b/c", 1 },
	{ "a*", "a", 1 },
	{ "a*", "ab/c", 1 },
	{ "a%", "ab/c", 0 },
	{ "%/%", "a/b", 1 },
	{ "%/b", "x/b", 1 },
	{ "", "", 1 },
	{ "", "a", 0 },
	{ "inbox", "INBOX", 1 },
	{ "InBoX", "INBOX", 1 },
	{ "inbox/%", "INBOX/x", 1 },
	{ "inbox", "Inbox2", 0 },
	{ "abc", "ABC", 0 },	/* only INBOX is case-insensitive */
	{ "*x*y*z", "axbyc", 0 },
	{ "*x*y*z", "axbycz", 1 },
	{ "%%%%%%%%%%%%%%%%%%%%%%%%b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0 },
	{ "Sent%", "Sent Items", 1 },
	{ "*/%", "a/b/c", 1 },
	{ "%/", "a/", 1 },
};

START_TEST(test_cases)
{
	ck_assert_msg(listmatch(cases[_i].pattern, cases[_i].name, '/') ==
	    cases[_i].match, "pattern \"%s\" name \"%s\": expected %d",
	    cases[_i].pattern, cases[_i].name, cases[_i].match);
}
END_TEST

/* Many wildcards against a long name stay polynomial. */
START_TEST(test_no_blowup)
{
	char pat[201], name[2001];
	int i;

	for (i = 0; i < 200; i++)
		pat[i] = i % 2 ? '*' : 'a';
	pat[200] = '\0';
	for (i = 0; i < 2000; i++)
		name[i] = 'a';
	name[2000] = '\0';
	ck_assert(listmatch(pat, name, '/'));
	name[1999] = 'b';
	ck_assert(listmatch(pat, name, '/'));
	pat[199] = 'c';
	ck_assert(!listmatch(pat, name, '/'));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("listmatch");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_cases, 0, sizeof(cases) /
	    sizeof(cases[0]));
	tcase_add_test(tc, test_no_blowup);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
