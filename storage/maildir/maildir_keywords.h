/*
 * maildir_keywords: the dovecot-keywords file, which maps the letters
 * a..z of Maildir flags to keyword names:
 *   0 $Junk
 *   1 $NonJunk
 * (index 0 is letter "a"). Readers need no lock. Writers hold the
 * folder's dovecot-uidlist lock, keep every existing mapping, put a new
 * name at the lowest free index and replace the file with rename().
 */
#ifndef STORAGE_MAILDIR_MAILDIR_KEYWORDS_H
#define STORAGE_MAILDIR_MAILDIR_KEYWORDS_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define MD_KEYWORDS_NAME	"dovecot-keywords"
#define MD_KEYWORDS_MAX		26
/* Bigger files are not read (26 short lines are expected). */
#define MD_KEYWORDS_FILE_MAX	65536

struct md_keywords {
	char		*names[MD_KEYWORDS_MAX];	/* NULL: free slot */
	bool		 exists;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
};

void	 md_keywords_init(struct md_keywords *);
void	 md_keywords_free(struct md_keywords *);
/* Re-read the file from folder dfd if it changed. *changed_r (may be
 * NULL) tells whether it did. Returns 0 or STORE_ERR_IO (errno set). */
int	 md_keywords_refresh(struct md_keywords *, int dfd, bool *changed_r);
/* Replace the mapping with the file contents in data (lines that are not
 * "<0..25> <name>" are ignored). */
void	 md_keywords_parse(struct md_keywords *, const char *data, size_t len);
/* Letter index of name (ASCII case-insensitive), or -1. */
int	 md_keywords_find(const struct md_keywords *, const char *name);
/* With the uidlist lock held: re-read, then add name at the lowest free
 * index and write the file. Returns the index, STORE_ERR_LIMIT when all
 * 26 are taken, or another store_error. */
int	 md_keywords_add(struct md_keywords *, int dfd, const char *name);
/* With the uidlist lock held: write names as the folder's file. */
int	 md_keywords_write(struct md_keywords *, int dfd);

#endif
