/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_SCHED_REGISTRY_H
#define _IPVL_SCHED_REGISTRY_H

#include "ip_vs_lite.h"

const struct ipvl_sched_ops *ipvl_sched_get(const char *name);
void ipvl_sched_put(const struct ipvl_sched_ops *ops);

#endif /* _IPVL_SCHED_REGISTRY_H */
