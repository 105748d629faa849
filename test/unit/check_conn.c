/*
 * Unit tests for lib/conn.c without TLS (check_tls.c has the TLS ones):
 * line reading with its limits, literals, waiting, buffered writing, write
 * errors and timeouts, peer addresses.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "lib/buf.h"
#include "lib/conn.h"
#include "test/unit/test_feed.h"

#define END	99	/* end of an expectation list */
#define LEND	{ END, NULL, 0 }

/*
 * conn_getline() cases: the input, the limit, and the results expected in
 * order (status and line); after them the stream must report CONN_EOF.
 */
static const struct {
	const char	*in;
	size_t		 inlen;		/* 0: strlen */
	size_t		 max;
	struct {
		int		 st;
		const char	*line;
		size_t		 len;	/* 0: strlen */
	} out[4];
} line_cases[] = {
	{ "a1 NOOP\r\n", 0, 100, { { CONN_OK, "a1 NOOP", 0 }, LEND } },
	{ "a1 NOOP\n", 0, 100, { { CONN_OK, "a1 NOOP", 0 }, LEND } },
	{ "\r\n", 0, 100, { { CONN_OK, "", 0 }, LEND } },
	{ "\n", 0, 100, { { CONN_OK, "", 0 }, LEND } },
	{ "x\r\ny\ny\r\n", 0, 100, { { CONN_OK, "x", 0 }, { CONN_OK, "y", 0 },
	    { CONN_OK, "y", 0 }, LEND } },
	{ "abc\rdef\r\nnext\r\n", 0, 100, { { CONN_BADLINE, "abc\rdef", 0 },
	    { CONN_OK, "next", 0 }, LEND } },
	{ "abc\0def\r\nnext\r\n", 15, 100, { { CONN_BADLINE, "abc\0def", 7 },
	    { CONN_OK, "next", 0 }, LEND } },
	{ "\0\n", 2, 100, { { CONN_BADLINE, "\0", 1 }, LEND } },
	{ "abc\r\r\nz\n", 0, 100, { { CONN_BADLINE, "abc\r", 0 },
	    { CONN_OK, "z", 0 }, LEND } },
	{ "\rabc\r\n", 0, 100, { { CONN_BADLINE, "\rabc", 0 }, LEND } },
	{ "abc\r", 0, 100, { LEND } },
	{ "no line end", 0, 100, { LEND } },
	/* at the limit and one over it */
	{ "0123456789\r\n", 0, 10, { { CONN_OK, "0123456789", 0 }, LEND } },
	{ "0123456789\n", 0, 10, { { CONN_OK, "0123456789", 0 }, LEND } },
	{ "0123456789A\r\nok\r\n", 0, 10, { { CONN_TOOLONG, "0123456789", 0 },
	    { CONN_OK, "ok", 0 }, LEND } },
	{ "0123456789\r\r\nok\r\n", 0, 10, { { CONN_TOOLONG, "0123456789", 0 },
	    { CONN_OK, "ok", 0 }, LEND } },
	{ "0123456789\0\r\n", 13, 10, { { CONN_TOOLONG, "0123456789", 0 },
	    LEND } },
	{ "\0" "123456789AB\r\n", 14, 10, { { CONN_TOOLONG, "\0" "123456789",
	    10 }, LEND } },
	{ "\r\n", 0, 0, { { CONN_OK, "", 0 }, LEND } },
	{ "a\r\n\r\n", 0, 0, { { CONN_TOOLONG, "", 0 }, { CONN_OK, "", 0 },
	    LEND } },
	/* a too long line cut off by EOF */
	{ "0123456789ABCDEF", 0, 10, { LEND } },
};

#define NMODES	3
static const size_t	 chunk_sizes[NMODES] = { 1, 3, 100000 };

