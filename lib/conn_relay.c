/*
 * conn_relay: pass bytes both ways between a connection (normally TLS)
 * and a plaintext stream socket, for the pre-auth process that keeps the
 * TLS session after login while the user's process speaks plaintext.
 *
 * One poll() loop, one bounded ring buffer per direction. A side is read
 * only while the buffer towards the other side has room, and every read
 * and write is non-blocking, so a full buffer in one direction never
 * stops the other one: a client pipelining commands while the server
 * writes a large response cannot deadlock the relay.
 *
 * Each operation on the peer remembers what it waits for: with TLS,
 * SSL_read() may need the socket to be writable and SSL_write() readable,
 * and a SSL_write() that could not finish is repeated with the same
 * pointer and length (OpenSSL requires it; the ring buffer does not move
 * queued bytes, so the pointer stays valid). The SSL's modes are left as
 * conn.c set them.
 *
 * Without TLS the peer's fds may be blocking pipes (PREAUTH, inetd): as in
 * conn.c they are read only after POLLIN, sockets are written with
 * MSG_DONTWAIT and pipes at most PIPE_BUF bytes after POLLOUT.
 *
 * Endings: when fd reaches EOF the peer gets what is queued for it and a
 * close_notify, and whatever it still sends is read and dropped so that
 * it cannot block writing while we wait for it to read. When the peer
 * closes, what is queued for fd is written, fd is shut down for writing,
 * and fd is drained until EOF (what it says is still passed on as long
 * as the peer takes it: TLS allows a half-closed connection), for at most
 * RELAY_DRAIN_MS.
 */
#include <sys/socket.h>
#include <sys/types.h>

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

#include "lib/conn.h"
#include "lib/conn_int.h"
#include "lib/log.h"

/* Bytes queued per direction. */
#define RELAY_BUF_SIZE	(64 * 1024)
/* After the peer closed: how long fd may take to reach EOF. */
#define RELAY_DRAIN_MS	(10 * 1000)
/* How long the final close_notify may wait for a full socket. */
#define RELAY_CLOSE_MS	1000
/* Chunk for input that is read only to be dropped. */
#define RELAY_SCRATCH	(16 * 1024)

_Static_assert(CONN_RBUF_SIZE <= RELAY_BUF_SIZE,
    "buffered input must fit the relay buffer");
_Static_assert(CONN_WBUF_SIZE <= RELAY_BUF_SIZE,
    "buffered output must fit the relay buffer");

/* A ring buffer: bytes never move while queued. */
struct relay_buf {
	unsigned char	 b[RELAY_BUF_SIZE];
	size_t		 head;		/* first queued byte */
	size_t		 len;		/* bytes queued */
};

struct relay {
	struct conn	*c;
	int		 fd;
	int		 idle_ms;	/* -1: none */
	struct relay_buf up;		/* peer -> fd */
	struct relay_buf down;		/* fd -> peer */
	/* what each operation waits for: 0 (try now), POLLIN, POLLOUT */
	short		 peer_rwait;	/* on c->rfd or c->wfd */
	short		 peer_wwait;
	short		 fd_rwait;
	short		 fd_wwait;
	size_t		 retry_len;	/* SSL_write() to repeat, or 0 */
	int		 peer_eof;
	int		 peer_wdead;	/* peer gone after its EOF: drop output */
	int		 fd_eof;
	int		 fd_wdead;	/* fd no longer reads: drop input */
	int		 fd_shut;	/* shutdown(fd, SHUT_WR) done */
	int		 progress;	/* some operation did something */
	int		 moved;		/* bytes were passed on this round */
	int64_t		 last_move;
	int64_t		 drain_end;	/* once peer_eof */
	unsigned char	 scratch[RELAY_SCRATCH];
};

