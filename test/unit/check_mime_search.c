/*
 * check_mime_search: SEARCH HEADER / BODY / TEXT matching (RFC 9051
 * 6.4.4) on decoded text: RFC 2047 encoded words in many charsets,
 * transfer encodings, charset conversion of text parts, which parts are
 * searched; plus charset_to_utf8() and mime_decode_2047() directly.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/buf.h"
#include "lib/charset.h"
#include "lib/mime.h"
#include "lib/mime_int.h"

#define S(lit)	lit, sizeof(lit) - 1

/* ---- charset_to_utf8 ---- */

struct cs_case {
	const char	*cs;
	const char	*in;
	size_t		 len;
	const char	*out;
};

static const struct cs_case cs_cases[] = {
	{ "ISO-8859-1", S("caf\xe9"), "caf\xc3\xa9" },
	/* labels as mail uses them: Latin-1 is read as windows-1252 */
	{ "iso-8859-1", S("\x80"), "\xe2\x82\xac" },
	{ "latin1", S("\xe9"), "\xc3\xa9" },
	{ "ISO-8859-15", S("\xa4"), "\xe2\x82\xac" },
	{ "windows-1251", S("\xcf\xf0\xe8"), "\xd0\x9f\xd1\x80\xd0\xb8" },
	{ "KOI8-R", S("\xf0\xd2\xc9"), "\xd0\x9f\xd1\x80\xd0\xb8" },
	{ "ISO-2022-JP", S("\x1b$BF|K\\8l\x1b(B"),
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "Shift_JIS", S("\x93\xfa\x96\x7b"), "\xe6\x97\xa5\xe6\x9c\xac" },
	{ "gb2312", S("\xd6\xd0\xce\xc4"), "\xe4\xb8\xad\xe6\x96\x87" },
	{ "ks_c_5601-1987", S("\xc7\xd1"), "\xed\x95\x9c" },
	{ "UTF-16BE", S("\0a\0b"), "ab" },
	/* RFC 2231 5: a language suffix */
	{ "iso-8859-1*fr", S("\xe9"), "\xc3\xa9" },
	/* copied as they are: UTF-8, ASCII, unknown or unsafe names */
	{ "utf-8", S("\xc3\xa9\xff"), "\xc3\xa9\xff" },
	{ "UTF8", S("x\xff"), "x\xff" },
	{ "us-ascii", S("caf\xe9"), "caf\xe9" },
	{ "x-no-such-charset", S("caf\xe9"), "caf\xe9" },
	{ "UTF-8//TRANSLIT", S("caf\xe9"), "caf\xe9" },
	{ "../../etc/x", S("a\xe9"), "a\xe9" },
	{ "", S("a\xe9"), "a\xe9" },
	{ "a-name-that-is-far-too-long-to-be-any-charset-anyone-uses-at-all-x",
	    S("a\xe9"), "a\xe9" },
	/* invalid sequences in a known charset: U+FFFD */
	{ "Shift_JIS", S("a\xff" "b"), "a\xef\xbf\xbd" "b" },
	{ "UTF-16BE", S("\0a\0"), "a\xef\xbf\xbd" },
	{ "ISO-8859-1", S(""), "" },
};

START_TEST(test_charset)
{
	const struct cs_case	*c = &cs_cases[_i];
	struct buf		*b = buf_new(1024);

	ck_assert_int_eq(charset_to_utf8(b, c->cs, strlen(c->cs), c->in,
	    c->len), 0);
	ck_assert_msg(strcmp(buf_cstr(b), c->out) == 0, "%s: got [%s]", c->cs,
	    buf_cstr(b));
	buf_free(&b);
}
END_TEST

START_TEST(test_charset_full)
{
	struct buf	*b;
	size_t		 max;

	/* "\xe9\xe9\xe9" is 6 bytes of UTF-8 */
	for (max = 0; max < 6; max++) {
		b = buf_new(max);
		ck_assert_int_eq(charset_to_utf8(b, "latin1", 6, "\xe9\xe9\xe9",
		    3), -1);
		ck_assert_uint_le(buf_len(b), max);
		buf_free(&b);
	}
	b = buf_new(6);
	ck_assert_int_eq(charset_to_utf8(b, "latin1", 6, "\xe9\xe9\xe9", 3), 0);
	buf_free(&b);
	b = buf_new(2);
	ck_assert_int_eq(charset_to_utf8(b, "utf-8", 5, "abc", 3), -1);
	ck_assert_str_eq(buf_cstr(b), "ab");
	buf_free(&b);
	ck_assert(charset_needs_conversion("KOI8-R", 6));
	ck_assert(!charset_needs_conversion("UTF-8", 5));
	ck_assert(!charset_needs_conversion("x-bogus", 7));
}
END_TEST

