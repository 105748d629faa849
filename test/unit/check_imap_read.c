/*
 * Unit tests for lib/imap_read.c: whole commands with literals, the
 * continuation requests sent, and every limit at max and max + 1.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "lib/buf.h"
#include "lib/conn.h"
#include "lib/imap_read.h"
#include "test/unit/test_feed.h"

#define END	99
#define REND	{ END, NULL, 0, NULL }
#define NOTAG	NULL
/* 87 bytes of command: three 20-byte literals */
#define PFX60	"a X {20+}\r\n01234567890123456789 {20+}\r\n" \
		"01234567890123456789 {20+}\r\n01234567890123456789"

/* Default limits of the table: line 40, literal 20, command 120. */
static const struct imap_read_limits def_limits = { 40, 20, 120, 5000 };

/*
 * Each case: input, the results expected in order (status, command bytes,
 * tag for the error statuses), the bytes the reader must have sent. After
 * the results the stream must be at EOF.
 */
static const struct {
	const char	*in;
	size_t		 inlen;		/* 0: strlen */
	struct {
		int		 st;
		const char	*cmd;
		size_t		 len;	/* 0: strlen */
		const char	*tag;
	} out[4];
	const char	*sent;
} cases[] = {
	{ "a NOOP\r\n", 0, { { IMAP_READ_OK, "a NOOP", 0, NOTAG }, REND },
	    "" },
	{ "a NOOP\n", 0, { { IMAP_READ_OK, "a NOOP", 0, NOTAG }, REND }, "" },
	{ "\r\n", 0, { { IMAP_READ_OK, "", 0, NOTAG }, REND }, "" },
	{ "a LOGIN {4}\r\nuser {4}\r\npass\r\n", 0,
	    { { IMAP_READ_OK, "a LOGIN {4}\r\nuser {4}\r\npass", 0, NOTAG },
	    REND }, "+ OK\r\n+ OK\r\n" },
	/* LITERAL+ (RFC 7888): no continuation request */
	{ "a LOGIN {4+}\r\nuser {4+}\r\npass\r\n", 0,
	    { { IMAP_READ_OK, "a LOGIN {4+}\r\nuser {4+}\r\npass", 0, NOTAG },
	    REND }, "" },
	/* literal8 with NUL and CRLF inside */
	{ "a APPEND X ~{3}\r\n\0\r\n\r\n", 22,
	    { { IMAP_READ_OK, "a APPEND X ~{3}\r\n\0\r\n", 20, NOTAG }, REND },
	    "+ OK\r\n" },
	{ "a APPEND X ~{3+}\r\n\0\r\n\r\n", 23,
	    { { IMAP_READ_OK, "a APPEND X ~{3+}\r\n\0\r\n", 21, NOTAG },
	    REND }, "" },
	{ "a X {0}\r\n\r\n", 0,
	    { { IMAP_READ_OK, "a X {0}\r\n", 0, NOTAG }, REND }, "+ OK\r\n" },
	/* literal data is never taken for a marker */
	{ "a X {5}\r\n{1}\r\n Y\r\n", 0,
	    { { IMAP_READ_OK, "a X {5}\r\n{1}\r\n Y", 0, NOTAG }, REND },
	    "+ OK\r\n" },
	/* not literal markers */
	{ "a X {}\r\na X {5a}\r\na X 5}\r\na X {+}\r\n", 0,
	    { { IMAP_READ_OK, "a X {}", 0, NOTAG },
	    { IMAP_READ_OK, "a X {5a}", 0, NOTAG },
	    { IMAP_READ_OK, "a X 5}", 0, NOTAG },
	    { IMAP_READ_OK, "a X {+}", 0, NOTAG } }, "" },
	{ "a X {5}}\r\na X {-5}\r\n", 0,
	    { { IMAP_READ_OK, "a X {5}}", 0, NOTAG },
	    { IMAP_READ_OK, "a X {-5}", 0, NOTAG }, REND }, "" },
	/* literal at the size limit (20) and one over */
	{ "a X {20}\r\n01234567890123456789\r\n", 0,
	    { { IMAP_READ_OK, "a X {20}\r\n01234567890123456789", 0, NOTAG },
	    REND }, "+ OK\r\n" },
	{ "a X {21}\r\nb NOOP\r\n", 0,
	    { { IMAP_READ_LITERAL_TOOBIG, "a X {21}", 0, "a" },
	    { IMAP_READ_OK, "b NOOP", 0, NOTAG }, REND }, "" },
	{ "a X {21+}\r\n012345678901234567890\r\n", 0,
	    { { IMAP_READ_FATAL_TOOBIG, NULL, 0, NOTAG } }, "" },
	{ "t1 X {20+}\r\n01234567890123456789\r\n", 0,
	    { { IMAP_READ_OK, "t1 X {20+}\r\n01234567890123456789", 0,
	    NOTAG }, REND }, "" },
	/* sizes that do not fit in 64 bits, or number64 */
	{ "a X {99999999999999999999}\r\n", 0,
	    { { IMAP_READ_LITERAL_TOOBIG, NULL, 0, "a" }, REND }, "" },
	{ "a X {18446744073709551616}\r\n", 0,
	    { { IMAP_READ_LITERAL_TOOBIG, NULL, 0, "a" }, REND }, "" },
	{ "a X {9223372036854775808}\r\n", 0,
	    { { IMAP_READ_LITERAL_TOOBIG, NULL, 0, "a" }, REND }, "" },
	{ "a X {99999999999999999999+}\r\n", 0,
	    { { IMAP_READ_FATAL_TOOBIG, NULL, 0, NOTAG } }, "" },
	/* line at max_line (40) and one over */
	{ "a 34567890123456789012345678901234567890\r\n", 0,
	    { { IMAP_READ_OK, "a 34567890123456789012345678901234567890", 0,
	    NOTAG }, REND }, "" },
	{ "a 345678901234567890123456789012345678901\r\nb NOOP\r\n", 0,
	    { { IMAP_READ_LINE_TOOLONG, NULL, 0, "a" },
	    { IMAP_READ_OK, "b NOOP", 0, NOTAG }, REND }, "" },
	/* a too long line after a literal: the tag is the command's */
	{ "c X {3+}\r\nabc 1234567890123456789012345678901234567890\r\n", 0,
	    { { IMAP_READ_LINE_TOOLONG, NULL, 0, "c" }, REND }, "" },
	{ "c X {3+}\r\nabc 123456789012345678901234567890123456789\r\n", 0,
	    { { IMAP_READ_OK, "c X {3+}\r\nabc 1234567890123456789012345678"
	    "90123456789", 0, NOTAG }, REND }, "" },
	/* command at max_command (120): 9+2+20 + 3 * (6+2+20), + 33 */
	{ PFX60 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", 0,
	    { { IMAP_READ_OK, PFX60 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0,
	    NOTAG }, REND }, "" },
	{ PFX60 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", 0,
	    { { IMAP_READ_FATAL_TOOBIG, NULL, 0, NOTAG } }, "" },
	/* a literal that ends exactly at max_command, and one past it */
	{ PFX60 " 1234 {20+}\r\n01234567890123456789\r\n", 0,
	    { { IMAP_READ_OK, PFX60 " 1234 {20+}\r\n01234567890123456789",
	    0, NOTAG }, REND }, "" },
	{ PFX60 " 12345 {20+}\r\n01234567890123456789\r\n", 0,
	    { { IMAP_READ_FATAL_TOOBIG, NULL, 0, NOTAG } }, "" },
	{ PFX60 " 123456 {20}\r\nb NOOP\r\n", 0,
	    { { IMAP_READ_LITERAL_TOOBIG, NULL, 0, "a" },
	    { IMAP_READ_OK, "b NOOP", 0, NOTAG }, REND }, "" },
	/* bare CR and NUL */
	{ "a X\rY\r\nb NOOP\r\n", 0,
	    { { IMAP_READ_BADLINE, NULL, 0, "a" },
	    { IMAP_READ_OK, "b NOOP", 0, NOTAG }, REND }, "" },
	{ "tag X\0\r\n", 8, { { IMAP_READ_BADLINE, NULL, 0, "tag" }, REND },
	    "" },
	{ "d X {1+}\r\nZ\rW\r\n", 0,
	    { { IMAP_READ_BADLINE, NULL, 0, "d" }, REND }, "" },
	/* no usable tag: none is returned */
	{ "a\0b X\r\n", 7, { { IMAP_READ_BADLINE, NULL, 0, NOTAG }, REND },
	    "" },
	{ "a+b X\r\r\n", 0, { { IMAP_READ_BADLINE, NULL, 0, NOTAG }, REND },
	    "" },
	{ " X\r\r\n", 0, { { IMAP_READ_BADLINE, NULL, 0, NOTAG }, REND }, "" },
	{ "\xc3\xa9 X\r\r\n", 0, { { IMAP_READ_BADLINE, NULL, 0, NOTAG },
	    REND }, "" },
	{ "abc\r\r\n", 0, { { IMAP_READ_BADLINE, NULL, 0, NOTAG }, REND },
	    "" },
	{ "abc \r\r\n", 0, { { IMAP_READ_BADLINE, NULL, 0, "abc" }, REND },
	    "" },
	/* EOF: before anything, in a line, in a literal */
	{ "", 0, { REND }, "" },
	{ "a NOOP", 0, { REND }, "" },
	{ "a X {10+}\r\nabc", 0, { REND }, "" },
	{ "a X {10}\r\nabc", 0, { REND }, "+ OK\r\n" },
	{ "a X {10+}\r\n0123456789", 0, { REND }, "" },
};

