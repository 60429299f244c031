// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS ABI: virtual service commands. A new or edited service carries
 * the whole entry (scheduler, flags, timeout, netmask), as with IPVS.
 */

#include <linux/ctype.h>
#include <linux/inetdevice.h>
#include <net/genetlink.h>

#include "netlink/commands.h"
#include "ipvs_abi/ipvs_abi.h"
#include "model/sched_registry.h"

#define PERSIST_TIMEOUT_DEFAULT	300

/* A service request: its attributes, its key and the entry it carries. */
struct svc_req {
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct ipvl_svc_key key;
	struct ipvl_svc_cfg cfg;
};

/*
 * The IPVS service flags ip_vs_lite has, and its own for them. IPVS's
 * scheduler flags are generic bits, kept whatever the scheduler, that sh
 * and mh read as fallback (1) and port (2); ip_vs_lite's two scheduler
 * flags are those two bits. The third has no counterpart.
 */
static const struct {
	u32 ipvs;
	u32 ipvl;
} flag_map[] = {
	{ IP_VS_SVC_F_PERSISTENT,	IPVL_SVC_F_PERSISTENT },
	{ IP_VS_SVC_F_ONEPACKET,	IPVL_SVC_F_ONEPACKET },
	{ IP_VS_SVC_F_SCHED1,		IPVL_SVC_F_SCHED_FALLBACK },
	{ IP_VS_SVC_F_SCHED2,		IPVL_SVC_F_SCHED_PORT },
};

/* Every service in the table is hashed, so IPVS reports that bit too. */
static u32 ipvs_flags(u32 flags)
{
	u32 f = IP_VS_SVC_F_HASHED;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flag_map); i++)
		if (flags & flag_map[i].ipvl)
			f |= flag_map[i].ipvs;
	return f;
}

/* ip_vs_lite's flags for IPVS ones; *rest gets the bits without any. */
static u32 ipvl_flags(u32 flags, u32 *rest)
{
	u32 f = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flag_map); i++) {
		if (flags & flag_map[i].ipvs)
			f |= flag_map[i].ipvl;
		flags &= ~flag_map[i].ipvs;
	}
	*rest = flags;
	return f;
}

static int parse_req(struct genl_info *info, struct svc_req *req)
{
	int ret;

	ret = ipvl_ipvs_svc_attrs(info->attrs[IPVS_CMD_ATTR_SERVICE],
				  req->tb, info->extack);
	if (ret)
		return ret;
	return ipvl_ipvs_svc_key(req->tb, &req->key, info->extack);
}

/*
 * Flags come with a mask: bits outside it keep the service's value.
 * IPVL_SVC_F_SLOPPY has no IPVS bit and is left as it is.
 */
static int parse_flags(struct svc_req *req, const struct ipvl_service *svc,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *attr = req->tb[IPVS_SVC_ATTR_FLAGS];
	u32 flags = svc ? ipvs_flags(svc->flags) : 0;
	struct ip_vs_flags f;
	u32 mapped, rest;

	nla_memcpy(&f, attr, sizeof(f));
	flags = ((flags & ~f.mask) | (f.flags & f.mask)) & ~IP_VS_SVC_F_HASHED;
	mapped = ipvl_flags(flags, &rest);
	if (rest & IP_VS_SVC_F_SCHED3) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Scheduler flag 3 (flag-3) is not supported");
		return -EINVAL;
	}
	if (rest) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "Unknown service flags");
		return -EINVAL;
	}
	req->cfg.flags = mapped | (svc ? svc->flags & IPVL_SVC_F_SLOPPY : 0);
	return 0;
}

/* Zero keeps the timeout a service has, or gets the default. */
static int parse_timeout(struct svc_req *req, struct netlink_ext_ack *extack)
{
	struct nlattr *attr = req->tb[IPVS_SVC_ATTR_TIMEOUT];
	u32 secs = nla_get_u32(attr);

	if (secs) {
		req->cfg.timeout = (unsigned long)secs * HZ;
		return 0;
	}
	if (req->cfg.flags & IPVL_SVC_F_PERSISTENT) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "A persistent service needs a timeout");
		return -EINVAL;
	}
	return 0;
}

/* IPv4 carries a mask, IPv6 a prefix length; the core keeps the length. */
static int parse_netmask(struct svc_req *req, struct netlink_ext_ack *extack)
{
	struct nlattr *attr = req->tb[IPVS_SVC_ATTR_NETMASK];
	__be32 mask;
	int len;

	if (req->key.af == AF_INET6) {
		len = nla_get_u32(attr);
		if (len < 1 || len > 128) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "IPv6 prefix length out of range");
			return -EINVAL;
		}
		req->cfg.netmask = len;
		return 0;
	}
	mask = nla_get_be32(attr);
	len = inet_mask_len(mask);
	if (inet_make_mask(len) != mask) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "Netmask is not contiguous");
		return -EINVAL;
	}
	req->cfg.netmask = len;
	return 0;
}

