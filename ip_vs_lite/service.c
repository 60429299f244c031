// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual services and their real servers. Changes happen under the
 * netns config lock; the packet path reads under RCU.
 */

#include <linux/jhash.h>
#include <linux/slab.h>

#include "sched.h"
#include "service.h"
#include "stats.h"

static u32 svc_hash(u16 af, u8 protocol, const union nf_inet_addr *addr,
		    __be16 port)
{
	u32 a = af == AF_INET6 ? jhash2((const u32 *)addr->all, 4, 0) :
				 (__force u32)addr->ip;

	return jhash_3words(a, (__force u32)port, protocol, 0);
}

static bool svc_match(const struct ipvl_service *svc, u16 af, u8 protocol,
		      const union nf_inet_addr *addr, __be16 port)
{
	return svc->port == port && svc->protocol == protocol &&
	       svc->af == af && nf_inet_addr_cmp(&svc->addr, addr);
}

struct ipvl_service *ipvl_service_find(struct ipvl_net *ipvl,
				       const struct ipvl_svc_key *key)
{
	u32 hash = svc_hash(key->af, key->protocol, &key->addr, key->port);
	struct ipvl_service *svc;

	hash_for_each_possible_rcu(ipvl->svc_tab, svc, node, hash,
				   lockdep_is_held(&ipvl->lock))
		if (svc_match(svc, key->af, key->protocol, &key->addr,
			      key->port))
			return svc;
	return NULL;
}

struct ipvl_service *ipvl_service_lookup_rcu(struct ipvl_net *ipvl,
					     const struct ipvl_pkt *pkt)
{
	u32 hash = svc_hash(pkt->af, pkt->protocol, &pkt->daddr, pkt->dport);
	struct ipvl_service *svc;

	hash_for_each_possible_rcu(ipvl->svc_tab, svc, node, hash)
		if (svc_match(svc, pkt->af, pkt->protocol, &pkt->daddr,
			      pkt->dport))
			return svc;
	return NULL;
}

static const struct ipvl_sched_ops *svc_sched(struct ipvl_service *svc)
{
	return rcu_dereference_protected(svc->sched,
					 lockdep_is_held(svc->lock));
}

static int sched_bind(struct ipvl_service *svc,
		      const struct ipvl_sched_ops *sched)
{
	int ret = sched->init_service ? sched->init_service(svc) : 0;

	if (!ret)
		rcu_assign_pointer(svc->sched, sched);
	return ret;
}

/* Runs only when no reader can see the service's scheduler any more. */
static void sched_done(struct ipvl_service *svc,
		       const struct ipvl_sched_ops *sched)
{
	if (sched->done_service)
		sched->done_service(svc);
	svc->sched_data = NULL;
}

int ipvl_service_add(struct ipvl_net *ipvl, const struct ipvl_svc_key *key,
		     const struct ipvl_sched_ops *sched, u32 flags)
{
	struct ipvl_service *svc;
	int ret;

	lockdep_assert_held(&ipvl->lock);
	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	if (!svc)
		return -ENOMEM;
	svc->stats = ipvl_stats_alloc();
	if (!svc->stats) {
		kfree(svc);
		return -ENOMEM;
	}
	svc->net = ipvl->net;
	svc->lock = &ipvl->lock;
	svc->af = key->af;
	svc->protocol = key->protocol;
	svc->addr = key->addr;
	svc->port = key->port;
	svc->flags = flags;
	INIT_LIST_HEAD(&svc->dests);
	spin_lock_init(&svc->sched_lock);
	ret = sched_bind(svc, sched);
	if (ret) {
		ipvl_stats_free(svc->stats);
		kfree(svc);
		return ret;
	}
	hash_add_rcu(ipvl->svc_tab, &svc->node,
		     svc_hash(key->af, key->protocol, &key->addr, key->port));
	WRITE_ONCE(ipvl->num_services, ipvl->num_services + 1);
	return 0;
}

/*
 * Schedulers share svc->sched_data, so the old one must be gone from
 * every CPU before the new one initialises; new flows that arrive in
 * between find no scheduler and are dropped, and the client retries.
 */
int ipvl_service_set_sched(struct ipvl_service *svc,
			   const struct ipvl_sched_ops *sched)
{
	const struct ipvl_sched_ops *old = svc_sched(svc);
	int ret;

	if (old == sched) {
		ipvl_sched_put(sched);
		return 0;
	}
	RCU_INIT_POINTER(svc->sched, NULL);
	synchronize_rcu();
	sched_done(svc, old);
	ret = sched_bind(svc, sched);
	if (ret) {
		WARN_ON_ONCE(sched_bind(svc, old));
		return ret;
	}
	ipvl_sched_put(old);
	return 0;
}

void ipvl_dest_hold(struct ipvl_dest *dest)
{
	refcount_inc(&dest->refcnt);
}

