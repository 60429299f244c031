// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "cmd.h"
#include "err.h"
#include "fmt.h"
#include "msg.h"
#include "print.h"
#include "request.h"

struct svc_vec {
	struct lvs_service *v;
	size_t n, cap;
};

struct dest_vec {
	uint16_t af;		/* of the service, for replies without one */
	struct lvs_dest *v;
	size_t n, cap;
};

static void *vec_grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *nv;

	if (n < *cap)
		return v;
	nv = realloc(v, ncap * size);
	if (nv)
		*cap = ncap;
	return nv;
}

static int svc_cb(const struct nlmsghdr *nlh, void *data)
{
	struct svc_vec *vec = data;
	struct lvs_service *nv;

	nv = vec_grow(vec->v, &vec->cap, vec->n, sizeof(*nv));
	if (!nv) {
		lvs_err("out of memory");
		return MNL_CB_ERROR;
	}
	vec->v = nv;
	if (lvs_msg_parse_service(nlh, &vec->v[vec->n]))
		return MNL_CB_ERROR;
	vec->n++;
	return MNL_CB_OK;
}

static int dest_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dest_vec *vec = data;
	struct lvs_dest *nv;

	nv = vec_grow(vec->v, &vec->cap, vec->n, sizeof(*nv));
	if (!nv) {
		lvs_err("out of memory");
		return MNL_CB_ERROR;
	}
	vec->v = nv;
	if (lvs_msg_parse_dest(nlh, vec->af, &vec->v[vec->n]))
		return MNL_CB_ERROR;
	vec->n++;
	return MNL_CB_OK;
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	return lvs_msg_parse_info(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int timeout_cb(const struct nlmsghdr *nlh, void *data)
{
	return lvs_msg_parse_timeout(nlh, data) ? MNL_CB_ERROR : MNL_CB_OK;
}

static int ctx_open(struct lvs_ctx *ctx)
{
	if (!ctx->nl)
		ctx->nl = lvs_nl_open();
	return ctx->nl ? 0 : -1;
}

static int print_entry(struct lvs_ctx *ctx, const struct lvs_service *svc,
		       unsigned int fmt)
{
	struct dest_vec dests = { .af = svc->af };
	char buf[LVS_MSG_BUFSZ];
	struct nlmsghdr *nlh;
	int ret;

	nlh = lvs_req_dests(buf, lvs_nl_family(ctx->nl), svc);
	ret = lvs_nl_talk(ctx->nl, nlh, dest_cb, &dests);
	if (!ret)
		lvs_print_service(ctx->out, svc, dests.v, dests.n, fmt);
	free(dests.v);
	return ret;
}

static int print_version(struct lvs_ctx *ctx)
{
	char buf[LVS_MSG_BUFSZ];
	struct lvs_info info = {};
	struct nlmsghdr *nlh;

	nlh = lvs_req_info(buf, lvs_nl_family(ctx->nl));
	if (lvs_nl_talk(ctx->nl, nlh, info_cb, &info))
		return -1;
	lvs_print_version(ctx->out, &info);
	return 0;
}

static int list_all(struct lvs_ctx *ctx, unsigned int fmt)
{
	struct svc_vec svcs = {};
	char buf[LVS_MSG_BUFSZ];
	struct nlmsghdr *nlh;
	size_t i;
	int ret;

	if (!(fmt & LVS_FMT_RULE) && print_version(ctx))
		return -1;
	nlh = lvs_req_services(buf, lvs_nl_family(ctx->nl));
	ret = lvs_nl_talk(ctx->nl, nlh, svc_cb, &svcs);
	if (!ret && svcs.n > 1 && !(fmt & LVS_FMT_NOSORT))
		qsort(svcs.v, svcs.n, sizeof(*svcs.v), lvs_service_cmp);
	if (!ret)
		lvs_print_title(ctx->out, fmt);
	for (i = 0; !ret && i < svcs.n; i++)
		ret = print_entry(ctx, &svcs.v[i], fmt);
	free(svcs.v);
	return ret;
}

static int list_service(struct lvs_ctx *ctx, const struct lvs_cmd *cmd)
{
	struct svc_vec svcs = {};
	char buf[LVS_MSG_BUFSZ];
	struct nlmsghdr *nlh;
	int ret;

	nlh = lvs_req_service(buf, lvs_nl_family(ctx->nl), &cmd->svc);
	ret = lvs_nl_talk(ctx->nl, nlh, svc_cb, &svcs);
	if (!ret && svcs.n != 1)
		ret = lvs_err("No such service");
	if (!ret) {
		lvs_print_title(ctx->out, cmd->fmt);
		ret = print_entry(ctx, &svcs.v[0], cmd->fmt);
	}
	free(svcs.v);
	return ret;
}

static int list_timeout(struct lvs_ctx *ctx)
{
	char buf[LVS_MSG_BUFSZ];
	struct lvs_timeout t = {};
	struct nlmsghdr *nlh;

	nlh = lvs_req_timeout(buf, lvs_nl_family(ctx->nl));
	if (lvs_nl_talk(ctx->nl, nlh, timeout_cb, &t))
		return -1;
	lvs_print_timeout(ctx->out, &t);
	return 0;
}

static int list(struct lvs_ctx *ctx, const struct lvs_cmd *cmd)
{
	if (cmd->opts & LVS_OPT(SERVICE))
		return list_service(ctx, cmd);
	if (cmd->opts & LVS_OPT(TIMEOUT))
		return list_timeout(ctx);
	return list_all(ctx, cmd->fmt);
}

static int change(struct lvs_ctx *ctx, const struct lvs_cmd *cmd)
{
	char buf[LVS_MSG_BUFSZ];
	struct nlmsghdr *nlh;

	nlh = lvs_req_change(buf, lvs_nl_family(ctx->nl), cmd);
	if (!nlh)
		return lvs_err("internal error: command %d changes nothing",
			       cmd->type);
	return lvs_nl_talk(ctx->nl, nlh, NULL, NULL);
}

int lvs_run(struct lvs_ctx *ctx, const struct lvs_cmd *cmd)
{
	if (cmd->type == LVS_CMD_RESTORE)
		return lvs_restore(ctx, stdin);
	if (ctx_open(ctx))
		return -1;
	switch (cmd->type) {
	case LVS_CMD_LIST:
		return list(ctx, cmd);
	case LVS_CMD_SAVE:
		return list_all(ctx, cmd->fmt | LVS_FMT_RULE);
	default:
		return change(ctx, cmd);
	}
}
