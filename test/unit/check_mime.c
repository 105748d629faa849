/*
 * check_mime: ENVELOPE and BODY / BODYSTRUCTURE (RFC 9051 7.5.2) of
 * real-world style messages (test/unit/mime_samples.h), address list
 * parsing (RFC 5322 3.4 and 4.4), envelope defaults and the sent date.
 * Every output is also checked against the RFC 9051 grammar.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "lib/buf.h"
#include "lib/mime.h"
#include "lib/mime_int.h"
#include "test/unit/mime_grammar.h"
#include "test/unit/mime_samples.h"

#define OUT_MAX		(64 * 1024 * 1024)

/* RFC 5322 address lists and what ENVELOPE makes of them */
static const struct addr_case {
	const char	*in;
	const char	*out;
} addr_cases[] = {
	{ "user@host (Comment Name)",
	    "((\"Comment Name\" NIL \"user\" \"host\"))" },
	{ "(Comment) user@host", "((NIL NIL \"user\" \"host\"))" },
	{ "\"Display\" <u@h> (comment)", "((\"Display\" NIL \"u\" \"h\"))" },
	{ "<u@h> (Just Comment)", "((\"Just Comment\" NIL \"u\" \"h\"))" },
	{ "Name Without Quotes <u@h>",
	    "((\"Name Without Quotes\" NIL \"u\" \"h\"))" },
	{ "Joe Q. Public <j@x>", "((\"Joe Q. Public\" NIL \"j\" \"x\"))" },
	{ "\"Name, Last\" <n@l>", "((\"Name, Last\" NIL \"n\" \"l\"))" },
	{ "\"\" <u@h>", "((NIL NIL \"u\" \"h\"))" },
	{ "=?utf-8?Q?x?= <u@h>", "((\"=?utf-8?Q?x?=\" NIL \"u\" \"h\"))" },
	/* RFC 5322 4.4: empty list elements */
	{ "u@h, , ,v@h", "((NIL NIL \"u\" \"h\")(NIL NIL \"v\" \"h\"))" },
	{ "a@b, (only comment), c@d",
	    "((NIL NIL \"a\" \"b\")(NIL NIL \"c\" \"d\"))" },
	{ ",", "NIL" },
	{ "", "NIL" },
	{ " \t ", "NIL" },
	/* local parts and domains */
	{ "\"quoted local\"@h", "((NIL NIL \"quoted local\" \"h\"))" },
	{ "\"a\\\"b\"@h", "((NIL NIL \"a\\\"b\" \"h\"))" },
	{ "u@[1.2.3.4]", "((NIL NIL \"u\" \"[1.2.3.4]\"))" },
	{ "u @ h . com", "((NIL NIL \"u\" \"h.com\"))" },
	{ "u@h (c1) (c2)", "((\"c2\" NIL \"u\" \"h\"))" },
	{ "((nested) comment) u@h", "((NIL NIL \"u\" \"h\"))" },
	{ "u@h (unterminated comment",
	    "((\"unterminated comment\" NIL \"u\" \"h\"))" },
	/* RFC 5322 4.4: obsolete route */
	{ "<@r1,@r2:u@h>", "((NIL \"@r1,@r2\" \"u\" \"h\"))" },
	{ "<@r1, @r2 :u@h>", "((NIL \"@r1,@r2\" \"u\" \"h\"))" },
	/* groups, RFC 9051 7.5.2 */
	{ "group:;", "((NIL NIL \"group\" NIL)(NIL NIL NIL NIL))" },
	{ "Undisclosed recipients:;",
	    "((NIL NIL \"Undisclosed recipients\" NIL)(NIL NIL NIL NIL))" },
	{ "group: a@b, c@d",
	    "((NIL NIL \"group\" NIL)(NIL NIL \"a\" \"b\")"
	    "(NIL NIL \"c\" \"d\")(NIL NIL NIL NIL))" },
	{ "a@b, group: ;, c@d",
	    "((NIL NIL \"a\" \"b\")(NIL NIL \"group\" NIL)(NIL NIL NIL NIL)"
	    "(NIL NIL \"c\" \"d\"))" },
	{ "g1: a@b; g2: \"C\" <c@d>;",
	    "((NIL NIL \"g1\" NIL)(NIL NIL \"a\" \"b\")(NIL NIL NIL NIL)"
	    "(NIL NIL \"g2\" NIL)(\"C\" NIL \"c\" \"d\")(NIL NIL NIL NIL))" },
	{ ":;", "((NIL NIL \"\" NIL)(NIL NIL NIL NIL))" },
	/* invalid: always well-formed, Dovecot's placeholders */
	{ "\"unterminated", "((NIL NIL \"unterminated\" \"MISSING_DOMAIN\"))" },
	{ "<unterminated@x", "((NIL NIL \"unterminated\" \"x\"))" },
	{ "Name <>",
	    "((\"Name\" NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\"))" },
	{ "just words here", "((\"just words here\" NIL \"MISSING_MAILBOX\" "
	    "\"MISSING_DOMAIN\"))" },
	{ "single", "((NIL NIL \"single\" \"MISSING_DOMAIN\"))" },
	{ "@", "((NIL NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\"))" },
	{ "@bad", "((NIL NIL \"MISSING_MAILBOX\" \"bad\"))" },
	{ "u@", "((NIL NIL \"u\" \"MISSING_DOMAIN\"))" },
	{ "<u@h> trailing junk", "((NIL NIL \"u\" \"h\"))" },
	{ "a@b@c", "((NIL NIL \"a\" \"b\"))" },
	{ "u@h;v@h", "((NIL NIL \"u\" \"h\"))" },
	{ ">", "NIL" },
	{ "g: x@y, h: z@w;", "((NIL NIL \"g\" NIL)(NIL NIL \"x\" \"y\")"
	    "(NIL NIL \"h\" \"MISSING_DOMAIN\")(NIL NIL NIL NIL))" },
	/* folding inside a quoted string and between tokens */
	{ "\"Folded\r\n Name\" <f@x>,\r\n\tg@y",
	    "((\"Folded Name\" NIL \"f\" \"x\")(NIL NIL \"g\" \"y\"))" },
};

