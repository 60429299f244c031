// SPDX-License-Identifier: GPL-2.0
/*
 * The IPVS_LITE generic netlink family: one policy and one handler per
 * command. Every rejection carries an extack message.
 */

#include <linux/ctype.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "conn.h"
#include "netlink.h"
#include "netns.h"
#include "proto.h"
#include "sched.h"
#include "service.h"
#include "stats.h"

#define TIMEOUT_MAX	(365 * 24 * 3600)

static struct genl_family ipvl_genl_family;

static struct netlink_range_validation weight_range = {
	.max = 65535,
};

static struct netlink_range_validation timeout_range = {
	.max = TIMEOUT_MAX,
};

#define SVC_KEY_POLICY							\
	[IPVL_A_SVC_AF] = { .type = NLA_U16 },				\
	[IPVL_A_SVC_PROTOCOL] = { .type = NLA_U8 },			\
	[IPVL_A_SVC_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),	\
	[IPVL_A_SVC_PORT] = { .type = NLA_BE16 }

#define SVC_CFG_POLICY							\
	[IPVL_A_SVC_SCHED_NAME] = { .type = NLA_NUL_STRING,		\
				    .len = IPVL_SCHED_NAME_MAX - 1 },	\
	[IPVL_A_SVC_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0)

#define DEST_KEY_POLICY							\
	[IPVL_A_DEST_AF] = { .type = NLA_U16 },				\
	[IPVL_A_DEST_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),	\
	[IPVL_A_DEST_PORT] = { .type = NLA_BE16 }

#define DEST_CFG_POLICY							\
	[IPVL_A_DEST_FWD] = NLA_POLICY_RANGE(NLA_U8, IPVL_FWD_DR,	\
					     IPVL_FWD_MAX),		\
	[IPVL_A_DEST_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &weight_range)

static const struct nla_policy new_service_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	SVC_CFG_POLICY,
};

static const struct nla_policy set_service_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	SVC_CFG_POLICY,
};

static const struct nla_policy svc_key_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
};

static const struct nla_policy new_dest_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	DEST_KEY_POLICY,
	DEST_CFG_POLICY,
};

static const struct nla_policy set_dest_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	DEST_KEY_POLICY,
	DEST_CFG_POLICY,
};

static const struct nla_policy del_dest_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	DEST_KEY_POLICY,
};

static const struct nla_policy timeout_policy[IPVL_A_MAX + 1] = {
	[IPVL_A_TIMEOUT_TCP] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[IPVL_A_TIMEOUT_TCP_FIN] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[IPVL_A_TIMEOUT_UDP] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
};

static const struct nla_policy empty_policy[IPVL_A_MAX + 1] = {};

/* Parsing requests */

static int parse_addr(struct genl_info *info, int af_attr, int addr_attr,
		      u16 *af, union nf_inet_addr *addr)
{
	struct nlattr **tb = info->attrs;

	if (GENL_REQ_ATTR_CHECK(info, af_attr) ||
	    GENL_REQ_ATTR_CHECK(info, addr_attr))
		return -EINVAL;
	*af = nla_get_u16(tb[af_attr]);
	if (*af == AF_INET6) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[af_attr],
				    "IPv6 is not supported yet");
		return -EAFNOSUPPORT;
	}
	if (*af != AF_INET) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[af_attr],
				    "Unknown address family");
		return -EAFNOSUPPORT;
	}
	if (nla_len(tb[addr_attr]) != sizeof(addr->ip)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[addr_attr],
				    "Address length does not match its family");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	addr->ip = nla_get_in_addr(tb[addr_attr]);
	return 0;
}

static int parse_svc_key(struct genl_info *info, struct ipvl_svc_key *key)
{
	struct nlattr **tb = info->attrs;
	int ret;

	ret = parse_addr(info, IPVL_A_SVC_AF, IPVL_A_SVC_ADDR, &key->af,
			 &key->addr);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, IPVL_A_SVC_PROTOCOL) ||
	    GENL_REQ_ATTR_CHECK(info, IPVL_A_SVC_PORT))
		return -EINVAL;
	key->protocol = nla_get_u8(tb[IPVL_A_SVC_PROTOCOL]);
	if (key->protocol != IPPROTO_TCP && key->protocol != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_SVC_PROTOCOL],
				    "Protocol must be TCP or UDP");
		return -EPROTONOSUPPORT;
	}
	key->port = nla_get_be16(tb[IPVL_A_SVC_PORT]);
	if (!key->port) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_SVC_PORT],
				    "Port must be 1..65535");
		return -EINVAL;
	}
	return 0;
}

