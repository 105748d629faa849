/*
 * Unit tests for lib/fetch_att.c (with the real lib/section.c).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/fetch_att.h"
#include "lib/imap_parse.h"
#include "lib/section.h"

struct sb {
	char	 s[2048];
	size_t	 n;
};

struct ok_case {
	const char	*items;		/* after "t FETCH 1 " */
	const char	*dump;
	int		 body, mime, seen;
};

struct bad_case {
	const char	*items;
	const char	*err;
};

static void	 sb_printf(struct sb *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static const char *dump(struct sb *, const struct fetch_atts *);
static struct imap_cmd *cmd_of(const char *, size_t);
static Suite	*fetch_att_suite(void);

static const char *const type_names[] = {
	[FA_FLAGS] = "FLAGS", [FA_UID] = "UID",
	[FA_INTERNALDATE] = "INTERNALDATE", [FA_RFC822_SIZE] = "RFC822.SIZE",
	[FA_ENVELOPE] = "ENVELOPE", [FA_BODY] = "BODY",
	[FA_BODYSTRUCTURE] = "BODYSTRUCTURE", [FA_BODY_SECTION] = "BODY",
	[FA_BINARY] = "BINARY", [FA_BINARY_SIZE] = "BINARY.SIZE",
	[FA_RFC822] = "RFC822", [FA_RFC822_HEADER] = "RFC822.HEADER",
	[FA_RFC822_TEXT] = "RFC822.TEXT"
};

static const char *const kind_names[] = {
	[SECTION_ALL] = "", [SECTION_HEADER] = "HEADER",
	[SECTION_HEADER_FIELDS] = "HEADER.FIELDS",
	[SECTION_HEADER_FIELDS_NOT] = "HEADER.FIELDS.NOT",
	[SECTION_TEXT] = "TEXT", [SECTION_MIME] = "MIME"
};

static void
sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->n += (size_t)n;
	if (b->n >= sizeof(b->s))
		b->n = sizeof(b->s) - 1;
}

/* NAME[.PEEK], and for section items [1.2:KIND (F1 F2)]<o.c> */
static const char *
dump(struct sb *b, const struct fetch_atts *fa)
{
	const struct fetch_att *a;
	size_t		 i, j;

	b->n = 0;
	b->s[0] = '\0';
	for (i = 0; i < fa->n; i++) {
		a = &fa->v[i];
		sb_printf(b, "%s%s%s", i ? " " : "", type_names[a->type],
		    a->peek && (a->type == FA_BODY_SECTION ||
		    a->type == FA_BINARY) ? ".PEEK" : "");
		if (a->type != FA_BODY_SECTION && a->type != FA_BINARY &&
		    a->type != FA_BINARY_SIZE) {
			ck_assert(!a->partial);
			continue;
		}
		sb_printf(b, "[");
		for (j = 0; j < a->section.nparts; j++)
			sb_printf(b, "%s%u", j ? "." : "", a->section.part[j]);
		sb_printf(b, ":%s", kind_names[a->section.kind]);
		for (j = 0; j < a->section.nfields; j++)
			sb_printf(b, "%s%s", j ? " " : " (",
			    a->section.fields[j]);
		sb_printf(b, "%s]", a->section.nfields ? ")" : "");
		if (a->partial)
			sb_printf(b, "<%llu.%llu>",
			    (unsigned long long)a->offset,
			    (unsigned long long)a->count);
	}
	return b->s;
}

static struct imap_cmd *
cmd_of(const char *items, size_t len)
{
	struct imap_parse_limits lim = { 32, 10000 };
	struct imap_cmd	*cmd = NULL;
	const char	*err = NULL;
	char		 line[1024];

	ck_assert(len + 10 < sizeof(line));
	memcpy(line, "t FETCH 1 ", 10);
	memcpy(line + 10, items, len);
	if (imap_parse_command(line, len + 10, &lim, &cmd, NULL, &err) < 0)
		return NULL;
	return cmd;
}

