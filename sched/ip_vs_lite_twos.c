// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite weighted "power of two choices" scheduler: two usable real
 * servers are drawn at random, each with a chance proportional to its
 * weight, and the one with the smaller ipvl_dest_overhead() / weight
 * takes the connection (the first drawn on a tie). A server of weight 0
 * or over its upper threshold is never drawn.
 */

#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/random.h>

#include "ip_vs_lite.h"

static struct ipvl_sched_ops ipvl_twos_ops;

/* The usable server at which a draw of @r in [0, total weight) lands. */
static struct ipvl_dest *draw(struct ipvl_service *svc, u32 r)
{
	struct ipvl_dest *dest, *last = NULL;
	u32 w;

	ipvl_for_each_dest_rcu(dest, svc) {
		if (!ipvl_dest_usable(dest))
			continue;
		w = READ_ONCE(dest->weight);
		if (r < w)
			return dest;
		r -= w;
		last = dest;
	}
	/* Weights changed between the two walks. */
	return last;
}

static struct ipvl_dest *ipvl_twos_pick(struct ipvl_service *svc)
{
	struct ipvl_dest *dest, *a, *b;
	u64 total = 0;
	int w;

	ipvl_for_each_dest_rcu(dest, svc) {
		if (!ipvl_dest_usable(dest))
			continue;
		w = READ_ONCE(dest->weight);
		if (w > 0)
			total += w;
	}
	if (!total)
		return NULL;
	total = min_t(u64, total, U32_MAX);

	a = draw(svc, get_random_u32_below(total));
	b = draw(svc, get_random_u32_below(total));
	if (!a || !b)
		return a ?: b;
	/* a.oh / a.w > b.oh / b.w, without a division. */
	if ((u64)ipvl_dest_overhead(a) * max(READ_ONCE(b->weight), 1) >
	    (u64)ipvl_dest_overhead(b) * max(READ_ONCE(a->weight), 1))
		return b;
	return a;
}

static struct ipvl_dest *ipvl_twos_schedule(struct ipvl_service *svc,
					    const struct sk_buff *skb,
					    const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest = ipvl_twos_pick(svc);

	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_twos_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_twos_ops = {
	.name		= "twos",
	.owner		= THIS_MODULE,
	.schedule	= ipvl_twos_schedule,
};

static int __init ipvl_twos_init(void)
{
	return ipvl_register_scheduler(&ipvl_twos_ops);
}

static void __exit ipvl_twos_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_twos_ops);
	/* A packet may still be inside ipvl_twos_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_twos_init);
module_exit(ipvl_twos_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("twos");
MODULE_DESCRIPTION("ip_vs_lite weighted power of two choices scheduler");
