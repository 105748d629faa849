/*
 * Unit tests for lib/seqset.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/seqset.h"

struct parse_case {
	const char	*in;
	int		 ok;
	const char	*ranges;	/* "lo:hi,..." as stored, 0 = "*" */
};

static const char *dump(const struct seqset *, char *, size_t);
static Suite	*seqset_suite(void);

static const struct parse_case parse_cases[] = {
	{ "1", 1, "1:1" },
	{ "*", 1, "0:0" },
	{ "1:*", 1, "1:0" },
	{ "*:4", 1, "0:4" },
	{ "4:2", 1, "4:2" },
	{ "2,4:7,9,12:*", 1, "2:2,4:7,9:9,12:0" },
	{ "*:4,5:7", 1, "0:4,5:7" },
	{ "4294967295", 1, "4294967295:4294967295" },
	{ "1:4294967295", 1, "1:4294967295" },
	{ "4827313:4828442", 1, "4827313:4828442" },
	{ "1,3000:3021", 1, "1:1,3000:3021" },
	{ "1,1,1", 1, "1:1,1:1,1:1" },
	{ "$", 1, "$" },
	{ "", 0, NULL },
	{ "0", 0, NULL },
	{ "01", 0, NULL },
	{ "1:0", 0, NULL },
	{ "1:01", 0, NULL },
	{ "4294967296", 0, NULL },
	{ "99999999999999999999", 0, NULL },
	{ "1:4294967296", 0, NULL },
	{ "1,", 0, NULL },
	{ ",1", 0, NULL },
	{ "1,,2", 0, NULL },
	{ "1:", 0, NULL },
	{ ":1", 0, NULL },
	{ "1:2:3", 0, NULL },
	{ "1::2", 0, NULL },
	{ "**", 0, NULL },
	{ "*1", 0, NULL },
	{ "1*", 0, NULL },
	{ "$,1", 0, NULL },
	{ "1,$", 0, NULL },
	{ "$:1", 0, NULL },
	{ "$$", 0, NULL },
	{ "-1", 0, NULL },
	{ "+1", 0, NULL },
	{ " 1", 0, NULL },
	{ "1 ", 0, NULL },
	{ "a", 0, NULL },
	{ "1.5", 0, NULL },
};

static const char *
dump(const struct seqset *set, char *out, size_t outlen)
{
	size_t	 i, n = 0;

	out[0] = '\0';
	if (set->saved) {
		ck_assert_int_eq(set->n, 0);
		snprintf(out, outlen, "$");
		return out;
	}
	for (i = 0; i < set->n; i++)
		n += snprintf(out + n, outlen - n, "%s%u:%u", i ? "," : "",
		    set->r[i].lo, set->r[i].hi);
	return out;
}

START_TEST(test_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	struct seqset	*set = (struct seqset *)&set;
	char		 out[256];
	size_t		 len = strlen(c->in), k;
	int		 r;

	r = seqset_parse(c->in, len, &set);
	if (!c->ok) {
		ck_assert_msg(r == -1, "accepted \"%s\"", c->in);
		ck_assert_ptr_null(set);
		return;
	}
	ck_assert_msg(r == 0, "refused \"%s\"", c->in);
	ck_assert_str_eq(dump(set, out, sizeof(out)), c->ranges);
	seqset_free(&set);
	ck_assert_ptr_null(set);
	/* no proper prefix of a valid set ending in ":" or "," is valid;
	 * and nothing reads past len */
	for (k = 0; k < len; k++) {
		char *cp = malloc(k + 1);
		memcpy(cp, c->in, k);
		r = seqset_parse(cp, k, &set);
		if (k == 0 || c->in[k - 1] == ':' || c->in[k - 1] == ',')
			ck_assert_int_eq(r, -1);
		seqset_free(&set);
		free(cp);
	}
}
END_TEST

