/*
 * check_sasl: PLAIN (RFC 4616) and LOGIN message decoding.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "auth/sasl.h"

#define S(lit)	lit, sizeof(lit) - 1

struct plain_case {
	const char	*msg;
	size_t		 len;
	int		 rc;
	const char	*authzid;
	const char	*authcid;
	const char	*passwd;
};

static const struct plain_case plain_cases[] = {
	/* RFC 4616 4: the two examples */
	{ S("\0tim\0tanstaaftanstaaf"), 0, "", "tim", "tanstaaftanstaaf" },
	{ S("Ursel\0Kurt\0xipj3plmq"), 0, "Ursel", "Kurt", "xipj3plmq" },
	/* authzid equal to authcid */
	{ S("alice\0alice\0secret"), 0, "alice", "alice", "secret" },
	/* UTF-8 in every field, spaces and punctuation in the password */
	{ S("j\xc3\xbcrgen\0j\xc3\xbcrgen\0p\xc3\xa4ss w:rd\""), 0,
	    "j\xc3\xbcrgen", "j\xc3\xbcrgen", "p\xc3\xa4ss w:rd\"" },
	/* one-byte fields */
	{ S("\0a\0b"), 0, "", "a", "b" },
	/* missing NULs */
	{ S(""), -1, NULL, NULL, NULL },
	{ S("timtanstaaf"), -1, NULL, NULL, NULL },
	{ S("tim\0tanstaaf"), -1, NULL, NULL, NULL },
	{ S("\0tim"), -1, NULL, NULL, NULL },
	/* empty authcid or passwd */
	{ S("\0\0pass"), -1, NULL, NULL, NULL },
	{ S("\0tim\0"), -1, NULL, NULL, NULL },
	{ S("\0\0"), -1, NULL, NULL, NULL },
	{ S("zid\0\0"), -1, NULL, NULL, NULL },
	{ S("\0"), -1, NULL, NULL, NULL },
	/* a third NUL: inside the password, or trailing */
	{ S("\0tim\0pa\0ss"), -1, NULL, NULL, NULL },
	{ S("\0tim\0pass\0"), -1, NULL, NULL, NULL },
	{ S("\0tim\0\0pass"), -1, NULL, NULL, NULL },
	{ S("a\0b\0c\0d"), -1, NULL, NULL, NULL },
};

/* The parser sees exactly len bytes in their own allocation, so ASan
 * catches any read past the end. */
static int
parse_exact(const char *msg, size_t len, char **z, char **c, char **p)
{
	char *copy;
	int rc;

	copy = malloc(len == 0 ? 1 : len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, msg, len);
	rc = sasl_plain_parse(copy, len, z, c, p);
	free(copy);
	return rc;
}

START_TEST(test_plain_table)
{
	const struct plain_case *t = &plain_cases[_i];
	char *z = (char *)1, *c = (char *)1, *p = (char *)1;
	int rc;

	rc = parse_exact(t->msg, t->len, &z, &c, &p);
	ck_assert_msg(rc == t->rc, "case %d: rc %d, expected %d", _i, rc,
	    t->rc);
	if (t->rc == 0) {
		ck_assert_str_eq(z, t->authzid);
		ck_assert_str_eq(c, t->authcid);
		ck_assert_str_eq(p, t->passwd);
	} else {
		/* Failure leaves nothing to free. */
		ck_assert_ptr_null(z);
		ck_assert_ptr_null(c);
		ck_assert_ptr_null(p);
	}
	sasl_secret_free(&z);
	sasl_secret_free(&c);
	sasl_secret_free(&p);
	ck_assert_ptr_null(z);
	ck_assert_ptr_null(c);
	ck_assert_ptr_null(p);
}
END_TEST

/* Every prefix of a valid message: no crash, and only prefixes that still
 * hold two NULs and a non-empty password parse. */
START_TEST(test_plain_prefixes)
{
	static const char msg[] = "Ursel\0Kurt\0xipj3plmq";
	const size_t hdr = 11;	/* "Ursel" NUL "Kurt" NUL */
	size_t full = sizeof(msg) - 1, n;
	char *z, *c, *p;
	int rc;

	for (n = 0; n <= full; n++) {
		rc = parse_exact(msg, n, &z, &c, &p);
		if (n <= hdr) {
			ck_assert_int_eq(rc, -1);
			continue;
		}
		ck_assert_int_eq(rc, 0);
		ck_assert_str_eq(z, "Ursel");
		ck_assert_str_eq(c, "Kurt");
		ck_assert_uint_eq(strlen(p), n - hdr);
		ck_assert_int_eq(memcmp(p, "xipj3plmq", n - hdr), 0);
		sasl_secret_free(&z);
		sasl_secret_free(&c);
		sasl_secret_free(&p);
	}
}
END_TEST

/* Build [z] NUL c NUL p with the given field lengths. */
static char *
make_plain(size_t zlen, size_t clen, size_t plen, size_t *len_r)
{
	char *m;

	*len_r = zlen + 1 + clen + 1 + plen;
	m = malloc(*len_r);
	ck_assert_ptr_nonnull(m);
	memset(m, 'z', zlen);
	m[zlen] = '\0';
	memset(m + zlen + 1, 'c', clen);
	m[zlen + 1 + clen] = '\0';
	memset(m + zlen + clen + 2, 'p', plen);
	return m;
}

