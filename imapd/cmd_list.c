/*
 * cmd_list: LIST (RFC 9051 6.3.9 with LIST-EXTENDED RFC 5258, CHILDREN,
 * SPECIAL-USE RFC 6154, LIST-STATUS RFC 5819) and LSUB (RFC 3501 6.3.9).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/log.h"
#include "imapd/listmatch.h"
#include "imapd/mbname.h"
#include "imapd/session.h"
#include "imapd/status.h"

#define SEL_SUBSCRIBED	0x01
#define SEL_RECURSIVE	0x02
#define SEL_SPECIALUSE	0x04
#define RET_SUBSCRIBED	0x01
#define RET_CHILDREN	0x02
#define RET_SPECIALUSE	0x04
#define RET_STATUS	0x08

struct cand {
	char	*name;
	bool	 exists;
	bool	 subscribed;
	bool	 children;
	bool	 sub_child;	/* a descendant is subscribed */
};

struct list_req {
	unsigned	 sel, ret, status_items;
	char		**pat;
	size_t		 npat;
	bool		 lsub;
	bool		 extended;	/* selection or return options given */
};

struct cands {
	struct cand	*v;
	size_t		 n, cap;
};

static const struct {
	const char	*name;
	const char	*attr;
} special_use[] = {
	{ "Sent", "\\Sent" }, { "Sent Messages", "\\Sent" },
	{ "Sent Items", "\\Sent" }, { "Drafts", "\\Drafts" },
	{ "Trash", "\\Trash" }, { "Deleted Messages", "\\Trash" },
	{ "Deleted Items", "\\Trash" }, { "Junk", "\\Junk" },
	{ "Spam", "\\Junk" }, { "Archive", "\\Archive" },
	{ "Archives", "\\Archive" },
};

static const char *
special_use_of(const char *name)
{
	size_t i;

	/* a policy by name, for top-level mailboxes (as clients and
	 * Dovecot's default configuration name them) */
	for (i = 0; i < sizeof(special_use) / sizeof(special_use[0]); i++)
		if (strcasecmp(name, special_use[i].name) == 0)
			return special_use[i].attr;
	return NULL;
}

static struct cand *
cand_get(struct cands *cs, const char *name)
{
	size_t i;
	struct cand *v;

	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->v[i].name, name) == 0)
			return &cs->v[i];
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 32;
		if ((v = reallocarray(cs->v, cs->cap, sizeof(*v))) == NULL)
			fatal("list: out of memory");
		cs->v = v;
	}
	v = &cs->v[cs->n++];
	memset(v, 0, sizeof(*v));
	if ((v->name = strdup(name)) == NULL)
		fatal("list: out of memory");
	return v;
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	/* INBOX first, then byte order */
	if (strcmp(x->name, "INBOX") == 0)
		return -1;
	if (strcmp(y->name, "INBOX") == 0)
		return 1;
	return strcmp(x->name, y->name);
}

/* Every existing and subscribed name, plus implied parents. */
static int
collect(struct session *s, struct cands *cs)
{
	struct store_mailbox *mb;
	char **subs, *p;
	size_t n, nsubs, i, k, len;
	struct cand *c;
	int rc;

	if ((rc = store_list(s->store, &mb, &n)) != STORE_OK)
		return rc;
	for (i = 0; i < n; i++)
		cand_get(cs, mb[i].name)->exists = true;
	store_list_free(&mb, n);
	if ((rc = store_subscriptions(s->store, &subs, &nsubs)) != STORE_OK)
		return rc;
	for (i = 0; i < nsubs; i++)
		cand_get(cs, subs[i])->subscribed = true;
	store_names_free(&subs, nsubs);
	/* implied parents and child information */
	for (i = 0, n = cs->n; i < n; i++) {
		bool sub = cs->v[i].subscribed, ex = cs->v[i].exists;
		char *name = strdup(cs->v[i].name);

		if (name == NULL)
			fatal("list: out of memory");
		while ((p = strrchr(name, MBNAME_DELIM)) != NULL) {
			*p = '\0';
			c = cand_get(cs, name);
			if (ex)
				c->children = true;
			if (sub)
				c->sub_child = true;
		}
		free(name);
	}
	/* children that are only subscribed names don't count */
	for (i = 0; i < cs->n; i++) {
		len = strlen(cs->v[i].name);
		for (k = 0; k < cs->n && !cs->v[i].children; k++)
			if (cs->v[k].exists && strncmp(cs->v[k].name,
			    cs->v[i].name, len) == 0 &&
			    cs->v[k].name[len] == MBNAME_DELIM)
				cs->v[i].children = true;
	}
	qsort(cs->v, cs->n, sizeof(cs->v[0]), cand_cmp);
	return STORE_OK;
}

static bool
matches(const struct list_req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->npat; i++)
		if (listmatch(r->pat[i], name, MBNAME_DELIM))
			return true;
	return false;
}

