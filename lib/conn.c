/*
 * conn: blocking, buffered I/O over a pair of fds, optionally TLS.
 *
 * "Blocking" is what callers see; underneath, no system call may block
 * past a timeout, or a silent or malicious peer could hold a process
 * forever. So every read is preceded by poll() (or is a non-blocking
 * SSL_read), socket writes use MSG_DONTWAIT, writes to pipes never exceed
 * PIPE_BUF after POLLOUT, and with TLS the fds are put in non-blocking
 * mode because OpenSSL does its own read()/write().
 *
 * A timeout covers one whole call: conn_getline() returns within
 * timeout_ms however slowly the peer trickles bytes.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "lib/buf.h"
#include "lib/conn.h"
#include "lib/conn_int.h"
#include "lib/log.h"

static int64_t	 conn_now(void);
static int64_t	 conn_deadline(int);
static int	 conn_remaining(int64_t);
static void	 conn_seterr(struct conn *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 conn_set_sslerr(struct conn *, const char *, int);
static int	 conn_poll(struct conn *, int, short, int64_t);
static int	 conn_ssl_wait(struct conn *, int, const char *, int64_t);
static int	 conn_fill(struct conn *, int64_t);
static int	 conn_fill_plain(struct conn *, int64_t);
static int	 conn_fill_tls(struct conn *, int64_t);
static int	 conn_send(struct conn *, const unsigned char *, size_t);
static int	 conn_send_plain(struct conn *, const unsigned char *, size_t,
		    int64_t);
static int	 conn_send_tls(struct conn *, const unsigned char *, size_t,
		    int64_t);
static void	 conn_line_add(struct buf *, const unsigned char *, size_t,
		    size_t, struct conn_line *);
static void	 conn_line_chunk(struct conn *, struct buf *, size_t, size_t,
		    struct conn_line *, int);
static int	 conn_set_nonblock(int);

static int64_t
conn_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime: %s", strerror(errno));
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* -1 means no deadline */
static int64_t
conn_deadline(int timeout_ms)
{
	if (timeout_ms < 0)
		return -1;
	return conn_now() + timeout_ms;
}

/* Milliseconds left until deadline, for poll(): -1 = forever. */
static int
conn_remaining(int64_t deadline)
{
	int64_t	 left;

	if (deadline < 0)
		return -1;
	left = deadline - conn_now();
	if (left < 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left;
}

static void
conn_seterr(struct conn *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
}

/* Describe a failed SSL call from its error code and the error queue. */
static void
conn_set_sslerr(struct conn *c, const char *what, int sslerr)
{
	unsigned long	 e;
	char		 ebuf[200];

	if ((e = ERR_peek_error()) != 0) {
		ERR_error_string_n(e, ebuf, sizeof(ebuf));
		conn_seterr(c, "%s: %s", what, ebuf);
	} else if (sslerr == SSL_ERROR_SYSCALL && errno != 0)
		conn_seterr(c, "%s: %s", what, strerror(errno));
	else if (sslerr == SSL_ERROR_SYSCALL)
		conn_seterr(c, "%s: connection closed", what);
	else
		conn_seterr(c, "%s: SSL error %d", what, sslerr);
	ERR_clear_error();
}

/* Wait for events on fd. 1 ready, 0 deadline passed, -1 error. */
static int
conn_poll(struct conn *c, int fd, short events, int64_t deadline)
{
	struct pollfd	 pfd;
	int		 r;

	for (;;) {
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, conn_remaining(deadline));
		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR) {
			conn_seterr(c, "poll: %s", strerror(errno));
			return -1;
		}
	}
}

struct conn *
conn_new(int rfd, int wfd)
{
	struct conn	*c;
	struct stat	 st;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("conn_new: out of memory");
	c->rfd = rfd;
	c->wfd = wfd;
	c->wsock = fstat(wfd, &st) == 0 && S_ISSOCK(st.st_mode);
	c->write_timeout = CONN_WRITE_TIMEOUT;
	conn_peer_describe(rfd, c->peer, sizeof(c->peer), &c->peer_local);
	return c;
}

void
conn_free(struct conn **cp)
{
	struct conn	*c;

	if (cp == NULL || (c = *cp) == NULL)
		return;
	if (c->ssl != NULL) {
		/* one attempt at close_notify; the fds are non-blocking */
		if (!c->werror)
			(void)SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		ERR_clear_error();
	}
	(void)close(c->rfd);
	if (c->wfd != c->rfd)
		(void)close(c->wfd);
	free(c);
	*cp = NULL;
}

