// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns sysctls under net.ipv4.vs_lite, with kernel IPVS's names and
 * meaning (Documentation/sysctls.rst lists them, and the defaults that
 * differ from IPVS's, with the reason):
 *
 * sloppy_tcp - schedule TCP segments that do not open a connection.
 * sloppy_sctp - schedule SCTP packets other than an INIT (or an ABORT).
 * conn_reuse_mode - a SYN on the tuple of a closing connection is
 *   scheduled afresh: 0 never, bit 0 after a reset or full close, bit 1
 *   also in FIN_WAIT.
 * expire_nodest_conn - a packet of a connection whose real server was
 *   deleted ends the connection at once instead of being dropped until
 *   it expires.
 * expire_quiescent_template - a persistence template whose real server
 *   has weight 0 is dropped, so its client is scheduled afresh.
 * schedule_icmp - an ICMP error about a flow with no connection is
 *   scheduled like the flow's own packet would be (sloppy directors).
 * nat_icmp_send - a NAT real server's packet that matches no connection
 *   gets an ICMP port unreachable back.
 * pmtu_disc - tunnelled IPv4 packets keep DF and too-big ones are refused
 *   with ICMP; 0 clears DF and lets the tunnel packet be fragmented.
 * drain_on_delete - a deleted real server is drained, as lvsadm -d
 *   --drain does, instead of having its connections cut.
 */

#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "model/netns.h"
#include "model/sysctl.h"

/* .data holds the field's offset in struct ipvl_net until registration. */
#define IPVL_SYSCTL(name, max) {					\
	.procname = #name,						\
	.data = (void *)offsetof(struct ipvl_net, name),		\
	.maxlen = sizeof(int),						\
	.mode = 0644,							\
	.proc_handler = proc_dointvec_minmax,				\
	.extra1 = SYSCTL_ZERO,						\
	.extra2 = max,							\
}

static const struct ctl_table ipvl_sysctl_template[] = {
	IPVL_SYSCTL(sloppy_tcp, SYSCTL_ONE),
	IPVL_SYSCTL(sloppy_sctp, SYSCTL_ONE),
	IPVL_SYSCTL(conn_reuse_mode, SYSCTL_THREE),
	IPVL_SYSCTL(expire_nodest_conn, SYSCTL_ONE),
	IPVL_SYSCTL(expire_quiescent_template, SYSCTL_ONE),
	IPVL_SYSCTL(schedule_icmp, SYSCTL_ONE),
	IPVL_SYSCTL(nat_icmp_send, SYSCTL_ONE),
	IPVL_SYSCTL(pmtu_disc, SYSCTL_ONE),
	IPVL_SYSCTL(drain_on_delete, SYSCTL_ONE),
	{ }
};

void ipvl_sysctl_defaults(struct ipvl_net *ipvl)
{
	ipvl->conn_reuse_mode = 3;
	ipvl->expire_nodest_conn = 1;
	ipvl->expire_quiescent_template = 1;
	ipvl->pmtu_disc = 1;
}

int ipvl_sysctl_register(struct ipvl_net *ipvl)
{
	struct ctl_table *table;
	int i;

	table = kmemdup(ipvl_sysctl_template, sizeof(ipvl_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; table[i].procname; i++)
		table[i].data = (char *)ipvl + (uintptr_t)table[i].data;
	ipvl->sysctl_hdr = register_net_sysctl(ipvl->net, "net/ipv4/vs_lite",
					       table);
	if (!ipvl->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

void ipvl_sysctl_unregister(struct ipvl_net *ipvl)
{
	struct ctl_table *table = ipvl->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(ipvl->sysctl_hdr);
	kfree(table);
}
