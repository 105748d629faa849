/*
 * section: the section-spec of BODY[...] / BINARY[...] (RFC 9051 6.4.5):
 * a part path "1.2.3" optionally followed by HEADER, HEADER.FIELDS (list),
 * HEADER.FIELDS.NOT (list), TEXT or MIME.
 */
#ifndef LIB_SECTION_H
#define LIB_SECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

#define SECTION_MAX_DEPTH	32

enum section_kind {
	SECTION_ALL,		/* "" or "1.2": the whole message / the part */
	SECTION_HEADER,
	SECTION_HEADER_FIELDS,
	SECTION_HEADER_FIELDS_NOT,
	SECTION_TEXT,
	SECTION_MIME		/* only after a part number */
};

struct section {
	uint32_t		 part[SECTION_MAX_DEPTH];
	size_t			 nparts;
	enum section_kind	 kind;
	char			**fields;	/* HEADER.FIELDS(.NOT) names */
	size_t			 nfields;
};

/*
 * Parse the text between "[" and "]" (s, len), e.g. "1.2.HEADER.FIELDS
 * (From To)". Field names are astrings (atom, quoted or literal... in
 * practice atoms or quoted). binary: BINARY[] allows only a part path.
 * Returns 0, or -1 with *err_r set to a static reason.
 */
int	 section_parse(const char *s, size_t len, bool binary,
	    struct section *sec_r, const char **err_r);
void	 section_clear(struct section *);
int	 section_copy(struct section *dst, const struct section *src);
/* Canonical text for the response label, e.g. "1.2.HEADER.FIELDS (FROM TO)"
 * (keywords and field names upper-cased). 0 or -1 (buf full). */
int	 section_format(struct buf *, const struct section *);

#endif