/* Each case fed one byte at a time, three at a time, and all at once. */
START_TEST(test_getline_table)
{
	int		 sv[2], st;
	size_t		 ci = _i / NMODES, k, len, want_len;
	struct conn	*c;
	struct buf	*line = buf_new(1000);
	pid_t		 pid;

	len = line_cases[ci].inlen ? line_cases[ci].inlen :
	    strlen(line_cases[ci].in);
	tf_pair(sv);
	pid = tf_feed(sv[1], sv[0], line_cases[ci].in, len,
	    chunk_sizes[_i % NMODES]);
	c = conn_new(sv[0], sv[0]);
	for (k = 0; line_cases[ci].out[k].st != END; k++) {
		st = conn_getline(c, line, line_cases[ci].max, 5000);
		ck_assert_msg(st == line_cases[ci].out[k].st,
		    "case %zu line %zu: status %d", ci, k, st);
		want_len = line_cases[ci].out[k].len ?
		    line_cases[ci].out[k].len :
		    strlen(line_cases[ci].out[k].line);
		ck_assert_uint_eq(buf_len(line), want_len);
		ck_assert_mem_eq(buf_data(line), line_cases[ci].out[k].line,
		    want_len);
	}
	ck_assert_int_eq(conn_getline(c, line, line_cases[ci].max, 5000),
	    CONN_EOF);
	/* EOF stays EOF */
	ck_assert_int_eq(conn_getline(c, line, line_cases[ci].max, 5000),
	    CONN_EOF);
	conn_free(&c);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(tf_reap(pid), 0);
	buf_free(&line);
}
END_TEST

/* Lines longer than the 16 KiB read buffer, at and over a 64 KiB limit. */
START_TEST(test_getline_long)
{
	const size_t	 max = 65536;
	struct buf	*in = buf_new(1 << 20), *line = buf_new(1 << 20);
	struct conn	*c;
	size_t		 i;
	int		 sv[2];
	pid_t		 pid;

	for (i = 0; i < max; i++)
		buf_putc(in, 'a' + (int)(i % 26));
	buf_puts(in, "\r\n");
	for (i = 0; i < max + 1; i++)
		buf_putc(in, 'b');
	buf_puts(in, "\r\n");
	for (i = 0; i < 3 * max; i++)
		buf_putc(in, 'c');
	buf_puts(in, "\r\nafter\r\n");
	tf_pair(sv);
	pid = tf_feed(sv[1], sv[0], buf_data(in), buf_len(in), 7000);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_getline(c, line, max, 5000), CONN_OK);
	ck_assert_uint_eq(buf_len(line), max);
	ck_assert_mem_eq(buf_data(line), buf_data(in), max);
	ck_assert_int_eq(conn_getline(c, line, max, 5000), CONN_TOOLONG);
	ck_assert_uint_eq(buf_len(line), max);
	/* the rest of a very long line is dropped, memory stays bounded */
	ck_assert_int_eq(conn_getline(c, line, max, 5000), CONN_TOOLONG);
	ck_assert_uint_le(line->cap, 2 * max + 2);
	ck_assert_int_eq(conn_getline(c, line, max, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "after");
	conn_free(&c);
	ck_assert_int_eq(tf_reap(pid), 0);
	buf_free(&in);
	buf_free(&line);
}
END_TEST

/* The line buffer's own maximum is smaller than the limit. */
START_TEST(test_getline_small_buffer)
{
	struct buf	*line = buf_new(4);
	struct conn	*c;
	int		 sv[2];

	tf_pair(sv);
	tf_write_all(sv[1], "abcd\r\nabcde\r\nx\r\n", 16);
	close(sv[1]);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "abcd");
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_TOOLONG);
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "x");
	conn_free(&c);
	buf_free(&line);
}
END_TEST

