/*
 * id: RFC 2971 ID.
 */
#include <stdio.h>
#include <string.h>

#include "lib/imap_write.h"
#include "lib/log.h"
#include "imapd/id.h"
#include "imapd/version.h"

#define ID_MAX_FIELDS	30	/* RFC 2971 3.3 */
#define ID_MAX_FIELD	1024

int
id_command(struct client *c, const char *tag, const struct imap_arg *args,
    size_t nargs)
{
	const struct imap_arg *l;
	const char *k, *v;
	size_t n, i, klen, vlen;
	char ek[64], ev[128], line[1024];
	size_t used = 0;

	if (nargs != 1) {
		client_bad(c, tag, "ID takes one argument");
		return -1;
	}
	if (!imap_arg_is_nil(&args[0])) {
		if (!imap_arg_list(&args[0], &l, &n) || n % 2 != 0 ||
		    n / 2 > ID_MAX_FIELDS) {
			client_bad(c, tag, "ID expects NIL or a list of "
			    "field-value pairs");
			return -1;
		}
		line[0] = '\0';
		for (i = 0; i < n; i += 2) {
			if (!imap_arg_string(&l[i], &k, &klen) ||
			    !imap_arg_nstring(&l[i + 1], &v, &vlen) ||
			    klen > 30 || (v != NULL && vlen > ID_MAX_FIELD)) {
				client_bad(c, tag, "Invalid ID field");
				return -1;
			}
			log_escape(k, klen, 30, ek, sizeof(ek));
			log_escape(v ? v : "NIL", v ? vlen : 3, 60, ev,
			    sizeof(ev));
			if (used < sizeof(line))
				used += (size_t)snprintf(line + used,
				    sizeof(line) - used, " %s=\"%s\"", ek, ev);
		}
		log_info("event=id%s", line);
	}
	client_untagged(c, "ID (\"name\" \"imapd\" \"version\" \"%s\")",
	    IMAPD_VERSION);
	return 0;
}