static int64_t	 relay_now(void);
static void	 relay_seterr(struct conn *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 relay_sslerr(struct conn *, const char *, int);
static int	 relay_nonblock(int);
static size_t	 rb_room(struct relay_buf *, unsigned char **);
static size_t	 rb_data(struct relay_buf *, unsigned char **);
static void	 rb_drop(struct relay_buf *, size_t);
static int	 relay_drop_input(const struct relay *);
static int	 peer_read_work(struct relay *);
static int	 fd_read_work(struct relay *);
static void	 relay_peer_ended(struct relay *);
static int	 relay_peer_read(struct relay *);
static int	 relay_peer_read_tls(struct relay *, unsigned char *, size_t,
		    int);
static int	 relay_peer_read_plain(struct relay *, unsigned char *,
		    size_t, int);
static int	 relay_peer_write(struct relay *);
static int	 relay_peer_write_tls(struct relay *, unsigned char *, size_t);
static int	 relay_peer_write_plain(struct relay *, unsigned char *,
		    size_t);
static void	 relay_peer_write_failed(struct relay *);
static int	 relay_fd_read(struct relay *);
static int	 relay_fd_write(struct relay *);
static int	 relay_timeout(const struct relay *, int64_t);
static int	 relay_wait(struct relay *, int64_t);
static void	 relay_close_peer(struct relay *);
static int	 relay_run(struct relay *);

static int64_t
relay_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("clock_gettime: %s", strerror(errno));
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
relay_seterr(struct conn *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
}

/* Describe a failed SSL call from its error code and the error queue. */
static void
relay_sslerr(struct conn *c, const char *what, int sslerr)
{
	unsigned long	 e;
	char		 ebuf[200];

	if ((e = ERR_peek_error()) != 0) {
		ERR_error_string_n(e, ebuf, sizeof(ebuf));
		relay_seterr(c, "relay: %s: %s", what, ebuf);
	} else if (sslerr == SSL_ERROR_SYSCALL && errno != 0)
		relay_seterr(c, "relay: %s: %s", what, strerror(errno));
	else if (sslerr == SSL_ERROR_SYSCALL)
		relay_seterr(c, "relay: %s: connection closed", what);
	else
		relay_seterr(c, "relay: %s: SSL error %d", what, sslerr);
	ERR_clear_error();
}

static int
relay_nonblock(int fd)
{
	int	 fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	if (fl & O_NONBLOCK)
		return 0;
	return fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Contiguous free space after the queued bytes; *p is where it starts. */
static size_t
rb_room(struct relay_buf *q, unsigned char **p)
{
	size_t	 tail;

	if (q->len == 0)
		q->head = 0;
	tail = (q->head + q->len) % RELAY_BUF_SIZE;
	*p = q->b + tail;
	if (q->len == RELAY_BUF_SIZE)
		return 0;
	if (tail >= q->head)
		return RELAY_BUF_SIZE - tail;
	return q->head - tail;
}

/* Contiguous queued bytes from the head. */
static size_t
rb_data(struct relay_buf *q, unsigned char **p)
{
	size_t	 n = RELAY_BUF_SIZE - q->head;

	*p = q->b + q->head;
	return q->len < n ? q->len : n;
}

static void
rb_drop(struct relay_buf *q, size_t n)
{
	q->head = (q->head + n) % RELAY_BUF_SIZE;
	q->len -= n;
	if (q->len == 0)
		q->head = 0;
}

/* Input from the peer has nowhere to go: read it anyway, and drop it. */
static int
relay_drop_input(const struct relay *r)
{
	return r->fd_eof || r->fd_wdead;
}

static int
peer_read_work(struct relay *r)
{
	unsigned char	*p;

	return !r->peer_eof &&
	    (relay_drop_input(r) || rb_room(&r->up, &p) > 0);
}

static int
fd_read_work(struct relay *r)
{
	unsigned char	*p;

	return !r->fd_eof && (r->peer_wdead || rb_room(&r->down, &p) > 0);
}

static void
relay_peer_ended(struct relay *r)
{
	r->peer_eof = 1;
	r->c->rstatus = CONN_EOF;
	r->drain_end = relay_now() + RELAY_DRAIN_MS;
}

/* Peer -> up buffer (or dropped). 0, or -1 on error (c->err set). */
static int
relay_peer_read(struct relay *r)
{
	unsigned char	*p;
	size_t		 room;
	int		 drop = relay_drop_input(r);

	if (r->peer_rwait != 0 || !peer_read_work(r))
		return 0;
	if (drop) {
		p = r->scratch;
		room = sizeof(r->scratch);
	} else
		room = rb_room(&r->up, &p);
	if (r->c->ssl != NULL)
		return relay_peer_read_tls(r, p, room, drop);
	return relay_peer_read_plain(r, p, room, drop);
}

static int
relay_peer_read_tls(struct relay *r, unsigned char *p, size_t room, int drop)
{
	struct conn	*c = r->c;
	int		 n, e;

	ERR_clear_error();
	errno = 0;
	/* not after poll(): OpenSSL may hold decrypted bytes already */
	n = SSL_read(c->ssl, p, (int)room);
	if (n > 0) {
		c->nread += (uint64_t)n;
		if (!drop) {
			r->up.len += (size_t)n;
			r->moved = 1;
		}
		r->progress = 1;
		return 0;
	}
	e = SSL_get_error(c->ssl, n);
	switch (e) {
	case SSL_ERROR_WANT_READ:
		r->peer_rwait = POLLIN;
		return 0;
	case SSL_ERROR_WANT_WRITE:
		r->peer_rwait = POLLOUT;
		return 0;
	case SSL_ERROR_ZERO_RETURN:
		/* close_notify, or (SSL_OP_IGNORE_UNEXPECTED_EOF) plain EOF */
		relay_peer_ended(r);
		r->progress = 1;
		return 0;
	case SSL_ERROR_SYSCALL:
		if (errno == EINTR) {
			r->progress = 1;
			return 0;
		}
		if (errno == 0 && ERR_peek_error() == 0) {
			/* EOF without close_notify */
			relay_peer_ended(r);
			r->progress = 1;
			return 0;
		}
		break;
	}
	relay_sslerr(c, "TLS read", e);
	c->rstatus = CONN_ERROR;
	return -1;
}

static int
relay_peer_read_plain(struct relay *r, unsigned char *p, size_t room,
    int drop)
{
	struct conn	*c = r->c;
	ssize_t		 n;

	/* the fd may be blocking: read only after POLLIN */
	r->peer_rwait = POLLIN;
	n = read(c->rfd, p, room);
	if (n > 0) {
		c->nread += (uint64_t)n;
		if (!drop) {
			r->up.len += (size_t)n;
			r->moved = 1;
		}
		r->progress = 1;
		return 0;
	}
	if (n == 0) {
		relay_peer_ended(r);
		r->progress = 1;
		return 0;
	}
	if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	relay_seterr(c, "relay: read: %s", strerror(errno));
	c->rstatus = CONN_ERROR;
	return -1;
}

/* Down buffer -> peer. 0, or -1 on error (c->err set). */
static int
relay_peer_write(struct relay *r)
{
	unsigned char	*p;
	size_t		 n;

	if (r->peer_wwait != 0 || r->peer_wdead || r->down.len == 0)
		return 0;
	n = rb_data(&r->down, &p);
	if (r->c->ssl != NULL)
		return relay_peer_write_tls(r, p, n);
	return relay_peer_write_plain(r, p, n);
}

static int
relay_peer_write_tls(struct relay *r, unsigned char *p, size_t n)
{
	struct conn	*c = r->c;
	int		 w, e;

	/* a retry passes the same pointer (the head) and length */
	if (r->retry_len != 0)
		n = r->retry_len;
	ERR_clear_error();
	errno = 0;
	if ((w = SSL_write(c->ssl, p, (int)n)) > 0) {
		r->retry_len = 0;
		rb_drop(&r->down, (size_t)w);
		c->nwritten += (uint64_t)w;
		r->moved = r->progress = 1;
		return 0;
	}
	r->retry_len = n;
	e = SSL_get_error(c->ssl, w);
	if (e == SSL_ERROR_WANT_READ) {
		r->peer_wwait = POLLIN;
		return 0;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		r->peer_wwait = POLLOUT;
		return 0;
	}
	if (e == SSL_ERROR_SYSCALL && errno == EINTR) {
		r->progress = 1;
		return 0;
	}
	relay_sslerr(c, "TLS write", e);
	relay_peer_write_failed(r);
	return r->peer_eof ? 0 : -1;
}

static int
relay_peer_write_plain(struct relay *r, unsigned char *p, size_t n)
{
	struct conn	*c = r->c;
	ssize_t		 w;

	if (c->wsock)
		w = send(c->wfd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	else {
		/* after POLLOUT a pipe takes PIPE_BUF bytes without
		 * blocking, even in blocking mode */
		r->peer_wwait = POLLOUT;
		w = write(c->wfd, p, n > PIPE_BUF ? PIPE_BUF : n);
	}
	if (w > 0) {
		rb_drop(&r->down, (size_t)w);
		c->nwritten += (uint64_t)w;
		r->moved = r->progress = 1;
		return 0;
	}
	if (w == -1 && errno == EINTR) {
		r->progress = 1;
		return 0;
	}
	if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		r->peer_wwait = POLLOUT;
		return 0;
	}
	relay_seterr(c, "relay: write: %s",
	    w == 0 ? "no progress" : strerror(errno));
	relay_peer_write_failed(r);
	return r->peer_eof ? 0 : -1;
}

/*
 * The peer cannot take more. After its EOF that is how it goes (it may
 * have closed the socket): drop what it would have got and go on
 * draining fd. Before, it is an error.
 */
static void
relay_peer_write_failed(struct relay *r)
{
	r->c->werror = 1;
	r->peer_wdead = 1;
	r->down.len = r->down.head = 0;
	r->retry_len = 0;
	r->progress = 1;
}

/* fd -> down buffer (or dropped). 0, or -1 on error (c->err set). */
static int
relay_fd_read(struct relay *r)
{
	unsigned char	*p;
	size_t		 room;
	ssize_t		 n;

	if (r->fd_rwait != 0 || !fd_read_work(r))
		return 0;
	if (r->peer_wdead) {
		p = r->scratch;
		room = sizeof(r->scratch);
	} else
		room = rb_room(&r->down, &p);
	n = recv(r->fd, p, room, MSG_DONTWAIT);
	if (n > 0) {
		if (!r->peer_wdead) {
			r->down.len += (size_t)n;
			r->moved = 1;
		}
		r->progress = 1;
		return 0;
	}
	/* ECONNRESET: closed with our input unread, after its last output */
	if (n == 0 || errno == ECONNRESET) {
		r->fd_eof = 1;
		r->up.len = r->up.head = 0;
		r->progress = 1;
		return 0;
	}
	if (errno == EINTR) {
		r->progress = 1;
		return 0;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		r->fd_rwait = POLLIN;
		return 0;
	}
	relay_seterr(r->c, "relay: socket read: %s", strerror(errno));
	return -1;
}

/* Up buffer -> fd. 0, or -1 on error (c->err set). */
static int
relay_fd_write(struct relay *r)
{
	unsigned char	*p;
	size_t		 n;
	ssize_t		 w;

	if (r->fd_wwait != 0 || r->fd_wdead || r->up.len == 0)
		return 0;
	n = rb_data(&r->up, &p);
	w = send(r->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (w > 0) {
		rb_drop(&r->up, (size_t)w);
		r->moved = r->progress = 1;
		return 0;
	}
	if (w == -1 && errno == EINTR) {
		r->progress = 1;
		return 0;
	}
	if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		r->fd_wwait = POLLOUT;
		return 0;
	}
	if (w == -1 && (errno == EPIPE || errno == ECONNRESET)) {
		/* the other process stopped reading; its EOF follows */
		r->fd_wdead = 1;
		r->up.len = r->up.head = 0;
		r->progress = 1;
		return 0;
	}
	relay_seterr(r->c, "relay: socket write: %s",
	    w == 0 ? "no progress" : strerror(errno));
	return -1;
}

/* poll() timeout: now if something can be tried, else the next limit. */
static int
relay_timeout(const struct relay *r, int64_t now)
{
	int64_t	 end = -1;

	if (r->progress)
		return 0;
	if (r->idle_ms >= 0)
		end = r->last_move + r->idle_ms;
	if (r->peer_eof && (end < 0 || r->drain_end < end))
		end = r->drain_end;
	if (end < 0)
		return -1;
	if (end <= now)
		return 0;
	return end - now > INT_MAX ? INT_MAX : (int)(end - now);
}

/*
 * Wait for what the blocked operations wait for, and clear their waits
 * when it comes. 0, or -1 on error (c->err set).
 */
static int
relay_wait(struct relay *r, int64_t now)
{
	struct conn	*c = r->c;
	struct pollfd	 pfd[3], *wp;
	short		 cev = 0, wev = 0, fev = 0;
	int		 i, n;

	if (r->peer_rwait != 0 && peer_read_work(r))
		cev |= r->peer_rwait;
	if (r->peer_wwait != 0 && !r->peer_wdead && r->down.len > 0)
		cev |= r->peer_wwait;
	if (r->fd_rwait != 0 && fd_read_work(r))
		fev |= POLLIN;
	if (r->fd_wwait != 0 && !r->fd_wdead && r->up.len > 0)
		fev |= POLLOUT;
	if (cev == 0 && fev == 0 && !r->progress) {
		relay_seterr(c, "relay: nothing to wait for");
		return -1;
	}
	/* POLLIN is for the conn's rfd, POLLOUT for its wfd */
	if (c->rfd != c->wfd) {
		wev = cev & POLLOUT;
		cev &= ~POLLOUT;
	}
	/* fd -1 for no events: POLLHUP would wake us for nothing */
	pfd[0].fd = cev != 0 ? c->rfd : -1;
	pfd[0].events = cev;
	pfd[1].fd = wev != 0 ? c->wfd : -1;
	pfd[1].events = wev;
	pfd[2].fd = fev != 0 ? r->fd : -1;
	pfd[2].events = fev;
	for (i = 0; i < 3; i++)
		pfd[i].revents = 0;
	if ((n = poll(pfd, 3, relay_timeout(r, now))) == -1) {
		if (errno == EINTR)
			return 0;
		relay_seterr(c, "relay: poll: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 3; i++)
		if (pfd[i].revents & POLLNVAL) {
			relay_seterr(c, "relay: poll: bad file descriptor");
			return -1;
		}
	if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
		if (r->peer_rwait == POLLIN)
			r->peer_rwait = 0;
		if (r->peer_wwait == POLLIN)
			r->peer_wwait = 0;
	}
	wp = c->rfd != c->wfd ? &pfd[1] : &pfd[0];
	if (wp->revents & (POLLOUT | POLLHUP | POLLERR)) {
		if (r->peer_rwait == POLLOUT)
			r->peer_rwait = 0;
		if (r->peer_wwait == POLLOUT)
			r->peer_wwait = 0;
	}
	if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR))
		r->fd_rwait = 0;
	if (pfd[2].revents & (POLLOUT | POLLHUP | POLLERR))
		r->fd_wwait = 0;
	return 0;
}

/*
 * All output has reached the peer: send close_notify. One attempt,
 * repeated only while the socket is full, for at most RELAY_CLOSE_MS;
 * a failure here is not an error of the relay.
 */
static void
relay_close_peer(struct relay *r)
{
	struct conn	*c = r->c;
	int64_t		 end = relay_now() + RELAY_CLOSE_MS;
	struct pollfd	 pfd;
	int		 n, e;

	if (c->ssl == NULL || r->peer_wdead ||
	    (SSL_get_shutdown(c->ssl) & SSL_SENT_SHUTDOWN))
		return;
	for (;;) {
		ERR_clear_error();
		errno = 0;
		if ((n = SSL_shutdown(c->ssl)) >= 0)
			break;
		e = SSL_get_error(c->ssl, n);
		if (e == SSL_ERROR_SYSCALL && errno == EINTR)
			continue;
		if (e != SSL_ERROR_WANT_WRITE || relay_now() >= end)
			break;
		pfd.fd = c->wfd;
		pfd.events = POLLOUT;
		(void)poll(&pfd, 1, (int)(end - relay_now()));
	}
	ERR_clear_error();
}

static int
relay_run(struct relay *r)
{
	int64_t	 now;

	for (;;) {
		r->progress = r->moved = 0;
		if (relay_peer_read(r) == -1 || relay_fd_write(r) == -1 ||
		    relay_fd_read(r) == -1 || relay_peer_write(r) == -1)
			return -1;
		now = relay_now();
		if (r->moved)
			r->last_move = now;
		if (r->fd_eof && (r->down.len == 0 || r->peer_wdead)) {
			relay_close_peer(r);
			return 0;
		}
		if (r->peer_eof && r->up.len == 0 && !r->fd_shut) {
			/* the other process reads EOF; ENOTCONN is harmless */
			(void)shutdown(r->fd, SHUT_WR);
			r->fd_shut = 1;
		}
		if (r->peer_eof && now >= r->drain_end)
			return 0;
		if (r->idle_ms >= 0 && now - r->last_move >= r->idle_ms) {
			/* the peer has closed: waiting for fd was a courtesy */
			if (r->peer_eof)
				return 0;
			relay_seterr(r->c, "relay: idle timeout");
			return -1;
		}
		if (relay_wait(r, now) == -1)
			return -1;
	}
}

int
conn_relay(struct conn *c, int fd, int idle_timeout_ms)
{
	struct relay	*r;
	int		 ret;

	if (c->werror || c->rstatus == CONN_ERROR) {
		if (c->err[0] == '\0')
			relay_seterr(c, "relay: connection already failed");
		return -1;
	}
	if (relay_nonblock(fd) == -1 || (c->ssl != NULL &&
	    (relay_nonblock(c->rfd) == -1 || relay_nonblock(c->wfd) == -1))) {
		relay_seterr(c, "relay: fcntl: %s", strerror(errno));
		return -1;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("conn_relay: out of memory");
	r->c = c;
	r->fd = fd;
	r->idle_ms = idle_timeout_ms < 0 ? -1 : idle_timeout_ms;
	/* what the peer sent before, and what was written but not flushed */
	memcpy(r->up.b, c->rbuf + c->rpos, c->rlen - c->rpos);
	r->up.len = c->rlen - c->rpos;
	c->rpos = c->rlen = 0;
	c->partial = 0;
	memcpy(r->down.b, c->wbuf, c->wlen);
	r->down.len = c->wlen;
	c->wlen = 0;
	/* a plain fd may be blocking: poll before touching it */
	if (c->ssl == NULL) {
		r->peer_rwait = POLLIN;
		if (!c->wsock)
			r->peer_wwait = POLLOUT;
	}
	if (c->rstatus == CONN_EOF)
		relay_peer_ended(r);
	r->last_move = relay_now();
	ret = relay_run(r);
	free(r);
	return ret;
}