/* The data in its own allocation, so ASan sees reads past the end. */
static char *
exact_copy(const char *s, size_t len)
{
	char	*p = malloc(len == 0 ? 1 : len);

	ck_assert_ptr_nonnull(p);
	memcpy(p, s, len);
	return p;
}

/* Parse and check that every structure output follows the grammar. */
static void
check_valid(const char *msg, size_t len)
{
	struct mime_msg	*m;
	struct buf	*b;
	char		*copy = exact_copy(msg, len);

	m = mime_parse(copy, len);
	ck_assert_ptr_nonnull(m);
	b = buf_new(OUT_MAX);
	ck_assert_int_eq(mime_write_envelope(b, m), 0);
	ck_assert_msg(mime_grammar_envelope((const char *)buf_data(b),
	    buf_len(b)), "bad envelope: %.300s", buf_cstr(b));
	buf_reset(b);
	ck_assert_int_eq(mime_write_bodystructure(b, m, true), 0);
	ck_assert_msg(mime_grammar_body((const char *)buf_data(b),
	    buf_len(b), true), "bad bodystructure: %.300s", buf_cstr(b));
	buf_reset(b);
	ck_assert_int_eq(mime_write_bodystructure(b, m, false), 0);
	ck_assert_msg(mime_grammar_body((const char *)buf_data(b),
	    buf_len(b), false), "bad body: %.300s", buf_cstr(b));
	buf_free(&b);
	mime_free(&m);
	ck_assert_ptr_null(m);
	free(copy);
}

START_TEST(test_cases)
{
	const struct msg_case	*c = &msg_cases[_i];
	struct mime_msg		*m;
	struct buf		*b;
	char			*copy = exact_copy(c->msg, c->len);

	m = mime_parse(copy, c->len);
	b = buf_new(OUT_MAX);
	ck_assert_int_eq(mime_write_envelope(b, m), 0);
	ck_assert_msg(strcmp(buf_cstr(b), c->envelope) == 0,
	    "%s envelope:\n got %s\nwant %s", c->name, buf_cstr(b),
	    c->envelope);
	buf_reset(b);
	ck_assert_int_eq(mime_write_bodystructure(b, m, true), 0);
	ck_assert_msg(strcmp(buf_cstr(b), c->bodystructure) == 0,
	    "%s bodystructure:\n got %s\nwant %s", c->name, buf_cstr(b),
	    c->bodystructure);
	buf_reset(b);
	ck_assert_int_eq(mime_write_bodystructure(b, m, false), 0);
	ck_assert_msg(strcmp(buf_cstr(b), c->body) == 0,
	    "%s body:\n got %s\nwant %s", c->name, buf_cstr(b), c->body);
	buf_free(&b);
	mime_free(&m);
	free(copy);
	check_valid(c->msg, c->len);
}
END_TEST

START_TEST(test_addresses)
{
	const struct addr_case	*c = &addr_cases[_i];
	struct mime_addrs	 as;
	struct buf		*b = buf_new(4096);

	memset(&as, 0, sizeof(as));
	mime_addrs_parse(&as, c->in, strlen(c->in));
	ck_assert_int_eq(mime_addrs_write(b, &as), 0);
	ck_assert_msg(strcmp(buf_cstr(b), c->out) == 0,
	    "[%s]\n got %s\nwant %s", c->in, buf_cstr(b), c->out);
	mime_addrs_clear(&as);
	buf_free(&b);
}
END_TEST

