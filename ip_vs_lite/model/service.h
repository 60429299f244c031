/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_SERVICE_H
#define _IPVL_SERVICE_H

#include <linux/netlink.h>

#include "ip_vs_lite.h"
#include "model/netns.h"

/* What names a virtual service: fwmark, or protocol, address and port. */
struct ipvl_svc_key {
	u16 af;
	u8 protocol;
	union nf_inet_addr addr;
	__be16 port;
	u32 fwmark;
};

/* What a service edit may change besides its scheduler. */
struct ipvl_svc_cfg {
	u32 flags;
	unsigned long timeout;
	u8 netmask;
};

struct ipvl_dest_cfg {
	u16 af;
	union nf_inet_addr addr;
	__be16 port;
	u8 fwd;
	struct ipvl_tun tun;
	int weight;
	u32 u_thresh;
	u32 l_thresh;
};

struct ipvl_service *ipvl_service_find(struct ipvl_net *ipvl,
				       const struct ipvl_svc_key *key);
struct ipvl_service *ipvl_service_lookup_rcu(struct ipvl_net *ipvl,
					     const struct ipvl_pkt *pkt,
					     u32 mark);
int ipvl_service_add(struct ipvl_net *ipvl, const struct ipvl_svc_key *key,
		     const struct ipvl_sched_ops *sched,
		     const struct ipvl_svc_cfg *cfg);
int ipvl_service_edit(struct ipvl_service *svc,
		      const struct ipvl_sched_ops *sched,
		      const struct ipvl_svc_cfg *cfg);
void ipvl_service_del(struct ipvl_net *ipvl, struct ipvl_service *svc);
void ipvl_service_flush(struct ipvl_net *ipvl);
bool ipvl_service_room(const struct ipvl_net *ipvl);
bool ipvl_dest_room(const struct ipvl_net *ipvl);
int ipvl_service_init(void);
void ipvl_service_uninit(void);
bool ipvl_service_has_nat_dest(struct ipvl_service *svc);
bool ipvl_is_nat_source_rcu(struct ipvl_net *ipvl, const struct ipvl_pkt *pkt);
void ipvl_service_zero(struct ipvl_service *svc);
void ipvl_service_zero_all(struct ipvl_net *ipvl);

struct ipvl_dest *ipvl_dest_find(struct ipvl_service *svc,
				 const struct ipvl_dest_cfg *cfg);
int ipvl_dest_add(struct ipvl_service *svc, const struct ipvl_dest_cfg *cfg);
int ipvl_dest_edit(struct ipvl_service *svc, struct ipvl_dest *dest,
		   const struct ipvl_dest_cfg *cfg);
void ipvl_dest_del(struct ipvl_service *svc, struct ipvl_dest *dest);

void ipvl_dest_update_overload(struct ipvl_dest *dest);
bool ipvl_dest_tryhold(struct ipvl_dest *dest);
void ipvl_dest_put(struct ipvl_dest *dest);

#endif /* _IPVL_SERVICE_H */