static void dest_free_rcu(struct rcu_head *head)
{
	struct ipvl_dest *dest = container_of(head, struct ipvl_dest, rcu);

	ipvl_stats_free(dest->stats);
	kfree(dest);
}

void ipvl_dest_put(struct ipvl_dest *dest)
{
	if (refcount_dec_and_test(&dest->refcnt))
		call_rcu(&dest->rcu, dest_free_rcu);
}

struct ipvl_dest *ipvl_dest_find(struct ipvl_service *svc,
				 const struct ipvl_dest_cfg *cfg)
{
	struct ipvl_dest *dest;

	ipvl_for_each_dest(dest, svc, svc->lock)
		if (dest->af == cfg->af && dest->port == cfg->port &&
		    nf_inet_addr_cmp(&dest->addr, &cfg->addr))
			return dest;
	return NULL;
}

int ipvl_dest_add(struct ipvl_service *svc, const struct ipvl_dest_cfg *cfg)
{
	const struct ipvl_sched_ops *sched = svc_sched(svc);
	struct ipvl_dest *dest;
	int ret;

	lockdep_assert_held(svc->lock);
	dest = kzalloc(sizeof(*dest), GFP_KERNEL);
	if (!dest)
		return -ENOMEM;
	dest->stats = ipvl_stats_alloc();
	if (!dest->stats) {
		kfree(dest);
		return -ENOMEM;
	}
	dest->svc = svc;
	dest->af = cfg->af;
	dest->addr = cfg->addr;
	dest->port = cfg->port;
	dest->fwd = cfg->fwd;
	dest->weight = cfg->weight;
	refcount_set(&dest->refcnt, 1);
	set_bit(IPVL_DEST_F_AVAILABLE, &dest->flags);
	list_add_tail_rcu(&dest->list, &svc->dests);
	svc->num_dests++;
	ret = sched->add_dest ? sched->add_dest(svc, dest) : 0;
	if (ret)
		ipvl_dest_del(svc, dest);
	return ret;
}

int ipvl_dest_edit(struct ipvl_service *svc, struct ipvl_dest *dest,
		   const struct ipvl_dest_cfg *cfg)
{
	const struct ipvl_sched_ops *sched = svc_sched(svc);

	lockdep_assert_held(svc->lock);
	WRITE_ONCE(dest->fwd, cfg->fwd);
	WRITE_ONCE(dest->weight, cfg->weight);
	return sched->upd_dest ? sched->upd_dest(svc, dest) : 0;
}

/*
 * Connections keep their reference to a deleted real server until they
 * expire; their packets are dropped once it is no longer available.
 */
void ipvl_dest_del(struct ipvl_service *svc, struct ipvl_dest *dest)
{
	const struct ipvl_sched_ops *sched = svc_sched(svc);

	lockdep_assert_held(svc->lock);
	clear_bit(IPVL_DEST_F_AVAILABLE, &dest->flags);
	list_del_rcu(&dest->list);
	svc->num_dests--;
	if (sched->del_dest)
		sched->del_dest(svc, dest);
	ipvl_dest_put(dest);
}

static void svc_unlink(struct ipvl_net *ipvl, struct ipvl_service *svc)
{
	struct ipvl_dest *dest;

	lockdep_assert_held(&ipvl->lock);
	ipvl_for_each_dest(dest, svc, svc->lock)
		clear_bit(IPVL_DEST_F_AVAILABLE, &dest->flags);
	hash_del_rcu(&svc->node);
	WRITE_ONCE(ipvl->num_services, ipvl->num_services - 1);
}

/* After a grace period: nothing on the packet path sees svc any more. */
static void svc_release(struct ipvl_service *svc)
{
	const struct ipvl_sched_ops *sched = svc_sched(svc);
	struct ipvl_dest *dest, *next;

	list_for_each_entry_safe(dest, next, &svc->dests, list) {
		list_del(&dest->list);
		ipvl_dest_put(dest);
	}
	sched_done(svc, sched);
	ipvl_sched_put(sched);
	ipvl_stats_free(svc->stats);
	kfree(svc);
}

void ipvl_service_del(struct ipvl_net *ipvl, struct ipvl_service *svc)
{
	svc_unlink(ipvl, svc);
	synchronize_rcu();
	svc_release(svc);
}

void ipvl_service_flush(struct ipvl_net *ipvl)
{
	struct ipvl_service *svc, *next;
	struct hlist_node *tmp;
	LIST_HEAD(gc);
	int bkt;

	lockdep_assert_held(&ipvl->lock);
	hash_for_each_safe(ipvl->svc_tab, bkt, tmp, svc, node) {
		svc_unlink(ipvl, svc);
		list_add(&svc->gc, &gc);
	}
	if (list_empty(&gc))
		return;
	synchronize_rcu();
	list_for_each_entry_safe(svc, next, &gc, gc)
		svc_release(svc);
}