/* Sender and Reply-To fall back to From when they hold no address. */
START_TEST(test_envelope_defaults)
{
	static const char msg[] = "From: a@b\r\nSender: (nobody)\r\n"
	    "Reply-To: r@s\r\nTo: undisclosed-recipients:;\r\n\r\n";
	struct mime_msg	*m = mime_parse(msg, sizeof(msg) - 1);
	struct buf	*b = buf_new(4096);

	ck_assert_int_eq(mime_write_envelope(b, m), 0);
	ck_assert_str_eq(buf_cstr(b), "(NIL NIL ((NIL NIL \"a\" \"b\")) "
	    "((NIL NIL \"a\" \"b\")) ((NIL NIL \"r\" \"s\")) "
	    "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) "
	    "NIL NIL NIL NIL)");
	buf_free(&b);
	mime_free(&m);
}
END_TEST

/* NUL and CR in header values still give valid strings. */
START_TEST(test_envelope_binary_junk)
{
	static const char msg[] = "Subject: a\0b\rc\r\nFrom: \"x\0y\" "
	    "<u@h>\r\n\r\n";
	struct mime_msg	*m = mime_parse(msg, sizeof(msg) - 1);
	struct buf	*b = buf_new(4096);

	ck_assert_int_eq(mime_write_envelope(b, m), 0);
	ck_assert(mime_grammar_envelope((const char *)buf_data(b),
	    buf_len(b)));
	ck_assert_ptr_null(memchr(buf_data(b), '\0', buf_len(b)));
	/* 0x80 is not UTF-8: literals */
	ck_assert_str_eq(buf_cstr(b), "(NIL {4}\r\na\x80" "bc "
	    "(({3}\r\nx\x80y NIL \"u\" \"h\")) "
	    "(({3}\r\nx\x80y NIL \"u\" \"h\")) "
	    "(({3}\r\nx\x80y NIL \"u\" \"h\")) NIL NIL NIL NIL NIL)");
	buf_free(&b);
	mime_free(&m);
}
END_TEST

START_TEST(test_sent_date)
{
	static const char msg[] = "Date: Tue, 1 Jul 2003 10:52:37 +0200\r\n"
	    "\r\nbody\r\n";
	static const char folded[] = "Date: Tue, 1 Jul 2003\r\n"
	    " 10:52:37 +0200\r\n\r\n";
	static const char bad[] = "Date: yesterday\r\n\r\n";
	static const char none[] = "Subject: x\r\n\r\n";
	struct mime_msg	*m;
	time_t		 t;
	int		 tz;

	m = mime_parse(msg, sizeof(msg) - 1);
	ck_assert(mime_sent_date(m, &t, &tz));
	ck_assert_int_eq((long long)t, 1057049557LL);
	ck_assert_int_eq(tz, 7200);
	mime_free(&m);
	m = mime_parse(folded, sizeof(folded) - 1);
	ck_assert(mime_sent_date(m, &t, &tz));
	ck_assert_int_eq((long long)t, 1057049557LL);
	mime_free(&m);
	m = mime_parse(bad, sizeof(bad) - 1);
	ck_assert(!mime_sent_date(m, &t, &tz));
	mime_free(&m);
	m = mime_parse(none, sizeof(none) - 1);
	ck_assert(!mime_sent_date(m, &t, &tz));
	mime_free(&m);
}
END_TEST

/* A full buffer: -1 and the buffer as it was. */
START_TEST(test_buffer_full)
{
	struct mime_msg	*m = mime_parse(msg_alt, sizeof(msg_alt) - 1);
	struct buf	*b;
	size_t		 max, need_bs, need_env;

	b = buf_new(OUT_MAX);
	ck_assert_int_eq(mime_write_bodystructure(b, m, true), 0);
	need_bs = buf_len(b);
	buf_reset(b);
	ck_assert_int_eq(mime_write_envelope(b, m), 0);
	need_env = buf_len(b);
	buf_free(&b);
	for (max = 0; max <= need_bs; max++) {
		b = buf_new(max);
		(void)buf_puts(b, "x");
		ck_assert_int_eq(mime_write_bodystructure(b, m, true),
		    max > need_bs ? 0 : -1);
		ck_assert_uint_eq(buf_len(b), max == 0 ? 0 : 1);
		ck_assert_int_eq(mime_write_envelope(b, m),
		    max > need_env ? 0 : -1);
		buf_free(&b);
	}
	mime_free(&m);
}
END_TEST

static Suite *
mime_suite(void)
{
	Suite	*s = suite_create("mime");
	TCase	*tc;

	tc = tcase_create("structure");
	tcase_add_loop_test(tc, test_cases, 0, NMSG_CASES);
	tcase_add_loop_test(tc, test_addresses, 0,
	    sizeof(addr_cases) / sizeof(addr_cases[0]));
	tcase_add_test(tc, test_envelope_defaults);
	tcase_add_test(tc, test_envelope_binary_junk);
	tcase_add_test(tc, test_sent_date);
	tcase_add_test(tc, test_buffer_full);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(mime_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
