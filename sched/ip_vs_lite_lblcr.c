// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite locality-based least-connection scheduler with replication:
 * flows towards one destination address go to a set of real servers,
 * which grows while the address is busier than its servers can take and
 * shrinks again once it is not.
 *
 * The first flow to an address is placed as wlc would place it, and that
 * server makes up the address's set. Later flows go to the least loaded
 * usable server of the set, weighted as wlc weighs them. When the set has
 * no usable server, or that server is overloaded, wlc chooses among all
 * the servers of the service and its choice joins the set. A server is
 * overloaded when it has more active connections than its weight while
 * some server of the service has fewer than half its own.
 *
 * A set of more than one server that has not changed for
 * IPVL_LBLCR_SHRINK loses its most loaded server, one at a time. Entries
 * are forgotten IPVL_LBLCR_IDLE after their last use; a service
 * remembers at most IPVL_LBLCR_MAX_ENTRIES addresses, dropping the one
 * unused for longest to make room, and a set holds at most
 * IPVL_LBLCR_SET_MAX servers.
 */

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "ip_vs_lite.h"

#define IPVL_LBLCR_TAB_BITS	10
#define IPVL_LBLCR_TAB_SIZE	BIT(IPVL_LBLCR_TAB_BITS)
#define IPVL_LBLCR_MAX_ENTRIES	16384
#define IPVL_LBLCR_SET_MAX	16
#define IPVL_LBLCR_IDLE		(6 * 60 * HZ)
#define IPVL_LBLCR_SHRINK	(6 * 60 * HZ)

struct ipvl_lblcr_member {
	struct list_head node;		/* on its entry's set */
	struct ipvl_dest *dest;		/* never a dest del_dest has seen */
};

struct ipvl_lblcr_entry {
	struct hlist_node node;		/* in its hash bucket */
	struct list_head lru;		/* on state->lru, least recent first */
	union nf_inet_addr addr;
	u16 af;
	unsigned int size;		/* members in set, never 0 */
	struct list_head set;		/* oldest member first */
	unsigned long lastuse;		/* jiffies */
	unsigned long lastmod;		/* jiffies: set last grew or shrank */
};

/*
 * svc->sched_data. Everything but the constant fields is under
 * svc->sched_lock: both the packet path and the configuration change the
 * table, and a lookup is always followed by an update of the entry.
 */
struct ipvl_lblcr_state {
	struct ipvl_service *svc;
	u32 seed;
	unsigned int count;
	struct list_head lru;
	struct timer_list gc_timer;
	struct hlist_head tab[IPVL_LBLCR_TAB_SIZE];
};

static bool ipvl_lblcr_expired(const struct ipvl_lblcr_entry *en,
			       unsigned long now)
{
	return time_after_eq(now, en->lastuse + IPVL_LBLCR_IDLE);
}

static void ipvl_lblcr_free(struct ipvl_lblcr_state *st,
			    struct ipvl_lblcr_entry *en)
{
	struct ipvl_lblcr_member *m, *next;

	lockdep_assert_held(&st->svc->sched_lock);
	list_for_each_entry_safe(m, next, &en->set, node)
		kfree(m);
	hlist_del(&en->node);
	list_del(&en->lru);
	st->count--;
	kfree(en);
}

/* Takes @m out of the set of @en, and @en out of the table if now empty. */
static void ipvl_lblcr_drop(struct ipvl_lblcr_state *st,
			    struct ipvl_lblcr_entry *en,
			    struct ipvl_lblcr_member *m)
{
	lockdep_assert_held(&st->svc->sched_lock);
	list_del(&m->node);
	kfree(m);
	en->lastmod = jiffies;
	if (--en->size == 0)
		ipvl_lblcr_free(st, en);
}

/*
 * Runs when the least recent entry is due, rather than on a fixed period:
 * an idle service is not woken, and an entry is dropped close to its
 * deadline. A lookup ignores an entry past it in any case.
 */
static void ipvl_lblcr_arm(struct ipvl_lblcr_state *st)
{
	struct ipvl_lblcr_entry *en;

	lockdep_assert_held(&st->svc->sched_lock);
	en = list_first_entry_or_null(&st->lru, struct ipvl_lblcr_entry, lru);
	if (en)
		mod_timer(&st->gc_timer,
			  round_jiffies_up(en->lastuse + IPVL_LBLCR_IDLE));
}

