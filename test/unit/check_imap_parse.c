/*
 * Unit tests for lib/imap_parse.c: the command grammar.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/imap_parse.h"

/* A passing ck_assert() costs a write to the runner: use this in loops. */
#define CHECK(c) do {							\
	if (!(c))							\
		ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);	\
} while (0)

struct sb {
	char	 s[8192];
	size_t	 n;
};

struct ok_case {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	const char	*dump;		/* "tag NAME args" as dump_cmd() */
};

struct bad_case {
	const char	*in;
	const char	*err;
	const char	*tag;		/* NULL: no tag could be read */
};

static void	 sb_putc(struct sb *, char);
static void	 sb_puts(struct sb *, const char *);
static void	 dump_args(struct sb *, const struct imap_arg *, size_t);
static const char *dump_cmd(struct sb *, const struct imap_cmd *);
static struct imap_cmd *parse_ok(const char *, size_t, size_t, size_t);
static void	 parse_any(const char *, size_t);
static void	 parse_any_lim(const char *, size_t,
		    const struct imap_parse_limits *);
static Suite	*imap_parse_suite(void);

static const struct imap_parse_limits deflim = { 32, 10000 };

static void
sb_putc(struct sb *b, char c)
{
	if (b->n + 1 < sizeof(b->s))
		b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

static void
sb_puts(struct sb *b, const char *s)
{
	while (*s != '\0')
		sb_putc(b, *s++);
}

/* Atoms as is, quoted as "..", literals as {..} / ~{..}, lists as (..);
 * bytes outside printable ASCII as \xHH. */
static void
dump_args(struct sb *b, const struct imap_arg *a, size_t n)
{
	char	 hex[8];
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		if (i > 0)
			sb_putc(b, ' ');
		if (a[i].type == IMAP_ARG_LIST) {
			CHECK(a[i].count == 0 || a[i].list != NULL);
			sb_putc(b, '(');
			dump_args(b, a[i].list, a[i].count);
			sb_putc(b, ')');
			continue;
		}
		CHECK(a[i].str[a[i].len] == '\0');
		if (a[i].type == IMAP_ARG_QUOTED)
			sb_putc(b, '"');
		else if (a[i].type == IMAP_ARG_LITERAL)
			sb_puts(b, a[i].literal8 ? "~{" : "{");
		for (j = 0; j < a[i].len; j++) {
			unsigned char c = a[i].str[j];
			if (c < 0x20 || c > 0x7e) {
				snprintf(hex, sizeof(hex), "\\x%02x", c);
				sb_puts(b, hex);
			} else
				sb_putc(b, c);
		}
		if (a[i].type == IMAP_ARG_QUOTED)
			sb_putc(b, '"');
		else if (a[i].type == IMAP_ARG_LITERAL)
			sb_putc(b, '}');
	}
}

static const char *
dump_cmd(struct sb *b, const struct imap_cmd *cmd)
{
	b->n = 0;
	b->s[0] = '\0';
	sb_puts(b, cmd->tag);
	sb_putc(b, ' ');
	sb_puts(b, cmd->name);
	if (cmd->nargs > 0) {
		sb_putc(b, ' ');
		dump_args(b, cmd->args, cmd->nargs);
	}
	return b->s;
}

static struct imap_cmd *
parse_ok(const char *in, size_t len, size_t depth, size_t args)
{
	struct imap_parse_limits lim = { depth, args };
	struct imap_cmd	*cmd = NULL;
	const char	*err = NULL;
	char		*tag = NULL;

	if (imap_parse_command(in, len, &lim, &cmd, &tag, &err) != 0)
		ck_abort_msg("parse failed: %s: %s", in, err);
	ck_assert_ptr_nonnull(tag);
	ck_assert_str_eq(tag, cmd->tag);
	free(tag);
	return cmd;
}

/* Must not crash; on success the tree must be walkable. */
static void
parse_any(const char *in, size_t len)
{
	parse_any_lim(in, len, &deflim);
}

