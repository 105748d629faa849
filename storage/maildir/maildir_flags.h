/*
 * maildir_flags: Maildir file names.
 *
 *   <secs>.M<usecs>P<pid>Q<n>.<host>,S=<size>,W=<vsize>:2,<flags>
 *
 * The part before ":" is the base name and never changes; ":2," info and
 * the flag letters after it change with the message's flags. Letters
 * are kept in ASCII order: D draft, F flagged, P passed, R replied
 * (\Answered), S seen, T trashed (\Deleted), a..z keywords (mapped by
 * dovecot-keywords). Letters we don't manage are kept as they are, and so
 * is anything after a "," in the flags (a Dovecot extension).
 */
#ifndef STORAGE_MAILDIR_MAILDIR_FLAGS_H
#define STORAGE_MAILDIR_MAILDIR_FLAGS_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define MD_SIZE_UNKNOWN	UINT64_MAX

struct md_fname {
	size_t		 baselen;	/* bytes before ':' (or all) */
	bool		 info2;		/* has ":2," */
	size_t		 flagsoff;	/* letters start here (if info2) */
	size_t		 flagslen;	/* up to "," or the end */
	uint64_t	 size;		/* S=, or MD_SIZE_UNKNOWN */
	uint64_t	 vsize;		/* W=, or MD_SIZE_UNKNOWN */
};

/* Split a file name into its parts (never fails). */
void	 md_fname_parse(const char *name, struct md_fname *);
/* System flags (MSG_*) and keyword letters (bit i = letter 'a' + i) of
 * the letters in the info part. */
void	 md_flags_decode(const char *letters, size_t len, uint32_t *flags_r,
	    uint32_t *kwletters_r);
/*
 * The name oldname gets for the given flags: base + ":2," + sorted
 * letters. owned: the keyword letters whose meaning we know (set from
 * kwletters); other lowercase letters, unknown uppercase letters (like
 * P) and any ",..." tail are preserved. Returns a malloc'd string or
 * NULL (out of memory).
 */
char	*md_fname_set_flags(const char *oldname, uint32_t flags,
	    uint32_t kwletters, uint32_t owned);
/* A new base name into buf. Returns 0, or -1 if it doesn't fit. */
int	 md_fname_base(char *buf, size_t len, const struct timespec *now,
	    pid_t pid, uint32_t counter, const char *host, uint64_t size,
	    uint64_t vsize);
/* Hostname as used in file names: "/" -> "\057", ":" -> "\072". */
void	 md_host_escape(const char *host, char *out, size_t outlen);
/* Order for assigning UIDs to new files: by the time in the name (secs,
 * then M<usecs>), then by name. qsort-style result. */
int	 md_fname_time_cmp(const char *a, const char *b);

#endif
