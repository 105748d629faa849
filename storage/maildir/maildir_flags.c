/*
 * maildir_flags: Maildir file names, their size fields and flag letters.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/store.h"
#include "storage/maildir/maildir_flags.h"

static bool	 parse_u64(const char *, size_t, uint64_t *);
static uint64_t	 lead_number(const char *, const char **);

static const struct {
	char		 letter;
	uint32_t	 flag;
} sysflags[] = {
	{ 'D', MSG_DRAFT },
	{ 'F', MSG_FLAGGED },
	{ 'R', MSG_ANSWERED },
	{ 'S', MSG_SEEN },
	{ 'T', MSG_DELETED },
};
#define NSYSFLAGS	(sizeof(sysflags) / sizeof(sysflags[0]))

/* Decimal digits only, no overflow. */
static bool
parse_u64(const char *s, size_t len, uint64_t *v_r)
{
	uint64_t	v = 0;
	size_t		i;

	if (len == 0 || len > 20)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (UINT64_MAX - (s[i] - '0')) / 10)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*v_r = v;
	return true;
}

void
md_fname_parse(const char *name, struct md_fname *fn)
{
	const char	*colon, *p, *end, *field;
	size_t		 flen;
	uint64_t	 v;

	memset(fn, 0, sizeof(*fn));
	fn->size = fn->vsize = MD_SIZE_UNKNOWN;
	colon = strchr(name, ':');
	fn->baselen = colon ? (size_t)(colon - name) : strlen(name);
	if (colon != NULL && colon[1] == '2' && colon[2] == ',') {
		fn->info2 = true;
		fn->flagsoff = fn->baselen + 3;
		fn->flagslen = strcspn(name + fn->flagsoff, ",");
	}
	/* ",S=<n>" and ",W=<n>" fields of the base name (Maildir++). */
	end = name + fn->baselen;
	for (p = memchr(name, ',', fn->baselen); p != NULL && p < end;
	    p = memchr(p, ',', end - p)) {
		field = ++p;
		flen = (size_t)(end - field);
		if (memchr(field, ',', flen) != NULL)
			flen = (const char *)memchr(field, ',', flen) - field;
		if (flen > 2 && field[1] == '=' &&
		    parse_u64(field + 2, flen - 2, &v)) {
			if (field[0] == 'S')
				fn->size = v;
			else if (field[0] == 'W')
				fn->vsize = v;
		}
	}
}

void
md_flags_decode(const char *letters, size_t len, uint32_t *flags_r,
    uint32_t *kwletters_r)
{
	uint32_t	flags = 0, kw = 0;
	size_t		i, k;

	for (i = 0; i < len; i++) {
		if (letters[i] >= 'a' && letters[i] <= 'z') {
			kw |= 1u << (letters[i] - 'a');
			continue;
		}
		for (k = 0; k < NSYSFLAGS; k++)
			if (letters[i] == sysflags[k].letter)
				flags |= sysflags[k].flag;
	}
	*flags_r = flags;
	*kwletters_r = kw;
}

char *
md_fname_set_flags(const char *oldname, uint32_t flags, uint32_t kwletters,
    uint32_t owned)
{
	struct md_fname	 fn;
	bool		 set[256];
	const char	*letters = "", *tail = "";
	size_t		 nletters = 0, i, k, len;
	unsigned char	 c;
	char		*out;

	md_fname_parse(oldname, &fn);
	if (fn.info2) {
		letters = oldname + fn.flagsoff;
		nletters = fn.flagslen;
		tail = letters + nletters;
	}
	memset(set, 0, sizeof(set));
	for (i = 0; i < nletters; i++) {
		c = (unsigned char)letters[i];
		if (c >= 'a' && c <= 'z' && (owned & (1u << (c - 'a'))))
			continue;
		for (k = 0; k < NSYSFLAGS; k++)
			if (c == (unsigned char)sysflags[k].letter)
				break;
		if (k == NSYSFLAGS)
			set[c] = true;
	}
	for (k = 0; k < NSYSFLAGS; k++)
		if (flags & sysflags[k].flag)
			set[(unsigned char)sysflags[k].letter] = true;
	for (k = 0; k < 26; k++)
		if (kwletters & (1u << k))
			set['a' + k] = true;

	len = fn.baselen + 3 + 256 + strlen(tail) + 1;
	if ((out = malloc(len)) == NULL)
		return NULL;
	memcpy(out, oldname, fn.baselen);
	memcpy(out + fn.baselen, ":2,", 3);
	k = fn.baselen + 3;
	/* Maildir: flags must be stored in ASCII order. */
	for (i = 1; i < 256; i++)
		if (set[i])
			out[k++] = (char)i;
	memcpy(out + k, tail, strlen(tail) + 1);
	return out;
}

int
md_fname_base(char *buf, size_t len, const struct timespec *now, pid_t pid,
    uint32_t counter, const char *host, uint64_t size, uint64_t vsize)
{
	int	n;

	n = snprintf(buf, len, "%lld.M%ldP%ldQ%u.%s,S=%llu,W=%llu",
	    (long long)now->tv_sec, (long)(now->tv_nsec / 1000), (long)pid,
	    counter, host, (unsigned long long)size,
	    (unsigned long long)vsize);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

void
md_host_escape(const char *host, char *out, size_t outlen)
{
	size_t	o = 0;
	const char *rep;

	if (outlen == 0)
		return;
	for (; *host != '\0'; host++) {
		rep = *host == '/' ? "\\057" : *host == ':' ? "\\072" : NULL;
		if (rep != NULL) {
			if (o + 4 >= outlen)
				break;
			memcpy(out + o, rep, 4);
			o += 4;
		} else {
			if (o + 1 >= outlen)
				break;
			out[o++] = *host;
		}
	}
	out[o] = '\0';
}

/* The number at the start of s; *end_r just after it. */
static uint64_t
lead_number(const char *s, const char **end_r)
{
	uint64_t	v = 0;

	while (*s >= '0' && *s <= '9' && v < UINT64_MAX / 10)
		v = v * 10 + (uint64_t)(*s++ - '0');
	*end_r = s;
	return v;
}

int
md_fname_time_cmp(const char *a, const char *b)
{
	const char	*pa, *pb;
	uint64_t	 ta, tb, ua = 0, ub = 0;

	ta = lead_number(a, &pa);
	tb = lead_number(b, &pb);
	if (ta != tb)
		return ta < tb ? -1 : 1;
	if (pa[0] == '.' && pa[1] == 'M')
		ua = lead_number(pa + 2, &pa);
	if (pb[0] == '.' && pb[1] == 'M')
		ub = lead_number(pb + 2, &pb);
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return strcmp(a, b);
}