static void
parse_any_lim(const char *in, size_t len, const struct imap_parse_limits *lim)
{
	struct imap_cmd	*cmd = NULL;
	const char	*err = NULL;
	char		*tag = NULL;
	struct sb	 b;

	if (imap_parse_command(in, len, lim, &cmd, &tag, &err) == 0) {
		dump_cmd(&b, cmd);
		imap_cmd_free(&cmd);
		CHECK(cmd == NULL);
	} else {
		CHECK(cmd == NULL);
		CHECK(err != NULL);
	}
	free(tag);
}

static const struct ok_case ok_cases[] = {
	{ "a1 NOOP", 0, "a1 NOOP" },
	{ "a1 noop", 0, "a1 NOOP" },
	{ "a1 cApAbIlItY", 0, "a1 CAPABILITY" },
	{ "A001 LOGIN fred blurdybloop", 0, "A001 LOGIN fred blurdybloop" },
	{ "a LOGIN \"fred\" \"foo\"", 0, "a LOGIN \"fred\" \"foo\"" },
	{ "A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man", 0,
	  "A001 LOGIN {FRED FOOBAR} {fat man}" },
	{ "A001 LOGIN {4+}\r\nfred {0}\r\n", 0, "A001 LOGIN {fred} {}" },
	{ "a SELECT inbox", 0, "a SELECT inbox" },
	{ "A002 LIST \"\" \"#Users/%\"", 0, "A002 LIST \"\" \"#Users/%\"" },
	{ "A682 LIST \"\" *", 0, "A682 LIST \"\" *" },
	{ "A202 LIST ~/Mail/ %", 0, "A202 LIST ~/Mail/ %" },
	{ "A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))", 0,
	  "A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))" },
	{ "A03 LIST () \"\" \"%\" RETURN (CHILDREN)", 0,
	  "A03 LIST () \"\" \"%\" RETURN (CHILDREN)" },
	{ "a1 LIST \"\" (\"foo\")", 0, "a1 LIST \"\" (\"foo\")" },
	{ "A003 APPEND saved-messages (\\Seen) {5}\r\nHello", 0,
	  "A003 APPEND saved-messages (\\Seen) {Hello}" },
	{ "A003 APPEND box (\\Seen) \" 7-Feb-1994 21:52:25 -0800\" {2+}\r\n"
	  "Hi", 0,
	  "A003 APPEND box (\\Seen) \" 7-Feb-1994 21:52:25 -0800\" {Hi}" },
	{ "A003 STORE 2:4 +FLAGS (\\Deleted)", 0,
	  "A003 STORE 2:4 +FLAGS (\\Deleted)" },
	{ "F284 STORE $ +FLAGS.Silent (\\Deleted)", 0,
	  "F284 STORE $ +FLAGS.Silent (\\Deleted)" },
	{ "a005 store 12 +flags \\deleted", 0,
	  "a005 STORE 12 +flags \\deleted" },
	{ "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])", 0,
	  "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])" },
	{ "A283 FETCH $ (UID INTERNALDATE FLAGS BODY.PEEK[HEADER])", 0,
	  "A283 FETCH $ (UID INTERNALDATE FLAGS BODY.PEEK[HEADER])" },
	{ "a004 fetch 12 body[header]", 0, "a004 FETCH 12 body[header]" },
	{ "a FETCH 1 BODY[]<0.100>", 0, "a FETCH 1 BODY[]<0.100>" },
	{ "a FETCH 1 (BODY.PEEK[1.2.HEADER.FIELDS.NOT (a \"b]\" c)]<5.7> "
	  "UID)", 0,
	  "a FETCH 1 (BODY.PEEK[1.2.HEADER.FIELDS.NOT (a \"b]\" c)]<5.7> "
	  "UID)" },
	{ "a FETCH 1 BODY[HEADER.FIELDS ({4}\r\nFrom)]", 0,
	  "a FETCH 1 BODY[HEADER.FIELDS ({4}\\x0d\\x0aFrom)]" },
	{ "a FETCH 1 (X[a[b]c] Y)", 0, "a FETCH 1 (X[a[b]c] Y)" },
	/* an unmatched "[" is an ordinary atom character */
	{ "a SELECT foo[bar", 0, "a SELECT foo[bar" },
	{ "a SELECT foo[bar baz", 0, "a SELECT foo[bar baz" },
	{ "a SELECT foo]bar", 0, "a SELECT foo]bar" },
	{ "a999 UID FETCH 4827313:4828442 FLAGS", 0,
	  "a999 UID FETCH 4827313:4828442 FLAGS" },
	{ "A285 SEARCH CHARSET UTF-8 TEXT {12}\r\n\xd1\x82\xd0\xb5\xd1\x81"
	  "\xd1\x82\xd0\xbe\xd0\xb2", 0,
	  "A285 SEARCH CHARSET UTF-8 TEXT {\\xd1\\x82\\xd0\\xb5\\xd1\\x81"
	  "\\xd1\\x82\\xd0\\xbe\\xd0\\xb2}" },
	{ "P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {8+}\r\n"
	  "mail-123", 0,
	  "P283 SEARCH CHARSET UTF-8 (OR $ 1,3000:3021) TEXT {mail-123}" },
	{ "a SEARCH TEXT \"a \\\"quoted\\\" \\\\ word\"", 0,
	  "a SEARCH TEXT \"a \"quoted\" \\ word\"" },
	{ "a SEARCH TEXT \"\xc3\xa9t\xc3\xa9\"", 0,
	  "a SEARCH TEXT \"\\xc3\\xa9t\\xc3\\xa9\"" },
	{ "a SEARCH TEXT \"tab\there\"", 0,
	  "a SEARCH TEXT \"tab\\x09here\"" },
	{ "a X ()", 0, "a X ()" },
	{ "a X (())", 0, "a X (())" },
	{ "a X ((a) (b c) ())", 0, "a X ((a) (b c) ())" },
	{ "a X NIL nil \"NIL\"", 0, "a X NIL nil \"NIL\"" },
	{ "a X ~{3}\r\na\0b", 13, "a X ~{a\\x00b}" },
	{ "a X ~{3+}\r\nabc", 0, "a X ~{abc}" },
	{ "a X ~abc", 0, "a X ~abc" },
	{ "a X {3}\r\na b {1}\r\n)", 0, "a X {a b} {)}" },
	{ "a X ({3}\r\nabc)", 0, "a X ({abc})" },
	{ "a X {003}\r\nabc", 0, "a X {abc}" },
	{ "[tag] X", 0, "[tag] X" },
	{ "a.b-c_d X", 0, "a.b-c_d X" },
	{ "a AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=", 0,
	  "a AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=" },
	{ "a01 AUTHENTICATE EXTERNAL =", 0, "a01 AUTHENTICATE EXTERNAL =" },
	{ "a ID (\"name\" \"x\" \"version\" NIL)", 0,
	  "a ID (\"name\" \"x\" \"version\" NIL)" },
	{ "a X \"\"", 0, "a X \"\"" },
};

