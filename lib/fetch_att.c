/*
 * fetch_att: FETCH items (RFC 9051 6.4.5 and section 9 fetch-att), the
 * ALL / FAST / FULL macros and the IMAP4rev1 RFC822 items.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fetch_att.h"
#include "lib/imap_parse.h"
#include "lib/section.h"

#define NUMBER64_MAX	((uint64_t)INT64_MAX)

/* Items without a section, by name. */
static const struct {
	const char		*name;
	enum fetch_att_type	 type;
} simple_items[] = {
	{ "FLAGS", FA_FLAGS },
	{ "UID", FA_UID },
	{ "INTERNALDATE", FA_INTERNALDATE },
	{ "RFC822.SIZE", FA_RFC822_SIZE },
	{ "ENVELOPE", FA_ENVELOPE },
	{ "BODY", FA_BODY },
	{ "BODYSTRUCTURE", FA_BODYSTRUCTURE },
	{ "RFC822", FA_RFC822 },
	{ "RFC822.HEADER", FA_RFC822_HEADER },
	{ "RFC822.TEXT", FA_RFC822_TEXT }
};

/* Items with a section: NAME "[" ... "]" */
static const struct {
	const char		*name;
	enum fetch_att_type	 type;
	bool			 peek;
	bool			 binary;
	bool			 partial_ok;
} section_items[] = {
	{ "BODY", FA_BODY_SECTION, false, false, true },
	{ "BODY.PEEK", FA_BODY_SECTION, true, false, true },
	{ "BINARY", FA_BINARY, false, true, true },
	{ "BINARY.PEEK", FA_BINARY, true, true, true },
	{ "BINARY.SIZE", FA_BINARY_SIZE, true, true, false }
};

/* RFC 9051 6.4.5 macros: only on their own, never inside a list */
static const enum fetch_att_type macro_fast[] = {
	FA_FLAGS, FA_INTERNALDATE, FA_RFC822_SIZE
};
static const enum fetch_att_type macro_all[] = {
	FA_FLAGS, FA_INTERNALDATE, FA_RFC822_SIZE, FA_ENVELOPE
};
static const enum fetch_att_type macro_full[] = {
	FA_FLAGS, FA_INTERNALDATE, FA_RFC822_SIZE, FA_ENVELOPE, FA_BODY
};

static bool	 name_eq(const char *, size_t, const char *);
static int	 fail_named(struct fetch_atts *, const char **, const char *,
		    const char *, size_t);
static size_t	 cap_for(size_t);
static struct fetch_att *append(struct fetch_atts *);
static void	 set_needs(struct fetch_atts *, const struct fetch_att *);
static bool	 parse_u64(const char *, size_t, bool, uint64_t *);
static bool	 parse_partial(const char *, size_t, struct fetch_att *);
static int	 parse_section_item(struct fetch_atts *, const char *, size_t,
		    size_t, const char **);
static int	 parse_item(struct fetch_atts *, const struct imap_arg *,
		    const char **);
static int	 add_macro(struct fetch_atts *, const struct imap_arg *,
		    bool *);

/* ASCII case-insensitive: s (len bytes) equals name */
static bool
name_eq(const char *s, size_t len, const char *name)
{
	size_t	 i;
	char	 c;

	if (strlen(name) != len)
		return false;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c != name[i])
			return false;
	}
	return true;
}

/*
 * "text: item" into r->errbuf, the item cut at 40 bytes and anything not
 * printable ASCII (bracket contents may hold literals) shown as "?".
 */
static int
fail_named(struct fetch_atts *r, const char **err_r, const char *text,
    const char *item, size_t len)
{
	char	 name[41];
	size_t	 i;

	if (len > sizeof(name) - 1)
		len = sizeof(name) - 1;
	for (i = 0; i < len; i++)
		name[i] = item[i] >= 0x20 && item[i] <= 0x7e ? item[i] : '?';
	name[len] = '\0';
	snprintf(r->errbuf, sizeof(r->errbuf), "%s: %s", text, name);
	*err_r = r->errbuf;
	return -1;
}

/* Allocated items for n in use: 0, or the next power of two >= max(n, 4) */
static size_t
cap_for(size_t n)
{
	size_t	 c = 4;

	if (n == 0)
		return 0;
	while (c < n)
		c *= 2;
	return c;
}

