/*
 * mime_header: header fields of a message or body part (RFC 5322 2.2):
 * iterating fields with their continuation lines, lookup by name and
 * unfolding.
 *
 * Line breaks are CRLF, but a bare LF is accepted everywhere.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/mime_int.h"

static size_t	 mime_line_next(const char *, size_t, size_t);
static bool	 mime_line_empty(const char *, size_t, size_t);

/* Offset just past the line starting at p (past its LF, or len). */
static size_t
mime_line_next(const char *h, size_t len, size_t p)
{
	const char	*nl;

	if (p >= len)
		return len;
	nl = memchr(h + p, '\n', len - p);
	return nl == NULL ? len : (size_t)(nl - h) + 1;
}

/* RFC 5322 2.1: the header ends at the first empty line. A lone CR at
 * the very end counts as one too (a truncated CRLF). */
static bool
mime_line_empty(const char *h, size_t len, size_t p)
{
	if (h[p] == '\n')
		return true;
	return h[p] == '\r' && (p + 1 == len || h[p + 1] == '\n');
}

bool
mime_field_next(const char *h, size_t len, size_t *pos, struct mime_field *f)
{
	size_t		 p = *pos, start, first_end, next, end;
	const char	*colon;

	while (p < len) {
		if (mime_line_empty(h, len, p))
			break;
		start = p;
		first_end = mime_line_next(h, len, p);
		next = first_end;
		/* RFC 5322 2.2.3: a line starting with WSP continues the
		 * field above */
		while (next < len && (h[next] == ' ' || h[next] == '\t'))
			next = mime_line_next(h, len, next);
		p = next;
		/* a continuation with no field to continue, or no colon:
		 * not a field (RFC 5322 2.2 requires the colon) */
		if (h[start] == ' ' || h[start] == '\t')
			continue;
		colon = memchr(h + start, ':', first_end - start);
		if (colon == NULL || colon == h + start)
			continue;
		end = next;
		if (end > start && h[end - 1] == '\n')
			end--;
		if (end > start && h[end - 1] == '\r')
			end--;
		f->name = h + start;
		f->name_len = (size_t)(colon - f->name);
		/* RFC 5322 4.5: obsolete white space before the colon */
		while (f->name_len > 0 && (f->name[f->name_len - 1] == ' ' ||
		    f->name[f->name_len - 1] == '\t'))
			f->name_len--;
		if (f->name_len == 0)
			continue;
		f->value = colon + 1;
		f->value_len = end - (size_t)(colon + 1 - h);
		f->raw = h + start;
		f->raw_len = next - start;
		*pos = p;
		return true;
	}
	*pos = len;
	return false;
}

bool
mime_field_is(const struct mime_field *f, const char *name)
{
	size_t	 n = strlen(name);

	return f->name_len == n && strncasecmp(f->name, name, n) == 0;
}

bool
mime_field_first(const char *hdr, size_t len, const char *name,
    struct mime_field *f_r)
{
	size_t	 pos = 0;

	while (mime_field_next(hdr, len, &pos, f_r))
		if (mime_field_is(f_r, name))
			return true;
	return false;
}

bool
mime_field_last(const char *hdr, size_t len, const char *name,
    struct mime_field *f_r)
{
	struct mime_field	 f;
	size_t			 pos = 0;
	bool			 found = false;

	while (mime_field_next(hdr, len, &pos, &f)) {
		if (mime_field_is(&f, name)) {
			*f_r = f;
			found = true;
		}
	}
	return found;
}

int
mime_unfold(struct buf *out, const char *v, size_t len)
{
	size_t	 i = 0, run;

	while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' ||
	    v[i] == '\n'))
		i++;
	for (; i < len; i += run) {
		if (v[i] == '\r' || v[i] == '\n') {
			run = 1;
			continue;
		}
		for (run = 0; i + run < len && v[i + run] != '\r' &&
		    v[i + run] != '\n'; run++)
			;
		if (buf_append(out, v + i, run) == -1)
			return -1;
	}
	return 0;
}
