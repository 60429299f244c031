// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS ABI: commands on the whole table of a netns: flush, zero,
 * timeouts ("config") and info; and the sync daemon commands, refused.
 */

#include <net/genetlink.h>

#include "conn.h"
#include "ipvs_abi.h"
#include "stats.h"

int ipvl_ipvs_flush(struct sk_buff *skb, struct genl_info *info)
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

	lockdep_assert_held(svc->lock);
	ipvl_stats_zero(svc->stats);
	ipvl_est_zero(svc->stats);
	ipvl_for_each_dest(dest, svc, svc->lock) {
		ipvl_stats_zero(dest->stats);
		ipvl_est_zero(dest->stats);
	}
}

/* Without a service nest, every service of the netns. */
static int zero(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct ipvl_service *svc;
	int bkt;

	if (!info->attrs[IPVS_CMD_ATTR_SERVICE]) {
		hash_for_each(ipvl->svc_tab, bkt, svc, node)
			zero_service(svc);
		return 0;
	}
	svc = ipvl_ipvs_find_svc(ipvl, info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	zero_service(svc);
	return 0;
}

int ipvl_ipvs_zero(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	int ret;

	mutex_lock(&ipvl->lock);
	ret = zero(ipvl, info);
	mutex_unlock(&ipvl->lock);
	return ret;
}

/* Zero or absent leaves a timeout as it is, as IPVS does. */
static void set_timeout(const struct nlattr *attr, unsigned long *t)
{
	u32 secs = attr ? nla_get_u32(attr) : 0;

	if (secs)
		WRITE_ONCE(*t, (unsigned long)secs * HZ);
}

int ipvl_ipvs_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_timeouts *t = &ipvl->timeouts;

	mutex_lock(&ipvl->lock);
	set_timeout(info->attrs[IPVS_CMD_ATTR_TIMEOUT_TCP], &t->tcp_est);
	set_timeout(info->attrs[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN], &t->tcp_fin);
	set_timeout(info->attrs[IPVS_CMD_ATTR_TIMEOUT_UDP], &t->udp);
	mutex_unlock(&ipvl->lock);
	return 0;
}

/* Replies to GET commands carry the matching SET command, as in IPVS. */
static struct sk_buff *reply_new(struct genl_info *info, u8 cmd, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &ipvl_ipvs_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info,
		      int err)
{
	if (err) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int ipvl_ipvs_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	const struct ipvl_timeouts *t = &ipvl->timeouts;
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = reply_new(info, IPVS_CMD_SET_CONFIG, &hdr);
	if (!msg)
		return -ENOMEM;
	err = nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP,
			  READ_ONCE(t->tcp_est) / HZ) ||
	      nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN,
			  READ_ONCE(t->tcp_fin) / HZ) ||
	      nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP,
			  READ_ONCE(t->udp) / HZ);
	return reply_send(msg, hdr, info, err);
}

/*
 * The version is IPVS's own, so that tools print the header they always
 * have; IPVS_LITE's GET_INFO reports ip_vs_lite's version.
 */
int ipvl_ipvs_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = reply_new(info, IPVS_CMD_SET_INFO, &hdr);
	if (!msg)
		return -ENOMEM;
	err = nla_put_u32(msg, IPVS_INFO_ATTR_VERSION, IP_VS_VERSION_CODE) ||
	      nla_put_u32(msg, IPVS_INFO_ATTR_CONN_TAB_SIZE,
			  ipvl_conn_table_size());
	return reply_send(msg, hdr, info, err);
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
