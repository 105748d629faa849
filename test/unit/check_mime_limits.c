/*
 * check_mime_limits: robustness of the mime module. Nesting and part
 * limits at the limit and one past it, a nesting bomb, huge header lines,
 * every sample cut at every byte, and randomly damaged samples (fixed
 * seed, bounded iterations). Whatever the input: no crash (run under
 * ASan/UBSan), and ENVELOPE / BODY / BODYSTRUCTURE follow the RFC 9051
 * grammar; sections and search run on the damaged messages too.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/buf.h"
#include "lib/mime.h"
#include "lib/mime_int.h"
#include "lib/section.h"
#include "test/unit/mime_grammar.h"
#include "test/unit/mime_samples.h"

#define OUT_MAX		(64 * 1024 * 1024)

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

/* The contents of a buf_new() buffer, which is freed. */
static char *
take(struct buf **b, size_t *len_r)
{
	char	*s = buf_steal(*b, len_r);

	ck_assert_ptr_nonnull(s);
	buf_free(b);
	return s;
}

/* n multiparts, one inside the other, around a text/html leaf. No
 * boundary is a prefix of another (that would match, RFC 2046 5.1.1). */
static char *
nested_multiparts(int n, size_t *len_r)
{
	struct buf	*b = buf_new(SIZE_MAX / 2);
	int		 i;

	(void)buf_puts(b, "Subject: nested\r\n");
	for (i = 0; i < n; i++)
		(void)buf_printf(b, "Content-Type: multipart/mixed; "
		    "boundary=\"=_b%d_=\"\r\n\r\n--=_b%d_=\r\n", i, i);
	(void)buf_puts(b, "Content-Type: text/html\r\n\r\n<p>deep</p>");
	for (i = n - 1; i >= 0; i--)
		(void)buf_printf(b, "\r\n--=_b%d_=--", i);
	(void)buf_puts(b, "\r\n");
	return take(&b, len_r);
}

/* n message/rfc822 parts, one inside the other. */
static char *
nested_messages(int n, size_t *len_r)
{
	struct buf	*b = buf_new(SIZE_MAX / 2);
	int		 i;

	for (i = 0; i < n; i++)
		(void)buf_printf(b, "Subject: level %d\r\n"
		    "Content-Type: message/rfc822\r\n\r\n", i);
	(void)buf_puts(b, "Content-Type: text/html\r\n\r\n<p>deep</p>\r\n");
	return take(&b, len_r);
}

/* Deepest parenthesis nesting outside strings (no literals here). */
static int
paren_depth(const char *s)
{
	int	 d = 0, max = 0;
	bool	 q = false;

	for (; *s != '\0'; s++) {
		if (q) {
			if (*s == '\\')
				s++;
			else if (*s == '"')
				q = false;
		} else if (*s == '"')
			q = true;
		else if (*s == '(' && ++d > max)
			max = d;
		else if (*s == ')')
			d--;
	}
	return max;
}

static void
structure_of(const char *msg, size_t len, bool ext, struct buf *b)
{
	struct mime_msg	*m = mime_parse(msg, len);

	buf_reset(b);
	ck_assert_int_eq(mime_write_bodystructure(b, m, ext), 0);
	ck_assert(mime_grammar_body((const char *)buf_data(b), buf_len(b),
	    ext));
	mime_free(&m);
}

/* MIME_MAX_DEPTH multiparts are parsed; one more is a text/plain leaf.
 * The deepest parenthesis is the leaf's parameter list. */
START_TEST(test_depth_multipart_limit)
{
	struct buf	*b = buf_new(OUT_MAX);
	char		*msg;
	size_t		 len;

	msg = nested_multiparts(MIME_MAX_DEPTH, &len);
	structure_of(msg, len, false, b);
	ck_assert_int_eq(paren_depth(buf_cstr(b)), MIME_MAX_DEPTH + 2);
	ck_assert_ptr_nonnull(strstr(buf_cstr(b), "\"text\" \"html\""));
	free(msg);
	msg = nested_multiparts(MIME_MAX_DEPTH + 1, &len);
	structure_of(msg, len, false, b);
	ck_assert_int_eq(paren_depth(buf_cstr(b)), MIME_MAX_DEPTH + 2);
	ck_assert_ptr_null(strstr(buf_cstr(b), "\"text\" \"html\""));
	ck_assert_ptr_nonnull(strstr(buf_cstr(b), "\"text\" \"plain\""));
	free(msg);
	buf_free(&b);
}
END_TEST

START_TEST(test_depth_message_limit)
{
	struct buf	*b = buf_new(OUT_MAX);
	char		*msg;
	size_t		 len;

	msg = nested_messages(MIME_MAX_DEPTH, &len);
	structure_of(msg, len, true, b);
	ck_assert_ptr_nonnull(strstr(buf_cstr(b), "\"text\" \"html\""));
	free(msg);
	msg = nested_messages(MIME_MAX_DEPTH + 1, &len);
	structure_of(msg, len, true, b);
	ck_assert_ptr_null(strstr(buf_cstr(b), "\"text\" \"html\""));
	free(msg);
	buf_free(&b);
}
END_TEST