/* The rules the core relies on, as IPVS_LITE enforces them. */
static int check_cfg(struct svc_req *req, struct ipvl_service *svc,
		     struct netlink_ext_ack *extack)
{
	const struct ipvl_svc_key *key = &req->key;
	u32 flags = req->cfg.flags;

	if (!key->fwmark && !key->port && !(flags & IPVL_SVC_F_PERSISTENT)) {
		NL_SET_ERR_MSG_ATTR(extack, req->tb[IPVS_SVC_ATTR_PORT],
				    "Port 0 is only for persistent services");
		return -EINVAL;
	}
	if (!(flags & IPVL_SVC_F_ONEPACKET))
		return 0;
	if (!key->fwmark && key->protocol != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, req->tb[IPVS_SVC_ATTR_FLAGS],
				    "One-packet scheduling is for UDP services");
		return -EINVAL;
	}
	if (svc && ipvl_service_has_nat_dest(svc)) {
		NL_SET_ERR_MSG_ATTR(extack, req->tb[IPVS_SVC_ATTR_FLAGS],
				    "One-packet services cannot masquerade: replies would not match");
		return -EINVAL;
	}
	return 0;
}

static bool entry_missing(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	static const int needed[] = {
		IPVS_SVC_ATTR_SCHED_NAME, IPVS_SVC_ATTR_FLAGS,
		IPVS_SVC_ATTR_TIMEOUT, IPVS_SVC_ATTR_NETMASK,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(needed); i++) {
		if (!tb[needed[i]]) {
			NL_SET_ERR_MSG(extack,
				       "A service entry needs a scheduler, flags, a timeout and a netmask");
			return true;
		}
	}
	return false;
}

/* The entry a new or edited service gets, on top of what it has. */
static int parse_entry(struct svc_req *req, struct ipvl_service *svc,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *pe = req->tb[IPVS_SVC_ATTR_PE_NAME];
	int ret;

	if (entry_missing(req->tb, extack))
		return -EINVAL;
	/* As IPVS answers when the engine's module cannot be found. */
	if (pe && *(char *)nla_data(pe)) {
		NL_SET_ERR_MSG_ATTR(extack, pe,
				    "Persistence engines are not supported");
		return -ENOENT;
	}
	if (svc) {
		req->cfg.flags = svc->flags;
		req->cfg.timeout = svc->timeout;
		req->cfg.netmask = svc->netmask;
	} else {
		req->cfg.timeout = PERSIST_TIMEOUT_DEFAULT * HZ;
	}
	ret = parse_flags(req, svc, extack);
	if (!ret)
		ret = parse_timeout(req, extack);
	if (!ret)
		ret = parse_netmask(req, extack);
	if (!ret)
		ret = check_cfg(req, svc, extack);
	return ret;
}

/* A missing scheduler is -ENOENT, as IPVS answers. */
static const struct ipvl_sched_ops *get_sched(struct nlattr *attr,
					      struct netlink_ext_ack *extack)
{
	const struct ipvl_sched_ops *sched;
	const char *name = nla_data(attr);
	const char *c;

	if (!*name || !strcmp(name, "none")) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "A service needs a scheduler");
		return ERR_PTR(-ENOENT);
	}
	for (c = name; *c; c++) {
		if (!islower(*c) && !isdigit(*c) && *c != '_') {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "Invalid scheduler name");
			return ERR_PTR(-ENOENT);
		}
	}
	sched = ipvl_sched_get(name);
	if (!sched) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "Scheduler not found");
		return ERR_PTR(-ENOENT);
	}
	return sched;
}

static int new_service(struct ipvl_net *ipvl, struct genl_info *info)
{
	const struct ipvl_sched_ops *sched;
	struct svc_req req = {};
	int ret;

	ret = parse_req(info, &req);
	if (!ret)
		ret = parse_entry(&req, NULL, info->extack);
	if (ret)
		return ret;
	if (ipvl_service_find(ipvl, &req.key)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[IPVS_CMD_ATTR_SERVICE],
				    "Service already exists");
		return -EEXIST;
	}
	if (!ipvl_service_room(ipvl)) {
		NL_SET_ERR_MSG(info->extack,
			       "Too many services in this network namespace (svc_max)");
		return -ENOSPC;
	}
	sched = get_sched(req.tb[IPVS_SVC_ATTR_SCHED_NAME], info->extack);
	if (IS_ERR(sched))
		return PTR_ERR(sched);
	ret = ipvl_service_add(ipvl, &req.key, sched, &req.cfg);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "Could not add the service");
	return ret;
}