#define NMODES	3
static const size_t	 chunk_sizes[NMODES] = { 1, 3, 100000 };

/*
 * Each case fed one byte at a time, three at a time, and at once. The
 * reader reads from one socketpair and writes to another, so what it
 * sends can be checked after the feeder has gone.
 */
START_TEST(test_table)
{
	size_t		 ci = _i / NMODES, k, len, want_len;
	struct buf	*cmd = buf_new(1000);
	struct conn	*c;
	char		*tag, sent[200];
	int		 in[2], out[2], st;
	pid_t		 pid;

	len = cases[ci].inlen ? cases[ci].inlen : strlen(cases[ci].in);
	tf_pair(in);
	tf_pair(out);
	pid = tf_feed(in[1], in[0], cases[ci].in, len,
	    chunk_sizes[_i % NMODES]);
	c = conn_new(in[0], out[0]);
	for (k = 0; k < 4 && cases[ci].out[k].st != END; k++) {
		tag = (char *)"unset";
		st = imap_read_command(c, cmd, &def_limits, &tag);
		ck_assert_msg(st == cases[ci].out[k].st,
		    "case %zu cmd %zu: status %d", ci, k, st);
		if (cases[ci].out[k].tag == NULL)
			ck_assert_ptr_null(tag);
		else {
			ck_assert_ptr_nonnull(tag);
			ck_assert_str_eq(tag, cases[ci].out[k].tag);
		}
		free(tag);
		if (st == IMAP_READ_FATAL_TOOBIG)
			break;
		if (cases[ci].out[k].cmd == NULL)
			continue;
		want_len = cases[ci].out[k].len ? cases[ci].out[k].len :
		    strlen(cases[ci].out[k].cmd);
		ck_assert_uint_eq(buf_len(cmd), want_len);
		ck_assert_mem_eq(buf_data(cmd), cases[ci].out[k].cmd,
		    want_len);
	}
	if (k == 4 || cases[ci].out[k].st == END)
		ck_assert_int_eq(imap_read_command(c, cmd, &def_limits, NULL),
		    IMAP_READ_EOF);
	len = tf_recv_now(out[1], sent, sizeof(sent), 0);
	ck_assert_uint_eq(len, strlen(cases[ci].sent));
	ck_assert_mem_eq(sent, cases[ci].sent, len);
	conn_free(&c);
	close(out[1]);
	tf_reap(pid);
	buf_free(&cmd);
}
END_TEST

