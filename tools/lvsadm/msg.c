// SPDX-License-Identifier: GPL-2.0
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "msg.h"

struct nlmsghdr *lvs_msg_new(void *buf, uint16_t family, uint8_t cmd,
			     uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = IPVL_GENL_VERSION;
	return nlh;
}

void lvs_msg_put_svc_id(struct nlmsghdr *nlh, const struct lvs_service *svc)
{
	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, svc->af);
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, svc->protocol);
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, lvs_addr_len(svc->af), &svc->addr);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(svc->port));
}

void lvs_msg_put_svc(struct nlmsghdr *nlh, const struct lvs_service *svc)
{
	lvs_msg_put_svc_id(nlh, svc);
	mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, svc->sched);
}

void lvs_msg_put_dest_id(struct nlmsghdr *nlh, const struct lvs_dest *dest)
{
	mnl_attr_put_u16(nlh, IPVL_A_DEST_AF, dest->af);
	mnl_attr_put(nlh, IPVL_A_DEST_ADDR, lvs_addr_len(dest->af),
		     &dest->addr);
	mnl_attr_put_u16(nlh, IPVL_A_DEST_PORT, htons(dest->port));
}

void lvs_msg_put_dest(struct nlmsghdr *nlh, const struct lvs_dest *dest)
{
	lvs_msg_put_dest_id(nlh, dest);
	mnl_attr_put_u8(nlh, IPVL_A_DEST_FWD, dest->fwd);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_WEIGHT, dest->weight);
}

void lvs_msg_put_timeout(struct nlmsghdr *nlh, const struct lvs_timeout *t)
{
	mnl_attr_put_u32(nlh, IPVL_A_TIMEOUT_TCP, t->tcp);
	mnl_attr_put_u32(nlh, IPVL_A_TIMEOUT_TCP_FIN, t->tcp_fin);
	mnl_attr_put_u32(nlh, IPVL_A_TIMEOUT_UDP, t->udp);
}

static const enum mnl_attr_data_type attr_type[IPVL_A_MAX + 1] = {
	[IPVL_A_SVC_AF]			= MNL_TYPE_U16,
	[IPVL_A_SVC_PROTOCOL]		= MNL_TYPE_U8,
	[IPVL_A_SVC_ADDR]		= MNL_TYPE_BINARY,
	[IPVL_A_SVC_PORT]		= MNL_TYPE_U16,
	[IPVL_A_SVC_SCHED_NAME]		= MNL_TYPE_NUL_STRING,
	[IPVL_A_SVC_FLAGS]		= MNL_TYPE_U32,
	[IPVL_A_SVC_STATS]		= MNL_TYPE_NESTED,
	[IPVL_A_DEST_AF]		= MNL_TYPE_U16,
	[IPVL_A_DEST_ADDR]		= MNL_TYPE_BINARY,
	[IPVL_A_DEST_PORT]		= MNL_TYPE_U16,
	[IPVL_A_DEST_FWD]		= MNL_TYPE_U8,
	[IPVL_A_DEST_WEIGHT]		= MNL_TYPE_U32,
	[IPVL_A_DEST_ACTIVE_CONNS]	= MNL_TYPE_U32,
	[IPVL_A_DEST_INACT_CONNS]	= MNL_TYPE_U32,
	[IPVL_A_DEST_STATS]		= MNL_TYPE_NESTED,
	[IPVL_A_TIMEOUT_TCP]		= MNL_TYPE_U32,
	[IPVL_A_TIMEOUT_TCP_FIN]	= MNL_TYPE_U32,
	[IPVL_A_TIMEOUT_UDP]		= MNL_TYPE_U32,
	[IPVL_A_INFO_VERSION]		= MNL_TYPE_U32,
	[IPVL_A_INFO_CONN_TAB_SIZE]	= MNL_TYPE_U32,
	[IPVL_A_INFO_CONN_COUNT]	= MNL_TYPE_U32,
};

/* Attributes newer than this tool are skipped, not treated as errors. */
static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > IPVL_A_MAX)
		return MNL_CB_OK;
	if (attr_type[type] != MNL_TYPE_UNSPEC &&
	    mnl_attr_validate(attr, attr_type[type]) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

/* Only the five totals are shown; other counters are left alone. */
static int stats_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type < IPVL_STATS_CONNS || type > IPVL_STATS_OUTBYTES)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_attrs(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (IPVL_A_MAX + 1));
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct genlmsghdr)))
		return -1;
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb) <
	    MNL_CB_STOP)
		return -1;
	return 0;
}