START_TEST(test_getline_timeout)
{
	struct buf	*line = buf_new(100);
	struct conn	*c;
	int64_t		 t0;
	int		 sv[2];

	tf_pair(sv);
	c = conn_new(sv[0], sv[0]);
	t0 = tf_now_ms();
	ck_assert_int_eq(conn_getline(c, line, 100, 100), CONN_TIMEOUT);
	ck_assert_int_ge(tf_now_ms() - t0, 90);
	ck_assert_int_lt(tf_now_ms() - t0, 2000);
	/* a partial line, then silence */
	tf_write_all(sv[1], "partial", 7);
	ck_assert_int_eq(conn_getline(c, line, 100, 50), CONN_TIMEOUT);
	/* zero timeout polls once */
	ck_assert_int_eq(conn_getline(c, line, 100, 0), CONN_TIMEOUT);
	/* the bytes are kept: the line completes later */
	tf_write_all(sv[1], " line\r\n", 7);
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "partial line");
	/* a different buffer after a timeout starts afresh */
	tf_write_all(sv[1], "one", 3);
	ck_assert_int_eq(conn_getline(c, line, 100, 20), CONN_TIMEOUT);
	buf_puts(line, "junk");
	tf_write_all(sv[1], " two\r\n", 6);
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), " two");
	conn_free(&c);
	close(sv[1]);
	buf_free(&line);
}
END_TEST

/* The timeout bounds the whole call, not each read: a peer trickling one
 * byte every 20 ms cannot keep conn_getline() busy. */
START_TEST(test_getline_trickle)
{
	static const char	 slow[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
	struct buf		*line = buf_new(100);
	struct conn		*c;
	int64_t			 t0;
	int			 sv[2];
	pid_t			 pid;

	tf_pair(sv);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		size_t	 i;

		close(sv[0]);
		for (i = 0; i < sizeof(slow) - 1; i++) {
			if (tf_write_all(sv[1], slow + i, 1) == -1)
				_exit(0);
			usleep(20000);
		}
		_exit(0);
	}
	close(sv[1]);
	c = conn_new(sv[0], sv[0]);
	t0 = tf_now_ms();
	ck_assert_int_eq(conn_getline(c, line, 100, 200), CONN_TIMEOUT);
	ck_assert_int_lt(tf_now_ms() - t0, 1000);
	conn_free(&c);
	kill(pid, SIGKILL);
	tf_reap(pid);
	buf_free(&line);
}
END_TEST

START_TEST(test_read_exact)
{
	struct buf	*out = buf_new(100), *line = buf_new(100);
	struct conn	*c;
	int		 sv[2];
	pid_t		 pid;
	static const char in[] = "{5}\r\nhello world\r\n0123456789abcdefXY";

	tf_pair(sv);
	pid = tf_feed(sv[1], sv[0], in, sizeof(in) - 1, 3);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_getline(c, line, 100, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "{5}");
	buf_puts(out, ">");
	ck_assert_int_eq(conn_read_exact(c, out, 5, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(out), ">hello");
	ck_assert_int_eq(conn_getline(c, line, 100, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), " world");
	ck_assert_int_eq(conn_read_exact(c, out, 0, 5000), CONN_OK);
	ck_assert_int_eq(conn_skip(c, 10, 5000), CONN_OK);
	buf_reset(out);
	ck_assert_int_eq(conn_read_exact(c, out, 6, 5000), CONN_OK);
	ck_assert_str_eq(buf_cstr(out), "abcdef");
	/* EOF in the middle of a literal */
	ck_assert_int_eq(conn_read_exact(c, out, 5, 5000), CONN_EOF);
	conn_free(&c);
	ck_assert_int_eq(tf_reap(pid), 0);
	buf_free(&out);
	buf_free(&line);
}
END_TEST

START_TEST(test_read_exact_large)
{
	const size_t	 n = 200000;
	struct buf	*in = buf_new(n), *out = buf_new(n);
	struct conn	*c;
	size_t		 i;
	int		 sv[2];
	pid_t		 pid;

	for (i = 0; i < n; i++)
		buf_putc(in, (int)((i * 31) & 0xff));
	tf_pair(sv);
	pid = tf_feed(sv[1], sv[0], buf_data(in), n, 9999);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_read_exact(c, out, n, 5000), CONN_OK);
	ck_assert_int_eq(memcmp(buf_data(out), buf_data(in), n), 0);
	ck_assert_int_eq(conn_skip(c, 1, 5000), CONN_EOF);
	conn_free(&c);
	ck_assert_int_eq(tf_reap(pid), 0);
	buf_free(&in);
	buf_free(&out);
}
END_TEST