struct limit_case {
	size_t	 zlen, clen, plen;
	int	 rc;
};

static const struct limit_case limit_cases[] = {
	{ SASL_NAME_MAX, 1, 1, 0 },
	{ SASL_NAME_MAX + 1, 1, 1, -1 },
	{ 0, SASL_NAME_MAX, 1, 0 },
	{ 0, SASL_NAME_MAX + 1, 1, -1 },
	{ 0, 1, SASL_PASS_MAX, 0 },
	{ 0, 1, SASL_PASS_MAX + 1, -1 },
	{ SASL_NAME_MAX, SASL_NAME_MAX, SASL_PASS_MAX, 0 },
	/* RFC 4616 2: servers MUST accept 255 octets in every field */
	{ 255, 255, 255, 0 },
	{ 0, 1, 65536, -1 },
};

START_TEST(test_plain_limits)
{
	const struct limit_case *t = &limit_cases[_i];
	char *m, *z, *c, *p;
	size_t len;
	int rc;

	m = make_plain(t->zlen, t->clen, t->plen, &len);
	rc = sasl_plain_parse(m, len, &z, &c, &p);
	free(m);
	ck_assert_msg(rc == t->rc, "case %d: rc %d", _i, rc);
	if (rc == 0) {
		ck_assert_uint_eq(strlen(z), t->zlen);
		ck_assert_uint_eq(strlen(c), t->clen);
		ck_assert_uint_eq(strlen(p), t->plen);
		sasl_secret_free(&z);
		sasl_secret_free(&c);
		sasl_secret_free(&p);
	}
}
END_TEST

START_TEST(test_plain_null_msg)
{
	char *z, *c, *p;

	ck_assert_int_eq(sasl_plain_parse(NULL, 0, &z, &c, &p), -1);
	ck_assert_ptr_null(z);
}
END_TEST

struct login_case {
	const char	*msg;
	size_t		 len;
	size_t		 max;
	int		 rc;
};

static const struct login_case login_cases[] = {
	{ S("tim"), SASL_NAME_MAX, 0 },
	{ S(""), SASL_NAME_MAX, -1 },
	{ S("t\0m"), SASL_NAME_MAX, -1 },
	{ S("\0"), SASL_NAME_MAX, -1 },
	{ S("pass\0"), SASL_PASS_MAX, -1 },
	{ S("abc"), 3, 0 },
	{ S("abcd"), 3, -1 },
};

START_TEST(test_login_table)
{
	const struct login_case *t = &login_cases[_i];
	char *v = (char *)1;
	int rc;

	rc = sasl_login_value(t->msg, t->len, t->max, &v);
	ck_assert_msg(rc == t->rc, "case %d: rc %d", _i, rc);
	if (rc == 0) {
		ck_assert_uint_eq(strlen(v), t->len);
		ck_assert_int_eq(memcmp(v, t->msg, t->len), 0);
		sasl_secret_free(&v);
	}
	ck_assert_ptr_null(v);
}
END_TEST

START_TEST(test_login_limits)
{
	char buf[SASL_PASS_MAX + 1], *v;

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(sasl_login_value(buf, SASL_PASS_MAX, SASL_PASS_MAX,
	    &v), 0);
	ck_assert_uint_eq(strlen(v), SASL_PASS_MAX);
	sasl_secret_free(&v);
	ck_assert_int_eq(sasl_login_value(buf, SASL_PASS_MAX + 1,
	    SASL_PASS_MAX, &v), -1);
	ck_assert_int_eq(sasl_login_value(buf, SASL_NAME_MAX, SASL_NAME_MAX,
	    &v), 0);
	sasl_secret_free(&v);
	ck_assert_int_eq(sasl_login_value(buf, SASL_NAME_MAX + 1,
	    SASL_NAME_MAX, &v), -1);
	/* Freeing NULL is harmless. */
	sasl_secret_free(&v);
	sasl_secret_free(NULL);
}
END_TEST

START_TEST(test_login_prompts)
{
	/* base64 of "Username:" and "Password:" */
	ck_assert_str_eq(SASL_LOGIN_USER_PROMPT, "VXNlcm5hbWU6");
	ck_assert_str_eq(SASL_LOGIN_PASS_PROMPT, "UGFzc3dvcmQ6");
}
END_TEST

static Suite *
sasl_suite(void)
{
	Suite *s = suite_create("sasl");
	TCase *tc;

	tc = tcase_create("plain");
	tcase_add_loop_test(tc, test_plain_table, 0,
	    sizeof(plain_cases) / sizeof(plain_cases[0]));
	tcase_add_test(tc, test_plain_prefixes);
	tcase_add_loop_test(tc, test_plain_limits, 0,
	    sizeof(limit_cases) / sizeof(limit_cases[0]));
	tcase_add_test(tc, test_plain_null_msg);
	suite_add_tcase(s, tc);

	tc = tcase_create("login");
	tcase_add_loop_test(tc, test_login_table, 0,
	    sizeof(login_cases) / sizeof(login_cases[0]));
	tcase_add_test(tc, test_login_limits);
	tcase_add_test(tc, test_login_prompts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(sasl_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
