/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_XMIT_H
#define _IPVL_XMIT_H

#include "conn.h"

unsigned int ipvl_xmit(struct net *net, struct sk_buff *skb,
		       const struct ipvl_conn *cp);

#endif /* _IPVL_XMIT_H */
