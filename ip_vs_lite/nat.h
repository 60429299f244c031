/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_NAT_H
#define _IPVL_NAT_H

#include "conn.h"

int ipvl_nat_in(struct sk_buff *skb, const struct ipvl_conn *cp);
int ipvl_nat_out(struct sk_buff *skb, const struct ipvl_conn *cp);
int ipvl_nat_icmp_in(struct sk_buff *skb, const struct ipvl_conn *cp,
		     unsigned int icmp_off);
int ipvl_nat_icmp_out(struct sk_buff *skb, const struct ipvl_conn *cp,
		      unsigned int icmp_off);

#endif /* _IPVL_NAT_H */
