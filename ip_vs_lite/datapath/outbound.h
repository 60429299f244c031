/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_OUTBOUND_H
#define _IPVL_OUTBOUND_H

#include "model/netns.h"

unsigned int ipvl_outbound(struct ipvl_net *ipvl, struct sk_buff *skb, u16 af);

#endif /* _IPVL_OUTBOUND_H */
