// SPDX-License-Identifier: GPL-2.0
/*
 * New flows: find the virtual service, pick the real server (through a
 * persistence template or the service's scheduler) and make the
 * connection.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/icmp.h>

#include "datapath/app.h"
#include "datapath/persist.h"
#include "datapath/new_flow.h"
#include "model/service.h"
#include "model/stats.h"
#include "datapath/xmit.h"

static struct ipvl_dest *pick_dest(struct ipvl_service *svc,
				   const struct ipvl_sched_ops *sched,
				   struct sk_buff *skb,
				   const struct ipvl_pkt *pkt,
				   struct ipvl_conn **tpl)
{
	bool persistent = READ_ONCE(svc->flags) & IPVL_SVC_F_PERSISTENT;
	struct ipvl_dest *dest;

	*tpl = NULL;
	if (persistent) {
		*tpl = ipvl_persist_lookup(svc, pkt);
		if (*tpl)
			return (*tpl)->dest;
	}
	dest = sched->schedule(svc, skb, pkt);
	if (dest && persistent)
		*tpl = ipvl_persist_create(svc, pkt, dest);
	return dest;
}

/* The client is refused at once, in its own family's ICMP. */
static unsigned int no_dest(struct ipvl_net *ipvl, struct sk_buff *skb,
			    u16 af)
{
	if (af == AF_INET6)
		icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
	else
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	return ipvl_drop(ipvl, IPVL_DROP_NO_DEST);
}

/* One-packet scheduling: each datagram on its own, nothing kept. */
static unsigned int one_packet(struct ipvl_net *ipvl, struct sk_buff *skb,
			       struct ipvl_service *svc,
			       struct ipvl_dest *dest,
			       const struct ipvl_pkt *pkt)
{
	struct ipvl_conn cp;

	ipvl_conn_init_onepacket(&cp, pkt, dest);
	ipvl_stats_conn(dest->stats);
	ipvl_stats_conn(svc->stats);
	ipvl_stats_in(dest->stats, skb->len);
	ipvl_stats_in(svc->stats, skb->len);
	return ipvl_xmit(ipvl->net, skb, &cp);
}

/* -ENOENT: the chosen real server or template kept going away. */
static unsigned int create_failed(struct ipvl_net *ipvl, long err)
{
	if (err == -ENOSPC)
		return ipvl_drop(ipvl, IPVL_DROP_CONN_LIMIT);
	if (err == -ENOENT)
		return ipvl_drop(ipvl, IPVL_DROP_DEST_GONE);
	return ipvl_drop(ipvl, IPVL_DROP_NO_MEM);
}

static unsigned int new_conn(struct ipvl_net *ipvl, struct sk_buff *skb,
			     struct ipvl_service *svc,
			     const struct ipvl_pkt *pkt,
			     const struct ipvl_tcp_flags *tf,
			     struct ipvl_conn **cpp)
{
	const struct ipvl_sched_ops *sched = rcu_dereference(svc->sched);
	struct ipvl_conn_param p = { .ipvl = ipvl, .pkt = pkt };
	struct ipvl_conn *cp = ERR_PTR(-ENOENT);
	int tries;

	/* The service is changing scheduler: the client will retry. */
	if (!sched)
		return NF_DROP;
	p.state = ipvl_first_state(pkt->protocol, tf);
	p.timeout = ipvl_state_timeout(&ipvl->timeouts, p.state);
	/* A second choice if the first server or template died meanwhile. */
	for (tries = 0; tries < 2 && PTR_ERR(cp) == -ENOENT; tries++) {
		p.dest = pick_dest(svc, sched, skb, pkt, &p.control);
		if (!p.dest)
			return no_dest(ipvl, skb, pkt->af);
		if (pkt->protocol == IPPROTO_UDP &&
		    (READ_ONCE(svc->flags) & IPVL_SVC_F_ONEPACKET))
			return one_packet(ipvl, skb, svc, p.dest, pkt);
		cp = ipvl_conn_create(&p);
	}
	if (IS_ERR(cp))
		return create_failed(ipvl, PTR_ERR(cp));
	ipvl_app_bind(cp);
	*cpp = cp;
	return NF_ACCEPT;
}

static bool sloppy(const struct ipvl_net *ipvl,
		   const struct ipvl_service *svc)
{
	return (READ_ONCE(svc->flags) & IPVL_SVC_F_SLOPPY) ||
	       READ_ONCE(ipvl->sloppy_tcp);
}

/*
 * sloppy_sctp: an association that began on another director is taken
 * up by any chunk but an ABORT, which would only end it.
 */
static bool sctp_refused(const struct ipvl_net *ipvl,
			 const struct ipvl_tcp_flags *tf)
{
	if (tf->sctp == IPVL_SCTP_EV_INIT)
		return false;
	return tf->sctp == IPVL_SCTP_EV_ABORT || !READ_ONCE(ipvl->sloppy_sctp);
}

/*
 * A packet with no connection. Returns with *cpp set to its new
 * connection, or the verdict for a packet that makes none: TCP that
 * does not open a connection (SCTP other than an INIT) belongs to the
 * local stack, unless the service is sloppy and takes flows that began
 * on another director.
 */
unsigned int ipvl_new_flow(struct ipvl_net *ipvl, struct sk_buff *skb,
			   const struct ipvl_pkt *pkt,
			   const struct ipvl_tcp_flags *tf,
			   struct ipvl_conn **cpp)
{
	struct ipvl_service *svc;

	*cpp = NULL;
	svc = ipvl_service_lookup_rcu(ipvl, pkt, skb->mark);
	if (!svc)
		return NF_ACCEPT;
	if (pkt->protocol == IPPROTO_TCP && !ipvl_is_syn(pkt->protocol, tf) &&
	    (!sloppy(ipvl, svc) || tf->rst || tf->fin || tf->syn))
		return NF_ACCEPT;
	if (pkt->protocol == IPPROTO_SCTP && sctp_refused(ipvl, tf))
		return NF_ACCEPT;
	return new_conn(ipvl, skb, svc, pkt, tf, cpp);
}

/*
 * An ICMP error about a flow without a connection here: with
 * schedule_icmp, the flow is scheduled as its next packet would be, so
 * that a director that shares the virtual address (ECMP) and never saw
 * the flow sends the error where the flow's packets go. Returns the new
 * connection, or NULL: the error is then not ours.
 */
struct ipvl_conn *ipvl_new_flow_icmp(struct ipvl_net *ipvl,
				     struct sk_buff *skb,
				     const struct ipvl_pkt *quoted)
{
	struct ipvl_tcp_flags tf = { .ack = true, .data = true };
	struct ipvl_service *svc;
	struct ipvl_conn *cp = NULL;

	if (!READ_ONCE(ipvl->schedule_icmp))
		return NULL;
	svc = ipvl_service_lookup_rcu(ipvl, quoted, skb->mark);
	if (!svc || (READ_ONCE(svc->flags) & IPVL_SVC_F_ONEPACKET) ||
	    (quoted->protocol == IPPROTO_TCP && !sloppy(ipvl, svc)) ||
	    (quoted->protocol == IPPROTO_SCTP && !READ_ONCE(ipvl->sloppy_sctp)))
		return NULL;
	new_conn(ipvl, skb, svc, quoted, &tf, &cp);
	return cp;
}
