// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table: per netns, a resizable hash table (rhashtable)
 * keyed by (protocol, client address and port, virtual address and
 * port), and for NAT a second one keyed by the real server's reply.
 *
 * A connection's life is its membership of the table. Whoever sets
 * IPVL_CONN_F_DEAD (the garbage collector, a reused tuple, eviction or a
 * flush) unlinks it; readers hold rcu_read_lock() and the memory goes
 * after a grace period. Nothing on the packet path takes a lock unless
 * the connection changes state.
 */

#include <linux/hash.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "datapath/conn_table.h"
#include "model/netns.h"
#include "model/service.h"
#include "model/stats.h"

#define CONN_TAB_BITS_MIN	8
#define CONN_TAB_BITS_MAX	20
/* rhashtable's size hint is 16 bits wide: it can ask for 2^16 at most. */
#define CONN_TAB_BITS_HINT_MAX	16
#define CONN_STATE_LOCK_BITS	8

static int conn_tab_bits = 12;
module_param(conn_tab_bits, int, 0444);
MODULE_PARM_DESC(conn_tab_bits,
		 "log2 of the initial connection hash table size per netns (8..20, default 12); it grows and shrinks with the connections");

static unsigned int conn_max = 1 << 20;
module_param(conn_max, uint, 0644);
MODULE_PARM_DESC(conn_max,
		 "most connection entries per network namespace (default 1048576)");

unsigned int ipvl_conn_max(void)
{
	return READ_ONCE(conn_max);
}

unsigned int ipvl_conn_table_size(void)
{
	return 1U << conn_tab_bits;
}

static struct kmem_cache *conn_cache __read_mostly;

/*
 * State changes move a connection between its real server's active and
 * inactive counts; these locks make each move and an unlink's final
 * count exclusive. A packet that leaves the state alone takes none.
 */
static spinlock_t state_locks[1 << CONN_STATE_LOCK_BITS];

static spinlock_t *state_lock(const struct ipvl_conn *cp)
{
	return &state_locks[hash_ptr(cp, CONN_STATE_LOCK_BITS)];
}

static void conn_key(struct ipvl_conn_key *k, u16 af, u8 protocol,
		     const union nf_inet_addr *caddr, __be16 cport,
		     const union nf_inet_addr *vaddr, __be16 vport)
{
	memset(k, 0, sizeof(*k));
	if (af == AF_INET6) {
		k->caddr = *caddr;
		k->vaddr = *vaddr;
	} else {
		k->caddr.ip = caddr->ip;
		k->vaddr.ip = vaddr->ip;
	}
	k->cport = cport;
	k->vport = vport;
	k->af = af;
	k->protocol = protocol;
}

/* The reply direction: from the real server to the client. */
static void reply_key(struct ipvl_conn_key *k, const struct ipvl_conn *cp)
{
	const struct ipvl_conn_key *in = &cp->key;

	conn_key(k, in->af, in->protocol, &cp->daddr, cp->dport, &in->caddr,
		 in->cport);
}

static u32 key_hash(const void *data, u32 len, u32 seed)
{
	return jhash2(data, sizeof(struct ipvl_conn_key) / sizeof(u32), seed);
}

static u32 out_obj_hash(const void *data, u32 len, u32 seed)
{
	struct ipvl_conn_key k;

	reply_key(&k, data);
	return key_hash(&k, len, seed);
}

static int out_obj_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	struct ipvl_conn_key k;

	reply_key(&k, obj);
	return memcmp(&k, arg->key, sizeof(k));
}

static const struct rhashtable_params in_params = {
	.head_offset = offsetof(struct ipvl_conn, node),
	.key_offset = offsetof(struct ipvl_conn, key),
	.key_len = sizeof(struct ipvl_conn_key),
	.hashfn = key_hash,
	.min_size = 1 << CONN_TAB_BITS_MIN,
	.automatic_shrinking = true,
};