static const struct bad_case bad_cases[] = {
	{ "", "Empty command", NULL },
	{ " NOOP", "Invalid tag", NULL },
	{ "a+b NOOP", "Invalid tag", NULL },
	{ "a*b NOOP", "Invalid tag", NULL },
	{ "a(b NOOP", "Invalid tag", NULL },
	{ "a\"b NOOP", "Invalid tag", NULL },
	{ "a%b NOOP", "Invalid tag", NULL },
	{ "a{b NOOP", "Invalid tag", NULL },
	{ "a\x01 NOOP", "Invalid tag", NULL },
	{ "a\xc3\xa9 NOOP", "Invalid tag", NULL },
	{ "a1", "Missing command name", "a1" },
	{ "a1 ", "Missing command name", "a1" },
	{ "a1  NOOP", "Missing command name", "a1" },
	{ "a1 NO(OP", "Invalid command name", "a1" },
	{ "a1 (NOOP", "Invalid command name", "a1" },
	{ "a1 NO\"OP", "Invalid command name", "a1" },
	{ "a1 NO[OP]", "Invalid command name", "a1" },
	{ "a1 NOOP ", "Trailing space", "a1" },
	{ "a1 X a  b", "Double spaces", "a1" },
	{ "a1 X  a", "Double spaces", "a1" },
	{ "a1 X a ", "Trailing space", "a1" },
	{ "a1 X ( a)", "Space after '('", "a1" },
	{ "a1 X (a )", "Space before ')'", "a1" },
	{ "a1 X ( )", "Space after '('", "a1" },
	{ "a1 X (a)(b)", "Missing space between arguments", "a1" },
	{ "a1 X (a)b", "Missing space between arguments", "a1" },
	{ "a1 X \"a\"b", "Missing space after quoted string", "a1" },
	{ "a1 X \"a\"\"b\"", "Missing space after quoted string", "a1" },
	{ "a1 X {1}\r\nab", "Missing space after literal", "a1" },
	{ "a1 X (a", "Unbalanced parentheses", "a1" },
	{ "a1 X a)", "Unbalanced parentheses", "a1" },
	{ "a1 X (a))", "Unbalanced parentheses", "a1" },
	{ "a1 X ((a)", "Unbalanced parentheses", "a1" },
	{ "a1 X \"abc", "Unterminated quoted string", "a1" },
	{ "a1 X \"abc\\", "Unterminated quoted string", "a1" },
	{ "a1 X \"a\\bc\"", "Invalid escape in quoted string", "a1" },
	{ "a1 X \"a\rb\"", "Invalid characters in quoted string", "a1" },
	{ "a1 X \"a\nb\"", "Invalid characters in quoted string", "a1" },
	{ "a1 X a\"b", "Invalid characters in atom", "a1" },
	{ "a1 X a(b", "Invalid characters in atom", "a1" },
	{ "a1 X a{1}", "Invalid characters in atom", "a1" },
	{ "a1 X a\x01", "Invalid characters in atom", "a1" },
	{ "a1 X a\x7f", "Invalid characters in atom", "a1" },
	{ "a1 X \xc3\xa9", "Invalid characters in atom", "a1" },
	{ "a1 X a\tb", "Invalid characters in atom", "a1" },
	{ "a1 X a\rb", "Invalid characters in atom", "a1" },
	{ "a1 X BODY[\x01]", "Invalid characters in atom", "a1" },
	{ "a1 X {}\r\n", "Invalid literal size", "a1" },
	{ "a1 X {x}\r\n", "Invalid literal size", "a1" },
	{ "a1 X {1", "Invalid literal size", "a1" },
	{ "a1 X {-1}\r\na", "Invalid literal size", "a1" },
	{ "a1 X {1++}\r\na", "Invalid literal size", "a1" },
	{ "a1 X {9223372036854775808}\r\n", "Invalid literal size", "a1" },
	{ "a1 X {99999999999999999999}\r\n", "Invalid literal size", "a1" },
	{ "a1 X {9223372036854775807}\r\n", "Literal size mismatch", "a1" },
	{ "a1 X {1}", "Missing CRLF after literal size", "a1" },
	{ "a1 X {1}\n", "Missing CRLF after literal size", "a1" },
	{ "a1 X {1}\ra", "Missing CRLF after literal size", "a1" },
	{ "a1 X {1} a", "Missing CRLF after literal size", "a1" },
	{ "a1 X {2}\r\na", "Literal size mismatch", "a1" },
	{ "a1 X {5}\r\n", "Literal size mismatch", "a1" },
	{ "a1 X ~{1+}\r\n", "Literal size mismatch", "a1" },
};

