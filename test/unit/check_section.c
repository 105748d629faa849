/*
 * check_section: section-spec parsing and formatting (RFC 9051 6.4.5,
 * section 9), and BODY[section] / BINARY[section] contents: part
 * numbering through multiparts and encapsulated messages, MIME headers,
 * HEADER.FIELDS, transfer decoding and the tmp buffer limit.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/buf.h"
#include "lib/mime.h"
#include "lib/section.h"

#define S(lit)	lit, sizeof(lit) - 1

struct parse_case {
	const char	*in;
	size_t		 len;
	bool		 binary;
	int		 rc;
	enum section_kind kind;
	size_t		 nparts;
	size_t		 nfields;
	const char	*formatted;	/* or the error's absence */
};

static const struct parse_case parse_cases[] = {
	{ S(""), false, 0, SECTION_ALL, 0, 0, "" },
	{ S("HEADER"), false, 0, SECTION_HEADER, 0, 0, "HEADER" },
	{ S("header"), false, 0, SECTION_HEADER, 0, 0, "HEADER" },
	{ S("Text"), false, 0, SECTION_TEXT, 0, 0, "TEXT" },
	{ S("HEADER.FIELDS (From To)"), false, 0, SECTION_HEADER_FIELDS, 0,
	    2, "HEADER.FIELDS (FROM TO)" },
	{ S("header.fields.not (subject)"), false, 0,
	    SECTION_HEADER_FIELDS_NOT, 0, 1, "HEADER.FIELDS.NOT (SUBJECT)" },
	{ S("HEADER.FIELDS (a  b )"), false, 0, SECTION_HEADER_FIELDS, 0, 2,
	    "HEADER.FIELDS (A B)" },
	{ S("HEADER.FIELDS (\"Received\" x-spam)"), false, 0,
	    SECTION_HEADER_FIELDS, 0, 2, "HEADER.FIELDS (RECEIVED X-SPAM)" },
	{ S("HEADER.FIELDS (\"a b\" \"q\\\"\")"), false, 0,
	    SECTION_HEADER_FIELDS, 0, 2, "HEADER.FIELDS (\"A B\" \"Q\\\"\")" },
	{ S("HEADER.FIELDS ({4}\r\nFrom {2+}\r\nTo)"), false, 0,
	    SECTION_HEADER_FIELDS, 0, 2, "HEADER.FIELDS (FROM TO)" },
	{ S("1"), false, 0, SECTION_ALL, 1, 0, "1" },
	{ S("1.2.3"), false, 0, SECTION_ALL, 3, 0, "1.2.3" },
	{ S("4294967295"), false, 0, SECTION_ALL, 1, 0, "4294967295" },
	{ S("1.mime"), false, 0, SECTION_MIME, 1, 0, "1.MIME" },
	{ S("2.HEADER"), false, 0, SECTION_HEADER, 1, 0, "2.HEADER" },
	{ S("2.3.TEXT"), false, 0, SECTION_TEXT, 2, 0, "2.3.TEXT" },
	{ S("3.HEADER.FIELDS (Subject)"), false, 0, SECTION_HEADER_FIELDS, 1,
	    1, "3.HEADER.FIELDS (SUBJECT)" },
	{ S("3.HEADER.FIELDS.NOT (A B)"), false, 0,
	    SECTION_HEADER_FIELDS_NOT, 1, 2, "3.HEADER.FIELDS.NOT (A B)" },
	/* BINARY: only a part path */
	{ S(""), true, 0, SECTION_ALL, 0, 0, "" },
	{ S("1.2"), true, 0, SECTION_ALL, 2, 0, "1.2" },
	{ S("HEADER"), true, -1, 0, 0, 0, NULL },
	{ S("TEXT"), true, -1, 0, 0, 0, NULL },
	{ S("1.MIME"), true, -1, 0, 0, 0, NULL },
	{ S("1.TEXT"), true, -1, 0, 0, 0, NULL },
	/* errors */
	{ S("4294967296"), false, -1, 0, 0, 0, NULL },
	{ S("0"), false, -1, 0, 0, 0, NULL },
	{ S("01"), false, -1, 0, 0, 0, NULL },
	{ S("1.0"), false, -1, 0, 0, 0, NULL },
	{ S("1."), false, -1, 0, 0, 0, NULL },
	{ S(".1"), false, -1, 0, 0, 0, NULL },
	{ S("1..2"), false, -1, 0, 0, 0, NULL },
	{ S("1 "), false, -1, 0, 0, 0, NULL },
	{ S("MIME"), false, -1, 0, 0, 0, NULL },
	{ S("HEADERS"), false, -1, 0, 0, 0, NULL },
	{ S("TEXT "), false, -1, 0, 0, 0, NULL },
	{ S("1.HEADER.MIME"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS ()"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS (a"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS (a) "), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS  (a)"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS(a)"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS (a(b)"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS (\"a)"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS (\"\")"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS (\"a\x01\")"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS (\"\xc3\xa9\")"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS (\"a\0b\")"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS ({9}\r\nFrom)"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS ({4}From)"), false, -1, 0, 0, 0, NULL },
	{ S("HEADER.FIELDS.NOT"), false, -1, 0, 0, 0, NULL },
};

START_TEST(test_parse)
{
	const struct parse_case	*c = &parse_cases[_i];
	struct section		 sec;
	struct buf		*b = buf_new(4096);
	const char		*err = NULL;
	char			*copy;
	int			 rc;

	copy = malloc(c->len + 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, c->in, c->len);
	rc = section_parse(copy, c->len, c->binary, &sec, &err);
	ck_assert_msg(rc == c->rc, "[%s] rc %d", c->in, rc);
	if (rc == 0) {
		ck_assert_int_eq(sec.kind, c->kind);
		ck_assert_uint_eq(sec.nparts, c->nparts);
		ck_assert_uint_eq(sec.nfields, c->nfields);
		ck_assert_int_eq(section_format(b, &sec), 0);
		ck_assert_str_eq(buf_cstr(b), c->formatted);
		section_clear(&sec);
		ck_assert_ptr_null(sec.fields);
	} else {
		ck_assert_ptr_nonnull(err);
		ck_assert_ptr_null(sec.fields);
	}
	free(copy);
	buf_free(&b);
}
END_TEST

/* Every prefix of every case, in its own allocation (no read past the
 * end): parses or fails cleanly, and a parsed prefix formats. */
START_TEST(test_parse_prefixes)
{
	const struct parse_case	*c = &parse_cases[_i];
	struct section		 sec;
	struct buf		*b = buf_new(4096);
	const char		*err;
	char			*copy;
	size_t			 n;

	for (n = 0; n <= c->len; n++) {
		copy = malloc(n + 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, c->in, n);
		err = NULL;
		if (section_parse(copy, n, c->binary, &sec, &err) == 0) {
			buf_reset(b);
			ck_assert_int_eq(section_format(b, &sec), 0);
			section_clear(&sec);
		} else
			ck_assert_ptr_nonnull(err);
		free(copy);
	}
	buf_free(&b);
}
END_TEST

/* Part numbers: SECTION_MAX_DEPTH of them, not one more. */
START_TEST(test_parse_depth)
{
	struct section	 sec;
	struct buf	*b = buf_new(4096);
	const char	*err;
	size_t		 i;

	for (i = 0; i < SECTION_MAX_DEPTH; i++)
		(void)buf_puts(b, i == 0 ? "7" : ".7");
	ck_assert_int_eq(section_parse((const char *)buf_data(b), buf_len(b),
	    true, &sec, &err), 0);
	ck_assert_uint_eq(sec.nparts, SECTION_MAX_DEPTH);
	ck_assert_uint_eq(sec.part[SECTION_MAX_DEPTH - 1], 7);
	(void)buf_puts(b, ".7");
	ck_assert_int_eq(section_parse((const char *)buf_data(b), buf_len(b),
	    true, &sec, &err), -1);
	buf_free(&b);
}
END_TEST

START_TEST(test_copy_format)
{
	static const char in[] = "1.2.HEADER.FIELDS (From x-Y)";
	struct section	 a, c;
	struct buf	*b;
	const char	*err;
	size_t		 need, max;

	ck_assert_int_eq(section_parse(in, sizeof(in) - 1, false, &a, &err),
	    0);
	ck_assert_int_eq(section_copy(&c, &a), 0);
	ck_assert_ptr_ne(c.fields, a.fields);
	ck_assert_str_eq(c.fields[1], "x-Y");
	section_clear(&a);
	b = buf_new(4096);
	ck_assert_int_eq(section_format(b, &c), 0);
	ck_assert_str_eq(buf_cstr(b), "1.2.HEADER.FIELDS (FROM X-Y)");
	need = buf_len(b);
	buf_free(&b);
	/* a full buffer: -1 and nothing written */
	for (max = 0; max < need; max++) {
		b = buf_new(max);
		ck_assert_int_eq(section_format(b, &c), -1);
		ck_assert_uint_eq(buf_len(b), 0);
		buf_free(&b);
	}
	section_clear(&c);
	section_clear(&c);
}
END_TEST

static const char nested_msg[] =
    "From: a@b\r\n"
    "Subject: s\r\n"
    "Content-Type: multipart/mixed; boundary=o\r\n"
    "\r\n"
    "pre\r\n"
    "--o\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "one\r\n"
    "--o\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: c@d\r\n"
    "Subject: inner\r\n"
    "Content-Type: multipart/alternative; boundary=i\r\n"
    "\r\n"
    "--i\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "inner plain\r\n"
    "--i\r\n"
    "Content-Type: text/html\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "PGI+aGk8L2I+\r\n"
    "--i--\r\n"
    "--o\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: single\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "caf=C3=A9=\r\n"
    "!\r\n"
    "--o\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Content-Transfer-Encoding: x-uuencode\r\n"
    "\r\n"
    "begin 644 x\r\n"
    "--o--\r\n"
    "epi\r\n";

#define INNER_MSG \
    "From: c@d\r\n" \
    "Subject: inner\r\n" \
    "Content-Type: multipart/alternative; boundary=i\r\n" \
    "\r\n" \
    "--i\r\n" \
    "Content-Type: text/plain\r\n" \
    "\r\n" \
    "inner plain\r\n" \
    "--i\r\n" \
    "Content-Type: text/html\r\n" \
    "Content-Transfer-Encoding: base64\r\n" \
    "\r\n" \
    "PGI+aGk8L2I+\r\n" \
    "--i--"

static const char single_msg[] =
    "Subject: b64\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "X-After: 1\r\n"
    "\r\n"
    "aGVs\r\n"
    "bG8=\r\n";

static const char noblank_msg[] =
    "From: a@b\r\n"
    "Subject: no body";

struct get_case {
	const char	*msg;
	const char	*sec;
	bool		 binary;
	int		 rc;
	const char	*out;
	size_t		 outlen;
};

#define R(lit)	MIME_SECTION_OK, lit, sizeof(lit) - 1
#define NONE	MIME_SECTION_NONE, "", 0

static const struct get_case get_cases[] = {
	{ nested_msg, "", false, R(nested_msg) },
	{ nested_msg, "HEADER", false, R("From: a@b\r\nSubject: s\r\n"
	    "Content-Type: multipart/mixed; boundary=o\r\n\r\n") },
	{ nested_msg, "HEADER.FIELDS (subject FROM)", false,
	    R("From: a@b\r\nSubject: s\r\n\r\n") },
	{ nested_msg, "HEADER.FIELDS.NOT (From Content-Type)", false,
	    R("Subject: s\r\n\r\n") },
	{ nested_msg, "HEADER.FIELDS (X-None)", false, R("\r\n") },
	{ nested_msg, "1", false, R("one") },
	{ nested_msg, "1.MIME", false, R("Content-Type: text/plain\r\n\r\n") },
	/* a leaf in a multipart is its own part 1, once (Dovecot) */
	{ nested_msg, "1.1", false, R("one") },
	{ nested_msg, "1.1.1", false, NONE },
	{ nested_msg, "1.2", false, NONE },
	/* HEADER and TEXT need a message/rfc822 part */
	{ nested_msg, "1.HEADER", false, NONE },
	{ nested_msg, "1.TEXT", false, NONE },
	{ nested_msg, "2", false, R(INNER_MSG) },
	{ nested_msg, "2.MIME", false,
	    R("Content-Type: message/rfc822\r\n\r\n") },
	{ nested_msg, "2.HEADER", false, R("From: c@d\r\nSubject: inner\r\n"
	    "Content-Type: multipart/alternative; boundary=i\r\n\r\n") },
	{ nested_msg, "2.HEADER.FIELDS (Subject)", false,
	    R("Subject: inner\r\n\r\n") },
	{ nested_msg, "2.TEXT", false, R("--i\r\nContent-Type: text/plain\r\n"
	    "\r\ninner plain\r\n--i\r\nContent-Type: text/html\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\nPGI+aGk8L2I+\r\n"
	    "--i--") },
	{ nested_msg, "2.1", false, R("inner plain") },
	{ nested_msg, "2.2", false, R("PGI+aGk8L2I+") },
	{ nested_msg, "2.2.MIME", false, R("Content-Type: text/html\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n") },
	{ nested_msg, "2.3", false, NONE },
	{ nested_msg, "2.1.HEADER", false, NONE },
	{ nested_msg, "3", false, R("Subject: single\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	    "caf=C3=A9=\r\n!") },
	{ nested_msg, "3.HEADER", false, R("Subject: single\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n") },
	{ nested_msg, "3.TEXT", false, R("caf=C3=A9=\r\n!") },
	/* the encapsulated message is not multipart: its part 1 */
	{ nested_msg, "3.1", false, R("caf=C3=A9=\r\n!") },
	{ nested_msg, "3.1.MIME", false, R("Subject: single\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n") },
	{ nested_msg, "3.1.1", false, NONE },
	{ nested_msg, "3.2", false, NONE },
	{ nested_msg, "4", false, R("begin 644 x") },
	{ nested_msg, "5", false, NONE },
	{ nested_msg, "4294967295", false, NONE },
	/* BINARY */
	{ nested_msg, "", true, R(nested_msg) },
	{ nested_msg, "1", true, R("one") },
	{ nested_msg, "2", true, R(INNER_MSG) },
	{ nested_msg, "2.2", true, R("<b>hi</b>") },
	{ nested_msg, "3.1", true, R("caf\xc3\xa9!") },
	{ nested_msg, "4", true, MIME_SECTION_UNKNOWN_CTE, "", 0 },
	{ nested_msg, "5", true, NONE },
	/* single part: part 1 is the body, its MIME header the header */
	{ single_msg, "1", false, R("aGVs\r\nbG8=\r\n") },
	{ single_msg, "1.MIME", false, R("Subject: b64\r\n"
	    "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n"
	    "X-After: 1\r\n\r\n") },
	{ single_msg, "2", false, NONE },
	{ single_msg, "1.1", false, NONE },
	{ single_msg, "1", true, R("hello") },
	/* BINARY[] of a single part: header says binary, body decoded */
	{ single_msg, "", true, R("Subject: b64\r\nContent-Type: text/plain\r\n"
	    "Content-Transfer-Encoding: binary\r\nX-After: 1\r\n\r\nhello") },
	{ noblank_msg, "HEADER", false, R(noblank_msg) },
	{ noblank_msg, "TEXT", false, R("") },
	{ noblank_msg, "1", false, R("") },
	{ noblank_msg, "HEADER.FIELDS (Subject)", false,
	    R("Subject: no body\r\n\r\n") },
};

START_TEST(test_get)
{
	const struct get_case	*c = &get_cases[_i];
	struct mime_msg		*m;
	struct section		 sec;
	struct buf		*tmp = buf_new(1 << 20);
	const char		*err, *p;
	size_t			 len = strlen(c->msg);
	int			 rc;

	ck_assert_int_eq(section_parse(c->sec, strlen(c->sec), c->binary,
	    &sec, &err), 0);
	m = mime_parse(c->msg, len);
	if (c->binary)
		rc = mime_get_binary(m, &sec, tmp, &p, &len);
	else
		rc = mime_get_section(m, &sec, tmp, &p, &len);
	ck_assert_msg(rc == c->rc, "[%s] rc %d", c->sec, rc);
	ck_assert_msg(len == c->outlen && memcmp(p, c->out, len) == 0,
	    "[%s]%s got %zu: %.*s", c->sec, c->binary ? " binary" : "", len,
	    (int)len, p);
	section_clear(&sec);
	mime_free(&m);
	buf_free(&tmp);
}
END_TEST

/* The tmp limit: the exact size fits, one byte less is FULL. */
START_TEST(test_tmp_full)
{
	static const struct {
		const char	*sec;
		bool		 binary;
		size_t		 need;
	} cases[] = {
		{ "HEADER.FIELDS (Subject)", false, 16 },	/* single_msg */
		{ "1", true, 5 },
		{ "", true, 94 },
	};
	struct mime_msg	*m = mime_parse(single_msg, sizeof(single_msg) - 1);
	struct section	 sec;
	struct buf	*tmp;
	const char	*err, *p;
	size_t		 i, len;
	int		 rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(section_parse(cases[i].sec,
		    strlen(cases[i].sec), cases[i].binary, &sec, &err), 0);
		tmp = buf_new(cases[i].need);
		rc = cases[i].binary ? mime_get_binary(m, &sec, tmp, &p, &len) :
		    mime_get_section(m, &sec, tmp, &p, &len);
		ck_assert_int_eq(rc, MIME_SECTION_OK);
		ck_assert_uint_eq(len, cases[i].need);
		buf_free(&tmp);
		tmp = buf_new(cases[i].need - 1);
		rc = cases[i].binary ? mime_get_binary(m, &sec, tmp, &p, &len) :
		    mime_get_section(m, &sec, tmp, &p, &len);
		ck_assert_int_eq(rc, MIME_SECTION_FULL);
		buf_free(&tmp);
		section_clear(&sec);
	}
	mime_free(&m);
}
END_TEST

/* BINARY decoding details: quoted-printable, 7bit/8bit/binary as is,
 * encodings with comments and odd case. */
START_TEST(test_binary_cte)
{
	static const struct {
		const char	*msg;
		int		 rc;
		const char	*out;
	} cases[] = {
		{ "Content-Transfer-Encoding: Quoted-Printable\r\n\r\n"
		    "a=3Db =\r\nc  \r\nd=\r\n", MIME_SECTION_OK, "a=b c\r\nd" },
		{ "Content-Transfer-Encoding: 8BIT\r\n\r\n\xe9t\xe9",
		    MIME_SECTION_OK, "\xe9t\xe9" },
		{ "Content-Transfer-Encoding: binary\r\n\r\na=3D",
		    MIME_SECTION_OK, "a=3D" },
		{ "Content-Transfer-Encoding: (c) BASE64 (d)\r\n\r\nYQ==",
		    MIME_SECTION_OK, "a" },
		{ "Content-Transfer-Encoding:\r\n\r\nYQ==", MIME_SECTION_OK,
		    "YQ==" },
		{ "Content-Transfer-Encoding: 7-bit\r\n\r\nx",
		    MIME_SECTION_UNKNOWN_CTE, "" },
		{ "Content-Transfer-Encoding: base64\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n\r\nYQ==",
		    MIME_SECTION_OK, "a" },
	};
	struct section	 sec;
	struct mime_msg	*m;
	struct buf	*tmp = buf_new(4096);
	const char	*err, *p;
	size_t		 i, len;

	ck_assert_int_eq(section_parse("1", 1, true, &sec, &err), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m = mime_parse(cases[i].msg, strlen(cases[i].msg));
		ck_assert_int_eq(mime_get_binary(m, &sec, tmp, &p, &len),
		    cases[i].rc);
		ck_assert_uint_eq(len, strlen(cases[i].out));
		ck_assert(memcmp(p, cases[i].out, len) == 0);
		mime_free(&m);
	}
	buf_free(&tmp);
}
END_TEST

static Suite *
section_suite(void)
{
	Suite	*s = suite_create("section");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_parse, 0,
	    sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_loop_test(tc, test_parse_prefixes, 0,
	    sizeof(parse_cases) / sizeof(parse_cases[0]));
	tcase_add_test(tc, test_parse_depth);
	tcase_add_test(tc, test_copy_format);
	suite_add_tcase(s, tc);
	tc = tcase_create("get");
	tcase_add_loop_test(tc, test_get, 0,
	    sizeof(get_cases) / sizeof(get_cases[0]));
	tcase_add_test(tc, test_tmp_full);
	tcase_add_test(tc, test_binary_cte);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(section_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