static int parse_stats(const struct nlattr *nest, struct lvs_stats *st)
{
	const struct nlattr *tb[IPVL_STATS_MAX + 1] = { NULL };
	uint64_t *const field[IPVL_STATS_MAX + 1] = {
		[IPVL_STATS_CONNS]	= &st->conns,
		[IPVL_STATS_INPKTS]	= &st->inpkts,
		[IPVL_STATS_OUTPKTS]	= &st->outpkts,
		[IPVL_STATS_INBYTES]	= &st->inbytes,
		[IPVL_STATS_OUTBYTES]	= &st->outbytes,
	};
	unsigned int i;

	memset(st, 0, sizeof(*st));
	if (!nest)
		return 0;
	if (mnl_attr_parse_nested(nest, stats_cb, tb) < MNL_CB_STOP)
		return -1;
	for (i = 0; i <= IPVL_STATS_MAX; i++)
		if (tb[i] && field[i])
			*field[i] = mnl_attr_get_u64(tb[i]);
	return 0;
}

static int get_addr(const struct nlattr *attr, uint16_t af,
		    union lvs_inaddr *addr)
{
	if (af != AF_INET && af != AF_INET6)
		return -1;
	if (mnl_attr_get_payload_len(attr) != lvs_addr_len(af))
		return -1;
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, mnl_attr_get_payload(attr), lvs_addr_len(af));
	return 0;
}

static uint32_t get_u32_or0(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u32(attr) : 0;
}

static int bad_reply(const char *what)
{
	return lvs_err("malformed %s reply from the kernel", what);
}

int lvs_msg_parse_service(const struct nlmsghdr *nlh,
			  struct lvs_service *svc)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];

	memset(svc, 0, sizeof(*svc));
	if (parse_attrs(nlh, tb) || !tb[IPVL_A_SVC_AF] ||
	    !tb[IPVL_A_SVC_PROTOCOL] || !tb[IPVL_A_SVC_ADDR] ||
	    !tb[IPVL_A_SVC_PORT])
		return bad_reply("service");
	svc->af = mnl_attr_get_u16(tb[IPVL_A_SVC_AF]);
	svc->protocol = mnl_attr_get_u8(tb[IPVL_A_SVC_PROTOCOL]);
	svc->port = ntohs(mnl_attr_get_u16(tb[IPVL_A_SVC_PORT]));
	if (get_addr(tb[IPVL_A_SVC_ADDR], svc->af, &svc->addr))
		return bad_reply("service");
	if (tb[IPVL_A_SVC_SCHED_NAME])
		snprintf(svc->sched, sizeof(svc->sched), "%s",
			 mnl_attr_get_str(tb[IPVL_A_SVC_SCHED_NAME]));
	svc->flags = get_u32_or0(tb[IPVL_A_SVC_FLAGS]);
	if (parse_stats(tb[IPVL_A_SVC_STATS], &svc->stats))
		return bad_reply("service");
	return 0;
}

int lvs_msg_parse_dest(const struct nlmsghdr *nlh, uint16_t svc_af,
		       struct lvs_dest *dest)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];

	memset(dest, 0, sizeof(*dest));
	if (parse_attrs(nlh, tb) || !tb[IPVL_A_DEST_ADDR] ||
	    !tb[IPVL_A_DEST_PORT])
		return bad_reply("real server");
	dest->af = tb[IPVL_A_DEST_AF] ? mnl_attr_get_u16(tb[IPVL_A_DEST_AF]) :
					svc_af;
	if (get_addr(tb[IPVL_A_DEST_ADDR], dest->af, &dest->addr))
		return bad_reply("real server");
	dest->port = ntohs(mnl_attr_get_u16(tb[IPVL_A_DEST_PORT]));
	if (tb[IPVL_A_DEST_FWD])
		dest->fwd = mnl_attr_get_u8(tb[IPVL_A_DEST_FWD]);
	dest->weight = get_u32_or0(tb[IPVL_A_DEST_WEIGHT]);
	dest->activeconns = get_u32_or0(tb[IPVL_A_DEST_ACTIVE_CONNS]);
	dest->inactconns = get_u32_or0(tb[IPVL_A_DEST_INACT_CONNS]);
	if (parse_stats(tb[IPVL_A_DEST_STATS], &dest->stats))
		return bad_reply("real server");
	return 0;
}

int lvs_msg_parse_info(const struct nlmsghdr *nlh, struct lvs_info *info)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];

	memset(info, 0, sizeof(*info));
	if (parse_attrs(nlh, tb) || !tb[IPVL_A_INFO_VERSION] ||
	    !tb[IPVL_A_INFO_CONN_TAB_SIZE])
		return bad_reply("info");
	info->version = mnl_attr_get_u32(tb[IPVL_A_INFO_VERSION]);
	info->conn_tab_size = mnl_attr_get_u32(tb[IPVL_A_INFO_CONN_TAB_SIZE]);
	info->conn_count = get_u32_or0(tb[IPVL_A_INFO_CONN_COUNT]);
	return 0;
}

int lvs_msg_parse_timeout(const struct nlmsghdr *nlh, struct lvs_timeout *t)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (parse_attrs(nlh, tb))
		return bad_reply("timeout");
	t->tcp = get_u32_or0(tb[IPVL_A_TIMEOUT_TCP]);
	t->tcp_fin = get_u32_or0(tb[IPVL_A_TIMEOUT_TCP_FIN]);
	t->udp = get_u32_or0(tb[IPVL_A_TIMEOUT_UDP]);
	return 0;
}
