// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS ABI: the attributes every command shares: address families,
 * addresses, the service nest that names a service, and counters.
 */

#include <linux/ipv6.h>
#include <net/genetlink.h>

#include "ipvs_abi/ipvs_abi.h"
#include "model/stats.h"

/* IPv6 as IPVS has it: only while the kernel runs IPv6. */
int ipvl_ipvs_af_check(u16 af, const struct nlattr *attr,
		       struct netlink_ext_ack *extack)
{
	if (af == AF_INET)
		return 0;
	if (af == AF_INET6) {
		if (ipv6_mod_enabled())
			return 0;
		NL_SET_ERR_MSG_ATTR(extack, attr, "IPv6 is disabled");
		return -EAFNOSUPPORT;
	}
	NL_SET_ERR_MSG_ATTR(extack, attr, "Unknown address family");
	return -EAFNOSUPPORT;
}

/* IPVS sends a whole union nf_inet_addr; only the family's part counts. */
int ipvl_ipvs_get_addr(u16 af, const struct nlattr *attr,
		       union nf_inet_addr *addr,
		       struct netlink_ext_ack *extack)
{
	int len = af == AF_INET6 ? sizeof(addr->in6) : sizeof(addr->ip);

	if (nla_len(attr) < len) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "Address shorter than its family's");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, nla_data(attr), len);
	return 0;
}

/* Replies carry the whole union, as clients copy that many bytes. */
int ipvl_ipvs_put_addr(struct sk_buff *skb, int attr, u16 af,
		       const union nf_inet_addr *addr)
{
	union nf_inet_addr a = {};

	if (af == AF_INET6)
		a.in6 = addr->in6;
	else
		a.ip = addr->ip;
	return nla_put(skb, attr, sizeof(a), &a);
}

int ipvl_ipvs_svc_attrs(struct nlattr *nest, struct nlattr **tb,
			struct netlink_ext_ack *extack)
{
	if (!nest) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, IPVS_CMD_ATTR_SERVICE);
		NL_SET_ERR_MSG(extack, "Service missing");
		return -EINVAL;
	}
	return nla_parse_nested(tb, IPVS_SVC_ATTR_MAX, nest,
				ipvl_ipvs_svc_policy, extack);
}

static int fwmark_key(struct nlattr **tb, struct ipvl_svc_key *key,
		      struct netlink_ext_ack *extack)
{
	if (tb[IPVS_SVC_ATTR_PROTOCOL] || tb[IPVS_SVC_ATTR_ADDR] ||
	    tb[IPVS_SVC_ATTR_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_SVC_ATTR_FWMARK],
				    "A firewall-mark service has no protocol, address or port");
		return -EINVAL;
	}
	key->fwmark = nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
	return 0;
}

static int addr_key(struct nlattr **tb, struct ipvl_svc_key *key,
		    struct netlink_ext_ack *extack)
{
	u16 protocol;

	if (!tb[IPVS_SVC_ATTR_PROTOCOL] || !tb[IPVS_SVC_ATTR_ADDR] ||
	    !tb[IPVS_SVC_ATTR_PORT]) {
		NL_SET_ERR_MSG(extack,
			       "A service needs a firewall mark, or a protocol, an address and a port");
		return -EINVAL;
	}
	protocol = nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]);
	if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP &&
	    protocol != IPPROTO_SCTP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IPVS_SVC_ATTR_PROTOCOL],
				    "Protocol must be TCP, UDP or SCTP");
		return -EPROTONOSUPPORT;
	}
	key->protocol = protocol;
	key->port = nla_get_be16(tb[IPVS_SVC_ATTR_PORT]);
	return ipvl_ipvs_get_addr(key->af, tb[IPVS_SVC_ATTR_ADDR], &key->addr,
				  extack);
}

/* What names a service in a SERVICE nest; the rest is for the caller. */
int ipvl_ipvs_svc_key(struct nlattr **tb, struct ipvl_svc_key *key,
		      struct netlink_ext_ack *extack)
{
	int ret;

