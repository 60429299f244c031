// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite weighted least-connection scheduler: a new connection goes to
 * the usable real server with the smallest ipvl_dest_overhead() / weight.
 */

#include <linux/module.h>
#include <linux/rculist.h>

#include "ip_vs_lite.h"

static struct ipvl_sched_ops ipvl_wlc_ops;

/*
 * oh_a / w_a > oh_b / w_b is tested as oh_a * w_b > oh_b * w_a: no division
 * on the packet path and no rounding. A 32-bit overhead times a weight of
 * at most 65535 needs 64 bits. Strictly greater, so that ties go to the
 * server first in the list.
 */
static struct ipvl_dest *ipvl_wlc_schedule(struct ipvl_service *svc,
					   const struct sk_buff *skb,
					   const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest, *least = NULL;
	u64 oh, least_oh = 0;
	int w, least_w = 0;

	ipvl_for_each_dest_rcu(dest, svc) {
		w = READ_ONCE(dest->weight);
		/* The weight may reach 0 between two reads: test both. */
		if (!ipvl_dest_usable(dest) || w <= 0)
			continue;
		oh = ipvl_dest_overhead(dest);
		if (!least || least_oh * w > oh * least_w) {
			least = dest;
			least_oh = oh;
			least_w = w;
		}
	}

	if (!least)
		ipvl_sched_no_dest(svc, &ipvl_wlc_ops);
	return least;
}

static struct ipvl_sched_ops ipvl_wlc_ops = {
	.name		= "wlc",
	.owner		= THIS_MODULE,
	.schedule	= ipvl_wlc_schedule,
};

static int __init ipvl_wlc_init(void)
{
	return ipvl_register_scheduler(&ipvl_wlc_ops);
}

static void __exit ipvl_wlc_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_wlc_ops);
	/* A packet may still be inside ipvl_wlc_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_wlc_init);
module_exit(ipvl_wlc_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("wlc");
MODULE_DESCRIPTION("ip_vs_lite weighted least-connection scheduler");
