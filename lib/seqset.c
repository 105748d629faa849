/*
 * seqset: RFC 9051 sequence-set parsing, membership, normalisation and
 * formatting.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/seqset.h"

/* "4294967295:4294967295," */
#define RANGE_TEXT_MAX	22

static size_t	 cap_for(size_t);
static size_t	 parse_number(const char *, size_t, uint32_t *);
static int	 range_cmp(const void *, const void *);
static size_t	 put_range(char *, size_t, uint32_t, uint32_t, bool);

struct seqset *
seqset_new(void)
{
	return calloc(1, sizeof(struct seqset));
}

void
seqset_free(struct seqset **setp)
{
	if (setp == NULL || *setp == NULL)
		return;
	free((*setp)->r);
	free(*setp);
	*setp = NULL;
}

struct seqset *
seqset_dup(const struct seqset *set)
{
	struct seqset	*d;

	if ((d = seqset_new()) == NULL)
		return NULL;
	d->saved = set->saved;
	if (set->n > 0) {
		d->r = reallocarray(NULL, cap_for(set->n), sizeof(*d->r));
		if (d->r == NULL) {
			free(d);
			return NULL;
		}
		memcpy(d->r, set->r, set->n * sizeof(*d->r));
		d->n = set->n;
	}
	return d;
}

int
seqset_add(struct seqset *set, uint32_t lo, uint32_t hi)
{
	struct seqrange	*r;

	/* the capacity is implicit: cap_for(n) */
	if (set->n == cap_for(set->n)) {
		r = reallocarray(set->r, cap_for(set->n + 1), sizeof(*r));
		if (r == NULL)
			return -1;
		set->r = r;
	}
	set->r[set->n].lo = lo;
	set->r[set->n].hi = hi;
	set->n++;
	return 0;
}

/* Allocated ranges for n in use: 0, or the next power of two >= max(n, 4). */
static size_t
cap_for(size_t n)
{
	size_t	 c = 4;

	if (n == 0)
		return 0;
	while (c < n)
		c *= 2;
	return c;
}

/*
 * seq-number = nz-number / "*": returns the bytes used (0 on error) and
 * the number, 0 for "*". RFC 9051 9: nz-number = digit-nz *DIGIT, a
 * non-zero 32-bit value, so leading zeros are refused.
 */
static size_t
parse_number(const char *s, size_t len, uint32_t *n_r)
{
	uint64_t	 n = 0;
	size_t		 i;

	if (len == 0)
		return 0;
	if (s[0] == '*') {
		*n_r = 0;
		return 1;
	}
	if (s[0] < '1' || s[0] > '9')
		return 0;
	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		n = n * 10 + (uint64_t)(s[i] - '0');
		if (n > UINT32_MAX)
			return 0;
	}
	*n_r = (uint32_t)n;
	return i;
}

int
seqset_parse(const char *s, size_t len, struct seqset **set_r)
{
	struct seqset	*set;
	uint32_t	 lo, hi;
	size_t		 i = 0, k;

	*set_r = NULL;
	if ((set = seqset_new()) == NULL)
		return -1;
	/* RFC 5182: "$" is the saved result, and only on its own */
	if (len == 1 && s[0] == '$') {
		set->saved = true;
		*set_r = set;
		return 0;
	}
	for (;;) {
		if ((k = parse_number(s + i, len - i, &lo)) == 0)
			goto fail;
		i += k;
		hi = lo;
		if (i < len && s[i] == ':') {
			i++;
			if ((k = parse_number(s + i, len - i, &hi)) == 0)
				goto fail;
			i += k;
		}
		if (seqset_add(set, lo, hi) < 0)
			goto fail;
		if (i == len)
			break;
		if (s[i] != ',')
			goto fail;
		i++;
	}
	*set_r = set;
	return 0;
fail:
	seqset_free(&set);
	return -1;
}

bool
seqset_contains(const struct seqset *set, uint32_t v, uint32_t star)
{
	uint32_t	 lo, hi, t;
	size_t		 i;

	for (i = 0; i < set->n; i++) {
		lo = set->r[i].lo == 0 ? star : set->r[i].lo;
		hi = set->r[i].hi == 0 ? star : set->r[i].hi;
		if (lo > hi) {
			t = lo;
			lo = hi;
			hi = t;
		}
		if (v >= lo && v <= hi)
			return true;
	}
	return false;
}

static int
range_cmp(const void *a, const void *b)
{
	const struct seqrange *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return 0;
}

void
seqset_normalize(struct seqset *set, uint32_t star)
{
	struct seqrange	*r = set->r;
	uint32_t	 t;
	size_t		 i, n;

	for (i = 0; i < set->n; i++) {
		if (r[i].lo == 0)
			r[i].lo = star;
		if (r[i].hi == 0)
			r[i].hi = star;
		if (r[i].lo > r[i].hi) {
			t = r[i].lo;
			r[i].lo = r[i].hi;
			r[i].hi = t;
		}
	}
	if (set->n < 2)
		return;
	qsort(r, set->n, sizeof(*r), range_cmp);
	/* merge overlapping and adjacent ranges (hi + 1 without overflow) */
	for (n = 0, i = 1; i < set->n; i++) {
		if (r[n].hi == UINT32_MAX || r[i].lo <= r[n].hi + 1) {
			if (r[i].hi > r[n].hi)
				r[n].hi = r[i].hi;
		} else
			r[++n] = r[i];
	}
	set->n = n + 1;
}

/* "lo" or "lo:hi" (0 as "*" when star), preceded by "," unless first. */
static size_t
put_range(char *out, size_t room, uint32_t lo, uint32_t hi, bool first)
{
	char	 a[12], b[12];
	int	 n;

	if (lo == 0)
		strlcpy(a, "*", sizeof(a));
	else
		snprintf(a, sizeof(a), "%u", lo);
	if (hi == 0)
		strlcpy(b, "*", sizeof(b));
	else
		snprintf(b, sizeof(b), "%u", hi);
	if (lo == hi)
		n = snprintf(out, room, "%s%s", first ? "" : ",", a);
	else
		n = snprintf(out, room, "%s%s:%s", first ? "" : ",", a, b);
	/* room is always enough: RANGE_TEXT_MAX per range is reserved */
	return n < 0 || (size_t)n >= room ? 0 : (size_t)n;
}

char *
seqset_format(const struct seqset *set)
{
	char	*s;
	size_t	 i, len = 0;

	if (set->saved && set->n == 0)
		return strdup("$");
	if ((s = reallocarray(NULL, set->n + 1, RANGE_TEXT_MAX)) == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < set->n; i++)
		len += put_range(s + len, (set->n + 1) * RANGE_TEXT_MAX - len,
		    set->r[i].lo, set->r[i].hi, i == 0);
	return s;
}

char *
seqset_format_array(const uint32_t *v, size_t n)
{
	char	*s;
	size_t	 i, j, len = 0;

	if ((s = reallocarray(NULL, n + 1, RANGE_TEXT_MAX)) == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < n; i = j) {
		/* extend the run while values are consecutive (or equal) */
		for (j = i + 1; j < n && (v[j] == v[j - 1] ||
		    (v[j - 1] != UINT32_MAX && v[j] == v[j - 1] + 1)); j++)
			;
		len += put_range(s + len, (n + 1) * RANGE_TEXT_MAX - len,
		    v[i], v[j - 1], i == 0);
	}
	return s;
}