static struct ipvl_service *find_svc(struct ipvl_net *ipvl,
				     struct genl_info *info)
{
	struct ipvl_svc_key key;
	struct ipvl_service *svc;

	if (parse_svc_key(info, &key))
		return ERR_PTR(-EINVAL);
	svc = ipvl_service_find(ipvl, &key);
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IPVL_A_SVC_ADDR],
				    "No such service");
		return ERR_PTR(-ESRCH);
	}
	return svc;
}

static const struct ipvl_sched_ops *get_sched(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[IPVL_A_SVC_SCHED_NAME];
	const struct ipvl_sched_ops *sched;
	const char *name = attr ? nla_data(attr) : "wlc";
	const char *c;

	for (c = name; *c; c++) {
		if (!islower(*c) && !isdigit(*c) && *c != '_') {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "Invalid scheduler name");
			return ERR_PTR(-EINVAL);
		}
	}
	if (!*name) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "Empty scheduler name");
		return ERR_PTR(-EINVAL);
	}
	sched = ipvl_sched_get(name);
	if (!sched) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "Scheduler not found");
		return ERR_PTR(-ENOENT);
	}
	return sched;
}

static int parse_dest(struct genl_info *info, const struct ipvl_service *svc,
		      struct ipvl_dest_cfg *cfg)
{
	struct nlattr **tb = info->attrs;
	int ret;

	ret = parse_addr(info, IPVL_A_DEST_AF, IPVL_A_DEST_ADDR, &cfg->af,
			 &cfg->addr);
	if (ret)
		return ret;
	if (cfg->af != svc->af) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_DEST_AF],
				    "Real server and service families differ");
		return -EAFNOSUPPORT;
	}
	cfg->port = tb[IPVL_A_DEST_PORT] ?
		    nla_get_be16(tb[IPVL_A_DEST_PORT]) : 0;
	if (!cfg->port)
		cfg->port = svc->port;
	return 0;
}

static int parse_dest_cfg(struct genl_info *info,
			  const struct ipvl_service *svc,
			  struct ipvl_dest_cfg *cfg)
{
	struct nlattr **tb = info->attrs;

	if (tb[IPVL_A_DEST_FWD])
		cfg->fwd = nla_get_u8(tb[IPVL_A_DEST_FWD]);
	if (tb[IPVL_A_DEST_WEIGHT])
		cfg->weight = nla_get_u32(tb[IPVL_A_DEST_WEIGHT]);
	if (cfg->fwd != IPVL_FWD_NAT && cfg->port != svc->port) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_DEST_PORT],
				    "Only masquerading (-m) can map ports");
		return -EINVAL;
	}
	return 0;
}

/* Filling replies */

static int put_addr(struct sk_buff *skb, int attr, u16 af,
		    const union nf_inet_addr *addr)
{
	if (af == AF_INET6)
		return nla_put_in6_addr(skb, attr, &addr->in6);
	return nla_put_in_addr(skb, attr, addr->ip);
}

