// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual services and their real servers. Changes happen under the
 * netns config lock; the packet path reads under RCU.
 */

#include <linux/jhash.h>
#include <linux/slab.h>

#include "model/sched_registry.h"
#include "datapath/hooks.h"
#include "model/service.h"
#include "model/stats.h"

/*
 * What one netns may hold: configuration is open to a user namespace's
 * root, so without bounds one container could take the host's memory.
 */
static unsigned int svc_max = 65536;
module_param(svc_max, uint, 0644);
MODULE_PARM_DESC(svc_max,
		 "most virtual services per network namespace (default 65536)");

static unsigned int dest_max = 262144;
module_param(dest_max, uint, 0644);
MODULE_PARM_DESC(dest_max,
		 "most real servers per network namespace, over all its services (default 262144)");

bool ipvl_service_room(const struct ipvl_net *ipvl)
{
	return ipvl->num_services < READ_ONCE(svc_max);
}

bool ipvl_dest_room(const struct ipvl_net *ipvl)
{
	return ipvl->num_dests < READ_ONCE(dest_max);
}

static u32 key_hash(const struct ipvl_svc_key *key)
{
	u32 a;

	if (key->fwmark)
		return jhash_2words(key->fwmark, key->af, 0);
	a = key->af == AF_INET6 ? jhash2((const u32 *)key->addr.all, 4, 0) :
				  (__force u32)key->addr.ip;
	return jhash_3words(a, (__force u32)key->port, key->protocol, 0);
}

static bool svc_match(const struct ipvl_service *svc,
		      const struct ipvl_svc_key *key)
{
	if (svc->fwmark != key->fwmark || svc->af != key->af)
		return false;
	return key->fwmark ||
	       (svc->port == key->port && svc->protocol == key->protocol &&
		nf_inet_addr_cmp(&svc->addr, &key->addr));
}

struct ipvl_service *ipvl_service_find(struct ipvl_net *ipvl,
				       const struct ipvl_svc_key *key)
{
	struct ipvl_service *svc;

	hash_for_each_possible_rcu(ipvl->svc_tab, svc, node, key_hash(key),
				   lockdep_is_held(&ipvl->lock))
		if (svc_match(svc, key))
			return svc;
	return NULL;
}

static struct ipvl_service *find_rcu(struct ipvl_net *ipvl,
				     const struct ipvl_svc_key *key)
{
	struct ipvl_service *svc;

	hash_for_each_possible_rcu(ipvl->svc_tab, svc, node, key_hash(key))
		if (svc_match(svc, key))
			return svc;
	return NULL;
}

/*
 * A packet's service: by firewall mark first, then by its destination,
 * then by its destination address alone (a persistent port-0 service).
 */
struct ipvl_service *ipvl_service_lookup_rcu(struct ipvl_net *ipvl,
					     const struct ipvl_pkt *pkt,
					     u32 mark)
{
	struct ipvl_svc_key key = {
		.af = pkt->af,
		.protocol = pkt->protocol,
		.addr = pkt->daddr,
		.port = pkt->dport,
	};
	struct ipvl_service *svc;

	if (mark) {
		struct ipvl_svc_key mkey = { .af = pkt->af, .fwmark = mark };

		svc = find_rcu(ipvl, &mkey);
		if (svc)
			return svc;
	}
	svc = find_rcu(ipvl, &key);
	if (svc)
		return svc;
	key.port = 0;
	return find_rcu(ipvl, &key);
}