/* A read larger than the buffer's maximum fails without consuming. */
START_TEST(test_read_exact_over_max)
{
	struct buf	*out = buf_new(4), *line = buf_new(100);
	struct conn	*c;
	int		 sv[2];

	tf_pair(sv);
	tf_write_all(sv[1], "abcde\r\n", 7);
	c = conn_new(sv[0], sv[0]);
	buf_puts(out, "x");
	ck_assert_int_eq(conn_read_exact(c, out, 4, 1000), CONN_ERROR);
	ck_assert_str_eq(buf_cstr(out), "x");
	ck_assert_int_eq(conn_read_exact(c, out, 3, 1000), CONN_OK);
	ck_assert_str_eq(buf_cstr(out), "xabc");
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "de");
	conn_free(&c);
	close(sv[1]);
	buf_free(&out);
	buf_free(&line);
}
END_TEST

START_TEST(test_read_timeout)
{
	struct buf	*out = buf_new(100);
	struct conn	*c;
	int		 sv[2];

	tf_pair(sv);
	tf_write_all(sv[1], "abc", 3);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_read_exact(c, out, 5, 50), CONN_TIMEOUT);
	ck_assert_int_eq(conn_skip(c, 5, 50), CONN_TIMEOUT);
	conn_free(&c);
	close(sv[1]);
	buf_free(&out);
}
END_TEST

START_TEST(test_wait)
{
	struct buf	*line = buf_new(100);
	struct conn	*c;
	int		 sv[2], p[2];

	tf_pair(sv);
	ck_assert_int_eq(pipe(p), 0);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_wait(c, -1, 30), 0);
	ck_assert_int_eq(conn_wait(c, p[0], 30), 0);
	/* the extra fd */
	tf_write_all(p[1], "!", 1);
	ck_assert_int_eq(conn_wait(c, p[0], 1000), 2);
	/* input wins when both are ready */
	tf_write_all(sv[1], "a\r\nbc\r\n", 7);
	ck_assert_int_eq(conn_wait(c, p[0], 1000), 1);
	ck_assert_int_eq(conn_wait(c, -1, 1000), 1);
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_OK);
	/* the second line is buffered: no poll needed */
	ck_assert_uint_eq(conn_input_pending(c), 4);
	ck_assert_int_eq(conn_wait(c, -1, 0), 1);
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "bc");
	ck_assert_uint_eq(conn_input_pending(c), 0);
	ck_assert_int_eq(conn_wait(c, -1, 0), 0);
	/* EOF counts as input: the read reports it */
	close(sv[1]);
	ck_assert_int_eq(conn_wait(c, -1, 1000), 1);
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_EOF);
	ck_assert_int_eq(conn_wait(c, -1, 1000), 1);
	conn_free(&c);
	close(p[0]);
	close(p[1]);
	buf_free(&line);
}
END_TEST

START_TEST(test_discard_input)
{
	struct buf	*line = buf_new(100);
	struct conn	*c;
	int		 sv[2];

	tf_pair(sv);
	tf_write_all(sv[1], "a\r\nb\r\n", 6);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_OK);
	ck_assert_uint_eq(conn_input_pending(c), 3);
	conn_discard_input(c);
	ck_assert_uint_eq(conn_input_pending(c), 0);
	tf_write_all(sv[1], "c\r\n", 3);
	ck_assert_int_eq(conn_getline(c, line, 100, 1000), CONN_OK);
	ck_assert_str_eq(buf_cstr(line), "c");
	conn_free(&c);
	close(sv[1]);
	buf_free(&line);
}
END_TEST

