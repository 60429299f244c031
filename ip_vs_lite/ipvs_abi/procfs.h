/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPVS ABI: the /proc/net files of IPVS (ip_vs, ip_vs_stats, ip_vs_conn),
 * in every netns, while the "IPVS" family is registered.
 */
#ifndef _IPVL_IPVS_PROCFS_H
#define _IPVL_IPVS_PROCFS_H

int ipvl_ipvs_procfs_init(void);
void ipvl_ipvs_procfs_uninit(void);

#endif /* _IPVL_IPVS_PROCFS_H */
