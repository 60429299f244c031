// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite destination hashing scheduler: the destination address of
 * the packet is hashed onto a fixed table of buckets, and each bucket
 * names a real server. The servers share the buckets in proportion to
 * their weights, so all flows towards one address reach the same server
 * for as long as the set of servers and their weights stay the same; a
 * cache in front of many origins is the usual case. A server of weight 0
 * has no bucket; a flow whose bucket names a server that cannot take it
 * goes to the next bucket whose server can.
 *
 * The hash uses a fixed seed and the table depends only on the order and
 * the weights of the servers, so two directors configured alike send an
 * address to the same server.
 */

#include <linux/module.h>
#include <linux/rcupdate.h>

#include "ip_vs_lite.h"

#define IPVL_DH_SEED		0x4448

static struct ipvl_sched_ops ipvl_dh_ops;

static struct ipvl_dest *ipvl_dh_schedule(struct ipvl_service *svc,
					  const struct sk_buff *skb,
					  const struct ipvl_pkt *pkt)
{
	u32 hash = ipvl_hashtab_hash(pkt->af, &pkt->daddr, IPVL_DH_SEED);
	struct ipvl_dest *dest = ipvl_hashtab_lookup(svc, hash);

	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_dh_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_dh_ops =
	IPVL_HASHTAB_OPS("dh", ipvl_dh_schedule);

static int __init ipvl_dh_init(void)
{
	return ipvl_register_scheduler(&ipvl_dh_ops);
}

static void __exit ipvl_dh_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_dh_ops);
	/* A packet may still be inside ipvl_dh_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_dh_init);
module_exit(ipvl_dh_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("dh");
MODULE_DESCRIPTION("ip_vs_lite destination hashing scheduler");
