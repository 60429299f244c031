// SPDX-License-Identifier: GPL-2.0
/*
 * Application helpers (ip_vs_lite_app.h): the registry, the segments of
 * the connections they are bound to, and the connections they announce.
 *
 * A helper is bound to a masqueraded TCP connection when the connection
 * is made, if it claims the virtual port then. An announced connection is
 * an entry of the table like any other, with the real server of the
 * connection that announced it: a reply-table entry catches the real
 * server's SYN (FTP's active mode), and an entry with client port 0 is
 * taken, once, by the client's first SYN to its port (passive mode).
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "datapath/app.h"
#include "model/service.h"

/* How long an announced connection waits for its first packet. */
#define IPVL_APP_EXPECT_TIMEOUT	(60 * HZ)
/* The longest payload a helper is given; commands are one short line. */
#define IPVL_APP_MAX_PAYLOAD	512

struct ipvl_app_ctx {
	struct ipvl_net *ipvl;
	struct ipvl_conn *cp;
};

static LIST_HEAD(apps);
static DEFINE_MUTEX(apps_lock);

int ipvl_register_app(struct ipvl_app_ops *ops)
{
	struct ipvl_app_ops *a;

	mutex_lock(&apps_lock);
	list_for_each_entry(a, &apps, list) {
		if (!strcmp(a->name, ops->name)) {
			mutex_unlock(&apps_lock);
			return -EEXIST;
		}
	}
	list_add_tail_rcu(&ops->list, &apps);
	mutex_unlock(&apps_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(ipvl_register_app);

/* After this no callback of @ops runs, and none will. */
void ipvl_unregister_app(struct ipvl_app_ops *ops)
{
	mutex_lock(&apps_lock);
	list_del_rcu(&ops->list);
	mutex_unlock(&apps_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(ipvl_unregister_app);

static const struct ipvl_app_ops *app_of(__be16 vport)
{
	const struct ipvl_app_ops *a;

	list_for_each_entry_rcu(a, &apps, list)
		if (a->claims(vport))
			return a;
	return NULL;
}

void ipvl_app_bind(struct ipvl_conn *cp)
{
	if (cp->fwd != IPVL_FWD_NAT || cp->key.protocol != IPPROTO_TCP ||
	    list_empty(&apps))
		return;
	if (app_of(cp->key.vport) && !test_bit(IPVL_CONN_F_APP, &cp->flags))
		set_bit(IPVL_CONN_F_APP, &cp->flags);
}

static void conn_view(const struct ipvl_conn *cp, struct ipvl_app_conn *c)
{
	c->af = cp->key.af;
	c->caddr = cp->key.caddr;
	c->vaddr = cp->key.vaddr;
	c->daddr = cp->daddr;
	c->cport = cp->key.cport;
	c->vport = cp->key.vport;
	c->dport = cp->dport;
}

/* Where the payload starts, and its length, or -1 if none to hand on. */
static int payload(const struct sk_buff *skb, unsigned int thoff,
		   unsigned int *len)
{
	struct tcphdr _th;
	const struct tcphdr *th;
	unsigned int doff;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || skb_is_gso(skb))
		return -1;
	doff = thoff + th->doff * 4;
	if (doff >= skb->len || skb->len - doff > IPVL_APP_MAX_PAYLOAD)
		return -1;
	*len = skb->len - doff;
	return doff;
}

void ipvl_app_in(struct ipvl_net *ipvl, struct sk_buff *skb,
		 struct ipvl_conn *cp, unsigned int thoff)
{
	struct ipvl_app_ctx ctx = { .ipvl = ipvl, .cp = cp };
	char buf[IPVL_APP_MAX_PAYLOAD];
	const struct ipvl_app_ops *a;
	struct ipvl_app_conn c;
	unsigned int len;
	const char *data;
	int doff;

	a = app_of(cp->key.vport);
	doff = payload(skb, thoff, &len);
	if (!a || !a->from_client || doff < 0)
		return;
	data = skb_header_pointer(skb, doff, len, buf);
	if (!data)
		return;
	conn_view(cp, &c);
	a->from_client(&ctx, &c, data, len);
}

/* The transport checksum over a payload the helper rewrote. */
static void fix_csum(struct sk_buff *skb, unsigned int thoff)
{
	struct tcphdr *th = (struct tcphdr *)(skb->data + thoff);
	unsigned int len = skb->len - thoff;
	__wsum csum;

	/* Still to be computed over whatever the payload is by then. */
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		return;
	th->check = 0;
	csum = skb_checksum(skb, thoff, len, 0);
	if (skb->protocol == htons(ETH_P_IPV6))
		th->check = csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
					    &ipv6_hdr(skb)->daddr, len,
					    IPPROTO_TCP, csum);
	else
		th->check = csum_tcpudp_magic(ip_hdr(skb)->saddr,
					      ip_hdr(skb)->daddr, len,
					      IPPROTO_TCP, csum);
	skb->ip_summed = CHECKSUM_NONE;
}

/* Returns -ENOMEM if the segment could not be made writable. */
int ipvl_app_out(struct ipvl_net *ipvl, struct sk_buff *skb,
		 struct ipvl_conn *cp, unsigned int thoff)
{
	struct ipvl_app_ctx ctx = { .ipvl = ipvl, .cp = cp };
	const struct ipvl_app_ops *a;
	struct ipvl_app_conn c;
	unsigned int len;
	int doff;

	a = app_of(cp->key.vport);
	doff = payload(skb, thoff, &len);
	if (!a || !a->from_server || doff < 0)
		return 0;
	if (skb_ensure_writable(skb, doff + len))
		return -ENOMEM;
	conn_view(cp, &c);
	if (a->from_server(&ctx, &c, (char *)skb->data + doff, len))
		fix_csum(skb, thoff);
	return 0;
}

int ipvl_app_expect(struct ipvl_app_ctx *ctx, __be16 cport, __be16 vport,
		    __be16 dport)
{
	const struct ipvl_conn *cp = ctx->cp;
	struct ipvl_pkt pkt = {
		.af = cp->key.af,
		.protocol = IPPROTO_TCP,
		.saddr = cp->key.caddr,
		.sport = cport,
		.daddr = cp->key.vaddr,
		.dport = vport,
	};
	struct ipvl_conn_param p = {
		.ipvl = ctx->ipvl,
		.pkt = &pkt,
		.dest = cp->dest,
		.dport = dport,
		.state = IPVL_S_NONE,
		.timeout = IPVL_APP_EXPECT_TIMEOUT,
	};
	struct ipvl_conn *exp;

	if (!vport || !dport)
		return -EINVAL;
	exp = ipvl_conn_create(&p);
	if (IS_ERR(exp))
		return PTR_ERR(exp);
	if (!cport)
		WRITE_ONCE(ctx->ipvl->app_expect_until,
			   jiffies + IPVL_APP_EXPECT_TIMEOUT);
	return 0;
}
EXPORT_SYMBOL_GPL(ipvl_app_expect);

/*
 * A client's SYN that no connection and no service took: the connection
 * a helper announced for any port of this client, if there is one. It
 * becomes the client's connection, and the announcement is used up.
 */
struct ipvl_conn *ipvl_app_expected(struct ipvl_net *ipvl,
				    const struct ipvl_pkt *pkt,
				    const struct ipvl_tcp_flags *tf)
{
	struct ipvl_pkt any = *pkt;
	struct ipvl_conn_param p = { .ipvl = ipvl, .pkt = pkt };
	struct ipvl_conn *exp, *cp;

	if (!ipvl_is_syn(pkt->protocol, tf) ||
	    time_after(jiffies, READ_ONCE(ipvl->app_expect_until)))
		return NULL;
	any.sport = 0;
	exp = ipvl_conn_lookup(ipvl, &any);
	if (!exp || exp->fwd != IPVL_FWD_NAT)
		return NULL;
	p.dest = exp->dest;
	p.dport = exp->dport;
	p.state = ipvl_next_state(pkt->protocol, IPVL_S_NONE, tf, IPVL_DIR_IN);
	p.timeout = ipvl_state_timeout(&ipvl->timeouts, p.state);
	cp = ipvl_conn_create(&p);
	if (IS_ERR(cp))
		return NULL;
	ipvl_conn_expire_now(ipvl, exp);
	return cp;
}