/* Exactly the given bytes arrive on fd within 2 s (child side). */
static int
expect_bytes(int fd, const char *want)
{
	size_t		 n = strlen(want), got = 0;
	char		 b[256];
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	ssize_t		 r;

	while (got < n) {
		if (poll(&pfd, 1, 2000) != 1)
			return -1;
		if ((r = read(fd, b + got, n - got)) <= 0)
			return -1;
		got += (size_t)r;
	}
	return memcmp(b, want, n) == 0 ? 0 : -1;
}

/* Nothing arrives on fd for ms milliseconds (child side). */
static int
expect_silence(int fd, int ms)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };

	return poll(&pfd, 1, ms) == 0 ? 0 : -1;
}

/*
 * A well-behaved client: it sends a synchronizing literal only after the
 * "+ OK", and the literal arrives split across reads.
 */
START_TEST(test_sync_literal_dialogue)
{
	struct buf	*cmd = buf_new(1000);
	struct conn	*c;
	int		 sv[2];
	pid_t		 pid;

	tf_pair(sv);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		int	 fd = sv[1];

		close(sv[0]);
		if (tf_write_all(fd, "a LOGIN {4}\r\n", 13) == -1 ||
		    expect_bytes(fd, "+ OK\r\n") == -1 ||
		    tf_write_all(fd, "us", 2) == -1)
			_exit(1);
		tf_wait_drained(fd);
		if (tf_write_all(fd, "er {4}", 6) == -1)
			_exit(1);
		tf_wait_drained(fd);
		/* no "+" before the line with the marker is complete */
		if (expect_silence(fd, 50) == -1 ||
		    tf_write_all(fd, "\r\n", 2) == -1 ||
		    expect_bytes(fd, "+ OK\r\n") == -1 ||
		    tf_write_all(fd, "p", 1) == -1)
			_exit(2);
		tf_wait_drained(fd);
		if (tf_write_all(fd, "ass\r\n", 5) == -1)
			_exit(1);
		_exit(0);
	}
	close(sv[1]);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(imap_read_command(c, cmd, &def_limits, NULL),
	    IMAP_READ_OK);
	ck_assert_str_eq(buf_cstr(cmd), "a LOGIN {4}\r\nuser {4}\r\npass");
	ck_assert_int_eq(tf_reap(pid), 0);
	conn_free(&c);
	buf_free(&cmd);
}
END_TEST