static void ipvl_lblcr_gc(struct timer_list *t)
{
	struct ipvl_lblcr_state *st = from_timer(st, t, gc_timer);
	struct ipvl_lblcr_entry *en, *next;
	unsigned long now = jiffies;

	spin_lock_bh(&st->svc->sched_lock);
	list_for_each_entry_safe(en, next, &st->lru, lru) {
		if (!ipvl_lblcr_expired(en, now))
			break;
		ipvl_lblcr_free(st, en);
	}
	ipvl_lblcr_arm(st);
	spin_unlock_bh(&st->svc->sched_lock);
}

static int ipvl_lblcr_init_service(struct ipvl_service *svc)
{
	struct ipvl_lblcr_state *st;
	unsigned int i;

	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return -ENOMEM;
	st->svc = svc;
	/* Per service and secret: clients must not choose the chains. */
	st->seed = get_random_u32();
	INIT_LIST_HEAD(&st->lru);
	for (i = 0; i < IPVL_LBLCR_TAB_SIZE; i++)
		INIT_HLIST_HEAD(&st->tab[i]);
	timer_setup(&st->gc_timer, ipvl_lblcr_gc, 0);
	svc->sched_data = st;
	return 0;
}

/*
 * No packet can reach the state any more, so only the timer can still
 * run; shutting it down keeps a running callback from re-arming it.
 */
static void ipvl_lblcr_done_service(struct ipvl_service *svc)
{
	struct ipvl_lblcr_state *st = svc->sched_data;
	struct ipvl_lblcr_entry *en, *next;

	lockdep_assert_held(svc->lock);
	timer_shutdown_sync(&st->gc_timer);
	spin_lock_bh(&svc->sched_lock);
	list_for_each_entry_safe(en, next, &st->lru, lru)
		ipvl_lblcr_free(st, en);
	spin_unlock_bh(&svc->sched_lock);
	kfree(st);
}

/*
 * After this no set holds @dest, and none can be made to: the packet
 * path checks IPVL_DEST_F_AVAILABLE, cleared before del_dest, under the
 * same lock before it adds a server to a set.
 */
static int ipvl_lblcr_del_dest(struct ipvl_service *svc,
			       struct ipvl_dest *dest)
{
	struct ipvl_lblcr_state *st = svc->sched_data;
	struct ipvl_lblcr_entry *en, *next;
	struct ipvl_lblcr_member *m;

	lockdep_assert_held(svc->lock);
	spin_lock_bh(&svc->sched_lock);
	list_for_each_entry_safe(en, next, &st->lru, lru) {
		list_for_each_entry(m, &en->set, node) {
			if (m->dest == dest) {
				/* A set holds a server once: done here. */
				ipvl_lblcr_drop(st, en, m);
				break;
			}
		}
	}
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

static u32 ipvl_lblcr_hash(const struct ipvl_lblcr_state *st, u16 af,
			   const union nf_inet_addr *addr)
{
	u32 h;

	if (af == AF_INET6)
		h = jhash2((const u32 *)addr->all, 4, st->seed);
	else
		h = jhash_1word((__force u32)addr->ip, st->seed);
	return h & (IPVL_LBLCR_TAB_SIZE - 1);
}

static bool ipvl_lblcr_match(const struct ipvl_lblcr_entry *en, u16 af,
			     const union nf_inet_addr *addr)
{
	if (en->af != af)
		return false;
	if (af == AF_INET6)
		return nf_inet_addr_cmp(&en->addr, addr);
	return en->addr.ip == addr->ip;
}

static struct ipvl_lblcr_entry *
ipvl_lblcr_find(struct ipvl_lblcr_state *st, const struct ipvl_pkt *pkt)
{
	struct hlist_head *head = &st->tab[ipvl_lblcr_hash(st, pkt->af,
							    &pkt->daddr)];
	struct ipvl_lblcr_entry *en;

	lockdep_assert_held(&st->svc->sched_lock);
	hlist_for_each_entry(en, head, node) {
		if (!ipvl_lblcr_match(en, pkt->af, &pkt->daddr))
			continue;
		if (!ipvl_lblcr_expired(en, jiffies))
			return en;
		ipvl_lblcr_free(st, en);
		break;
	}
	return NULL;
}

/* Makes room by dropping the entry unused for longest. */
static struct ipvl_lblcr_entry *ipvl_lblcr_add(struct ipvl_lblcr_state *st,
					       const struct ipvl_pkt *pkt)
{
	struct ipvl_lblcr_entry *en;

	lockdep_assert_held(&st->svc->sched_lock);
	if (st->count >= IPVL_LBLCR_MAX_ENTRIES) {
		en = list_first_entry(&st->lru, struct ipvl_lblcr_entry, lru);
		ipvl_lblcr_free(st, en);
	}
	en = kzalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		return NULL;
	en->af = pkt->af;
	en->addr = pkt->daddr;
	INIT_LIST_HEAD(&en->set);
	hlist_add_head(&en->node,
		       &st->tab[ipvl_lblcr_hash(st, pkt->af, &pkt->daddr)]);
	list_add_tail(&en->lru, &st->lru);
	st->count++;
	return en;
}

/* Whether @a carries less load per unit of weight than @b. */
static bool ipvl_lblcr_lighter(const struct ipvl_dest *a, int wa,
			       const struct ipvl_dest *b, int wb)
{
	return (u64)ipvl_dest_overhead(a) * wb <
	       (u64)ipvl_dest_overhead(b) * wa;
}

/*
 * wlc's choice within the set: the usable member with the least load per
 * unit of weight, the oldest member on a tie; NULL if none is usable. A
 * member del_dest has yet to remove is passed over.
 */
static struct ipvl_dest *ipvl_lblcr_set_min(const struct ipvl_lblcr_entry *en)
{
	struct ipvl_dest *least = NULL;
	struct ipvl_lblcr_member *m;
	int w, least_w = 0;

