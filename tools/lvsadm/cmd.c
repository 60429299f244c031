// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "cmd.h"
#include "err.h"
#include "fmt.h"
#include "json.h"
#include "print.h"

int lvs_lib_err(struct lvs_ctx *ctx)
{
	return lvs_err("%s", ipvl_errmsg(ctx->h));
}

int lvs_ctx_open(struct lvs_ctx *ctx)
{
	if (ctx->h)
		return 0;
	if (!ipvl_open(&ctx->h))
		return 0;
	lvs_lib_err(ctx);
	lvs_ctx_close(ctx);
	return -1;
}

void lvs_ctx_close(struct lvs_ctx *ctx)
{
	ipvl_close(ctx->h);
	ctx->h = NULL;
}

static int list_table(struct lvs_ctx *ctx, const struct lvs_cmd *cmd,
		      unsigned int fmt)
{
	const struct ipvl_service *only = NULL;
	struct ipvl_info info;
	struct lvs_table t;
	size_t i;

	if (cmd->opts & LVS_OPT(SERVICE))
		only = &cmd->svc;
	else if (!(fmt & (LVS_FMT_RULE | LVS_FMT_JSON)) &&
		 ipvl_get_info(ctx->h, &info))
		return lvs_lib_err(ctx);
	if (lvs_table_read(ctx, &t, only, fmt))
		return -1;
	if (fmt & LVS_FMT_JSON) {
		lvs_json_table(ctx->out, &t, fmt);
	} else {
		if (!only && !(fmt & LVS_FMT_RULE))
			lvs_print_version(ctx->out, &info);
		lvs_print_title(ctx->out, fmt);
		for (i = 0; i < t.n; i++)
			lvs_print_entry(ctx->out, &t.v[i], fmt);
	}
	lvs_table_free(&t);
	return 0;
}

static int list_timeout(struct lvs_ctx *ctx, unsigned int fmt)
{
	struct ipvl_timeout t;

	if (ipvl_get_timeout(ctx->h, &t))
		return lvs_lib_err(ctx);
	if (fmt & LVS_FMT_JSON)
		lvs_json_timeout(ctx->out, &t);
	else
		lvs_print_timeout(ctx->out, &t);
	return 0;
}

/* The kernel's order, as ipvsadm shows /proc/net/ip_vs_conn. */
static int list_conns(struct lvs_ctx *ctx, unsigned int fmt)
{
	struct ipvl_conn *c;
	size_t i, n;

	if (ipvl_get_conns(ctx->h, &c, &n))
		return lvs_lib_err(ctx);
	if (fmt & LVS_FMT_JSON) {
		lvs_json_conns(ctx->out, c, n);
	} else {
		lvs_print_conn_title(ctx->out, fmt);
		for (i = 0; i < n; i++)
			lvs_print_conn(ctx->out, &c[i], fmt);
	}
	free(c);
	return 0;
}

static int show_info(struct lvs_ctx *ctx, unsigned int fmt)
{
	struct ipvl_info info;

	if (ipvl_get_info(ctx->h, &info))
		return lvs_lib_err(ctx);
	if (fmt & LVS_FMT_JSON)
		lvs_json_info(ctx->out, &info);
	else
		lvs_print_info(ctx->out, &info);
	return 0;
}

static int list(struct lvs_ctx *ctx, const struct lvs_cmd *cmd)
{
	if (cmd->opts & LVS_OPT(TIMEOUT))
		return list_timeout(ctx, cmd->fmt);
	if (cmd->opts & LVS_OPT(CONNECTION))
		return list_conns(ctx, cmd->fmt);
	return list_table(ctx, cmd, cmd->fmt);
}

bool lvs_cmd_is_change(enum lvs_cmd_type type)
{
	switch (type) {
	case LVS_CMD_ADD_SVC:
	case LVS_CMD_EDIT_SVC:
	case LVS_CMD_DEL_SVC:
	case LVS_CMD_FLUSH:
	case LVS_CMD_ADD_DEST:
	case LVS_CMD_EDIT_DEST:
	case LVS_CMD_DEL_DEST:
	case LVS_CMD_TIMEOUT:
	case LVS_CMD_ZERO:
		return true;
	default:
		return false;
	}
}

static int apply(struct ipvl_handle *h, const struct lvs_cmd *cmd)
{
	const struct ipvl_service *svc = &cmd->svc;
	const struct ipvl_dest *dest = &cmd->dest;

	switch (cmd->type) {
	case LVS_CMD_ADD_SVC:
		return ipvl_add_service(h, svc);
	case LVS_CMD_EDIT_SVC:
		return ipvl_edit_service(h, svc);
	case LVS_CMD_DEL_SVC:
		return ipvl_del_service(h, svc);
	case LVS_CMD_FLUSH:
		return ipvl_flush(h);
	case LVS_CMD_ADD_DEST:
		return ipvl_add_dest(h, svc, dest);
	case LVS_CMD_EDIT_DEST:
		return ipvl_edit_dest(h, svc, dest);
	case LVS_CMD_DEL_DEST:
		return ipvl_del_dest(h, svc, dest);
	case LVS_CMD_TIMEOUT:
		return ipvl_set_timeout(h, &cmd->timeout);
	case LVS_CMD_ZERO:
		return ipvl_zero(h, cmd->opts & LVS_OPT(SERVICE) ? svc : NULL);
	default:
		return -1;
	}
}

/* One change, one request: the kernel applies all of it or nothing. */
int lvs_apply(struct lvs_ctx *ctx, const struct lvs_cmd *cmd)
{
	if (!lvs_cmd_is_change(cmd->type))
		return lvs_err("internal error: command %d changes nothing",
			       cmd->type);
	return apply(ctx->h, cmd) ? lvs_lib_err(ctx) : 0;
}

int lvs_run(struct lvs_ctx *ctx, const struct lvs_cmd *cmd)
{
	if (cmd->type == LVS_CMD_RESTORE)
		return lvs_restore(ctx, stdin);
	if (lvs_ctx_open(ctx))
		return -1;
	switch (cmd->type) {
	case LVS_CMD_LIST:
		return list(ctx, cmd);
	case LVS_CMD_SAVE:
		return list_table(ctx, cmd, cmd->fmt | LVS_FMT_RULE);
	case LVS_CMD_INFO:
		return show_info(ctx, cmd->fmt);
	default:
		return lvs_apply(ctx, cmd);
	}
}
