/*
 * privmsg: encoding, strict decoding, sending and receiving of the
 * messages between imapd's own processes (wire format in privmsg.h).
 * Encoding checks the same rules as decoding, so a process never sends
 * what its peer would refuse.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "imapd/privmsg.h"

/* What a field holds; each type is a fixed sequence of these. */
enum pm_field {
	F_TAG,
	F_USER,
	F_PASS,
	F_TLS,
	F_PENDING,
	F_RESULT
};

#define PM_FIELDS_MAX	5

struct pm_layout {
	enum privmsg_type type;
	size_t		 nfields;
	enum pm_field	 fields[PM_FIELDS_MAX];
};

static const struct pm_layout layouts[] = {
	{ PM_AUTH, 5, { F_TAG, F_USER, F_PASS, F_TLS, F_PENDING } },
	{ PM_AUTH_REPLY, 1, { F_RESULT } },
	{ PM_LOGIN, 1, { F_USER } },
	{ PM_LOGIN_REPLY, 1, { F_RESULT } },
	{ PM_AUTH_FAILED, 0, { 0 } },
};

static const struct pm_layout *layout_of(int);
static int	 check_message(const struct privmsg *, const char **);
static int	 put_field(unsigned char *, size_t, size_t *, const void *,
		    size_t);
static int	 encode_field(const struct privmsg *, enum pm_field,
		    unsigned char *, size_t, size_t *);
static int	 decode_field(struct privmsg *, enum pm_field,
		    const unsigned char *, size_t, const char **);
static int	 decode_string(char *, size_t, const unsigned char *, size_t,
		    const char *, const char **);
static int	 wait_readable(int, const struct timespec *, const char **);
static int	 peer_closed(int);

static const struct pm_layout *
layout_of(int type)
{
	size_t	 i;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if ((int)layouts[i].type == type)
			return &layouts[i];
	return NULL;
}

/*
 * The rules beyond field framing, shared by encoding and decoding: the
 * tag is non-empty printable ASCII without space, the user non-empty,
 * and results in the range their type allows.
 */
static int
check_message(const struct privmsg *m, const char **err_r)
{
	const unsigned char	*s;

	switch (m->type) {
	case PM_AUTH:
		if (m->tag[0] == '\0') {
			*err_r = "empty tag";
			return -1;
		}
		for (s = (const unsigned char *)m->tag; *s != '\0'; s++) {
			if (*s <= ' ' || *s >= 0x7f) {
				*err_r = "tag has a character other than "
				    "printable ASCII";
				return -1;
			}
		}
		/* FALLTHROUGH */
	case PM_LOGIN:
		if (m->user[0] == '\0') {
			*err_r = "empty user";
			return -1;
		}
		break;
	case PM_AUTH_REPLY:
		if ((int)m->result < PM_OK || (int)m->result > PM_CLOSE) {
			*err_r = "result out of range";
			return -1;
		}
		break;
	case PM_LOGIN_REPLY:
		if (m->result != PM_OK && m->result != PM_LIMIT) {
			*err_r = "login reply result other than OK or LIMIT";
			return -1;
		}
		break;
	case PM_AUTH_FAILED:
		break;
	default:
		*err_r = "unknown type";
		return -1;
	}
	return 0;
}

static int
put_field(unsigned char *out, size_t outlen, size_t *off, const void *p,
    size_t len)
{
	if (len > UINT16_MAX || outlen - *off < 2 ||
	    outlen - *off - 2 < len)
		return -1;
	out[(*off)++] = len >> 8;
	out[(*off)++] = len & 0xff;
	if (len > 0)
		memcpy(out + *off, p, len);
	*off += len;
	return 0;
}

/* Append one field: 0, or -1 when the value is out of bounds or out
 * has no room for it. */
