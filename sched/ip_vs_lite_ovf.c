// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite overflow-connection scheduler: new connections go to the
 * usable real server of the highest weight until its active connections
 * reach its weight, then to the next heaviest that still has room. The
 * weight is thus a connection limit; when every server is full, none is
 * picked.
 */

#include <linux/module.h>
#include <linux/rculist.h>

#include "ip_vs_lite.h"

static struct ipvl_sched_ops ipvl_ovf_ops;

/* Strictly greater, so that ties go to the server first in the list. */
static struct ipvl_dest *ipvl_ovf_pick(struct ipvl_service *svc)
{
	struct ipvl_dest *dest, *best = NULL;
	int w, best_w = 0;

	ipvl_for_each_dest_rcu(dest, svc) {
		if (!ipvl_dest_usable(dest))
			continue;
		w = READ_ONCE(dest->weight);
		if (atomic_read(&dest->activeconns) >= w)
			continue;
		if (w > best_w) {
			best = dest;
			best_w = w;
		}
	}
	return best;
}

static struct ipvl_dest *ipvl_ovf_schedule(struct ipvl_service *svc,
					   const struct sk_buff *skb,
					   const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest = ipvl_ovf_pick(svc);

	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_ovf_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_ovf_ops = {
	.name		= "ovf",
	.owner		= THIS_MODULE,
	.schedule	= ipvl_ovf_schedule,
};

static int __init ipvl_ovf_init(void)
{
	return ipvl_register_scheduler(&ipvl_ovf_ops);
}

static void __exit ipvl_ovf_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_ovf_ops);
	/* A packet may still be inside ipvl_ovf_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_ovf_init);
module_exit(ipvl_ovf_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("ovf");
MODULE_DESCRIPTION("ip_vs_lite overflow-connection scheduler");
