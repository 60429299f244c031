// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite round-robin scheduler: new connections go to the usable real
 * servers one after the other, in list order.
 */

#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>

#include "ip_vs_lite.h"

/*
 * svc->sched_data is the list node of the real server picked last, or the
 * list head itself before the first pick; the next walk resumes after it.
 * It is read and written under svc->sched_lock only.
 */

static int ipvl_rr_init_service(struct ipvl_service *svc)
{
	lockdep_assert_held(svc->lock);

	spin_lock_bh(&svc->sched_lock);
	svc->sched_data = &svc->dests;
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

/*
 * @dest is already off the list, but list_del_rcu() left its ->next in
 * place, and that neighbour's ->prev now names the node @dest followed.
 * Moving the cursor there keeps the rotation going with the server after
 * @dest, and leaves no pointer into memory freed after the grace period.
 */
static int ipvl_rr_del_dest(struct ipvl_service *svc, struct ipvl_dest *dest)
{
	lockdep_assert_held(svc->lock);

	spin_lock_bh(&svc->sched_lock);
	if (svc->sched_data == &dest->list)
		svc->sched_data = dest->list.next->prev;
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

/*
 * One lap at most. A cursor on a live node is met again after crossing
 * the head once; the head itself, or a node unlinked before del_dest ran,
 * is not, so the second crossing of the head ends the walk instead.
 */
static struct ipvl_dest *ipvl_rr_next(struct ipvl_service *svc,
				      struct list_head *last)
{
	struct list_head *head = &svc->dests;
	struct list_head *p = last;
	struct ipvl_dest *dest;
	bool crossed = false;

	for (;;) {
		p = rcu_dereference(list_next_rcu(p));
		if (p == head) {
			if (p == last || crossed)
				return NULL;
			crossed = true;
			continue;
		}
		dest = list_entry(p, struct ipvl_dest, list);
		if (ipvl_dest_usable(dest))
			return dest;
		if (p == last)
			return NULL;
	}
}

static struct ipvl_sched_ops ipvl_rr_ops;

static struct ipvl_dest *ipvl_rr_schedule(struct ipvl_service *svc,
					  const struct sk_buff *skb,
					  const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest;

	/*
	 * Normally softirq, but a packet reinjected from an NFQUEUE verdict
	 * walks the hooks in process context with BHs enabled.
	 */
	spin_lock_bh(&svc->sched_lock);
	dest = ipvl_rr_next(svc, svc->sched_data);
	if (dest)
		svc->sched_data = &dest->list;
	spin_unlock_bh(&svc->sched_lock);

	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_rr_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_rr_ops = {
	.name		= "rr",
	.owner		= THIS_MODULE,
	.init_service	= ipvl_rr_init_service,
	.del_dest	= ipvl_rr_del_dest,
	.schedule	= ipvl_rr_schedule,
};

static int __init ipvl_rr_init(void)
{
	return ipvl_register_scheduler(&ipvl_rr_ops);
}

static void __exit ipvl_rr_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_rr_ops);
	/* A packet may still be inside ipvl_rr_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_rr_init);
module_exit(ipvl_rr_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("rr");
MODULE_DESCRIPTION("ip_vs_lite round-robin scheduler");
