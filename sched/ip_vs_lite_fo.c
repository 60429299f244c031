// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite weighted failover scheduler: every new connection goes to the
 * usable real server of the highest weight, the first in the list on a
 * tie. Quiescing it (weight 0), removing it or its reaching its upper
 * threshold moves new connections to the next heaviest.
 */

#include <linux/module.h>
#include <linux/rculist.h>

#include "ip_vs_lite.h"

static struct ipvl_sched_ops ipvl_fo_ops;

/* Strictly greater, so that ties go to the server first in the list. */
static struct ipvl_dest *ipvl_fo_pick(struct ipvl_service *svc)
{
	struct ipvl_dest *dest, *best = NULL;
	int w, best_w = 0;

	ipvl_for_each_dest_rcu(dest, svc) {
		if (!ipvl_dest_usable(dest))
			continue;
		w = READ_ONCE(dest->weight);
		if (w > best_w) {
			best = dest;
			best_w = w;
		}
	}
	return best;
}

static struct ipvl_dest *ipvl_fo_schedule(struct ipvl_service *svc,
					  const struct sk_buff *skb,
					  const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest = ipvl_fo_pick(svc);

	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_fo_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_fo_ops = {
	.name		= "fo",
	.owner		= THIS_MODULE,
	.schedule	= ipvl_fo_schedule,
};

static int __init ipvl_fo_init(void)
{
	return ipvl_register_scheduler(&ipvl_fo_ops);
}

static void __exit ipvl_fo_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_fo_ops);
	/* A packet may still be inside ipvl_fo_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_fo_init);
module_exit(ipvl_fo_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("fo");
MODULE_DESCRIPTION("ip_vs_lite weighted failover scheduler");