	list_for_each_entry(m, &en->set, node) {
		w = READ_ONCE(m->dest->weight);
		/* The weight may reach 0 between two reads: test both. */
		if (!test_bit(IPVL_DEST_F_AVAILABLE, &m->dest->flags) ||
		    !ipvl_dest_usable(m->dest) || w <= 0)
			continue;
		if (!least || ipvl_lblcr_lighter(m->dest, w, least, least_w)) {
			least = m->dest;
			least_w = w;
		}
	}
	return least;
}

/*
 * The member to drop when the set shrinks: the most loaded per unit of
 * weight among those of weight > 0, the oldest on a tie. Quiesced members
 * stay, for the weight they are expected to get back.
 */
static struct ipvl_lblcr_member *
ipvl_lblcr_set_max(const struct ipvl_lblcr_entry *en)
{
	struct ipvl_lblcr_member *m, *most = NULL;
	int w, most_w = 0;

	list_for_each_entry(m, &en->set, node) {
		w = READ_ONCE(m->dest->weight);
		if (w <= 0)
			continue;
		if (!most || ipvl_lblcr_lighter(most->dest, most_w, m->dest, w)) {
			most = m;
			most_w = w;
		}
	}
	return most;
}

/* One server less, once the set has stayed the same for long enough. */
static void ipvl_lblcr_shrink(struct ipvl_lblcr_state *st,
			      struct ipvl_lblcr_entry *en)
{
	struct ipvl_lblcr_member *m;

	lockdep_assert_held(&st->svc->sched_lock);
	if (en->size < 2 ||
	    time_before(jiffies, en->lastmod + IPVL_LBLCR_SHRINK))
		return;
	m = ipvl_lblcr_set_max(en);
	if (m)
		ipvl_lblcr_drop(st, en, m);
}

/*
 * Best effort: with no memory, a full set, or a server just deleted, the
 * flow still goes to @dest without its joining the set.
 */
static void ipvl_lblcr_join(struct ipvl_lblcr_state *st,
			    struct ipvl_lblcr_entry *en,
			    struct ipvl_dest *dest)
{
	struct ipvl_lblcr_member *m;

	lockdep_assert_held(&st->svc->sched_lock);
	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags) ||
	    en->size >= IPVL_LBLCR_SET_MAX)
		return;
	list_for_each_entry(m, &en->set, node)
		if (m->dest == dest)
			return;
	m = kmalloc(sizeof(*m), GFP_ATOMIC);
	if (!m)
		return;
	m->dest = dest;
	list_add_tail(&m->node, &en->set);
	en->size++;
	en->lastmod = jiffies;
}

