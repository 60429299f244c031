// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS_LITE messages, built and parsed without a socket so that both
 * directions can be checked on any host.
 */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct nlmsghdr *ipvl_msg_put_header(void *buf, uint16_t family, uint8_t cmd,
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

void ipvl_put_svc_id(struct nlmsghdr *nlh, const struct ipvl_service *svc)
{
	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, svc->af);
	if (svc->fwmark) {
		mnl_attr_put_u32(nlh, IPVL_A_SVC_FWMARK, svc->fwmark);
		return;
	}
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, svc->protocol);
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, ipvl_addr_len(svc->af), &svc->addr);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(svc->port));
}

void ipvl_put_svc_cfg(struct nlmsghdr *nlh, const struct ipvl_service *svc)
{
	if (svc->sched[0])
		mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, svc->sched);
	mnl_attr_put_u32(nlh, IPVL_A_SVC_FLAGS, svc->flags);
	if ((svc->flags & IPVL_SVC_F_PERSISTENT) && svc->timeout)
		mnl_attr_put_u32(nlh, IPVL_A_SVC_TIMEOUT, svc->timeout);
	mnl_attr_put_u32(nlh, IPVL_A_SVC_NETMASK, svc->netmask);
}

void ipvl_put_dest_id(struct nlmsghdr *nlh, const struct ipvl_dest *dest)
{
	mnl_attr_put_u16(nlh, IPVL_A_DEST_AF, dest->af);
	mnl_attr_put(nlh, IPVL_A_DEST_ADDR, ipvl_addr_len(dest->af),
		     &dest->addr);
	mnl_attr_put_u16(nlh, IPVL_A_DEST_PORT, htons(dest->port));
}

void ipvl_put_dest_cfg(struct nlmsghdr *nlh, const struct ipvl_dest *dest)
{
	mnl_attr_put_u8(nlh, IPVL_A_DEST_FWD, dest->fwd);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_WEIGHT, dest->weight);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_U_THRESH, dest->u_thresh);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_L_THRESH, dest->l_thresh);
	mnl_attr_put_u8(nlh, IPVL_A_DEST_TUN_TYPE, dest->tun_type);
	mnl_attr_put_u16(nlh, IPVL_A_DEST_TUN_PORT, htons(dest->tun_port));
	mnl_attr_put_u16(nlh, IPVL_A_DEST_TUN_FLAGS, dest->tun_flags);
}

void ipvl_put_timeout(struct nlmsghdr *nlh, const struct ipvl_timeout *t)
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
	[IPVL_A_SVC_FWMARK]		= MNL_TYPE_U32,
	[IPVL_A_SVC_TIMEOUT]		= MNL_TYPE_U32,
	[IPVL_A_SVC_NETMASK]		= MNL_TYPE_U32,
	[IPVL_A_DEST_U_THRESH]		= MNL_TYPE_U32,
	[IPVL_A_DEST_L_THRESH]		= MNL_TYPE_U32,
	[IPVL_A_DEST_PERSIST_CONNS]	= MNL_TYPE_U32,
	[IPVL_A_DEST_DRAIN]		= MNL_TYPE_FLAG,
	[IPVL_A_DEST_TUN_TYPE]		= MNL_TYPE_U8,
	[IPVL_A_DEST_TUN_PORT]		= MNL_TYPE_U16,
	[IPVL_A_DEST_TUN_FLAGS]		= MNL_TYPE_U16,
	[IPVL_A_CONN_AF]		= MNL_TYPE_U16,
	[IPVL_A_CONN_PROTOCOL]		= MNL_TYPE_U8,
	[IPVL_A_CONN_CADDR]		= MNL_TYPE_BINARY,
	[IPVL_A_CONN_CPORT]		= MNL_TYPE_U16,
	[IPVL_A_CONN_VADDR]		= MNL_TYPE_BINARY,
	[IPVL_A_CONN_VPORT]		= MNL_TYPE_U16,
	[IPVL_A_CONN_DADDR]		= MNL_TYPE_BINARY,
	[IPVL_A_CONN_DPORT]		= MNL_TYPE_U16,
	[IPVL_A_CONN_FWD]		= MNL_TYPE_U8,
	[IPVL_A_CONN_STATE]		= MNL_TYPE_NUL_STRING,
	[IPVL_A_CONN_EXPIRES]		= MNL_TYPE_U32,
	[IPVL_A_CONN_FLAGS]		= MNL_TYPE_U32,
	[IPVL_A_CONN_FWMARK]		= MNL_TYPE_U32,
	[IPVL_A_INFO_CONN_MAX]		= MNL_TYPE_U32,
	[IPVL_A_INFO_DROPS]		= MNL_TYPE_NESTED,
};

/* Attributes newer than this library are skipped, not treated as errors. */
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

/* Nests of u64 counters: unknown and padding attributes are skipped. */
struct u64_nest {
	const struct nlattr **tb;
	unsigned int max;
	unsigned int pad;
};

