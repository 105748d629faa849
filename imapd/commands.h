/*
 * commands: the dispatch table of the authenticated and selected states.
 * One handler per command, in cmd_<family>.c files.
 */
#ifndef IMAPD_COMMANDS_H
#define IMAPD_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/imap_parse.h"

struct session;

/* A command's arguments (after the name, and after "UID <name>"). */
struct cmd_ctx {
	const char		*tag;
	const char		*name;
	const struct imap_arg	*args;
	size_t			 nargs;
	bool			 uid;	/* UID FETCH / STORE / ... */
};

typedef void	 cmd_fn(struct session *, const struct cmd_ctx *);

#define CMD_SELECTED	0x01	/* only in the selected state */
#define CMD_UID		0x02	/* may follow UID */
#define CMD_NOEXPUNGE	0x04	/* no EXPUNGE after it unless UID form */

struct command {
	const char	*name;
	cmd_fn		*fn;
	unsigned	 flags;
};

/* The command called name (upper-case), or NULL. */
const struct command *command_find(const char *name);

cmd_fn	cmd_capability, cmd_noop, cmd_logout, cmd_id, cmd_enable,
	cmd_namespace, cmd_already_auth;
cmd_fn	cmd_select, cmd_examine, cmd_close, cmd_unselect;
cmd_fn	cmd_create, cmd_delete, cmd_rename, cmd_subscribe, cmd_unsubscribe;
cmd_fn	cmd_list, cmd_lsub, cmd_status, cmd_append, cmd_idle;
cmd_fn	cmd_fetch, cmd_store, cmd_search, cmd_copy, cmd_move, cmd_expunge;

#endif
