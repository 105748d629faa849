/*
 * commands: name -> handler, allowed states and flags.
 */
#include <stdlib.h>
#include <string.h>

#include "imapd/commands.h"

static const struct command commands[] = {
	{ "APPEND",	cmd_append,	0 },
	{ "AUTHENTICATE", cmd_already_auth, 0 },
	{ "CAPABILITY",	cmd_capability,	0 },
	{ "CHECK",	cmd_noop,	CMD_SELECTED },
	{ "CLOSE",	cmd_close,	CMD_SELECTED },
	{ "COPY",	cmd_copy,	CMD_SELECTED | CMD_UID },
	{ "CREATE",	cmd_create,	0 },
	{ "DELETE",	cmd_delete,	0 },
	{ "ENABLE",	cmd_enable,	0 },
	{ "EXAMINE",	cmd_examine,	0 },
	{ "EXPUNGE",	cmd_expunge,	CMD_SELECTED | CMD_UID },
	{ "FETCH",	cmd_fetch,	CMD_SELECTED | CMD_UID |
	    CMD_NOEXPUNGE },
	{ "ID",		cmd_id,		0 },
	{ "IDLE",	cmd_idle,	0 },
	{ "LIST",	cmd_list,	0 },
	{ "LOGIN",	cmd_already_auth, 0 },
	{ "LOGOUT",	cmd_logout,	0 },
	{ "LSUB",	cmd_lsub,	0 },
	{ "MOVE",	cmd_move,	CMD_SELECTED | CMD_UID },
	{ "NAMESPACE",	cmd_namespace,	0 },
	{ "NOOP",	cmd_noop,	0 },
	{ "RENAME",	cmd_rename,	0 },
	{ "SEARCH",	cmd_search,	CMD_SELECTED | CMD_UID |
	    CMD_NOEXPUNGE },
	{ "SELECT",	cmd_select,	0 },
	{ "STARTTLS",	cmd_already_auth, 0 },
	{ "STATUS",	cmd_status,	0 },
	{ "STORE",	cmd_store,	CMD_SELECTED | CMD_UID |
	    CMD_NOEXPUNGE },
	{ "SUBSCRIBE",	cmd_subscribe,	0 },
	{ "UNSELECT",	cmd_unselect,	CMD_SELECTED },
	{ "UNSUBSCRIBE", cmd_unsubscribe, 0 },
};

static int
cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct command *)elem)->name);
}

const struct command *
command_find(const char *name)
{
	return bsearch(name, commands, sizeof(commands) / sizeof(commands[0]),
	    sizeof(commands[0]), cmp);
}
