/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_SCHEDULE_H
#define _IPVL_SCHEDULE_H

#include "conn.h"
#include "netns.h"
#include "proto.h"

unsigned int ipvl_schedule(struct ipvl_net *ipvl, struct sk_buff *skb,
			   const struct ipvl_pkt *pkt,
			   const struct ipvl_tcp_flags *tf,
			   struct ipvl_conn **cpp);

#endif /* _IPVL_SCHEDULE_H */
