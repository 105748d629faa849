/*
 * search_eval: RFC 9051 6.4.4 key semantics.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/imap_date.h"
#include "lib/log.h"
#include "lib/mime.h"
#include "imapd/search_eval.h"
#include "imapd/session.h"

struct ectx {
	struct session		*s;
	size_t			 idx;
	const struct msg	*m;
	struct msg_body		 body;
	bool			 have_body;
	bool			 body_failed;
	struct mime_msg		*mime;
};

static bool	 match(struct ectx *, const struct search_key *);

/* Open and parse the message on first need. false if it is gone. */
static bool
load(struct ectx *e)
{
	if (e->mime != NULL)
		return true;
	if (e->body_failed)
		return false;
	if (mbox_msg_open(e->s->mbox, e->m->uid, &e->body) != STORE_OK) {
		e->body_failed = true;
		return false;
	}
	e->have_body = true;
	e->mime = mime_parse(e->body.data, e->body.len);
	return true;
}

static bool
in_saved(const struct session *s, uint32_t uid)
{
	size_t lo = 0, hi = s->nsaved, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->saved[mid] == uid)
			return true;
		if (s->saved[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static long
internal_day(time_t t)
{
	struct tm tm;

	/* RFC 9051 6.4.4: internal date "disregarding time and timezone":
	 * the calendar day in the zone the date is expressed in */
	localtime_r(&t, &tm);
	return imap_day_of(t, (int)tm.tm_gmtoff);
}

static bool
match_date(struct ectx *e, const struct search_key *k)
{
	time_t t;
	int tz;
	long day;

	switch (k->type) {
	case SK_BEFORE:
	case SK_ON:
	case SK_SINCE:
		day = internal_day(e->m->internaldate);
		break;
	default:
		if (!load(e) || !mime_sent_date(e->mime, &t, &tz))
			return false;
		day = imap_day_of(t, tz);
		break;
	}
	switch (k->type) {
	case SK_BEFORE:
	case SK_SENTBEFORE:
		return day < k->day;
	case SK_ON:
	case SK_SENTON:
		return day == k->day;
	default:
		return day >= k->day;
	}
}

static bool
match_header(struct ectx *e, const struct search_key *k)
{
	const char *field;

	switch (k->type) {
	case SK_BCC:		field = "Bcc"; break;
	case SK_CC:		field = "Cc"; break;
	case SK_FROM:		field = "From"; break;
	case SK_SUBJECT:	field = "Subject"; break;
	case SK_TO:		field = "To"; break;
	default:		field = k->field; break;
	}
	return load(e) && mime_header_contains(e->mime, field, k->str,
	    k->len);
}

static bool
match_keyword(struct ectx *e, const char *name)
{
	int i = mbox_keyword_index(e->s->mbox, name, false);

	return i >= 0 && (e->m->keywords & (1u << i));
}

static bool
match(struct ectx *e, const struct search_key *k)
{
	const struct view *v = &e->s->view;
	uint32_t f = e->m->flags;
	size_t i;

	switch (k->type) {
	case SK_AND:
		for (i = 0; i < k->nchild; i++)
			if (!match(e, &k->child[i]))
				return false;
		return true;
	case SK_OR:
		return match(e, &k->child[0]) || match(e, &k->child[1]);
	case SK_NOT:
		return !match(e, &k->child[0]);
	case SK_ALL:
		return true;
	case SK_SEQSET:
		if (k->set->saved)
			return in_saved(e->s, e->m->uid);
		return seqset_contains(k->set, (uint32_t)e->idx + 1,
		    (uint32_t)v->n);
	case SK_UID:
		if (k->set->saved)
			return in_saved(e->s, e->m->uid);
		return seqset_contains(k->set, e->m->uid, view_max_uid(v));
	case SK_ANSWERED:	return (f & MSG_ANSWERED) != 0;
	case SK_DELETED:	return (f & MSG_DELETED) != 0;
	case SK_DRAFT:		return (f & MSG_DRAFT) != 0;
	case SK_FLAGGED:	return (f & MSG_FLAGGED) != 0;
	case SK_SEEN:		return (f & MSG_SEEN) != 0;
	case SK_UNANSWERED:	return (f & MSG_ANSWERED) == 0;
	case SK_UNDELETED:	return (f & MSG_DELETED) == 0;
	case SK_UNDRAFT:	return (f & MSG_DRAFT) == 0;
	case SK_UNFLAGGED:	return (f & MSG_FLAGGED) == 0;
	case SK_UNSEEN:		return (f & MSG_SEEN) == 0;
	case SK_RECENT:		return e->m->recent;
	case SK_OLD:		return !e->m->recent;
	case SK_NEW:		return e->m->recent && !(f & MSG_SEEN);
	case SK_KEYWORD:	return match_keyword(e, k->str);
	case SK_UNKEYWORD:	return !match_keyword(e, k->str);
	case SK_LARGER:		return e->m->size > k->size;
	case SK_SMALLER:	return e->m->size < k->size;
	case SK_BEFORE: case SK_ON: case SK_SINCE:
	case SK_SENTBEFORE: case SK_SENTON: case SK_SENTSINCE:
		return match_date(e, k);
	case SK_BCC: case SK_CC: case SK_FROM: case SK_SUBJECT: case SK_TO:
	case SK_HEADER:
		return match_header(e, k);
	case SK_BODY:
		return load(e) && mime_body_contains(e->mime, k->str, k->len);
	case SK_TEXT:
		return load(e) && mime_text_contains(e->mime, k->str, k->len);
	}
	return false;
}

int
search_eval(struct session *s, const struct search_program *prog,
    size_t **idx_r, size_t *n_r, size_t *gone_r)
{
	struct ectx e;
	size_t *idx = NULL, n = 0, i, gone = 0;

	if (s->view.n > 0 &&
	    (idx = reallocarray(NULL, s->view.n, sizeof(*idx))) == NULL)
		fatal("search: out of memory");
	for (i = 0; i < s->view.n; i++) {
		memset(&e, 0, sizeof(e));
		e.s = s;
		e.idx = i;
		if ((e.m = mbox_find(s->mbox, s->view.v[i].uid)) == NULL) {
			gone++;
			continue;
		}
		if (match(&e, &prog->root))
			idx[n++] = i;
		else if (e.body_failed)
			gone++;
		mime_free(&e.mime);
		if (e.have_body)
			msg_body_release(&e.body);
	}
	*idx_r = idx;
	*n_r = n;
	*gone_r = gone;
	return 0;
}
