// SPDX-License-Identifier: GPL-2.0
/*
 * IPVS_LITE netlink: the connection table dump, as `lvsadm -l -c` shows
 * it.
 */

#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "datapath/conn.h"
#include "netlink/netlink.h"
#include "datapath/conn_state.h"

struct conn_fill {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* A template's tuple encodes its service; show what it stands for. */
static int put_template(struct sk_buff *skb, const struct ipvl_conn *cp)
{
	static const union nf_inet_addr any;

	if (ipvl_nl_put_addr(skb, IPVL_A_CONN_CADDR, cp->key.af, &cp->key.caddr) ||
	    nla_put_be16(skb, IPVL_A_CONN_CPORT, 0) ||
	    ipvl_nl_put_addr(skb, IPVL_A_CONN_VADDR, cp->key.af,
			     ipvl_conn_fwmark(cp) ? &any : &cp->key.vaddr) ||
	    nla_put_be16(skb, IPVL_A_CONN_VPORT, cp->key.vport) ||
	    ipvl_nl_put_addr(skb, IPVL_A_CONN_DADDR, cp->key.af, &cp->daddr) ||
	    nla_put_be16(skb, IPVL_A_CONN_DPORT, cp->dport) ||
	    nla_put_u32(skb, IPVL_A_CONN_FWMARK, ipvl_conn_fwmark(cp)) ||
	    nla_put_u32(skb, IPVL_A_CONN_FLAGS, IPVL_CONN_F_TEMPLATE))
		return -EMSGSIZE;
	return 0;
}

/*
 * A template is keyed under protocol 0 with its service's protocol in the
 * client port; it is listed with that protocol, as IPVS lists it, and only
 * a firewall-mark service's template with none.
 */
static u8 conn_protocol(const struct ipvl_conn *cp)
{
	if (cp->state != IPVL_S_TEMPLATE)
		return cp->key.protocol;
	return ipvl_conn_fwmark(cp) ? IPPROTO_IP : ntohs(cp->key.cport);
}

static int put_endpoints(struct sk_buff *skb, const struct ipvl_conn *cp)
{
	if (cp->state == IPVL_S_TEMPLATE)
		return put_template(skb, cp);
	if (ipvl_nl_put_addr(skb, IPVL_A_CONN_CADDR, cp->key.af, &cp->key.caddr) ||
	    nla_put_be16(skb, IPVL_A_CONN_CPORT, cp->key.cport) ||
	    ipvl_nl_put_addr(skb, IPVL_A_CONN_VADDR, cp->key.af, &cp->key.vaddr) ||
	    nla_put_be16(skb, IPVL_A_CONN_VPORT, cp->key.vport) ||
	    ipvl_nl_put_addr(skb, IPVL_A_CONN_DADDR, cp->key.af, &cp->daddr) ||
	    nla_put_be16(skb, IPVL_A_CONN_DPORT, cp->dport))
		return -EMSGSIZE;
	return 0;
}

/* Timeouts go up to a year; the attribute saturates at 49.7 days. */
static u32 expires_ms(const struct ipvl_conn *cp)
{
	return min_t(u64, ipvl_conn_expires_ms(cp), U32_MAX);
}

static int fill_conn(const struct ipvl_conn *cp, void *arg)
{
	struct conn_fill *f = arg;
	struct sk_buff *skb = f->skb;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(f->cb->skb).portid,
			  f->cb->nlh->nlmsg_seq, &ipvl_genl_family,
			  NLM_F_MULTI, IPVL_CMD_GET_CONN);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u16(skb, IPVL_A_CONN_AF, cp->key.af) ||
	    nla_put_u8(skb, IPVL_A_CONN_PROTOCOL, conn_protocol(cp)) ||
	    put_endpoints(skb, cp) ||
	    nla_put_u8(skb, IPVL_A_CONN_FWD, cp->fwd) ||
	    nla_put_string(skb, IPVL_A_CONN_STATE,
			   ipvl_state_name(READ_ONCE(cp->state))) ||
	    nla_put_u32(skb, IPVL_A_CONN_EXPIRES, expires_ms(cp))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int ipvl_nl_dump_conns(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ipvl_conn_walk *w = (struct ipvl_conn_walk *)cb->ctx;
	struct conn_fill f = { .skb = skb, .cb = cb };

	BUILD_BUG_ON(sizeof(*w) > sizeof(cb->ctx));
	ipvl_conn_walk(ipvl_net(sock_net(skb->sk)), w, fill_conn, &f);
	return skb->len;
}
