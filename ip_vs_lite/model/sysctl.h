/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_SYSCTL_H
#define _IPVL_SYSCTL_H

struct ipvl_net;

int ipvl_sysctl_register(struct ipvl_net *ipvl);
void ipvl_sysctl_unregister(struct ipvl_net *ipvl);
void ipvl_sysctl_defaults(struct ipvl_net *ipvl);

#endif /* _IPVL_SYSCTL_H */
