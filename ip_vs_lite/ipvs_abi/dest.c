// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS ABI: real server commands. A new or edited real server carries
 * the whole entry (forwarding method, weight, thresholds), as with IPVS.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "datapath/encap.h"
#include "netlink/commands.h"
#include "ipvs_abi/ipvs_abi.h"
#include "model/drain.h"

/* A real server request: its service, its attributes and its entry. */
struct dest_req {
	struct ipvl_service *svc;
	struct nlattr *tb[IPVS_DEST_ATTR_MAX + 1];
	struct ipvl_dest_cfg cfg;
};

static int parse_addr(struct dest_req *req, struct netlink_ext_ack *extack)
{
	struct nlattr **tb = req->tb;
	struct nlattr *af_attr = tb[IPVS_DEST_ATTR_ADDR_FAMILY];
	int ret;

	/* Clients older than the attribute mean the service's family. */
	req->cfg.af = af_attr ? nla_get_u16(af_attr) : req->svc->af;
	ret = ipvl_ipvs_af_check(req->cfg.af, af_attr ?: tb[IPVS_DEST_ATTR_ADDR],
				 extack);
	if (ret)
		return ret;
	if (req->cfg.af != req->svc->af) {
		NL_SET_ERR_MSG_ATTR(extack, af_attr,
				    "Real server and service address families differ");
		return -EINVAL;
	}
	ret = ipvl_ipvs_get_addr(req->cfg.af, tb[IPVS_DEST_ATTR_ADDR],
				 &req->cfg.addr, extack);
	if (ret)
		return ret;
	req->cfg.port = nla_get_be16(tb[IPVS_DEST_ATTR_PORT]);
	if (!req->cfg.port)
		req->cfg.port = req->svc->port;
	return 0;
}

/* The service, and the address and port that name the real server. */
static int parse_req(struct ipvl_net *ipvl, struct genl_info *info,
		     struct dest_req *req)
{
	struct nlattr *nest = info->attrs[IPVS_CMD_ATTR_DEST];
	int ret;

	req->svc = ipvl_ipvs_find_svc(ipvl, info);
	if (IS_ERR(req->svc))
		return PTR_ERR(req->svc);
	if (!nest) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, IPVS_CMD_ATTR_DEST);
		NL_SET_ERR_MSG(info->extack, "Real server missing");
		return -EINVAL;
	}
	ret = nla_parse_nested(req->tb, IPVS_DEST_ATTR_MAX, nest,
			       ipvl_ipvs_dest_policy, info->extack);
	if (ret)
		return ret;
	if (!req->tb[IPVS_DEST_ATTR_ADDR] || !req->tb[IPVS_DEST_ATTR_PORT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "A real server needs an address and a port");
		return -EINVAL;
	}
	return parse_addr(req, info->extack);
}

static int parse_fwd(struct dest_req *req, struct netlink_ext_ack *extack)
{
	struct nlattr *attr = req->tb[IPVS_DEST_ATTR_FWD_METHOD];

	switch (nla_get_u32(attr)) {
	case IP_VS_CONN_F_DROUTE:
		req->cfg.fwd = IPVL_FWD_DR;
		return 0;
	case IP_VS_CONN_F_MASQ:
		req->cfg.fwd = IPVL_FWD_NAT;
		return 0;
	case IP_VS_CONN_F_TUNNEL:
		req->cfg.fwd = IPVL_FWD_TUN;
		return 0;
	case IP_VS_CONN_F_LOCALNODE:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Local node forwarding is not supported");
		return -EINVAL;
	default:
		NL_SET_ERR_MSG_ATTR(extack, attr, "Unknown forwarding method");
		return -EINVAL;
	}
}

/* IPVS keeps the tunnel settings whatever the forwarding method. */
static int parse_tunnel(struct dest_req *req, struct netlink_ext_ack *extack)
{
	struct nlattr *type = req->tb[IPVS_DEST_ATTR_TUN_TYPE];
	struct nlattr *port = req->tb[IPVS_DEST_ATTR_TUN_PORT];
	struct nlattr *flags = req->tb[IPVS_DEST_ATTR_TUN_FLAGS];
	struct ipvl_tun *tun = &req->cfg.tun;

	if (type)
		tun->type = nla_get_u8(type);
	if (port)
		tun->port = nla_get_be16(port);
	if (flags)
		tun->flags = nla_get_u16(flags);
	return ipvl_tun_check(tun, extack, flags ?: port ?: type);
}

