// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite source hashing scheduler: the client's source address is
 * hashed onto a fixed table of buckets, and each bucket names a real
 * server. The servers share the buckets in proportion to their weights,
 * so a client keeps reaching the same server for as long as the set of
 * servers and their weights stay the same. A server of weight 0 has no
 * bucket; a flow whose bucket names a server that cannot take it goes to
 * the next bucket whose server can, with or without sh-fallback. With
 * sh-port (IPVL_SVC_F_SCHED_PORT) the source port is hashed as well, so
 * that the connections of one client spread over the servers.
 *
 * The hash uses a fixed seed and the table depends only on the set of
 * servers and their weights, so two directors configured alike send a
 * client to the same server.
 */

#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#include "ip_vs_lite.h"

#define IPVL_SH_SEED		0x5348

static struct ipvl_sched_ops ipvl_sh_ops;

/*
 * The flag is read per packet: an edit of the service applies to the
 * flows that come after it, connections already made keep their server.
 */
static u32 ipvl_sh_hash(const struct ipvl_service *svc,
			const struct ipvl_pkt *pkt)
{
	u32 hash = ipvl_hashtab_hash(pkt->af, &pkt->saddr, IPVL_SH_SEED);

	if (READ_ONCE(svc->flags) & IPVL_SVC_F_SCHED_PORT)
		hash = jhash_2words(hash, (__force u32)pkt->sport,
				    IPVL_SH_SEED);
	return hash;
}

static struct ipvl_dest *ipvl_sh_schedule(struct ipvl_service *svc,
					  const struct sk_buff *skb,
					  const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest;

	dest = ipvl_hashtab_lookup(svc, ipvl_sh_hash(svc, pkt));
	if (!dest)
		ipvl_sched_no_dest(svc, &ipvl_sh_ops);
	return dest;
}

static struct ipvl_sched_ops ipvl_sh_ops =
	IPVL_HASHTAB_OPS("sh", ipvl_sh_schedule);

static int __init ipvl_sh_init(void)
{
	return ipvl_register_scheduler(&ipvl_sh_ops);
}

static void __exit ipvl_sh_exit(void)
{
	ipvl_unregister_scheduler(&ipvl_sh_ops);
	/* A packet may still be inside ipvl_sh_schedule() under RCU. */
	synchronize_rcu();
}

module_init(ipvl_sh_init);
module_exit(ipvl_sh_exit);
MODULE_LICENSE("GPL");
MODULE_ALIAS_IPVL_SCHED("sh");
MODULE_DESCRIPTION("ip_vs_lite source hashing scheduler");
