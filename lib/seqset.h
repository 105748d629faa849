/*
 * seqset: RFC 9051 sequence-set ("1,3:5,7:*") and "$" (SEARCHRES).
 * "*" is stored as 0 (numbers are nz-number) and resolved at use.
 */
#ifndef LIB_SEQSET_H
#define LIB_SEQSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct seqrange {
	uint32_t	lo, hi;		/* as written; 0 means "*"; lo may be > hi */
};

struct seqset {
	struct seqrange	*r;
	size_t		 n;
	bool		 saved;		/* the set was "$" */
};

/* Parse s (len bytes). Returns 0 and a new set, or -1 (syntax). */
int	 seqset_parse(const char *s, size_t len, struct seqset **set_r);
void	 seqset_free(struct seqset **);
struct seqset *seqset_new(void);
struct seqset *seqset_dup(const struct seqset *);
/* Add a range (no normalisation). 0 on success. */
int	 seqset_add(struct seqset *, uint32_t lo, uint32_t hi);
/* Is v in the set, with "*" meaning star (the largest number in use;
 * 0 when the mailbox is empty)? Ranges are inclusive in either order. */
bool	 seqset_contains(const struct seqset *, uint32_t v, uint32_t star);
/* Resolve "*" to star, order each range, sort and merge. */
void	 seqset_normalize(struct seqset *, uint32_t star);
/* Format a normalised set ("1:3,5") into a malloc'd string. */
char	*seqset_format(const struct seqset *);
/* Format an ascending array of numbers compactly ("1:3,5"). */
char	*seqset_format_array(const uint32_t *v, size_t n);

#endif
