// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS ABI: commands on the whole table of a netns: flush, zero,
 * timeouts ("config") and info; and the sync daemon commands, refused.
 */

#include <net/genetlink.h>

#include "netlink/commands.h"
#include "datapath/conn.h"
#include "ipvs_abi/ipvs_abi.h"

int ipvl_ipvs_flush(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_flush(info);
}

/* Without a service nest, every service of the netns. */
int ipvl_ipvs_zero(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_zero(info, !info->attrs[IPVS_CMD_ATTR_SERVICE],
			     ipvl_ipvs_find_svc);
}

static const struct ipvl_cmd_timeouts timeout_attrs = {
	.tcp		= IPVS_CMD_ATTR_TIMEOUT_TCP,
	.tcp_fin	= IPVS_CMD_ATTR_TIMEOUT_TCP_FIN,
	.udp		= IPVS_CMD_ATTR_TIMEOUT_UDP,
};

int ipvl_ipvs_set_config(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_set_timeouts(info, &timeout_attrs);
}

/* Replies to GET commands carry the matching SET command, as in IPVS. */
int ipvl_ipvs_get_config(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_get_timeouts(info, &ipvl_ipvs_family,
				     IPVS_CMD_SET_CONFIG, &timeout_attrs);
}

/*
 * The version is IPVS's own, so that tools print the header they always
 * have; IPVS_LITE's GET_INFO reports ip_vs_lite's version.
 */
int ipvl_ipvs_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	bool failed;
	void *hdr;

	msg = ipvl_cmd_reply_new(info, &ipvl_ipvs_family, IPVS_CMD_SET_INFO,
				 &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	failed = nla_put_u32(msg, IPVS_INFO_ATTR_VERSION,
			     IP_VS_VERSION_CODE) ||
		 nla_put_u32(msg, IPVS_INFO_ATTR_CONN_TAB_SIZE,
			     ipvl_conn_table_size());
	return ipvl_cmd_reply_send(msg, hdr, info, failed);
}

/*
 * ip_vs_lite has no connection synchronisation: the daemon commands are
 * answered as a family without them would be, -EOPNOTSUPP.
 */
int ipvl_ipvs_daemon(struct sk_buff *skb, struct genl_info *info)
{
	NL_SET_ERR_MSG(info->extack,
		       "Connection synchronisation (sync daemons) is not supported");
	return -EOPNOTSUPP;
}

int ipvl_ipvs_dump_daemons_start(struct netlink_callback *cb)
{
	NL_SET_ERR_MSG(cb->extack,
		       "Connection synchronisation (sync daemons) is not supported");
	return -EOPNOTSUPP;
}

/* Never reached: the dump is refused when it starts. */
int ipvl_ipvs_dump_daemons(struct sk_buff *skb, struct netlink_callback *cb)
{
	return 0;
}
