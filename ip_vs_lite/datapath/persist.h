/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_PERSIST_H
#define _IPVL_PERSIST_H

#include "datapath/conn.h"

struct ipvl_conn *ipvl_persist_lookup(struct ipvl_service *svc,
				      const struct ipvl_pkt *pkt);
struct ipvl_conn *ipvl_persist_create(struct ipvl_service *svc,
				      const struct ipvl_pkt *pkt,
				      struct ipvl_dest *dest);

#endif /* _IPVL_PERSIST_H */
