/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ip_vs_lite: the objects a scheduler module sees, and the scheduler API.
 */
#ifndef _IP_VS_LITE_H
#define _IP_VS_LITE_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <net/net_namespace.h>
#include "uapi/linux/ip_vs_lite.h"

struct ipvl_sched_ops;
struct ipvl_stats;

/* The tuple of the packet being scheduled, host-independent. */
struct ipvl_pkt {
	u16 af;
	u8 protocol;
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
};

/*
 * A tunnelling real server's encapsulation, in one word: a packet reads it
 * with one READ_ONCE and never sees half of an edit.
 */
struct ipvl_tun {
	u8 type;			/* enum ipvl_tun_type */
	u8 flags;			/* IPVL_TUN_F_* */
	__be16 port;			/* GUE: the real server's UDP port */
} __aligned(4);

/* Real server. Lives on svc->dests (RCU list, changed under svc->lock). */
struct ipvl_dest {
	struct list_head list;
	struct ipvl_service *svc;	/* valid while IPVL_DEST_F_AVAILABLE */
	u16 af;
	union nf_inet_addr addr;
	__be16 port;
	u8 fwd;				/* enum ipvl_fwd */
	struct ipvl_tun tun;		/* READ_ONCE on the packet path */
	unsigned long flags;		/* IPVL_DEST_F_* bits */
	int weight;			/* READ_ONCE on the packet path */
	u32 u_thresh;			/* 0: no upper connection limit */
	u32 l_thresh;			/* 0: 3/4 of u_thresh */
	atomic_t activeconns;
	atomic_t inactconns;
	atomic_t persistconns;		/* persistence templates */
	struct ipvl_stats *stats;
	refcount_t refcnt;		/* list membership + one per connection */
	void *sched_data;		/* owned by the scheduler */
	/*
	 * Routes to addr, so that a packet need not look one up: dst_check()
	 * drops an entry once the routing tables change. Direct routing must
	 * have addr named as the next hop (FLOWI_FLAG_KNOWN_NH), NAT and
	 * tunnels take the route their packet's destination gets. On a link
	 * without a gateway the first is a route of its own, which a path
	 * MTU learned later does not invalidate, so the two are kept apart
	 * (and IPv6 does not cache it at all, see xmit_ipv6.c).
	 */
	struct dst_cache dst_cache;	/* NAT, TUN */
	struct dst_cache dst_cache_dr;	/* DR */
	struct rcu_head rcu;
};

#define IPVL_DEST_F_AVAILABLE	0	/* bit: on the service's list */
#define IPVL_DEST_F_OVERLOAD	1	/* bit: over its upper threshold */
#define IPVL_DEST_F_DRAINING	2	/* bit: deleted once it has no connections */

/* Virtual service. */
struct ipvl_service {
	struct hlist_node node;		/* per-netns service hash, RCU */
	struct net *net;
	struct mutex *lock;		/* the netns config lock */
	u16 af;
	u8 protocol;
	union nf_inet_addr addr;
	__be16 port;			/* 0: every port (persistent only) */
	u32 fwmark;			/* non-zero: a firewall-mark service */
	u32 flags;			/* IPVL_SVC_F_*, READ_ONCE */
	unsigned long timeout;		/* persistence, jiffies */
	u8 netmask;			/* persistence prefix length */
	struct list_head dests;		/* RCU, changed under *lock */
	unsigned int num_dests;
	const struct ipvl_sched_ops __rcu *sched;
	void *sched_data;		/* owned by the scheduler */
	spinlock_t sched_lock;		/* free for the scheduler's use */
	struct ipvl_stats *stats;
	struct rcu_work free_work;	/* private to the core */
};

/*
 * A scheduler. init_service/done_service/add_dest/del_dest/upd_dest run
 * in process context under svc->lock; schedule runs in softirq under
 * rcu_read_lock() and must only pick among dests that ipvl_dest_usable()
 * accepts. schedule returns NULL when no real server can take the flow.
 *
 * init_service may find real servers already on svc->dests (the service
 * changed scheduler); add_dest is called for each one added afterwards,
 * once it is on the list. del_dest is called after the dest left the
 * list, but readers may still hold it until a grace period ends.
 * done_service runs after a grace period, when no schedule() call can be
 * running for the service any more. A deleted service's real servers go
 * without del_dest calls, so done_service must not walk svc->dests, and
 * del_dest cannot fail the deletion: its return value is not used.
 */
