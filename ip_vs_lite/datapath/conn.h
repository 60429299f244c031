/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_CONN_H
#define _IPVL_CONN_H

#include <linux/jiffies.h>
#include <linux/rhashtable-types.h>

#include "ip_vs_lite.h"

struct ipvl_net;

/* Connection flag bits (cp->flags). */
enum {
	IPVL_CONN_F_ACTIVE,	/* counted in dest->activeconns */
	IPVL_CONN_F_DEAD,	/* unlinked or being unlinked */
	IPVL_CONN_F_OUT_HASHED,	/* also on the reply-direction table */
	/*
	 * Evidence that a real client is behind it: a reply from the real
	 * server (NAT), or, where replies are never seen (DR, TUN), data
	 * after the handshake or a second datagram. Until then an entry
	 * lives IPVL_TIMEOUT_UNCONFIRMED at most and may be evicted.
	 */
	IPVL_CONN_F_CONFIRMED,
	IPVL_CONN_F_APP,	/* its payload goes through a helper (app.c) */
};

/*
 * Connection times are kept in 1/64 s "ticks" in 32 bits: a year of
 * timeout still fits in half the range, which is what the wrap-safe
 * comparisons need, and the entry stays within two cache lines.
 */
#define IPVL_CONN_HZ		64
#define IPVL_CONN_TICKS_MAX	(365U * 24 * 3600 * IPVL_CONN_HZ)

static inline u32 ipvl_conn_clock(void)
{
	return (u32)(get_jiffies_64() * IPVL_CONN_HZ / HZ);
}

static inline u32 ipvl_conn_ticks(unsigned long timeout)
{
	return min_t(u64, (u64)timeout * IPVL_CONN_HZ / HZ,
		     IPVL_CONN_TICKS_MAX);
}

/* What a lookup compares, whole, so its padding is zero. */
struct ipvl_conn_key {
	union nf_inet_addr caddr;
	union nf_inet_addr vaddr;
	__be16 cport;
	__be16 vport;
	u8 af;
	u8 protocol;
	u8 pad[2];
};

/*
 * One flow from a client through a virtual service to a real server,
 * 128 bytes. A connection lives exactly as long as it is in its netns's
 * table; readers on the packet path hold rcu_read_lock() and the memory
 * goes after a grace period. See Documentation/design.rst for what each
 * field costs.
 */
struct ipvl_conn {
	/* First cache line: all that a lookup reads to find its entry. */
	struct rhash_head node;		/* by client tuple */

	struct ipvl_conn_key key;
	unsigned long flags;
	u8 state;			/* enum ipvl_conn_state */
	u8 fwd;
	__be16 dport;
	u32 expires;			/* ipvl_conn_clock() ticks */

	/* Second: what forwarding and expiry need. */
	struct rhash_head onode;	/* by reply tuple, NAT only */
	union nf_inet_addr daddr;
	u32 timeout;			/* templates: renewal period, ticks */
	/* One for the table, one for each connection a template controls. */
	refcount_t refcnt;
	struct ipvl_dest *dest;		/* holds a reference */
	struct ipvl_conn *control;	/* persistence template, referenced */
	struct rcu_head rcu;
};

/* What a new connection is made of. */
struct ipvl_conn_param {
	struct ipvl_net *ipvl;
	const struct ipvl_pkt *pkt;
	struct ipvl_dest *dest;
	__be16 dport;			/* 0: the real server's port */
	u8 state;
	unsigned long timeout;		/* jiffies */
	struct ipvl_conn *control;	/* a reference is taken */
};

int ipvl_conn_cache_init(void);
void ipvl_conn_cache_uninit(void);
unsigned int ipvl_conn_max(void);
unsigned int ipvl_conn_table_size(void);

int ipvl_conn_net_init(struct ipvl_net *ipvl);
void ipvl_conn_net_exit(struct ipvl_net *ipvl);
unsigned int ipvl_conn_count(const struct ipvl_net *ipvl);

struct ipvl_conn *ipvl_conn_lookup(const struct ipvl_net *ipvl,
				   const struct ipvl_pkt *pkt);
struct ipvl_conn *ipvl_conn_lookup_out(const struct ipvl_net *ipvl,
				       const struct ipvl_pkt *pkt);
struct ipvl_conn *ipvl_conn_create(const struct ipvl_conn_param *p);
void ipvl_conn_init_onepacket(struct ipvl_conn *cp, const struct ipvl_pkt *pkt,
			      struct ipvl_dest *dest);
void ipvl_conn_update(struct ipvl_conn *cp, u8 state, unsigned long timeout);

static inline void ipvl_conn_confirm(struct ipvl_conn *cp)
{
	if (!test_bit(IPVL_CONN_F_CONFIRMED, &cp->flags))
		set_bit(IPVL_CONN_F_CONFIRMED, &cp->flags);
}

void ipvl_conn_expire_now(const struct ipvl_net *ipvl, struct ipvl_conn *cp);

/* A template's firewall mark: its tuple has no client port then. */
static inline u32 ipvl_conn_fwmark(const struct ipvl_conn *cp)
{
	return cp->key.cport ? 0 : cp->key.vaddr.all[0];
}

/* Position of a walk over the table, kept between netlink dump parts. */
struct ipvl_conn_walk {
	unsigned int bucket;
	unsigned int skip;
};

int ipvl_conn_walk(const struct ipvl_net *ipvl, struct ipvl_conn_walk *w,
		   int (*fn)(const struct ipvl_conn *cp, void *arg), void *arg);
unsigned int ipvl_conn_buckets(const struct ipvl_net *ipvl);
int ipvl_conn_walk_bucket(const struct ipvl_net *ipvl, unsigned int bucket,
			  int (*fn)(const struct ipvl_conn *cp, void *arg),
			  void *arg);
long ipvl_conn_expires_ms(const struct ipvl_conn *cp);

#endif /* _IPVL_CONN_H */