START_TEST(test_contains)
{
	struct seqset	*set;
	uint32_t	 v;

	ck_assert_int_eq(seqset_parse("2,4:7,9,12:*", 12, &set), 0);
	/* RFC 9051 9: with 15 messages = 2,4,5,6,7,9,12,13,14,15 */
	for (v = 0; v <= 20; v++) {
		bool want = v == 2 || (v >= 4 && v <= 7) || v == 9 ||
		    (v >= 12 && v <= 15);
		ck_assert_msg(seqset_contains(set, v, 15) == want, "%u", v);
	}
	seqset_free(&set);

	/* "*:4,5:7" with 10 messages = 4..10; reversed ranges */
	ck_assert_int_eq(seqset_parse("*:4,5:7", 7, &set), 0);
	for (v = 1; v <= 12; v++)
		ck_assert(seqset_contains(set, v, 10) == (v >= 4 && v <= 10));
	seqset_free(&set);

	/* RFC 9051 9: 3291:* includes the last UID even if less */
	ck_assert_int_eq(seqset_parse("3291:*", 6, &set), 0);
	ck_assert(seqset_contains(set, 100, 100));
	ck_assert(seqset_contains(set, 3000, 100));
	ck_assert(!seqset_contains(set, 99, 100));
	ck_assert(!seqset_contains(set, 3292, 100));
	ck_assert(seqset_contains(set, 3291, 100));
	ck_assert(seqset_contains(set, 4000, 5000));
	seqset_free(&set);

	ck_assert_int_eq(seqset_parse("*", 1, &set), 0);
	ck_assert(seqset_contains(set, 7, 7));
	ck_assert(!seqset_contains(set, 6, 7));
	ck_assert(!seqset_contains(set, 1, 0));
	seqset_free(&set);

	ck_assert_int_eq(seqset_parse("4294967295", 10, &set), 0);
	ck_assert(seqset_contains(set, UINT32_MAX, 1));
	ck_assert(!seqset_contains(set, UINT32_MAX - 1, 1));
	seqset_free(&set);

	ck_assert_int_eq(seqset_parse("$", 1, &set), 0);
	ck_assert(set->saved);
	ck_assert(!seqset_contains(set, 1, 1));
	seqset_free(&set);
}
END_TEST

struct norm_case {
	const char	*in;
	uint32_t	 star;
	const char	*out;
};

static const struct norm_case norm_cases[] = {
	{ "1", 10, "1" },
	{ "*", 10, "10" },
	{ "3:1", 10, "1:3" },
	{ "2,4:7,9,12:*", 15, "2,4:7,9,12:15" },
	{ "*:4,5:7", 10, "4:10" },
	{ "5,4,3,2,1", 10, "1:5" },
	{ "1,3,5", 10, "1,3,5" },
	{ "1:3,4:6", 10, "1:6" },
	{ "1:3,5:6", 10, "1:3,5:6" },
	{ "10:20,1:15", 0, "1:20" },
	{ "1:5,2:3", 10, "1:5" },
	{ "7,7,7", 10, "7" },
	{ "4294967295,1:4294967294", 1, "1:4294967295" },
	{ "4294967295,4294967295:1", 1, "1:4294967295" },
	{ "4294967294:4294967295,4294967295,1", 1, "1,4294967294:4294967295" },
	{ "3291:*", 100, "100:3291" },
};

START_TEST(test_normalize)
{
	const struct norm_case *c = &norm_cases[_i];
	struct seqset	*set, *dup;
	char		*s;
	uint32_t	 v;

	ck_assert_int_eq(seqset_parse(c->in, strlen(c->in), &set), 0);
	dup = seqset_dup(set);
	seqset_normalize(set, c->star);
	s = seqset_format(set);
	ck_assert_str_eq(s, c->out);
	free(s);
	/* normalisation keeps membership */
	for (v = 0; v < 30; v++)
		ck_assert(seqset_contains(set, v, c->star) ==
		    seqset_contains(dup, v, c->star));
	seqset_free(&set);
	seqset_free(&dup);
}
END_TEST