static const struct ok_case ok_cases[] = {
	/* RFC 9051 6.4.5 macros */
	{ "ALL", "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE", 1, 1, 0 },
	{ "FAST", "FLAGS INTERNALDATE RFC822.SIZE", 0, 0, 0 },
	{ "full", "FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY", 1, 1, 0 },
	/* RFC 9051 examples */
	{ "(FLAGS BODY[HEADER.FIELDS (DATE FROM)])",
	  "FLAGS BODY[:HEADER.FIELDS (DATE FROM)]", 1, 0, 1 },
	{ "(UID INTERNALDATE FLAGS BODY.PEEK[HEADER])",
	  "UID INTERNALDATE FLAGS BODY.PEEK[:HEADER]", 1, 0, 0 },
	{ "(UID INTERNALDATE FLAGS RFC822.HEADER)",
	  "UID INTERNALDATE FLAGS RFC822.HEADER", 1, 0, 0 },
	{ "body[header]", "BODY[:HEADER]", 1, 0, 1 },
	{ "FLAGS", "FLAGS", 0, 0, 0 },
	/* single items */
	{ "UID", "UID", 0, 0, 0 },
	{ "INTERNALDATE", "INTERNALDATE", 0, 0, 0 },
	{ "RFC822.SIZE", "RFC822.SIZE", 0, 0, 0 },
	{ "ENVELOPE", "ENVELOPE", 1, 1, 0 },
	{ "BODY", "BODY", 1, 1, 0 },
	{ "BODYSTRUCTURE", "BODYSTRUCTURE", 1, 1, 0 },
	{ "RFC822", "RFC822", 1, 0, 1 },
	{ "RFC822.HEADER", "RFC822.HEADER", 1, 0, 0 },
	{ "rfc822.text", "RFC822.TEXT", 1, 0, 1 },
	{ "BODY[]", "BODY[:]", 1, 0, 1 },
	{ "BODY.PEEK[]", "BODY.PEEK[:]", 1, 0, 0 },
	{ "BODY[TEXT]", "BODY[:TEXT]", 1, 0, 1 },
	{ "BODY[1]", "BODY[1:]", 1, 1, 1 },
	{ "BODY.PEEK[1.2.MIME]", "BODY.PEEK[1.2:MIME]", 1, 1, 0 },
	{ "BODY.PEEK[3.HEADER.FIELDS.NOT (X-A \"x-b\")]",
	  "BODY.PEEK[3:HEADER.FIELDS.NOT (X-A x-b)]", 1, 1, 0 },
	{ "BODY[]<0.100>", "BODY[:]<0.100>", 1, 0, 1 },
	{ "BODY.PEEK[HEADER]<5.1>", "BODY.PEEK[:HEADER]<5.1>", 1, 0, 0 },
	{ "BODY[]<9223372036854775807.9223372036854775807>",
	  "BODY[:]<9223372036854775807.9223372036854775807>", 1, 0, 1 },
	{ "BODY[]<00.10>", "BODY[:]<0.10>", 1, 0, 1 },
	{ "BINARY[]", "BINARY[:]", 1, 1, 1 },
	{ "BINARY[1]<0.10>", "BINARY[1:]<0.10>", 1, 1, 1 },
	{ "binary.peek[1.2]", "BINARY.PEEK[1.2:]", 1, 1, 0 },
	{ "BINARY.SIZE[1.2]", "BINARY.SIZE[1.2:]", 1, 1, 0 },
	{ "BINARY.SIZE[]", "BINARY.SIZE[:]", 1, 1, 0 },
	/* lists */
	{ "(FLAGS)", "FLAGS", 0, 0, 0 },
	{ "(FLAGS FLAGS UID flags)", "FLAGS UID", 0, 0, 0 },
	{ "(BODY BODY[] BODY[] BODY.PEEK[])",
	  "BODY BODY[:] BODY[:] BODY.PEEK[:]", 1, 1, 1 },
	{ "(RFC822.SIZE BODY.PEEK[1] BINARY.PEEK[2])",
	  "RFC822.SIZE BODY.PEEK[1:] BINARY.PEEK[2:]", 1, 1, 0 },
	{ "(ENVELOPE BODYSTRUCTURE RFC822.TEXT)",
	  "ENVELOPE BODYSTRUCTURE RFC822.TEXT", 1, 1, 1 },
};