static int put_stats(struct sk_buff *skb, int attr,
		     const struct ipvl_stats *stats)
{
	struct ipvl_stats_sum s;
	struct nlattr *nest;

	ipvl_stats_read(stats, &s);
	nest = nla_nest_start(skb, attr);
	if (!nest ||
	    nla_put_u64_64bit(skb, IPVL_STATS_CONNS, s.conns, IPVL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, IPVL_STATS_INPKTS, s.inpkts,
			      IPVL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, IPVL_STATS_OUTPKTS, s.outpkts,
			      IPVL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, IPVL_STATS_INBYTES, s.inbytes,
			      IPVL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, IPVL_STATS_OUTBYTES, s.outbytes,
			      IPVL_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_svc_key(struct sk_buff *skb, const struct ipvl_service *svc)
{
	if (nla_put_u16(skb, IPVL_A_SVC_AF, svc->af) ||
	    nla_put_u8(skb, IPVL_A_SVC_PROTOCOL, svc->protocol) ||
	    put_addr(skb, IPVL_A_SVC_ADDR, svc->af, &svc->addr) ||
	    nla_put_be16(skb, IPVL_A_SVC_PORT, svc->port))
		return -EMSGSIZE;
	return 0;
}

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
	if (put_svc_key(skb, svc) ||
	    nla_put_string(skb, IPVL_A_SVC_SCHED_NAME,
			   sched ? sched->name : "") ||
	    nla_put_u32(skb, IPVL_A_SVC_FLAGS, svc->flags) ||
	    put_stats(skb, IPVL_A_SVC_STATS, svc->stats)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int fill_dest(struct sk_buff *skb, const struct ipvl_dest *dest,
		     u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &ipvl_genl_family, flags,
			  IPVL_CMD_GET_DEST);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u16(skb, IPVL_A_DEST_AF, dest->af) ||
	    put_addr(skb, IPVL_A_DEST_ADDR, dest->af, &dest->addr) ||
	    nla_put_be16(skb, IPVL_A_DEST_PORT, dest->port) ||
	    nla_put_u8(skb, IPVL_A_DEST_FWD, dest->fwd) ||
	    nla_put_u32(skb, IPVL_A_DEST_WEIGHT, dest->weight) ||
	    nla_put_u32(skb, IPVL_A_DEST_ACTIVE_CONNS,
			atomic_read(&dest->activeconns)) ||
	    nla_put_u32(skb, IPVL_A_DEST_INACT_CONNS,
			atomic_read(&dest->inactconns)) ||
	    put_stats(skb, IPVL_A_DEST_STATS, dest->stats)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Service commands */

static int new_service(struct ipvl_net *ipvl, struct genl_info *info)
{
	const struct ipvl_sched_ops *sched;
	struct ipvl_svc_key key;
	int ret;

	ret = parse_svc_key(info, &key);
	if (ret)
		return ret;
	if (ipvl_service_find(ipvl, &key)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IPVL_A_SVC_ADDR],
				    "Service already exists");
		return -EEXIST;
	}
	sched = get_sched(info);
	if (IS_ERR(sched))
		return PTR_ERR(sched);
	ret = ipvl_service_add(ipvl, &key, sched, 0);
	if (ret) {
		ipvl_sched_put(sched);
		NL_SET_ERR_MSG(info->extack, "Scheduler failed to initialise");
	}
	return ret;
}

static int ipvl_nl_new_service(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	int ret;

	mutex_lock(&ipvl->lock);
	ret = new_service(ipvl, info);
	mutex_unlock(&ipvl->lock);
	return ret;
}

static int set_service(struct ipvl_net *ipvl, struct genl_info *info)
{
	const struct ipvl_sched_ops *sched;
	struct ipvl_service *svc;
	int ret;

	svc = find_svc(ipvl, info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	if (!info->attrs[IPVL_A_SVC_SCHED_NAME])
		return 0;
	sched = get_sched(info);
	if (IS_ERR(sched))
		return PTR_ERR(sched);
	ret = ipvl_service_set_sched(svc, sched);
	if (ret) {
		ipvl_sched_put(sched);
		NL_SET_ERR_MSG(info->extack, "Scheduler failed to initialise");
	}
	return ret;
}

static int ipvl_nl_set_service(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	int ret;

	mutex_lock(&ipvl->lock);
	ret = set_service(ipvl, info);
	mutex_unlock(&ipvl->lock);
	return ret;
}

static int ipvl_nl_del_service(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_service *svc;
	int ret = 0;

	mutex_lock(&ipvl->lock);
	svc = find_svc(ipvl, info);
	if (IS_ERR(svc))
		ret = PTR_ERR(svc);
	else
		ipvl_service_del(ipvl, svc);
	mutex_unlock(&ipvl->lock);
	return ret;
}

static int ipvl_nl_get_service(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_service *svc;
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&ipvl->lock);
	svc = find_svc(ipvl, info);
	ret = IS_ERR(svc) ? PTR_ERR(svc) :
	      fill_service(msg, svc, info->snd_portid, info->snd_seq, 0);
	mutex_unlock(&ipvl->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

struct svc_dump_ctx {
	unsigned int bucket;
	unsigned int idx;
};

static int ipvl_nl_dump_services(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct svc_dump_ctx *ctx = (struct svc_dump_ctx *)cb->ctx;
	struct ipvl_net *ipvl = ipvl_net(sock_net(skb->sk));
	struct ipvl_service *svc;
	unsigned int idx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&ipvl->lock);
	for (; ctx->bucket < HASH_SIZE(ipvl->svc_tab); ctx->bucket++) {
		idx = 0;
		hlist_for_each_entry(svc, &ipvl->svc_tab[ctx->bucket], node) {
			if (idx++ < ctx->idx)
				continue;
			if (fill_service(skb, svc, NETLINK_CB(cb->skb).portid,
					 cb->nlh->nlmsg_seq, NLM_F_MULTI))
				goto out;
			ctx->idx++;
		}
		ctx->idx = 0;
	}
out:
	mutex_unlock(&ipvl->lock);
	return skb->len;
}

/* Real server commands */

static int new_dest(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct ipvl_dest_cfg cfg = { .fwd = IPVL_FWD_DR, .weight = 1 };
	struct ipvl_service *svc;
	int ret;

	svc = find_svc(ipvl, info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	ret = parse_dest(info, svc, &cfg);
	if (ret)
		return ret;
	if (ipvl_dest_find(svc, &cfg)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IPVL_A_DEST_ADDR],
				    "Real server already exists");
		return -EEXIST;
	}
	ret = parse_dest_cfg(info, svc, &cfg);
	if (ret)
		return ret;
	ret = ipvl_dest_add(svc, &cfg);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "Could not add the real server");
	return ret;
}

static int ipvl_nl_new_dest(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	int ret;

	mutex_lock(&ipvl->lock);
	ret = new_dest(ipvl, info);
	mutex_unlock(&ipvl->lock);
	return ret;
}

/* Finds the real server a request names, with its current settings. */
static struct ipvl_dest *find_dest(struct ipvl_net *ipvl,
				   struct genl_info *info,
				   struct ipvl_dest_cfg *cfg)
{
	struct ipvl_service *svc;
	struct ipvl_dest *dest;
	int ret;

	svc = find_svc(ipvl, info);
	if (IS_ERR(svc))
		return ERR_CAST(svc);
	ret = parse_dest(info, svc, cfg);
	if (ret)
		return ERR_PTR(ret);
	dest = ipvl_dest_find(svc, cfg);
	if (!dest) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IPVL_A_DEST_ADDR],
				    "No such real server");
		return ERR_PTR(-ENOENT);
	}
	cfg->fwd = dest->fwd;
	cfg->weight = dest->weight;
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
	ret = parse_dest_cfg(info, dest->svc, &cfg);
	if (ret)
		return ret;
	return ipvl_dest_edit(dest->svc, dest, &cfg);
}

