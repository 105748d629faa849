/*
 * Unit tests for lib/base64.c.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/base64.h"
#include "lib/buf.h"

/* RFC 4648 section 10 test vectors, plus binary data. */
static const struct {
	const char	*plain;
	size_t		 len;
	const char	*enc;
} vectors[] = {
	{ "", 0, "" },
	{ "f", 1, "Zg==" },
	{ "fo", 2, "Zm8=" },
	{ "foo", 3, "Zm9v" },
	{ "foob", 4, "Zm9vYg==" },
	{ "fooba", 5, "Zm9vYmE=" },
	{ "foobar", 6, "Zm9vYmFy" },
	{ "\0user\0pass", 10, "AHVzZXIAcGFzcw==" },
	{ "\xff\xfe\xfd", 3, "//79" },
	{ "\xfb\xef\xbe", 3, "++++" },
	{ "\x00\x00\x00", 3, "AAAA" },
};

START_TEST(test_encode)
{
	struct buf	*b = buf_new(100);

	ck_assert_int_eq(base64_encode(b, vectors[_i].plain,
	    vectors[_i].len), 0);
	ck_assert_str_eq(buf_cstr(b), vectors[_i].enc);
	buf_free(&b);
}
END_TEST

START_TEST(test_decode)
{
	struct buf	*b = buf_new(100);
	const char	*enc = vectors[_i].enc;

	ck_assert_int_eq(base64_decode(b, enc, strlen(enc)), 0);
	ck_assert_uint_eq(buf_len(b), vectors[_i].len);
	ck_assert_mem_eq(buf_data(b), vectors[_i].plain, vectors[_i].len);
	buf_reset(b);
	base64_decode_mime(b, enc, strlen(enc));
	ck_assert_uint_eq(buf_len(b), vectors[_i].len);
	ck_assert_mem_eq(buf_data(b), vectors[_i].plain, vectors[_i].len);
	buf_free(&b);
}
END_TEST

/* Strict decoding rejects all of these and leaves the buffer as it was.
 * Lengths come from strlen() except where the input holds NULs. */
static const struct {
	const char	*in;
	size_t		 len;
} bad_strict[] = {
	{ "Zg", 0 },		/* no padding */
	{ "Zg=", 0 },
	{ "Zm9", 0 },
	{ "Z", 0 },
	{ "=", 0 },
	{ "==", 0 },
	{ "====", 0 },
	{ "Z===", 0 },
	{ "Zg==Zg==", 0 },	/* padding in the middle */
	{ "Zm9v Yg==", 0 },	/* whitespace */
	{ "Zm9v\r\nYg==", 0 },
	{ " Zm9v", 0 },
	{ "Zm9v\n", 0 },
	{ "Zm9vYg=\n", 0 },
	{ "Zm9vYg=a", 0 },	/* data after padding */
	{ "Zm=v", 0 },
	{ "Zm9*", 0 },		/* not in the alphabet */
	{ "Zm9-", 0 },		/* base64url is not base64 */
	{ "Zm9_", 0 },
	{ "Zm9v\0\0\0\0", 8 },
};

START_TEST(test_decode_strict_bad)
{
	struct buf	*b = buf_new(100);
	const char	*in = bad_strict[_i].in;
	size_t		 len = bad_strict[_i].len;

	if (len == 0)
		len = strlen(in);
	buf_puts(b, "keep");
	ck_assert_int_eq(base64_decode(b, in, len), -1);
	ck_assert_str_eq(buf_cstr(b), "keep");
	buf_free(&b);
}
END_TEST

START_TEST(test_encode_limit)
{
	struct buf	*b = buf_new(8);

	/* 6 bytes -> 8 characters: exactly the maximum */
	ck_assert_int_eq(base64_encode(b, "foobar", 6), 0);
	ck_assert_str_eq(buf_cstr(b), "Zm9vYmFy");
	buf_reset(b);
	/* 7 bytes -> 12 characters: fails, buffer unchanged */
	buf_puts(b, "ab");
	ck_assert_int_eq(base64_encode(b, "foobarx", 7), -1);
	ck_assert_str_eq(buf_cstr(b), "ab");
	buf_free(&b);
}
END_TEST

