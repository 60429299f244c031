// SPDX-License-Identifier: GPL-2.0
/*
 * The weighted bucket table of the hashing schedulers (dh, sh): a hash of
 * an address picks one of a fixed number of buckets, and each bucket names
 * a real server. The servers share the buckets in proportion to their
 * weights. The servers take their runs of buckets in the order of their
 * addresses and ports, not in the order they were added, so the table
 * depends only on the set of servers and their weights: two directors
 * given the same servers, in whatever order, map a hash alike.
 */

#include <linux/export.h>
#include <linux/jhash.h>
#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "ip_vs_lite.h"

#define IPVL_HASHTAB_BITS	8
#define IPVL_HASHTAB_SIZE	BIT(IPVL_HASHTAB_BITS)

/*
 * A change publishes a new table; a published one is only ever altered
 * by emptying buckets, when del_dest cannot get a new one.
 */
struct ipvl_hashtab {
	struct rcu_head rcu;
	struct ipvl_dest *bucket[IPVL_HASHTAB_SIZE];
};

/* svc->sched_data; NULL table when every server weighs 0. */
struct ipvl_hashtab_state {
	struct ipvl_hashtab __rcu *tab;
};

static struct ipvl_hashtab *hashtab_get(struct ipvl_service *svc)
{
	struct ipvl_hashtab_state *st = svc->sched_data;

	return rcu_dereference_protected(st->tab, lockdep_is_held(svc->lock));
}

static int dest_ptr_cmp(const void *a, const void *b)
{
	return ipvl_dest_cmp(*(struct ipvl_dest * const *)a,
			     *(struct ipvl_dest * const *)b);
}

/*
 * Bucket b goes to the server whose share of the cumulative weight holds
 * the middle of b, (b + 1/2) * total / SIZE: every server gets its share
 * of the buckets to within one, in one contiguous run. A server whose
 * share is below half a bucket gets none.
 */
static void hashtab_fill(struct ipvl_hashtab *tab, struct ipvl_dest **v,
			 unsigned int n, u64 total)
{
	unsigned int b = 0, i;
	u64 cum = 0;

	sort(v, n, sizeof(*v), dest_ptr_cmp, NULL);
	for (i = 0; i < n; i++) {
		cum += v[i]->weight;
		while (b < IPVL_HASHTAB_SIZE &&
		       (2 * b + 1) * total < 2 * IPVL_HASHTAB_SIZE * cum)
			tab->bucket[b++] = v[i];
	}
}

/*
 * Weights only: a server over its connection threshold keeps its
 * buckets, as the overload comes and goes with the traffic and no hook
 * would rebuild the table; lookups skip it meanwhile.
 */
static struct ipvl_hashtab *hashtab_build(struct ipvl_service *svc)
{
	struct ipvl_hashtab *tab = NULL;
	struct ipvl_dest *dest, **v;
	unsigned int n = 0;
	u64 total = 0;

	ipvl_for_each_dest(dest, svc, svc->lock)
		if (dest->weight > 0)
			n++;
	if (!n)
		return NULL;
	v = kvmalloc_array(n, sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return ERR_PTR(-ENOMEM);
	n = 0;
	ipvl_for_each_dest(dest, svc, svc->lock) {
		if (dest->weight > 0) {
			v[n++] = dest;
			total += dest->weight;
		}
	}
	tab = kzalloc(sizeof(*tab), GFP_KERNEL_ACCOUNT);
	if (tab)
		hashtab_fill(tab, v, n, total);
	kvfree(v);
	return tab ?: ERR_PTR(-ENOMEM);
}

static int hashtab_rebuild(struct ipvl_service *svc)
{
	struct ipvl_hashtab_state *st = svc->sched_data;
	struct ipvl_hashtab *tab, *old;

	lockdep_assert_held(svc->lock);
	tab = hashtab_build(svc);
	if (IS_ERR(tab))
		return PTR_ERR(tab);
	old = rcu_replace_pointer(st->tab, tab, lockdep_is_held(svc->lock));
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

int ipvl_hashtab_init(struct ipvl_service *svc)
{
	struct ipvl_hashtab_state *st;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return -ENOMEM;
	svc->sched_data = st;
	/* The scheduler may be swapped on a service that has servers. */
	ret = hashtab_rebuild(svc);
	if (ret) {
		kfree(st);
		svc->sched_data = NULL;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(ipvl_hashtab_init);

/* The core calls this only once no packet can reach the table. */
void ipvl_hashtab_done(struct ipvl_service *svc)
{
	lockdep_assert_held(svc->lock);
	kfree(hashtab_get(svc));
	kfree(svc->sched_data);
}
EXPORT_SYMBOL_GPL(ipvl_hashtab_done);

/* Serves add_dest and upd_dest: the table follows the weights. */
int ipvl_hashtab_dest_changed(struct ipvl_service *svc, struct ipvl_dest *dest)
{
	return hashtab_rebuild(svc);
}
EXPORT_SYMBOL_GPL(ipvl_hashtab_dest_changed);

/*
 * The table must stop naming @dest before it is freed. Without memory
 * for a new table, its buckets are emptied in place instead; lookups
 * then skip them as they skip a quiesced server.
 */
int ipvl_hashtab_del_dest(struct ipvl_service *svc, struct ipvl_dest *dest)
{
	struct ipvl_hashtab *tab;
	unsigned int b;

	if (!hashtab_rebuild(svc))
		return 0;
	tab = hashtab_get(svc);
	for (b = 0; tab && b < IPVL_HASHTAB_SIZE; b++)
		if (tab->bucket[b] == dest)
			WRITE_ONCE(tab->bucket[b], NULL);
	return 0;
}
EXPORT_SYMBOL_GPL(ipvl_hashtab_del_dest);

u32 ipvl_hashtab_hash(u16 af, const union nf_inet_addr *addr, u32 seed)
{
	if (af == AF_INET6)
		return jhash2((const u32 *)addr->all, 4, seed);
	return jhash_1word((__force u32)addr->ip, seed);
}
EXPORT_SYMBOL_GPL(ipvl_hashtab_hash);

/*
 * A bucket's server may be over its connection threshold, quiesced but
 * not yet out of the table, or the bucket empty after a rebuild failed:
 * then the next bucket holding a usable server takes the flow.
 */
struct ipvl_dest *ipvl_hashtab_lookup(struct ipvl_service *svc, u32 hash)
{
	struct ipvl_hashtab_state *st = svc->sched_data;
	struct ipvl_hashtab *tab = rcu_dereference(st->tab);
	struct ipvl_dest *dest;
	unsigned int i;

	for (i = 0; tab && i < IPVL_HASHTAB_SIZE; i++) {
		dest = READ_ONCE(tab->bucket[(hash + i) % IPVL_HASHTAB_SIZE]);
		if (dest && ipvl_dest_usable(dest))
			return dest;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(ipvl_hashtab_lookup);
