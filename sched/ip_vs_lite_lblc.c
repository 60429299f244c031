// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite locality-based least-connection scheduler: flows towards one
 * destination address go to the same real server, so that a server (a
 * cache, typically) keeps serving the addresses it already knows.
 *
 * The first flow to an address is placed as wlc would place it, and the
 * choice is remembered. Later flows follow it while the server is usable
 * and not overloaded; otherwise wlc chooses again and the new choice is
 * remembered. A server is overloaded when it has more active connections
 * than its weight while some other server has fewer than half its own.
 *
 * Entries are forgotten IPVL_LBLC_IDLE after their last use, and a
 * service remembers at most IPVL_LBLC_MAX_ENTRIES addresses, dropping the
 * one unused for longest to make room.
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

#define IPVL_LBLC_TAB_BITS	10
#define IPVL_LBLC_TAB_SIZE	BIT(IPVL_LBLC_TAB_BITS)
#define IPVL_LBLC_MAX_ENTRIES	16384
#define IPVL_LBLC_IDLE		(60 * HZ)

struct ipvl_lblc_entry {
	struct hlist_node node;		/* in its hash bucket */
	struct list_head lru;		/* on state->lru, least recent first */
	union nf_inet_addr addr;
	u16 af;
	struct ipvl_dest *dest;		/* never a dest del_dest has seen */
	unsigned long lastuse;		/* jiffies */
};

/*
 * svc->sched_data. Everything but the constant fields is under
 * svc->sched_lock: both the packet path and the configuration change the
 * table, and a lookup is always followed by an update of the entry.
 */
struct ipvl_lblc_state {
	struct ipvl_service *svc;
	u32 seed;
	unsigned int count;
	struct list_head lru;
	struct timer_list gc_timer;
	struct hlist_head tab[IPVL_LBLC_TAB_SIZE];
};

static bool ipvl_lblc_expired(const struct ipvl_lblc_entry *en,
			      unsigned long now)
{
	return time_after_eq(now, en->lastuse + IPVL_LBLC_IDLE);
}

static void ipvl_lblc_free(struct ipvl_lblc_state *st,
			   struct ipvl_lblc_entry *en)
{
	lockdep_assert_held(&st->svc->sched_lock);
	hlist_del(&en->node);
	list_del(&en->lru);
	st->count--;
	kfree(en);
}

/*
 * Runs when the least recent entry is due, rather than on a fixed period:
 * an idle service is not woken, and an entry is dropped close to its
 * deadline. A lookup ignores an entry past it in any case.
 */
static void ipvl_lblc_arm(struct ipvl_lblc_state *st)
{
	struct ipvl_lblc_entry *en;

	lockdep_assert_held(&st->svc->sched_lock);
	en = list_first_entry_or_null(&st->lru, struct ipvl_lblc_entry, lru);
	if (en)
		mod_timer(&st->gc_timer,
			  round_jiffies_up(en->lastuse + IPVL_LBLC_IDLE));
}

static void ipvl_lblc_gc(struct timer_list *t)
{
	struct ipvl_lblc_state *st = from_timer(st, t, gc_timer);
	struct ipvl_lblc_entry *en, *next;
	unsigned long now = jiffies;

	spin_lock_bh(&st->svc->sched_lock);
	list_for_each_entry_safe(en, next, &st->lru, lru) {
		if (!ipvl_lblc_expired(en, now))
			break;
		ipvl_lblc_free(st, en);
	}
	ipvl_lblc_arm(st);
	spin_unlock_bh(&st->svc->sched_lock);
}

static int ipvl_lblc_init_service(struct ipvl_service *svc)
{
	struct ipvl_lblc_state *st;
	unsigned int i;

	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return -ENOMEM;
	st->svc = svc;
	/* Per service and secret: clients must not choose the chains. */
	st->seed = get_random_u32();
	INIT_LIST_HEAD(&st->lru);
	for (i = 0; i < IPVL_LBLC_TAB_SIZE; i++)
		INIT_HLIST_HEAD(&st->tab[i]);
	timer_setup(&st->gc_timer, ipvl_lblc_gc, 0);
	svc->sched_data = st;
	return 0;
}

/*
 * No packet can reach the state any more, so only the timer can still
 * run; shutting it down keeps a running callback from re-arming it.
 */
static void ipvl_lblc_done_service(struct ipvl_service *svc)
{
	struct ipvl_lblc_state *st = svc->sched_data;
	struct ipvl_lblc_entry *en, *next;

	lockdep_assert_held(svc->lock);
	timer_shutdown_sync(&st->gc_timer);
	spin_lock_bh(&svc->sched_lock);
	list_for_each_entry_safe(en, next, &st->lru, lru)
		ipvl_lblc_free(st, en);
	spin_unlock_bh(&svc->sched_lock);
	kfree(st);
}

/*
 * After this no entry names @dest, and none can be made to: the packet
 * path checks IPVL_DEST_F_AVAILABLE, cleared before del_dest, under the
 * same lock before it remembers a server.
 */
static int ipvl_lblc_del_dest(struct ipvl_service *svc,
			      struct ipvl_dest *dest)
{
	struct ipvl_lblc_state *st = svc->sched_data;
	struct ipvl_lblc_entry *en, *next;

