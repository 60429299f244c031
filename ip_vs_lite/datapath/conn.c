// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table: one hash table shared by every netns, keyed by
 * (netns, protocol, client address and port, virtual address and port).
 *
 * A connection's life is its membership of the table. Whoever sets
 * IPVL_CONN_F_DEAD (the expiry timer, a reused tuple, or a flush) unlinks
 * it; readers hold rcu_read_lock() and the memory goes after a grace
 * period.
 */

#include <linux/delay.h>
#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/netns/hash.h>

#include "datapath/conn.h"
#include "model/netns.h"
#include "datapath/conn_state.h"
#include "model/service.h"
#include "model/stats.h"

#define CONN_TAB_BITS_MIN	8
#define CONN_TAB_BITS_MAX	20
#define CONN_LOCKS_MAX		1024

static int conn_tab_bits = 12;
module_param(conn_tab_bits, int, 0444);
MODULE_PARM_DESC(conn_tab_bits,
		 "log2 of the connection hash table size (8..20, default 12)");

static unsigned int conn_max = 1 << 20;
module_param(conn_max, uint, 0644);
MODULE_PARM_DESC(conn_max,
		 "most connection entries per network namespace (default 1048576)");

unsigned int ipvl_conn_max(void)
{
	return READ_ONCE(conn_max);
}

/*
 * Every connection is on the "in" table, by its client-side tuple. NAT
 * connections are also on the "out" table, by the tuple of the real
 * server's replies. An in-bucket lock may be held when taking an
 * out-bucket lock, never the other way round.
 */
struct conn_tab {
	struct hlist_head *heads;
	spinlock_t *locks;	/* striped over the buckets */
};

static struct conn_tab in_tab __read_mostly;
static struct conn_tab out_tab __read_mostly;
static struct lock_class_key out_lock_key;
static unsigned int conn_tab_mask __read_mostly;
static unsigned int conn_locks_mask __read_mostly;
static u32 conn_rnd __read_mostly;
static struct kmem_cache *conn_cache __read_mostly;

unsigned int ipvl_conn_table_size(void)
{
	return conn_tab_mask + 1;
}

static u32 addr_hash(u16 af, const union nf_inet_addr *a, u32 seed)
{
	if (af == AF_INET6)
		return jhash2((const u32 *)a->all, 4, seed);
	return jhash_1word((__force u32)a->ip, seed);
}

static u32 conn_hash(const struct net *net, u16 af, u8 protocol,
		     const union nf_inet_addr *caddr, __be16 cport,
		     const union nf_inet_addr *vaddr, __be16 vport)
{
	u32 seed = conn_rnd ^ net_hash_mix(net);
	u32 ports = ((__force u32)cport << 16) | (__force u16)vport;

	return jhash_3words(addr_hash(af, caddr, seed),
			    addr_hash(af, vaddr, seed), ports,
			    seed ^ protocol);
}

static u32 pkt_hash(const struct net *net, const struct ipvl_pkt *pkt)
{
	return conn_hash(net, pkt->af, pkt->protocol, &pkt->saddr, pkt->sport,
			 &pkt->daddr, pkt->dport);
}

static u32 cp_hash(const struct ipvl_conn *cp)
{
	return conn_hash(read_pnet(&cp->net), cp->af, cp->protocol, &cp->caddr,
			 cp->cport, &cp->vaddr, cp->vport);
}

static u32 cp_out_hash(const struct ipvl_conn *cp)
{
	return conn_hash(read_pnet(&cp->net), cp->af, cp->protocol, &cp->daddr,
			 cp->dport, &cp->caddr, cp->cport);
}

static spinlock_t *bucket_lock(const struct conn_tab *tab, u32 hash)
{
	return &tab->locks[hash & conn_locks_mask];
}

static struct hlist_head *bucket(const struct conn_tab *tab, u32 hash)
{
	return &tab->heads[hash & conn_tab_mask];
}

static bool conn_match(const struct ipvl_conn *cp, const struct net *net,
		       const struct ipvl_pkt *pkt)
{
	return cp->cport == pkt->sport && cp->vport == pkt->dport &&
	       cp->protocol == pkt->protocol && cp->af == pkt->af &&
	       nf_inet_addr_cmp(&cp->caddr, &pkt->saddr) &&
	       nf_inet_addr_cmp(&cp->vaddr, &pkt->daddr) &&
	       net_eq(read_pnet(&cp->net), net) &&
	       !test_bit(IPVL_CONN_F_DEAD, &cp->flags);
}

