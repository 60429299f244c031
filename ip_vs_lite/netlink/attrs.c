// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS_LITE netlink: reading the attributes that name services and real
 * servers, and writing the ones every reply shares.
 */

#include <linux/ctype.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink/netlink.h"
#include "model/netns.h"
#include "model/sched_registry.h"
#include "model/service.h"
#include "model/stats.h"
#include "datapath/encap.h"

/* A required attribute is missing: the caller says which in words. */
static bool missing(struct genl_info *info, int attr)
{
	if (info->attrs[attr])
		return false;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	return true;
}

int ipvl_nl_parse_addr(struct genl_info *info, int af_attr, int addr_attr,
		       u16 *af, union nf_inet_addr *addr)
{
	struct nlattr **tb = info->attrs;

	if (missing(info, af_attr)) {
		NL_SET_ERR_MSG(info->extack, "Address family missing");
		return -EINVAL;
	}
	if (missing(info, addr_attr)) {
		NL_SET_ERR_MSG(info->extack, "Address missing");
		return -EINVAL;
	}
	*af = nla_get_u16(tb[af_attr]);
	if (*af != AF_INET && *af != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[af_attr],
				    "Unknown address family");
		return -EAFNOSUPPORT;
	}
	if (nla_len(tb[addr_attr]) !=
	    (*af == AF_INET6 ? sizeof(addr->in6) : sizeof(addr->ip))) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[addr_attr],
				    "Address length does not match its family");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	nla_memcpy(addr, tb[addr_attr], sizeof(*addr));
	return 0;
}

static int parse_fwmark_key(struct genl_info *info, struct ipvl_svc_key *key)
{
	struct nlattr **tb = info->attrs;

	if (tb[IPVL_A_SVC_PROTOCOL] || tb[IPVL_A_SVC_ADDR] ||
	    tb[IPVL_A_SVC_PORT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_SVC_FWMARK],
				    "A firewall-mark service has no protocol, address or port");
		return -EINVAL;
	}
	if (missing(info, IPVL_A_SVC_AF)) {
		NL_SET_ERR_MSG(info->extack, "Address family missing");
		return -EINVAL;
	}
	key->af = nla_get_u16(tb[IPVL_A_SVC_AF]);
	if (key->af != AF_INET && key->af != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_SVC_AF],
				    "Unsupported address family");
		return -EAFNOSUPPORT;
	}
	key->fwmark = nla_get_u32(tb[IPVL_A_SVC_FWMARK]);
	return 0;
}

int ipvl_nl_parse_svc_key(struct genl_info *info, struct ipvl_svc_key *key)
{
	struct nlattr **tb = info->attrs;
	int ret;

	memset(key, 0, sizeof(*key));
	if (tb[IPVL_A_SVC_FWMARK])
		return parse_fwmark_key(info, key);
	ret = ipvl_nl_parse_addr(info, IPVL_A_SVC_AF, IPVL_A_SVC_ADDR,
				 &key->af, &key->addr);
	if (ret)
		return ret;
	if (missing(info, IPVL_A_SVC_PROTOCOL)) {
		NL_SET_ERR_MSG(info->extack, "Protocol missing");
		return -EINVAL;
	}
	if (missing(info, IPVL_A_SVC_PORT)) {
		NL_SET_ERR_MSG(info->extack, "Port missing");
		return -EINVAL;
	}
	key->protocol = nla_get_u8(tb[IPVL_A_SVC_PROTOCOL]);
	if (key->protocol != IPPROTO_TCP && key->protocol != IPPROTO_UDP &&
	    key->protocol != IPPROTO_SCTP) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_SVC_PROTOCOL],
				    "Protocol must be TCP, UDP or SCTP");
		return -EPROTONOSUPPORT;
	}
	key->port = nla_get_be16(tb[IPVL_A_SVC_PORT]);
	return 0;
}

/*
 * Service settings from a request, on top of @cfg (the defaults, or the
 * service's current settings for an edit).
 */