static int u64_cb(const struct nlattr *attr, void *data)
{
	const struct u64_nest *n = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (!type || type > n->max || type == n->pad)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_ERROR;
	n->tb[type] = attr;
	return MNL_CB_OK;
}

#define U64_NEST_MAX	63

_Static_assert(IPVL_STATS_MAX <= U64_NEST_MAX && IPVL_DROP_MAX <= U64_NEST_MAX,
	       "counter nests outgrew parse_u64_nest()");

static int parse_u64_nest(const struct nlattr *nest, unsigned int max,
			  unsigned int pad, uint64_t *out)
{
	const struct nlattr *tb[U64_NEST_MAX + 1] = { NULL };
	struct u64_nest n = { .tb = tb, .max = max, .pad = pad };
	unsigned int i;

	if (mnl_attr_parse_nested(nest, u64_cb, &n) < MNL_CB_STOP)
		return -1;
	for (i = 1; i <= max; i++)
		if (tb[i])
			out[i] = mnl_attr_get_u64(tb[i]);
	return 0;
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

/* Counters a kernel does not send (the rates, on older ones) stay 0. */
static int parse_stats(const struct nlattr *nest, struct ipvl_stats *st)
{
	uint64_t v[IPVL_STATS_MAX + 1] = { 0 };

	memset(st, 0, sizeof(*st));
	if (!nest)
		return 0;
	if (parse_u64_nest(nest, IPVL_STATS_MAX, IPVL_STATS_PAD, v))
		return -1;
	st->conns = v[IPVL_STATS_CONNS];
	st->inpkts = v[IPVL_STATS_INPKTS];
	st->outpkts = v[IPVL_STATS_OUTPKTS];
	st->inbytes = v[IPVL_STATS_INBYTES];
	st->outbytes = v[IPVL_STATS_OUTBYTES];
	st->cps = v[IPVL_STATS_CPS];
	st->inpps = v[IPVL_STATS_INPPS];
	st->outpps = v[IPVL_STATS_OUTPPS];
	st->inbps = v[IPVL_STATS_INBPS];
	st->outbps = v[IPVL_STATS_OUTBPS];
	return 0;
}

static int get_addr(const struct nlattr *attr, uint16_t af,
		    union ipvl_addr *addr)
{
	if (!attr || (af != AF_INET && af != AF_INET6))
		return -1;
	if (mnl_attr_get_payload_len(attr) != ipvl_addr_len(af))
		return -1;
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, mnl_attr_get_payload(attr), ipvl_addr_len(af));
	return 0;
}

static uint32_t get_u32_or0(const struct nlattr *attr)
{
	return attr ? mnl_attr_get_u32(attr) : 0;
}

static uint16_t get_port(const struct nlattr *attr)
{
	return attr ? ntohs(mnl_attr_get_u16(attr)) : 0;
}

static int parse_svc_id(const struct nlattr **tb, struct ipvl_service *svc)
{
	if (!tb[IPVL_A_SVC_AF])
		return -1;
	svc->af = mnl_attr_get_u16(tb[IPVL_A_SVC_AF]);
	svc->fwmark = get_u32_or0(tb[IPVL_A_SVC_FWMARK]);
	if (svc->fwmark)
		return svc->af == AF_INET || svc->af == AF_INET6 ? 0 : -1;
	if (!tb[IPVL_A_SVC_PROTOCOL] || !tb[IPVL_A_SVC_PORT])
		return -1;
	svc->protocol = mnl_attr_get_u8(tb[IPVL_A_SVC_PROTOCOL]);
	svc->port = get_port(tb[IPVL_A_SVC_PORT]);
	return get_addr(tb[IPVL_A_SVC_ADDR], svc->af, &svc->addr);
}

int ipvl_parse_service(const struct nlmsghdr *nlh, struct ipvl_service *svc)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];

	memset(svc, 0, sizeof(*svc));
	if (parse_attrs(nlh, tb) || parse_svc_id(tb, svc))
		return -1;
	if (tb[IPVL_A_SVC_SCHED_NAME])
		snprintf(svc->sched, sizeof(svc->sched), "%s",
			 mnl_attr_get_str(tb[IPVL_A_SVC_SCHED_NAME]));
	svc->flags = get_u32_or0(tb[IPVL_A_SVC_FLAGS]);
	svc->timeout = get_u32_or0(tb[IPVL_A_SVC_TIMEOUT]);
	svc->netmask = tb[IPVL_A_SVC_NETMASK] ?
		       mnl_attr_get_u32(tb[IPVL_A_SVC_NETMASK]) :
		       ipvl_addr_len(svc->af) * 8;
	return parse_stats(tb[IPVL_A_SVC_STATS], &svc->stats);
}