struct ipvl_conn *ipvl_conn_lookup(const struct net *net,
				   const struct ipvl_pkt *pkt)
{
	u32 hash = pkt_hash(net, pkt);
	struct ipvl_conn *cp;

	hlist_for_each_entry_rcu(cp, bucket(&in_tab, hash), node)
		if (conn_match(cp, net, pkt))
			return cp;
	return NULL;
}

/* @pkt is a reply: from the real server to the client. */
static bool conn_match_out(const struct ipvl_conn *cp, const struct net *net,
			   const struct ipvl_pkt *pkt)
{
	return cp->dport == pkt->sport && cp->cport == pkt->dport &&
	       cp->protocol == pkt->protocol && cp->af == pkt->af &&
	       nf_inet_addr_cmp(&cp->daddr, &pkt->saddr) &&
	       nf_inet_addr_cmp(&cp->caddr, &pkt->daddr) &&
	       net_eq(read_pnet(&cp->net), net) &&
	       !test_bit(IPVL_CONN_F_DEAD, &cp->flags);
}

struct ipvl_conn *ipvl_conn_lookup_out(const struct net *net,
				       const struct ipvl_pkt *pkt)
{
	u32 hash = pkt_hash(net, pkt);
	struct ipvl_conn *cp;

	hlist_for_each_entry_rcu(cp, bucket(&out_tab, hash), onode)
		if (conn_match_out(cp, net, pkt))
			return cp;
	return NULL;
}

static atomic_t *conn_counter(struct ipvl_conn *cp)
{
	if (cp->state == IPVL_S_TEMPLATE)
		return &cp->dest->persistconns;
	return test_bit(IPVL_CONN_F_ACTIVE, &cp->flags) ?
	       &cp->dest->activeconns : &cp->dest->inactconns;
}

static void conn_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(conn_cache, container_of(head, struct ipvl_conn, rcu));
}

static void conn_put(struct ipvl_conn *cp)
{
	if (refcount_dec_and_test(&cp->refcnt))
		call_rcu(&cp->rcu, conn_free_rcu);
}

static void conn_drop_refs(struct ipvl_conn *cp)
{
	ipvl_dest_put(cp->dest);
	if (cp->control)
		conn_put(cp->control);
}

static void conn_unhash_out(struct ipvl_conn *cp)
{
	spinlock_t *lock = bucket_lock(&out_tab, cp_out_hash(cp));

	spin_lock(lock);
	hlist_del_rcu(&cp->onode);
	spin_unlock(lock);
}

static void conn_hash_out(struct ipvl_conn *cp)
{
	u32 hash = cp_out_hash(cp);
	spinlock_t *lock = bucket_lock(&out_tab, hash);

	spin_lock(lock);
	hlist_add_head_rcu(&cp->onode, bucket(&out_tab, hash));
	spin_unlock(lock);
}

/*
 * The netns's count goes last: ipvl_conn_flush_net() waits for it to
 * reach zero, after which no unlink may touch the netns any more.
 */
static void conn_unlink(struct ipvl_conn *cp, spinlock_t *lock)
{
	struct ipvl_net *ipvl = ipvl_net(read_pnet(&cp->net));

	lockdep_assert_held(lock);
	hlist_del_rcu(&cp->node);
	if (test_bit(IPVL_CONN_F_OUT_HASHED, &cp->flags))
		conn_unhash_out(cp);
	atomic_dec(conn_counter(cp));
	ipvl_dest_update_overload(cp->dest);
	conn_drop_refs(cp);
	conn_put(cp);
	atomic_dec(&ipvl->conn_count);
}

/* Returns true if the caller set DEAD and so owns the unlink. */
static bool conn_kill(struct ipvl_conn *cp)
{
	bool was_dead;

	spin_lock_bh(&cp->lock);
	was_dead = test_and_set_bit(IPVL_CONN_F_DEAD, &cp->flags);
	spin_unlock_bh(&cp->lock);
	return !was_dead;
}

static void conn_remove(struct ipvl_conn *cp)
{
	spinlock_t *lock = bucket_lock(&in_tab, cp_hash(cp));

	spin_lock_bh(lock);
	conn_unlink(cp, lock);
	spin_unlock_bh(lock);
}

static void conn_timer_fn(struct timer_list *t)
{
	struct ipvl_conn *cp = from_timer(cp, t, timer);

	spin_lock(&cp->lock);
	if (test_bit(IPVL_CONN_F_DEAD, &cp->flags)) {
		spin_unlock(&cp->lock);
		return;
	}
	/* A template lives on while connections it controls do. */
	if (cp->state == IPVL_S_TEMPLATE && refcount_read(&cp->refcnt) > 1)
		cp->expires = jiffies + cp->timeout;
	/* Packets only push cp->expires forward; catch up lazily. */
	if (time_before(jiffies, cp->expires)) {
		mod_timer(&cp->timer, cp->expires);
		spin_unlock(&cp->lock);
		return;
	}
	set_bit(IPVL_CONN_F_DEAD, &cp->flags);
	spin_unlock(&cp->lock);
	conn_remove(cp);
}

