// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite weighted least-connection scheduler: a new connection goes to
 * the usable real server with the smallest ipvl_dest_overhead() / weight.
 */

#include <linux/module.h>

#include "ip_vs_lite.h"

static struct ipvl_sched_ops ipvl_wlc_ops;

static struct ipvl_dest *ipvl_wlc_schedule(struct ipvl_service *svc,
					   const struct sk_buff *skb,
					   const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest = ipvl_sched_least_weighted(svc);

	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_wlc_ops);
	return dest;
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