static void svc_set_cfg(struct ipvl_service *svc,
			const struct ipvl_svc_cfg *cfg)
{
	lockdep_assert_held(svc->lock);
	WRITE_ONCE(svc->flags, cfg->flags);
	WRITE_ONCE(svc->timeout, cfg->timeout);
	WRITE_ONCE(svc->netmask, cfg->netmask);
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

/* The old scheduler could not be bound again: the service has none. */
static void sched_unbound(struct ipvl_service *svc,
			  const struct ipvl_sched_ops **old)
{
	pr_warn_ratelimited("a service is left without a scheduler: %s could not be bound again\n",
			    (*old)->name);
	ipvl_sched_put(*old);
	*old = NULL;
}

/* Runs only when no reader can see the service's scheduler any more. */
static void sched_done(struct ipvl_service *svc,
		       const struct ipvl_sched_ops *sched)
{
	if (sched->done_service)
		sched->done_service(svc);
	svc->sched_data = NULL;
}

static int svc_add(struct ipvl_net *ipvl, const struct ipvl_svc_key *key,
		   const struct ipvl_sched_ops *sched,
		   const struct ipvl_svc_cfg *cfg)
{
	struct ipvl_service *svc;
	int ret;

	lockdep_assert_held(&ipvl->lock);
	if (!ipvl_service_room(ipvl))
		return -ENOSPC;
	svc = kzalloc(sizeof(*svc), GFP_KERNEL_ACCOUNT);
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
	svc->fwmark = key->fwmark;
	svc->flags = cfg->flags;
	svc->timeout = cfg->timeout;
	svc->netmask = cfg->netmask;
	INIT_LIST_HEAD(&svc->dests);
	spin_lock_init(&svc->sched_lock);
	/* A netns is hooked, and defragments, from its first service on. */
	ret = ipvl->num_services ? 0 : ipvl_hooks_register(ipvl->net);
	if (!ret) {
		ret = sched_bind(svc, sched);
		if (ret && !ipvl->num_services)
			ipvl_hooks_unregister(ipvl->net);
	}
	if (ret) {
		ipvl_stats_free(svc->stats);
		kfree(svc);
		return ret;
	}
	hash_add_rcu(ipvl->svc_tab, &svc->node, key_hash(key));
	ipvl_est_add(&ipvl->est, svc->stats);
	WRITE_ONCE(ipvl->num_services, ipvl->num_services + 1);
	return 0;
}

/* Takes over the caller's reference on @sched, even on failure. */
int ipvl_service_add(struct ipvl_net *ipvl, const struct ipvl_svc_key *key,
		     const struct ipvl_sched_ops *sched,
		     const struct ipvl_svc_cfg *cfg)
{
	int ret = svc_add(ipvl, key, sched, cfg);

	if (ret)
		ipvl_sched_put(sched);
	return ret;
}

/*
 * Schedulers share svc->sched_data, so the old one must be gone from
 * every CPU before the new one initialises; new flows that arrive in
 * between find no scheduler and are dropped, and the client retries.
 * The grace period holds only this netns's configuration lock: the
 * netlink families run in parallel. If neither the new scheduler nor the
 * old one can be bound again, the service stays without one (its new
 * flows are dropped) until an edit gives it one; every user of
 * svc->sched allows for that. One reference on a scheduler goes: the old
 * one's, or @sched's.
 */
static int svc_set_sched(struct ipvl_service *svc,
			 const struct ipvl_sched_ops *sched)
{
	const struct ipvl_sched_ops *old = svc_sched(svc);
	int ret;

	if (old == sched) {
		ipvl_sched_put(sched);
		return 0;
	}
	if (old) {
		RCU_INIT_POINTER(svc->sched, NULL);
		synchronize_rcu();
		sched_done(svc, old);
	}
	ret = sched_bind(svc, sched);
	if (ret) {
		ipvl_sched_put(sched);
		if (old && sched_bind(svc, old))
			sched_unbound(svc, &old);
		return ret;
	}
	if (old)
		ipvl_sched_put(old);
	return 0;
}

/*
 * A rejected edit changes nothing: the scheduler goes first, as only it
 * can fail. NULL @sched keeps the service's scheduler; otherwise the
 * caller's reference on it is taken over, even on failure.
 */
int ipvl_service_edit(struct ipvl_service *svc,
		      const struct ipvl_sched_ops *sched,
		      const struct ipvl_svc_cfg *cfg)
{
	int ret;

	lockdep_assert_held(svc->lock);
	if (sched) {
		ret = svc_set_sched(svc, sched);
		if (ret)
			return ret;
	}
	svc_set_cfg(svc, cfg);
	return 0;
}

/* A one-packet service must not get one: its replies would not match. */
/*
 * Whether a packet comes from the address and port of a NAT real server.
 * The services are walked: only nat_icmp_send, off by default, asks.
 */
bool ipvl_is_nat_source_rcu(struct ipvl_net *ipvl, const struct ipvl_pkt *pkt)
{
	struct ipvl_service *svc;
	struct ipvl_dest *dest;
	int bkt;

	hash_for_each_rcu(ipvl->svc_tab, bkt, svc, node) {
		if (svc->protocol && svc->protocol != pkt->protocol)
			continue;
		ipvl_for_each_dest_rcu(dest, svc) {
			if (READ_ONCE(dest->fwd) != IPVL_FWD_NAT ||
			    dest->af != pkt->af || dest->port != pkt->sport)
				continue;
			if (pkt->af == AF_INET6 ?
			    ipv6_addr_equal(&dest->addr.in6, &pkt->saddr.in6) :
			    dest->addr.ip == pkt->saddr.ip)
				return true;
		}
	}
	return false;
}

bool ipvl_service_has_nat_dest(struct ipvl_service *svc)
{
	struct ipvl_dest *dest;

	ipvl_for_each_dest(dest, svc, svc->lock)
		if (dest->fwd == IPVL_FWD_NAT)
			return true;
	return false;
}

/* The counters of a service and of its real servers, and their rates. */
void ipvl_service_zero(struct ipvl_service *svc)
{
	struct ipvl_dest *dest;

	lockdep_assert_held(svc->lock);
	ipvl_stats_zero(svc->stats);
	ipvl_est_zero(svc->stats);
	ipvl_for_each_dest(dest, svc, svc->lock) {
		ipvl_stats_zero(dest->stats);
		ipvl_est_zero(dest->stats);
	}
}

void ipvl_service_zero_all(struct ipvl_net *ipvl)
{
	struct ipvl_service *svc;
	int bkt;

	lockdep_assert_held(&ipvl->lock);
	hash_for_each(ipvl->svc_tab, bkt, svc, node)
		ipvl_service_zero(svc);
}

/*
 * Connection thresholds: over u_thresh connections a real server takes
 * no new ones until it is back at l_thresh (3/4 of u_thresh if unset).
 */
void ipvl_dest_update_overload(struct ipvl_dest *dest)
{
	u32 upper = READ_ONCE(dest->u_thresh);
	u32 lower = READ_ONCE(dest->l_thresh);
	u32 conns;

	if (!upper) {
		if (test_bit(IPVL_DEST_F_OVERLOAD, &dest->flags))
			clear_bit(IPVL_DEST_F_OVERLOAD, &dest->flags);
		return;
	}
	conns = atomic_read(&dest->activeconns) +
		atomic_read(&dest->inactconns);
	if (conns >= upper)
		set_bit(IPVL_DEST_F_OVERLOAD, &dest->flags);
	else if (lower ? conns <= lower : (u64)conns * 4 <= (u64)upper * 3)
		clear_bit(IPVL_DEST_F_OVERLOAD, &dest->flags);
}

/*
 * A reference from an RCU reader: a real server that has left its
 * service's list may already be on its way to being freed, and one that
 * is no longer available is never handed to a new connection.
 */
bool ipvl_dest_tryhold(struct ipvl_dest *dest)
{
	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags) ||
	    !refcount_inc_not_zero(&dest->refcnt))
		return false;
	if (likely(test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags)))
		return true;
	ipvl_dest_put(dest);
	return false;
}

