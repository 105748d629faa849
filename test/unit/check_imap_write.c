/*
 * Unit tests for lib/imap_write.c: exact bytes of each encoding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/buf.h"
#include "lib/imap_write.h"

enum which { W_STRING, W_NSTRING, W_ASTRING, W_QUOTED, W_LITERAL,
	W_LITERAL8 };

static const struct {
	enum which	 fn;
	const char	*in;		/* NULL only for nstring */
	size_t		 len;		/* 0: strlen */
	int		 ret;
	const char	*out;
	size_t		 outlen;	/* 0: strlen */
} cases[] = {
	{ W_STRING, "hello", 0, 0, "\"hello\"", 0 },
	{ W_STRING, "", 0, 0, "\"\"", 0 },
	{ W_STRING, "a\"b\\c", 0, 0, "\"a\\\"b\\\\c\"", 0 },
	{ W_STRING, "\"", 0, 0, "\"\\\"\"", 0 },
	{ W_STRING, "\\\\", 0, 0, "\"\\\\\\\\\"", 0 },
	{ W_STRING, "two words", 0, 0, "\"two words\"", 0 },
	{ W_STRING, "caf\xc3\xa9", 0, 0, "\"caf\xc3\xa9\"", 0 },
	{ W_STRING, "caf\xe9", 0, 0, "{4}\r\ncaf\xe9", 0 },
	{ W_STRING, "a\r\nb", 0, 0, "{4}\r\na\r\nb", 0 },
	{ W_STRING, "a\nb", 0, 0, "{3}\r\na\nb", 0 },
	{ W_STRING, "a\rb", 0, 0, "{3}\r\na\rb", 0 },
	{ W_STRING, "a\0b", 3, 0, "{3}\r\na\0b", 8 },
	{ W_STRING, "tab\there", 0, 0, "\"tab\there\"", 0 },
	{ W_NSTRING, NULL, 0, 0, "NIL", 0 },
	{ W_NSTRING, "NIL", 0, 0, "\"NIL\"", 0 },
	{ W_NSTRING, "", 0, 0, "\"\"", 0 },
	{ W_NSTRING, "x\ny", 0, 0, "{3}\r\nx\ny", 0 },
	{ W_ASTRING, "INBOX", 0, 0, "INBOX", 0 },
	{ W_ASTRING, "Sent/2024", 0, 0, "Sent/2024", 0 },
	{ W_ASTRING, "a]b", 0, 0, "a]b", 0 },	/* "]" is ASTRING-CHAR */
	{ W_ASTRING, "a+b.c-d_e~f!#$&'=<>?@^`|}", 0, 0,
	    "a+b.c-d_e~f!#$&'=<>?@^`|}", 0 },
	{ W_ASTRING, "", 0, 0, "\"\"", 0 },
	{ W_ASTRING, "NIL", 0, 0, "\"NIL\"", 0 },
	{ W_ASTRING, "nil", 0, 0, "\"nil\"", 0 },
	{ W_ASTRING, "Nil", 0, 0, "\"Nil\"", 0 },
	{ W_ASTRING, "NILS", 0, 0, "NILS", 0 },
	{ W_ASTRING, "NI", 0, 0, "NI", 0 },
	{ W_ASTRING, "two words", 0, 0, "\"two words\"", 0 },
	{ W_ASTRING, "a(b", 0, 0, "\"a(b\"", 0 },
	{ W_ASTRING, "a)b", 0, 0, "\"a)b\"", 0 },
	{ W_ASTRING, "a{b", 0, 0, "\"a{b\"", 0 },
	{ W_ASTRING, "a%b", 0, 0, "\"a%b\"", 0 },
	{ W_ASTRING, "a*b", 0, 0, "\"a*b\"", 0 },
	{ W_ASTRING, "a\"b", 0, 0, "\"a\\\"b\"", 0 },
	{ W_ASTRING, "a\\b", 0, 0, "\"a\\\\b\"", 0 },
	{ W_ASTRING, "a\x7f" "b", 0, 0, "\"a\x7f" "b\"", 0 },
	{ W_ASTRING, "a\x01" "b", 0, 0, "\"a\x01" "b\"", 0 },
	{ W_ASTRING, "Entw\xc3\xbcrfe", 0, 0, "\"Entw\xc3\xbcrfe\"", 0 },
	{ W_ASTRING, "a\r\n", 0, 0, "{3}\r\na\r\n", 0 },
	{ W_QUOTED, "x", 0, 0, "\"x\"", 0 },
	{ W_QUOTED, "", 0, 0, "\"\"", 0 },
	{ W_QUOTED, "\\\"", 0, 0, "\"\\\\\\\"\"", 0 },
	{ W_QUOTED, "a\rb", 0, -1, "", 0 },
	{ W_QUOTED, "a\nb", 0, -1, "", 0 },
	{ W_QUOTED, "a\0b", 3, -1, "", 0 },
	{ W_QUOTED, "\xe9", 0, -1, "", 0 },
	{ W_QUOTED, "\xe2\x82\xac", 0, 0, "\"\xe2\x82\xac\"", 0 },
	{ W_LITERAL, "abc", 0, 0, "{3}\r\nabc", 0 },
	{ W_LITERAL, "", 0, 0, "{0}\r\n", 0 },
	{ W_LITERAL, "a\0", 2, 0, "{2}\r\na\0", 7 },
	{ W_LITERAL8, "a\0", 2, 0, "~{2}\r\na\0", 8 },
	{ W_LITERAL8, "", 0, 0, "~{0}\r\n", 0 },
};