void ipvl_conn_expire_now(struct ipvl_conn *cp)
{
	if (!conn_kill(cp))
		return;
	/* A running timer callback sees DEAD and leaves cp alone. */
	del_timer(&cp->timer);
	conn_remove(cp);
}

static void conn_set_state(struct ipvl_conn *cp, u8 state)
{
	bool active = state == IPVL_S_ESTABLISHED;

	lockdep_assert_held(&cp->lock);
	if (active != test_bit(IPVL_CONN_F_ACTIVE, &cp->flags)) {
		atomic_dec(conn_counter(cp));
		if (active)
			set_bit(IPVL_CONN_F_ACTIVE, &cp->flags);
		else
			clear_bit(IPVL_CONN_F_ACTIVE, &cp->flags);
		atomic_inc(conn_counter(cp));
	}
	cp->state = state;
}

void ipvl_conn_update(struct ipvl_conn *cp, u8 state, unsigned long timeout)
{
	unsigned long expires = jiffies + timeout;

	spin_lock_bh(&cp->lock);
	if (unlikely(test_bit(IPVL_CONN_F_DEAD, &cp->flags)))
		goto out;
	if (state != cp->state) {
		conn_set_state(cp, state);
		ipvl_dest_update_overload(cp->dest);
	}
	WRITE_ONCE(cp->expires, expires);
	/* A shorter timeout (FIN, RST) must pull the timer in. */
	timer_reduce(&cp->timer, expires);
out:
	spin_unlock_bh(&cp->lock);
}

static void conn_fill(struct ipvl_conn *cp, struct net *net,
		      const struct ipvl_pkt *pkt, struct ipvl_dest *dest)
{
	write_pnet(&cp->net, net);
	cp->af = pkt->af;
	cp->protocol = pkt->protocol;
	cp->fwd = READ_ONCE(dest->fwd);
	cp->caddr = pkt->saddr;
	cp->cport = pkt->sport;
	cp->vaddr = pkt->daddr;
	cp->vport = pkt->dport;
	cp->daddr = dest->addr;
	/* A port-0 service forwards to the port the client asked for. */
	cp->dport = dest->port ?: pkt->dport;
	cp->dest = dest;
}

/* One-packet scheduling: a connection that lives for one datagram. */
void ipvl_conn_init_onepacket(struct ipvl_conn *cp, const struct ipvl_pkt *pkt,
			      struct ipvl_dest *dest)
{
	memset(cp, 0, sizeof(*cp));
	conn_fill(cp, dest->svc->net, pkt, dest);
	cp->state = IPVL_S_UDP;
}

static struct ipvl_conn *conn_alloc(const struct ipvl_conn_param *p)
{
	struct ipvl_conn *cp = kmem_cache_zalloc(conn_cache, GFP_ATOMIC);

	if (!cp)
		return NULL;
	conn_fill(cp, p->net, p->pkt, p->dest);
	cp->state = p->state;
	cp->timeout = p->timeout;
	cp->fwmark = p->fwmark;
	spin_lock_init(&cp->lock);
	timer_setup(&cp->timer, conn_timer_fn, 0);
	refcount_set(&cp->refcnt, 1);
	if (p->state == IPVL_S_ESTABLISHED)
		set_bit(IPVL_CONN_F_ACTIVE, &cp->flags);
	return cp;
}

static struct ipvl_conn *bucket_find(struct hlist_head *head,
				     const struct net *net,
				     const struct ipvl_pkt *pkt,
				     spinlock_t *lock)
{
	struct ipvl_conn *cp;

	hlist_for_each_entry_rcu(cp, head, node, lockdep_is_held(lock))
		if (conn_match(cp, net, pkt))
			return cp;
	return NULL;
}

/*
 * At the limit, a new connection may take the place of a half-open one
 * in its own bucket: under a SYN flood most entries are half-open, and
 * this keeps the table open to clients that complete their handshake.
 */