int ipvl_nl_parse_svc_cfg(struct genl_info *info,
			  const struct ipvl_svc_key *key,
			  struct ipvl_svc_cfg *cfg)
{
	struct nlattr **tb = info->attrs;
	u8 maxlen = key->af == AF_INET6 ? 128 : 32;

	if (tb[IPVL_A_SVC_FLAGS])
		cfg->flags = nla_get_u32(tb[IPVL_A_SVC_FLAGS]);
	if (tb[IPVL_A_SVC_TIMEOUT])
		cfg->timeout = (unsigned long)nla_get_u32(tb[IPVL_A_SVC_TIMEOUT]) * HZ;
	if (tb[IPVL_A_SVC_NETMASK])
		cfg->netmask = nla_get_u32(tb[IPVL_A_SVC_NETMASK]);
	if (cfg->netmask > maxlen) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_SVC_NETMASK],
				    "Netmask longer than the address");
		return -EINVAL;
	}
	if (!key->fwmark && !key->port &&
	    !(cfg->flags & IPVL_SVC_F_PERSISTENT)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_SVC_PORT],
				    "Port 0 is only for persistent services");
		return -EINVAL;
	}
	if ((cfg->flags & IPVL_SVC_F_ONEPACKET) &&
	    key->protocol != IPPROTO_UDP && !key->fwmark) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_SVC_FLAGS],
				    "One-packet scheduling is for UDP services");
		return -EINVAL;
	}
	return 0;
}

struct ipvl_service *ipvl_nl_find_svc(struct ipvl_net *ipvl,
				      struct genl_info *info)
{
	struct ipvl_svc_key key;
	struct ipvl_service *svc;

	if (ipvl_nl_parse_svc_key(info, &key))
		return ERR_PTR(-EINVAL);
	svc = ipvl_service_find(ipvl, &key);
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[IPVL_A_SVC_FWMARK] ?:
				    info->attrs[IPVL_A_SVC_ADDR],
				    "No such service");
		return ERR_PTR(-ESRCH);
	}
	return svc;
}

const struct ipvl_sched_ops *ipvl_nl_get_sched(struct genl_info *info)
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

int ipvl_nl_parse_dest(struct genl_info *info, const struct ipvl_service *svc,
		       struct ipvl_dest_cfg *cfg)
{
	struct nlattr **tb = info->attrs;
	int ret;

	ret = ipvl_nl_parse_addr(info, IPVL_A_DEST_AF, IPVL_A_DEST_ADDR,
				 &cfg->af, &cfg->addr);
	if (ret)
		return ret;
	if (cfg->af != svc->af) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_DEST_AF],
				    "Real server and service address families differ");
		return -EAFNOSUPPORT;
	}
	cfg->port = tb[IPVL_A_DEST_PORT] ?
		    nla_get_be16(tb[IPVL_A_DEST_PORT]) : 0;
	if (!cfg->port)
		cfg->port = svc->port;
	return 0;
}

static int parse_tun(struct genl_info *info, struct ipvl_tun *tun)
{
	struct nlattr **tb = info->attrs;

	if (tb[IPVL_A_DEST_TUN_TYPE])
		tun->type = nla_get_u8(tb[IPVL_A_DEST_TUN_TYPE]);
	if (tb[IPVL_A_DEST_TUN_PORT])
		tun->port = nla_get_be16(tb[IPVL_A_DEST_TUN_PORT]);
	if (tb[IPVL_A_DEST_TUN_FLAGS])
		tun->flags = nla_get_u16(tb[IPVL_A_DEST_TUN_FLAGS]);
	return ipvl_tun_check(tun, info->extack,
			      tb[IPVL_A_DEST_TUN_FLAGS] ?:
			      tb[IPVL_A_DEST_TUN_PORT] ?:
			      tb[IPVL_A_DEST_TUN_TYPE]);
}

