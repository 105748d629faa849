/*
 * mime: RFC 5322 / 2045 / 2046 / 2047 / 2231 message structure for IMAP:
 * ENVELOPE, BODY / BODYSTRUCTURE, BODY[section] extraction, BINARY
 * decoding, and header/text matching for SEARCH.
 *
 * The message text is CRLF-terminated (as served to clients). Parsing never
 * fails: malformed input still yields a sensible structure (text/plain
 * defaults, unterminated multiparts end at end of data, depth limited).
 */
#ifndef LIB_MIME_H
#define LIB_MIME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "lib/buf.h"
#include "lib/section.h"

struct mime_msg;

/* Parse data[0..len). data is borrowed and must outlive the result. */
struct mime_msg	*mime_parse(const char *data, size_t len);
void		 mime_free(struct mime_msg **);

/* ENVELOPE value "(date subject from sender reply-to to cc bcc in-reply-to
 * message-id)" of the top-level message, RFC 9051 7.5.2. Encoded words are
 * left as they are. 0, or -1 if out is full. */
int	 mime_write_envelope(struct buf *out, const struct mime_msg *);
/* BODYSTRUCTURE (extensible = true) or BODY (false) value. */
int	 mime_write_bodystructure(struct buf *out, const struct mime_msg *,
	    bool extensible);

enum mime_section_status {
	MIME_SECTION_OK = 0,
	MIME_SECTION_NONE = -1,		/* no such part: answer with "" */
	MIME_SECTION_UNKNOWN_CTE = -2,	/* BINARY: NO [UNKNOWN-CTE] */
	MIME_SECTION_FULL = -3		/* tmp buffer limit reached */
};

/*
 * BODY[section] contents (without partial). The result points into the
 * message data or into tmp (which is reset first). Returns a
 * mime_section_status.
 */
int	 mime_get_section(const struct mime_msg *, const struct section *,
	    struct buf *tmp, const char **p_r, size_t *len_r);
/* BINARY[section]: the part body with its Content-Transfer-Encoding
 * (base64, quoted-printable, 7bit, 8bit, binary) removed. Same returns.
 * A part that is not a leaf (multipart, message/rfc822) comes back as it
 * is; BINARY[] of a single-part message is its header, with the
 * Content-Transfer-Encoding field changed to "binary", and the decoded
 * body (as Dovecot does). */
int	 mime_get_binary(const struct mime_msg *, const struct section *,
	    struct buf *tmp, const char **p_r, size_t *len_r);

/* Date: header of the top-level message. false if absent or unparsable. */
bool	 mime_sent_date(const struct mime_msg *, time_t *t_r, int *tz_r);
/*
 * SEARCH matching (RFC 9051 6.4.4), case-insensitive substring on UTF-8:
 * header: any field named field (case-insensitive) whose value, unfolded
 * and with RFC 2047 encoded words decoded to UTF-8, contains needle; an
 * empty needle matches any message that has the field.
 * body: the decoded text of the body (transfer encoding removed, text parts
 * converted from their charset to UTF-8).
 * text: header or body.
 */
bool	 mime_header_contains(const struct mime_msg *, const char *field,
	    const char *needle, size_t nlen);
bool	 mime_body_contains(const struct mime_msg *, const char *needle,
	    size_t nlen);
bool	 mime_text_contains(const struct mime_msg *, const char *needle,
	    size_t nlen);

#endif
