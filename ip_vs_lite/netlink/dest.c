// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS_LITE netlink: real server commands.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "model/drain.h"
#include "netlink/commands.h"
#include "netlink/netlink.h"

static int fill_dest(struct sk_buff *skb, const struct ipvl_dest *dest,
		     u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ipvl_genl_family, flags,
			  IPVL_CMD_GET_DEST);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u16(skb, IPVL_A_DEST_AF, dest->af) ||
	    ipvl_nl_put_addr(skb, IPVL_A_DEST_ADDR, dest->af, &dest->addr) ||
	    nla_put_be16(skb, IPVL_A_DEST_PORT, dest->port) ||
	    nla_put_u8(skb, IPVL_A_DEST_FWD, dest->fwd) ||
	    nla_put_u32(skb, IPVL_A_DEST_WEIGHT, dest->weight) ||
	    nla_put_u32(skb, IPVL_A_DEST_ACTIVE_CONNS,
			atomic_read(&dest->activeconns)) ||
	    nla_put_u32(skb, IPVL_A_DEST_INACT_CONNS,
			atomic_read(&dest->inactconns)) ||
	    nla_put_u32(skb, IPVL_A_DEST_PERSIST_CONNS,
			atomic_read(&dest->persistconns)) ||
	    nla_put_u32(skb, IPVL_A_DEST_U_THRESH, dest->u_thresh) ||
	    nla_put_u32(skb, IPVL_A_DEST_L_THRESH, dest->l_thresh) ||
	    nla_put_u8(skb, IPVL_A_DEST_TUN_TYPE, dest->tun.type) ||
	    nla_put_be16(skb, IPVL_A_DEST_TUN_PORT, dest->tun.port) ||
	    nla_put_u16(skb, IPVL_A_DEST_TUN_FLAGS, dest->tun.flags) ||
	    ipvl_nl_put_stats(skb, IPVL_A_DEST_STATS, dest->stats) ||
	    (test_bit(IPVL_DEST_F_DRAINING, &dest->flags) &&
	     nla_put_flag(skb, IPVL_A_DEST_DRAIN))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int new_dest(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct ipvl_dest_cfg cfg = { .fwd = IPVL_FWD_DR, .weight = 1 };
	struct ipvl_service *svc;
	struct ipvl_dest *dest;
	int ret;

	svc = ipvl_nl_find_svc(ipvl, info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	ret = ipvl_nl_parse_dest(info, svc, &cfg);
	if (ret)
		return ret;
	dest = ipvl_dest_find(svc, &cfg);
	if (dest && test_bit(IPVL_DEST_F_DRAINING, &dest->flags)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IPVL_A_DEST_ADDR],
				    "Real server is draining (edit it to keep it)");
		return -EEXIST;
	}
	if (dest) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IPVL_A_DEST_ADDR],
				    "Real server already exists");
		return -EEXIST;
	}
	ret = ipvl_nl_parse_dest_cfg(info, svc, &cfg);
	if (ret)
		return ret;
	if (!ipvl_dest_room(ipvl_net(svc->net))) {
		NL_SET_ERR_MSG(info->extack,
			       "Too many real servers in this network namespace (dest_max)");
		return -ENOSPC;
	}
	ret = ipvl_dest_add(svc, &cfg);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "Could not add the real server");
	return ret;
}

int ipvl_nl_new_dest(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, new_dest);
}

/* Finds the real server a request names, with its current settings. */
static struct ipvl_dest *find_dest(struct ipvl_net *ipvl,
				   struct genl_info *info,
				   struct ipvl_dest_cfg *cfg)
{
	struct ipvl_service *svc;
	struct ipvl_dest *dest;
	int ret;

	svc = ipvl_nl_find_svc(ipvl, info);
	if (IS_ERR(svc))
		return ERR_CAST(svc);
	ret = ipvl_nl_parse_dest(info, svc, cfg);
	if (ret)
		return ERR_PTR(ret);
	dest = ipvl_dest_find(svc, cfg);
	if (!dest) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IPVL_A_DEST_ADDR],
				    "No such real server");
		return ERR_PTR(-ENOENT);
	}
	cfg->fwd = dest->fwd;
	cfg->tun = dest->tun;
	cfg->weight = dest->weight;
	cfg->u_thresh = dest->u_thresh;
	cfg->l_thresh = dest->l_thresh;
	return dest;
}

static int set_dest(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct ipvl_dest_cfg cfg;
	struct ipvl_dest *dest;
	int ret;

	dest = find_dest(ipvl, info, &cfg);
	if (IS_ERR(dest))
		return PTR_ERR(dest);
	ret = ipvl_nl_parse_dest_cfg(info, dest->svc, &cfg);
	if (ret)
		return ret;
	return ipvl_dest_edit(dest->svc, dest, &cfg);
}

static int del_dest(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct ipvl_dest_cfg cfg;
	struct ipvl_dest *dest;

	dest = find_dest(ipvl, info, &cfg);
	if (IS_ERR(dest))
		return PTR_ERR(dest);
	return ipvl_dest_remove(dest->svc, dest,
				nla_get_flag(info->attrs[IPVL_A_DEST_DRAIN]));
}

int ipvl_nl_set_dest(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, set_dest);
}

int ipvl_nl_del_dest(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, del_dest);
}

struct dest_dump_ctx {
	unsigned int idx;
};

static int dump_dests(struct sk_buff *skb, struct netlink_callback *cb,
		      struct ipvl_service *svc)
{
	struct dest_dump_ctx *ctx = (struct dest_dump_ctx *)cb->ctx;
	struct ipvl_dest *dest;
	unsigned int idx = 0;

	ipvl_for_each_dest(dest, svc, svc->lock) {
		if (idx++ < ctx->idx)
			continue;
		if (fill_dest(skb, dest, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
		ctx->idx++;
	}
	return skb->len;
}

int ipvl_nl_dump_dests(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *dinfo = genl_dumpit_info(cb);
	struct ipvl_net *ipvl = ipvl_net(sock_net(skb->sk));
	struct genl_info info = {
		.attrs = dinfo->attrs,
		.extack = cb->extack,
	};
	struct ipvl_service *svc;
	int ret;

	BUILD_BUG_ON(sizeof(struct dest_dump_ctx) > sizeof(cb->ctx));
	mutex_lock(&ipvl->lock);
	svc = ipvl_nl_find_svc(ipvl, &info);
	ret = IS_ERR(svc) ? PTR_ERR(svc) : dump_dests(skb, cb, svc);
	mutex_unlock(&ipvl->lock);
	return ret;
}