START_TEST(test_decode_limit)
{
	struct buf	*b = buf_new(6);

	ck_assert_int_eq(base64_decode(b, "Zm9vYmFy", 8), 0);
	ck_assert_str_eq(buf_cstr(b), "foobar");
	buf_reset(b);
	ck_assert_int_eq(base64_decode(b, "Zm9vYmFyYg==", 12), -1);
	ck_assert_uint_eq(buf_len(b), 0);
	buf_free(&b);
}
END_TEST

/* MIME decoding: line breaks and junk ignored, stops at padding. */
static const struct {
	const char	*in;
	const char	*out;
} mime_cases[] = {
	{ "Zm9v\r\nYmFy\r\n", "foobar" },
	{ "Zm9v YmFy", "foobar" },
	{ "  Zm\r\n9vY\tmFy  ", "foobar" },
	{ "Zm9vYg==\r\n", "foob" },
	{ "Zm9vYg==Zm9v", "foob" },
	{ "Zm9vYg", "foob" },	/* missing padding */
	{ "Zm9vYmE", "fooba" },
	{ "Zm9vY", "foo" },	/* a lone sextet carries no byte */
	{ "!!Zm9v**", "foo" },
	{ "", "" },
	{ "\r\n", "" },
	{ "====", "" },
};

START_TEST(test_decode_mime)
{
	struct buf	*b = buf_new(100);
	const char	*in = mime_cases[_i].in;

	base64_decode_mime(b, in, strlen(in));
	ck_assert_str_eq(buf_cstr(b), mime_cases[_i].out);
	buf_free(&b);
}
END_TEST

START_TEST(test_decode_mime_binary)
{
	struct buf	*enc = buf_new(1 << 16), *dec = buf_new(1 << 16);
	struct buf	*lines = buf_new(1 << 16);
	unsigned char	 raw[1000];
	size_t		 i, n;

	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 7 + 3);
	ck_assert_int_eq(base64_encode(enc, raw, sizeof(raw)), 0);
	/* split into 76-character lines as MIME does */
	for (i = 0; i < buf_len(enc); i += n) {
		n = buf_len(enc) - i < 76 ? buf_len(enc) - i : 76;
		buf_append(lines, buf_data(enc) + i, n);
		buf_puts(lines, "\r\n");
	}
	base64_decode_mime(dec, buf_cstr(lines), buf_len(lines));
	ck_assert_uint_eq(buf_len(dec), sizeof(raw));
	ck_assert_mem_eq(buf_data(dec), raw, sizeof(raw));
	buf_reset(dec);
	ck_assert_int_eq(base64_decode(dec, buf_cstr(enc), buf_len(enc)), 0);
	ck_assert_mem_eq(buf_data(dec), raw, sizeof(raw));
	buf_free(&enc);
	buf_free(&dec);
	buf_free(&lines);
}
END_TEST

static Suite *
base64_suite(void)
{
	Suite	*s = suite_create("base64");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_encode, 0,
	    sizeof(vectors) / sizeof(vectors[0]));
	tcase_add_loop_test(tc, test_decode, 0,
	    sizeof(vectors) / sizeof(vectors[0]));
	tcase_add_loop_test(tc, test_decode_strict_bad, 0,
	    sizeof(bad_strict) / sizeof(bad_strict[0]));
	tcase_add_test(tc, test_encode_limit);
	tcase_add_test(tc, test_decode_limit);
	tcase_add_loop_test(tc, test_decode_mime, 0,
	    sizeof(mime_cases) / sizeof(mime_cases[0]));
	tcase_add_test(tc, test_decode_mime_binary);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(base64_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