/* ---- mime_decode_2047 ---- */

struct ew_case {
	const char	*in;
	const char	*out;
};

static const struct ew_case ew_cases[] = {
	{ "plain", "plain" },
	{ "  leading blanks go", "leading blanks go" },
	{ "=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=",
	    "Keld J\xc3\xb8rn Simonsen" },
	{ "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
	    " =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
	    "If you can read this you understand the example." },
	/* RFC 2047 8: the examples on white space between words */
	{ "(=?ISO-8859-1?Q?a?=)", "(a)" },
	{ "(=?ISO-8859-1?Q?a?= b)", "(a b)" },
	{ "(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)" },
	{ "(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)" },
	{ "(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)" },
	{ "(=?ISO-8859-1?Q?a_b?=)", "(a b)" },
	{ "(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)" },
	/* a UTF-8 character split between two words */
	{ "=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=", "caf\xc3\xa9" },
	{ "=?utf-8?b?w6k=?==?utf-8?b?w6k=?=", "\xc3\xa9\xc3\xa9" },
	{ "=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "\xe6\x97\xa5\xe6\x9c\xac"
	    "\xe8\xaa\x9e" },
	{ "=?utf-8*en?q?lang?=", "lang" },
	{ "Re: =?utf-8?q?x?= y", "Re: x y" },
	{ "a=?utf-8?q?b?=c", "abc" },
	/* not encoded words: left as they are */
	{ "=?utf-8?x?abc?=", "=?utf-8?x?abc?=" },
	{ "=?utf-8?q?no end", "=?utf-8?q?no end" },
	{ "=?utf-8?q?sp ace?=", "=?utf-8?q?sp ace?=" },
	{ "=??q?abc?=", "=??q?abc?=" },
	{ "=?", "=?" },
	{ "=?x?q?", "=?x?q?" },
	{ "=?x?q?=?x?q?a?=", "=?x?q?a" },
	{ "=?utf-8?q?" "?=", "" },
	{ "=?unknown-cs?q?r=E9sum=E9?=", "r\xe9sum\xe9" },
};

START_TEST(test_2047)
{
	const struct ew_case	*c = &ew_cases[_i];
	struct buf		*b = buf_new(1024);
	char			*copy = malloc(strlen(c->in) + 1);

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, c->in, strlen(c->in));
	ck_assert_int_eq(mime_decode_2047(b, copy, strlen(c->in)), 0);
	ck_assert_msg(strcmp(buf_cstr(b), c->out) == 0, "[%s] -> [%s]",
	    c->in, buf_cstr(b));
	free(copy);
	buf_free(&b);
}
END_TEST

/* ---- SEARCH ---- */

static const char hdr_msg[] =
    "Received: from a by b\r\n"
    "Received: from relay.example.net by c\r\n"
    "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@vm1.ulg.ac.be>\r\n"
    "To: =?KOI8-R?B?8NLJ18XU?= <ivan@example.ru>\r\n"
    "Subject: =?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?= and\r\n"
    " =?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?= news\r\n"
    "X-Empty:\r\n"
    "X-Euro: =?iso-8859-1?q?=80?=\r\n"
    "\r\n"
    "body text\r\n";

struct hdr_case {
	const char	*field;
	const char	*needle;
	bool		 match;
};

static const struct hdr_case hdr_cases[] = {
	{ "Subject", "caf\xc3\xa9 and", true },
	{ "subject", "CAF\xc3\x89", true },
	{ "SUBJECT", "and \xe6\x97\xa5\xe6\x9c\xac", true },
	{ "Subject", "news", true },
	{ "Subject", "=?UTF-8?", false },
	{ "Subject", "", true },
	{ "From", "andr\xc3\xa9 pirard", true },
	{ "From", "vm1.ULG", true },
	{ "To", "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", true },
	{ "Received", "relay.example", true },
	{ "Received", "from a", true },
	{ "X-Empty", "", true },
	{ "X-Empty", "x", false },
	{ "X-Euro", "\xe2\x82\xac", true },
	{ "Cc", "", false },
	{ "Cc", "x", false },
	{ "Subjec", "", false },
	{ "Subject", "body text", false },
};

START_TEST(test_header)
{
	const struct hdr_case	*c = &hdr_cases[_i];
	struct mime_msg		*m = mime_parse(hdr_msg, sizeof(hdr_msg) - 1);

	ck_assert_msg(mime_header_contains(m, c->field, c->needle,
	    strlen(c->needle)) == c->match, "%s: [%s]", c->field, c->needle);
	mime_free(&m);
}
END_TEST

