/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_XMIT_H
#define _IPVL_XMIT_H

#include "conn.h"

void ipvl_untrack(struct sk_buff *skb);
unsigned int ipvl_xmit(struct net *net, struct sk_buff *skb,
		       const struct ipvl_conn *cp);
unsigned int ipvl_xmit_icmp(struct net *net, struct sk_buff *skb,
			    const struct ipvl_conn *cp, unsigned int icmp_off);

#endif /* _IPVL_XMIT_H */
