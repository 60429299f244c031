/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_IPSEC_H
#define _IPVL_IPSEC_H

#include "ip_vs_lite.h"
#include "model/netns.h"

static inline bool ipvl_is_ipsec(int protocol)
{
	return protocol == IPPROTO_ESP || protocol == IPPROTO_AH;
}

unsigned int ipvl_ipsec_inbound(struct ipvl_net *ipvl, struct sk_buff *skb,
				const struct ipvl_pkt *pkt);

#endif /* _IPVL_IPSEC_H */