static void
send_one(struct session *s, const struct list_req *r, const struct cand *c,
    bool childinfo)
{
	struct buf *b = s->client->out;
	const char *sep = "", *su;

	buf_reset(b);
	buf_printf(b, "* %s (", r->lsub ? "LSUB" : "LIST");
#define ATTR(a) do { buf_printf(b, "%s%s", sep, a); sep = " "; } while (0)
	if (!c->exists) {
		/* RFC 9051 6.3.9, RFC 5258: \NonExistent implies
		 * \Noselect; plain IMAP4rev1 LIST/LSUB know only \Noselect */
		if (!r->lsub && (s->rev2 || r->extended) && !c->children &&
		    !c->sub_child)
			ATTR("\\NonExistent");
		else
			ATTR("\\Noselect");
	}
	if (!r->lsub && (c->exists || c->children))
		ATTR(c->children ? "\\HasChildren" : "\\HasNoChildren");
	if (!r->lsub && c->subscribed &&
	    ((r->ret & RET_SUBSCRIBED) || (r->sel & SEL_SUBSCRIBED)))
		ATTR("\\Subscribed");
	if (!r->lsub && c->exists && (su = special_use_of(c->name)) != NULL)
		ATTR(su);
#undef ATTR
	buf_puts(b, ") \"/\" ");
	mbname_write(b, c->name, s->rev2);
	if (childinfo)
		buf_puts(b, " (\"CHILDINFO\" (\"SUBSCRIBED\"))");
	client_send_out(s->client);
	if ((r->ret & RET_STATUS) && c->exists)
		status_send(s, c->name, r->status_items);
}

/* Does a subscribed descendant of name match the patterns itself? */
static bool
sub_child_matches(const struct list_req *r, const struct cands *cs,
    const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < cs->n; i++)
		if (cs->v[i].subscribed &&
		    strncmp(cs->v[i].name, name, len) == 0 &&
		    cs->v[i].name[len] == MBNAME_DELIM &&
		    matches(r, cs->v[i].name))
			return true;
	return false;
}

static void
send_lsub_parent(struct session *s, const struct list_req *r,
    const struct cand *c)
{
	struct cand parent = *c;

	parent.exists = false;	/* shown as \Noselect */
	parent.subscribed = false;
	send_one(s, r, &parent, false);
}

static void
run_list(struct session *s, const struct list_req *r)
{
	struct cands cs = { 0 };
	const struct cand *c;
	size_t i;
	int rc;

	if ((rc = collect(s, &cs)) != STORE_OK) {
		log_warn("event=list_failed error=\"%s\"",
		    store_errstr(s->store));
		goto out;
	}
	for (i = 0; i < cs.n; i++) {
		c = &cs.v[i];
		if (!matches(r, c->name))
			continue;
		if (r->sel & SEL_SPECIALUSE) {
			if (!c->exists || special_use_of(c->name) == NULL)
				continue;
		}
		if (r->sel & SEL_SUBSCRIBED) {
			if (c->subscribed)
				send_one(s, r, c, (r->sel & SEL_RECURSIVE) &&
				    c->sub_child);
			else if ((r->sel & SEL_RECURSIVE) && c->sub_child)
				send_one(s, r, c, true);
			else if (r->lsub && c->sub_child &&
			    !sub_child_matches(r, &cs, c->name))
				/* RFC 3501 6.3.9: "%" hides a subscribed
				 * child, so its parent is shown \Noselect */
				send_lsub_parent(s, r, c);
			continue;
		}
		if (c->exists || c->children)
			send_one(s, r, c, false);
	}
out:
	for (i = 0; i < cs.n; i++)
		free(cs.v[i].name);
	free(cs.v);
}

/* list-mailbox: atom (with list-wildcards) or string */
static bool
list_mailbox_arg(const struct imap_arg *a, const char **s_r, size_t *len_r)
{
	if (a->type == IMAP_ARG_ATOM) {
		*s_r = a->str;
		*len_r = a->len;
		return true;
	}
	return imap_arg_string(a, s_r, len_r);
}

static const char *
parse_select_opts(const struct imap_arg *a, struct list_req *r)
{
	const struct imap_arg *l;
	const char *w;
	size_t n, i;

	if (!imap_arg_list(a, &l, &n))
		return "Invalid selection options";
	for (i = 0; i < n; i++) {
		if (!imap_arg_atom(&l[i], &w))
			return "Invalid selection option";
		if (strcasecmp(w, "SUBSCRIBED") == 0)
			r->sel |= SEL_SUBSCRIBED;
		else if (strcasecmp(w, "RECURSIVEMATCH") == 0)
			r->sel |= SEL_RECURSIVE;
		else if (strcasecmp(w, "SPECIAL-USE") == 0)
			r->sel |= SEL_SPECIALUSE;
		else if (strcasecmp(w, "REMOTE") == 0)
			;	/* no remote mailboxes here */
		else
			return "Unknown selection option";
	}
	/* RFC 5258 3.1: RECURSIVEMATCH needs another option to modify */
	if ((r->sel & SEL_RECURSIVE) &&
	    !(r->sel & (SEL_SUBSCRIBED | SEL_SPECIALUSE)))
		return "RECURSIVEMATCH needs SUBSCRIBED";
	/* RFC 5258 3.1: selecting SUBSCRIBED implies returning it */
	if (r->sel & SEL_SUBSCRIBED)
		r->ret |= RET_SUBSCRIBED;
	return NULL;
}