START_TEST(test_ok)
{
	const struct ok_case *c = &ok_cases[_i];
	struct imap_cmd	*cmd;
	struct sb	 b;
	size_t		 len = c->len ? c->len : strlen(c->in);

	if (c->dump == NULL)
		return;
	cmd = parse_ok(c->in, len, 32, 1000);
	ck_assert_str_eq(dump_cmd(&b, cmd), c->dump);
	imap_cmd_free(&cmd);
	ck_assert_ptr_null(cmd);
	imap_cmd_free(&cmd);
	imap_cmd_free(NULL);
}
END_TEST

START_TEST(test_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	struct imap_cmd	*cmd = (struct imap_cmd *)&cmd;
	const char	*err = NULL;
	char		*tag = (char *)&tag;
	int		 r;

	r = imap_parse_command(c->in, strlen(c->in), &deflim, &cmd, &tag,
	    &err);
	ck_assert_msg(r == -1, "accepted: %s", c->in);
	ck_assert_ptr_null(cmd);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strcmp(err, c->err) == 0, "%s: got \"%s\" want \"%s\"",
	    c->in, err, c->err);
	if (c->tag == NULL)
		ck_assert_ptr_null(tag);
	else {
		ck_assert_ptr_nonnull(tag);
		ck_assert_str_eq(tag, c->tag);
	}
	free(tag);
	/* tag_r may be NULL */
	err = NULL;
	r = imap_parse_command(c->in, strlen(c->in), &deflim, &cmd, NULL,
	    &err);
	ck_assert_int_eq(r, -1);
	ck_assert_ptr_nonnull(err);
}
END_TEST

