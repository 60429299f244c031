/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_XMIT_H
#define _IPVL_XMIT_H

#include "conn.h"

/* How one packet of a connection leaves: see ipvl_xmit(). */
struct ipvl_xmit_ctx {
	const struct ipvl_conn *cp;
	int icmp_off;		/* offset of the ICMP header, or -1 */
};

void ipvl_untrack(struct sk_buff *skb);
int ipvl_xmit_nat_mangle(struct sk_buff *skb, const struct ipvl_xmit_ctx *x);
unsigned int ipvl_xmit6(struct net *net, struct sk_buff *skb,
			const struct ipvl_xmit_ctx *x);
unsigned int ipvl_xmit(struct net *net, struct sk_buff *skb,
		       const struct ipvl_conn *cp);
unsigned int ipvl_xmit_icmp(struct net *net, struct sk_buff *skb,
			    const struct ipvl_conn *cp, unsigned int icmp_off);

#endif /* _IPVL_XMIT_H */
