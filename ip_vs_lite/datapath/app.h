/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_APP_H
#define _IPVL_APP_H

#include "ip_vs_lite_app.h"
#include "datapath/conn.h"
#include "datapath/conn_state.h"
#include "model/netns.h"

void ipvl_app_bind(struct ipvl_conn *cp);
void ipvl_app_in(struct ipvl_net *ipvl, struct sk_buff *skb,
		 struct ipvl_conn *cp, unsigned int thoff);
int ipvl_app_out(struct ipvl_net *ipvl, struct sk_buff *skb,
		 struct ipvl_conn *cp, unsigned int thoff);
struct ipvl_conn *ipvl_app_expected(struct ipvl_net *ipvl,
				    const struct ipvl_pkt *pkt,
				    const struct ipvl_tcp_flags *tf);

/* Whether @cp's payload goes through a helper. */
static inline bool ipvl_app_bound(const struct ipvl_conn *cp,
				  const struct ipvl_tcp_flags *tf)
{
	return tf->data && test_bit(IPVL_CONN_F_APP, &cp->flags);
}

#endif /* _IPVL_APP_H */