	memset(key, 0, sizeof(*key));
	if (!tb[IPVS_SVC_ATTR_AF]) {
		NL_SET_ERR_MSG(extack, "Service address family missing");
		return -EINVAL;
	}
	key->af = nla_get_u16(tb[IPVS_SVC_ATTR_AF]);
	ret = ipvl_ipvs_af_check(key->af, tb[IPVS_SVC_ATTR_AF], extack);
	if (ret)
		return ret;
	if (tb[IPVS_SVC_ATTR_FWMARK])
		return fwmark_key(tb, key, extack);
	return addr_key(tb, key, extack);
}

/* The service a request names; ERR_PTR(-ESRCH) when there is none. */
struct ipvl_service *ipvl_ipvs_find_svc(struct ipvl_net *ipvl,
					struct genl_info *info)
{
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct ipvl_service *svc;
	struct ipvl_svc_key key;
	int ret;

	lockdep_assert_held(&ipvl->lock);
	ret = ipvl_ipvs_svc_attrs(info->attrs[IPVS_CMD_ATTR_SERVICE], tb,
				  info->extack);
	if (!ret)
		ret = ipvl_ipvs_svc_key(tb, &key, info->extack);
	if (ret)
		return ERR_PTR(ret);
	svc = ipvl_service_find(ipvl, &key);
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[IPVS_CMD_ATTR_SERVICE],
				    "No such service");
		return ERR_PTR(-ESRCH);
	}
	return svc;
}

/*
 * IPVS_STATS_ATTR_* in order: the 32-bit nest has 64-bit byte counters
 * and 32-bit others; the 64-bit nest is 64-bit throughout.
 */
static int put_stats_nest(struct sk_buff *skb, int attr, const u64 *v,
			  bool wide)
{
	struct nlattr *nest = nla_nest_start_noflag(skb, attr);
	int i, ret;

	if (!nest)
		return -EMSGSIZE;
	for (i = IPVS_STATS_ATTR_CONNS; i < IPVS_STATS_ATTR_PAD; i++) {
		if (wide || i == IPVS_STATS_ATTR_INBYTES ||
		    i == IPVS_STATS_ATTR_OUTBYTES)
			ret = nla_put_u64_64bit(skb, i, v[i],
						IPVS_STATS_ATTR_PAD);
		else
			ret = nla_put_u32(skb, i, (u32)v[i]);
		if (ret)
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static void stats_values(const struct ipvl_stats *stats, u64 *v)
{
	struct ipvl_stats_sum s;
	struct ipvl_rates r;

	ipvl_stats_read(stats, &s);
	ipvl_est_read(stats, &r);
	v[IPVS_STATS_ATTR_CONNS] = s.conns;
	v[IPVS_STATS_ATTR_INPKTS] = s.inpkts;
	v[IPVS_STATS_ATTR_OUTPKTS] = s.outpkts;
	v[IPVS_STATS_ATTR_INBYTES] = s.inbytes;
	v[IPVS_STATS_ATTR_OUTBYTES] = s.outbytes;
	v[IPVS_STATS_ATTR_CPS] = r.cps;
	v[IPVS_STATS_ATTR_INPPS] = r.inpps;
	v[IPVS_STATS_ATTR_OUTPPS] = r.outpps;
	v[IPVS_STATS_ATTR_INBPS] = r.inbps;
	v[IPVS_STATS_ATTR_OUTBPS] = r.outbps;
}

/* Counters and rates, in both the 32-bit and the 64-bit nest. */
int ipvl_ipvs_put_stats(struct sk_buff *skb, int attr32, int attr64,
			const struct ipvl_stats *stats)
{
	u64 v[IPVS_STATS_ATTR_PAD] = {};

	stats_values(stats, v);
	if (put_stats_nest(skb, attr32, v, false) ||
	    put_stats_nest(skb, attr64, v, true))
		return -EMSGSIZE;
	return 0;
}