static const struct bad_case bad_cases[] = {
	{ "FOO", "Unknown fetch item: FOO" },
	{ "(FLAGS FOO)", "Unknown fetch item: FOO" },
	{ "(ALL)", "Unknown fetch item: ALL" },
	{ "(FLAGS FAST)", "Unknown fetch item: FAST" },
	{ "(FULL)", "Unknown fetch item: FULL" },
	{ "()", "Empty fetch item list" },
	{ "\"FLAGS\"", "Invalid fetch item" },
	{ "{5}\r\nFLAGS", "Invalid fetch item" },
	{ "(\"FLAGS\")", "Invalid fetch item" },
	{ "((FLAGS))", "Invalid fetch item" },
	{ "NIL", "Unknown fetch item: NIL" },
	{ "BINARY.SIZE", "Unknown fetch item: BINARY.SIZE" },
	{ "BINARY", "Unknown fetch item: BINARY" },
	{ "BODY.PEEK", "Unknown fetch item: BODY.PEEK" },
	{ "RFC822.PEEK", "Unknown fetch item: RFC822.PEEK" },
	{ "FLAGS[]", "Unknown fetch item: FLAGS[]" },
	{ "RFC822[]", "Unknown fetch item: RFC822[]" },
	{ "BODY.PEK[]", "Unknown fetch item: BODY.PEK[]" },
	{ "BODYSTRUCTURE[]", "Unknown fetch item: BODYSTRUCTURE[]" },
	{ "BODY[", "Invalid fetch item: BODY[" },
	{ "BODY[]x", "Invalid fetch item: BODY[]x" },
	{ "BODY[]]", NULL },		/* section_parse's reason */
	{ "BODY[]<0.10>x", "Invalid fetch item: BODY[]<0.10>x" },
	{ "BODY[]0.10>", "Invalid fetch item: BODY[]0.10>" },
	{ "BODY[]<0.0>", "Invalid partial in: BODY[]<0.0>" },
	{ "BODY[]<0.00>", "Invalid partial in: BODY[]<0.00>" },
	{ "BODY[]<1.01>", "Invalid partial in: BODY[]<1.01>" },
	{ "BODY[]<0>", "Invalid partial in: BODY[]<0>" },
	{ "BODY[]<.5>", "Invalid partial in: BODY[]<.5>" },
	{ "BODY[]<5.>", "Invalid partial in: BODY[]<5.>" },
	{ "BODY[]<>", "Invalid partial in: BODY[]<>" },
	{ "BODY[]<a.b>", "Invalid partial in: BODY[]<a.b>" },
	{ "BODY[]<1.2.3>", "Invalid partial in: BODY[]<1.2.3>" },
	{ "BODY[]<-1.2>", "Invalid partial in: BODY[]<-1.2>" },
	{ "BODY[]<9223372036854775808.1>",
	  "Invalid partial in: BODY[]<9223372036854775808.1>" },
	{ "BODY[]<0.9223372036854775808>",
	  "Invalid partial in: BODY[]<0.9223372036854775808>" },
	{ "BINARY.SIZE[1]<0.5>", "No partial allowed in: BINARY.SIZE[1]<0.5>" },
	{ "BINARY[HEADER]", NULL },
	{ "BINARY.PEEK[1.MIME]", NULL },
	{ "BODY[FOO]", NULL },
	{ "BODY[0]", NULL },
	{ "BODY[1.]", NULL },
	{ "BODY[MIME]", NULL },
	{ "BODY[HEADER.FIELDS]", NULL },
	{ "BODY[HEADER.FIELDS ()]", NULL },
	{ "(FLAGS BODY[HEADER.FIELDS (From)] BODY[TEXT.FOO])", NULL },
	{ "BODY[HEADER.FIELDS ({4}\r\nFr\rm)]xx", "Invalid fetch item: "
	  "BODY[HEADER.FIELDS ({4}??Fr?m)]xx" },
	{ "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
	  "Unknown fetch item: XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" },
};

