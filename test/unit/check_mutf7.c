/*
 * Unit tests for lib/mutf7.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/mutf7.h"

/* A passing ck_assert() costs a write to the runner: use this in loops. */
#define CHECK(c) do {							\
	if (!(c))							\
		ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c);	\
} while (0)

struct pair {
	const char	*utf8;
	const char	*mutf7;
};

static size_t	 put_utf8(char *, uint32_t);
static Suite	*mutf7_suite(void);

/* Both directions. */
static const struct pair pairs[] = {
	{ "", "" },
	{ "INBOX", "INBOX" },
	{ "a b ~!-_.,;:/[]{}()*%\"\\|`'", "a b ~!-_.,;:/[]{}()*%\"\\|`'" },
	{ "&", "&-" },
	{ "a&b", "a&-b" },
	{ "&&", "&-&-" },
	{ "\xc3\xa4", "&AOQ-" },				/* ä */
	{ "\xc3\x9c", "&ANw-" },				/* Ü */
	{ "\xe2\x98\xba", "&Jjo-" },				/* ☺ */
	{ "\xe2\x98\xba!", "&Jjo-!" },
	/* RFC 3501 5.1.3 example */
	{ "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/"
	  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	  "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
	{ "\xf0\x9f\x98\x80", "&2D3eAA-" },			/* U+1F600 */
	{ "a\xf0\x9f\x98\x80" "b\xe2\x82\xac", "a&2D3eAA-b&IKw-" },
	{ "\xf4\x8f\xbf\xbf", "&2,,f,w-" },			/* U+10FFFF */
	{ "\xef\xbf\xbf", "&,,8-" },				/* U+FFFF */
	{ "\xc2\x80", "&AIA-" },
	{ "\x7f", "&AH8-" },
	{ "\t", "&AAk-" },
	{ "\xc3\xa9&\xc3\xa9", "&AOk-&-&AOk-" },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9", "&AOkA6QDp-" },
	{ "Sent/\xc3\x89l\xc3\xa9ments envoy\xc3\xa9s",
	  "Sent/&AMk-l&AOk-ments envoy&AOk-s" },
};

/* Refused by the decoder. */
static const char *const bad_mutf7[] = {
	"&",			/* unterminated */
	"&AOQ",
	"a&",
	"&AOQ-&ANw-",		/* adjacent shifts must be one */
	"&AGE-",		/* "a" must not be encoded */
	"&ACA-",		/* nor SP */
	"&AH4-",		/* nor "~" */
	"&ACY-",		/* nor "&" */
	"&AOR-",		/* non-zero padding bits */
	"&AOQA-",		/* a partial unit */
	"&AO-",			/* too short for one unit */
	"&A-",
	"&AOQ/-",		/* "/" is not modified base64 */
	"&AOQ=-",
	"&AO Q-",
	"&&-",
	"&2D0-",		/* lone high surrogate */
	"&3gA-",		/* lone low surrogate */
	"&2D0AYQ-",		/* high surrogate without low */
	"&2D3YPQ-",		/* high followed by high */
	"&AAA-",		/* U+0000 */
	"\xc3\xa4",		/* raw 8-bit */
	"\t",			/* raw control */
	"a\x7f",
	"a\r\nb",
};

static const char *const bad_utf8[] = {
	"\xc3",			/* truncated */
	"\xe2\x98",
	"\xf0\x9f\x98",
	"\x80",			/* continuation first */
	"\xc0\x80",		/* overlong */
	"\xc1\xbf",
	"\xe0\x80\x80",
	"\xf0\x80\x80\x80",
	"\xed\xa0\x80",		/* surrogate */
	"\xed\xbf\xbf",
	"\xf4\x90\x80\x80",	/* > U+10FFFF */
	"\xf5\x80\x80\x80",
	"\xff",
	"\xc3\x28",
	"a\xe2\x98\xba\x62\xc3",	/* "a\u263ab" then a lone lead byte */
};

START_TEST(test_encode)
{
	const struct pair *p = &pairs[_i];
	char	*s;

	s = mutf7_encode(p->utf8, strlen(p->utf8));
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, p->mutf7);
	free(s);
}
END_TEST

START_TEST(test_decode)
{
	const struct pair *p = &pairs[_i];
	char	*s;

	s = mutf7_decode(p->mutf7, strlen(p->mutf7));
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, p->utf8);
	free(s);
	ck_assert_int_eq(mutf7_valid(p->mutf7, strlen(p->mutf7)), 1);
}
END_TEST