int ipvl_ipvs_new_service(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, new_service);
}

static int set_service(struct ipvl_net *ipvl, struct genl_info *info)
{
	const struct ipvl_sched_ops *sched;
	struct ipvl_service *svc;
	struct svc_req req = {};
	int ret;

	ret = parse_req(info, &req);
	if (ret)
		return ret;
	svc = ipvl_service_find(ipvl, &req.key);
	ret = parse_entry(&req, svc, info->extack);
	if (ret)
		return ret;
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[IPVS_CMD_ATTR_SERVICE],
				    "No such service");
		return -ESRCH;
	}
	sched = get_sched(req.tb[IPVS_SVC_ATTR_SCHED_NAME], info->extack);
	if (IS_ERR(sched))
		return PTR_ERR(sched);
	ret = ipvl_service_edit(svc, sched, &req.cfg);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "Scheduler failed to initialise");
	return ret;
}

int ipvl_ipvs_set_service(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_locked(info, set_service);
}

int ipvl_ipvs_del_service(struct sk_buff *skb, struct genl_info *info)
{
	return ipvl_cmd_del_service(info, ipvl_ipvs_find_svc);
}

static int put_key(struct sk_buff *skb, const struct ipvl_service *svc)
{
	if (nla_put_u16(skb, IPVS_SVC_ATTR_AF, svc->af))
		return -EMSGSIZE;
	if (svc->fwmark)
		return nla_put_u32(skb, IPVS_SVC_ATTR_FWMARK, svc->fwmark);
	if (nla_put_u16(skb, IPVS_SVC_ATTR_PROTOCOL, svc->protocol) ||
	    ipvl_ipvs_put_addr(skb, IPVS_SVC_ATTR_ADDR, svc->af, &svc->addr) ||
	    nla_put_be16(skb, IPVS_SVC_ATTR_PORT, svc->port))
		return -EMSGSIZE;
	return 0;
}

static int put_netmask(struct sk_buff *skb, const struct ipvl_service *svc)
{
	if (svc->af == AF_INET6)
		return nla_put_u32(skb, IPVS_SVC_ATTR_NETMASK, svc->netmask);
	return nla_put_be32(skb, IPVS_SVC_ATTR_NETMASK,
			    inet_make_mask(svc->netmask));
}

/*
 * Nests go out without NLA_F_NESTED, exactly as IPVS sends them: some
 * clients compare attribute types without masking the flag off.
 */
static int fill_service(struct sk_buff *skb, struct ipvl_service *svc)
{
	const struct ipvl_sched_ops *sched;
	struct ip_vs_flags flags = {
		.flags = ipvs_flags(svc->flags),
		.mask = ~0U,
	};
	struct nlattr *nest;

	sched = rcu_dereference_protected(svc->sched,
					  lockdep_is_held(svc->lock));
	nest = nla_nest_start_noflag(skb, IPVS_CMD_ATTR_SERVICE);
	if (!nest ||
	    put_key(skb, svc) ||
	    nla_put_string(skb, IPVS_SVC_ATTR_SCHED_NAME,
			   sched ? sched->name : "none") ||
	    nla_put(skb, IPVS_SVC_ATTR_FLAGS, sizeof(flags), &flags) ||
	    nla_put_u32(skb, IPVS_SVC_ATTR_TIMEOUT, svc->timeout / HZ) ||
	    put_netmask(skb, svc) ||
	    ipvl_ipvs_put_stats(skb, IPVS_SVC_ATTR_STATS,
				IPVS_SVC_ATTR_STATS64, svc->stats))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int ipvl_ipvs_get_service(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_service *svc;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ipvl_ipvs_family, 0,
				IPVS_CMD_NEW_SERVICE);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&ipvl->lock);
	svc = ipvl_ipvs_find_svc(ipvl, info);
	ret = IS_ERR(svc) ? PTR_ERR(svc) : fill_service(msg, svc);
	mutex_unlock(&ipvl->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int dump_service(struct sk_buff *skb, struct netlink_callback *cb,
			struct ipvl_service *svc)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ipvl_ipvs_family, NLM_F_MULTI,
			  IPVS_CMD_NEW_SERVICE);
	if (!hdr)
		return -EMSGSIZE;
	if (fill_service(skb, svc)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int ipvl_ipvs_dump_services(struct sk_buff *skb, struct netlink_callback *cb)
{
	return ipvl_cmd_dump_services(skb, cb, dump_service);
}