static int
encode_field(const struct privmsg *m, enum pm_field f, unsigned char *out,
    size_t outlen, size_t *off)
{
	unsigned char	 byte;
	const void	*p = &byte;
	size_t		 len = 1, max = 1;

	switch (f) {
	case F_TAG:
		p = m->tag;
		len = strnlen(m->tag, sizeof(m->tag));
		max = PM_TAG_MAX;
		break;
	case F_USER:
		p = m->user;
		len = strnlen(m->user, sizeof(m->user));
		max = PM_USER_MAX;
		break;
	case F_PASS:
		p = m->pass;
		len = strnlen(m->pass, sizeof(m->pass));
		max = PM_PASS_MAX;
		break;
	case F_TLS:
		byte = m->tls ? 1 : 0;
		break;
	case F_PENDING:
		p = m->pending;
		len = m->npending;
		max = PM_PENDING_MAX;
		break;
	case F_RESULT:
		byte = (unsigned char)m->result;
		break;
	}
	if (len > max)
		return -1;
	return put_field(out, outlen, off, p, len);
}

size_t
privmsg_encode(const struct privmsg *m, unsigned char *out, size_t outlen)
{
	const struct pm_layout	*lay;
	const char		*err;
	size_t			 i, off = 0;

	if ((lay = layout_of(m->type)) == NULL ||
	    check_message(m, &err) == -1 || outlen < 2)
		return 0;
	out[off++] = PRIVMSG_MAGIC;
	out[off++] = (unsigned char)m->type;
	for (i = 0; i < lay->nfields; i++) {
		if (encode_field(m, lay->fields[i], out, outlen, &off) == -1) {
			/* what was written may hold the password */
			explicit_bzero(out, off);
			return 0;
		}
	}
	return off;
}

/* A string field: within max bytes, no NUL; stored NUL-terminated in
 * dst (of max + 1 bytes). */
static int
decode_string(char *dst, size_t max, const unsigned char *p, size_t len,
    const char *toolong, const char **err_r)
{
	if (len > max) {
		*err_r = toolong;
		return -1;
	}
	if (memchr(p, '\0', len) != NULL) {
		*err_r = "NUL in a string field";
		return -1;
	}
	memcpy(dst, p, len);
	dst[len] = '\0';
	return 0;
}

static int
decode_field(struct privmsg *m, enum pm_field f, const unsigned char *p,
    size_t len, const char **err_r)
{
	switch (f) {
	case F_TAG:
		return decode_string(m->tag, PM_TAG_MAX, p, len,
		    "tag too long", err_r);
	case F_USER:
		return decode_string(m->user, PM_USER_MAX, p, len,
		    "user too long", err_r);
	case F_PASS:
		return decode_string(m->pass, PM_PASS_MAX, p, len,
		    "password too long", err_r);
	case F_TLS:
		if (len != 1 || p[0] > 1) {
			*err_r = "tls field not one byte 0 or 1";
			return -1;
		}
		m->tls = p[0] == 1;
		return 0;
	case F_PENDING:
		if (len > PM_PENDING_MAX) {
			*err_r = "pending data too long";
			return -1;
		}
		memcpy(m->pending, p, len);
		m->npending = len;
		return 0;
	case F_RESULT:
		if (len != 1) {
			*err_r = "result field not one byte";
			return -1;
		}
		/* the range is checked by check_message() */
		m->result = (enum pm_result)p[0];
		return 0;
	}
	*err_r = "unknown field";
	return -1;
}

int
privmsg_decode(const unsigned char *p, size_t len, struct privmsg *m,
    const char **err_r)
{
	const struct pm_layout	*lay;
	size_t			 i, off = 2, flen;

	memset(m, 0, sizeof(*m));
	*err_r = NULL;
	if (len == 0) {
		*err_r = "empty packet";
		goto fail;
	}
	if (p[0] != PRIVMSG_MAGIC) {
		*err_r = "bad magic byte";
		goto fail;
	}
	if (len < 2 || (lay = layout_of(p[1])) == NULL) {
		*err_r = len < 2 ? "no type byte" : "unknown type";
		goto fail;
	}
	m->type = lay->type;
	for (i = 0; i < lay->nfields; i++) {
		if (len - off < 2) {
			*err_r = off == len ? "missing field" :
			    "truncated field length";
			goto fail;
		}
		flen = (size_t)p[off] << 8 | p[off + 1];
		off += 2;
		if (flen > len - off) {
			*err_r = "field longer than the packet";
			goto fail;
		}
		if (decode_field(m, lay->fields[i], p + off, flen,
		    err_r) == -1)
			goto fail;
		off += flen;
	}
	if (off != len) {
		*err_r = "bytes after the last field";
		goto fail;
	}
	if (check_message(m, err_r) == -1)
		goto fail;
	return 0;
fail:
	privmsg_clear(m);
	return -1;
}

