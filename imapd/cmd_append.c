/*
 * cmd_append: APPEND (RFC 9051 6.3.12, UIDPLUS APPENDUID, BINARY literal8).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/imap_date.h"
#include "imapd/flags.h"
#include "imapd/mbname.h"
#include "imapd/session.h"

void
cmd_append(struct session *s, const struct cmd_ctx *ctx)
{
	const struct imap_arg *a = ctx->args, *msg;
	struct flag_list fl;
	struct store_append ap;
	const char *wire, *err, *date;
	size_t len, i = 1, dlen;
	uint32_t uidvalidity = 0, uid = 0;
	char *name;
	time_t t = 0;
	int tz, rc;

	memset(&fl, 0, sizeof(fl));
	if (ctx->nargs < 2 || !imap_arg_astring(&a[0], &wire, &len)) {
		session_bad(s, ctx, "Expected mailbox and message");
		return;
	}
	if (a[i].type == IMAP_ARG_LIST) {
		if (flags_parse(&a[i], false, &fl, &err) == -1) {
			session_bad(s, ctx, err);
			return;
		}
		i++;
	}
	if (i < ctx->nargs && a[i].type == IMAP_ARG_QUOTED) {
		imap_arg_string(&a[i], &date, &dlen);
		if (!imap_datetime_parse(date, dlen, &t, &tz)) {
			session_bad(s, ctx, "Invalid date-time");
			return;
		}
		i++;
	}
	if (i + 1 != ctx->nargs || a[i].type != IMAP_ARG_LITERAL) {
		/* MULTIAPPEND and CATENATE are not offered */
		session_bad(s, ctx, "Expected a single message literal");
		return;
	}
	msg = &a[i];
	if (msg->len == 0) {
		session_no(s, ctx, "[CANNOT] Refusing to save an empty "
		    "message");
		return;
	}
	if ((name = mbname_from_client(wire, len, s->rev2, &err)) == NULL) {
		session_no(s, ctx, "[TRYCREATE] %s", err);
		return;
	}
	memset(&ap, 0, sizeof(ap));
	ap.data = msg->str;
	ap.len = msg->len;
	ap.flags = fl.flags;
	ap.keywords = fl.kw;
	ap.nkeywords = fl.nkw;
	ap.internaldate = t;
	rc = store_append(s->store, name, &ap, &uidvalidity, &uid);
	free(name);
	if (rc != STORE_OK) {
		session_store_error(s, ctx->tag, rc, true);
		return;
	}
	session_ok(s, ctx, "[APPENDUID %u %u] Append completed.",
	    uidvalidity, uid);
}