/* A nesting bomb: thousands of levels, quickly, in bounded output. */
START_TEST(test_depth_bomb)
{
	struct buf	*b = buf_new(OUT_MAX);
	char		*msg;
	size_t		 len;

	msg = nested_multiparts(5000, &len);
	structure_of(msg, len, true, b);
	ck_assert_int_le(paren_depth(buf_cstr(b)), MIME_MAX_DEPTH + 3);
	free(msg);
	msg = nested_messages(5000, &len);
	structure_of(msg, len, true, b);
	free(msg);
	buf_free(&b);
}
END_TEST

/* n parts "x" in one multipart */
static char *
many_parts(size_t n, size_t *len_r)
{
	struct buf	*b = buf_new(SIZE_MAX / 2);
	size_t		 i;

	(void)buf_puts(b, "Content-Type: multipart/mixed; boundary=p\r\n\r\n");
	for (i = 0; i < n; i++)
		(void)buf_puts(b, "--p\r\n\r\nx\r\n");
	(void)buf_puts(b, "--p--\r\n");
	return take(&b, len_r);
}

/* MIME_MAX_PARTS parts in all (the message is one): past that, the rest
 * of the text stays in the last part. */
START_TEST(test_parts_limit)
{
	struct mime_msg	*m;
	char		*msg;
	size_t		 len;

	msg = many_parts(MIME_MAX_PARTS - 1, &len);
	m = mime_parse(msg, len);
	ck_assert_uint_eq(m->nparts, MIME_MAX_PARTS);
	ck_assert_uint_eq(m->root->nchildren, MIME_MAX_PARTS - 1);
	ck_assert_uint_eq(m->root->last->body_len, 1);
	mime_free(&m);
	free(msg);
	msg = many_parts(MIME_MAX_PARTS, &len);
	m = mime_parse(msg, len);
	ck_assert_uint_eq(m->root->nchildren, MIME_MAX_PARTS - 1);
	ck_assert_uint_gt(m->root->last->body_len, 1);
	mime_free(&m);
	check_valid(msg, len);
	free(msg);
	msg = many_parts(50000, &len);
	check_valid(msg, len);
	free(msg);
}
END_TEST

/* A megabyte-long header line, folded or not, and 100000 fields. */
START_TEST(test_huge_header)
{
	struct buf	*b = buf_new(SIZE_MAX / 2), *out = buf_new(OUT_MAX);
	struct mime_msg	*m;
	char		*msg;
	size_t		 len, i;

	(void)buf_puts(b, "Subject: ");
	for (i = 0; i < 1024 * 1024; i++)
		(void)buf_putc(b, i % 1000 == 999 ? ' ' : 'a' + i % 26);
	(void)buf_puts(b, "\r\nFrom: a@b\r\n\r\nbody");
	msg = take(&b, &len);
	m = mime_parse(msg, len);
	ck_assert_int_eq(mime_write_envelope(out, m), 0);
	/* a literal: {1048576}, the subject as it is */
	ck_assert_ptr_nonnull(strstr(buf_cstr(out), "{1048576}\r\n"));
	ck_assert(mime_header_contains(m, "subject", "xyzab", 5));
	mime_free(&m);
	check_valid(msg, len);
	free(msg);
	/* no line break at all */
	b = buf_new(SIZE_MAX / 2);
	for (i = 0; i < 1024 * 1024; i++)
		(void)buf_putc(b, 'x');
	msg = take(&b, &len);
	check_valid(msg, len);
	free(msg);
	b = buf_new(SIZE_MAX / 2);
	for (i = 0; i < 100000; i++)
		(void)buf_printf(b, "X-Field-%zu: v\r\n", i);
	(void)buf_puts(b, "To: a@b\r\n\r\n");
	msg = take(&b, &len);
	check_valid(msg, len);
	free(msg);
	buf_free(&out);
}
END_TEST

/* Every prefix of every sample: a message cut anywhere is still fine. */
START_TEST(test_truncations)
{
	const struct msg_case	*c = &msg_cases[_i];
	size_t			 n;

	for (n = 0; n <= c->len; n++)
		check_valid(c->msg, n);
}
END_TEST

struct rng {
	uint64_t	 s;
};

static uint32_t
rng_next(struct rng *r)
{
	/* xorshift64*: fixed seed, same run every time */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)((r->s * 2685821657736338717ULL) >> 32);
}