/* Output stays buffered until conn_flush() or past 64 KiB. */
START_TEST(test_write_buffering)
{
	static char	 big[70000], got[80000];
	struct conn	*c;
	int		 sv[2];

	tf_pair(sv);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_puts(c, "* OK "), 0);
	ck_assert_int_eq(conn_printf(c, "%s %d\r\n", "ready", 7), 0);
	ck_assert_int_eq(conn_write(c, "", 0), 0);
	ck_assert_uint_eq(tf_recv_now(sv[1], got, sizeof(got), 0), 0);
	ck_assert_int_eq(conn_flush(c), 0);
	ck_assert_uint_eq(tf_recv_now(sv[1], got, sizeof(got), 1000), 14);
	ck_assert_mem_eq(got, "* OK ready 7\r\n", 14);
	ck_assert_int_eq(conn_flush(c), 0);
	/* exactly 64 KiB is kept; one more byte sends it */
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(conn_write(c, big, 65536), 0);
	ck_assert_uint_eq(tf_recv_now(sv[1], got, sizeof(got), 0), 0);
	ck_assert_int_eq(conn_write(c, "y", 1), 0);
	ck_assert_uint_eq(tf_recv_now(sv[1], got, sizeof(got), 1000), 65536);
	ck_assert_int_eq(conn_flush(c), 0);
	ck_assert_uint_eq(tf_recv_now(sv[1], got, sizeof(got), 1000), 1);
	ck_assert_int_eq(got[0], 'y');
	/* a write larger than the buffer goes out at once */
	ck_assert_int_eq(conn_puts(c, "head"), 0);
	ck_assert_int_eq(conn_write(c, big, sizeof(big)), 0);
	ck_assert_uint_eq(tf_recv_now(sv[1], got, sizeof(got), 1000),
	    4 + sizeof(big));
	ck_assert_mem_eq(got, "headxxx", 7);
	conn_free(&c);
	close(sv[1]);
}
END_TEST

START_TEST(test_printf_long)
{
	static char	 got[5000];
	char		 arg[3000];
	struct conn	*c;
	int		 sv[2];

	memset(arg, 'z', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';
	tf_pair(sv);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_printf(c, "<%s>", arg), 0);
	ck_assert_int_eq(conn_flush(c), 0);
	ck_assert_uint_eq(tf_recv_now(sv[1], got, sizeof(got), 1000), 3001);
	ck_assert_int_eq(got[0], '<');
	ck_assert_int_eq(got[2999], 'z');
	ck_assert_int_eq(got[3000], '>');
	conn_free(&c);
	close(sv[1]);
}
END_TEST

/*
 * A child reads everything until EOF and checks the byte pattern; the
 * parent writes it through conn in uneven pieces. wfd may be a pipe.
 */
static void
write_pattern_check(int use_pipe)
{
	const size_t	 total = 500000;
	static const size_t sizes[] = { 1, 7, 70000, 100, 65536, 3, 200000 };
	unsigned char	*data = malloc(total);
	struct conn	*c;
	size_t		 i, off;
	int		 fds[2], rfd;
	pid_t		 pid;

	for (i = 0; i < total; i++)
		data[i] = (unsigned char)(i % 253);
	if (use_pipe)
		ck_assert_int_eq(pipe(fds), 0);
	else
		tf_pair(fds);
	/* child reads fds[0]; the conn writes fds[1] */
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		unsigned char	 b[4096];
		ssize_t		 n;
		size_t		 pos = 0;

		close(fds[1]);
		while ((n = read(fds[0], b, sizeof(b))) > 0)
			for (i = 0; i < (size_t)n; i++, pos++)
				if (b[i] != pos % 253)
					_exit(2);
		_exit(pos == total ? 0 : 3);
	}
	close(fds[0]);
	rfd = open("/dev/null", O_RDONLY);
	c = conn_new(rfd, fds[1]);
	for (off = 0, i = 0; off < total; i++) {
		size_t	 n = sizes[i % 7];

		if (n > total - off)
			n = total - off;
		ck_assert_int_eq(conn_write(c, data + off, n), 0);
		off += n;
	}
	ck_assert_int_eq(conn_flush(c), 0);
	conn_free(&c);
	ck_assert_int_eq(tf_reap(pid), 0);
	free(data);
}

START_TEST(test_write_socket)
{
	write_pattern_check(0);
}
END_TEST

