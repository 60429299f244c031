// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "err.h"

/* Far more words than any rule line of ipvsadm -S has. */
#define LVS_RESTORE_MAXARGS	64

/*
 * Split a rules line into words. A word starting with '#' ends the
 * line; a leading program name is dropped so that lines written as
 * whole "ipvsadm ..." commands restore too. Returns the word count, or
 * -1 if there are more than @max.
 */
int lvs_split_line(char *line, char **argv, int max)
{
	static const char blanks[] = " \t\r\n";
	char *save = NULL, *w;
	int n = 0;

	for (w = strtok_r(line, blanks, &save); w;
	     w = strtok_r(NULL, blanks, &save)) {
		if (w[0] == '#')
			break;
		if (!n && (!strcmp(w, "ipvsadm") || !strcmp(w, "lvsadm")))
			continue;
		if (n == max)
			return -1;
		argv[n++] = w;
	}
	return n;
}

static int restore_line(struct lvs_ctx *ctx, char *line, unsigned int lineno)
{
	char *argv[LVS_RESTORE_MAXARGS + 2] = { "lvsadm" };
	struct lvs_cmd cmd;
	int argc;

	argc = lvs_split_line(line, argv + 1, LVS_RESTORE_MAXARGS);
	if (argc < 0)
		return lvs_uerr("line %u: too many words", lineno);
	if (!argc)
		return 0;
	if (lvs_parse_args(argc + 1, argv, &cmd))
		return lvs_err_prefix("line %u: ", lineno);
	if (cmd.type == LVS_CMD_RESTORE || cmd.type == LVS_CMD_HELP ||
	    cmd.type == LVS_CMD_VERSION)
		return lvs_uerr("line %u: command not allowed in restore input",
				lineno);
	if (lvs_run(ctx, &cmd))
		return lvs_err_prefix("line %u: ", lineno);
	return 0;
}

/*
 * Apply rules from @in line by line, stopping at the first line that
 * fails; the lines before it stay applied.
 */
int lvs_restore(struct lvs_ctx *ctx, FILE *in)
{
	unsigned int lineno = 0;
	size_t cap = 0;
	char *line = NULL;
	int ret = 0;

	while (!ret && getline(&line, &cap, in) >= 0)
		ret = restore_line(ctx, line, ++lineno);
	free(line);
	if (!ret && ferror(in))
		ret = lvs_err("cannot read standard input");
	return ret;
}