/* Damage a copy of msg in one of several ways. */
static char *
mutate(struct rng *r, const char *msg, size_t len, size_t *len_r)
{
	static const char *const snippets[] = {
		"\r\n", "\n", "\r", "\r\n\r\n", "--", "\r\n--", "\"", "(", ")",
		"<", ">", ",", ";", ":", "@", "=?", "?=", "=?utf-8?b?",
		"=?x?q?=", "*0*=", "*=", "'", "%", "=", "\0",
		"\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n",
		"\r\nContent-Type: message/rfc822\r\n\r\n",
		"\r\nContent-Type: multipart/digest; boundary=\"\"\r\n",
		"\r\n--x--\r\n", "\r\n--x\r\n", "\\",
	};
	struct buf	*b = buf_new(SIZE_MAX / 2);
	size_t		 pos, n, i, rounds = 1 + rng_next(r) % 4;
	const char	*s;
	char		*cur = exact_copy(msg, len), *next;

	for (i = 0; i < rounds; i++) {
		pos = len == 0 ? 0 : rng_next(r) % (len + 1);
		buf_reset(b);
		(void)buf_append(b, cur, pos);
		switch (rng_next(r) % 5) {
		case 0:		/* replace a byte */
			if (pos < len) {
				(void)buf_putc(b, rng_next(r) & 0xff);
				pos++;
			}
			break;
		case 1:		/* delete a range */
			pos += rng_next(r) % 64;
			if (pos > len)
				pos = len;
			break;
		case 2:		/* insert a snippet */
			s = snippets[rng_next(r) % (sizeof(snippets) /
			    sizeof(snippets[0]))];
			(void)buf_append(b, s, *s == '\0' ? 1 : strlen(s));
			break;
		case 3:		/* duplicate a range */
			n = rng_next(r) % 200;
			if (n > len - pos)
				n = len - pos;
			(void)buf_append(b, cur + pos, n);
			break;
		default:	/* random bytes */
			for (n = rng_next(r) % 8; n > 0; n--)
				(void)buf_putc(b, rng_next(r) & 0xff);
			break;
		}
		(void)buf_append(b, cur + pos, len - pos);
		free(cur);
		len = buf_len(b);
		next = exact_copy((const char *)buf_data(b), len);
		cur = next;
	}
	buf_free(&b);
	*len_r = len;
	return cur;
}

/* Exercise sections and search on a damaged message: no crash, and the
 * results are consistent. */
static void
poke(const char *msg, size_t len)
{
	static const char *const secs[] = {
		"", "HEADER", "TEXT", "1", "2", "1.1", "2.1", "1.MIME",
		"2.HEADER", "2.TEXT", "1.2.3", "HEADER.FIELDS (FROM TO)",
		"1.HEADER.FIELDS.NOT (SUBJECT)",
	};
	struct mime_msg	*m = mime_parse(msg, len);
	struct buf	*tmp = buf_new(4 * len + 1024);
	struct section	 sec;
	const char	*err, *p;
	size_t		 i, plen;
	int		 rc;

	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		ck_assert_int_eq(section_parse(secs[i], strlen(secs[i]),
		    false, &sec, &err), 0);
		rc = mime_get_section(m, &sec, tmp, &p, &plen);
		ck_assert(rc == MIME_SECTION_OK || rc == MIME_SECTION_NONE);
		if (rc == MIME_SECTION_OK && plen > 0)
			ck_assert(p >= msg && p + plen <= msg + len ?
			    true : (const unsigned char *)p == buf_data(tmp));
		rc = mime_get_binary(m, &sec, tmp, &p, &plen);
		ck_assert(rc != MIME_SECTION_FULL);
		section_clear(&sec);
	}
	(void)mime_header_contains(m, "subject", "a", 1);
	(void)mime_body_contains(m, "x", 1);
	(void)mime_text_contains(m, "\xc3\xa9", 2);
	buf_free(&tmp);
	mime_free(&m);
}

START_TEST(test_mutations)
{
	struct rng	 r = { 0x9e3779b97f4a7c15ULL + (uint64_t)_i };
	const struct msg_case *c;
	char		*msg;
	size_t		 len, i;

	for (i = 0; i < 400; i++) {
		c = &msg_cases[rng_next(&r) % (sizeof(msg_cases) /
		    sizeof(msg_cases[0]))];
		msg = mutate(&r, c->msg, c->len, &len);
		check_valid(msg, len);
		poke(msg, len);
		free(msg);
	}
}
END_TEST

static Suite *
mime_limits_suite(void)
{
	Suite	*s = suite_create("mime_limits");
	TCase	*tc;

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_depth_multipart_limit);
	tcase_add_test(tc, test_depth_message_limit);
	tcase_add_test(tc, test_depth_bomb);
	tcase_add_test(tc, test_parts_limit);
	tcase_add_test(tc, test_huge_header);
	suite_add_tcase(s, tc);
	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_truncations, 0, NMSG_CASES);
	tcase_add_loop_test(tc, test_mutations, 0, 5);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(mime_limits_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
