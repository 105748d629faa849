/*
 * Unit tests for lib/search.c. Arguments are produced by the real command
 * parser from command text.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "lib/imap_parse.h"
#include "lib/search.h"
#include "lib/seqset.h"

struct sb {
	char	 s[4096];
	size_t	 n;
};

struct ok_case {
	const char	*args;		/* after "t SEARCH " */
	const char	*dump;
	unsigned	 ret;
	int		 esearch;
	int		 saved;
};

struct bad_case {
	const char	*args;
	int		 status;
	const char	*err;		/* search_parse_errbuf() text */
};

static void	 sb_printf(struct sb *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 dump_key(struct sb *, const struct search_key *);
static struct imap_cmd *cmd_of(const char *);
static char	*nest(const char *, const char *, const char *, int);
static Suite	*search_suite(void);

static const char *const type_names[] = {
	[SK_AND] = "AND", [SK_OR] = "OR", [SK_NOT] = "NOT", [SK_ALL] = "ALL",
	[SK_SEQSET] = "SEQ", [SK_UID] = "UID", [SK_ANSWERED] = "ANSWERED",
	[SK_DELETED] = "DELETED", [SK_DRAFT] = "DRAFT",
	[SK_FLAGGED] = "FLAGGED", [SK_SEEN] = "SEEN", [SK_RECENT] = "RECENT",
	[SK_UNANSWERED] = "UNANSWERED", [SK_UNDELETED] = "UNDELETED",
	[SK_UNDRAFT] = "UNDRAFT", [SK_UNFLAGGED] = "UNFLAGGED",
	[SK_UNSEEN] = "UNSEEN", [SK_NEW] = "NEW", [SK_OLD] = "OLD",
	[SK_KEYWORD] = "KEYWORD", [SK_UNKEYWORD] = "UNKEYWORD",
	[SK_BEFORE] = "BEFORE", [SK_ON] = "ON", [SK_SINCE] = "SINCE",
	[SK_SENTBEFORE] = "SENTBEFORE", [SK_SENTON] = "SENTON",
	[SK_SENTSINCE] = "SENTSINCE", [SK_LARGER] = "LARGER",
	[SK_SMALLER] = "SMALLER", [SK_BCC] = "BCC", [SK_CC] = "CC",
	[SK_FROM] = "FROM", [SK_SUBJECT] = "SUBJECT", [SK_TO] = "TO",
	[SK_HEADER] = "HEADER", [SK_BODY] = "BODY", [SK_TEXT] = "TEXT"
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

/* NAME, NAME:"str", NAME:yyyy-mm-dd, NAME:size, SEQ:set, OP(children) */
static void
dump_key(struct sb *b, const struct search_key *k)
{
	struct tm	 tm;
	time_t		 t;
	char		*set;
	size_t		 i;

	sb_printf(b, "%s", type_names[k->type]);
	switch (k->type) {
	case SK_AND:
	case SK_OR:
	case SK_NOT:
		sb_printf(b, "(");
		for (i = 0; i < k->nchild; i++) {
			sb_printf(b, i ? " " : "");
			dump_key(b, &k->child[i]);
		}
		sb_printf(b, ")");
		break;
	case SK_SEQSET:
	case SK_UID:
		set = seqset_format(k->set);
		sb_printf(b, ":%s", set);
		free(set);
		break;
	case SK_KEYWORD: case SK_UNKEYWORD: case SK_BCC: case SK_CC:
	case SK_FROM: case SK_SUBJECT: case SK_TO: case SK_BODY: case SK_TEXT:
		ck_assert_int_eq(strlen(k->str), k->len);
		sb_printf(b, ":\"%s\"", k->str);
		break;
	case SK_HEADER:
		sb_printf(b, ":\"%s\":\"%s\"", k->field, k->str);
		break;
	case SK_BEFORE: case SK_ON: case SK_SINCE: case SK_SENTBEFORE:
	case SK_SENTON: case SK_SENTSINCE:
		t = (time_t)k->day * 86400;
		gmtime_r(&t, &tm);
		sb_printf(b, ":%04d-%02d-%02d", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
		break;
	case SK_LARGER:
	case SK_SMALLER:
		sb_printf(b, ":%llu", (unsigned long long)k->size);
		break;
	default:
		break;
	}
}

static struct imap_cmd *
cmd_of(const char *args)
{
	struct imap_parse_limits lim = { 64, 100000 };
	struct imap_cmd	*cmd = NULL;
	const char	*err = NULL;
	char		 line[8192];
	int		 n;

	n = snprintf(line, sizeof(line), "t SEARCH%s%s", *args ? " " : "",
	    args);
	ck_assert(n > 0 && (size_t)n < sizeof(line));
	if (imap_parse_command(line, (size_t)n, &lim, &cmd, NULL, &err) < 0)
		ck_abort_msg("imap_parse_command: %s: %s", line, err);
	return cmd;
}

static const struct ok_case ok_cases[] = {
	/* RFC 3501 6.4.4 / RFC 9051 6.4.4 examples */
	{ "FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
	  "FLAGGED SINCE:1994-02-01 NOT(FROM:\"Smith\")", 0, 0, 0 },
	{ "TEXT \"string not in mailbox\"",
	  "TEXT:\"string not in mailbox\"", 0, 0, 0 },
	{ "CHARSET UTF-8 TEXT {12}\r\n\xd1\x82\xd0\xb5\xd1\x81\xd1\x82"
	  "\xd0\xbe\xd0\xb2", "TEXT:\"\xd1\x82\xd0\xb5\xd1\x81\xd1\x82"
	  "\xd0\xbe\xd0\xb2\"", 0, 0, 0 },
	{ "from maria@example.com", "FROM:\"maria@example.com\"", 0, 0, 0 },
	/* RFC 4731 / RFC 9051 ESEARCH examples */
	{ "RETURN (MIN COUNT) FLAGGED", "FLAGGED",
	  SEARCH_RET_MIN | SEARCH_RET_COUNT, 1, 0 },
	{ "RETURN () FLAGGED", "FLAGGED", SEARCH_RET_ALL, 1, 0 },
	{ "RETURN (MIN) UNSEEN", "UNSEEN", SEARCH_RET_MIN, 1, 0 },
	{ "RETURN (MIN MAX) 1:5000", "SEQ:1:5000",
	  SEARCH_RET_MIN | SEARCH_RET_MAX, 1, 0 },
	{ "RETURN (COUNT) DELETED", "DELETED", SEARCH_RET_COUNT, 1, 0 },
	{ "RETURN (MAX SAVE MIN COUNT) SINCE 12-Feb-2006",
	  "SINCE:2006-02-12", SEARCH_RET_MAX | SEARCH_RET_SAVE |
	  SEARCH_RET_MIN | SEARCH_RET_COUNT, 1, 0 },
	{ "return (all save) since 12-feb-2006", "SINCE:2006-02-12",
	  SEARCH_RET_ALL | SEARCH_RET_SAVE, 1, 0 },
	{ "RETURN (SAVE) KEYWORD $Junk", "KEYWORD:\"$Junk\"",
	  SEARCH_RET_SAVE, 1, 0 },
	/* RFC 5182 */
	{ "UID $ SMALLER 4096", "UID:$ SMALLER:4096", 0, 0, 1 },
	{ "$ SMALLER 4096", "SEQ:$ SMALLER:4096", 0, 0, 1 },
	{ "CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8+}\r\nmail-123",
	  "AND(OR(SEQ:$ SEQ:1,3000:3021)) TEXT:\"mail-123\"", 0, 0, 1 },
	{ "RETURN (SAVE) CHARSET us-ascii ALL", "ALL", SEARCH_RET_SAVE, 1,
	  0 },
	/* every key */
	{ "ALL ANSWERED DELETED DRAFT FLAGGED SEEN RECENT NEW OLD",
	  "ALL ANSWERED DELETED DRAFT FLAGGED SEEN RECENT NEW OLD", 0, 0, 0 },
	{ "UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNSEEN",
	  "UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNSEEN", 0, 0, 0 },
	{ "BCC a CC \"b c\" FROM {1}\r\nd SUBJECT \"\" TO e BODY f TEXT g",
	  "BCC:\"a\" CC:\"b c\" FROM:\"d\" SUBJECT:\"\" TO:\"e\" BODY:\"f\" "
	  "TEXT:\"g\"", 0, 0, 0 },
	{ "HEADER Message-ID \"<x@y>\" HEADER \"X-Spam\" \"\"",
	  "HEADER:\"Message-ID\":\"<x@y>\" HEADER:\"X-Spam\":\"\"", 0, 0, 0 },
	{ "KEYWORD foo UNKEYWORD $Forwarded",
	  "KEYWORD:\"foo\" UNKEYWORD:\"$Forwarded\"", 0, 0, 0 },
	{ "BEFORE 1-Jan-2000 ON \"29-Feb-2024\" SINCE 31-Dec-1969",
	  "BEFORE:2000-01-01 ON:2024-02-29 SINCE:1969-12-31", 0, 0, 0 },
	{ "SENTBEFORE 1-Jan-2000 SENTON 2-Jan-2000 SENTSINCE 03-Jan-2000",
	  "SENTBEFORE:2000-01-01 SENTON:2000-01-02 SENTSINCE:2000-01-03",
	  0, 0, 0 },
	{ "LARGER 0 SMALLER 9223372036854775807",
	  "LARGER:0 SMALLER:9223372036854775807", 0, 0, 0 },
	{ "UID 1:* 2,4:7,9,12:* *", "UID:1:* SEQ:2,4:7,9,12:* SEQ:*",
	  0, 0, 0 },
	/* structure */
	{ "OR SEEN FLAGGED", "OR(SEEN FLAGGED)", 0, 0, 0 },
	{ "OR (SEEN FLAGGED) NOT OR ANSWERED DRAFT",
	  "OR(AND(SEEN FLAGGED) NOT(OR(ANSWERED DRAFT)))", 0, 0, 0 },
	{ "OR OR SEEN DRAFT FROM x", "OR(OR(SEEN DRAFT) FROM:\"x\")",
	  0, 0, 0 },
	{ "NOT NOT NOT ALL", "NOT(NOT(NOT(ALL)))", 0, 0, 0 },
	{ "(((ALL)))", "AND(AND(AND(ALL)))", 0, 0, 0 },
	{ "(FROM a TO b) (OR 1:2 3)",
	  "AND(FROM:\"a\" TO:\"b\") AND(OR(SEQ:1:2 SEQ:3))", 0, 0, 0 },
	{ "not seen", "NOT(SEEN)", 0, 0, 0 },
	{ "SUBJECT \"\xc3\xa9t\xc3\xa9\"", "SUBJECT:\"\xc3\xa9t\xc3\xa9\"",
	  0, 0, 0 },
	{ "SUBJECT a]b", "SUBJECT:\"a]b\"", 0, 0, 0 },
};

static const struct bad_case bad_cases[] = {
	{ "", SEARCH_PARSE_BAD, "Missing search key" },
	{ "FOO", SEARCH_PARSE_BAD, "Unknown search key: FOO" },
	{ "ALL FOO", SEARCH_PARSE_BAD, "Unknown search key: FOO" },
	{ "(ALL (SEEN BAR))", SEARCH_PARSE_BAD, "Unknown search key: BAR" },
	{ "\"ALL\"", SEARCH_PARSE_BAD, "Invalid search key" },
	{ "{3}\r\nALL", SEARCH_PARSE_BAD, "Invalid search key" },
	{ "()", SEARCH_PARSE_BAD, "Empty search key list" },
	{ "NOT", SEARCH_PARSE_BAD, "Missing search key after: NOT" },
	{ "OR SEEN", SEARCH_PARSE_BAD, "Missing search key after: OR" },
	{ "OR", SEARCH_PARSE_BAD, "Missing search key after: OR" },
	{ "(NOT)", SEARCH_PARSE_BAD, "Missing search key after: NOT" },
	{ "OR OR a b c", SEARCH_PARSE_BAD, "Unknown search key: a" },
	{ "FROM", SEARCH_PARSE_BAD, "Missing argument for: FROM" },
	{ "FROM (a)", SEARCH_PARSE_BAD,
	  "Missing or invalid string for: FROM" },
	{ "FROM \\a", SEARCH_PARSE_BAD,
	  "Missing or invalid string for: FROM" },
	{ "FROM \"\xc3\"", SEARCH_PARSE_BAD,
	  "Invalid UTF-8 in search string for: FROM" },
	{ "TEXT {2}\r\n\xc0\x80", SEARCH_PARSE_BAD,
	  "Invalid UTF-8 in search string for: TEXT" },
	{ "HEADER", SEARCH_PARSE_BAD, "Missing argument for: HEADER" },
	{ "HEADER Subject", SEARCH_PARSE_BAD, "Missing argument for: HEADER" },
	{ "HEADER \"\xff\" x", SEARCH_PARSE_BAD,
	  "Invalid UTF-8 in search string for: HEADER" },
	{ "SINCE", SEARCH_PARSE_BAD, "Missing argument for: SINCE" },
	{ "SINCE 1-Foo-2000", SEARCH_PARSE_BAD, "Invalid date for: SINCE" },
	{ "BEFORE 30-Feb-2000", SEARCH_PARSE_BAD, "Invalid date for: BEFORE" },
	{ "ON {10}\r\n1-Jan-2000", SEARCH_PARSE_BAD, "Invalid date for: ON" },
	{ "SENTON 1-Jan-2000 SEEN SENTSINCE (x)", SEARCH_PARSE_BAD,
	  "Invalid date for: SENTSINCE" },
	{ "SENTBEFORE \"1-Jan-2000 \"", SEARCH_PARSE_BAD,
	  "Invalid date for: SENTBEFORE" },
	{ "LARGER", SEARCH_PARSE_BAD, "Missing argument for: LARGER" },
	{ "LARGER -1", SEARCH_PARSE_BAD, "Invalid number for: LARGER" },
	{ "LARGER \"5\"", SEARCH_PARSE_BAD, "Invalid number for: LARGER" },
	{ "SMALLER 9223372036854775808", SEARCH_PARSE_BAD,
	  "Invalid number for: SMALLER" },
	{ "KEYWORD \\Seen", SEARCH_PARSE_BAD, "Invalid keyword for: KEYWORD" },
	{ "KEYWORD \"foo\"", SEARCH_PARSE_BAD,
	  "Invalid keyword for: KEYWORD" },
	{ "UNKEYWORD a]", SEARCH_PARSE_BAD, "Invalid keyword for: UNKEYWORD" },
	{ "KEYWORD", SEARCH_PARSE_BAD, "Missing argument for: KEYWORD" },
	{ "UID", SEARCH_PARSE_BAD, "Missing argument for: UID" },
	{ "UID \"1\"", SEARCH_PARSE_BAD, "Invalid sequence set for: UID" },
	{ "UID 0", SEARCH_PARSE_BAD, "Invalid sequence set for: UID" },
	{ "UID 1:", SEARCH_PARSE_BAD, "Invalid sequence set for: UID" },
	{ "1:", SEARCH_PARSE_BAD, "Invalid sequence set: 1:" },
	{ "0", SEARCH_PARSE_BAD, "Invalid sequence set: 0" },
	{ "$1", SEARCH_PARSE_BAD, "Invalid sequence set: $1" },
	{ "1foo", SEARCH_PARSE_BAD, "Invalid sequence set: 1foo" },
	{ "RETURN", SEARCH_PARSE_BAD, "RETURN needs a list of options" },
	{ "RETURN ALL", SEARCH_PARSE_BAD, "RETURN needs a list of options" },
	{ "RETURN (FOO) ALL", SEARCH_PARSE_BAD, "Unknown RETURN option: FOO" },
	{ "RETURN (MIN PARTIAL 1:10) ALL", SEARCH_PARSE_BAD,
	  "Unknown RETURN option: PARTIAL" },
	{ "RETURN (\"MIN\") ALL", SEARCH_PARSE_BAD, "Invalid RETURN option" },
	{ "RETURN (MIN)", SEARCH_PARSE_BAD, "Missing search key" },
	{ "ALL RETURN (MIN)", SEARCH_PARSE_BAD,
	  "Unknown search key: RETURN" },
	{ "CHARSET UTF-8 RETURN (MIN) ALL", SEARCH_PARSE_BAD,
	  "Unknown search key: RETURN" },
	{ "CHARSET", SEARCH_PARSE_BAD, "Missing charset" },
	{ "CHARSET (x) ALL", SEARCH_PARSE_BAD, "Missing charset" },
	{ "CHARSET UTF-8", SEARCH_PARSE_BAD, "Missing search key" },
	{ "ALL CHARSET UTF-8", SEARCH_PARSE_BAD,
	  "Unknown search key: CHARSET" },
	{ "CHARSET KOI8-R TEXT x", SEARCH_PARSE_BADCHARSET,
	  "Unsupported charset" },
	{ "RETURN (SAVE) CHARSET KOI8-R ALL", SEARCH_PARSE_BADCHARSET,
	  "Unsupported charset" },
	{ "CHARSET \"ISO-8859-1\" ALL", SEARCH_PARSE_BADCHARSET,
	  "Unsupported charset" },
	{ "CHARSET UTF-8x ALL", SEARCH_PARSE_BADCHARSET,
	  "Unsupported charset" },
	{ "CHARSET UTF-", SEARCH_PARSE_BADCHARSET, "Unsupported charset" },
	{ "FOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO",
	  SEARCH_PARSE_BAD,
	  "Unknown search key: FOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO" },
};

START_TEST(test_ok)
{
	const struct ok_case *c = &ok_cases[_i];
	struct search_program *prog = NULL;
	struct imap_cmd	*cmd;
	struct sb	 b = { .n = 0 };
	const char	*err = NULL;
	char		 ebuf[128];
	size_t		 i;
	int		 r;

	cmd = cmd_of(c->args);
	r = search_parse_errbuf(cmd->args, cmd->nargs, &prog, &err, ebuf,
	    sizeof(ebuf));
	ck_assert_msg(r == SEARCH_PARSE_OK, "%s: %s", c->args, err);
	ck_assert_int_eq(prog->root.type, SK_AND);
	ck_assert_int_gt(prog->root.nchild, 0);
	for (i = 0; i < prog->root.nchild; i++) {
		sb_printf(&b, i ? " " : "");
		dump_key(&b, &prog->root.child[i]);
	}
	ck_assert_str_eq(b.s, c->dump);
	ck_assert_uint_eq(prog->ret, c->ret);
	ck_assert_int_eq(prog->esearch, c->esearch);
	ck_assert_int_eq(prog->uses_saved, c->saved);
	search_free(&prog);
	ck_assert_ptr_null(prog);
	search_free(&prog);
	search_free(NULL);
	/* the errbuf-less form gives the same result */
	ck_assert_int_eq(search_parse(cmd->args, cmd->nargs, &prog, &err),
	    SEARCH_PARSE_OK);
	search_free(&prog);
	imap_cmd_free(&cmd);
}
END_TEST

START_TEST(test_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	struct search_program *prog = (struct search_program *)&prog;
	struct imap_cmd	*cmd;
	const char	*err = NULL, *err2 = NULL;
	char		 ebuf[128];
	size_t		 k;
	int		 r;

	cmd = cmd_of(c->args);
	r = search_parse_errbuf(cmd->args, cmd->nargs, &prog, &err, ebuf,
	    sizeof(ebuf));
	ck_assert_msg(r == c->status, "%s: %d", c->args, r);
	ck_assert_ptr_null(prog);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, c->err);
	/* without a buffer: a static text, the same up to the name */
	r = search_parse(cmd->args, cmd->nargs, &prog, &err2);
	ck_assert_int_eq(r, c->status);
	ck_assert_ptr_null(prog);
	ck_assert_ptr_nonnull(err2);
	ck_assert(strncmp(err, err2, strlen(err2)) == 0);
	ck_assert(strchr(err2, ':') == NULL);
	/* a tiny buffer truncates */
	r = search_parse_errbuf(cmd->args, cmd->nargs, &prog, &err, ebuf, 4);
	ck_assert_int_eq(r, c->status);
	ck_assert_int_le(strlen(err), strlen(c->err));
	/* every prefix of the argument list: no crash, no leak */
	for (k = 0; k < cmd->nargs; k++) {
		r = search_parse_errbuf(cmd->args, k, &prog, &err, ebuf,
		    sizeof(ebuf));
		search_free(&prog);
	}
	imap_cmd_free(&cmd);
}
END_TEST

static char *
nest(const char *open, const char *inner, const char *close, int n)
{
	size_t	 lo = strlen(open), li = strlen(inner), lc = strlen(close);
	char	*s = malloc(n * (lo + lc) + li + 1), *p = s;
	int	 i;

	for (i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, inner, li);
	p += li;
	for (i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

START_TEST(test_depth)
{
	static const struct {
		const char	*open, *close;
	} forms[] = { { "NOT ", "" }, { "(", ")" }, { "OR ALL ", "" } };
	struct search_program *prog = NULL;
	struct imap_cmd	*cmd;
	const char	*err = NULL;
	char		*s;
	size_t		 f;
	int		 n;

	for (f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		for (n = 31; n <= 33; n++) {
			s = nest(forms[f].open, "SEEN", forms[f].close, n);
			cmd = cmd_of(s);
			if (n <= 32) {
				ck_assert_msg(search_parse(cmd->args,
				    cmd->nargs, &prog, &err) == 0, "%s: %s",
				    s, err);
				search_free(&prog);
			} else {
				ck_assert_int_eq(search_parse(cmd->args,
				    cmd->nargs, &prog, &err),
				    SEARCH_PARSE_BAD);
				ck_assert_str_eq(err,
				    "Too deeply nested search keys");
			}
			imap_cmd_free(&cmd);
			free(s);
		}
	}
	/* "OR (" adds two levels each */
	for (n = 16; n <= 17; n++) {
		s = nest("OR (", "SEEN", ") ALL", n);
		cmd = cmd_of(s);
		ck_assert_int_eq(search_parse(cmd->args, cmd->nargs, &prog,
		    &err), n == 16 ? SEARCH_PARSE_OK : SEARCH_PARSE_BAD);
		search_free(&prog);
		imap_cmd_free(&cmd);
		free(s);
	}
}
END_TEST

START_TEST(test_many)
{
	struct search_program *prog = NULL;
	struct imap_cmd	*cmd;
	const char	*err = NULL;
	char		*s = malloc(5 * 1000 + 1);
	int		 i;

	for (i = 0; i < 1000; i++)
		memcpy(s + 5 * i, "SEEN ", 5);
	s[5 * 1000 - 1] = '\0';
	cmd = cmd_of(s);
	ck_assert_int_eq(search_parse(cmd->args, cmd->nargs, &prog, &err), 0);
	ck_assert_int_eq(prog->root.nchild, 1000);
	search_free(&prog);
	imap_cmd_free(&cmd);
	free(s);
}
END_TEST

/* Random key sequences: never crash, leak or read out of bounds. */
START_TEST(test_random)
{
	static const char *const words[] = { "ALL", "NOT", "OR", "(", ")",
	    "FROM", "x", "\"y\"", "HEADER", "SINCE", "1-Jan-2000", "LARGER",
	    "5", "UID", "1:*", "$", "KEYWORD", "\\Seen", "RETURN", "(MIN)",
	    "CHARSET", "UTF-8", "()", "{1}\r\nz", "SEEN", "foo" };
	struct search_program *prog = NULL;
	struct imap_parse_limits lim = { 64, 1000 };
	struct imap_cmd	*cmd;
	const char	*err = NULL;
	char		 line[512], ebuf[64];
	uint32_t	 x = 3;
	size_t		 len, w;
	int		 i, j, k;

	for (i = 0; i < 5000; i++) {
		len = (size_t)snprintf(line, sizeof(line), "t SEARCH");
		x = x * 1103515245 + 12345;
		k = 1 + (x >> 16) % 12;
		for (j = 0; j < k; j++) {
			x = x * 1103515245 + 12345;
			w = (x >> 16) % (sizeof(words) / sizeof(words[0]));
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			    " %s", words[w]);
		}
		if (imap_parse_command(line, len, &lim, &cmd, NULL, &err) < 0)
			continue;
		if (search_parse_errbuf(cmd->args, cmd->nargs, &prog, &err,
		    ebuf, sizeof(ebuf)) == SEARCH_PARSE_OK)
			search_free(&prog);
		imap_cmd_free(&cmd);
	}
}
END_TEST

static Suite *
search_suite(void)
{
	Suite	*s = suite_create("search");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_ok, 0,
	    sizeof(ok_cases) / sizeof(ok_cases[0]));
	tcase_add_loop_test(tc, test_bad, 0,
	    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(search_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