static bool make_room(struct hlist_head *head, const struct net *net,
		      spinlock_t *lock)
{
	struct ipvl_conn *cp;

	hlist_for_each_entry_rcu(cp, head, node, lockdep_is_held(lock)) {
		if (!net_eq(read_pnet(&cp->net), net) ||
		    READ_ONCE(cp->state) != IPVL_S_SYN_RECV ||
		    refcount_read(&cp->refcnt) > 1 || !conn_kill(cp))
			continue;
		del_timer(&cp->timer);
		conn_unlink(cp, lock);
		return true;
	}
	return false;
}

/*
 * Reserves the new connection's place in the count first, so that CPUs
 * inserting into different buckets cannot both pass the limit.
 */
static bool conn_room(struct ipvl_net *ipvl, struct hlist_head *head,
		      spinlock_t *lock)
{
	if (atomic_inc_return(&ipvl->conn_count) <= ipvl_conn_max())
		return true;
	if (make_room(head, ipvl->net, lock))
		return true;
	atomic_dec(&ipvl->conn_count);
	return false;
}

/*
 * The references a new connection takes come from RCU lookups: the real
 * server and the template may be dying, and then the caller schedules
 * afresh rather than bring them back.
 */
static int conn_hold_refs(struct ipvl_conn *cp, const struct ipvl_conn_param *p)
{
	struct ipvl_conn *tpl = p->control;

	if (!ipvl_dest_tryhold(p->dest))
		return -ENOENT;
	if (!tpl)
		return 0;
	if (refcount_inc_not_zero(&tpl->refcnt)) {
		if (likely(!test_bit(IPVL_CONN_F_DEAD, &tpl->flags))) {
			cp->control = tpl;
			return 0;
		}
		conn_put(tpl);
	}
	ipvl_dest_put(p->dest);
	return -ENOENT;
}

static void conn_insert(struct ipvl_conn *cp, struct hlist_head *head,
			const struct ipvl_conn_param *p)
{
	atomic_inc(conn_counter(cp));
	cp->expires = jiffies + p->timeout;
	/* Armed before it is visible: updates may only shorten it. */
	mod_timer(&cp->timer, cp->expires);
	hlist_add_head_rcu(&cp->node, head);
	if (cp->fwd == IPVL_FWD_NAT) {
		set_bit(IPVL_CONN_F_OUT_HASHED, &cp->flags);
		conn_hash_out(cp);
	}
}

/*
 * Returns the new connection, or one that another CPU created for the
 * same tuple meanwhile, or an ERR_PTR: -ENOMEM, -ENOSPC when the netns
 * is at its connection limit, or -ENOENT when the real server or the
 * template is going away.
 */
struct ipvl_conn *ipvl_conn_create(const struct ipvl_conn_param *p)
{
	u32 hash = pkt_hash(p->net, p->pkt);
	struct hlist_head *head = bucket(&in_tab, hash);
	spinlock_t *lock = bucket_lock(&in_tab, hash);
	struct ipvl_conn *cp, *other;
	int ret;

	cp = conn_alloc(p);
	if (!cp)
		return ERR_PTR(-ENOMEM);
	ret = conn_hold_refs(cp, p);
	if (ret) {
		kmem_cache_free(conn_cache, cp);
		return ERR_PTR(ret);
	}
	spin_lock_bh(lock);
	other = bucket_find(head, p->net, p->pkt, lock);
	if (unlikely(other) || !conn_room(ipvl_net(p->net), head, lock)) {
		spin_unlock_bh(lock);
		conn_drop_refs(cp);
		kmem_cache_free(conn_cache, cp);
		return other ?: ERR_PTR(-ENOSPC);
	}
	conn_insert(cp, head, p);
	spin_unlock_bh(lock);
	if (p->state == IPVL_S_TEMPLATE)
		return cp;
	ipvl_dest_update_overload(p->dest);
	ipvl_stats_conn(p->dest->stats);
	ipvl_stats_conn(p->dest->svc->stats);
	return cp;
}

/* Marks the first live connection of @net in bucket @i dead. */
static struct ipvl_conn *bucket_kill_one(unsigned int i, const struct net *net)
{
	spinlock_t *lock = bucket_lock(&in_tab, i);
	struct ipvl_conn *cp, *found = NULL;

	spin_lock_bh(lock);
	hlist_for_each_entry_rcu(cp, bucket(&in_tab, i), node,
				 lockdep_is_held(lock)) {
		if (net_eq(read_pnet(&cp->net), net) && conn_kill(cp)) {
			found = cp;
			break;
		}
	}
	spin_unlock_bh(lock);
	return found;
}

/*
 * Process context, with the hooks of @net gone. An expiry that marked its
 * connection dead before the walk reached it is still unlinking it, so
 * the walk is followed by a wait for the netns's count to drain: once
 * this returns, no expiry touches @net's state any more.
 */
