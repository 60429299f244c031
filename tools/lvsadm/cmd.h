/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: carrying out one parsed command over the run's socket.
 */
#ifndef LVSADM_CMD_H
#define LVSADM_CMD_H

#include <stdio.h>

#include "args.h"
#include "nlsock.h"

struct lvs_ctx {
	struct lvs_nl *nl;	/* opened on first use, one per run */
	FILE *out;
};

int lvs_run(struct lvs_ctx *ctx, const struct lvs_cmd *cmd);
int lvs_restore(struct lvs_ctx *ctx, FILE *in);
int lvs_split_line(char *line, char **argv, int max);

#endif /* LVSADM_CMD_H */