START_TEST(test_nul)
{
	static const char lit[] = "a X {3}\r\na\0b";
	static const char quo[] = "a X \"a\0b\"";
	static const char atm[] = "a X a\0b";
	static const char nam[] = "a X\0";
	struct imap_cmd	*cmd = NULL;
	const char	*err = NULL;

	ck_assert_int_eq(imap_parse_command(lit, sizeof(lit) - 1, &deflim,
	    &cmd, NULL, &err), -1);
	ck_assert_str_eq(err, "NUL in literal");
	ck_assert_int_eq(imap_parse_command(quo, sizeof(quo) - 1, &deflim,
	    &cmd, NULL, &err), -1);
	ck_assert_str_eq(err, "Invalid characters in quoted string");
	ck_assert_int_eq(imap_parse_command(atm, sizeof(atm) - 1, &deflim,
	    &cmd, NULL, &err), -1);
	ck_assert_str_eq(err, "Invalid characters in atom");
	ck_assert_int_eq(imap_parse_command(nam, sizeof(nam) - 1, &deflim,
	    &cmd, NULL, &err), -1);
	ck_assert_str_eq(err, "Invalid command name");
}
END_TEST

START_TEST(test_literal_binary)
{
	/* a literal8 may hold any octet, also CR LF and NUL */
	static const char in[] = "a APPEND box ~{6}\r\n\0\r\n)(\"";
	struct imap_cmd	*cmd;

	cmd = parse_ok(in, sizeof(in) - 1, 32, 100);
	ck_assert_int_eq(cmd->nargs, 2);
	ck_assert_int_eq(cmd->args[1].type, IMAP_ARG_LITERAL);
	ck_assert(cmd->args[1].literal8);
	ck_assert_int_eq(cmd->args[1].len, 6);
	ck_assert_mem_eq(cmd->args[1].str, "\0\r\n)(\"", 6);
	imap_cmd_free(&cmd);
}
END_TEST

static char *
nested(size_t depth)
{
	char	*s = malloc(2 * depth + 16);
	size_t	 i, n = 0;

	memcpy(s, "a X ", 4);
	n = 4;
	for (i = 0; i < depth; i++)
		s[n++] = '(';
	s[n++] = 'x';
	for (i = 0; i < depth; i++)
		s[n++] = ')';
	s[n] = '\0';
	return s;
}

START_TEST(test_depth_limit)
{
	struct imap_parse_limits lim = { 5, 1000 };
	struct imap_cmd	*cmd = NULL;
	const struct imap_arg *a;
	const char	*err = NULL;
	char		*s;
	size_t		 i, n;

	s = nested(5);
	ck_assert_int_eq(imap_parse_command(s, strlen(s), &lim, &cmd, NULL,
	    &err), 0);
	a = cmd->args;
	for (i = 0; i < 5; i++) {
		ck_assert(imap_arg_list(a, &a, &n));
		ck_assert_int_eq(n, 1);
	}
	ck_assert(imap_arg_atom_is(a, "X"));
	imap_cmd_free(&cmd);
	free(s);

	s = nested(6);
	ck_assert_int_eq(imap_parse_command(s, strlen(s), &lim, &cmd, NULL,
	    &err), -1);
	ck_assert_str_eq(err, "Too deeply nested");
	free(s);

	/* depth 0: no lists at all */
	lim.max_depth = 0;
	ck_assert_int_eq(imap_parse_command("a X ()", 6, &lim, &cmd, NULL,
	    &err), -1);
	ck_assert_str_eq(err, "Too deeply nested");
	ck_assert_int_eq(imap_parse_command("a X y", 5, &lim, &cmd, NULL,
	    &err), 0);
	imap_cmd_free(&cmd);

	/* very deep input with a large limit: no recursion problems */
	s = nested(200000);
	lim.max_depth = 1000000;
	lim.max_args = SIZE_MAX;
	ck_assert_int_eq(imap_parse_command(s, strlen(s), &lim, &cmd, NULL,
	    &err), 0);
	imap_cmd_free(&cmd);
	free(s);

	/* NULL limits: depth 32 */
	s = nested(32);
	ck_assert_int_eq(imap_parse_command(s, strlen(s), NULL, &cmd, NULL,
	    &err), 0);
	imap_cmd_free(&cmd);
	free(s);
	s = nested(33);
	ck_assert_int_eq(imap_parse_command(s, strlen(s), NULL, &cmd, NULL,
	    &err), -1);
	free(s);
}
END_TEST