int ipvl_parse_dest(const struct nlmsghdr *nlh, uint16_t svc_af,
		    struct ipvl_dest *dest)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];

	memset(dest, 0, sizeof(*dest));
	if (parse_attrs(nlh, tb) || !tb[IPVL_A_DEST_PORT])
		return -1;
	dest->af = tb[IPVL_A_DEST_AF] ? mnl_attr_get_u16(tb[IPVL_A_DEST_AF]) :
					svc_af;
	if (get_addr(tb[IPVL_A_DEST_ADDR], dest->af, &dest->addr))
		return -1;
	dest->port = get_port(tb[IPVL_A_DEST_PORT]);
	if (tb[IPVL_A_DEST_FWD])
		dest->fwd = mnl_attr_get_u8(tb[IPVL_A_DEST_FWD]);
	dest->weight = get_u32_or0(tb[IPVL_A_DEST_WEIGHT]);
	dest->u_thresh = get_u32_or0(tb[IPVL_A_DEST_U_THRESH]);
	dest->l_thresh = get_u32_or0(tb[IPVL_A_DEST_L_THRESH]);
	dest->activeconns = get_u32_or0(tb[IPVL_A_DEST_ACTIVE_CONNS]);
	dest->inactconns = get_u32_or0(tb[IPVL_A_DEST_INACT_CONNS]);
	dest->persistconns = get_u32_or0(tb[IPVL_A_DEST_PERSIST_CONNS]);
	dest->drain = tb[IPVL_A_DEST_DRAIN];
	if (tb[IPVL_A_DEST_TUN_TYPE])
		dest->tun_type = mnl_attr_get_u8(tb[IPVL_A_DEST_TUN_TYPE]);
	if (tb[IPVL_A_DEST_TUN_PORT])
		dest->tun_port = get_port(tb[IPVL_A_DEST_TUN_PORT]);
	if (tb[IPVL_A_DEST_TUN_FLAGS])
		dest->tun_flags = mnl_attr_get_u16(tb[IPVL_A_DEST_TUN_FLAGS]);
	return parse_stats(tb[IPVL_A_DEST_STATS], &dest->stats);
}

int ipvl_parse_conn(const struct nlmsghdr *nlh, struct ipvl_conn *c)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (parse_attrs(nlh, tb) || !tb[IPVL_A_CONN_AF] ||
	    !tb[IPVL_A_CONN_PROTOCOL])
		return -1;
	c->af = mnl_attr_get_u16(tb[IPVL_A_CONN_AF]);
	c->protocol = mnl_attr_get_u8(tb[IPVL_A_CONN_PROTOCOL]);
	if (get_addr(tb[IPVL_A_CONN_CADDR], c->af, &c->caddr) ||
	    get_addr(tb[IPVL_A_CONN_VADDR], c->af, &c->vaddr) ||
	    get_addr(tb[IPVL_A_CONN_DADDR], c->af, &c->daddr))
		return -1;
	c->cport = get_port(tb[IPVL_A_CONN_CPORT]);
	c->vport = get_port(tb[IPVL_A_CONN_VPORT]);
	c->dport = get_port(tb[IPVL_A_CONN_DPORT]);
	if (tb[IPVL_A_CONN_FWD])
		c->fwd = mnl_attr_get_u8(tb[IPVL_A_CONN_FWD]);
	if (tb[IPVL_A_CONN_STATE])
		snprintf(c->state, sizeof(c->state), "%s",
			 mnl_attr_get_str(tb[IPVL_A_CONN_STATE]));
	c->expires_ms = get_u32_or0(tb[IPVL_A_CONN_EXPIRES]);
	c->flags = get_u32_or0(tb[IPVL_A_CONN_FLAGS]);
	c->fwmark = get_u32_or0(tb[IPVL_A_CONN_FWMARK]);
	return 0;
}

int ipvl_parse_info(const struct nlmsghdr *nlh, struct ipvl_info *info)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];

	memset(info, 0, sizeof(*info));
	if (parse_attrs(nlh, tb) || !tb[IPVL_A_INFO_VERSION] ||
	    !tb[IPVL_A_INFO_CONN_TAB_SIZE])
		return -1;
	info->version = mnl_attr_get_u32(tb[IPVL_A_INFO_VERSION]);
	info->conn_tab_size = mnl_attr_get_u32(tb[IPVL_A_INFO_CONN_TAB_SIZE]);
	info->conn_count = get_u32_or0(tb[IPVL_A_INFO_CONN_COUNT]);
	info->conn_max = get_u32_or0(tb[IPVL_A_INFO_CONN_MAX]);
	if (!tb[IPVL_A_INFO_DROPS])
		return 0;
	info->has_drops = true;
	return parse_u64_nest(tb[IPVL_A_INFO_DROPS], IPVL_DROP_MAX,
			      IPVL_DROP_PAD, info->drops);
}

int ipvl_parse_timeout(const struct nlmsghdr *nlh, struct ipvl_timeout *t)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (parse_attrs(nlh, tb))
		return -1;
	t->tcp = get_u32_or0(tb[IPVL_A_TIMEOUT_TCP]);
	t->tcp_fin = get_u32_or0(tb[IPVL_A_TIMEOUT_TCP_FIN]);
	t->udp = get_u32_or0(tb[IPVL_A_TIMEOUT_UDP]);
	return 0;
}
