/*
 * capability: what we advertise (RFC 9051 6.1.1, 7.2.2).
 */
#include "imapd/capability.h"

/* Extensions RFC 9051 folds into IMAP4rev2, advertised on their own for
 * IMAP4rev1 clients; plus the IMAP4rev1 extensions we implement. */
static const char post_auth[] =
    " IDLE NAMESPACE ID UIDPLUS ENABLE MOVE LITERAL+ UNSELECT CHILDREN"
    " SASL-IR ESEARCH SEARCHRES SPECIAL-USE LIST-EXTENDED LIST-STATUS"
    " STATUS=SIZE BINARY";

void
capability_write(struct buf *b, const struct capability_ctx *c)
{
	buf_puts(b, "IMAP4rev2 IMAP4rev1");
	if (c->authenticated) {
		buf_puts(b, post_auth);
		return;
	}
	buf_puts(b, " SASL-IR LITERAL+ ID ENABLE");
	if (c->starttls_possible && !c->tls_active)
		buf_puts(b, " STARTTLS");
	/* RFC 9051 6.2.3 / 7.2.2: no plaintext mechanisms before TLS */
	if (c->plaintext_ok)
		buf_puts(b, " AUTH=PLAIN AUTH=LOGIN");
	else
		buf_puts(b, " LOGINDISABLED");
}
