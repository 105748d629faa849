/*
 * Unit tests for lib/log.c: log_escape() and the stderr line format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "lib/log.h"

static const struct {
	const char	*in;
	size_t		 len;		/* 0: strlen */
	size_t		 max;
	size_t		 outlen;
	const char	*out;
} esc_cases[] = {
	{ "plain text", 0, 100, 100, "plain text" },
	{ "", 0, 100, 100, "" },
	{ "a\r\nb", 0, 100, 100, "a\\x0d\\x0ab" },
	{ "nul\0x", 5, 100, 100, "nul\\x00x" },
	{ "q\"b\\", 0, 100, 100, "q\\x22b\\x5c" },
	{ "\x7f\x80\xff", 0, 100, 100, "\\x7f\\x80\\xff" },
	{ "caf\xc3\xa9", 0, 100, 100, "caf\\xc3\\xa9" },
	/* max bytes of input */
	{ "abcdef", 0, 6, 100, "abcdef" },
	{ "abcdefg", 0, 6, 100, "abcdef..." },
	{ "abcdefg", 0, 0, 100, "..." },
	/* the output buffer: exactly enough, one byte short */
	{ "abcdef", 0, 100, 7, "abcdef" },
	{ "abcdef", 0, 100, 6, "ab..." },
	{ "a\nb", 0, 100, 7, "a\\x0ab" },
	{ "a\nb", 0, 100, 6, "a..." },
	{ "\n\n", 0, 100, 8, "\\x0a..." },
	{ "abcdef", 0, 100, 3, "ab" },
	{ "abcdef", 0, 100, 1, "" },
	{ "abcdefg", 0, 6, 10, "abcdef..." },
	{ "abcdefg", 0, 6, 9, "abcde..." },
};

START_TEST(test_escape)
{
	char		 out[128];
	const char	*in = esc_cases[_i].in;
	size_t		 len = esc_cases[_i].len ? esc_cases[_i].len :
	    strlen(in);

	memset(out, 'Z', sizeof(out));
	ck_assert_ptr_eq(log_escape(in, len, esc_cases[_i].max, out,
	    esc_cases[_i].outlen), out);
	ck_assert_str_eq(out, esc_cases[_i].out);
	/* nothing written past outlen */
	ck_assert_int_eq(out[esc_cases[_i].outlen], 'Z');
}
END_TEST

START_TEST(test_escape_zero_out)
{
	char	 out[1] = { 'Z' };

	ck_assert_ptr_eq(log_escape("abc", 3, 10, out, 0), out);
	ck_assert_int_eq(out[0], 'Z');
}
END_TEST

/* Capture what the logger writes to stderr during fn. */
static void
capture(void (*fn)(void), char *buf, size_t len)
{
	FILE	*f = tmpfile();
	int	 saved = dup(STDERR_FILENO);
	size_t	 n;

	ck_assert_ptr_nonnull(f);
	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static void
emit_lines(void)
{
	log_open("imapd-test", 1, 0);
	log_info("first %d", 1);
	log_debug("hidden");
	log_set_context("session=7 user=alice");
	log_warn("second");
	log_auth(LOG_NOTICE, "auth failed rhost=%s", "192.0.2.1");
	log_set_context(NULL);
	log_err("third");
	log_open("imapd-test", 1, 1);
	log_debug("shown");
}

START_TEST(test_stderr_format)
{
	char	 got[1024], want[1024];
	long	 pid = (long)getpid();

	capture(emit_lines, got, sizeof(got));
	snprintf(want, sizeof(want),
	    "imapd-test[%ld]: info: first 1\n"
	    "imapd-test[%ld]: warning: session=7 user=alice second\n"
	    "imapd-test[%ld]: notice: session=7 user=alice auth failed "
	    "rhost=192.0.2.1\n"
	    "imapd-test[%ld]: error: third\n"
	    "imapd-test[%ld]: debug: shown\n", pid, pid, pid, pid, pid);
	ck_assert_str_eq(got, want);
}
END_TEST

static void
do_fatal(void)
{
	FILE	*f;

	/* keep the expected message out of the test output */
	if ((f = freopen("/dev/null", "w", stderr)) == NULL)
		abort();
	log_open("imapd-test", 1, 0);
	fatal("broken %s", "invariant");
}

START_TEST(test_fatal)
{
	do_fatal();
}
END_TEST

static Suite *
log_suite(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_escape, 0,
	    sizeof(esc_cases) / sizeof(esc_cases[0]));
	tcase_add_test(tc, test_escape_zero_out);
	tcase_add_test(tc, test_stderr_format);
	tcase_add_exit_test(tc, test_fatal, 1);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(log_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
