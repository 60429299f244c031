// SPDX-License-Identifier: GPL-2.0
/*
 * lvsadm - administer ip_vs_lite virtual services with ipvsadm's syntax.
 */
#include <stdio.h>

#include "args.h"
#include "cmd.h"
#include "err.h"

static int fail(void)
{
	fprintf(stderr, "lvsadm: %s\n", lvs_errmsg());
	return lvs_errcode();
}

int main(int argc, char **argv)
{
	struct lvs_ctx ctx = { .out = stdout };
	struct lvs_cmd cmd;
	int ret;

	if (lvs_parse_args(argc, argv, &cmd))
		return fail();
	if (cmd.type == LVS_CMD_HELP) {
		lvs_usage(stdout, "lvsadm");
		return 0;
	}
	if (cmd.type == LVS_CMD_VERSION) {
		lvs_version(stdout);
		return 0;
	}
	ret = lvs_run(&ctx, &cmd);
	lvs_ctx_close(&ctx);
	if ((fflush(stdout) || ferror(stdout)) && !ret)
		ret = lvs_err("write error on standard output");
	return ret ? fail() : 0;
}
