// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite weighted round-robin scheduler.
 *
 * A round walks weight levels from the largest weight down to the gcd of
 * the weights, in steps of that gcd; at each level every real server whose
 * weight reaches the level gets one connection, in list order. Over one
 * round each server is therefore picked weight / gcd times, and the picks
 * of heavy and light servers are interleaved rather than bunched.
 *
 * The levels come from the weights alone. A server over its upper
 * connection threshold is only passed over while it is: that state
 * changes with the traffic, without any call into the scheduler, so a
 * cycle derived from it would stay wrong until the next edit.
 */

#include <linux/gcd.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "ip_vs_lite.h"

/* Lives in svc->sched_data; all fields under svc->sched_lock. */
struct ipvl_wrr_state {
	struct list_head *last;	/* node picked last, or the list head */
	int cw;			/* current level, 0 before the first round */
	int max;		/* largest weight, 0 if none above 0 */
	int step;		/* gcd of the weights above 0 */
};

/*
 * Re-derive max and step from the list as it now stands. The level is
 * kept, snapped onto the new grid, so that an unrelated change does not
 * restart the round; if @gone was the cursor, step back to the node it
 * followed, as list_del_rcu() left @gone->next valid.
 */
static void ipvl_wrr_refresh(struct ipvl_service *svc, struct ipvl_dest *gone)
{
	struct ipvl_wrr_state *st = svc->sched_data;
	struct ipvl_dest *dest;
	int max = 0, step = 0;

	lockdep_assert_held(svc->lock);

	ipvl_for_each_dest(dest, svc, svc->lock) {
		if (dest->weight <= 0)
			continue;
		max = max(max, dest->weight);
		step = gcd(step, dest->weight);
	}

	spin_lock_bh(&svc->sched_lock);
	if (gone && st->last == &gone->list)
		st->last = gone->list.next->prev;
	st->max = max;
	st->step = step;
	if (!max) {
		st->last = &svc->dests;
		st->cw = 0;
	} else if (st->cw) {
		st->cw = clamp(st->cw - st->cw % step, step, max);
	}
	spin_unlock_bh(&svc->sched_lock);
}

static int ipvl_wrr_init_service(struct ipvl_service *svc)
{
	struct ipvl_wrr_state *st;

	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (!st)
		return -ENOMEM;
	st->last = &svc->dests;
	svc->sched_data = st;
	/* The scheduler may be swapped on a service that has servers. */
	ipvl_wrr_refresh(svc, NULL);
	return 0;
}

/* The core calls this only once no packet can reach the state. */
static void ipvl_wrr_done_service(struct ipvl_service *svc)
{
	lockdep_assert_held(svc->lock);
	kfree(svc->sched_data);
}

/* Serves add_dest and upd_dest: only the weights matter here. */
static int ipvl_wrr_dest_changed(struct ipvl_service *svc,
				 struct ipvl_dest *dest)
{
	ipvl_wrr_refresh(svc, NULL);
	return 0;
}

static int ipvl_wrr_del_dest(struct ipvl_service *svc, struct ipvl_dest *dest)
{
	ipvl_wrr_refresh(svc, dest);
	return 0;
}

/*
 * Normally at most one crossing of the head is needed: after it the walk
 * covers the whole list at a level no higher than the largest weight.
 * A whole lap comes up empty when the servers that reach the level are
 * over their thresholds, or when weights changed and upd_dest has not
 * refreshed the state yet; then drop straight to the heaviest usable
 * server seen rather than lap once per level. A lap that sees no usable
 * server at all ends the walk, and a few laps at most keep softirq time
 * bounded whatever happens concurrently.
 */
static struct ipvl_dest *ipvl_wrr_next(struct ipvl_service *svc,
				       struct ipvl_wrr_state *st)
{
	struct list_head *head = &svc->dests;
	struct list_head *p = st->last;
	bool lap = p == head;
	int crossings = 0, top = 0, w;
	struct ipvl_dest *dest;

	if (!st->max)
		return NULL;
	if (!st->cw)
		st->cw = st->max;

	for (;;) {
		p = rcu_dereference(list_next_rcu(p));
		if (p == head) {
			if ((lap && !top) || ++crossings > 3)
				return NULL;
			st->cw -= st->step;
			if (st->cw <= 0)
				st->cw = st->max;
			if (lap && st->cw > top)
				st->cw = top;
			lap = true;
			top = 0;
			continue;
		}
		dest = list_entry(p, struct ipvl_dest, list);
		if (!ipvl_dest_usable(dest))
			continue;
		w = READ_ONCE(dest->weight);
		if (w >= st->cw) {
			st->last = p;
			return dest;
		}
		top = max(top, w);
	}
}

static struct ipvl_sched_ops ipvl_wrr_ops;

static struct ipvl_dest *ipvl_wrr_schedule(struct ipvl_service *svc,
					   const struct sk_buff *skb,
					   const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest;

	/*
	 * Normally softirq, but a packet reinjected from an NFQUEUE verdict
	 * walks the hooks in process context with BHs enabled.
	 */
	spin_lock_bh(&svc->sched_lock);
	dest = ipvl_wrr_next(svc, svc->sched_data);
	spin_unlock_bh(&svc->sched_lock);

	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_wrr_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_wrr_ops = {
	.name		= "wrr",
	.owner		= THIS_MODULE,
	.init_service	= ipvl_wrr_init_service,
	.done_service	= ipvl_wrr_done_service,
	.add_dest	= ipvl_wrr_dest_changed,
	.del_dest	= ipvl_wrr_del_dest,
	.upd_dest	= ipvl_wrr_dest_changed,
	.schedule	= ipvl_wrr_schedule,
};

static int __init ipvl_wrr_init(void)
{
	return ipvl_register_scheduler(&ipvl_wrr_ops);
}

static void __exit ipvl_wrr_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_wrr_ops);
	/* A packet may still be inside ipvl_wrr_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_wrr_init);
module_exit(ipvl_wrr_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("wrr");
MODULE_DESCRIPTION("ip_vs_lite weighted round-robin scheduler");
