/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_NETNS_H
#define _IPVL_NETNS_H

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <net/net_namespace.h>

#include "model/estimator.h"
#include "uapi/linux/ip_vs_lite.h"

#define IPVL_SVC_TAB_BITS	8

/* Connection timeouts of one netns, in jiffies. */
struct ipvl_timeouts {
	unsigned long tcp_est;
	unsigned long tcp_fin;
	unsigned long udp;
};

struct ipvl_net {
	struct net *net;
	/* Serialises every change to services, real servers and timeouts. */
	struct mutex lock;
	DECLARE_HASHTABLE(svc_tab, IPVL_SVC_TAB_BITS);
	unsigned int num_services;
	struct ipvl_timeouts timeouts;
	atomic_t conn_count;
	atomic_long_t drops[__IPVL_DROP_MAX];	/* by enum ipvl_drop_attr */
	struct ipvl_est_ring est;
	int sloppy_tcp;				/* sysctl, READ_ONCE */
	struct ctl_table_header *sysctl_hdr;
};

struct ipvl_net *ipvl_net(const struct net *net);

/* Counts a packet ip_vs_lite drops, and says so. */
static inline unsigned int ipvl_drop(struct ipvl_net *ipvl, int reason)
{
	atomic_long_inc(&ipvl->drops[reason]);
	return NF_DROP;
}

int ipvl_netns_init(void);
void ipvl_netns_uninit(void);

#endif /* _IPVL_NETNS_H */
