/*
 * check_qp: quoted-printable (RFC 2045 6.7) and RFC 2047 "Q" decoding,
 * including the lenient cases real mail needs, one byte at a time
 * (every prefix decodes without reading past the end) and the output
 * limit at the exact size and one byte less.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/buf.h"
#include "lib/qp.h"

#define S(lit)	lit, sizeof(lit) - 1

struct qp_case {
	const char	*in;
	size_t		 len;
	bool		 header;
	const char	*out;
	size_t		 outlen;
};

static const struct qp_case qp_cases[] = {
	{ S("plain text"), false, S("plain text") },
	{ S("caf=E9"), false, S("caf\xe9") },
	{ S("caf=e9"), false, S("caf\xe9") },
	{ S("=3D=3d"), false, S("==") },
	{ S("a=00b"), false, S("a\0b") },
	/* RFC 2045 6.7 (5): soft line breaks */
	{ S("long=\r\nline"), false, S("longline") },
	{ S("long=  \r\nline"), false, S("longline") },
	{ S("long=\nline"), false, S("longline") },
	/* hard line breaks stay (bare LF becomes CRLF) */
	{ S("a\r\nb\r\n"), false, S("a\r\nb\r\n") },
	{ S("a\nb"), false, S("a\r\nb") },
	/* RFC 2045 6.7 (3): trailing blanks are padding */
	{ S("a  \t\r\nb \t"), false, S("a\r\nb") },
	{ S("a =20\r\n"), false, S("a  \r\n") },
	/* lenient: bad escapes stay, a final "=" goes */
	{ S("a=ZZb"), false, S("a=ZZb") },
	{ S("a=4"), false, S("a=4") },
	{ S("a=4\r\n"), false, S("a=4\r\n") },
	{ S("a="), false, S("a") },
	{ S("="), false, S("") },
	{ S("=\r\n"), false, S("") },
	{ S("= b"), false, S("= b") },
	{ S(""), false, S("") },
	{ S("\r\n\r\n"), false, S("\r\n\r\n") },
	{ S("a\rb"), false, S("a\rb") },
	/* RFC 2047 4.2: Q encoding */
	{ S("Keld_J=F8rn"), true, S("Keld J\xf8rn") },
	{ S("a=5Fb_c"), true, S("a_b c") },
	{ S("a="), true, S("a=") },
	{ S("end  "), true, S("end  ") },
	{ S("under_score"), false, S("under_score") },
};

START_TEST(test_decode)
{
	const struct qp_case	*c = &qp_cases[_i];
	struct buf		*b = buf_new(1024);
	char			*copy = malloc(c->len + 1);

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, c->in, c->len);
	ck_assert_int_eq(qp_decode(b, copy, c->len, c->header), 0);
	ck_assert_msg(buf_len(b) == c->outlen &&
	    memcmp(buf_data(b), c->out, c->outlen) == 0, "[%s] -> [%s]",
	    c->in, buf_cstr(b));
	free(copy);
	buf_free(&b);
}
END_TEST

/* Every prefix, in its own allocation: no read past the end. */
START_TEST(test_prefixes)
{
	const struct qp_case	*c = &qp_cases[_i];
	struct buf		*b = buf_new(1024);
	size_t			 n;
	char			*copy;

	for (n = 0; n <= c->len; n++) {
		copy = malloc(n + 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, c->in, n);
		buf_reset(b);
		ck_assert_int_eq(qp_decode(b, copy, n, c->header), 0);
		ck_assert_uint_le(buf_len(b), 2 * n);
		free(copy);
	}
	buf_free(&b);
}
END_TEST

START_TEST(test_full)
{
	static const char in[] = "caf=E9 au lait=\r\n, merci\r\n";
	static const char out[] = "caf\xe9 au lait, merci\r\n";
	struct buf	*b;
	size_t		 max;

	for (max = 0; max < sizeof(out) - 1; max++) {
		b = buf_new(max);
		ck_assert_int_eq(qp_decode(b, in, sizeof(in) - 1, false), -1);
		/* what fitted is a prefix of the result */
		ck_assert_uint_eq(buf_len(b), max);
		ck_assert(memcmp(buf_data(b), out, max) == 0);
		buf_free(&b);
	}
	b = buf_new(sizeof(out) - 1);
	ck_assert_int_eq(qp_decode(b, in, sizeof(in) - 1, false), 0);
	ck_assert_str_eq(buf_cstr(b), out);
	buf_free(&b);
}
END_TEST

/* A long body goes through in chunks. */
START_TEST(test_long)
{
	struct buf	*in = buf_new(1 << 20), *out = buf_new(1 << 20);
	size_t		 i;

	for (i = 0; i < 20000; i++)
		(void)buf_puts(in, "=41=\r\n");
	ck_assert_int_eq(qp_decode(out, (const char *)buf_data(in),
	    buf_len(in), false), 0);
	ck_assert_uint_eq(buf_len(out), 20000);
	for (i = 0; i < 20000; i++)
		ck_assert_int_eq(buf_data(out)[i], 'A');
	buf_free(&in);
	buf_free(&out);
}
END_TEST

static Suite *
qp_suite(void)
{
	Suite	*s = suite_create("qp");
	TCase	*tc = tcase_create("decode");

	tcase_add_loop_test(tc, test_decode, 0,
	    sizeof(qp_cases) / sizeof(qp_cases[0]));
	tcase_add_loop_test(tc, test_prefixes, 0,
	    sizeof(qp_cases) / sizeof(qp_cases[0]));
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_long);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(qp_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
