/*
 * cmd_idle: IDLE (RFC 9051 6.3.13, RFC 2177). Changes to the selected
 * mailbox are sent as they happen: inotify wakes us, or a 1 s poll when
 * the store cannot notify.
 */
#include <strings.h>
#include <time.h>

#include "lib/log.h"
#include "imapd/session.h"

#define IDLE_POLL_MS		1000	/* without change notification */
#define IDLE_RESYNC_MS		30000	/* with it: a safety net */

void
cmd_idle(struct session *s, const struct cmd_ctx *ctx)
{
	struct client *c = s->client;
	struct buf *line;
	time_t start = time(NULL);
	int fd, rc, wait_ms;

	if (ctx->nargs != 0) {
		session_bad(s, ctx, "IDLE takes no arguments");
		return;
	}
	/* arm change notification first, then sync, then answer: a
	 * change in between is then either synced or notified */
	if (s->mbox != NULL)
		(void)mbox_notify_fd(s->mbox);
	session_sync(s, true);
	conn_puts(c->conn, "+ idling\r\n");
	for (;;) {
		if (conn_flush(c->conn) == -1) {
			c->disconnect = true;
			return;
		}
		fd = s->mbox != NULL ? mbox_notify_fd(s->mbox) : -1;
		wait_ms = fd >= 0 ? IDLE_RESYNC_MS : IDLE_POLL_MS;
		rc = conn_wait(c->conn, fd, wait_ms);
		if (rc == -1) {
			c->disconnect = true;
			return;
		}
		if (rc == 1)
			break;
		if (rc == 2)
			mbox_notify_clear(s->mbox);
		session_sync(s, true);
		if ((unsigned)(time(NULL) - start) >= c->set->idle_timeout) {
			client_bye(c, "IDLE timed out.");
			return;
		}
	}
	line = buf_new(c->set->max_line_length);
	if (client_read_line(c, c->set->idle_timeout, line) == 0) {
		if (strcasecmp(buf_cstr(line), "DONE") == 0)
			session_ok(s, ctx, "Idle completed.");
		else
			session_bad(s, ctx, "Expected DONE");
	}
	buf_free(&line);
}