START_TEST(test_decode_bad)
{
	const char	*in = bad_mutf7[_i];

	ck_assert_msg(mutf7_decode(in, strlen(in)) == NULL, "%s", in);
	ck_assert_int_eq(mutf7_valid(in, strlen(in)), 0);
}
END_TEST

START_TEST(test_encode_bad)
{
	const char	*in = bad_utf8[_i];

	ck_assert_ptr_null(mutf7_encode(in, strlen(in)));
}
END_TEST

START_TEST(test_nul)
{
	char	*s;

	ck_assert_ptr_null(mutf7_encode("a\0b", 3));
	ck_assert_ptr_null(mutf7_decode("a\0b", 3));
	/* counted input: nothing after len is read */
	s = mutf7_decode("&AOQ-xyz", 5);
	ck_assert_str_eq(s, "\xc3\xa4");
	free(s);
	ck_assert_ptr_null(mutf7_decode("&AOQ-xyz", 4));
	s = mutf7_encode("\xc3\xa4xyz", 2);
	ck_assert_str_eq(s, "&AOQ-");
	free(s);
}
END_TEST

static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Random valid names round-trip and encode to printable ASCII. */
START_TEST(test_roundtrip)
{
	char		 in[256], *e, *d;
	uint32_t	 x = 99, cp;
	size_t		 len, i, k;
	int		 n;

	for (n = 0; n < 20000; n++) {
		len = 0;
		x = x * 1103515245 + 12345;
		k = (x >> 16) % 40;
		for (i = 0; i < k; i++) {
			x = x * 1103515245 + 12345;
			switch ((x >> 16) % 4) {
			case 0:
				cp = 0x20 + (x >> 8) % 0x5f;
				break;
			case 1:
				cp = 1 + (x >> 8) % 0x7ff;
				break;
			case 2:
				cp = (x >> 8) % 0x10000;
				break;
			default:
				cp = 0x10000 + (x >> 4) % 0x100000;
			}
			if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
				cp = '&';
			len += put_utf8(in + len, cp);
		}
		e = mutf7_encode(in, len);
		CHECK(e != NULL);
		for (i = 0; e[i] != '\0'; i++)
			CHECK(e[i] >= 0x20 && e[i] <= 0x7e);
		d = mutf7_decode(e, strlen(e));
		CHECK(d != NULL);
		CHECK(strlen(d) == len);
		CHECK(memcmp(d, in, len) == 0);
		free(e);
		free(d);
	}
}
END_TEST

/*
 * Whatever decodes re-encodes to the same text (one spelling per name);
 * random input and every prefix of valid input never crash.
 */
START_TEST(test_canonical)
{
	static const char alpha[] = "&-AOQZ,+2D3e/a \x80";
	char		 in[32], *d, *e;
	uint32_t	 x = 5;
	size_t		 len, i, k;
	int		 n;

	for (n = 0; n < 200000; n++) {
		x = x * 1103515245 + 12345;
		len = (x >> 16) % 12;
		for (i = 0; i < len; i++) {
			x = x * 1103515245 + 12345;
			in[i] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
		}
		if ((d = mutf7_decode(in, len)) == NULL)
			continue;
		e = mutf7_encode(d, strlen(d));
		CHECK(e != NULL);
		CHECK(strlen(e) == len);
		CHECK(memcmp(e, in, len) == 0);
		free(d);
		free(e);
	}
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		len = strlen(pairs[i].mutf7);
		for (k = 0; k < len; k++) {
			char *p = malloc(k + 1);
			memcpy(p, pairs[i].mutf7, k);
			free(mutf7_decode(p, k));
			free(p);
		}
		len = strlen(pairs[i].utf8);
		for (k = 0; k < len; k++) {
			char *p = malloc(k + 1);
			memcpy(p, pairs[i].utf8, k);
			free(mutf7_encode(p, k));
			free(p);
		}
	}
}
END_TEST

static Suite *
mutf7_suite(void)
{
	Suite	*s = suite_create("mutf7");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_encode, 0,
	    sizeof(pairs) / sizeof(pairs[0]));
	tcase_add_loop_test(tc, test_decode, 0,
	    sizeof(pairs) / sizeof(pairs[0]));
	tcase_add_loop_test(tc, test_decode_bad, 0,
	    sizeof(bad_mutf7) / sizeof(bad_mutf7[0]));
	tcase_add_loop_test(tc, test_encode_bad, 0,
	    sizeof(bad_utf8) / sizeof(bad_utf8[0]));
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_canonical);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(mutf7_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
