/*
 * section: parsing and formatting of section-spec (RFC 9051 6.4.5 and
 * section 9):
 *
 *   section-spec    = section-msgtext / (section-part ["." section-text])
 *   section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list /
 *                     "TEXT"
 *   section-part    = nz-number *("." nz-number)
 *   section-text    = section-msgtext / "MIME"
 *   header-list     = "(" header-fld-name *(SP header-fld-name) ")"
 *   header-fld-name = astring
 *   section-binary  = "[" [section-part] "]"
 *
 * Keywords are case-insensitive. Field names must be printable US-ASCII
 * (RFC 5322 2.2 field names are); they are stored as given.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/buf.h"
#include "lib/log.h"
#include "lib/section.h"

struct section_in {
	const char	*s;
	size_t		 len;
	size_t		 pos;
};

static bool	 section_kw(struct section_in *, const char *);
static int	 section_parts(struct section_in *, struct section *,
		    const char **);
static int	 section_text(struct section_in *, struct section *, bool,
		    const char **);
static int	 section_fields(struct section_in *, struct section *,
		    const char **);
static int	 section_astring(struct section_in *, struct buf *,
		    const char **);
static void	 section_add_field(struct section *, struct buf *);
static bool	 section_atom_char(unsigned char);
static int	 section_put_name(struct buf *, const char *);

/* Consume keyword kw (case-insensitive) if it is next. */
static bool
section_kw(struct section_in *in, const char *kw)
{
	size_t	 n = strlen(kw);

	if (in->len - in->pos < n || strncasecmp(in->s + in->pos, kw, n) != 0)
		return false;
	in->pos += n;
	return true;
}

/* RFC 9051 9: nz-number = digit-nz *DIGIT, a 32-bit value */
static int
section_parts(struct section_in *in, struct section *sec, const char **err)
{
	uint64_t	 v;

	for (;;) {
		if (in->s[in->pos] < '1' || in->s[in->pos] > '9') {
			*err = "invalid part number";
			return -1;
		}
		for (v = 0; in->pos < in->len && isdigit((unsigned char)
		    in->s[in->pos]); in->pos++) {
			v = v * 10 + (uint64_t)(in->s[in->pos] - '0');
			if (v > UINT32_MAX) {
				*err = "part number too large";
				return -1;
			}
		}
		if (sec->nparts == SECTION_MAX_DEPTH) {
			*err = "section nested too deeply";
			return -1;
		}
		sec->part[sec->nparts++] = (uint32_t)v;
		if (in->pos == in->len)
			return 0;
		if (in->s[in->pos] != '.') {
			*err = "invalid section";
			return -1;
		}
		in->pos++;
		if (in->pos == in->len ||
		    !isdigit((unsigned char)in->s[in->pos]))
			return 0;	/* section-text follows */
	}
}

static bool
section_atom_char(unsigned char c)
{
	/* ASTRING-CHAR without "]", which would end the section */
	return c > 0x20 && c < 0x7f && strchr("(){%*\"\\]", c) == NULL;
}

/* astring: atom, quoted string or literal "{n}" CRLF n*CHAR8 */
static int
section_astring(struct section_in *in, struct buf *b, const char **err)
{
	const char	*s = in->s;
	size_t		 n = 0;

	if (s[in->pos] == '"') {
		for (in->pos++; in->pos < in->len && s[in->pos] != '"';
		    in->pos++) {
			if (s[in->pos] == '\\' && in->pos + 1 < in->len)
				in->pos++;
			(void)buf_putc(b, (unsigned char)s[in->pos]);
		}
		if (in->pos == in->len) {
			*err = "unterminated quoted string";
			return -1;
		}
		in->pos++;
	} else if (s[in->pos] == '{') {
		for (in->pos++; in->pos < in->len && isdigit((unsigned char)
		    s[in->pos]) && n <= in->len; in->pos++)
			n = n * 10 + (size_t)(s[in->pos] - '0');
		if (in->pos < in->len && s[in->pos] == '+')
			in->pos++;
		if (!section_kw(in, "}\r\n") || n > in->len - in->pos) {
			*err = "invalid literal";
			return -1;
		}
		(void)buf_append(b, s + in->pos, n);
		in->pos += n;
	} else {
		while (in->pos < in->len &&
		    section_atom_char((unsigned char)s[in->pos]))
			(void)buf_putc(b, (unsigned char)s[in->pos++]);
	}
	return 0;
}

static void
section_add_field(struct section *sec, struct buf *b)
{
	char	**nv;

	nv = reallocarray(sec->fields, sec->nfields + 1, sizeof(*nv));
	if (nv == NULL)
		fatal("section: out of memory");
	sec->fields = nv;
	if ((sec->fields[sec->nfields] = buf_steal(b, NULL)) == NULL)
		fatal("section: out of memory");
	sec->nfields++;
}

/* SP header-list, up to the end of the input */
static int
section_fields(struct section_in *in, struct section *sec, const char **err)
{
	struct buf	 b;
	size_t		 i;
	int		 rc = -1;

	buf_init(&b, in->len);
	if (!section_kw(in, " (")) {
		*err = "header list expected";
		goto out;
	}
	for (;;) {
		while (in->pos < in->len && in->s[in->pos] == ' ')
			in->pos++;
		if (in->pos == in->len) {
			*err = "unterminated header list";
			goto out;
		}
		if (in->s[in->pos] == ')')
			break;
		buf_reset(&b);
		if (section_astring(in, &b, err) == -1)
			goto out;
		if (buf_len(&b) == 0) {
			*err = "invalid header field name";
			goto out;
		}
		for (i = 0; i < buf_len(&b); i++) {
			if (b.data[i] < 0x20 || b.data[i] > 0x7e) {
				*err = "invalid header field name";
				goto out;
			}
		}
		section_add_field(sec, &b);
		if (in->pos < in->len && in->s[in->pos] != ' ' &&
		    in->s[in->pos] != ')') {
			*err = "invalid header list";
			goto out;
		}
	}
	in->pos++;
	if (sec->nfields == 0) {
		*err = "empty header list";
		goto out;
	}
	rc = 0;
out:
	buf_release(&b);
	return rc;
}

