// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite never queue scheduler: a new connection goes to the first
 * usable real server, in list order, that has no active connection, so
 * that it is served at once instead of queueing behind others. When
 * every usable server is busy, the choice is the one of sed: the smallest
 * (activeconns + 1) / weight.
 */

#include <linux/module.h>
#include <linux/rculist.h>

#include "ip_vs_lite.h"

static struct ipvl_sched_ops ipvl_nq_ops;

/*
 * One walk serves both rules: an idle server ends it, and until one is
 * met the sed candidate is kept. The delay comparison is cross-multiplied
 * in 64 bits, strictly greater so that ties go to the server first in the
 * list.
 */
static struct ipvl_dest *ipvl_nq_schedule(struct ipvl_service *svc,
					  const struct sk_buff *skb,
					  const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest, *least = NULL;
	u64 delay, least_delay = 0;
	int w, least_w = 0;
	u32 active;

	ipvl_for_each_dest_rcu(dest, svc) {
		w = READ_ONCE(dest->weight);
		/* The weight may reach 0 between two reads: test both. */
		if (!ipvl_dest_usable(dest) || w <= 0)
			continue;
		active = atomic_read(&dest->activeconns);
		if (!active)
			return dest;
		delay = (u64)active + 1;
		if (!least || least_delay * w > delay * least_w) {
			least = dest;
			least_delay = delay;
			least_w = w;
		}
	}

	if (!least)
		ipvl_sched_no_dest(svc, &ipvl_nq_ops);
	return least;
}

static struct ipvl_sched_ops ipvl_nq_ops = {
	.name		= "nq",
	.owner		= THIS_MODULE,
	.schedule	= ipvl_nq_schedule,
};

static int __init ipvl_nq_init(void)
{
	return ipvl_register_scheduler(&ipvl_nq_ops);
}

static void __exit ipvl_nq_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_nq_ops);
	/* A packet may still be inside ipvl_nq_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_nq_init);
module_exit(ipvl_nq_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("nq");
MODULE_DESCRIPTION("ip_vs_lite never queue scheduler");