int
privmsg_send(int fd, const struct privmsg *m)
{
	unsigned char	 buf[PRIVMSG_MAX];
	size_t		 len;
	ssize_t		 n;
	int		 saved;

	if ((len = privmsg_encode(m, buf, sizeof(buf))) == 0) {
		errno = EINVAL;
		return -1;
	}
	do {
		n = send(fd, buf, len, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	saved = errno;
	explicit_bzero(buf, len);
	if (n == -1) {
		errno = saved;
		return -1;
	}
	if ((size_t)n != len) {
		/* a SOCK_SEQPACKET send is all or nothing */
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/*
 * Wait until fd is readable, or the deadline (NULL: none) passes.
 * 0 or -1 with *err_r and errno set.
 */
static int
wait_readable(int fd, const struct timespec *deadline, const char **err_r)
{
	struct pollfd	 pfd;
	struct timespec	 now;
	long long	 left;
	int		 rc;

	for (;;) {
		left = -1;
		if (deadline != NULL) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left = (long long)(deadline->tv_sec - now.tv_sec) *
			    1000 + (deadline->tv_nsec - now.tv_nsec) /
			    1000000;
			if (left < 0)
				left = 0;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = poll(&pfd, 1, (int)left);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1) {
			*err_r = "poll failed";
			return -1;
		}
		if (rc == 0) {
			*err_r = "timed out";
			errno = ETIMEDOUT;
			return -1;
		}
		if (pfd.revents & POLLNVAL) {
			*err_r = "not an open descriptor";
			errno = EBADF;
			return -1;
		}
		/* POLLHUP, POLLERR: recv() says what happened */
		return 0;
	}
}

/*
 * recv() returns 0 both at EOF and for an empty packet: it is EOF when
 * the peer has shut down its side.
 */
static int
peer_closed(int fd)
{
	struct pollfd	 pfd;

	pfd.fd = fd;
	pfd.events = POLLRDHUP;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & (POLLRDHUP | POLLHUP)) != 0;
}

int
privmsg_recv(int fd, struct privmsg *m, int timeout_ms, const char **err_r)
{
	unsigned char	 buf[PRIVMSG_MAX];
	struct timespec	 deadline, *dl = NULL;
	ssize_t		 n;
	int		 rc = -1;

	*err_r = NULL;
	memset(m, 0, sizeof(*m));
	if (timeout_ms >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += timeout_ms / 1000;
		deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
		if (deadline.tv_nsec >= 1000000000) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000;
		}
		dl = &deadline;
	}
	for (;;) {
		if (wait_readable(fd, dl, err_r) == -1)
			return -1;
		/* MSG_TRUNC: n is the packet's real length, even if longer
		 * than buf */
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC | MSG_DONTWAIT);
		if (n == -1 && (errno == EINTR || errno == EAGAIN ||
		    errno == EWOULDBLOCK))
			continue;
		break;
	}
	if (n == -1) {
		*err_r = "recv failed";
		return -1;
	}
	if (n == 0 && peer_closed(fd))
		return 0;
	if ((size_t)n > sizeof(buf)) {
		*err_r = "packet too long (truncated)";
		errno = EMSGSIZE;
		n = sizeof(buf);
		goto done;
	}
	if (privmsg_decode(buf, (size_t)n, m, err_r) == -1) {
		errno = EPROTO;
		goto done;
	}
	rc = 1;
done:
	explicit_bzero(buf, (size_t)n);
	return rc;
}

void
privmsg_clear(struct privmsg *m)
{
	explicit_bzero(m, sizeof(*m));
}