START_TEST(test_args_limit)
{
	struct imap_parse_limits lim = { 32, 4 };
	struct imap_cmd	*cmd = NULL;
	const char	*err = NULL;
	static const char *ok[] = { "a X 1 2 3 4", "a X (1 2 3)", "a X (((1)))",
	    "a X () ()", "a X", NULL };
	static const char *bad[] = { "a X 1 2 3 4 5", "a X (1 2 3 4)",
	    "a X ((((1))))", "a X \"\" {0}\r\n ~{0}\r\n () x", NULL };
	size_t		 i;

	for (i = 0; ok[i] != NULL; i++) {
		int r = imap_parse_command(ok[i], strlen(ok[i]), &lim, &cmd,
		    NULL, &err);
		ck_assert_msg(r == 0, "%s: %s", ok[i], err);
		imap_cmd_free(&cmd);
	}
	for (i = 0; bad[i] != NULL; i++) {
		ck_assert_int_eq(imap_parse_command(bad[i], strlen(bad[i]),
		    &lim, &cmd, NULL, &err), -1);
		ck_assert_str_eq(err, "Too many arguments");
	}
}
END_TEST

START_TEST(test_structure)
{
	static const char in[] = "t1 FETCH 1:* (FLAGS (a \"b\" {1}\r\nc) ())";
	struct imap_cmd	*cmd;
	const struct imap_arg *l, *l2;
	size_t		 n, n2;

	cmd = parse_ok(in, sizeof(in) - 1, 32, 100);
	ck_assert_str_eq(cmd->tag, "t1");
	ck_assert_str_eq(cmd->name, "FETCH");
	ck_assert_int_eq(cmd->nargs, 2);
	ck_assert_int_eq(cmd->args[0].type, IMAP_ARG_ATOM);
	ck_assert_str_eq(cmd->args[0].str, "1:*");
	ck_assert(imap_arg_list(&cmd->args[1], &l, &n));
	ck_assert_int_eq(n, 3);
	ck_assert(imap_arg_atom_is(&l[0], "flags"));
	ck_assert(imap_arg_list(&l[1], &l2, &n2));
	ck_assert_int_eq(n2, 3);
	ck_assert_int_eq(l2[0].type, IMAP_ARG_ATOM);
	ck_assert_int_eq(l2[1].type, IMAP_ARG_QUOTED);
	ck_assert_int_eq(l2[2].type, IMAP_ARG_LITERAL);
	ck_assert(!l2[2].literal8);
	ck_assert(imap_arg_list(&l[2], &l2, &n2));
	ck_assert_int_eq(n2, 0);
	ck_assert(!imap_arg_list(&l[0], &l2, &n2));
	imap_cmd_free(&cmd);

	cmd = parse_ok("t2 NOOP", 7, 32, 100);
	ck_assert_int_eq(cmd->nargs, 0);
	imap_cmd_free(&cmd);
}
END_TEST

