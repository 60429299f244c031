/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_DRAIN_H
#define _IPVL_DRAIN_H

#include "ip_vs_lite.h"
#include "model/netns.h"

int ipvl_dest_drain(struct ipvl_service *svc, struct ipvl_dest *dest);
int ipvl_dest_remove(struct ipvl_service *svc, struct ipvl_dest *dest,
		     bool drain);
void ipvl_drain_net_init(struct ipvl_net *ipvl);
void ipvl_drain_net_exit(struct ipvl_net *ipvl);

#endif /* _IPVL_DRAIN_H */
