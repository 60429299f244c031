// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS_LITE netlink: commands on the whole table of a netns: flush,
 * zero, timeouts and info.
 */

#include <net/genetlink.h>

#include "netlink/commands.h"
#include "datapath/conn.h"
#include "netlink/netlink.h"

int ipvl_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_flush(info);
}

int ipvl_nl_zero(struct sk_buff *skb, struct genl_info *info)
{
	bool all = !info->attrs[IPVL_A_SVC_AF] &&
		   !info->attrs[IPVL_A_SVC_ADDR] &&
		   !info->attrs[IPVL_A_SVC_PROTOCOL] &&
		   !info->attrs[IPVL_A_SVC_PORT] &&
		   !info->attrs[IPVL_A_SVC_FWMARK];

	return ipvl_cmd_zero(info, all, ipvl_nl_find_svc);
}

static const struct ipvl_cmd_timeouts timeout_attrs = {
	.tcp		= IPVL_A_TIMEOUT_TCP,
	.tcp_fin	= IPVL_A_TIMEOUT_TCP_FIN,
	.udp		= IPVL_A_TIMEOUT_UDP,
};

int ipvl_nl_set_timeout(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_set_timeouts(info, &timeout_attrs);
}

int ipvl_nl_get_timeout(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_get_timeouts(info, &ipvl_genl_family,
				     IPVL_CMD_GET_TIMEOUT, &timeout_attrs);
}

static int put_drops(struct sk_buff *msg, struct ipvl_net *ipvl)
{
	struct nlattr *nest = nla_nest_start(msg, IPVL_A_INFO_DROPS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = IPVL_DROP_NO_DEST; i < IPVL_DROP_PAD; i++)
		if (nla_put_u64_64bit(msg, i,
				      ipvl_drops_read(ipvl, i),
				      IPVL_DROP_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int ipvl_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct sk_buff *msg;
	bool failed;
	void *hdr;

	msg = ipvl_cmd_reply_new(info, &ipvl_genl_family, IPVL_CMD_GET_INFO,
				 &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	failed = nla_put_u32(msg, IPVL_A_INFO_VERSION, IPVL_VERSION_CODE) ||
		 nla_put_u32(msg, IPVL_A_INFO_CONN_TAB_SIZE,
			     ipvl_conn_table_size()) ||
		 nla_put_u32(msg, IPVL_A_INFO_CONN_COUNT,
			     ipvl_conn_count(ipvl)) ||
		 nla_put_u32(msg, IPVL_A_INFO_CONN_MAX, ipvl_conn_max()) ||
		 put_drops(msg, ipvl);
	return ipvl_cmd_reply_send(msg, hdr, info, failed);
}