START_TEST(test_format)
{
	struct seqset	*set;
	char		*s;
	static const uint32_t a1[] = { 1, 2, 3, 5, 7, 8, 9 };
	static const uint32_t a2[] = { 4294967294U, 4294967295U };
	static const uint32_t a3[] = { 1, 1, 2, 4, 4 };
	static const uint32_t a4[] = { 42 };

	/* unnormalised: "*" stays */
	ck_assert_int_eq(seqset_parse("1:*,*,5:3", 9, &set), 0);
	s = seqset_format(set);
	ck_assert_str_eq(s, "1:*,*,5:3");
	free(s);
	seqset_free(&set);

	ck_assert_int_eq(seqset_parse("$", 1, &set), 0);
	s = seqset_format(set);
	ck_assert_str_eq(s, "$");
	free(s);
	seqset_free(&set);

	set = seqset_new();
	s = seqset_format(set);
	ck_assert_str_eq(s, "");
	free(s);
	ck_assert_int_eq(seqset_add(set, 4294967295U, 1), 0);
	s = seqset_format(set);
	ck_assert_str_eq(s, "4294967295:1");
	free(s);
	seqset_free(&set);

	s = seqset_format_array(a1, 7);
	ck_assert_str_eq(s, "1:3,5,7:9");
	free(s);
	s = seqset_format_array(a2, 2);
	ck_assert_str_eq(s, "4294967294:4294967295");
	free(s);
	s = seqset_format_array(a3, 5);
	ck_assert_str_eq(s, "1:2,4");
	free(s);
	s = seqset_format_array(a4, 1);
	ck_assert_str_eq(s, "42");
	free(s);
	s = seqset_format_array(NULL, 0);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_add_dup_many)
{
	struct seqset	*set = seqset_new(), *d;
	uint32_t	*v;
	char		*s, *t;
	size_t		 i, n = 10000;

	v = calloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		/* every third number missing */
		v[i] = (uint32_t)(i / 2 * 3 + 1 + i % 2);
		ck_assert_int_eq(seqset_add(set, v[i], v[i]), 0);
		if (i == 4) {
			/* a copy keeps growing correctly */
			d = seqset_dup(set);
			ck_assert_int_eq(d->n, 5);
			ck_assert_int_eq(seqset_add(d, 99, 99), 0);
			ck_assert_int_eq(seqset_add(d, 98, 98), 0);
			ck_assert_int_eq(seqset_add(d, 97, 97), 0);
			ck_assert_int_eq(seqset_add(d, 96, 96), 0);
			ck_assert_int_eq(d->n, 9);
			seqset_free(&d);
		}
	}
	d = seqset_dup(set);
	seqset_normalize(d, 0);
	ck_assert_int_eq(d->n, n / 2);
	s = seqset_format(d);
	t = seqset_format_array(v, n);
	ck_assert_str_eq(s, t);
	ck_assert(strncmp(s, "1:2,4:5,7:8,", 12) == 0);
	/* formatted text parses back to the same set */
	seqset_free(&set);
	ck_assert_int_eq(seqset_parse(s, strlen(s), &set), 0);
	ck_assert_int_eq(set->n, d->n);
	ck_assert_mem_eq(set->r, d->r, d->n * sizeof(*d->r));
	free(s);
	free(t);
	free(v);
	seqset_free(&set);
	seqset_free(&d);
	seqset_free(&d);
	seqset_free(NULL);

	/* the saved flag is copied */
	ck_assert_int_eq(seqset_parse("$", 1, &set), 0);
	d = seqset_dup(set);
	ck_assert(d->saved);
	ck_assert_int_eq(d->n, 0);
	seqset_free(&d);
	seqset_free(&set);
}
END_TEST

static Suite *
seqset_suite(void)
{
	Suite	*s = suite_create("seqset");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse, 0,
	    sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_test(tc, test_contains);
	tcase_add_loop_test(tc, test_normalize, 0,
	    sizeof(norm_cases) / sizeof(norm_cases[0]));
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_add_dup_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(seqset_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
