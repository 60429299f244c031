// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite destination hashing scheduler: the destination address of
 * the packet is hashed onto a fixed table of buckets, and each bucket
 * names a real server. The servers share the buckets in proportion to
 * their weights, so all flows towards one address reach the same server
 * for as long as the set of servers and their weights stay the same; a
 * cache in front of many origins is the usual case. A server of weight 0
 * has no bucket; a flow whose bucket names a server that cannot take it
 * goes to the next bucket whose server can.
 *
 * The hash uses a fixed seed and the table depends only on the order and
 * the weights of the servers, so two directors configured alike send an
 * address to the same server.
 */

#include <linux/jhash.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "ip_vs_lite.h"

#define IPVL_DH_TAB_BITS	8
#define IPVL_DH_TAB_SIZE	BIT(IPVL_DH_TAB_BITS)
#define IPVL_DH_SEED		0x4448

/*
 * A change publishes a new table; a published one is only ever altered
 * by emptying buckets, when del_dest cannot get a new one.
 */
struct ipvl_dh_table {
	struct rcu_head rcu;
	struct ipvl_dest *bucket[IPVL_DH_TAB_SIZE];
};

/* svc->sched_data; NULL table when every server weighs 0. */
struct ipvl_dh_state {
	struct ipvl_dh_table __rcu *tab;
};

static struct ipvl_dh_table *ipvl_dh_tab(struct ipvl_service *svc)
{
	struct ipvl_dh_state *st = svc->sched_data;

	return rcu_dereference_protected(st->tab, lockdep_is_held(svc->lock));
}

/*
 * Bucket b goes to the server whose share of the cumulative weight holds
 * the middle of b, (b + 1/2) * total / SIZE: every server gets its share
 * of the buckets to within one, in one contiguous run. A server whose
 * share is below half a bucket gets none.
 */
static void ipvl_dh_fill(struct ipvl_service *svc, struct ipvl_dh_table *tab,
			 u64 total)
{
	struct ipvl_dest *dest;
	unsigned int b = 0;
	u64 cum = 0;

	ipvl_for_each_dest(dest, svc, svc->lock) {
		if (dest->weight <= 0)
			continue;
		cum += dest->weight;
		while (b < IPVL_DH_TAB_SIZE &&
		       (2 * b + 1) * total < 2 * IPVL_DH_TAB_SIZE * cum)
			tab->bucket[b++] = dest;
	}
}

static int ipvl_dh_rebuild(struct ipvl_service *svc)
{
	struct ipvl_dh_state *st = svc->sched_data;
	struct ipvl_dh_table *tab = NULL, *old;
	struct ipvl_dest *dest;
	u64 total = 0;

	lockdep_assert_held(svc->lock);

	/*
	 * Weights only: a server over its connection threshold keeps its
	 * buckets, as the overload comes and goes with the traffic and no
	 * hook would rebuild the table; lookups skip it meanwhile.
	 */
	ipvl_for_each_dest(dest, svc, svc->lock)
		if (dest->weight > 0)
			total += dest->weight;
	if (total) {
		tab = kzalloc(sizeof(*tab), GFP_KERNEL);
		if (!tab)
			return -ENOMEM;
		ipvl_dh_fill(svc, tab, total);
	}
	old = rcu_replace_pointer(st->tab, tab, lockdep_is_held(svc->lock));
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static int ipvl_dh_init_service(struct ipvl_service *svc)
{
	struct ipvl_dh_state *st;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	svc->sched_data = st;
	/* The scheduler may be swapped on a service that has servers. */
	ret = ipvl_dh_rebuild(svc);
	if (ret) {
		kfree(st);
		svc->sched_data = NULL;
	}
	return ret;
}

/* The core calls this only once no packet can reach the table. */
static void ipvl_dh_done_service(struct ipvl_service *svc)
{
	lockdep_assert_held(svc->lock);
	kfree(ipvl_dh_tab(svc));
	kfree(svc->sched_data);
}

/* Serves add_dest and upd_dest: the table follows the weights. */
static int ipvl_dh_dest_changed(struct ipvl_service *svc,
				struct ipvl_dest *dest)
{
	return ipvl_dh_rebuild(svc);
}

/*
 * The table must stop naming @dest before it is freed. Without memory
 * for a new table, its buckets are emptied in place instead; lookups
 * then skip them as they skip a quiesced server.
 */
static int ipvl_dh_del_dest(struct ipvl_service *svc, struct ipvl_dest *dest)
{
	struct ipvl_dh_table *tab;
	unsigned int b;

	if (!ipvl_dh_rebuild(svc))
		return 0;
	tab = ipvl_dh_tab(svc);
	for (b = 0; tab && b < IPVL_DH_TAB_SIZE; b++)
		if (tab->bucket[b] == dest)
			WRITE_ONCE(tab->bucket[b], NULL);
	return 0;
}

static u32 ipvl_dh_hash(u16 af, const union nf_inet_addr *addr)
{
	if (af == AF_INET6)
		return jhash2((const u32 *)addr->all, 4, IPVL_DH_SEED);
	return jhash_1word((__force u32)addr->ip, IPVL_DH_SEED);
}

/*
 * A bucket's server may be over its connection threshold, quiesced but
 * not yet out of the table, or the bucket empty after a rebuild failed:
 * then the next bucket holding a usable server takes the flow.
 */
static struct ipvl_dest *ipvl_dh_lookup(const struct ipvl_dh_table *tab,
					u32 hash)
{
	struct ipvl_dest *dest;
	unsigned int i;

	for (i = 0; i < IPVL_DH_TAB_SIZE; i++) {
		dest = READ_ONCE(tab->bucket[(hash + i) % IPVL_DH_TAB_SIZE]);
		if (dest && ipvl_dest_usable(dest))
			return dest;
	}
	return NULL;
}

static struct ipvl_sched_ops ipvl_dh_ops;

static struct ipvl_dest *ipvl_dh_schedule(struct ipvl_service *svc,
					  const struct sk_buff *skb,
					  const struct ipvl_pkt *pkt)
{
	struct ipvl_dh_state *st = svc->sched_data;
	struct ipvl_dh_table *tab = rcu_dereference(st->tab);
	struct ipvl_dest *dest = NULL;

	if (tab)
		dest = ipvl_dh_lookup(tab, ipvl_dh_hash(pkt->af, &pkt->daddr));
	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_dh_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_dh_ops = {
	.name		= "dh",
	.owner		= THIS_MODULE,
	.init_service	= ipvl_dh_init_service,
	.done_service	= ipvl_dh_done_service,
	.add_dest	= ipvl_dh_dest_changed,
	.del_dest	= ipvl_dh_del_dest,
	.upd_dest	= ipvl_dh_dest_changed,
	.schedule	= ipvl_dh_schedule,
};

static int __init ipvl_dh_init(void)
{
	return ipvl_register_scheduler(&ipvl_dh_ops);
}

static void __exit ipvl_dh_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_dh_ops);
	/* A packet may still be inside ipvl_dh_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_dh_init);
module_exit(ipvl_dh_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ip_vs_lite destination hashing scheduler");