static const struct rhashtable_params out_params = {
	.head_offset = offsetof(struct ipvl_conn, onode),
	.key_len = sizeof(struct ipvl_conn_key),
	.hashfn = key_hash,
	.obj_hashfn = out_obj_hash,
	.obj_cmpfn = out_obj_cmp,
	.min_size = 1 << CONN_TAB_BITS_MIN,
	.automatic_shrinking = true,
};

struct ipvl_conn *ipvl_conn_lookup(const struct ipvl_net *ipvl,
				   const struct ipvl_pkt *pkt)
{
	struct ipvl_conn_key k;
	struct ipvl_conn *cp;

	conn_key(&k, pkt->af, pkt->protocol, &pkt->saddr, pkt->sport,
		 &pkt->daddr, pkt->dport);
	cp = rhashtable_lookup(&conn_tab(ipvl)->in, &k, in_params);
	return cp && conn_alive(cp, ipvl_conn_clock()) ? cp : NULL;
}

/* @pkt is a reply: from the real server to the client. */
struct ipvl_conn *ipvl_conn_lookup_out(const struct ipvl_net *ipvl,
				       const struct ipvl_pkt *pkt)
{
	struct ipvl_conn_key k;
	struct ipvl_conn *cp;

	conn_key(&k, pkt->af, pkt->protocol, &pkt->saddr, pkt->sport,
		 &pkt->daddr, pkt->dport);
	cp = rhashtable_lookup(&conn_tab(ipvl)->out, &k, out_params);
	return cp && conn_alive(cp, ipvl_conn_clock()) ? cp : NULL;
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

/*
 * Only by the one that set DEAD. The netns's count goes last: a netns
 * exit waits for it to reach zero, after which no unlink may touch the
 * netns any more.
 */
void ipvl_conn_unlink(struct ipvl_conn_tab *tab, struct ipvl_conn *cp)
{
	spinlock_t *lock = state_lock(cp);

	rhashtable_remove_fast(&tab->in, &cp->node, in_params);
	if (test_bit(IPVL_CONN_F_OUT_HASHED, &cp->flags))
		rhashtable_remove_fast(&tab->out, &cp->onode, out_params);
	spin_lock_bh(lock);
	atomic_dec(conn_counter(cp));
	spin_unlock_bh(lock);
	ipvl_dest_update_overload(cp->dest);
	conn_drop_refs(cp);
	conn_put(cp);
	atomic_dec(&tab->count);
}

void ipvl_conn_expire_now(const struct ipvl_net *ipvl, struct ipvl_conn *cp)
{
	if (conn_kill(cp))
		ipvl_conn_unlink(conn_tab(ipvl), cp);
}

static void conn_set_state(struct ipvl_conn *cp, u8 state, spinlock_t *lock)
{
	bool active = ipvl_state_active(state);

	lockdep_assert_held(lock);
	if (active != test_bit(IPVL_CONN_F_ACTIVE, &cp->flags)) {
		atomic_dec(conn_counter(cp));
		if (active)
			set_bit(IPVL_CONN_F_ACTIVE, &cp->flags);
		else
			clear_bit(IPVL_CONN_F_ACTIVE, &cp->flags);
		atomic_inc(conn_counter(cp));
	}
	WRITE_ONCE(cp->state, state);
}

static void conn_change_state(struct ipvl_conn *cp, u8 state)
{
	spinlock_t *lock = state_lock(cp);

	spin_lock_bh(lock);
	if (likely(!test_bit(IPVL_CONN_F_DEAD, &cp->flags)) &&
	    state != cp->state)
		conn_set_state(cp, state, lock);
	spin_unlock_bh(lock);
	ipvl_dest_update_overload(cp->dest);
}

/*
 * A packet of @cp: its new state and the timeout from now. The expiry
 * only moves to whatever the last packet says, so a FIN or RST shortens
 * it; the collector and lookups read it, nothing is rearmed.
 */
void ipvl_conn_update(struct ipvl_conn *cp, u8 state, unsigned long timeout)
{
	u32 expires;

	if (!test_bit(IPVL_CONN_F_CONFIRMED, &cp->flags))
		timeout = min_t(unsigned long, timeout,
				IPVL_TIMEOUT_UNCONFIRMED * HZ);
	expires = ipvl_conn_clock() + ipvl_conn_ticks(timeout);

	if (unlikely(state != READ_ONCE(cp->state)))
		conn_change_state(cp, state);
	if (READ_ONCE(cp->expires) != expires)
		WRITE_ONCE(cp->expires, expires);
}

static void conn_fill(struct ipvl_conn *cp, const struct ipvl_pkt *pkt,
		      struct ipvl_dest *dest)
{
	conn_key(&cp->key, pkt->af, pkt->protocol, &pkt->saddr, pkt->sport,
		 &pkt->daddr, pkt->dport);
	cp->fwd = READ_ONCE(dest->fwd);
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
	conn_fill(cp, pkt, dest);
	cp->state = IPVL_S_UDP;
}

/*
 * Connections are made in softirq, in no task's name: they are charged to
 * the memory cgroup of the netns's creator.
 */
static struct ipvl_conn *conn_alloc(const struct ipvl_conn_param *p)
{
	struct mem_cgroup *old = set_active_memcg(p->ipvl->memcg);
	struct ipvl_conn *cp = kmem_cache_zalloc(conn_cache, GFP_ATOMIC);

	set_active_memcg(old);
	if (!cp)
		return NULL;
	conn_fill(cp, p->pkt, p->dest);
	if (p->dport)
		cp->dport = p->dport;
	cp->state = p->state;
	cp->timeout = ipvl_conn_ticks(p->timeout);
	if (p->state == IPVL_S_TEMPLATE)
		set_bit(IPVL_CONN_F_CONFIRMED, &cp->flags);
	else
		cp->timeout = min_t(u32, cp->timeout,
				    IPVL_TIMEOUT_UNCONFIRMED * IPVL_CONN_HZ);
	cp->expires = ipvl_conn_clock() + cp->timeout;
	refcount_set(&cp->refcnt, 1);
	if (ipvl_state_active(p->state))
		set_bit(IPVL_CONN_F_ACTIVE, &cp->flags);
	return cp;
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

/*
 * Reserves the new connection's place in the count first, so that CPUs
 * inserting at once cannot both pass the limit. The first entry of an
 * empty table wakes the collector.
 */
static bool conn_reserve(struct ipvl_conn_tab *tab)
{
	int n = atomic_inc_return(&tab->count);

	if (n <= ipvl_conn_max()) {
		if (n == 1)
			ipvl_conn_gc_start(tab);
		return true;
	}
	if (ipvl_conn_make_room(tab))
		return true;
	atomic_dec(&tab->count);
	return false;
}

/*
 * Puts @cp on the table, or returns the live connection another CPU made
 * for the same tuple meanwhile. A dead or expired one in the way is
 * unlinked first.
 */
static struct ipvl_conn *conn_insert_in(struct ipvl_conn_tab *tab,
					struct ipvl_conn *cp)
{
	struct ipvl_conn *other;
	int tries;

	for (tries = 0; tries < 3; tries++) {
		other = rhashtable_lookup_get_insert_fast(&tab->in, &cp->node,
							  in_params);
		if (!other || IS_ERR(other))
			return other;
		if (conn_alive(other, ipvl_conn_clock()))
			return other;
		if (conn_kill(other))
			ipvl_conn_unlink(tab, other);
	}
	return ERR_PTR(-EBUSY);
}

/* NAT replies find the connection before its first packet leaves. */
static int conn_hash_out(struct ipvl_conn_tab *tab, struct ipvl_conn *cp)
{
	int ret;

	set_bit(IPVL_CONN_F_OUT_HASHED, &cp->flags);
	ret = rhashtable_insert_fast(&tab->out, &cp->onode, out_params);
	if (ret)
		clear_bit(IPVL_CONN_F_OUT_HASHED, &cp->flags);
	return ret;
}

/* -EBUSY: the table cannot take more until it has grown. */
static long insert_error(long err)
{
	return err == -ENOMEM ? -ENOMEM : -EBUSY;
}

/*
 * Returns the new connection, or one that another CPU created for the
 * same tuple meanwhile, or an ERR_PTR: -ENOMEM, -EBUSY, -ENOSPC when the
 * netns is at its connection limit, or -ENOENT when the real server or
 * the template is going away.
 */
struct ipvl_conn *ipvl_conn_create(const struct ipvl_conn_param *p)
{
	struct ipvl_conn_tab *tab = conn_tab(p->ipvl);
	struct ipvl_conn *cp, *other;
	int ret;

	cp = conn_alloc(p);
	if (!cp)
		return ERR_PTR(-ENOMEM);
	ret = conn_hold_refs(cp, p);
	if (ret)
		goto free;
	ret = -ENOSPC;
	if (!conn_reserve(tab))
		goto drop_refs;
	atomic_inc(conn_counter(cp));
	if (cp->fwd == IPVL_FWD_NAT) {
		ret = conn_hash_out(tab, cp);
		if (ret) {
			atomic_dec(conn_counter(cp));
			atomic_dec(&tab->count);
			ret = insert_error(ret);
			goto drop_refs;
		}
	}
	other = conn_insert_in(tab, cp);
	if (unlikely(other)) {
		/* Possibly seen already: it goes the way every entry goes. */
		conn_kill(cp);
		ipvl_conn_unlink(tab, cp);
		return IS_ERR(other) ? ERR_PTR(insert_error(PTR_ERR(other))) :
				       other;
	}
	if (p->state != IPVL_S_TEMPLATE) {
		ipvl_dest_update_overload(p->dest);
		ipvl_stats_conn(p->dest->stats);
		ipvl_stats_conn(p->dest->svc->stats);
	}
	return cp;

drop_refs:
	conn_drop_refs(cp);
free:
	kmem_cache_free(conn_cache, cp);
	return ERR_PTR(ret);
}

/*
 * Calls @fn for the connections of the table from @w on, until it
 * returns non-zero; @w then names the connection to resume at. Holds
 * only rcu_read_lock(), one bucket at a time, so a dump of a million
 * connections stalls nothing; entries added, removed or moved by a
 * resize meanwhile may be missed or seen twice, as with any netlink
 * dump.
 */
int ipvl_conn_walk(const struct ipvl_net *ipvl, struct ipvl_conn_walk *w,
		   int (*fn)(const struct ipvl_conn *cp, void *arg), void *arg)
{
	struct rhashtable *ht = &conn_tab(ipvl)->in;
	const struct bucket_table *tbl;
	struct rhash_head *pos;
	struct ipvl_conn *cp;
	unsigned int idx;
	u32 now;
	int ret = 0;

	for (;; w->bucket++, w->skip = 0) {
		rcu_read_lock();
		tbl = rht_dereference_rcu(ht->tbl, ht);
		if (w->bucket >= tbl->size) {
			rcu_read_unlock();
			return 0;
		}
		idx = 0;
		now = ipvl_conn_clock();
		rht_for_each_entry_rcu(cp, pos, tbl, w->bucket, node) {
			if (!conn_alive(cp, now) || idx++ < w->skip)
				continue;
			ret = fn(cp, arg);
			if (ret)
				break;
			w->skip++;
		}
		rcu_read_unlock();
		if (ret)
			return ret;
	}
}

/*
 * The table's buckets as it is now. A resize changes the count, and a
 * walk by bucket number (ipvl_conn_walk_bucket()) may then miss entries
 * or see some twice, as ipvl_conn_walk() may.
 */
unsigned int ipvl_conn_buckets(const struct ipvl_net *ipvl)
{
	struct rhashtable *ht = &conn_tab(ipvl)->in;
	unsigned int size;

	rcu_read_lock();
	size = rht_dereference_rcu(ht->tbl, ht)->size;
	rcu_read_unlock();
	return size;
}

/*
 * Calls @fn for the live connections of one bucket, until it returns
 * non-zero, which is returned; a bucket past the end has none.
 */
int ipvl_conn_walk_bucket(const struct ipvl_net *ipvl, unsigned int bucket,
			  int (*fn)(const struct ipvl_conn *cp, void *arg),
			  void *arg)
{
	struct rhashtable *ht = &conn_tab(ipvl)->in;
	const struct bucket_table *tbl;
	struct rhash_head *pos;
	struct ipvl_conn *cp;
	int ret = 0;
	u32 now;

	rcu_read_lock();
	tbl = rht_dereference_rcu(ht->tbl, ht);
	now = ipvl_conn_clock();
	if (bucket < tbl->size) {
		rht_for_each_entry_rcu(cp, pos, tbl, bucket, node) {
			if (!conn_alive(cp, now))
				continue;
			ret = fn(cp, arg);
			if (ret)
				break;
		}
	}
	rcu_read_unlock();
	return ret;
}

/* What -lnc shows as the time left. */
long ipvl_conn_expires_ms(const struct ipvl_conn *cp)
{
	s32 left = READ_ONCE(cp->expires) - ipvl_conn_clock();

	return left > 0 ? (long)left * 1000 / IPVL_CONN_HZ : 0;
}

unsigned int ipvl_conn_count(const struct ipvl_net *ipvl)
{
	return max(atomic_read(&conn_tab(ipvl)->count), 0);
}

/* conn_tab_bits is the initial size of each netns's "in" table. */
int ipvl_conn_net_init(struct ipvl_net *ipvl)
{
	struct rhashtable_params in = in_params;
	struct ipvl_conn_tab *tab;
	int ret;

	tab = kzalloc(sizeof(*tab), GFP_KERNEL_ACCOUNT);
	if (!tab)
		return -ENOMEM;
	in.nelem_hint = (3U << min(conn_tab_bits, CONN_TAB_BITS_HINT_MAX)) / 4;
	ret = rhashtable_init(&tab->in, &in);
	if (ret)
		goto err_in;
	ret = rhashtable_init(&tab->out, &out_params);
	if (ret)
		goto err_out;
	ipvl_conn_gc_init(tab);
	ipvl->conns = tab;
	return 0;

err_out:
	rhashtable_destroy(&tab->in);
err_in:
	kfree(tab);
	return ret;
}

/* Process context, with the hooks of the netns gone. */
void ipvl_conn_net_exit(struct ipvl_net *ipvl)
{
	struct ipvl_conn_tab *tab = conn_tab(ipvl);

	ipvl_conn_flush(tab);
	rhashtable_destroy(&tab->out);
	rhashtable_destroy(&tab->in);
	kfree(tab);
	ipvl->conns = NULL;
}

int ipvl_conn_cache_init(void)
{
	unsigned int i;

	BUILD_BUG_ON(offsetofend(struct ipvl_conn, key) > 64);
	BUILD_BUG_ON(sizeof(struct ipvl_conn) > 128);
	BUILD_BUG_ON(sizeof(struct ipvl_conn_key) % sizeof(u32));
	if (conn_tab_bits < CONN_TAB_BITS_MIN ||
	    conn_tab_bits > CONN_TAB_BITS_MAX) {
		pr_err("conn_tab_bits=%d is out of range %d..%d\n",
		       conn_tab_bits, CONN_TAB_BITS_MIN, CONN_TAB_BITS_MAX);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(state_locks); i++)
		spin_lock_init(&state_locks[i]);
	conn_cache = KMEM_CACHE(ipvl_conn, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT);
	return conn_cache ? 0 : -ENOMEM;
}

/*
 * Every netns has flushed its connections by now; rcu_barrier() waits
 * for the frees they queued.
 */
void ipvl_conn_cache_uninit(void)
{
	rcu_barrier();
	kmem_cache_destroy(conn_cache);
}