/* A new entry for the address of @pkt, with @dest as its only member. */
static struct ipvl_lblcr_entry *
ipvl_lblcr_create(struct ipvl_lblcr_state *st, const struct ipvl_pkt *pkt,
		  struct ipvl_dest *dest)
{
	struct ipvl_lblcr_entry *en;

	lockdep_assert_held(&st->svc->sched_lock);
	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags))
		return NULL;
	en = ipvl_lblcr_add(st, pkt);
	if (!en)
		return NULL;
	ipvl_lblcr_join(st, en, dest);
	if (!en->size) {
		ipvl_lblcr_free(st, en);
		return NULL;
	}
	return en;
}

static void ipvl_lblcr_touch(struct ipvl_lblcr_state *st,
			     struct ipvl_lblcr_entry *en)
{
	lockdep_assert_held(&st->svc->sched_lock);
	en->lastuse = jiffies;
	list_move_tail(&en->lru, &st->lru);
	if (!timer_pending(&st->gc_timer))
		ipvl_lblcr_arm(st);
}

/* More active connections than its weight, while another has room. */
static bool ipvl_lblcr_overloaded(struct ipvl_service *svc,
				  struct ipvl_dest *dest)
{
	struct ipvl_dest *d;

	if (atomic_read(&dest->activeconns) <= READ_ONCE(dest->weight))
		return false;
	ipvl_for_each_dest_rcu(d, svc)
		if (atomic_read(&d->activeconns) * 2 < READ_ONCE(d->weight))
			return true;
	return false;
}

/*
 * The server of a flow to a known address. The set shrinks before the
 * choice, so that the server dropped is not the one picked.
 */
static struct ipvl_dest *ipvl_lblcr_pick(struct ipvl_service *svc,
					 struct ipvl_lblcr_state *st,
					 struct ipvl_lblcr_entry *en)
{
	struct ipvl_dest *dest;

	lockdep_assert_held(&svc->sched_lock);
	ipvl_lblcr_touch(st, en);
	ipvl_lblcr_shrink(st, en);
	dest = ipvl_lblcr_set_min(en);
	if (dest && !ipvl_lblcr_overloaded(svc, dest))
		return dest;
	dest = ipvl_sched_least_weighted(svc);
	if (dest)
		ipvl_lblcr_join(st, en, dest);
	return dest;
}

static struct ipvl_sched_ops ipvl_lblcr_ops;

/*
 * Normally softirq, but a packet reinjected from an NFQUEUE verdict walks
 * the hooks in process context with BHs enabled, hence spin_lock_bh().
 */
static struct ipvl_dest *ipvl_lblcr_schedule(struct ipvl_service *svc,
					     const struct sk_buff *skb,
					     const struct ipvl_pkt *pkt)
{
	struct ipvl_lblcr_state *st = svc->sched_data;
	struct ipvl_lblcr_entry *en;
	struct ipvl_dest *dest;

	spin_lock_bh(&svc->sched_lock);
	en = ipvl_lblcr_find(st, pkt);
	if (en) {
		dest = ipvl_lblcr_pick(svc, st, en);
	} else {
		dest = ipvl_sched_least_weighted(svc);
		en = dest ? ipvl_lblcr_create(st, pkt, dest) : NULL;
		if (en)
			ipvl_lblcr_touch(st, en);
	}
	spin_unlock_bh(&svc->sched_lock);

	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_lblcr_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_lblcr_ops = {
	.name		= "lblcr",
	.owner		= THIS_MODULE,
	.init_service	= ipvl_lblcr_init_service,
	.done_service	= ipvl_lblcr_done_service,
	.del_dest	= ipvl_lblcr_del_dest,
	.schedule	= ipvl_lblcr_schedule,
};

static int __init ipvl_lblcr_init(void)
{
	return ipvl_register_scheduler(&ipvl_lblcr_ops);
}

static void __exit ipvl_lblcr_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_lblcr_ops);
	/* A packet may still be inside ipvl_lblcr_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_lblcr_init);
module_exit(ipvl_lblcr_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("lblcr");
MODULE_DESCRIPTION("ip_vs_lite locality-based least-connection scheduler with replication");