START_TEST(test_typed)
{
	static const char in[] = "t X atom NIL \"q\" {3}\r\nl\0t 0 4294967295 "
	    "4294967296 9223372036854775807 9223372036854775808 "
	    "00000000000000000000042 -1 1a \"5\" \\Seen a]b * a[b] ()";
	struct imap_cmd	*cmd = NULL;
	const struct imap_arg *a, *l;
	const char	*s, *err;
	size_t		 len, n;
	uint32_t	 u;
	uint64_t	 u64;

	ck_assert_int_eq(imap_parse_command(in, sizeof(in) - 1, &deflim,
	    &cmd, NULL, &err), -1);	/* NUL in a plain literal */
	ck_assert_str_eq(err, "NUL in literal");
	{
		char	 buf[sizeof(in)];
		memcpy(buf, in, sizeof(in));
		buf[23] = 'i';
		cmd = parse_ok(buf, sizeof(in) - 1, 32, 100);
	}
	a = cmd->args;
	ck_assert_int_eq(cmd->nargs, 18);
	/* atom */
	ck_assert(imap_arg_atom(&a[0], &s));
	ck_assert_str_eq(s, "atom");
	ck_assert(!imap_arg_atom(&a[2], &s));
	ck_assert(!imap_arg_atom(&a[17], &s));
	ck_assert(!imap_arg_atom(NULL, &s));
	ck_assert(imap_arg_atom_is(&a[0], "ATOM"));
	ck_assert(imap_arg_atom_is(&a[0], "aToM"));
	ck_assert(!imap_arg_atom_is(&a[0], "ato"));
	ck_assert(!imap_arg_atom_is(&a[0], "atoms"));
	ck_assert(!imap_arg_atom_is(&a[12], "5"));
	/* nil */
	ck_assert(imap_arg_is_nil(&a[1]));
	ck_assert(!imap_arg_is_nil(&a[0]));
	ck_assert(!imap_arg_is_nil(NULL));
	/* astring */
	ck_assert(imap_arg_astring(&a[0], &s, &len));
	ck_assert_int_eq(len, 4);
	ck_assert(imap_arg_astring(&a[1], &s, &len));	/* NIL is an atom */
	ck_assert(imap_arg_astring(&a[2], &s, &len));
	ck_assert_str_eq(s, "q");
	ck_assert(imap_arg_astring(&a[3], &s, &len));
	ck_assert_int_eq(len, 3);
	ck_assert_mem_eq(s, "lit", 3);
	ck_assert(!imap_arg_astring(&a[13], &s, &len));	/* \Seen */
	ck_assert(imap_arg_astring(&a[14], &s, &len));	/* a]b */
	ck_assert(!imap_arg_astring(&a[15], &s, &len));	/* * */
	ck_assert(imap_arg_astring(&a[16], &s, &len));	/* a[b] */
	ck_assert(!imap_arg_astring(&a[17], &s, &len));	/* () */
	ck_assert(!imap_arg_astring(NULL, &s, &len));
	/* string / nstring */
	ck_assert(!imap_arg_string(&a[0], &s, &len));
	ck_assert(imap_arg_string(&a[2], &s, &len));
	ck_assert(imap_arg_string(&a[3], &s, &len));
	ck_assert(imap_arg_nstring(&a[1], &s, &len));
	ck_assert_ptr_null(s);
	ck_assert(imap_arg_nstring(&a[2], &s, &len));
	ck_assert_str_eq(s, "q");
	ck_assert(!imap_arg_nstring(&a[0], &s, &len));
	/* numbers */
	ck_assert(imap_arg_number(&a[4], &u));
	ck_assert_uint_eq(u, 0);
	ck_assert(imap_arg_number(&a[5], &u));
	ck_assert_uint_eq(u, 4294967295U);
	ck_assert(!imap_arg_number(&a[6], &u));
	ck_assert(imap_arg_number64(&a[6], &u64));
	ck_assert_uint_eq(u64, 4294967296ULL);
	ck_assert(imap_arg_number64(&a[7], &u64));
	ck_assert_uint_eq(u64, 9223372036854775807ULL);
	ck_assert(!imap_arg_number64(&a[8], &u64));
	ck_assert(imap_arg_number(&a[9], &u));
	ck_assert_uint_eq(u, 42);
	ck_assert(!imap_arg_number(&a[10], &u));
	ck_assert(!imap_arg_number(&a[11], &u));
	ck_assert(!imap_arg_number(&a[12], &u));	/* quoted */
	ck_assert(!imap_arg_number(&a[17], &u));
	ck_assert(!imap_arg_number64(NULL, &u64));
	/* list */
	ck_assert(imap_arg_list(&a[17], &l, &n));
	ck_assert_int_eq(n, 0);
	imap_cmd_free(&cmd);
}
END_TEST

