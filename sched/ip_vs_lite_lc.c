// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite least-connection scheduler: a new connection goes to the
 * usable real server with the smallest load, where an active connection
 * weighs as much as 256 inactive ones (ipvl_dest_overhead()). Weights
 * only decide whether a server is usable at all.
 */

#include <linux/module.h>
#include <linux/rculist.h>

#include "ip_vs_lite.h"

static struct ipvl_sched_ops ipvl_lc_ops;

/* Strictly less, so that ties go to the server first in the list. */
static struct ipvl_dest *ipvl_lc_schedule(struct ipvl_service *svc,
					  const struct sk_buff *skb,
					  const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest, *least = NULL;
	unsigned int oh, least_oh = 0;

	ipvl_for_each_dest_rcu(dest, svc) {
		if (!ipvl_dest_usable(dest))
			continue;
		oh = ipvl_dest_overhead(dest);
		if (!least || oh < least_oh) {
			least = dest;
			least_oh = oh;
		}
	}

	if (!least)
		ipvl_sched_no_dest(svc, &ipvl_lc_ops);
	return least;
}

static struct ipvl_sched_ops ipvl_lc_ops = {
	.name		= "lc",
	.owner		= THIS_MODULE,
	.schedule	= ipvl_lc_schedule,
};

static int __init ipvl_lc_init(void)
{
	return ipvl_register_scheduler(&ipvl_lc_ops);
}

static void __exit ipvl_lc_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_lc_ops);
	/* A packet may still be inside ipvl_lc_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_lc_init);
module_exit(ipvl_lc_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("lc");
MODULE_DESCRIPTION("ip_vs_lite least-connection scheduler");