START_TEST(test_write_pipe)
{
	write_pattern_check(1);
}
END_TEST

/* Write errors are sticky. */
START_TEST(test_write_error)
{
	struct conn	*c;
	int		 sv[2], p[2], rfd;

	tf_pair(sv);
	close(sv[1]);
	c = conn_new(sv[0], sv[0]);
	ck_assert_int_eq(conn_puts(c, "x"), 0);
	/* MSG_NOSIGNAL: no SIGPIPE even though it is not ignored here */
	ck_assert_int_eq(conn_flush(c), -1);
	ck_assert_ptr_nonnull(strstr(conn_error(c), "write"));
	ck_assert_int_eq(conn_puts(c, "y"), -1);
	ck_assert_int_eq(conn_printf(c, "%d", 1), -1);
	ck_assert_int_eq(conn_flush(c), -1);
	conn_free(&c);

	/* a pipe: write() and SIGPIPE, which the daemon ignores */
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	rfd = open("/dev/null", O_RDONLY);
	c = conn_new(rfd, p[1]);
	ck_assert_int_eq(conn_puts(c, "x"), 0);
	ck_assert_int_eq(conn_flush(c), -1);
	ck_assert_int_eq(conn_puts(c, "x"), -1);
	conn_free(&c);
}
END_TEST

/* A peer that does not read: the write times out, and stays failed. */
START_TEST(test_write_timeout)
{
	static char	 big[1 << 20];
	struct conn	*c;
	int64_t		 t0;
	int		 sv[2], i, r = 0;

	tf_pair(sv);
	c = conn_new(sv[0], sv[0]);
	conn_set_write_timeout(c, 100);
	t0 = tf_now_ms();
	for (i = 0; i < 64 && r == 0; i++)
		r = conn_write(c, big, sizeof(big));
	ck_assert_int_eq(r, -1);
	ck_assert_int_lt(tf_now_ms() - t0, 3000);
	ck_assert_ptr_nonnull(strstr(conn_error(c), "timeout"));
	ck_assert_int_eq(conn_write(c, "x", 1), -1);
	conn_free(&c);
	close(sv[1]);
}
END_TEST

START_TEST(test_peer_local)
{
	struct conn	*c;
	int		 sv[2], p[2];

	tf_pair(sv);
	c = conn_new(sv[0], sv[0]);
	ck_assert_str_eq(conn_peer(c), "local");
	ck_assert_int_eq(conn_peer_is_local(c), 1);
	ck_assert_ptr_null(conn_tls_info(c));
	ck_assert_int_eq(conn_is_tls(c), 0);
	conn_free(&c);
	close(sv[1]);
	ck_assert_int_eq(pipe(p), 0);
	c = conn_new(p[0], p[1]);
	ck_assert_str_eq(conn_peer(c), "local");
	ck_assert_int_eq(conn_peer_is_local(c), 1);
	conn_free(&c);
}
END_TEST

/*
 * Connect to a listener on addr (port 0 = any) from bind_addr and return
 * the server side of the connection, or -1 if the address family or
 * address is not usable here.
 */
static int
tcp_accepted(int family, const char *addr, int v6only)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 l, cl, s, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			return -1;
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1)
			return -1;
		sl = sizeof(*sin6);
	}
	if ((l = socket(family, SOCK_STREAM, 0)) == -1)
		return -1;
	if (family == AF_INET6)
		setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
		    sizeof(v6only));
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(l, (struct sockaddr *)&ss, sl) == -1 || listen(l, 1) == -1 ||
	    getsockname(l, (struct sockaddr *)&ss, &sl) == -1) {
		close(l);
		return -1;
	}
	if ((cl = socket(family, SOCK_STREAM, 0)) == -1 ||
	    connect(cl, (struct sockaddr *)&ss, sl) == -1 ||
	    (s = accept(l, NULL, NULL)) == -1) {
		close(l);
		return -1;
	}
	close(l);
	/* keep the client side open for the test's duration */
	(void)cl;
	return s;
}