static const char body_msg[] =
    "Subject: top subject\r\n"
    "Content-Type: multipart/mixed; boundary=o\r\n"
    "\r\n"
    "preamble words\r\n"
    "--o\r\n"
    "Content-Type: multipart/alternative; boundary=a\r\n"
    "\r\n"
    "--a\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Caf=E9 cr=E8me, hel=\r\n"
    "lo wor=\r\n"
    "ld\r\n"
    "--a\r\n"
    "Content-Type: text/html; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "PHA+R3LDvMOfZSBhdXMgPGI+SFRNTDwvYj48L3A+\r\n"
    "--a--\r\n"
    "--o\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Content-Description: attached secret\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "aGlkZGVuIHBheWxvYWQ=\r\n"
    "--o\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: =?utf-8?q?forwarded_=C3=BCber?=\r\n"
    "Content-Type: text/plain; charset=koi8-r\r\n"
    "\r\n"
    "\xf0\xd2\xc9\xd7\xc5\xd4 inner body\r\n"
    "--o\r\n"
    "Content-Type: message/delivery-status\r\n"
    "\r\n"
    "Status: 5.1.1\r\n"
    "--o\r\n"
    "Content-Type: text/plain; charset=x-bogus\r\n"
    "\r\n"
    "raw \xe9 bytes\r\n"
    "--o--\r\n"
    "epilogue words\r\n";

struct body_case {
	const char	*needle;
	bool		 body;		/* BODY matches */
	bool		 text;		/* TEXT matches */
};

static const struct body_case body_cases[] = {
	{ "caf\xc3\xa9 cr\xc3\xa8me", true, true },
	{ "CAF\xc3\x89", true, true },
	/* across a soft line break */
	{ "hello world", true, true },
	{ "Gr\xc3\xbc\xc3\x9f" "e aus", true, true },
	{ "<b>html</b>", true, true },
	{ "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 inner", true,
	    true },
	{ "Status: 5.1.1", true, true },
	{ "raw \xe9 bytes", true, true },
	{ "", true, true },
	/* not body text: attachments, headers, preamble, epilogue */
	{ "hidden payload", false, false },
	{ "aGlkZGVu", false, false },
	{ "preamble", false, false },
	{ "epilogue", false, false },
	{ "top subject", false, true },
	{ "attached secret", false, true },
	{ "forwarded \xc3\xbc" "ber", false, true },
	{ "multipart/alternative", false, true },
	{ "Content-Type: text/plain", false, true },
	{ "nowhere at all", false, false },
};

START_TEST(test_body_text)
{
	const struct body_case	*c = &body_cases[_i];
	struct mime_msg		*m = mime_parse(body_msg, sizeof(body_msg) - 1);
	size_t			 n = strlen(c->needle);

	ck_assert_msg(mime_body_contains(m, c->needle, n) == c->body,
	    "BODY [%s]", c->needle);
	ck_assert_msg(mime_text_contains(m, c->needle, n) == c->text,
	    "TEXT [%s]", c->needle);
	mime_free(&m);
}
END_TEST

/* Messages without MIME: the body is text/plain as it is. */
START_TEST(test_plain)
{
	static const char msg[] = "Subject: x\r\n\r\nJust some =E9 text\r\n";
	static const char nobody[] = "Subject: only a header";
	struct mime_msg	*m = mime_parse(msg, sizeof(msg) - 1);

	ck_assert(mime_body_contains(m, "some =e9", 8));
	ck_assert(!mime_body_contains(m, "Subject", 7));
	ck_assert(mime_text_contains(m, "subject: x", 10));
	mime_free(&m);
	m = mime_parse(nobody, sizeof(nobody) - 1);
	ck_assert(!mime_body_contains(m, "only", 4));
	ck_assert(mime_text_contains(m, "only", 4));
	ck_assert(mime_header_contains(m, "subject", "a header", 8));
	mime_free(&m);
}
END_TEST

static Suite *
search_suite(void)
{
	Suite	*s = suite_create("mime_search");
	TCase	*tc;

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_charset, 0,
	    sizeof(cs_cases) / sizeof(cs_cases[0]));
	tcase_add_test(tc, test_charset_full);
	tcase_add_loop_test(tc, test_2047, 0,
	    sizeof(ew_cases) / sizeof(ew_cases[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("search");
	tcase_add_loop_test(tc, test_header, 0,
	    sizeof(hdr_cases) / sizeof(hdr_cases[0]));
	tcase_add_loop_test(tc, test_body_text, 0,
	    sizeof(body_cases) / sizeof(body_cases[0]));
	tcase_add_test(tc, test_plain);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(search_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
