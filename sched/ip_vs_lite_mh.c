// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite Maglev hashing scheduler: consistent hashing of the client's
 * source address onto a lookup table, after "Maglev: A Fast and Reliable
 * Software Network Load Balancer" (NSDI 2016), section 3.4.
 *
 * Every real server of non-zero weight has its own order of preference
 * over all the slots of the table, drawn from two hashes of its address
 * and port. The servers take turns claiming their most preferred free
 * slot until the table is full, a server claiming more slots per turn the
 * heavier it is. A server's preferences do not depend on the other
 * servers, so when one leaves, its slots go to the others and nearly all
 * other slots keep their owner: few flows move besides those of the
 * server that left. A flow whose slot names a server that cannot take it
 * goes to the next slot whose server can, with or without mh-fallback.
 * With mh-port (IPVL_SVC_F_SCHED_PORT) the source port is hashed as
 * well, so that the connections of one client spread over the servers.
 *
 * Hashes use fixed seeds, and the servers take their turns in the order
 * of their addresses and ports rather than in the order they were added:
 * the table depends only on the set of servers and their weights, so
 * directors given the same servers, in whatever order, agree on every
 * flow.
 */

#include <linux/gcd.h>
#include <linux/jhash.h>
#include <linux/lockdep.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "ip_vs_lite.h"

/*
 * A prime, so that every skip from 1 to SIZE - 1 walks all the slots. At
 * this size, removing one of ten servers of equal weight moves about
 * 10.8% of the slots, against the 10% that must move; see
 * Documentation/schedulers.rst for the figures and the smaller sizes.
 */
#define IPVL_MH_TAB_SIZE	8191
/* Claims per turn of the heaviest server once weights are scaled down. */
#define IPVL_MH_MAX_TURNS	64

#define IPVL_MH_SEED_OFFSET	0x4d48
#define IPVL_MH_SEED_SKIP	0x6d68
#define IPVL_MH_SEED_FLOW	0x4d46

/*
 * A change publishes a new table; a published one is only ever altered
 * by emptying slots, when del_dest cannot get a new one.
 */
struct ipvl_mh_table {
	struct rcu_head rcu;
	struct ipvl_dest *slot[IPVL_MH_TAB_SIZE];
};

/* svc->sched_data; NULL table when every server weighs 0. */
struct ipvl_mh_state {
	struct ipvl_mh_table __rcu *tab;
};

/* A server's walk along its preferences while the table fills. */
struct ipvl_mh_perm {
	struct ipvl_dest *dest;
	u32 next;		/* slot it prefers next */
	u32 skip;
	u32 turns;		/* claims per turn */
};

static struct ipvl_mh_table *ipvl_mh_tab(struct ipvl_service *svc)
{
	struct ipvl_mh_state *st = svc->sched_data;

	return rcu_dereference_protected(st->tab, lockdep_is_held(svc->lock));
}

static u32 ipvl_mh_addr_word(u16 af, const union nf_inet_addr *addr,
			     u32 seed)
{
	if (af == AF_INET6)
		return jhash2((const u32 *)addr->all, 4, seed);
	return (__force u32)addr->ip;
}

static u32 ipvl_mh_dest_hash(const struct ipvl_dest *dest, u32 seed)
{
	return jhash_2words(ipvl_mh_addr_word(dest->af, &dest->addr, seed),
			    (__force u32)dest->port, seed);
}

/*
 * Fills @perm for the servers of non-zero weight, returns their number. The
 * weights are divided by their gcd; if the heaviest still needs more than
 * IPVL_MH_MAX_TURNS claims per turn, all are scaled to that, keeping at
 * least one claim for every server.
 */
