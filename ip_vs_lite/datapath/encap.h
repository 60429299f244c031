/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_ENCAP_H
#define _IPVL_ENCAP_H

#include <linux/netlink.h>
#include <linux/skbuff.h>

#include "ip_vs_lite.h"

int ipvl_tun_check(const struct ipvl_tun *tun, struct netlink_ext_ack *extack,
		   const struct nlattr *bad);
unsigned int ipvl_encap_hlen(const struct ipvl_tun *tun,
			     const struct sk_buff *skb);
int ipvl_encap_offloads(struct sk_buff *skb, const struct ipvl_tun *tun,
			int ipxip);
u8 ipvl_encap_push(struct net *net, struct sk_buff *skb,
		   const struct ipvl_tun *tun, u8 inner);

/* Whether the UDP header of a GUE tunnel carries a checksum. */
static inline bool ipvl_encap_udp_csum(const struct ipvl_tun *tun)
{
	return tun->flags & IPVL_TUN_F_ALL;
}

#endif /* _IPVL_ENCAP_H */
