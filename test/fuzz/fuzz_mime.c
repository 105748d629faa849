/*
 * Fuzz target: the mime module. Any input is parsed as a message; its
 * ENVELOPE, BODYSTRUCTURE and BODY must follow the RFC 9051 grammar
 * (test/unit/mime_grammar.h), every BODY[section] and BINARY[section]
 * of a set of sections must stay inside the message or the tmp buffer,
 * and search must not crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/mime.h"
#include "lib/section.h"
#include "test/unit/mime_grammar.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_sections[] = {
	"", "HEADER", "TEXT", "HEADER.FIELDS (From Subject)",
	"HEADER.FIELDS.NOT (Content-Type)", "1", "2", "3", "1.1", "1.2",
	"2.1", "2.2", "1.1.1", "1.MIME", "2.MIME", "1.1.MIME", "1.HEADER",
	"2.HEADER", "2.TEXT", "2.1.HEADER.FIELDS (To)", "1.2.3.4",
};

static void
fuzz_sections_of(const struct mime_msg *m, const char *data, size_t len,
    struct buf *tmp)
{
	struct section	 sec;
	const char	*err, *p;
	size_t		 i, plen;
	int		 rc;

	for (i = 0; i < sizeof(fuzz_sections) / sizeof(fuzz_sections[0]);
	    i++) {
		if (section_parse(fuzz_sections[i], strlen(fuzz_sections[i]),
		    false, &sec, &err) != 0)
			abort();
		rc = mime_get_section(m, &sec, tmp, &p, &plen);
		if (rc == MIME_SECTION_OK && plen > 0 &&
		    !(p >= data && p + plen <= data + len) &&
		    (const unsigned char *)p != buf_data(tmp))
			abort();
		if (sec.kind == SECTION_ALL) {
			rc = mime_get_binary(m, &sec, tmp, &p, &plen);
			if (rc == MIME_SECTION_OK && plen > buf_len(tmp) &&
			    !(p >= data && p + plen <= data + len))
				abort();
		}
		section_clear(&sec);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*d = (const char *)data;
	struct mime_msg	*m;
	struct buf	*out, *tmp;

	m = mime_parse(d, len);
	out = buf_new(64 * 1024 * 1024);
	tmp = buf_new(4 * len + 1024);
	if (mime_write_envelope(out, m) != 0 ||
	    !mime_grammar_envelope((const char *)buf_data(out), buf_len(out)))
		abort();
	buf_reset(out);
	if (mime_write_bodystructure(out, m, true) != 0 ||
	    !mime_grammar_body((const char *)buf_data(out), buf_len(out),
	    true))
		abort();
	buf_reset(out);
	if (mime_write_bodystructure(out, m, false) != 0 ||
	    !mime_grammar_body((const char *)buf_data(out), buf_len(out),
	    false))
		abort();
	fuzz_sections_of(m, d, len, tmp);
	(void)mime_header_contains(m, "subject", "a", 1);
	(void)mime_body_contains(m, "e", 1);
	(void)mime_text_contains(m, "\xc3\xa9", 2);
	buf_free(&out);
	buf_free(&tmp);
	mime_free(&m);
	return 0;
}
