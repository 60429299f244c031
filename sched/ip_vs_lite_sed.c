// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite shortest expected delay scheduler: a new connection goes to
 * the usable real server with the smallest (activeconns + 1) / weight,
 * the delay it would see if every server worked off its active
 * connections at a speed proportional to its weight. Inactive
 * connections do not count.
 */

#include <linux/module.h>
#include <linux/rculist.h>

#include "ip_vs_lite.h"

static struct ipvl_sched_ops ipvl_sed_ops;

/*
 * (a + 1) / w > (b + 1) / v is tested as (a + 1) * v > (b + 1) * w, in 64
 * bits as a count near 2^32 times a weight of 65535 does not fit in 32.
 * Strictly greater, so that ties go to the server first in the list.
 */
static struct ipvl_dest *ipvl_sed_schedule(struct ipvl_service *svc,
					   const struct sk_buff *skb,
					   const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest, *least = NULL;
	u64 delay, least_delay = 0;
	int w, least_w = 0;

	ipvl_for_each_dest_rcu(dest, svc) {
		w = READ_ONCE(dest->weight);
		/* The weight may reach 0 between two reads: test both. */
		if (!ipvl_dest_usable(dest) || w <= 0)
			continue;
		delay = (u64)(u32)atomic_read(&dest->activeconns) + 1;
		if (!least || least_delay * w > delay * least_w) {
			least = dest;
			least_delay = delay;
			least_w = w;
		}
	}

	if (!least)
		ipvl_sched_no_dest(svc, &ipvl_sed_ops);
	return least;
}

static struct ipvl_sched_ops ipvl_sed_ops = {
	.name		= "sed",
	.owner		= THIS_MODULE,
	.schedule	= ipvl_sed_schedule,
};

static int __init ipvl_sed_init(void)
{
	return ipvl_register_scheduler(&ipvl_sed_ops);
}

static void __exit ipvl_sed_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_sed_ops);
	/* A packet may still be inside ipvl_sed_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_sed_init);
module_exit(ipvl_sed_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("sed");
MODULE_DESCRIPTION("ip_vs_lite shortest expected delay scheduler");
