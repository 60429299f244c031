/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_NAT_H
#define _IPVL_NAT_H

#include "datapath/conn.h"

/* Where the ports and checksum of a transport header sit. */
struct ipvl_l4_fields {
	__be16 *sport;
	__be16 *dport;
	__sum16 *check;		/* NULL: UDP without checksum */
};

void ipvl_nat_l4_fields(struct sk_buff *skb, void *th, u8 protocol,
			struct ipvl_l4_fields *f);
int ipvl_nat_in(struct sk_buff *skb, const struct ipvl_conn *cp);
int ipvl_nat_out(struct sk_buff *skb, const struct ipvl_conn *cp);

#endif /* _IPVL_NAT_H */
