/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_NETNS_H
#define _IPVL_NETNS_H

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/workqueue.h>
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

struct ipvl_conn_tab;

/* Packets ip_vs_lite dropped, by enum ipvl_drop_attr; per CPU. */
struct ipvl_drops {
	u64 n[__IPVL_DROP_MAX];
};

struct ipvl_net {
	struct net *net;
	/* Serialises every change to services, real servers and timeouts. */
	struct mutex lock;
	DECLARE_HASHTABLE(svc_tab, IPVL_SVC_TAB_BITS);
	unsigned int num_services;
	unsigned int num_dests;			/* over all services */
	struct ipvl_timeouts timeouts;
	struct ipvl_conn_tab *conns;		/* datapath/conn.c's */
	struct ipvl_drops __percpu *drops;
	/* What the netns's connections are charged to: its creator's. */
	struct mem_cgroup *memcg;
	struct ipvl_est_ring est;
	/* sysctls (model/sysctl.c), READ_ONCE on the packet path */
	int sloppy_tcp;
	int sloppy_sctp;
	int conn_reuse_mode;
	int expire_nodest_conn;
	int expire_quiescent_template;
	int schedule_icmp;
	int nat_icmp_send;
	int pmtu_disc;
	int drain_on_delete;
	/* jiffies: until then a helper's connection may await a client. */
	unsigned long app_expect_until;
	struct ctl_table_header *sysctl_hdr;
	struct delayed_work drain_work;		/* model/drain.c */
};

struct ipvl_net *ipvl_net(const struct net *net);

/* Counts a packet ip_vs_lite drops, and says so. */
static inline unsigned int ipvl_drop(struct ipvl_net *ipvl, int reason)
{
	this_cpu_inc(ipvl->drops->n[reason]);
	return NF_DROP;
}

u64 ipvl_drops_read(const struct ipvl_net *ipvl, int reason);
unsigned int ipvl_conn_count(const struct ipvl_net *ipvl);

/*
 * Nothing to do in a netns without services or connections. The count
 * is read only once the last service has gone.
 */
static inline bool ipvl_net_idle(const struct ipvl_net *ipvl)
{
	return !READ_ONCE(ipvl->num_services) && !ipvl_conn_count(ipvl);
}

int ipvl_netns_init(void);
void ipvl_netns_uninit(void);

#endif /* _IPVL_NETNS_H */
