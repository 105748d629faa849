/*
 * mime_2047: decoding of RFC 2047 encoded words in header values, for
 * SEARCH (ENVELOPE and BODYSTRUCTURE leave them as they are).
 *
 * Adjacent encoded words in the same charset are decoded together before
 * charset conversion, so a multi-byte character split between two words
 * (which many encoders produce) comes out whole. Encoded words are found
 * anywhere, not only between blanks: real mail needs that leniency.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "lib/base64.h"
#include "lib/buf.h"
#include "lib/charset.h"
#include "lib/mime_int.h"
#include "lib/qp.h"

struct mime_ew {
	const char	*cs;		/* charset (may end in *language) */
	size_t		 cslen;
	char		 enc;		/* 'B' or 'Q' */
	const char	*text;
	size_t		 text_len;
	size_t		 len;		/* whole word "=?...?=" */
};

struct mime_ew_state {
	struct buf	*out;
	struct buf	 pend;		/* decoded, not yet converted */
	const char	*cs;
	size_t		 cslen;
	int		 full;
};

static bool	 mime_ew_parse(const char *, size_t, size_t, size_t *,
		    struct mime_ew *);
static bool	 mime_ew_same_cs(const char *, size_t, const char *, size_t);
static void	 mime_ew_flush(struct mime_ew_state *);
static bool	 mime_all_wsp(const char *, size_t);

/*
 * RFC 2047 2: encoded-word = "=?" charset "?" encoding "?" encoded-text
 * "?=" with no blanks inside; s[at] starts with "=?". *dead is where a
 * failed search for "?=" stopped (a blank or the end): a word whose text
 * starts before it cannot end either, which keeps the whole scan linear.
 */
static bool
mime_ew_parse(const char *s, size_t n, size_t at, size_t *dead,
    struct mime_ew *ew)
{
	size_t	 i = at + 2, lim;

	ew->cs = s + i;
	lim = n - i > CHARSET_NAME_MAX + 1 ? i + CHARSET_NAME_MAX + 1 : n;
	while (i < lim && s[i] != '?' && s[i] != ' ' && s[i] != '\t')
		i++;
	ew->cslen = (size_t)(s + i - ew->cs);
	if (i >= lim || s[i] != '?' || ew->cslen == 0)
		return false;
	i++;
	if (i + 1 >= n || s[i + 1] != '?')
		return false;
	if (s[i] == 'B' || s[i] == 'b')
		ew->enc = 'B';
	else if (s[i] == 'Q' || s[i] == 'q')
		ew->enc = 'Q';
	else
		return false;
	i += 2;
	if (i < *dead)
		return false;
	ew->text = s + i;
	while (i + 1 < n && !(s[i] == '?' && s[i + 1] == '=')) {
		if (s[i] == ' ' || s[i] == '\t')
			break;
		i++;
	}
	if (i + 1 >= n || s[i] != '?') {
		*dead = i + 1;
		return false;
	}
	ew->text_len = (size_t)(s + i - ew->text);
	ew->len = i + 2 - at;
	return true;
}

static bool
mime_ew_same_cs(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && strncasecmp(a, b, alen) == 0;
}

static bool
mime_all_wsp(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Convert what the pending encoded words decoded to and append it. */
static void
mime_ew_flush(struct mime_ew_state *st)
{
	if (buf_len(&st->pend) > 0 && !st->full &&
	    charset_to_utf8(st->out, st->cs, st->cslen,
	    (const char *)buf_data(&st->pend), buf_len(&st->pend)) == -1)
		st->full = 1;
	buf_reset(&st->pend);
	st->cs = NULL;
	st->cslen = 0;
}

int
mime_decode_2047(struct buf *out, const char *v, size_t len)
{
	struct mime_ew_state	 st;
	struct mime_ew		 ew;
	struct buf		 unf;
	const char		*s;
	size_t			 n, i = 0, run = 0, dead = 0;
	bool			 after_ew = false;

	buf_init(&unf, len + 1);
	(void)mime_unfold(&unf, v, len);
	s = (const char *)buf_data(&unf);
	n = buf_len(&unf);
	memset(&st, 0, sizeof(st));
	st.out = out;
	buf_init(&st.pend, n + 1);
	while (i < n && !st.full) {
		if (s[i] != '=' || i + 1 >= n || s[i + 1] != '?' ||
		    !mime_ew_parse(s, n, i, &dead, &ew)) {
			i++;
			continue;
		}
		/* RFC 2047 6.2: blanks between encoded words vanish */
		if (!after_ew || !mime_all_wsp(s + run, i - run)) {
			mime_ew_flush(&st);
			if (i > run && buf_append(out, s + run, i - run) == -1)
				st.full = 1;
		}
		if (st.cs != NULL &&
		    !mime_ew_same_cs(st.cs, st.cslen, ew.cs, ew.cslen))
			mime_ew_flush(&st);
		st.cs = ew.cs;
		st.cslen = ew.cslen;
		if (ew.enc == 'B')
			base64_decode_mime(&st.pend, ew.text, ew.text_len);
		else
			(void)qp_decode(&st.pend, ew.text, ew.text_len, true);
		i += ew.len;
		run = i;
		after_ew = true;
	}
	mime_ew_flush(&st);
	if (!st.full && n > run && buf_append(out, s + run, n - run) == -1)
		st.full = 1;
	buf_release(&st.pend);
	buf_release(&unf);
	return st.full ? -1 : 0;
}