/* Thresholds as IPVS checks them, then the core's own rules. */
static int check_cfg(struct dest_req *req, struct netlink_ext_ack *extack)
{
	const struct ipvl_dest_cfg *cfg = &req->cfg;
	struct nlattr **tb = req->tb;

	if (cfg->u_thresh > INT_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_U_THRESH],
				    "Upper threshold out of range");
		return -EINVAL;
	}
	if (cfg->l_thresh > cfg->u_thresh) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_L_THRESH],
				    "Lower threshold above the upper one");
		return -ERANGE;
	}
	/* DR and TUN keep the port; any port is fine on a port-0 service. */
	if (cfg->fwd != IPVL_FWD_NAT && req->svc->port &&
	    cfg->port != req->svc->port) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_PORT],
				    "Only masquerading (-m) can map ports");
		return -EINVAL;
	}
	if (cfg->fwd == IPVL_FWD_NAT &&
	    (READ_ONCE(req->svc->flags) & IPVL_SVC_F_ONEPACKET)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_DEST_ATTR_FWD_METHOD],
				    "One-packet services cannot masquerade: replies would not match");
		return -EINVAL;
	}
	return 0;
}

static int parse_entry(struct dest_req *req, struct netlink_ext_ack *extack)
{
	struct nlattr **tb = req->tb;
	int ret;

	if (!tb[IPVS_DEST_ATTR_FWD_METHOD] || !tb[IPVS_DEST_ATTR_WEIGHT] ||
	    !tb[IPVS_DEST_ATTR_U_THRESH] || !tb[IPVS_DEST_ATTR_L_THRESH]) {
		NL_SET_ERR_MSG(extack,
			       "A real server entry needs a forwarding method, a weight and thresholds");
		return -EINVAL;
	}
	ret = parse_fwd(req, extack);
	if (!ret)
		ret = parse_tunnel(req, extack);
	if (ret)
		return ret;
	req->cfg.weight = nla_get_u32(tb[IPVS_DEST_ATTR_WEIGHT]);
	req->cfg.u_thresh = nla_get_u32(tb[IPVS_DEST_ATTR_U_THRESH]);
	req->cfg.l_thresh = nla_get_u32(tb[IPVS_DEST_ATTR_L_THRESH]);
	return check_cfg(req, extack);
}

/* A new or edited real server carries the whole entry, as with IPVS. */
static int parse_full(struct ipvl_net *ipvl, struct genl_info *info,
		      struct dest_req *req)
{
	int ret = parse_req(ipvl, info, req);

	return ret ?: parse_entry(req, info->extack);
}

static struct ipvl_dest *find_dest(struct dest_req *req,
				   struct netlink_ext_ack *extack)
{
	struct ipvl_dest *dest = ipvl_dest_find(req->svc, &req->cfg);

	if (!dest)
		NL_SET_ERR_MSG_ATTR(extack, req->tb[IPVS_DEST_ATTR_ADDR],
				    "No such real server");
	return dest;
}

static int new_dest(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct dest_req req = {};
	int ret;

	ret = parse_full(ipvl, info, &req);
	if (ret)
		return ret;
	if (ipvl_dest_find(req.svc, &req.cfg)) {
		NL_SET_ERR_MSG_ATTR(info->extack, req.tb[IPVS_DEST_ATTR_ADDR],
				    "Real server already exists");
		return -EEXIST;
	}
	if (!ipvl_dest_room(ipvl)) {
		NL_SET_ERR_MSG(info->extack,
			       "Too many real servers in this network namespace (dest_max)");
		return -ENOSPC;
	}
	ret = ipvl_dest_add(req.svc, &req.cfg);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "Could not add the real server");
	return ret;
}

static int set_dest(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct dest_req req = {};
	struct ipvl_dest *dest;
	int ret;

	ret = parse_full(ipvl, info, &req);
	if (ret)
		return ret;
	dest = find_dest(&req, info->extack);
	if (!dest)
		return -ENOENT;
	return ipvl_dest_edit(req.svc, dest, &req.cfg);
}

static int del_dest(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct dest_req req = {};
	struct ipvl_dest *dest;
	int ret;

	ret = parse_req(ipvl, info, &req);
	if (ret)
		return ret;
	dest = find_dest(&req, info->extack);
	if (!dest)
		return -ENOENT;
	return ipvl_dest_remove(req.svc, dest, false);
}