static int
run(struct buf *b, enum which fn, const char *s, size_t len)
{
	switch (fn) {
	case W_STRING:
		return imw_string(b, s, len);
	case W_NSTRING:
		return imw_nstring(b, s, len);
	case W_ASTRING:
		return imw_astring(b, s, len);
	case W_QUOTED:
		return imw_quoted(b, s, len);
	case W_LITERAL:
		return imw_literal(b, s, len, 0);
	default:
		return imw_literal(b, s, len, 1);
	}
}

START_TEST(test_cases)
{
	struct buf	*b = buf_new(1000);
	const char	*in = cases[_i].in;
	size_t		 len = cases[_i].len, outlen = cases[_i].outlen;

	if (len == 0 && in != NULL)
		len = strlen(in);
	if (outlen == 0)
		outlen = strlen(cases[_i].out);
	buf_puts(b, "<");
	ck_assert_int_eq(run(b, cases[_i].fn, in, len), cases[_i].ret);
	ck_assert_msg(buf_len(b) == outlen + 1 &&
	    memcmp(buf_data(b) + 1, cases[_i].out, outlen) == 0,
	    "case %d: got \"%s\"", _i, buf_cstr(b));
	buf_free(&b);
}
END_TEST

/* 1024 bytes is still quoted, 1025 becomes a literal. */
START_TEST(test_quoted_length_limit)
{
	struct buf	*b = buf_new(5000);
	char		 s[1025];

	memset(s, 'a', sizeof(s));
	ck_assert_int_eq(imw_string(b, s, 1024), 0);
	ck_assert_uint_eq(buf_len(b), 1026);
	ck_assert_int_eq(buf_data(b)[0], '"');
	buf_reset(b);
	ck_assert_int_eq(imw_string(b, s, 1025), 0);
	ck_assert_uint_eq(buf_len(b), 8 + 1025);
	ck_assert_mem_eq(buf_data(b), "{1025}\r\n", 8);
	buf_reset(b);
	/* astring with spaces, long: literal as well */
	s[10] = ' ';
	ck_assert_int_eq(imw_astring(b, s, 1025), 0);
	ck_assert_mem_eq(buf_data(b), "{1025}\r\n", 8);
	/* imw_quoted itself has no length limit */
	buf_reset(b);
	ck_assert_int_eq(imw_quoted(b, s, 1025), 0);
	ck_assert_uint_eq(buf_len(b), 1027);
	buf_free(&b);
}
END_TEST

/* A full buffer: -1 and the buffer is left exactly as it was. */
START_TEST(test_full_buffer)
{
	struct buf	*b;
	size_t		 max;
	int		 r;

	for (max = 0; max < 20; max++) {
		b = buf_new(max);
		buf_append(b, "xx", max < 2 ? max : 2);
		r = imw_string(b, "a\"bc", 4);	/* "a\"bc" = 7 bytes */
		if (max >= 9) {
			ck_assert_int_eq(r, 0);
			ck_assert_str_eq(buf_cstr(b), "xx\"a\\\"bc\"");
		} else {
			ck_assert_int_eq(r, -1);
			ck_assert_uint_eq(buf_len(b), max < 2 ? max : 2);
		}
		buf_reset(b);
		r = imw_literal(b, "abcdef", 6, 1);	/* ~{6}\r\nabcdef */
		ck_assert_int_eq(r, max >= 12 ? 0 : -1);
		ck_assert_uint_eq(buf_len(b), max >= 12 ? 12 : 0);
		buf_reset(b);
		r = imw_astring(b, "INBOX", 5);
		ck_assert_int_eq(r, max >= 5 ? 0 : -1);
		ck_assert_uint_eq(buf_len(b), max >= 5 ? 5 : 0);
		buf_reset(b);
		r = imw_nstring(b, NULL, 0);
		ck_assert_int_eq(r, max >= 3 ? 0 : -1);
		buf_reset(b);
		r = imw_u64(b, 12345);
		ck_assert_int_eq(r, max >= 5 ? 0 : -1);
		ck_assert_uint_eq(buf_len(b), max >= 5 ? 5 : 0);
		buf_free(&b);
	}
}
END_TEST

START_TEST(test_u64)
{
	struct buf	*b = buf_new(100);

	ck_assert_int_eq(imw_u64(b, 0), 0);
	buf_putc(b, ' ');
	ck_assert_int_eq(imw_u64(b, 4294967296ULL), 0);
	buf_putc(b, ' ');
	ck_assert_int_eq(imw_u64(b, UINT64_MAX), 0);
	ck_assert_str_eq(buf_cstr(b), "0 4294967296 18446744073709551615");
	buf_free(&b);
}
END_TEST

static Suite *
imap_write_suite(void)
{
	Suite	*s = suite_create("imap_write");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_cases, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_quoted_length_limit);
	tcase_add_test(tc, test_full_buffer);
	tcase_add_test(tc, test_u64);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_write_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