void ipvl_conn_flush_net(struct net *net)
{
	struct ipvl_net *ipvl = ipvl_net(net);
	struct ipvl_conn *cp;
	unsigned int i;

	for (i = 0; i <= conn_tab_mask; i++) {
		while ((cp = bucket_kill_one(i, net))) {
			del_timer_sync(&cp->timer);
			conn_remove(cp);
		}
		if (!(i & 255))
			cond_resched();
	}
	while (atomic_read(&ipvl->conn_count))
		usleep_range(500, 1000);
}

static int tab_init(struct conn_tab *tab, struct lock_class_key *key)
{
	unsigned int i;

	tab->heads = kvmalloc_array(conn_tab_mask + 1, sizeof(*tab->heads),
				    GFP_KERNEL);
	tab->locks = kvmalloc_array(conn_locks_mask + 1, sizeof(*tab->locks),
				    GFP_KERNEL);
	if (!tab->heads || !tab->locks) {
		kvfree(tab->heads);
		kvfree(tab->locks);
		return -ENOMEM;
	}
	for (i = 0; i <= conn_tab_mask; i++)
		INIT_HLIST_HEAD(&tab->heads[i]);
	for (i = 0; i <= conn_locks_mask; i++) {
		spin_lock_init(&tab->locks[i]);
		if (key)
			lockdep_set_class(&tab->locks[i], key);
	}
	return 0;
}

static void tab_uninit(struct conn_tab *tab)
{
	kvfree(tab->locks);
	kvfree(tab->heads);
}

int ipvl_conn_table_init(void)
{
	unsigned int size;

	BUILD_BUG_ON(offsetofend(struct ipvl_conn, net) > L1_CACHE_BYTES);
	if (conn_tab_bits < CONN_TAB_BITS_MIN ||
	    conn_tab_bits > CONN_TAB_BITS_MAX) {
		pr_err("conn_tab_bits=%d is out of range %d..%d\n",
		       conn_tab_bits, CONN_TAB_BITS_MIN, CONN_TAB_BITS_MAX);
		return -EINVAL;
	}
	size = 1U << conn_tab_bits;
	conn_tab_mask = size - 1;
	conn_locks_mask = min_t(unsigned int, size, CONN_LOCKS_MAX) - 1;
	if (tab_init(&in_tab, NULL))
		goto err_in;
	if (tab_init(&out_tab, &out_lock_key))
		goto err_out;
	conn_cache = KMEM_CACHE(ipvl_conn, SLAB_HWCACHE_ALIGN);
	if (!conn_cache)
		goto err_cache;
	conn_rnd = get_random_u32();
	return 0;

err_cache:
	tab_uninit(&out_tab);
err_out:
	tab_uninit(&in_tab);
err_in:
	return -ENOMEM;
}

static int walk_bucket(const struct net *net, struct ipvl_conn_walk *w,
		       int (*fn)(const struct ipvl_conn *cp, void *arg),
		       void *arg)
{
	unsigned int idx = 0;
	struct ipvl_conn *cp;
	int ret;

	hlist_for_each_entry_rcu(cp, bucket(&in_tab, w->bucket), node) {
		if (!net_eq(read_pnet(&cp->net), net) || idx++ < w->skip)
			continue;
		ret = fn(cp, arg);
		if (ret)
			return ret;
		w->skip++;
	}
	return 0;
}

/*
 * Calls @fn for the connections of @net from @w on, until it returns
 * non-zero; @w then names the connection to resume at. Holds only
 * rcu_read_lock(), one bucket at a time, so a dump of a million
 * connections stalls nothing; entries added or removed meanwhile may be
 * missed or seen twice, as with any netlink dump.
 */
int ipvl_conn_walk(const struct net *net, struct ipvl_conn_walk *w,
		   int (*fn)(const struct ipvl_conn *cp, void *arg), void *arg)
{
	int ret = 0;

	for (; w->bucket <= conn_tab_mask; w->bucket++, w->skip = 0) {
		rcu_read_lock();
		ret = walk_bucket(net, w, fn, arg);
		rcu_read_unlock();
		if (ret)
			break;
	}
	return ret;
}

/*
 * Every netns has flushed its connections by now. An expiry may still be
 * on its way out of this module's code: timers run with bottom halves
 * off, which synchronize_rcu() waits out; then rcu_barrier() waits for
 * the frees they queued.
 */
void ipvl_conn_table_uninit(void)
{
	synchronize_rcu();
	rcu_barrier();
	kmem_cache_destroy(conn_cache);
	tab_uninit(&out_tab);
	tab_uninit(&in_tab);
}
