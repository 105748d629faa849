/*
 * mime_envelope: the ENVELOPE structure (RFC 9051 7.5.2) and the sent
 * date of a message.
 *
 * Choices where RFC 9051 leaves room (Dovecot's behaviour unless noted):
 *   - date, subject, in-reply-to, message-id: the value unfolded (RFC
 *     5322 2.2.3: line breaks removed, the blanks after them kept), with
 *     leading blanks cut and encoded words left as they are; a field that
 *     is present but empty gives "", an absent one NIL;
 *   - a field given more than once: the last one counts, except that the
 *     addresses of all From (To, Cc, ...) fields are joined;
 *   - sender and reply-to fall back to from when absent or holding no
 *     address (RFC 9051 7.5.2).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/buf.h"
#include "lib/imap_date.h"
#include "lib/imap_write.h"
#include "lib/log.h"
#include "lib/mime.h"
#include "lib/mime_int.h"

enum mime_env_addr {
	ENV_FROM,
	ENV_SENDER,
	ENV_REPLY_TO,
	ENV_TO,
	ENV_CC,
	ENV_BCC,
	ENV_NADDR
};

static const char *const mime_env_addr_names[ENV_NADDR] = {
	"From", "Sender", "Reply-To", "To", "Cc", "Bcc"
};

static int	 mime_env_addrs(struct buf *, const char *, size_t);

int
mime_write_nstring(struct buf *out, const char *s, size_t len)
{
	char	*copy;
	size_t	 i;
	int	 rc;

	if (s == NULL || memchr(s, '\0', len) == NULL)
		return imw_nstring(out, s, len);
	if ((copy = malloc(len)) == NULL)
		fatal("mime: out of memory");
	for (i = 0; i < len; i++)
		copy[i] = s[i] == '\0' ? (char)0x80 : s[i];
	rc = imw_string(out, copy, len);
	free(copy);
	return rc;
}

int
mime_write_field(struct buf *out, const char *hdr, size_t len,
    const char *name, enum mime_field_use use)
{
	struct mime_field	 f;
	struct buf		 v;
	size_t			 n;
	int			 rc;

	if (!(use == MIME_FIELD_MIME ? mime_field_first(hdr, len, name, &f) :
	    mime_field_last(hdr, len, name, &f)))
		return buf_puts(out, "NIL");
	buf_init(&v, f.value_len + 1);
	(void)mime_unfold(&v, f.value, f.value_len);
	n = buf_len(&v);
	if (use == MIME_FIELD_MIME)
		while (n > 0 && (v.data[n - 1] == ' ' || v.data[n - 1] == '\t'))
			n--;
	rc = mime_write_nstring(out, n > 0 ? (const char *)v.data : "", n);
	buf_release(&v);
	return rc;
}

/*
 * The addresses of every field called name, in order; sender and
 * reply-to get from's when they have none.
 */
static int
mime_env_addrs(struct buf *out, const char *hdr, size_t len)
{
	struct mime_addrs	 as[ENV_NADDR];
	struct mime_field	 f;
	size_t			 pos = 0, i;
	int			 rc = 0;

	memset(as, 0, sizeof(as));
	while (mime_field_next(hdr, len, &pos, &f)) {
		for (i = 0; i < ENV_NADDR; i++)
			if (mime_field_is(&f, mime_env_addr_names[i]))
				mime_addrs_parse(&as[i], f.value, f.value_len);
	}
	for (i = 0; i < ENV_NADDR && rc == 0; i++) {
		if (buf_putc(out, ' ') == -1)
			rc = -1;
		else if ((i == ENV_SENDER || i == ENV_REPLY_TO) &&
		    as[i].n == 0)
			rc = mime_addrs_write(out, &as[ENV_FROM]);
		else
			rc = mime_addrs_write(out, &as[i]);
	}
	for (i = 0; i < ENV_NADDR; i++)
		mime_addrs_clear(&as[i]);
	return rc;
}

int
mime_write_envelope_hdr(struct buf *out, const char *hdr, size_t len)
{
	const enum mime_field_use	 env = MIME_FIELD_ENVELOPE;
	size_t				 start = buf_len(out);

	if (buf_putc(out, '(') == -1 ||
	    mime_write_field(out, hdr, len, "Date", env) == -1 ||
	    buf_putc(out, ' ') == -1 ||
	    mime_write_field(out, hdr, len, "Subject", env) == -1 ||
	    mime_env_addrs(out, hdr, len) == -1 ||
	    buf_putc(out, ' ') == -1 ||
	    mime_write_field(out, hdr, len, "In-Reply-To", env) == -1 ||
	    buf_putc(out, ' ') == -1 ||
	    mime_write_field(out, hdr, len, "Message-ID", env) == -1 ||
	    buf_putc(out, ')') == -1) {
		buf_truncate(out, start);
		return -1;
	}
	return 0;
}

int
mime_write_envelope(struct buf *out, const struct mime_msg *msg)
{
	const struct mime_part	*root = msg->root;

	return mime_write_envelope_hdr(out, mime_part_hdr(msg, root),
	    root->hdr_len);
}

bool
mime_sent_date(const struct mime_msg *msg, time_t *t_r, int *tz_r)
{
	const struct mime_part	*root = msg->root;
	struct mime_field	 f;
	struct buf		 v;
	bool			 ok;

	if (!mime_field_last(mime_part_hdr(msg, root), root->hdr_len, "Date",
	    &f))
		return false;
	buf_init(&v, f.value_len + 1);
	(void)mime_unfold(&v, f.value, f.value_len);
	ok = buf_len(&v) > 0 &&
	    rfc5322_date_parse((const char *)buf_data(&v), buf_len(&v), t_r,
	    tz_r);
	buf_release(&v);
	return ok;
}
