/*
 * view: the client's picture of the selected mailbox.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "imapd/view.h"

static size_t	 lower_bound(const struct view *, uint32_t);
static int	 push_idx(size_t **, size_t *, size_t *, size_t);

void
view_clear(struct view *v)
{
	free(v->v);
	memset(v, 0, sizeof(*v));
}

void
view_append(struct view *v, const struct msg *m)
{
	struct view_msg *vm;
	size_t ncap;

	if (v->n == v->cap) {
		ncap = v->cap ? v->cap * 2 : 64;
		vm = reallocarray(v->v, ncap, sizeof(*vm));
		if (vm == NULL)
			fatal("view: out of memory");
		v->v = vm;
		v->cap = ncap;
	}
	vm = &v->v[v->n++];
	vm->uid = m->uid;
	vm->flags = m->flags;
	vm->keywords = m->keywords;
	vm->recent = m->recent;
	vm->gone = false;
}

void
view_remove(struct view *v, size_t i)
{
	memmove(&v->v[i], &v->v[i + 1], (v->n - i - 1) * sizeof(v->v[0]));
	v->n--;
}

long
view_find_uid(const struct view *v, uint32_t uid)
{
	size_t lo = 0, hi = v->n, mid;

	/* UIDs are strictly ascending in sequence number order */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v->v[mid].uid == uid)
			return (long)mid;
		if (v->v[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

uint32_t
view_max_uid(const struct view *v)
{
	return v->n ? v->v[v->n - 1].uid : 0;
}

/* First index whose UID is >= uid. */
static size_t
lower_bound(const struct view *v, uint32_t uid)
{
	size_t a = 0, b = v->n, m;

	while (a < b) {
		m = a + (b - a) / 2;
		if (v->v[m].uid < uid)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

static int
push_idx(size_t **idx, size_t *n, size_t *cap, size_t i)
{
	size_t *p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		if ((p = reallocarray(*idx, *cap, sizeof(*p))) == NULL)
			fatal("view: out of memory");
		*idx = p;
	}
	(*idx)[(*n)++] = i;
	return 0;
}

int
view_resolve(const struct view *v, const struct seqset *set_in, bool uid,
    size_t **idx_r, size_t *n_r)
{
	struct seqset *set;
	size_t *idx = NULL, n = 0, cap = 0, r, i;
	uint32_t star, lo, hi;

	*idx_r = NULL;
	*n_r = 0;
	star = uid ? view_max_uid(v) : (uint32_t)v->n;
	if (!uid && v->n == 0) {
		/* an empty mailbox: "1:*" names nothing; "3" is invalid */
		for (r = 0; r < set_in->n; r++)
			if (set_in->r[r].lo != 0 && set_in->r[r].hi != 0)
				return -1;
		return 0;
	}
	if ((set = seqset_dup(set_in)) == NULL)
		fatal("view: out of memory");
	/* RFC 9051 6.4.8: "*" in a UID set is the largest UID in use */
	seqset_normalize(set, star);
	for (r = 0; r < set->n; r++) {
		lo = set->r[r].lo;
		hi = set->r[r].hi;
		if (!uid) {
			if (lo == 0 || hi > v->n) {
				free(idx);
				seqset_free(&set);
				return -1;
			}
			for (i = lo; i <= hi; i++)
				push_idx(&idx, &n, &cap, i - 1);
			continue;
		}
		for (i = lower_bound(v, lo); i < v->n && v->v[i].uid <= hi;
		    i++)
			push_idx(&idx, &n, &cap, i);
	}
	seqset_free(&set);
	*idx_r = idx;
	*n_r = n;
	return 0;
}