START_TEST(test_ok)
{
	const struct ok_case *c = &ok_cases[_i];
	struct imap_cmd	*cmd;
	struct fetch_atts fa;
	struct sb	 b;
	const char	*err = NULL;

	cmd = cmd_of(c->items, strlen(c->items));
	ck_assert_ptr_nonnull(cmd);
	ck_assert_int_eq(cmd->nargs, 2);
	memset(&fa, 0xa5, sizeof(fa));		/* initialised by the parser */
	ck_assert_msg(fetch_atts_parse(&cmd->args[1], &fa, &err) == 0,
	    "%s: %s", c->items, err);
	ck_assert_str_eq(dump(&b, &fa), c->dump);
	ck_assert_int_eq(fa.need_body, c->body);
	ck_assert_int_eq(fa.need_mime, c->mime);
	ck_assert_int_eq(fa.sets_seen, c->seen);
	fetch_atts_clear(&fa);
	ck_assert_int_eq(fa.n, 0);
	ck_assert_ptr_null(fa.v);
	ck_assert(!fa.need_body && !fa.need_mime && !fa.sets_seen);
	fetch_atts_clear(&fa);
	imap_cmd_free(&cmd);
}
END_TEST

START_TEST(test_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	struct imap_cmd	*cmd;
	struct fetch_atts fa;
	const char	*err = NULL;

	cmd = cmd_of(c->items, strlen(c->items));
	ck_assert_ptr_nonnull(cmd);
	ck_assert_int_eq(cmd->nargs, 2);
	ck_assert_msg(fetch_atts_parse(&cmd->args[1], &fa, &err) == -1,
	    "accepted %s", c->items);
	/* already cleared: nothing to free */
	ck_assert_int_eq(fa.n, 0);
	ck_assert_ptr_null(fa.v);
	ck_assert_ptr_nonnull(err);
	if (c->err != NULL)
		ck_assert_str_eq(err, c->err);
	else {
		/* section_parse's reason, naming the item */
		ck_assert_ptr_nonnull(strstr(err, ": "));
		ck_assert_ptr_nonnull(strstr(err, "["));
	}
	imap_cmd_free(&cmd);
}
END_TEST