START_TEST(test_peer_tcp)
{
	struct conn	*c;
	int		 s;

	s = tcp_accepted(AF_INET, "127.0.0.1", 0);
	ck_assert_int_ge(s, 0);
	c = conn_new(s, s);
	ck_assert_str_eq(conn_peer(c), "127.0.0.1");
	ck_assert_int_eq(conn_peer_is_local(c), 1);
	conn_free(&c);
	if ((s = tcp_accepted(AF_INET6, "::1", 1)) >= 0) {
		c = conn_new(s, s);
		ck_assert_str_eq(conn_peer(c), "::1");
		ck_assert_int_eq(conn_peer_is_local(c), 1);
		conn_free(&c);
	}
}
END_TEST

/* An IPv4 client on a dual-stack IPv6 socket (::ffff:127.0.0.1). */
START_TEST(test_peer_mapped)
{
	struct sockaddr_in6	 sin6;
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin6);
	struct conn		*c;
	int			 l, cl, s, off = 0;

	if ((l = socket(AF_INET6, SOCK_STREAM, 0)) == -1)
		return;
	setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_any;
	if (bind(l, (struct sockaddr *)&sin6, sizeof(sin6)) == -1 ||
	    listen(l, 1) == -1 ||
	    getsockname(l, (struct sockaddr *)&sin6, &sl) == -1) {
		close(l);
		return;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = sin6.sin6_port;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(cl = socket(AF_INET, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(connect(cl, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	ck_assert_int_ge(s = accept(l, NULL, NULL), 0);
	c = conn_new(s, s);
	ck_assert_str_eq(conn_peer(c), "127.0.0.1");
	ck_assert_int_eq(conn_peer_is_local(c), 1);
	conn_free(&c);
	close(cl);
	close(l);
}
END_TEST

/* A connection from this host's own non-loopback address is remote. */
START_TEST(test_peer_remote)
{
	struct ifaddrs	*ifa, *i;
	char		 addr[INET_ADDRSTRLEN] = "";
	struct conn	*c;
	int		 s;

	ck_assert_int_eq(getifaddrs(&ifa), 0);
	for (i = ifa; i != NULL; i = i->ifa_next) {
		struct sockaddr_in *sin = (struct sockaddr_in *)i->ifa_addr;

		if (sin == NULL || sin->sin_family != AF_INET ||
		    (ntohl(sin->sin_addr.s_addr) >> 24) == 127)
			continue;
		inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
		break;
	}
	freeifaddrs(ifa);
	if (addr[0] == '\0' || (s = tcp_accepted(AF_INET, addr, 0)) == -1)
		return;		/* no usable address here */
	c = conn_new(s, s);
	ck_assert_str_eq(conn_peer(c), addr);
	ck_assert_int_eq(conn_peer_is_local(c), 0);
	conn_free(&c);
}
END_TEST

static Suite *
conn_suite(void)
{
	Suite	*s = suite_create("conn");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_getline_table, 0,
	    NMODES * sizeof(line_cases) / sizeof(line_cases[0]));
	tcase_add_test(tc, test_getline_long);
	tcase_add_test(tc, test_getline_small_buffer);
	tcase_add_test(tc, test_getline_timeout);
	tcase_add_test(tc, test_getline_trickle);
	tcase_add_test(tc, test_read_exact);
	tcase_add_test(tc, test_read_exact_large);
	tcase_add_test(tc, test_read_exact_over_max);
	tcase_add_test(tc, test_read_timeout);
	tcase_add_test(tc, test_wait);
	tcase_add_test(tc, test_discard_input);
	tcase_add_test(tc, test_write_buffering);
	tcase_add_test(tc, test_printf_long);
	tcase_add_test(tc, test_write_socket);
	tcase_add_test(tc, test_write_pipe);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_write_timeout);
	tcase_add_test(tc, test_peer_local);
	tcase_add_test(tc, test_peer_tcp);
	tcase_add_test(tc, test_peer_mapped);
	tcase_add_test(tc, test_peer_remote);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(conn_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