static unsigned int ipvl_mh_prepare(struct ipvl_service *svc,
				    struct ipvl_mh_perm *perm, unsigned int n,
				    int gcd_w, int max_w)
{
	struct ipvl_dest *dest;
	unsigned int i = 0;
	u32 turns;

	ipvl_for_each_dest(dest, svc, svc->lock) {
		if (dest->weight <= 0 || i == n)
			continue;
		turns = dest->weight / gcd_w;
		if (max_w / gcd_w > IPVL_MH_MAX_TURNS)
			turns = max_t(u32, 1,
				      DIV_ROUND_CLOSEST((u32)dest->weight *
							IPVL_MH_MAX_TURNS,
							(u32)max_w));
		perm[i].dest = dest;
		perm[i].next = ipvl_mh_dest_hash(dest, IPVL_MH_SEED_OFFSET) %
			       IPVL_MH_TAB_SIZE;
		perm[i].skip = ipvl_mh_dest_hash(dest, IPVL_MH_SEED_SKIP) %
			       (IPVL_MH_TAB_SIZE - 1) + 1;
		perm[i].turns = turns;
		i++;
	}
	return i;
}

/*
 * Which server claims a slot two of them want next depends on who takes
 * its turn first; an order fixed by the servers alone keeps the table
 * independent of the order in which they were configured.
 */
static int ipvl_mh_perm_cmp(const void *a, const void *b)
{
	return ipvl_dest_cmp(((const struct ipvl_mh_perm *)a)->dest,
			     ((const struct ipvl_mh_perm *)b)->dest);
}

/*
 * A server's walk meets every slot within SIZE steps, and a slot once
 * claimed stays claimed, so while a slot is free each walk reaches one.
 */
static u32 ipvl_mh_claim(struct ipvl_mh_table *tab, struct ipvl_mh_perm *p)
{
	u32 c;

	do {
		c = p->next;
		p->next += p->skip;
		if (p->next >= IPVL_MH_TAB_SIZE)
			p->next -= IPVL_MH_TAB_SIZE;
	} while (tab->slot[c]);
	return c;
}

static void ipvl_mh_populate(struct ipvl_mh_table *tab,
			     struct ipvl_mh_perm *perm, unsigned int n)
{
	unsigned int filled = 0, i;
	u32 t;

	for (;;) {
		for (i = 0; i < n; i++) {
			for (t = 0; t < perm[i].turns; t++) {
				tab->slot[ipvl_mh_claim(tab, &perm[i])] =
					perm[i].dest;
				if (++filled == IPVL_MH_TAB_SIZE)
					return;
			}
		}
		cond_resched();
	}
}

/* A new table for the servers as they stand, NULL if all weigh 0. */
static struct ipvl_mh_table *ipvl_mh_build(struct ipvl_service *svc)
{
	struct ipvl_mh_table *tab = NULL;
	struct ipvl_mh_perm *perm;
	int gcd_w = 0, max_w = 0;
	struct ipvl_dest *dest;
	unsigned int n = 0;

	lockdep_assert_held(svc->lock);

	/*
	 * Weights only: a server over its connection threshold keeps its
	 * slots, as the overload comes and goes with the traffic and no hook
	 * would rebuild the table; lookups skip it meanwhile.
	 */
	ipvl_for_each_dest(dest, svc, svc->lock) {
		if (dest->weight <= 0)
			continue;
		gcd_w = gcd(gcd_w, dest->weight);
		max_w = max(max_w, dest->weight);
		n++;
	}
	if (!n)
		return NULL;

	perm = kvcalloc(n, sizeof(*perm), GFP_KERNEL);
	if (perm)
		tab = kvzalloc(sizeof(*tab), GFP_KERNEL);
	if (tab) {
		n = ipvl_mh_prepare(svc, perm, n, gcd_w, max_w);
		sort(perm, n, sizeof(*perm), ipvl_mh_perm_cmp, NULL);
		ipvl_mh_populate(tab, perm, n);
	}
	kvfree(perm);
	return tab ?: ERR_PTR(-ENOMEM);
}

static int ipvl_mh_rebuild(struct ipvl_service *svc)
{
	struct ipvl_mh_state *st = svc->sched_data;
	struct ipvl_mh_table *tab, *old;

	tab = ipvl_mh_build(svc);
	if (IS_ERR(tab))
		return PTR_ERR(tab);
	old = rcu_replace_pointer(st->tab, tab, lockdep_is_held(svc->lock));
	if (old)
		kvfree_rcu(old, rcu);
	return 0;
}