START_TEST(test_add)
{
	struct imap_cmd	*cmd;
	struct fetch_atts fa;
	struct sb	 b;
	const char	*err = NULL;

	cmd = cmd_of("FAST", 4);
	ck_assert_int_eq(fetch_atts_parse(&cmd->args[1], &fa, &err), 0);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_UID), 0);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_UID), 0);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_FLAGS), 0);
	ck_assert_str_eq(dump(&b, &fa), "FLAGS INTERNALDATE RFC822.SIZE UID");
	ck_assert(!fa.need_body && !fa.need_mime && !fa.sets_seen);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_RFC822_HEADER), 0);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_RFC822_HEADER), 0);
	ck_assert(fa.need_body && !fa.need_mime && !fa.sets_seen);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_RFC822_TEXT), 0);
	ck_assert(fa.sets_seen);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_BINARY_SIZE), 0);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_BINARY_SIZE), 0);
	ck_assert(fa.need_mime);
	ck_assert_str_eq(dump(&b, &fa), "FLAGS INTERNALDATE RFC822.SIZE UID "
	    "RFC822.HEADER RFC822.TEXT BINARY.SIZE[:]");
	ck_assert_int_eq(fa.v[4].section.kind, SECTION_HEADER);
	ck_assert(fa.v[4].peek);
	ck_assert_int_eq(fa.v[5].section.kind, SECTION_TEXT);
	ck_assert(!fa.v[5].peek);
	fetch_atts_clear(&fa);
	imap_cmd_free(&cmd);

	/* a partial BODY[] is not the whole BODY[] */
	cmd = cmd_of("(BODY[]<0.5> BODY[1])", 21);
	ck_assert_int_eq(fetch_atts_parse(&cmd->args[1], &fa, &err), 0);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_BODY_SECTION), 0);
	ck_assert_int_eq(fetch_atts_add(&fa, FA_BODY_SECTION), 0);
	ck_assert_str_eq(dump(&b, &fa), "BODY[:]<0.5> BODY[1:] BODY[:]");
	fetch_atts_clear(&fa);
	imap_cmd_free(&cmd);

	/* from empty, and many */
	memset(&fa, 0, sizeof(fa));
	ck_assert_int_eq(fetch_atts_add(&fa, FA_UID), 0);
	ck_assert_int_eq(fa.n, 1);
	fetch_atts_clear(&fa);
	ck_assert_int_eq(fetch_atts_parse(NULL, &fa, &err), -1);
	ck_assert_str_eq(err, "Missing fetch items");
}
END_TEST

START_TEST(test_many_items)
{
	struct imap_cmd	*cmd;
	struct fetch_atts fa;
	const char	*err = NULL;
	char		 s[1000];
	size_t		 i, n = 0;

	s[n++] = '(';
	for (i = 0; i < 80; i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%sBODY[%zu]",
		    i ? " " : "", i + 1);
	s[n++] = ')';
	cmd = cmd_of(s, n);
	ck_assert_int_eq(fetch_atts_parse(&cmd->args[1], &fa, &err), 0);
	ck_assert_int_eq(fa.n, 80);
	for (i = 0; i < 80; i++)
		ck_assert_uint_eq(fa.v[i].section.part[0], i + 1);
	fetch_atts_clear(&fa);
	imap_cmd_free(&cmd);
}
END_TEST

/* Every prefix and single-byte change of the valid cases: no crash. */
START_TEST(test_prefixes)
{
	static const char subst[] = "[]<>.0 ()\"";
	struct imap_cmd	*cmd;
	struct fetch_atts fa;
	const char	*err;
	char		 buf[256];
	size_t		 i, j, k, len;

	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		len = strlen(ok_cases[i].items);
		memcpy(buf, ok_cases[i].items, len);
		for (j = 0; j <= len; j++) {
			for (k = 0; k <= sizeof(subst) - 1; k++) {
				if (k < sizeof(subst) - 1 && j < len)
					buf[j] = subst[k];
				if ((cmd = cmd_of(buf, j < len ? len : j)) ==
				    NULL)
					continue;
				if (cmd->nargs == 2 && fetch_atts_parse(
				    &cmd->args[1], &fa, &err) == 0)
					fetch_atts_clear(&fa);
				imap_cmd_free(&cmd);
			}
			if (j < len)
				buf[j] = ok_cases[i].items[j];
			if ((cmd = cmd_of(buf, j)) == NULL)
				continue;
			if (cmd->nargs == 2 && fetch_atts_parse(&cmd->args[1],
			    &fa, &err) == 0)
				fetch_atts_clear(&fa);
			imap_cmd_free(&cmd);
		}
	}
}
END_TEST

static Suite *
fetch_att_suite(void)
{
	Suite	*s = suite_create("fetch_att");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_ok, 0,
	    sizeof(ok_cases) / sizeof(ok_cases[0]));
	tcase_add_loop_test(tc, test_bad, 0,
	    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_add);
	tcase_add_test(tc, test_many_items);
	tcase_add_test(tc, test_prefixes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(fetch_att_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