/* A new zeroed item at the end, or NULL (no memory). */
static struct fetch_att *
append(struct fetch_atts *r)
{
	struct fetch_att	*v;

	if (r->n == cap_for(r->n)) {
		v = reallocarray(r->v, cap_for(r->n + 1), sizeof(*v));
		if (v == NULL)
			return NULL;
		r->v = v;
	}
	v = &r->v[r->n++];
	memset(v, 0, sizeof(*v));
	v->section.kind = SECTION_ALL;
	return v;
}

static void
set_needs(struct fetch_atts *r, const struct fetch_att *a)
{
	switch (a->type) {
	case FA_FLAGS:
	case FA_UID:
	case FA_INTERNALDATE:
	case FA_RFC822_SIZE:
		return;
	case FA_ENVELOPE:
	case FA_BODY:
	case FA_BODYSTRUCTURE:
	case FA_BINARY:
	case FA_BINARY_SIZE:
		r->need_mime = true;
		break;
	case FA_BODY_SECTION:
		if (a->section.nparts > 0 || a->section.kind == SECTION_MIME)
			r->need_mime = true;
		break;
	case FA_RFC822:
	case FA_RFC822_HEADER:
	case FA_RFC822_TEXT:
		break;
	}
	r->need_body = true;
	/* RFC 9051 6.4.5: BODY[] and BINARY[] set \Seen, .PEEK does not;
	 * RFC 3501: RFC822 and RFC822.TEXT do too */
	if (!a->peek && (a->type == FA_BODY_SECTION || a->type == FA_BINARY ||
	    a->type == FA_RFC822 || a->type == FA_RFC822_TEXT))
		r->sets_seen = true;
}