/* section-msgtext, or section-text when after_part */
static int
section_text(struct section_in *in, struct section *sec, bool after_part,
    const char **err)
{
	if (section_kw(in, "HEADER.FIELDS.NOT")) {
		sec->kind = SECTION_HEADER_FIELDS_NOT;
		if (section_fields(in, sec, err) == -1)
			return -1;
	} else if (section_kw(in, "HEADER.FIELDS")) {
		sec->kind = SECTION_HEADER_FIELDS;
		if (section_fields(in, sec, err) == -1)
			return -1;
	} else if (section_kw(in, "HEADER"))
		sec->kind = SECTION_HEADER;
	else if (section_kw(in, "TEXT"))
		sec->kind = SECTION_TEXT;
	else if (after_part && section_kw(in, "MIME"))
		sec->kind = SECTION_MIME;
	else {
		*err = "invalid section";
		return -1;
	}
	if (in->pos != in->len) {
		*err = "junk after section";
		return -1;
	}
	return 0;
}

int
section_parse(const char *s, size_t len, bool binary, struct section *sec_r,
    const char **err_r)
{
	struct section_in	 in = { s, len, 0 };
	const char		*err = "invalid section";

	memset(sec_r, 0, sizeof(*sec_r));
	sec_r->kind = SECTION_ALL;
	if (len == 0)
		return 0;
	if (isdigit((unsigned char)s[0])) {
		if (section_parts(&in, sec_r, &err) == -1)
			goto fail;
		if (in.pos == in.len && s[in.pos - 1] != '.')
			return 0;
		if (binary) {
			err = "BINARY takes only a part number";
			goto fail;
		}
		if (in.pos == in.len) {
			err = "section ends in \".\"";
			goto fail;
		}
	} else if (binary) {
		err = "BINARY takes only a part number";
		goto fail;
	}
	if (section_text(&in, sec_r, sec_r->nparts > 0, &err) == -1)
		goto fail;
	return 0;
fail:
	section_clear(sec_r);
	*err_r = err;
	return -1;
}

void
section_clear(struct section *sec)
{
	size_t	 i;

	for (i = 0; i < sec->nfields; i++)
		free(sec->fields[i]);
	free(sec->fields);
	sec->fields = NULL;
	sec->nfields = 0;
}

int
section_copy(struct section *dst, const struct section *src)
{
	size_t	 i;

	*dst = *src;
	dst->fields = NULL;
	dst->nfields = 0;
	if (src->nfields == 0)
		return 0;
	if ((dst->fields = calloc(src->nfields, sizeof(*dst->fields))) ==
	    NULL)
		return -1;
	for (i = 0; i < src->nfields; i++) {
		if ((dst->fields[i] = strdup(src->fields[i])) == NULL) {
			dst->nfields = i;
			section_clear(dst);
			return -1;
		}
	}
	dst->nfields = src->nfields;
	return 0;
}

/* A field name, upper-cased: an atom when possible, else quoted. */
static int
section_put_name(struct buf *b, const char *name)
{
	const unsigned char	*p;
	bool			 atom = true;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (!section_atom_char(*p))
			atom = false;
	if (!atom && buf_putc(b, '"') == -1)
		return -1;
	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if (!atom && (*p == '"' || *p == '\\') &&
		    buf_putc(b, '\\') == -1)
			return -1;
		if (buf_putc(b, toupper(*p)) == -1)
			return -1;
	}
	return atom ? 0 : buf_putc(b, '"');
}

int
section_format(struct buf *b, const struct section *sec)
{
	static const char *const kw[] = {
		[SECTION_ALL] = "",
		[SECTION_HEADER] = "HEADER",
		[SECTION_HEADER_FIELDS] = "HEADER.FIELDS",
		[SECTION_HEADER_FIELDS_NOT] = "HEADER.FIELDS.NOT",
		[SECTION_TEXT] = "TEXT",
		[SECTION_MIME] = "MIME"
	};
	size_t	 i, start = buf_len(b);

	for (i = 0; i < sec->nparts; i++)
		if (buf_printf(b, i == 0 ? "%u" : ".%u",
		    (unsigned int)sec->part[i]) == -1)
			goto full;
	if (sec->kind != SECTION_ALL &&
	    buf_printf(b, "%s%s", sec->nparts > 0 ? "." : "",
	    kw[sec->kind]) == -1)
		goto full;
	if (sec->kind == SECTION_HEADER_FIELDS ||
	    sec->kind == SECTION_HEADER_FIELDS_NOT) {
		if (buf_puts(b, " (") == -1)
			goto full;
		for (i = 0; i < sec->nfields; i++)
			if ((i > 0 && buf_putc(b, ' ') == -1) ||
			    section_put_name(b, sec->fields[i]) == -1)
				goto full;
		if (buf_putc(b, ')') == -1)
			goto full;
	}
	return 0;
full:
	buf_truncate(b, start);
	return -1;
}
