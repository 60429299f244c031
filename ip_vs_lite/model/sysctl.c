// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns sysctls under net.ipv4.vs_lite:
 *
 * sloppy_tcp - schedule TCP segments that do not open a connection
 *   (the flow began on another director) for every service of the
 *   netns, as each service's --sloppy flag does for that service.
 */

#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "model/netns.h"
#include "model/sysctl.h"

static const struct ctl_table ipvl_sysctl_template[] = {
	{
		.procname = "sloppy_tcp",
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec_minmax,
		.extra1 = SYSCTL_ZERO,
		.extra2 = SYSCTL_ONE,
	},
	{ }
};

int ipvl_sysctl_register(struct ipvl_net *ipvl)
{
	struct ctl_table *table;

	table = kmemdup(ipvl_sysctl_template, sizeof(ipvl_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[0].data = &ipvl->sloppy_tcp;
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
