/*
 * Unit tests: resolving sequence sets against a view (RFC 9051 6.4.8 "*"
 * semantics, out-of-range numbers).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lib/seqset.h"
#include "imapd/view.h"

static struct view v;

static void
setup(void)
{
	static const uint32_t uids[] = { 3, 5, 10, 11, 20 };
	struct msg m;
	size_t i;

	memset(&v, 0, sizeof(v));
	memset(&m, 0, sizeof(m));
	for (i = 0; i < 5; i++) {
		m.uid = uids[i];
		view_append(&v, &m);
	}
}

static void
teardown(void)
{
	view_clear(&v);
}

/* resolve text set into "i,j,k" (indexes) or "ERR" */
static void
resolve(const char *text, int uid, char *out, size_t outlen)
{
	struct seqset *set;
	size_t *idx, n, i, used = 0;

	out[0] = '\0';
	ck_assert_int_eq(seqset_parse(text, strlen(text), &set), 0);
	if (view_resolve(&v, set, uid, &idx, &n) == -1) {
		strcpy(out, "ERR");
		seqset_free(&set);
		return;
	}
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%zu",
		    i ? "," : "", idx[i]);
	free(idx);
	seqset_free(&set);
}

static const struct {
	const char	*set;
	int		 uid;
	const char	*want;
} cases[] = {
	{ "1", 0, "0" },
	{ "1:*", 0, "0,1,2,3,4" },
	{ "*", 0, "4" },
	{ "5:3", 0, "2,3,4" },
	{ "6", 0, "ERR" },
	{ "2,4,2", 0, "1,3" },
	{ "1:*", 1, "0,1,2,3,4" },
	{ "4:10", 1, "1,2" },
	{ "21:*", 1, "4" },	/* "*" is the last UID even past it */
	{ "100", 1, "" },
	{ "12:19", 1, "" },
	{ "*:4", 1, "1,2,3,4" },
};

START_TEST(test_resolve)
{
	char out[256];

	resolve(cases[_i].set, cases[_i].uid, out, sizeof(out));
	ck_assert_msg(strcmp(out, cases[_i].want) == 0,
	    "%s (uid %d): got \"%s\" want \"%s\"", cases[_i].set,
	    cases[_i].uid, out, cases[_i].want);
}
END_TEST

START_TEST(test_empty_view)
{
	struct view e;
	struct seqset *set;
	size_t *idx, n;

	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(seqset_parse("1:*", 3, &set), 0);
	ck_assert_int_eq(view_resolve(&e, set, 0, &idx, &n), 0);
	ck_assert_uint_eq(n, 0);
	seqset_free(&set);
	ck_assert_int_eq(seqset_parse("1", 1, &set), 0);
	ck_assert_int_eq(view_resolve(&e, set, 0, &idx, &n), -1);
	seqset_free(&set);
}
END_TEST

START_TEST(test_find_remove)
{
	ck_assert_int_eq(view_find_uid(&v, 10), 2);
	ck_assert_int_eq(view_find_uid(&v, 4), -1);
	view_remove(&v, 2);
	ck_assert_uint_eq(v.n, 4);
	ck_assert_int_eq(view_find_uid(&v, 11), 2);
	ck_assert_uint_eq(view_max_uid(&v), 20);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_resolve, 0, sizeof(cases) /
	    sizeof(cases[0]));
	tcase_add_test(tc, test_empty_view);
	tcase_add_test(tc, test_find_remove);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