/* A refused literal: no "+", the caller answers, the session goes on. */
START_TEST(test_toobig_dialogue)
{
	struct buf	*cmd = buf_new(1000);
	struct conn	*c;
	char		*tag = NULL;
	int		 sv[2];
	pid_t		 pid;

	tf_pair(sv);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		int	 fd = sv[1];

		close(sv[0]);
		if (tf_write_all(fd, "A1 APPEND INBOX {1000}\r\n", 24) == -1 ||
		    expect_bytes(fd, "A1 NO [TOOBIG] too big\r\n") == -1 ||
		    tf_write_all(fd, "A2 NOOP\r\n", 9) == -1)
			_exit(1);
		_exit(0);
	}
	close(sv[1]);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(imap_read_command(c, cmd, &def_limits, &tag),
	    IMAP_READ_LITERAL_TOOBIG);
	ck_assert_str_eq(tag, "A1");
	ck_assert_str_eq(buf_cstr(cmd), "A1 APPEND INBOX {1000}");
	ck_assert_int_eq(conn_printf(c, "%s NO [TOOBIG] too big\r\n", tag), 0);
	ck_assert_int_eq(conn_flush(c), 0);
	free(tag);
	ck_assert_int_eq(imap_read_command(c, cmd, &def_limits, &tag),
	    IMAP_READ_OK);
	ck_assert_ptr_null(tag);
	ck_assert_str_eq(buf_cstr(cmd), "A2 NOOP");
	ck_assert_int_eq(tf_reap(pid), 0);
	conn_free(&c);
	buf_free(&cmd);
}
END_TEST

