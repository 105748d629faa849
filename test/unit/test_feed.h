/*
 * Helpers shared by the unit tests of conn, tls and imap_read: feed bytes
 * to a connection from a child process, in pieces the reader sees one at
 * a time, and look at what the code under test wrote.
 *
 * Header-only (static inline) so each test binary stays a single file.
 */
#ifndef TEST_UNIT_TEST_FEED_H
#define TEST_UNIT_TEST_FEED_H

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <linux/sockios.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>

static inline int64_t
tf_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* sv[0] for the code under test, sv[1] for the peer */
static inline void
tf_pair(int sv[2])
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
}

static inline int
tf_write_all(int fd, const void *p, size_t n)
{
	const unsigned char	*b = p;
	ssize_t			 w;

	while (n > 0) {
		w = write(fd, b, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Wait (up to 2 s) until the peer has read everything we sent on a
 * socket, so that the next write arrives in a separate read. */
static inline void
tf_wait_drained(int fd)
{
	int64_t	 end = tf_now_ms() + 2000;
	int	 q;

	while (tf_now_ms() < end) {
		if (ioctl(fd, SIOCOUTQ, &q) == -1 || q == 0)
			return;
		usleep(200);
	}
}

/*
 * Fork a child that writes data to fd in pieces of chunk bytes, each after
 * the reader took the previous one, then exits (the reader sees EOF).
 * other (if >= 0) is closed in the child. The parent's fd is closed.
 */
static inline pid_t
tf_feed(int fd, int other, const void *data, size_t len, size_t chunk)
{
	const unsigned char	*p = data;
	pid_t			 pid;
	size_t			 i, n;

	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		if (other >= 0)
			close(other);
		for (i = 0; i < len; i += n) {
			n = len - i < chunk ? len - i : chunk;
			if (tf_write_all(fd, p + i, n) == -1)
				_exit(1);
			tf_wait_drained(fd);
		}
		_exit(0);
	}
	close(fd);
	return pid;
}

/* Exit status of a child, or -1 if it did not exit normally. */
static inline int
tf_reap(pid_t pid)
{
	int	 st;

	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Read what is available on fd now (at most n bytes, waiting up to
 * wait_ms for the first byte); returns the count. */
static inline size_t
tf_recv_now(int fd, void *buf, size_t n, int wait_ms)
{
	unsigned char	*b = buf;
	size_t		 got = 0;
	ssize_t		 r;
	int64_t		 end = tf_now_ms() + wait_ms;

	while (got < n) {
		r = recv(fd, b + got, n - got, MSG_DONTWAIT);
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		if (r == 0 || got > 0 || tf_now_ms() >= end)
			break;
		usleep(1000);
	}
	return got;
}

#endif
