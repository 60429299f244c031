/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: carrying out parsed commands through libipvl.
 */
#ifndef LVSADM_CMD_H
#define LVSADM_CMD_H

#include <stdio.h>

#include "args.h"

struct lvs_ctx {
	struct ipvl_handle *h;	/* opened on first use, one per run */
	FILE *out;
};

int lvs_ctx_open(struct lvs_ctx *ctx);
void lvs_ctx_close(struct lvs_ctx *ctx);
/* Record the library's last failure as this run's error. */
int lvs_lib_err(struct lvs_ctx *ctx);

int lvs_run(struct lvs_ctx *ctx, const struct lvs_cmd *cmd);
bool lvs_cmd_is_change(enum lvs_cmd_type type);
int lvs_apply(struct lvs_ctx *ctx, const struct lvs_cmd *cmd);

/* table.c: the table, read whole; sorted like ipvsadm unless NOSORT. */
int lvs_table_read(struct lvs_ctx *ctx, struct lvs_table *t,
		   const struct ipvl_service *only, unsigned int fmt);
void lvs_table_free(struct lvs_table *t);
/* Change the live table until it is @want again. */
int lvs_table_converge(struct lvs_ctx *ctx, const struct lvs_table *want);

int lvs_restore(struct lvs_ctx *ctx, FILE *in);
int lvs_split_line(char *line, char **argv, int max);

#endif /* LVSADM_CMD_H */