static int ipvl_mh_init_service(struct ipvl_service *svc)
{
	struct ipvl_mh_state *st;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return -ENOMEM;
	svc->sched_data = st;
	/* The scheduler may be swapped on a service that has servers. */
	ret = ipvl_mh_rebuild(svc);
	if (ret) {
		kfree(st);
		svc->sched_data = NULL;
	}
	return ret;
}

/* The core calls this only once no packet can reach the table. */
static void ipvl_mh_done_service(struct ipvl_service *svc)
{
	lockdep_assert_held(svc->lock);
	kvfree(ipvl_mh_tab(svc));
	kfree(svc->sched_data);
}

/* Serves add_dest and upd_dest: the table follows the weights. */
static int ipvl_mh_dest_changed(struct ipvl_service *svc,
				struct ipvl_dest *dest)
{
	return ipvl_mh_rebuild(svc);
}

/*
 * The table must stop naming @dest before it is freed. Without memory
 * for a new table, its slots are emptied in place instead; lookups then
 * skip them as they skip a quiesced server.
 */
static int ipvl_mh_del_dest(struct ipvl_service *svc, struct ipvl_dest *dest)
{
	struct ipvl_mh_table *tab;
	unsigned int i;

	if (!ipvl_mh_rebuild(svc))
		return 0;
	tab = ipvl_mh_tab(svc);
	for (i = 0; tab && i < IPVL_MH_TAB_SIZE; i++)
		if (tab->slot[i] == dest)
			WRITE_ONCE(tab->slot[i], NULL);
	return 0;
}

/*
 * The flag is read per packet: an edit of the service turns port hashing
 * on or off for the flows that come after it, connections already made
 * keep their server.
 */
static u32 ipvl_mh_flow_hash(const struct ipvl_service *svc,
			     const struct ipvl_pkt *pkt)
{
	bool port = READ_ONCE(svc->flags) & IPVL_SVC_F_SCHED_PORT;
	__be16 sport = port ? pkt->sport : 0;

	return jhash_2words(ipvl_mh_addr_word(pkt->af, &pkt->saddr,
					      IPVL_MH_SEED_FLOW),
			    (__force u32)sport, IPVL_MH_SEED_FLOW);
}

/*
 * A slot's server may be over its connection threshold, quiesced but not
 * yet out of the table, or the slot empty after a rebuild failed: then the
 * next slot holding a usable server takes the flow.
 */
static struct ipvl_dest *ipvl_mh_lookup(const struct ipvl_mh_table *tab,
					u32 hash)
{
	u32 start = reciprocal_scale(hash, IPVL_MH_TAB_SIZE);
	struct ipvl_dest *dest;
	u32 i, c = start;

	for (i = 0; i < IPVL_MH_TAB_SIZE; i++) {
		dest = READ_ONCE(tab->slot[c]);
		if (dest && ipvl_dest_usable(dest))
			return dest;
		if (++c == IPVL_MH_TAB_SIZE)
			c = 0;
	}
	return NULL;
}

static struct ipvl_sched_ops ipvl_mh_ops;