const char *
conn_peer(const struct conn *c)
{
	return c->peer;
}

int
conn_peer_is_local(const struct conn *c)
{
	return c->peer_local;
}

const char *
conn_error(const struct conn *c)
{
	return c->err[0] != '\0' ? c->err : "no error";
}

static int
conn_set_nonblock(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	if (fl & O_NONBLOCK)
		return 0;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * After an SSL call asked to read or write: poll for it. 1 to retry, 0 on
 * timeout, -1 on error (c->err set).
 */
static int
conn_ssl_wait(struct conn *c, int sslerr, const char *what, int64_t deadline)
{
	int	 r;

	if (sslerr == SSL_ERROR_WANT_READ)
		r = conn_poll(c, c->rfd, POLLIN, deadline);
	else if (sslerr == SSL_ERROR_WANT_WRITE)
		r = conn_poll(c, c->wfd, POLLOUT, deadline);
	else {
		conn_set_sslerr(c, what, sslerr);
		return -1;
	}
	if (r == 0)
		conn_seterr(c, "%s: timeout", what);
	return r;
}

int
conn_start_tls(struct conn *c, SSL_CTX *ctx, int timeout_ms)
{
	int64_t	 deadline = conn_deadline(timeout_ms);
	SSL	*ssl;
	int	 r, e;

	if (c->ssl != NULL) {
		conn_seterr(c, "TLS already active");
		return -1;
	}
	/*
	 * RFC 9051 11.1, RFC 2595 3.1: anything the client sent after the
	 * STARTTLS line was sent in clear text and must not be taken as
	 * coming over the protected channel.
	 */
	conn_discard_input(c);
	/* the tagged OK must reach the client before the handshake */
	if (conn_flush(c) == -1)
		return -1;
	if (conn_set_nonblock(c->rfd) == -1 ||
	    conn_set_nonblock(c->wfd) == -1) {
		conn_seterr(c, "fcntl: %s", strerror(errno));
		return -1;
	}
	ERR_clear_error();
	if ((ssl = SSL_new(ctx)) == NULL) {
		conn_set_sslerr(c, "SSL_new", SSL_ERROR_SSL);
		return -1;
	}
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
	/* clients often close without close_notify: treat as plain EOF */
	SSL_set_options(ssl, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
	/* separate fds, so inetd/stdio mode (0 and 1) works */
	if (SSL_set_rfd(ssl, c->rfd) != 1 || SSL_set_wfd(ssl, c->wfd) != 1) {
		conn_set_sslerr(c, "SSL_set_fd", SSL_ERROR_SSL);
		goto fail;
	}
	for (;;) {
		ERR_clear_error();
		errno = 0;
		if ((r = SSL_accept(ssl)) == 1)
			break;
		e = SSL_get_error(ssl, r);
		if (e == SSL_ERROR_SYSCALL && errno == EINTR)
			continue;
		if ((r = conn_ssl_wait(c, e, "TLS handshake", deadline)) != 1)
			goto fail;
	}
	c->ssl = ssl;
	(void)snprintf(c->tls_info, sizeof(c->tls_info), "%s %s",
	    SSL_get_version(ssl), SSL_get_cipher_name(ssl));
	return 0;
fail:
	SSL_free(ssl);
	ERR_clear_error();
	/* the stream is in an unknown state: nothing more can be done */
	c->rstatus = CONN_ERROR;
	c->werror = 1;
	return -1;
}

int
conn_is_tls(const struct conn *c)
{
	return c->ssl != NULL;
}

const char *
conn_tls_info(const struct conn *c)
{
	return c->ssl != NULL ? c->tls_info : NULL;
}

/* Read what is available into the empty rbuf. */
static int
conn_fill(struct conn *c, int64_t deadline)
{
	if (c->rstatus != 0)
		return c->rstatus;
	c->rpos = c->rlen = 0;
	if (c->ssl != NULL)
		return conn_fill_tls(c, deadline);
	return conn_fill_plain(c, deadline);
}

static int
conn_fill_plain(struct conn *c, int64_t deadline)
{
	ssize_t	 n;
	int	 r;

	for (;;) {
		if ((r = conn_poll(c, c->rfd, POLLIN, deadline)) == 0)
			return CONN_TIMEOUT;
		if (r == -1)
			return CONN_ERROR;
		n = read(c->rfd, c->rbuf, sizeof(c->rbuf));
		if (n > 0) {
			c->rlen = (size_t)n;
			c->nread += (uint64_t)n;
			return CONN_OK;
		}
		if (n == 0) {
			c->rstatus = CONN_EOF;
			return CONN_EOF;
		}
		if (errno != EINTR && errno != EAGAIN &&
		    errno != EWOULDBLOCK) {
			conn_seterr(c, "read: %s", strerror(errno));
			c->rstatus = CONN_ERROR;
			return CONN_ERROR;
		}
	}
}

/*
 * SSL_read() first: data may already be decrypted inside OpenSSL (or a
 * whole record buffered), in which case poll() would wait for nothing.
 */
static int
conn_fill_tls(struct conn *c, int64_t deadline)
{
	int	 n, e, r;

	for (;;) {
		ERR_clear_error();
		errno = 0;
		n = SSL_read(c->ssl, c->rbuf, sizeof(c->rbuf));
		if (n > 0) {
			c->rlen = (size_t)n;
			c->nread += (uint64_t)n;
			return CONN_OK;
		}
		e = SSL_get_error(c->ssl, n);
		if (e == SSL_ERROR_ZERO_RETURN) {
			c->rstatus = CONN_EOF;
			return CONN_EOF;
		}
		if (e == SSL_ERROR_SYSCALL && errno == EINTR)
			continue;
		if (e == SSL_ERROR_SYSCALL && errno == 0 &&
		    ERR_peek_error() == 0) {
			c->rstatus = CONN_EOF;
			return CONN_EOF;
		}
		r = conn_ssl_wait(c, e, "TLS read", deadline);
		if (r == 0)
			return CONN_TIMEOUT;
		if (r == -1) {
			c->rstatus = CONN_ERROR;
			return CONN_ERROR;
		}
	}
}

size_t
conn_input_pending(const struct conn *c)
{
	size_t	 n = c->rlen - c->rpos;

	if (c->ssl != NULL)
		n += (size_t)SSL_pending(c->ssl);
	return n;
}

void
conn_discard_input(struct conn *c)
{
	c->partial = 0;
	c->rpos = c->rlen = 0;
	/* also what OpenSSL has decrypted but not handed out */
	while (c->ssl != NULL && c->rstatus == 0 && SSL_pending(c->ssl) > 0)
		if (conn_fill_tls(c, conn_now()) != CONN_OK)
			break;
	c->rpos = c->rlen = 0;
}

size_t
conn_take_input(struct conn *c, void *dst, size_t max)
{
	size_t	 n = c->rlen - c->rpos;

	if (n > max)
		n = max;
	memcpy(dst, c->rbuf + c->rpos, n);
	c->rpos += n;
	if (c->rpos == c->rlen)
		c->rpos = c->rlen = 0;
	return n;
}

int
conn_push_input(struct conn *c, const void *p, size_t n)
{
	if (c->rlen != c->rpos || c->partial || n > sizeof(c->rbuf))
		return -1;
	memcpy(c->rbuf, p, n);
	c->rpos = 0;
	c->rlen = n;
	return 0;
}

void
conn_set_peer(struct conn *c, const char *peer, int local)
{
	strlcpy(c->peer, peer, sizeof(c->peer));
	c->peer_local = local;
}

void
conn_counts(const struct conn *c, uint64_t *in_r, uint64_t *out_r)
{
	*in_r = c->nread;
	*out_r = c->nwritten;
}

int
conn_wait(struct conn *c, int extra_fd, int timeout_ms)
{
	int64_t		 deadline = conn_deadline(timeout_ms);
	struct pollfd	 pfd[2];
	nfds_t		 nfds = extra_fd >= 0 ? 2 : 1;
	int		 r;

	/* buffered input, or an EOF/error the next read will report */
	if (c->rpos < c->rlen || c->rstatus != 0)
		return 1;
	if (c->ssl != NULL && SSL_has_pending(c->ssl) &&
	    conn_fill(c, conn_now()) != CONN_TIMEOUT)
		return 1;
	for (;;) {
		pfd[0].fd = c->rfd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].fd = extra_fd;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		r = poll(pfd, nfds, conn_remaining(deadline));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			conn_seterr(c, "poll: %s", strerror(errno));
			return -1;
		}
		if (r == 0)
			return 0;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			/*
			 * With TLS, readable may mean only part of a record
			 * or a post-handshake message: report input only when
			 * application data (or EOF) has arrived.
			 */
			if (c->ssl == NULL ||
			    conn_fill(c, conn_now()) != CONN_TIMEOUT)
				return 1;
		}
		if (nfds == 2 &&
		    (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			return 2;
	}
}

/*
 * Add content bytes to the line, keeping at most max of them; past that
 * the line is only counted.
 */
static void
conn_line_add(struct buf *line, const unsigned char *p, size_t n,
    size_t max, struct conn_line *st)
{
	size_t	 take = n;

	if (!st->toolong) {
		if (st->count + n > max) {
			take = max - st->count;
			st->toolong = 1;
		}
		if (buf_append(line, p, take) == -1)
			st->toolong = 1;
	}
	st->count += n;
}

/*
 * Process the next seg bytes of rbuf as part of a line; lf says whether
 * they are followed by the LF that ends it.
 */
static void
conn_line_chunk(struct conn *c, struct buf *line, size_t seg, size_t max,
    struct conn_line *st, int lf)
{
	const unsigned char	*p = c->rbuf + c->rpos;
	size_t			 body = seg;
	int			 ending_cr = 0;

	if (st->cr) {
		/* the CR that ended the previous chunk */
		st->cr = 0;
		if (!(lf && seg == 0)) {
			st->bad = 1;
			conn_line_add(line, (const unsigned char *)"\r", 1,
			    max, st);
		}
	}
	if (seg > 0 && p[seg - 1] == '\r') {
		body = seg - 1;
		ending_cr = 1;
	}
	if (!st->bad && !st->toolong && (memchr(p, '\0', body) != NULL ||
	    memchr(p, '\r', body) != NULL))
		st->bad = 1;
	conn_line_add(line, p, body, max, st);
	/* a CR at the end of the chunk: decided by the next byte */
	if (ending_cr && !lf)
		st->cr = 1;
	c->rpos += seg + (lf ? 1 : 0);
}

int
conn_getline(struct conn *c, struct buf *line, size_t max, int timeout_ms)
{
	int64_t			 deadline = conn_deadline(timeout_ms);
	struct conn_line	 st;
	const unsigned char	*nl;
	size_t			 avail, seg;
	int			 r, lf;

	/* continue a line cut short by a timeout, if given it back */
	if (c->partial && buf_len(line) == c->pline.stored)
		st = c->pline;
	else {
		buf_reset(line);
		memset(&st, 0, sizeof(st));
	}
	c->partial = 0;
	for (;;) {
		if (c->rpos == c->rlen &&
		    (r = conn_fill(c, deadline)) != CONN_OK) {
			if (r == CONN_TIMEOUT) {
				st.stored = buf_len(line);
				c->pline = st;
				c->partial = 1;
			}
			return r;
		}
		avail = c->rlen - c->rpos;
		nl = memchr(c->rbuf + c->rpos, '\n', avail);
		lf = nl != NULL;
		seg = lf ? (size_t)(nl - (c->rbuf + c->rpos)) : avail;
		conn_line_chunk(c, line, seg, max, &st, lf);
		if (!lf)
			continue;
		if (st.toolong)
			return CONN_TOOLONG;
		if (st.bad)
			return CONN_BADLINE;
		return CONN_OK;
	}
}

int
conn_read_exact(struct conn *c, struct buf *out, size_t n, int timeout_ms)
{
	int64_t	 deadline = conn_deadline(timeout_ms);
	size_t	 take;
	int	 r;

	if (n > out->max - out->len) {
		conn_seterr(c, "read of %zu bytes over buffer limit", n);
		return CONN_ERROR;
	}
	c->partial = 0;
	while (n > 0) {
		if (c->rpos == c->rlen &&
		    (r = conn_fill(c, deadline)) != CONN_OK)
			return r;
		take = c->rlen - c->rpos;
		if (take > n)
			take = n;
		if (buf_append(out, c->rbuf + c->rpos, take) == -1)
			fatal("conn_read_exact: buffer limit");
		c->rpos += take;
		n -= take;
	}
	return CONN_OK;
}

int
conn_skip(struct conn *c, size_t n, int timeout_ms)
{
	int64_t	 deadline = conn_deadline(timeout_ms);
	size_t	 take;
	int	 r;

	c->partial = 0;
	while (n > 0) {
		if (c->rpos == c->rlen &&
		    (r = conn_fill(c, deadline)) != CONN_OK)
			return r;
		take = c->rlen - c->rpos;
		if (take > n)
			take = n;
		c->rpos += take;
		n -= take;
	}
	return CONN_OK;
}

static int
conn_send_plain(struct conn *c, const unsigned char *p, size_t n,
    int64_t deadline)
{
	ssize_t	 w;
	size_t	 chunk;
	int	 r;

	while (n > 0) {
		if (c->wsock)
			w = send(c->wfd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		else {
			/* after POLLOUT a pipe takes PIPE_BUF bytes without
			 * blocking, even if the fd is in blocking mode */
			if ((r = conn_poll(c, c->wfd, POLLOUT, deadline)) != 1)
				goto wait_failed;
			chunk = n > PIPE_BUF ? PIPE_BUF : n;
			w = write(c->wfd, p, chunk);
		}
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1 && errno != EAGAIN && errno != EWOULDBLOCK) {
			conn_seterr(c, "write: %s", strerror(errno));
			return -1;
		}
		if ((r = conn_poll(c, c->wfd, POLLOUT, deadline)) != 1)
			goto wait_failed;
	}
	return 0;
wait_failed:
	if (r == 0)
		conn_seterr(c, "write: timeout");
	return -1;
}

static int
conn_send_tls(struct conn *c, const unsigned char *p, size_t n,
    int64_t deadline)
{
	int	 w, e, chunk;

	while (n > 0) {
		chunk = n > INT_MAX ? INT_MAX : (int)n;
		ERR_clear_error();
		errno = 0;
		/* a retry after WANT_* passes the same buffer, as required */
		if ((w = SSL_write(c->ssl, p, chunk)) > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		e = SSL_get_error(c->ssl, w);
		if (e == SSL_ERROR_SYSCALL && errno == EINTR)
			continue;
		if (conn_ssl_wait(c, e, "TLS write", deadline) != 1)
			return -1;
	}
	return 0;
}

/* Write all of p, within the write timeout. Errors are sticky. */
static int
conn_send(struct conn *c, const unsigned char *p, size_t n)
{
	int64_t	 deadline = conn_deadline(c->write_timeout);
	int	 r;

	if (c->werror)
		return -1;
	c->nwritten += n;
	if (c->ssl != NULL)
		r = conn_send_tls(c, p, n, deadline);
	else
		r = conn_send_plain(c, p, n, deadline);
	if (r == -1)
		c->werror = 1;
	return r;
}

int
conn_flush(struct conn *c)
{
	int	 r;

	if (c->werror)
		return -1;
	if (c->wlen == 0)
		return 0;
	r = conn_send(c, c->wbuf, c->wlen);
	c->wlen = 0;
	return r;
}

int
conn_write(struct conn *c, const void *p, size_t n)
{
	if (c->werror)
		return -1;
	if (n <= sizeof(c->wbuf) - c->wlen) {
		memcpy(c->wbuf + c->wlen, p, n);
		c->wlen += n;
		return 0;
	}
	if (conn_flush(c) == -1)
		return -1;
	/* big writes (message bodies) go out without a copy */
	if (n >= sizeof(c->wbuf))
		return conn_send(c, p, n);
	memcpy(c->wbuf, p, n);
	c->wlen = n;
	return 0;
}

int
conn_puts(struct conn *c, const char *s)
{
	return conn_write(c, s, strlen(s));
}

int
conn_printf(struct conn *c, const char *fmt, ...)
{
	va_list	 ap;
	char	 sbuf[512], *p = sbuf;
	int	 n, r;

	va_start(ap, fmt);
	n = vsnprintf(sbuf, sizeof(sbuf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(sbuf)) {
		if ((p = malloc((size_t)n + 1)) == NULL)
			fatal("conn_printf: out of memory");
		va_start(ap, fmt);
		(void)vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	r = conn_write(c, p, (size_t)n);
	if (p != sbuf)
		free(p);
	return r;
}

void
conn_set_write_timeout(struct conn *c, int timeout_ms)
{
	c->write_timeout = timeout_ms;
}
