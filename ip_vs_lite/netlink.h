/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_NETLINK_H
#define _IPVL_NETLINK_H

int ipvl_genl_init(void);
void ipvl_genl_uninit(void);

#endif /* _IPVL_NETLINK_H */