	lockdep_assert_held(svc->lock);
	spin_lock_bh(&svc->sched_lock);
	list_for_each_entry_safe(en, next, &st->lru, lru)
		if (en->dest == dest)
			ipvl_lblc_free(st, en);
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

static u32 ipvl_lblc_hash(const struct ipvl_lblc_state *st, u16 af,
			  const union nf_inet_addr *addr)
{
	u32 h;

	if (af == AF_INET6)
		h = jhash2((const u32 *)addr->all, 4, st->seed);
	else
		h = jhash_1word((__force u32)addr->ip, st->seed);
	return h & (IPVL_LBLC_TAB_SIZE - 1);
}

static bool ipvl_lblc_match(const struct ipvl_lblc_entry *en, u16 af,
			    const union nf_inet_addr *addr)
{
	if (en->af != af)
		return false;
	if (af == AF_INET6)
		return nf_inet_addr_cmp(&en->addr, addr);
	return en->addr.ip == addr->ip;
}

static struct ipvl_lblc_entry *
ipvl_lblc_find(struct ipvl_lblc_state *st, const struct ipvl_pkt *pkt)
{
	struct hlist_head *head = &st->tab[ipvl_lblc_hash(st, pkt->af,
							   &pkt->daddr)];
	struct ipvl_lblc_entry *en;

	lockdep_assert_held(&st->svc->sched_lock);
	hlist_for_each_entry(en, head, node) {
		if (!ipvl_lblc_match(en, pkt->af, &pkt->daddr))
			continue;
		if (!ipvl_lblc_expired(en, jiffies))
			return en;
		ipvl_lblc_free(st, en);
		break;
	}
	return NULL;
}

/* Makes room by dropping the entry unused for longest. */
static struct ipvl_lblc_entry *ipvl_lblc_add(struct ipvl_lblc_state *st,
					     const struct ipvl_pkt *pkt)
{
	struct ipvl_lblc_entry *en;

	lockdep_assert_held(&st->svc->sched_lock);
	if (st->count >= IPVL_LBLC_MAX_ENTRIES) {
		en = list_first_entry(&st->lru, struct ipvl_lblc_entry, lru);
		ipvl_lblc_free(st, en);
	}
	en = kzalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		return NULL;
	en->af = pkt->af;
	en->addr = pkt->daddr;
	hlist_add_head(&en->node,
		       &st->tab[ipvl_lblc_hash(st, pkt->af, &pkt->daddr)]);
	list_add_tail(&en->lru, &st->lru);
	st->count++;
	return en;
}

/*
 * Best effort: without memory, or with a server just deleted, the flow
 * still goes to @dest; the next one to the address chooses again.
 */
static void ipvl_lblc_remember(struct ipvl_lblc_state *st,
			       struct ipvl_lblc_entry *en,
			       const struct ipvl_pkt *pkt,
			       struct ipvl_dest *dest)
{
	lockdep_assert_held(&st->svc->sched_lock);
	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags)) {
		if (en)
			ipvl_lblc_free(st, en);
		return;
	}
	if (!en)
		en = ipvl_lblc_add(st, pkt);
	if (!en)
		return;
	en->dest = dest;
	en->lastuse = jiffies;
	list_move_tail(&en->lru, &st->lru);
	if (!timer_pending(&st->gc_timer))
		ipvl_lblc_arm(st);
}

/* More active connections than its weight, while another has room. */
static bool ipvl_lblc_overloaded(struct ipvl_service *svc,
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

/* Whether the remembered server still takes the address's new flows. */
static bool ipvl_lblc_keep(struct ipvl_service *svc, struct ipvl_dest *dest)
{
	/* del_dest has yet to forget a server being deleted. */
	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags))
		return false;
	return ipvl_dest_usable(dest) && !ipvl_lblc_overloaded(svc, dest);
}

static struct ipvl_sched_ops ipvl_lblc_ops;

/*
 * Normally softirq, but a packet reinjected from an NFQUEUE verdict walks
 * the hooks in process context with BHs enabled, hence spin_lock_bh().
 */
static struct ipvl_dest *ipvl_lblc_schedule(struct ipvl_service *svc,
					    const struct sk_buff *skb,
					    const struct ipvl_pkt *pkt)
{
	struct ipvl_lblc_state *st = svc->sched_data;
	struct ipvl_dest *dest = NULL;
	struct ipvl_lblc_entry *en;

	spin_lock_bh(&svc->sched_lock);
	en = ipvl_lblc_find(st, pkt);
	if (en)
		dest = en->dest;
	if (!dest || !ipvl_lblc_keep(svc, dest))
		dest = ipvl_sched_least_weighted(svc);
	if (dest)
		ipvl_lblc_remember(st, en, pkt, dest);
	spin_unlock_bh(&svc->sched_lock);

	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_lblc_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_lblc_ops = {
	.name		= "lblc",
	.owner		= THIS_MODULE,
	.init_service	= ipvl_lblc_init_service,
	.done_service	= ipvl_lblc_done_service,
	.del_dest	= ipvl_lblc_del_dest,
	.schedule	= ipvl_lblc_schedule,
};

static int __init ipvl_lblc_init(void)
{
	return ipvl_register_scheduler(&ipvl_lblc_ops);
}

static void __exit ipvl_lblc_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_lblc_ops);
	/* A packet may still be inside ipvl_lblc_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_lblc_init);
module_exit(ipvl_lblc_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("lblc");
MODULE_DESCRIPTION("ip_vs_lite locality-based least-connection scheduler");