int ipvl_ipvs_new_dest(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, new_dest);
}

int ipvl_ipvs_set_dest(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, set_dest);
}

int ipvl_ipvs_del_dest(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, del_dest);
}

static u32 ipvs_fwd(u8 fwd)
{
	switch (fwd) {
	case IPVL_FWD_NAT:
		return IP_VS_CONN_F_MASQ;
	case IPVL_FWD_TUN:
		return IP_VS_CONN_F_TUNNEL;
	default:
		return IP_VS_CONN_F_DROUTE;
	}
}

/* Without NLA_F_NESTED, as IPVS sends it: see fill_service(). */
static int fill_dest(struct sk_buff *skb, const struct ipvl_dest *dest)
{
	const struct ipvl_tun tun = READ_ONCE(dest->tun);
	struct nlattr *nest = nla_nest_start_noflag(skb, IPVS_CMD_ATTR_DEST);

	if (!nest ||
	    ipvl_ipvs_put_addr(skb, IPVS_DEST_ATTR_ADDR, dest->af,
			       &dest->addr) ||
	    nla_put_be16(skb, IPVS_DEST_ATTR_PORT, dest->port) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_FWD_METHOD,
			ipvs_fwd(READ_ONCE(dest->fwd))) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_WEIGHT, READ_ONCE(dest->weight)) ||
	    nla_put_u8(skb, IPVS_DEST_ATTR_TUN_TYPE, tun.type) ||
	    nla_put_be16(skb, IPVS_DEST_ATTR_TUN_PORT, tun.port) ||
	    nla_put_u16(skb, IPVS_DEST_ATTR_TUN_FLAGS, tun.flags) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_U_THRESH, READ_ONCE(dest->u_thresh)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_L_THRESH, READ_ONCE(dest->l_thresh)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_ACTIVE_CONNS,
			atomic_read(&dest->activeconns)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_INACT_CONNS,
			atomic_read(&dest->inactconns)) ||
	    nla_put_u32(skb, IPVS_DEST_ATTR_PERSIST_CONNS,
			atomic_read(&dest->persistconns)) ||
	    nla_put_u16(skb, IPVS_DEST_ATTR_ADDR_FAMILY, dest->af) ||
	    ipvl_ipvs_put_stats(skb, IPVS_DEST_ATTR_STATS,
				IPVS_DEST_ATTR_STATS64, dest->stats))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The service to dump, and how many of its real servers went out. */
struct dest_dump_ctx {
	struct ipvl_svc_key key;
	unsigned int idx;
};

/* A malformed request is refused here, with its extack message. */
int ipvl_ipvs_dump_dests_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *dinfo = genl_dumpit_info(cb);
	struct dest_dump_ctx *ctx = (struct dest_dump_ctx *)cb->ctx;
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	int ret;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	ret = ipvl_ipvs_svc_attrs(dinfo->attrs[IPVS_CMD_ATTR_SERVICE], tb,
				  cb->extack);
	if (ret)
		return ret;
	return ipvl_ipvs_svc_key(tb, &ctx->key, cb->extack);
}

static int dump_dest(struct sk_buff *skb, struct netlink_callback *cb,
		     const struct ipvl_dest *dest)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ipvl_ipvs_family, NLM_F_MULTI, IPVS_CMD_NEW_DEST);
	if (!hdr)
		return -EMSGSIZE;
	if (fill_dest(skb, dest)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* As with IPVS, a service that is not there has no real servers. */
int ipvl_ipvs_dump_dests(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct dest_dump_ctx *ctx = (struct dest_dump_ctx *)cb->ctx;
	struct ipvl_net *ipvl = ipvl_net(sock_net(skb->sk));
	struct ipvl_service *svc;
	struct ipvl_dest *dest;
	unsigned int idx = 0;

	mutex_lock(&ipvl->lock);
	svc = ipvl_service_find(ipvl, &ctx->key);
	if (!svc)
		goto out;
	ipvl_for_each_dest(dest, svc, svc->lock) {
		if (idx++ < ctx->idx)
			continue;
		if (dump_dest(skb, cb, dest))
			break;
		ctx->idx++;
	}
out:
	mutex_unlock(&ipvl->lock);
	return skb->len;
}
