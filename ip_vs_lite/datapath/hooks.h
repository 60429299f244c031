/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_HOOKS_H
#define _IPVL_HOOKS_H

#include <net/net_namespace.h>

int ipvl_hooks_register(struct net *net);
void ipvl_hooks_unregister(struct net *net);

#endif /* _IPVL_HOOKS_H */