struct ipvl_sched_ops {
	const char *name;
	struct module *owner;
	struct list_head list;
	int (*init_service)(struct ipvl_service *svc);
	void (*done_service)(struct ipvl_service *svc);
	int (*add_dest)(struct ipvl_service *svc, struct ipvl_dest *dest);
	int (*del_dest)(struct ipvl_service *svc, struct ipvl_dest *dest);
	int (*upd_dest)(struct ipvl_service *svc, struct ipvl_dest *dest);
	struct ipvl_dest *(*schedule)(struct ipvl_service *svc,
				      const struct sk_buff *skb,
				      const struct ipvl_pkt *pkt);
};

/* What ipvl_sched_get() asks request_module() for, "ipvl-sched-<name>". */
#define MODULE_ALIAS_IPVL_SCHED(name) MODULE_ALIAS("ipvl-sched-" name)

int ipvl_register_scheduler(struct ipvl_sched_ops *ops);
void ipvl_unregister_scheduler(struct ipvl_sched_ops *ops);

/* A real server may take new connections: weight > 0, not overloaded. */
static inline bool ipvl_dest_usable(const struct ipvl_dest *dest)
{
	return READ_ONCE(dest->weight) > 0 &&
	       !test_bit(IPVL_DEST_F_OVERLOAD, &dest->flags);
}

/* Load of a real server as lc and wlc see it: active * 256 + inactive. */
static inline unsigned int ipvl_dest_overhead(const struct ipvl_dest *dest)
{
	return (atomic_read(&dest->activeconns) << 8) +
	       atomic_read(&dest->inactconns);
}

/*
 * An order of real servers fixed by family, address and port alone, for
 * schedulers whose tables must not depend on the order of configuration.
 */
int ipvl_dest_cmp(const struct ipvl_dest *a, const struct ipvl_dest *b);

/*
 * wlc's choice, which lblc falls back on: the usable server with the
 * least ipvl_dest_overhead() / weight, the first on a tie; NULL if none.
 * Under rcu_read_lock().
 */
struct ipvl_dest *ipvl_sched_least_weighted(struct ipvl_service *svc);

/* Rate-limited note that a service had no usable real server. */
void ipvl_sched_no_dest(const struct ipvl_service *svc,
			const struct ipvl_sched_ops *ops);

/*
 * A weighted table of buckets for schedulers that hash a flow onto a real
 * server (dh, sh), kept in svc->sched_data. IPVL_HASHTAB_OPS() gives such
 * a scheduler its configuration hooks; its schedule() hashes an address
 * with the scheduler's own fixed seed, so that directors configured alike
 * agree, and looks the hash up under rcu_read_lock(): the result is a
 * usable server, or NULL.
 */
int ipvl_hashtab_init(struct ipvl_service *svc);
void ipvl_hashtab_done(struct ipvl_service *svc);
int ipvl_hashtab_dest_changed(struct ipvl_service *svc,
			      struct ipvl_dest *dest);
int ipvl_hashtab_del_dest(struct ipvl_service *svc, struct ipvl_dest *dest);
u32 ipvl_hashtab_hash(u16 af, const union nf_inet_addr *addr, u32 seed);
struct ipvl_dest *ipvl_hashtab_lookup(struct ipvl_service *svc, u32 hash);

#define IPVL_HASHTAB_OPS(_name, _schedule) {			\
	.name		= _name,				\
	.owner		= THIS_MODULE,				\
	.init_service	= ipvl_hashtab_init,			\
	.done_service	= ipvl_hashtab_done,			\
	.add_dest	= ipvl_hashtab_dest_changed,		\
	.del_dest	= ipvl_hashtab_del_dest,		\
	.upd_dest	= ipvl_hashtab_dest_changed,		\
	.schedule	= _schedule,				\
}

#define ipvl_for_each_dest_rcu(dest, svc) \
	list_for_each_entry_rcu(dest, &(svc)->dests, list)

/* Walks svc->dests as a writer; @lock is the service's config lock. */
#define ipvl_for_each_dest(dest, svc, lock) \
	list_for_each_entry_rcu(dest, &(svc)->dests, list, \
				lockdep_is_held(lock))

#endif /* _IP_VS_LITE_H */
