// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: each netns has its own services,
 * timeouts and connection count.
 */

#include <linux/memcontrol.h>
#include <net/netns/generic.h>

#include "datapath/conn.h"
#include "model/netns.h"
#include "datapath/conn_state.h"
#include "model/drain.h"
#include "model/service.h"
#include "model/sysctl.h"

static unsigned int ipvl_net_id __read_mostly;

struct ipvl_net *ipvl_net(const struct net *net)
{
	return net_generic(net, ipvl_net_id);
}

u64 ipvl_drops_read(const struct ipvl_net *ipvl, int reason)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(ipvl->drops, cpu)->n[reason]);
	return sum;
}

static int __net_init ipvl_net_init(struct net *net)
{
	struct ipvl_net *ipvl = ipvl_net(net);
	int ret;

	ipvl->net = net;
	mutex_init(&ipvl->lock);
	hash_init(ipvl->svc_tab);
	ipvl_timeouts_default(&ipvl->timeouts);
	ipvl_sysctl_defaults(ipvl);
	ipvl_drain_net_init(ipvl);
	ipvl_est_init(&ipvl->est, &ipvl->lock);
	ipvl->drops = alloc_percpu_gfp(struct ipvl_drops, GFP_KERNEL_ACCOUNT);
	if (!ipvl->drops)
		return -ENOMEM;
	ipvl->memcg = get_mem_cgroup_from_mm(current->mm);
	ret = ipvl_conn_net_init(ipvl);
	if (ret)
		goto err_conn;
	ret = ipvl_sysctl_register(ipvl);
	if (ret)
		goto err_sysctl;
	return 0;

err_sysctl:
	ipvl_conn_net_exit(ipvl);
err_conn:
	mem_cgroup_put(ipvl->memcg);
	free_percpu(ipvl->drops);
	return ret;
}

static void __net_exit ipvl_net_exit(struct net *net)
{
	struct ipvl_net *ipvl = ipvl_net(net);

	/* The last service's going unhooks the netns. */
	mutex_lock(&ipvl->lock);
	ipvl_service_flush(ipvl);
	mutex_unlock(&ipvl->lock);
	ipvl_drain_net_exit(ipvl);
	ipvl_est_uninit(&ipvl->est);
	ipvl_sysctl_unregister(ipvl);
	ipvl_conn_net_exit(ipvl);
	mem_cgroup_put(ipvl->memcg);
	free_percpu(ipvl->drops);
}

static struct pernet_operations ipvl_net_ops = {
	.init = ipvl_net_init,
	.exit = ipvl_net_exit,
	.id = &ipvl_net_id,
	.size = sizeof(struct ipvl_net),
};

int ipvl_netns_init(void)
{
	return register_pernet_subsys(&ipvl_net_ops);
}

void ipvl_netns_uninit(void)
{
	unregister_pernet_subsys(&ipvl_net_ops);
}