/* Also for a dest that ipvl_dest_add() could only partly allocate. */
static void dest_free(struct ipvl_dest *dest)
{
	dst_cache_destroy(&dest->dst_cache);
	dst_cache_destroy(&dest->dst_cache_dr);
	ipvl_stats_free(dest->stats);
	kfree(dest);
}

static void dest_free_rcu(struct rcu_head *head)
{
	dest_free(container_of(head, struct ipvl_dest, rcu));
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

int ipvl_dest_cmp(const struct ipvl_dest *a, const struct ipvl_dest *b)
{
	size_t len = a->af == AF_INET6 ? sizeof(a->addr.in6) :
					   sizeof(a->addr.ip);
	int ret;

	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	ret = memcmp(&a->addr, &b->addr, len);
	if (ret)
		return ret;
	return memcmp(&a->port, &b->port, sizeof(a->port));
}
EXPORT_SYMBOL_GPL(ipvl_dest_cmp);

int ipvl_dest_add(struct ipvl_service *svc, const struct ipvl_dest_cfg *cfg)
{
	const struct ipvl_sched_ops *sched = svc_sched(svc);
	struct ipvl_dest *dest;
	int ret;

	lockdep_assert_held(svc->lock);
	if (!ipvl_dest_room(ipvl_net(svc->net)))
		return -ENOSPC;
	dest = kzalloc(sizeof(*dest), GFP_KERNEL_ACCOUNT);
	if (!dest)
		return -ENOMEM;
	dest->stats = ipvl_stats_alloc();
	if (!dest->stats ||
	    dst_cache_init(&dest->dst_cache, GFP_KERNEL_ACCOUNT) ||
	    dst_cache_init(&dest->dst_cache_dr, GFP_KERNEL_ACCOUNT)) {
		dest_free(dest);
		return -ENOMEM;
	}
	dest->svc = svc;
	dest->af = cfg->af;
	dest->addr = cfg->addr;
	dest->port = cfg->port;
	dest->fwd = cfg->fwd;
	dest->tun = cfg->tun;
	dest->weight = cfg->weight;
	dest->u_thresh = cfg->u_thresh;
	dest->l_thresh = cfg->l_thresh;
	refcount_set(&dest->refcnt, 1);
	set_bit(IPVL_DEST_F_AVAILABLE, &dest->flags);
	list_add_tail_rcu(&dest->list, &svc->dests);
	ipvl_est_add(&ipvl_net(svc->net)->est, dest->stats);
	svc->num_dests++;
	ipvl_net(svc->net)->num_dests++;
	ret = sched && sched->add_dest ? sched->add_dest(svc, dest) : 0;
	if (ret)
		ipvl_dest_del(svc, dest);
	return ret;
}

int ipvl_dest_edit(struct ipvl_service *svc, struct ipvl_dest *dest,
		   const struct ipvl_dest_cfg *cfg)
{
	const struct ipvl_sched_ops *sched = svc_sched(svc);

	lockdep_assert_held(svc->lock);
	clear_bit(IPVL_DEST_F_DRAINING, &dest->flags);
	WRITE_ONCE(dest->fwd, cfg->fwd);
	WRITE_ONCE(dest->tun, cfg->tun);
	WRITE_ONCE(dest->weight, cfg->weight);
	WRITE_ONCE(dest->u_thresh, cfg->u_thresh);
	WRITE_ONCE(dest->l_thresh, cfg->l_thresh);
	ipvl_dest_update_overload(dest);
	return sched && sched->upd_dest ? sched->upd_dest(svc, dest) : 0;
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
	ipvl_est_del(&ipvl_net(svc->net)->est, dest->stats);
	svc->num_dests--;
	ipvl_net(svc->net)->num_dests--;
	if (sched && sched->del_dest)
		sched->del_dest(svc, dest);
	ipvl_dest_put(dest);
}

static void svc_unlink(struct ipvl_net *ipvl, struct ipvl_service *svc)
{
	struct ipvl_dest *dest;

	lockdep_assert_held(&ipvl->lock);
	ipvl_for_each_dest(dest, svc, svc->lock) {
		clear_bit(IPVL_DEST_F_AVAILABLE, &dest->flags);
		ipvl_est_del(&ipvl->est, dest->stats);
	}
	ipvl_est_del(&ipvl->est, svc->stats);
	hash_del_rcu(&svc->node);
	ipvl->num_dests -= svc->num_dests;
	WRITE_ONCE(ipvl->num_services, ipvl->num_services - 1);
	if (!ipvl->num_services)
		ipvl_hooks_unregister(ipvl->net);
}

static struct workqueue_struct *svc_wq;
/*
 * The scheduler's done_service runs under svc->lock, but the netns whose
 * lock that was may be gone by now: a service that nothing else can reach
 * any more is given this one instead.
 */
static DEFINE_MUTEX(release_lock);

/*
 * After a grace period, in process context: nothing on the packet path
 * sees svc any more, and the scheduler's done_service may sleep. No lock
 * is held meanwhile, so deleting a service stalls no other command.
 */
static void svc_release(struct work_struct *work)
{
	struct ipvl_service *svc = container_of(to_rcu_work(work),
						struct ipvl_service, free_work);
	const struct ipvl_sched_ops *sched;
	struct ipvl_dest *dest, *next;

	sched = rcu_dereference_protected(svc->sched, true);
	list_for_each_entry_safe(dest, next, &svc->dests, list) {
		list_del(&dest->list);
		ipvl_dest_put(dest);
	}
	if (sched) {
		svc->lock = &release_lock;
		mutex_lock(&release_lock);
		sched_done(svc, sched);
		mutex_unlock(&release_lock);
		ipvl_sched_put(sched);
	}
	ipvl_stats_free(svc->stats);
	kfree(svc);
}

static void svc_free_later(struct ipvl_service *svc)
{
	INIT_RCU_WORK(&svc->free_work, svc_release);
	queue_rcu_work(svc_wq, &svc->free_work);
}

void ipvl_service_del(struct ipvl_net *ipvl, struct ipvl_service *svc)
{
	svc_unlink(ipvl, svc);
	svc_free_later(svc);
}

void ipvl_service_flush(struct ipvl_net *ipvl)
{
	struct ipvl_service *svc;
	struct hlist_node *tmp;
	int bkt;

	lockdep_assert_held(&ipvl->lock);
	hash_for_each_safe(ipvl->svc_tab, bkt, tmp, svc, node) {
		svc_unlink(ipvl, svc);
		svc_free_later(svc);
	}
}

int ipvl_service_init(void)
{
	svc_wq = alloc_workqueue("ipvl_svc", 0, 0);
	return svc_wq ? 0 : -ENOMEM;
}

/*
 * Every netns has flushed its services: the grace periods they wait for
 * end, then the releases they queued run out.
 */
void ipvl_service_uninit(void)
{
	rcu_barrier();
	destroy_workqueue(svc_wq);
}
