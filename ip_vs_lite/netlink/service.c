// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS_LITE netlink: virtual service commands.
 */

#include <net/genetlink.h>

#include "netlink/commands.h"
#include "netlink/netlink.h"

static int fill_service(struct sk_buff *skb, struct ipvl_service *svc,
			u32 portid, u32 seq, int flags)
{
	const struct ipvl_sched_ops *sched;
	void *hdr;

	sched = rcu_dereference_protected(svc->sched,
					  lockdep_is_held(svc->lock));
	hdr = genlmsg_put(skb, portid, seq, &ipvl_genl_family, flags,
			  IPVL_CMD_GET_SERVICE);
	if (!hdr)
		return -EMSGSIZE;
	if (ipvl_nl_put_svc_key(skb, svc) ||
	    nla_put_string(skb, IPVL_A_SVC_SCHED_NAME,
			   sched ? sched->name : "") ||
	    nla_put_u32(skb, IPVL_A_SVC_FLAGS, svc->flags) ||
	    nla_put_u32(skb, IPVL_A_SVC_TIMEOUT, svc->timeout / HZ) ||
	    nla_put_u32(skb, IPVL_A_SVC_NETMASK, svc->netmask) ||
	    ipvl_nl_put_stats(skb, IPVL_A_SVC_STATS, svc->stats)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

#define PERSIST_TIMEOUT_DEFAULT	300

static struct nlattr *key_attr(struct genl_info *info)
{
	return info->attrs[IPVL_A_SVC_FWMARK] ?: info->attrs[IPVL_A_SVC_ADDR];
}

static int new_service(struct ipvl_net *ipvl, struct genl_info *info)
{
	const struct ipvl_sched_ops *sched;
	struct ipvl_svc_cfg cfg = {
		.timeout = PERSIST_TIMEOUT_DEFAULT * HZ,
	};
	struct ipvl_svc_key key;
	int ret;

	ret = ipvl_nl_parse_svc_key(info, &key);
	if (ret)
		return ret;
	cfg.netmask = key.af == AF_INET6 ? 128 : 32;
	ret = ipvl_nl_parse_svc_cfg(info, &key, &cfg);
	if (ret)
		return ret;
	if (ipvl_service_find(ipvl, &key)) {
		NL_SET_ERR_MSG_ATTR(info->extack, key_attr(info),
				    "Service already exists");
		return -EEXIST;
	}
	if (!ipvl_service_room(ipvl)) {
		NL_SET_ERR_MSG(info->extack,
			       "Too many services in this network namespace (svc_max)");
		return -ENOSPC;
	}
	sched = ipvl_nl_get_sched(info);
	if (IS_ERR(sched))
		return PTR_ERR(sched);
	ret = ipvl_service_add(ipvl, &key, sched, &cfg);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "Scheduler failed to initialise");
	return ret;
}

int ipvl_nl_new_service(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, new_service);
}

/* The settings an edit asks for, checked but not applied. */
static int edit_cfg(struct ipvl_service *svc, struct genl_info *info,
		    struct ipvl_svc_cfg *cfg)
{
	struct ipvl_svc_key key = {
		.af = svc->af,
		.protocol = svc->protocol,
		.port = svc->port,
		.fwmark = svc->fwmark,
	};
	int ret;

	cfg->flags = svc->flags;
	cfg->timeout = svc->timeout;
	cfg->netmask = svc->netmask;
	ret = ipvl_nl_parse_svc_cfg(info, &key, cfg);
	if (ret)
		return ret;
	if ((cfg->flags & IPVL_SVC_F_ONEPACKET) &&
	    ipvl_service_has_nat_dest(svc)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IPVL_A_SVC_FLAGS],
				    "One-packet services cannot masquerade: replies would not match");
		return -EINVAL;
	}
	return 0;
}

/* Without a scheduler name, the service keeps its scheduler. */
static int set_service(struct ipvl_net *ipvl, struct genl_info *info)
{
	const struct ipvl_sched_ops *sched = NULL;
	struct ipvl_service *svc;
	struct ipvl_svc_cfg cfg;
	int ret;

	svc = ipvl_nl_find_svc(ipvl, info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	ret = edit_cfg(svc, info, &cfg);
	if (ret)
		return ret;
	if (info->attrs[IPVL_A_SVC_SCHED_NAME]) {
		sched = ipvl_nl_get_sched(info);
		if (IS_ERR(sched))
			return PTR_ERR(sched);
	}
	ret = ipvl_service_edit(svc, sched, &cfg);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "Scheduler failed to initialise");
	return ret;
}

int ipvl_nl_set_service(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, set_service);
}

int ipvl_nl_del_service(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_del_service(info, ipvl_nl_find_svc);
}

int ipvl_nl_get_service(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_service *svc;
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&ipvl->lock);
	svc = ipvl_nl_find_svc(ipvl, info);
	ret = IS_ERR(svc) ? PTR_ERR(svc) :
	      fill_service(msg, svc, info->snd_portid, info->snd_seq, 0);
	mutex_unlock(&ipvl->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int dump_service(struct sk_buff *skb, struct netlink_callback *cb,
			struct ipvl_service *svc)
{
	return fill_service(skb, svc, NETLINK_CB(cb->skb).portid,
			    cb->nlh->nlmsg_seq, NLM_F_MULTI);
}

int ipvl_nl_dump_services(struct sk_buff *skb, struct netlink_callback *cb)
{
	return ipvl_cmd_dump_services(skb, cb, dump_service);
}