static int ipvl_nl_set_dest(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	int ret;

	mutex_lock(&ipvl->lock);
	ret = set_dest(ipvl, info);
	mutex_unlock(&ipvl->lock);
	return ret;
}

static int ipvl_nl_del_dest(struct sk_buff *skb, struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_dest_cfg cfg;
	struct ipvl_dest *dest;
	int ret = 0;

	mutex_lock(&ipvl->lock);
	dest = find_dest(ipvl, info, &cfg);
	if (IS_ERR(dest))
		ret = PTR_ERR(dest);
	else
		ipvl_dest_del(dest->svc, dest);
	mutex_unlock(&ipvl->lock);
	return ret;
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

static int ipvl_nl_dump_dests(struct sk_buff *skb, struct netlink_callback *cb)
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
	svc = find_svc(ipvl, &info);
	ret = IS_ERR(svc) ? PTR_ERR(svc) : dump_dests(skb, cb, svc);
	mutex_unlock(&ipvl->lock);
	return ret;
}

/* Table-wide commands */

static int ipvl_nl_flush(struct sk_buff *skb, struct genl_info *info)
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
	ipvl_for_each_dest(dest, svc, svc->lock)
		ipvl_stats_zero(dest->stats);
}

static int zero(struct ipvl_net *ipvl, struct genl_info *info)
{
	struct ipvl_service *svc;
	int bkt;

	if (!info->attrs[IPVL_A_SVC_AF] && !info->attrs[IPVL_A_SVC_ADDR] &&
	    !info->attrs[IPVL_A_SVC_PROTOCOL] && !info->attrs[IPVL_A_SVC_PORT]) {
		hash_for_each(ipvl->svc_tab, bkt, svc, node)
			zero_service(svc);
		return 0;
	}
	svc = find_svc(ipvl, info);
	if (IS_ERR(svc))
		return PTR_ERR(svc);
	zero_service(svc);
	return 0;
}

