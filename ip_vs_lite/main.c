// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite: a layer-4 load balancer for LVS directors.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include "datapath/conn.h"
#include "ipvs_abi/ipvs_abi.h"
#include "netlink/netlink.h"
#include "model/netns.h"
#include "model/service.h"

static int __init ipvl_init(void)
{
	int ret;

	ret = ipvl_conn_cache_init();
	if (ret)
		goto err_conn;
	ret = ipvl_service_init();
	if (ret)
		goto err_service;
	ret = ipvl_netns_init();
	if (ret)
		goto err_netns;
	ret = ipvl_genl_init();
	if (ret)
		goto err_genl;
	ret = ipvl_ipvs_abi_init();
	if (ret)
		goto err_ipvs_abi;
	pr_info("loaded, initial connection table size %u\n",
		ipvl_conn_table_size());
	return 0;

err_ipvs_abi:
	ipvl_genl_uninit();
err_genl:
	ipvl_netns_uninit();
err_netns:
	ipvl_service_uninit();
err_service:
	ipvl_conn_cache_uninit();
err_conn:
	return ret;
}

static void __exit ipvl_exit(void)
{
	ipvl_ipvs_abi_uninit();
	ipvl_genl_uninit();
	ipvl_netns_uninit();
	ipvl_service_uninit();
	ipvl_conn_cache_uninit();
}

module_init(ipvl_init);
module_exit(ipvl_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ip_vs_lite: LVS director load balancing");
MODULE_ALIAS_GENL_FAMILY(IPVL_GENL_NAME);