int ipvl_nl_parse_dest_cfg(struct genl_info *info,
			   const struct ipvl_service *svc,
			   struct ipvl_dest_cfg *cfg)
{
	struct nlattr **tb = info->attrs;
	int ret;

	if (tb[IPVL_A_DEST_FWD])
		cfg->fwd = nla_get_u8(tb[IPVL_A_DEST_FWD]);
	if (tb[IPVL_A_DEST_WEIGHT])
		cfg->weight = nla_get_u32(tb[IPVL_A_DEST_WEIGHT]);
	if (tb[IPVL_A_DEST_U_THRESH])
		cfg->u_thresh = nla_get_u32(tb[IPVL_A_DEST_U_THRESH]);
	if (tb[IPVL_A_DEST_L_THRESH])
		cfg->l_thresh = nla_get_u32(tb[IPVL_A_DEST_L_THRESH]);
	ret = parse_tun(info, &cfg->tun);
	if (ret)
		return ret;
	/* DR and TUN keep the port; any port is fine on a port-0 service. */
	if (cfg->fwd != IPVL_FWD_NAT && svc->port && cfg->port != svc->port) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_DEST_PORT],
				    "Only masquerading (-m) can map ports");
		return -EINVAL;
	}
	if (cfg->fwd == IPVL_FWD_NAT &&
	    (READ_ONCE(svc->flags) & IPVL_SVC_F_ONEPACKET)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_DEST_FWD],
				    "One-packet services cannot masquerade: replies would not match");
		return -EINVAL;
	}
	if (cfg->u_thresh && cfg->l_thresh > cfg->u_thresh) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[IPVL_A_DEST_L_THRESH],
				    "Lower threshold above the upper one");
		return -EINVAL;
	}
	return 0;
}

int ipvl_nl_put_addr(struct sk_buff *skb, int attr, u16 af,
		     const union nf_inet_addr *addr)
{
	if (af == AF_INET6)
		return nla_put_in6_addr(skb, attr, &addr->in6);
	return nla_put_in_addr(skb, attr, addr->ip);
}

static int put_rates(struct sk_buff *skb, const struct ipvl_rates *r)
{
	if (nla_put_u64_64bit(skb, IPVL_STATS_CPS, r->cps, IPVL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, IPVL_STATS_INPPS, r->inpps,
			      IPVL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, IPVL_STATS_OUTPPS, r->outpps,
			      IPVL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, IPVL_STATS_INBPS, r->inbps,
			      IPVL_STATS_PAD) ||
	    nla_put_u64_64bit(skb, IPVL_STATS_OUTBPS, r->outbps,
			      IPVL_STATS_PAD))
		return -EMSGSIZE;
	return 0;
}

int ipvl_nl_put_stats(struct sk_buff *skb, int attr,
		      const struct ipvl_stats *stats)
{
	struct ipvl_stats_sum s;
	struct ipvl_rates r;
	struct nlattr *nest;

	ipvl_stats_read(stats, &s);
	ipvl_est_read(stats, &r);
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
			      IPVL_STATS_PAD) ||
	    put_rates(skb, &r))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int ipvl_nl_put_svc_key(struct sk_buff *skb, const struct ipvl_service *svc)
{
	if (svc->fwmark)
		return nla_put_u16(skb, IPVL_A_SVC_AF, svc->af) ||
		       nla_put_u32(skb, IPVL_A_SVC_FWMARK, svc->fwmark) ?
		       -EMSGSIZE : 0;
	if (nla_put_u16(skb, IPVL_A_SVC_AF, svc->af) ||
	    nla_put_u8(skb, IPVL_A_SVC_PROTOCOL, svc->protocol) ||
	    ipvl_nl_put_addr(skb, IPVL_A_SVC_ADDR, svc->af, &svc->addr) ||
	    nla_put_be16(skb, IPVL_A_SVC_PORT, svc->port))
		return -EMSGSIZE;
	return 0;
}
