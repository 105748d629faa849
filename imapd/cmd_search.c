/*
 * cmd_search: SEARCH and UID SEARCH (RFC 9051 6.4.4, ESEARCH RFC 4731,
 * SEARCHRES RFC 5182). IMAP4rev1 clients get "* SEARCH" unless they ask
 * for RETURN options; IMAP4rev2 clients always get "* ESEARCH".
 */
#include <stdlib.h>
#include <string.h>

#include "lib/imap_write.h"
#include "lib/log.h"
#include "lib/search.h"
#include "lib/seqset.h"
#include "imapd/search_eval.h"
#include "imapd/session.h"

static uint32_t
num(const struct session *s, const struct cmd_ctx *ctx, size_t i)
{
	return ctx->uid ? s->view.v[i].uid : (uint32_t)i + 1;
}

static void
send_search(struct session *s, const struct cmd_ctx *ctx, const size_t *idx,
    size_t n)
{
	struct buf *b = s->client->out;
	size_t i;

	buf_reset(b);
	buf_puts(b, "* SEARCH");
	for (i = 0; i < n; i++)
		buf_printf(b, " %u", num(s, ctx, idx[i]));
	client_send_out(s->client);
}

static void
send_esearch(struct session *s, const struct cmd_ctx *ctx, unsigned ret,
    const size_t *idx, size_t n)
{
	struct buf *b = s->client->out;
	uint32_t *v;
	char *set;
	size_t i;

	buf_reset(b);
	buf_puts(b, "* ESEARCH (TAG ");
	imw_quoted(b, ctx->tag, strlen(ctx->tag));
	buf_putc(b, ')');
	if (ctx->uid)
		buf_puts(b, " UID");
	if ((ret & SEARCH_RET_MIN) && n > 0)
		buf_printf(b, " MIN %u", num(s, ctx, idx[0]));
	if ((ret & SEARCH_RET_MAX) && n > 0)
		buf_printf(b, " MAX %u", num(s, ctx, idx[n - 1]));
	if (ret & SEARCH_RET_COUNT)
		buf_printf(b, " COUNT %zu", n);
	if ((ret & SEARCH_RET_ALL) && n > 0) {
		if ((v = reallocarray(NULL, n, sizeof(*v))) == NULL)
			fatal("search: out of memory");
		for (i = 0; i < n; i++)
			v[i] = num(s, ctx, idx[i]);
		if ((set = seqset_format_array(v, n)) == NULL)
			fatal("search: out of memory");
		buf_printf(b, " ALL %s", set);
		free(set);
		free(v);
	}
	client_send_out(s->client);
}

/* RFC 9051 6.4.4.1: what "$" holds after SEARCH RETURN (SAVE ...) */
static void
save_result(struct session *s, unsigned ret, const size_t *idx, size_t n)
{
	size_t i, k = 0;

	free(s->saved);
	s->saved = NULL;
	s->nsaved = 0;
	if (n == 0)
		return;
	if ((s->saved = reallocarray(NULL, n, sizeof(uint32_t))) == NULL)
		fatal("search: out of memory");
	if (!(ret & (SEARCH_RET_ALL | SEARCH_RET_COUNT)) &&
	    (ret & (SEARCH_RET_MIN | SEARCH_RET_MAX))) {
		if (ret & SEARCH_RET_MIN)
			s->saved[k++] = s->view.v[idx[0]].uid;
		if ((ret & SEARCH_RET_MAX) && (k == 0 || n > 1))
			s->saved[k++] = s->view.v[idx[n - 1]].uid;
	} else {
		for (i = 0; i < n; i++)
			s->saved[k++] = s->view.v[idx[i]].uid;
	}
	s->nsaved = k;
}

void
cmd_search(struct session *s, const struct cmd_ctx *ctx)
{
	struct search_program *prog = NULL;
	const char *err = "Invalid search";
	char errbuf[128];
	size_t *idx = NULL, n = 0, gone = 0;
	unsigned ret;
	int rc;

	rc = search_parse_errbuf(ctx->args, ctx->nargs, &prog, &err, errbuf,
	    sizeof(errbuf));
	if (rc == SEARCH_PARSE_BADCHARSET) {
		session_no(s, ctx, "[BADCHARSET (UTF-8 US-ASCII)] "
		    "Unsupported charset");
		return;
	}
	if (rc != SEARCH_PARSE_OK) {
		session_bad(s, ctx, err);
		return;
	}
	search_eval(s, prog, &idx, &n, &gone);
	ret = prog->ret;
	if (!prog->esearch || ret == 0)
		ret = (ret & SEARCH_RET_SAVE) ? ret : SEARCH_RET_ALL;
	if (ret & SEARCH_RET_SAVE)
		save_result(s, ret, idx, n);
	if (!prog->esearch && !s->rev2)
		send_search(s, ctx, idx, n);
	else if ((ret & ~SEARCH_RET_SAVE) != 0)
		/* SAVE alone suppresses the ESEARCH response */
		send_esearch(s, ctx, prog->esearch ? ret : SEARCH_RET_ALL,
		    idx, n);
	if (gone > 0)
		session_ok(s, ctx, "[EXPUNGEISSUED] Search completed.");
	else
		session_ok(s, ctx, "Search completed.");
	free(idx);
	search_free(&prog);
}
