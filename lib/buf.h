/*
 * buf: a growable byte buffer with a hard maximum.
 *
 * Data is counted (may hold NULs); buf_cstr() also keeps a NUL after the
 * data so text can be used as a C string. Pointers returned by buf_data()
 * and buf_cstr() are borrowed: valid until the next change to the buffer.
 * A "sensitive" buffer (passwords, SASL data) is wiped whenever memory is
 * released or reused.
 */
#ifndef LIB_BUF_H
#define LIB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	unsigned char	*data;
	size_t		 len;
	size_t		 cap;
	size_t		 max;		/* hard limit on len */
	int		 sensitive;
};

/* Allocate a buffer that may grow up to max bytes. Never returns NULL. */
struct buf	*buf_new(size_t max);
/* Initialise an embedded buffer (no allocation until first append). */
void		 buf_init(struct buf *, size_t max);
/* Release memory of an embedded buffer (wipes it if sensitive). */
void		 buf_release(struct buf *);
/* Free a buffer from buf_new and set *bp to NULL; NULL is allowed. */
void		 buf_free(struct buf **bp);
void		 buf_set_sensitive(struct buf *);

/* Each append returns 0, or -1 (and leaves the buffer unchanged) if the
 * result would exceed the maximum. */
int		 buf_append(struct buf *, const void *, size_t);
int		 buf_puts(struct buf *, const char *);
int		 buf_putc(struct buf *, int);
int		 buf_printf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int		 buf_vprintf(struct buf *, const char *, va_list);

void		 buf_reset(struct buf *);
/* Remove the first n bytes (n <= len). */
void		 buf_consume(struct buf *, size_t n);
/* Shorten to n bytes (n <= len). */
void		 buf_truncate(struct buf *, size_t n);

/* Never NULL, even before the first append (memcpy/memcmp need that). */
static inline const unsigned char *
buf_data(const struct buf *b)
{
	return b->data != NULL ? b->data : (const unsigned char *)"";
}
static inline size_t
buf_len(const struct buf *b) { return b->len; }
/* NUL-terminated view of the contents (borrowed). */
const char	*buf_cstr(struct buf *);
/* Take ownership of the contents as a malloc'd NUL-terminated string;
 * the buffer is left empty. *len_r (may be NULL) gets the length. */
char		*buf_steal(struct buf *, size_t *len_r);

#endif
