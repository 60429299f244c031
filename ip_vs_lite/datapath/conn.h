/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_CONN_H
#define _IPVL_CONN_H

#include <linux/timer.h>

#include "ip_vs_lite.h"

/* Connection flag bits (cp->flags). */
enum {
	IPVL_CONN_F_ACTIVE,	/* counted in dest->activeconns */
	IPVL_CONN_F_DEAD,	/* unlinked or being unlinked */
	IPVL_CONN_F_OUT_HASHED,	/* also on the reply-direction table */
};

/*
 * One flow from a client through a virtual service to a real server.
 * A connection lives exactly as long as it is in the hash table; readers
 * on the packet path hold rcu_read_lock() and free is deferred by RCU.
 */
struct ipvl_conn {
	/*
	 * What a lookup compares while it walks a chain, in the first 64
	 * bytes: a long chain costs one cache line per entry, not two.
	 */
	struct hlist_node node;		/* by client tuple */
	__be16 cport;
	__be16 vport;
	u16 af;
	u8 protocol;
	u8 fwd;
	union nf_inet_addr caddr;
	union nf_inet_addr vaddr;
	possible_net_t net;

	unsigned long flags;
	struct hlist_node onode;	/* by reply tuple, NAT only */
	union nf_inet_addr daddr;
	__be16 dport;
	u8 state;			/* enum ipvl_conn_state, under lock */
	spinlock_t lock;		/* state, flags and the timer */
	unsigned long expires;		/* jiffies; the timer chases it */
	unsigned long timeout;		/* templates: renewal period */
	struct timer_list timer;
	struct ipvl_dest *dest;		/* holds a reference */
	struct ipvl_conn *control;	/* persistence template, referenced */
	u32 fwmark;			/* templates of fwmark services */
	/* One for the table, one for each connection a template controls. */
	refcount_t refcnt;
	struct rcu_head rcu;
};

/* What a new connection is made of. */
struct ipvl_conn_param {
	struct net *net;
	const struct ipvl_pkt *pkt;
	struct ipvl_dest *dest;
	u8 state;
	unsigned long timeout;
	struct ipvl_conn *control;	/* a reference is taken */
	u32 fwmark;
};

int ipvl_conn_table_init(void);
unsigned int ipvl_conn_max(void);
void ipvl_conn_table_uninit(void);
unsigned int ipvl_conn_table_size(void);

struct ipvl_conn *ipvl_conn_lookup(const struct net *net,
				   const struct ipvl_pkt *pkt);
struct ipvl_conn *ipvl_conn_lookup_out(const struct net *net,
				       const struct ipvl_pkt *pkt);
struct ipvl_conn *ipvl_conn_create(const struct ipvl_conn_param *p);
void ipvl_conn_init_onepacket(struct ipvl_conn *cp, const struct ipvl_pkt *pkt,
			      struct ipvl_dest *dest);
void ipvl_conn_update(struct ipvl_conn *cp, u8 state, unsigned long timeout);
void ipvl_conn_expire_now(struct ipvl_conn *cp);
void ipvl_conn_flush_net(struct net *net);

/* Position of a walk over the table, kept between netlink dump parts. */
struct ipvl_conn_walk {
	unsigned int bucket;
	unsigned int skip;
};

int ipvl_conn_walk(const struct net *net, struct ipvl_conn_walk *w,
		   int (*fn)(const struct ipvl_conn *cp, void *arg), void *arg);

#endif /* _IPVL_CONN_H */
