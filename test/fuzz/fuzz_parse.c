/*
 * Fuzz target: the command parser, then every typed reader that commands
 * apply to its arguments (sequence sets, search keys, fetch items).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/fetch_att.h"
#include "lib/imap_parse.h"
#include "lib/search.h"
#include "lib/seqset.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct imap_parse_limits lim = { 32, 10000 };
	struct imap_cmd *cmd;
	struct search_program *prog;
	struct fetch_atts fa;
	struct seqset *set;
	const char *err;
	char *tag;
	size_t i;

	if (imap_parse_command((const char *)data, len, &lim, &cmd, &tag,
	    &err) == 0) {
		if (search_parse(cmd->args, cmd->nargs, &prog, &err) ==
		    SEARCH_PARSE_OK)
			search_free(&prog);
		for (i = 0; i < cmd->nargs; i++) {
			if (fetch_atts_parse(&cmd->args[i], &fa, &err) == 0)
				fetch_atts_clear(&fa);
			if (cmd->args[i].type == IMAP_ARG_ATOM &&
			    seqset_parse(cmd->args[i].str, cmd->args[i].len,
			    &set) == 0)
				seqset_free(&set);
		}
		imap_cmd_free(&cmd);
	}
	free(tag);
	return 0;
}