static struct ipvl_dest *ipvl_mh_schedule(struct ipvl_service *svc,
					  const struct sk_buff *skb,
					  const struct ipvl_pkt *pkt)
{
	struct ipvl_mh_state *st = svc->sched_data;
	struct ipvl_mh_table *tab = rcu_dereference(st->tab);
	struct ipvl_dest *dest = NULL;

	if (tab)
		dest = ipvl_mh_lookup(tab, ipvl_mh_flow_hash(svc, pkt));
	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_mh_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_mh_ops = {
	.name		= "mh",
	.owner		= THIS_MODULE,
	.init_service	= ipvl_mh_init_service,
	.done_service	= ipvl_mh_done_service,
	.add_dest	= ipvl_mh_dest_changed,
	.del_dest	= ipvl_mh_del_dest,
	.upd_dest	= ipvl_mh_dest_changed,
	.schedule	= ipvl_mh_schedule,
};

#ifdef DEBUG
#define IPVL_MH_TEST_N		10
/* 1/N + 2 percentage points, in hundredths of a percent. */
#define IPVL_MH_TEST_BOUND	(10000 / IPVL_MH_TEST_N + 200)

static unsigned int ipvl_mh_moved(const struct ipvl_mh_table *a,
				  const struct ipvl_mh_table *b)
{
	unsigned int i, moved = 0;

	for (i = 0; i < IPVL_MH_TAB_SIZE; i++)
		moved += a->slot[i] != b->slot[i];
	return moved * 10000 / IPVL_MH_TAB_SIZE;
}

/*
 * Ten servers of equal weight, 192.0.2.11 to .20 on port 80, as a table
 * is built in the field; then the table without each of them in turn.
 * Only the removed server's tenth of the slots has to change owner.
 */
static int __init ipvl_mh_selftest_run(struct ipvl_service *svc,
				       struct ipvl_dest *d)
{
	unsigned int k, m, worst = 0, sum = 0;
	struct ipvl_mh_table *ref, *tab;

	ref = ipvl_mh_build(svc);
	if (IS_ERR_OR_NULL(ref))
		return -ENOMEM;
	for (k = 0; k < IPVL_MH_TEST_N; k++) {
		list_del(&d[k].list);
		tab = ipvl_mh_build(svc);
		list_add(&d[k].list, k ? &d[k - 1].list : &svc->dests);
		if (IS_ERR_OR_NULL(tab)) {
			kvfree(ref);
			return -ENOMEM;
		}
		m = ipvl_mh_moved(ref, tab);
		worst = max(worst, m);
		sum += m;
		kvfree(tab);
	}
	kvfree(ref);
	pr_info("self-test: %u slots, removing 1 of %u servers moves %u.%02u%% of them at worst, %u.%02u%% on average, bound %u.%02u%%\n",
		IPVL_MH_TAB_SIZE, IPVL_MH_TEST_N, worst / 100, worst % 100,
		sum / IPVL_MH_TEST_N / 100, sum / IPVL_MH_TEST_N % 100,
		IPVL_MH_TEST_BOUND / 100, IPVL_MH_TEST_BOUND % 100);
	return worst <= IPVL_MH_TEST_BOUND ? 0 : -EDOM;
}

static int __init ipvl_mh_selftest(void)
{
	static DEFINE_MUTEX(lock);
	struct ipvl_service *svc;
	struct ipvl_dest *d;
	unsigned int i;
	int ret;

	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	d = kcalloc(IPVL_MH_TEST_N, sizeof(*d), GFP_KERNEL);
	if (!svc || !d) {
		kfree(svc);
		kfree(d);
		return -ENOMEM;
	}
	svc->lock = &lock;
	INIT_LIST_HEAD(&svc->dests);
	for (i = 0; i < IPVL_MH_TEST_N; i++) {
		d[i].af = AF_INET;
		d[i].addr.ip = htonl(0xc0000200 + 11 + i);
		d[i].port = htons(80);
		d[i].weight = 1;
		list_add_tail(&d[i].list, &svc->dests);
	}
	mutex_lock(&lock);
	ret = ipvl_mh_selftest_run(svc, d);
	mutex_unlock(&lock);
	kfree(d);
	kfree(svc);
	return ret;
}
#else
static int __init ipvl_mh_selftest(void)
{
	return 0;
}
#endif

static int __init ipvl_mh_init(void)
{
	int ret = ipvl_mh_selftest();

	if (ret) {
		pr_err("self-test failed: %d\n", ret);
		return ret;
	}
	return ipvl_register_scheduler(&ipvl_mh_ops);
}

static void __exit ipvl_mh_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_mh_ops);
	/* A packet may still be inside ipvl_mh_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_mh_init);
module_exit(ipvl_mh_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("mh");
MODULE_DESCRIPTION("ip_vs_lite Maglev hashing scheduler");
