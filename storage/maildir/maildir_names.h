/*
 * maildir_names: mailbox names (UTF-8, "/"-separated) <-> Maildir++
 * directory names (".A.B", each level modified UTF-7).
 *
 * "INBOX" is the Maildir root. Children of INBOX are ordinary folders:
 * "INBOX/x" is ".INBOX.x" (a first level spelled "inbox" in any case is
 * written "INBOX", so "Inbox/x" is the same mailbox).
 */
#ifndef STORAGE_MAILDIR_MAILDIR_NAMES_H
#define STORAGE_MAILDIR_MAILDIR_NAMES_H

/* Directory name for a valid mailbox name: "" for INBOX, else ".A.B".
 * Returns a malloc'd string, or NULL if the name can't be stored (not
 * encodable, or longer than a file name may be). */
char	*md_name_to_dir(const char *name);
/* Mailbox name for a directory entry like ".A.B": malloc'd, or NULL if
 * the entry is not a folder name we use (bad encoding, empty level,
 * invalid as a mailbox name, or a non-canonical spelling of INBOX). */
char	*md_dir_to_name(const char *dirent);

#endif