/* Decimal number64 (RFC 9051 9: 63-bit); nz: no zero value allowed. */
static bool
parse_u64(const char *s, size_t len, bool nz, uint64_t *v_r)
{
	uint64_t	 v = 0;
	size_t		 i;
	unsigned	 d;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		d = (unsigned)(s[i] - '0');
		if (v > (NUMBER64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	/* nz-number64 = digit-nz *DIGIT */
	if (nz && s[0] == '0')
		return false;
	*v_r = v;
	return true;
}

/* partial = "<" number64 "." nz-number64 ">", given without the "<>" */
static bool
parse_partial(const char *s, size_t len, struct fetch_att *a)
{
	const char	*dot;

	if ((dot = memchr(s, '.', len)) == NULL)
		return false;
	if (!parse_u64(s, (size_t)(dot - s), false, &a->offset) ||
	    !parse_u64(dot + 1, len - (size_t)(dot - s) - 1, true, &a->count))
		return false;
	a->partial = true;
	return true;
}

/*
 * s[0..len) is a whole item, s[open] its first "[". The section ends at
 * the last "]", which must be the end of the item or be followed by the
 * partial ("<" digits "." digits ">", which holds no "]").
 */
static int
parse_section_item(struct fetch_atts *r, const char *s, size_t len,
    size_t open, const char **err_r)
{
	struct fetch_att	*a;
	const char		*serr = NULL;
	size_t			 i, close, plen = 0;
	bool			 found = false, partial = s[len - 1] == '>';

	for (i = 0; i < sizeof(section_items) / sizeof(section_items[0]); i++)
		if (name_eq(s, open, section_items[i].name)) {
			found = true;
			break;
		}
	if (!found)
		return fail_named(r, err_r, "Unknown fetch item", s, len);
	close = len - 1;
	if (partial) {
		while (close > open && s[close] != '<')
			close--;
		plen = len - close - 2;
		close--;
	}
	if (close <= open || s[close] != ']')
		return fail_named(r, err_r, "Invalid fetch item", s, len);
	if (partial && !section_items[i].partial_ok)
		return fail_named(r, err_r, "No partial allowed in", s, len);
	if ((a = append(r)) == NULL) {
		*err_r = "Out of memory";
		return -1;
	}
	a->type = section_items[i].type;
	a->peek = section_items[i].peek;
	if (partial && !parse_partial(s + close + 2, plen, a)) {
		r->n--;
		return fail_named(r, err_r, "Invalid partial in", s, len);
	}
	if (section_parse(s + open + 1, close - open - 1,
	    section_items[i].binary, &a->section, &serr) < 0) {
		r->n--;
		if (serr == NULL)
			serr = "Invalid section";
		return fail_named(r, err_r, serr, s, len);
	}
	set_needs(r, a);
	return 0;
}

static int
parse_item(struct fetch_atts *r, const struct imap_arg *arg,
    const char **err_r)
{
	const char	*s, *br;
	size_t		 i;

	if (!imap_arg_atom(arg, &s)) {
		*err_r = "Invalid fetch item";
		return -1;
	}
	if ((br = memchr(s, '[', arg->len)) != NULL)
		return parse_section_item(r, s, arg->len, (size_t)(br - s),
		    err_r);
	for (i = 0; i < sizeof(simple_items) / sizeof(simple_items[0]); i++)
		if (name_eq(s, arg->len, simple_items[i].name)) {
			if (fetch_atts_add(r, simple_items[i].type) < 0) {
				*err_r = "Out of memory";
				return -1;
			}
			return 0;
		}
	return fail_named(r, err_r, "Unknown fetch item", s, arg->len);
}

/* If arg is ALL, FAST or FULL add its items and set *done. */
static int
add_macro(struct fetch_atts *r, const struct imap_arg *arg, bool *done)
{
	const enum fetch_att_type *m;
	size_t			 n, i;

	*done = true;
	if (imap_arg_atom_is(arg, "ALL")) {
		m = macro_all;
		n = sizeof(macro_all) / sizeof(macro_all[0]);
	} else if (imap_arg_atom_is(arg, "FAST")) {
		m = macro_fast;
		n = sizeof(macro_fast) / sizeof(macro_fast[0]);
	} else if (imap_arg_atom_is(arg, "FULL")) {
		m = macro_full;
		n = sizeof(macro_full) / sizeof(macro_full[0]);
	} else {
		*done = false;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (fetch_atts_add(r, m[i]) < 0)
			return -1;
	return 0;
}

int
fetch_atts_parse(const struct imap_arg *arg, struct fetch_atts *r,
    const char **err_r)
{
	const struct imap_arg	*l;
	size_t			 n, i;
	bool			 done;

	memset(r, 0, sizeof(*r));
	if (arg == NULL) {
		*err_r = "Missing fetch items";
		return -1;
	}
	if (imap_arg_list(arg, &l, &n)) {
		if (n == 0) {
			*err_r = "Empty fetch item list";
			return -1;
		}
		for (i = 0; i < n; i++)
			if (parse_item(r, &l[i], err_r) < 0)
				goto fail;
		return 0;
	}
	if (add_macro(r, arg, &done) < 0) {
		*err_r = "Out of memory";
		goto fail;
	}
	if (done || parse_item(r, arg, err_r) == 0)
		return 0;
fail:
	fetch_atts_clear(r);
	return -1;
}

int
fetch_atts_add(struct fetch_atts *r, enum fetch_att_type type)
{
	struct fetch_att	 t, *a, *v;
	size_t			 i;

	memset(&t, 0, sizeof(t));
	t.type = type;
	t.section.kind = SECTION_ALL;
	/* RFC 3501 6.4.5: RFC822.HEADER is BODY.PEEK[HEADER] */
	if (type == FA_RFC822_HEADER) {
		t.peek = true;
		t.section.kind = SECTION_HEADER;
	} else if (type == FA_RFC822_TEXT)
		t.section.kind = SECTION_TEXT;
	else if (type == FA_BINARY_SIZE)
		t.peek = true;
	/* already there in this very form? */
	for (i = 0; i < r->n; i++) {
		v = &r->v[i];
		if (v->type == type && v->peek == t.peek && !v->partial &&
		    v->section.kind == t.section.kind &&
		    v->section.nparts == 0)
			return 0;
	}
	if ((a = append(r)) == NULL)
		return -1;
	*a = t;
	set_needs(r, a);
	return 0;
}

void
fetch_atts_clear(struct fetch_atts *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		section_clear(&r->v[i].section);
	free(r->v);
	r->v = NULL;
	r->n = 0;
	r->need_body = r->need_mime = r->sets_seen = false;
}