static int ipvl_nl_zero(struct sk_buff *skb, struct genl_info *info)
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
		WRITE_ONCE(*t, secs * HZ);
}

static int ipvl_nl_set_timeout(struct sk_buff *skb, struct genl_info *info)
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

static int ipvl_nl_get_timeout(struct sk_buff *skb, struct genl_info *info)
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

static int ipvl_nl_get_info(struct sk_buff *skb, struct genl_info *info)
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
			atomic_read(&ipvl->conn_count))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

#define IPVL_OP(_cmd, _doit, _policy)					\
	{								\
		.cmd = _cmd,						\
		.doit = _doit,						\
		.policy = _policy,					\
		.maxattr = IPVL_A_MAX,					\
		.flags = GENL_UNS_ADMIN_PERM,				\
	}

static const struct genl_ops ipvl_genl_ops[] = {
	IPVL_OP(IPVL_CMD_NEW_SERVICE, ipvl_nl_new_service, new_service_policy),
	IPVL_OP(IPVL_CMD_SET_SERVICE, ipvl_nl_set_service, set_service_policy),
	IPVL_OP(IPVL_CMD_DEL_SERVICE, ipvl_nl_del_service, svc_key_policy),
	{
		.cmd = IPVL_CMD_GET_SERVICE,
		.doit = ipvl_nl_get_service,
		.dumpit = ipvl_nl_dump_services,
		.policy = svc_key_policy,
		.maxattr = IPVL_A_MAX,
	},
	IPVL_OP(IPVL_CMD_NEW_DEST, ipvl_nl_new_dest, new_dest_policy),
	IPVL_OP(IPVL_CMD_SET_DEST, ipvl_nl_set_dest, set_dest_policy),
	IPVL_OP(IPVL_CMD_DEL_DEST, ipvl_nl_del_dest, del_dest_policy),
	{
		.cmd = IPVL_CMD_GET_DEST,
		.dumpit = ipvl_nl_dump_dests,
		.policy = svc_key_policy,
		.maxattr = IPVL_A_MAX,
	},
	IPVL_OP(IPVL_CMD_FLUSH, ipvl_nl_flush, empty_policy),
	IPVL_OP(IPVL_CMD_ZERO, ipvl_nl_zero, svc_key_policy),
	IPVL_OP(IPVL_CMD_SET_TIMEOUT, ipvl_nl_set_timeout, timeout_policy),
	{
		.cmd = IPVL_CMD_GET_TIMEOUT,
		.doit = ipvl_nl_get_timeout,
		.policy = empty_policy,
		.maxattr = IPVL_A_MAX,
	},
	{
		.cmd = IPVL_CMD_GET_INFO,
		.doit = ipvl_nl_get_info,
		.policy = empty_policy,
		.maxattr = IPVL_A_MAX,
	},
};

static struct genl_family ipvl_genl_family __ro_after_init = {
	.name = IPVL_GENL_NAME,
	.version = IPVL_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = false,
	.module = THIS_MODULE,
	.ops = ipvl_genl_ops,
	.n_ops = ARRAY_SIZE(ipvl_genl_ops),
};

int __init ipvl_genl_init(void)
{
	return genl_register_family(&ipvl_genl_family);
}

void ipvl_genl_uninit(void)
{
	genl_unregister_family(&ipvl_genl_family);
}
