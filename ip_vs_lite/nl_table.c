// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS_LITE netlink: commands on the whole table of a netns: flush,
 * zero, timeouts and info.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "conn.h"
#include "netlink.h"
#include "netns.h"
#include "proto.h"
#include "service.h"
#include "stats.h"

int ipvl_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));

	mutex_lock(&ipvl->lock);
	ipvl_service_flush(ipvl);
	mutex_unlock(&ipvl->lock);
	return 0;
}

static void zero_service(struct ipvl_service *svc)
{
	struct ipvl_dest *dest;

	ipvl_stats_zero(svc->stats);
	ipvl_est_zero(svc->stats);
	ipvl_for_each_dest(dest, svc, svc->lock) {
		ipvl_stats_zero(dest->stats);
		ipvl_est_zero(dest->stats);
	}
}

static int zero(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct ipvl_service *svc;
	int bkt;

	if (!info->attrs[IPVL_A_SVC_AF] && !info->attrs[IPVL_A_SVC_ADDR] &&
	    !info->attrs[IPVL_A_SVC_PROTOCOL] && !info->attrs[IPVL_A_SVC_PORT] &&
	    !info->attrs[IPVL_A_SVC_FWMARK]) {
		hash_for_each(ipvl->svc_tab, bkt, svc, node)
			zero_service(svc);
		return 0;
	}
	svc = ipvl_nl_find_svc(ipvl, info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	zero_service(svc);
	return 0;
}

int ipvl_nl_zero(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	int ret;

	mutex_lock(&ipvl->lock);
	ret = zero(ipvl, info);
	mutex_unlock(&ipvl->lock);
	return ret;
}

static void set_timeout(struct nlattr *attr, unsigned long *t)
{
	u32 secs = attr ? nla_get_u32(attr) : 0;

	/* Zero leaves a timeout as it is, as with ipvsadm --set. */
	if (secs)
		WRITE_ONCE(*t, (unsigned long)secs * HZ);
}

int ipvl_nl_set_timeout(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_timeouts *t = &ipvl->timeouts;

	mutex_lock(&ipvl->lock);
	set_timeout(info->attrs[IPVL_A_TIMEOUT_TCP], &t->tcp_est);
	set_timeout(info->attrs[IPVL_A_TIMEOUT_TCP_FIN], &t->tcp_fin);
	set_timeout(info->attrs[IPVL_A_TIMEOUT_UDP], &t->udp);
	mutex_unlock(&ipvl->lock);
	return 0;
}

int ipvl_nl_get_timeout(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	const struct ipvl_timeouts *t = &ipvl->timeouts;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ipvl_genl_family, 0,
				IPVL_CMD_GET_TIMEOUT);
	if (!hdr ||
	    nla_put_u32(msg, IPVL_A_TIMEOUT_TCP, READ_ONCE(t->tcp_est) / HZ) ||
	    nla_put_u32(msg, IPVL_A_TIMEOUT_TCP_FIN,
			READ_ONCE(t->tcp_fin) / HZ) ||
	    nla_put_u32(msg, IPVL_A_TIMEOUT_UDP, READ_ONCE(t->udp) / HZ)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int put_drops(struct sk_buff *msg, struct ipvl_net *ipvl)
{
	struct nlattr *nest = nla_nest_start(msg, IPVL_A_INFO_DROPS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = IPVL_DROP_NO_DEST; i < IPVL_DROP_PAD; i++)
		if (nla_put_u64_64bit(msg, i,
				      atomic_long_read(&ipvl->drops[i]),
				      IPVL_DROP_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int ipvl_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ipvl_genl_family, 0,
				IPVL_CMD_GET_INFO);
	if (!hdr ||
	    nla_put_u32(msg, IPVL_A_INFO_VERSION, IPVL_VERSION_CODE) ||
	    nla_put_u32(msg, IPVL_A_INFO_CONN_TAB_SIZE,
			ipvl_conn_table_size()) ||
	    nla_put_u32(msg, IPVL_A_INFO_CONN_COUNT,
			atomic_read(&ipvl->conn_count)) ||
	    nla_put_u32(msg, IPVL_A_INFO_CONN_MAX, ipvl_conn_max()) ||
	    put_drops(msg, ipvl)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}
