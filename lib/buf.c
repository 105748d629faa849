/*
 * buf: a growable byte buffer with a hard maximum.
 *
 * Invariant: whenever data != NULL, cap >= len + 1 and data[len] == '\0',
 * so buf_cstr() never has to allocate. A sensitive buffer never hands
 * memory back to the allocator without wiping it first, which is why it
 * grows by copying instead of realloc().
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/log.h"

#define BUF_MIN_CAP	64

static int	 buf_reserve(struct buf *, size_t);
static void	 buf_wipe_free(struct buf *);

struct buf *
buf_new(size_t max)
{
	struct buf	*b;

	if ((b = malloc(sizeof(*b))) == NULL)
		fatal("buf_new: out of memory");
	buf_init(b, max);
	return b;
}

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	/* keep room for the trailing NUL without overflowing size_t */
	b->max = max < SIZE_MAX ? max : SIZE_MAX - 1;
	b->sensitive = 0;
}

/* Free the storage, wiping it first when the buffer is sensitive. */
static void
buf_wipe_free(struct buf *b)
{
	if (b->data != NULL && b->sensitive)
		explicit_bzero(b->data, b->cap);
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_release(struct buf *b)
{
	if (b == NULL)
		return;
	buf_wipe_free(b);
}

void
buf_free(struct buf **bp)
{
	if (bp == NULL || *bp == NULL)
		return;
	buf_wipe_free(*bp);
	free(*bp);
	*bp = NULL;
}

void
buf_set_sensitive(struct buf *b)
{
	b->sensitive = 1;
}

/*
 * Make room for len + extra bytes plus the trailing NUL. Returns -1 if that
 * would pass the maximum. Out of memory is fatal: callers cannot do
 * anything sensible about it in a per-connection process.
 */
static int
buf_reserve(struct buf *b, size_t extra)
{
	size_t		 need, ncap;
	unsigned char	*n;

	if (extra > b->max - b->len)
		return -1;
	need = b->len + extra + 1;
	if (b->data != NULL && need <= b->cap)
		return 0;
	ncap = b->cap < BUF_MIN_CAP ? BUF_MIN_CAP : b->cap;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2) {
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	/* never allocate more than the maximum can use */
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	if (b->sensitive) {
		if ((n = malloc(ncap)) == NULL)
			fatal("buf: out of memory (%zu bytes)", ncap);
		if (b->data != NULL) {
			memcpy(n, b->data, b->len);
			explicit_bzero(b->data, b->cap);
			free(b->data);
		}
	} else {
		if ((n = realloc(b->data, ncap)) == NULL)
			fatal("buf: out of memory (%zu bytes)", ncap);
	}
	b->data = n;
	b->cap = ncap;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_putc(struct buf *b, int c)
{
	unsigned char	 ch = (unsigned char)c;

	return buf_append(b, &ch, 1);
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -1;
	if (buf_reserve(b, (size_t)n) == -1)
		return -1;
	/* buf_reserve left room for n bytes and the NUL */
	if (vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap) != n) {
		b->data[b->len] = '\0';
		return -1;
	}
	b->len += (size_t)n;
	return 0;
}

void
buf_reset(struct buf *b)
{
	if (b->data == NULL)
		return;
	if (b->sensitive)
		explicit_bzero(b->data, b->cap);
	b->len = 0;
	b->data[0] = '\0';
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n > b->len)
		fatal("buf_consume: %zu > %zu", n, b->len);
	if (n == 0)
		return;
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	/* the tail still holds copies of the moved bytes */
	if (b->sensitive)
		explicit_bzero(b->data + b->len, n);
	b->data[b->len] = '\0';
}

void
buf_truncate(struct buf *b, size_t n)
{
	if (n > b->len)
		fatal("buf_truncate: %zu > %zu", n, b->len);
	if (b->data == NULL)
		return;
	if (b->sensitive)
		explicit_bzero(b->data + n, b->len - n);
	b->len = n;
	b->data[n] = '\0';
}

const char *
buf_cstr(struct buf *b)
{
	if (b->data == NULL)
		return "";
	return (const char *)b->data;
}

char *
buf_steal(struct buf *b, size_t *len_r)
{
	char	*s;

	if (b->data == NULL) {
		if ((s = calloc(1, 1)) == NULL)
			fatal("buf_steal: out of memory");
	} else
		s = (char *)b->data;
	if (len_r != NULL)
		*len_r = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return s;
}