static const char *
parse_return_opts(struct session *s, const struct imap_arg *a,
    struct list_req *r)
{
	const struct imap_arg *l;
	const char *w, *err;
	size_t n, i;

	if (!imap_arg_list(a, &l, &n))
		return "Invalid return options";
	for (i = 0; i < n; i++) {
		if (!imap_arg_atom(&l[i], &w))
			return "Invalid return option";
		if (strcasecmp(w, "SUBSCRIBED") == 0)
			r->ret |= RET_SUBSCRIBED;
		else if (strcasecmp(w, "CHILDREN") == 0)
			r->ret |= RET_CHILDREN;
		else if (strcasecmp(w, "SPECIAL-USE") == 0)
			r->ret |= RET_SPECIALUSE;
		else if (strcasecmp(w, "STATUS") == 0 && i + 1 < n) {
			r->status_items = status_items_parse(&l[++i], s->rev2,
			    &err);
			if (r->status_items == 0)
				return err;
			r->ret |= RET_STATUS;
		} else
			return "Unknown return option";
	}
	return NULL;
}

/* reference + pattern, decoded (RFC 9051 6.3.9: they are joined) */
static int
add_pattern(struct session *s, struct list_req *r, const char *ref,
    size_t reflen, const char *pat, size_t plen)
{
	char *p, *joined, **v;

	if ((joined = malloc(reflen + plen + 1)) == NULL)
		fatal("list: out of memory");
	memcpy(joined, ref, reflen);
	memcpy(joined + reflen, pat, plen);
	joined[reflen + plen] = '\0';
	p = mbname_pattern_from_client(joined, reflen + plen, s->rev2);
	free(joined);
	if (p == NULL)
		return -1;
	if ((v = reallocarray(r->pat, r->npat + 1, sizeof(*v))) == NULL)
		fatal("list: out of memory");
	r->pat = v;
	r->pat[r->npat++] = p;
	return 0;
}

static void
do_list(struct session *s, const struct cmd_ctx *ctx, bool lsub)
{
	struct list_req r;
	const struct imap_arg *a = ctx->args, *pl;
	const char *ref, *pat, *err = NULL;
	size_t n = ctx->nargs, reflen, plen, npl, i;

	memset(&r, 0, sizeof(r));
	r.lsub = lsub;
	if (lsub)
		r.sel = SEL_SUBSCRIBED;
	if (!lsub && n > 0 && a[0].type == IMAP_ARG_LIST) {
		err = parse_select_opts(&a[0], &r);
		r.extended = true;
		a++;
		n--;
	}
	if (err == NULL && (n < 2 || !imap_arg_astring(&a[0], &ref, &reflen)))
		err = "Expected reference and mailbox pattern";
	if (err == NULL && !lsub && n == 4 && imap_arg_atom_is(&a[2],
	    "RETURN")) {
		err = parse_return_opts(s, &a[3], &r);
		r.extended = true;
		n = 2;
	}
	if (err == NULL && n != 2)
		err = "Unexpected arguments";
	if (err == NULL && !lsub && a[1].type == IMAP_ARG_LIST) {
		imap_arg_list(&a[1], &pl, &npl);
		for (i = 0; i < npl && err == NULL; i++)
			if (!list_mailbox_arg(&pl[i], &pat, &plen) ||
			    add_pattern(s, &r, ref, reflen, pat, plen) == -1)
				err = "Invalid mailbox pattern";
	} else if (err == NULL) {
		if (!list_mailbox_arg(&a[1], &pat, &plen) ||
		    add_pattern(s, &r, ref, reflen, pat, plen) == -1)
			err = "Invalid mailbox pattern";
	}
	if (err != NULL) {
		session_bad(s, ctx, err);
	} else if (r.npat == 1 && r.pat[0][0] == '\0' && !r.extended) {
		/* RFC 9051 6.3.9: "" asks for the delimiter and root */
		client_untagged(s->client, "%s (\\Noselect) \"/\" \"\"",
		    lsub ? "LSUB" : "LIST");
		session_ok(s, ctx, "%s completed.", lsub ? "Lsub" : "List");
	} else {
		run_list(s, &r);
		session_ok(s, ctx, "%s completed.", lsub ? "Lsub" : "List");
	}
	for (i = 0; i < r.npat; i++)
		free(r.pat[i]);
	free(r.pat);
}

void
cmd_list(struct session *s, const struct cmd_ctx *ctx)
{
	do_list(s, ctx, false);
}

void
cmd_lsub(struct session *s, const struct cmd_ctx *ctx)
{
	do_list(s, ctx, true);
}