START_TEST(test_char_classes)
{
	static const char specials[] = "(){ %*\"\\]";
	unsigned	 c;

	for (c = 0; c < 256; c++) {
		bool	 atom = c > 0x1f && c < 0x7f &&
		    strchr(specials, (int)c) == NULL;
		ck_assert_msg(imap_is_atom_char(c) == atom, "%u", c);
		ck_assert(imap_is_astring_char(c) == (atom || c == ']'));
	}
	ck_assert(imap_tag_valid("A001", 4));
	ck_assert(imap_tag_valid("a]", 2));
	ck_assert(!imap_tag_valid("a+", 2));
	ck_assert(!imap_tag_valid("", 0));
	ck_assert(!imap_tag_valid(NULL, 0));
	ck_assert(!imap_tag_valid("a b", 3));
	ck_assert(!imap_tag_valid("*", 1));
	ck_assert(imap_tag_valid("a b", 1));
}
END_TEST

/* Every prefix of valid commands, and every single-byte change. */
START_TEST(test_prefixes_and_mutations)
{
	static const unsigned char subst[] = { ' ', '(', ')', '"', '\\', '{',
	    '}', '[', ']', '~', '+', '\r', '\n', '\0', 0x80, 0xff, '0', 'a' };
	char		 buf[512];
	size_t		 i, j, k, len;

	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		len = ok_cases[i].len ? ok_cases[i].len :
		    strlen(ok_cases[i].in);
		ck_assert(len < sizeof(buf));
		memcpy(buf, ok_cases[i].in, len);
		for (j = 0; j <= len; j++)
			parse_any(buf, j);
		for (j = 0; j < len; j++) {
			for (k = 0; k < sizeof(subst); k++) {
				buf[j] = subst[k];
				parse_any(buf, len);
			}
			buf[j] = ok_cases[i].in[j];
		}
	}
}
END_TEST

START_TEST(test_random)
{
	static const char alpha[] = "a1 ()\"\\{}[]~+\r\n*%<>.:0";
	char		 buf[200];
	uint32_t	 x = 12345;
	size_t		 i, j, len;

	for (i = 0; i < 20000; i++) {
		x = x * 1103515245 + 12345;
		len = (x >> 16) % sizeof(buf);
		memcpy(buf, "a X ", 4);
		for (j = 4; j < len; j++) {
			x = x * 1103515245 + 12345;
			if (i & 1)
				buf[j] = (char)(x >> 16);
			else
				buf[j] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
		}
		parse_any(buf, len < 4 ? 4 : len);
		parse_any(buf + 4, len < 4 ? 0 : len - 4);
	}
}
END_TEST

/* Pathological inputs must be handled in linear time. */
START_TEST(test_linear)
{
	size_t	 n = 1 << 20, i;
	char	*s = malloc(n);

	memcpy(s, "a X ", 4);
	for (i = 4; i < n; i++)
		s[i] = (i & 1) ? '[' : ' ';
	s[n - 1] = 'x';
	parse_any_lim(s, n, NULL);
	for (i = 4; i < n; i++)
		s[i] = '[';
	parse_any_lim(s, n, NULL);
	for (i = 4; i < n; i++)
		s[i] = (i % 3 == 0) ? ' ' : (i % 3 == 1 ? 'a' : '[');
	parse_any_lim(s, n, NULL);
	for (i = 4; i < n; i++)
		s[i] = (i & 1) ? '"' : ' ';
	parse_any_lim(s, n, NULL);
	free(s);
}
END_TEST

static Suite *
imap_parse_suite(void)
{
	Suite	*s = suite_create("imap_parse");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_ok, 0,
	    sizeof(ok_cases) / sizeof(ok_cases[0]));
	tcase_add_loop_test(tc, test_bad, 0,
	    sizeof(bad_cases) / sizeof(bad_cases[0]));
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_literal_binary);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_args_limit);
	tcase_add_test(tc, test_structure);
	tcase_add_test(tc, test_typed);
	tcase_add_test(tc, test_char_classes);
	tcase_add_test(tc, test_prefixes_and_mutations);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_linear);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_parse_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