START_TEST(test_timeouts)
{
	const struct imap_read_limits lim = { 40, 20, 120, 100 };
	struct buf	*cmd = buf_new(1000);
	struct conn	*c;
	char		 sent[20];
	int		 sv[2];

	tf_pair(sv);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(imap_read_command(c, cmd, &lim, NULL),
	    IMAP_READ_TIMEOUT);
	/* the client never sends the literal it announced */
	tf_write_all(sv[1], "a X {5}\r\n", 9);
	ck_assert_int_eq(imap_read_command(c, cmd, &lim, NULL),
	    IMAP_READ_TIMEOUT);
	ck_assert_uint_eq(tf_recv_now(sv[1], sent, sizeof(sent), 0), 6);
	ck_assert_mem_eq(sent, "+ OK\r\n", 6);
	conn_free(&c);
	close(sv[1]);
	buf_free(&cmd);
}
END_TEST

/* The "+ OK" cannot be sent: an I/O error. */
START_TEST(test_write_error)
{
	struct buf	*cmd = buf_new(1000);
	struct conn	*c;
	int		 sv[2];

	tf_pair(sv);
	tf_write_all(sv[1], "a X {5}\r\nhello\r\n", 16);
	shutdown(sv[1], SHUT_RD);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(imap_read_command(c, cmd, &def_limits, NULL),
	    IMAP_READ_ERROR);
	conn_free(&c);
	close(sv[1]);
	buf_free(&cmd);
}
END_TEST

/* The command buffer's own maximum is a limit too. */
START_TEST(test_small_cmd_buffer)
{
	struct buf	*cmd = buf_new(12);
	struct conn	*c;
	int		 sv[2];
	static const char in[] = "a 3456789012\r\na 34567890123\r\n"
	    "a {4+}\r\nwxyz\r\na {5+}\r\nvwxyz\r\n";

	tf_pair(sv);
	tf_write_all(sv[1], in, sizeof(in) - 1);
	close(sv[1]);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(imap_read_command(c, cmd, &def_limits, NULL),
	    IMAP_READ_OK);
	ck_assert_uint_eq(buf_len(cmd), 12);
	ck_assert_int_eq(imap_read_command(c, cmd, &def_limits, NULL),
	    IMAP_READ_FATAL_TOOBIG);
	ck_assert_int_eq(imap_read_command(c, cmd, &def_limits, NULL),
	    IMAP_READ_OK);
	ck_assert_str_eq(buf_cstr(cmd), "a {4+}\r\nwxyz");
	ck_assert_int_eq(imap_read_command(c, cmd, &def_limits, NULL),
	    IMAP_READ_FATAL_TOOBIG);
	conn_free(&c);
	buf_free(&cmd);
}
END_TEST

/* A large literal with a realistic limit, crossing many reads. */
START_TEST(test_large_literal)
{
	const struct imap_read_limits lim = { 65536, 1 << 20, 2 << 20, 5000 };
	const size_t	 n = 300000;
	struct buf	*in = buf_new(n + 100), *cmd = buf_new(4 << 20);
	struct conn	*c;
	size_t		 i;
	int		 in2[2], out[2];
	pid_t		 pid;

	buf_printf(in, "A3 APPEND INBOX (\\Seen) {%zu+}\r\n", n);
	for (i = 0; i < n; i++)
		buf_putc(in, (int)(i % 256));
	buf_puts(in, " x\r\n");
	tf_pair(in2);
	tf_pair(out);
	pid = tf_feed(in2[1], in2[0], buf_data(in), buf_len(in), 5000);
	c = conn_new(in2[0], out[0]);
	ck_assert_int_eq(imap_read_command(c, cmd, &lim, NULL), IMAP_READ_OK);
	ck_assert_uint_eq(buf_len(cmd), buf_len(in) - 2);
	ck_assert_int_eq(memcmp(buf_data(cmd), buf_data(in), buf_len(cmd)),
	    0);
	conn_free(&c);
	close(out[1]);
	ck_assert_int_eq(tf_reap(pid), 0);
	buf_free(&in);
	buf_free(&cmd);
}
END_TEST

static Suite *
imap_read_suite(void)
{
	Suite	*s = suite_create("imap_read");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_table, 0,
	    NMODES * sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_sync_literal_dialogue);
	tcase_add_test(tc, test_toobig_dialogue);
	tcase_add_test(tc, test_timeouts);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_small_cmd_buffer);
	tcase_add_test(tc, test_large_literal);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(imap_read_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
