// SPDX-License-Identifier: GPL-2.0
/*
 * Persistence: a template connection remembers which real server a
 * client (or client network, with a netmask) went to, and new
 * connections from it within the timeout go to the same server.
 *
 * A template lives in the connection table under a tuple no packet can
 * have: protocol 0, the client address masked, the client port holding
 * the service's protocol, and the service's address and port, or for a
 * firewall-mark service the mark in place of the address.
 */

#include <linux/inetdevice.h>
#include <net/ipv6.h>

#include "datapath/persist.h"
#include "datapath/conn_state.h"

static void template_tuple(const struct ipvl_service *svc,
			   const struct ipvl_pkt *pkt, struct ipvl_pkt *t)
{
	u8 netmask = READ_ONCE(svc->netmask);

	memset(t, 0, sizeof(*t));
	t->af = svc->af;
	t->protocol = IPPROTO_IP;
	if (svc->af == AF_INET6)
		ipv6_addr_prefix(&t->saddr.in6, &pkt->saddr.in6, netmask);
	else
		t->saddr.ip = pkt->saddr.ip & inet_make_mask(netmask);
	if (svc->fwmark) {
		t->daddr.all[0] = svc->fwmark;
		return;
	}
	t->sport = htons(svc->protocol);
	t->daddr = svc->addr;
	t->dport = svc->port;
}

/*
 * Whether a template still sends its client to its real server. A
 * quiesced (weight 0) server keeps its persistent clients, so that
 * their sessions drain, unless expire_quiescent_template says otherwise.
 */
static bool template_valid(const struct ipvl_net *ipvl,
			   const struct ipvl_conn *tpl)
{
	const struct ipvl_dest *dest = tpl->dest;

	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags) ||
	    test_bit(IPVL_DEST_F_OVERLOAD, &dest->flags))
		return false;
	return READ_ONCE(dest->weight) > 0 ||
	       !READ_ONCE(ipvl->expire_quiescent_template);
}

/*
 * The live template of the client, if its real server can still take
 * the connection; one that cannot is dropped, so the client is
 * scheduled afresh.
 */
struct ipvl_conn *ipvl_persist_lookup(struct ipvl_service *svc,
				      const struct ipvl_pkt *pkt)
{
	struct ipvl_net *ipvl = ipvl_net(svc->net);
	struct ipvl_conn *tpl;
	struct ipvl_pkt t;

	template_tuple(svc, pkt, &t);
	tpl = ipvl_conn_lookup(ipvl, &t);
	if (!tpl)
		return NULL;
	if (template_valid(ipvl, tpl)) {
		ipvl_conn_update(tpl, IPVL_S_TEMPLATE, READ_ONCE(svc->timeout));
		return tpl;
	}
	ipvl_conn_expire_now(ipvl, tpl);
	return NULL;
}

struct ipvl_conn *ipvl_persist_create(struct ipvl_service *svc,
				      const struct ipvl_pkt *pkt,
				      struct ipvl_dest *dest)
{
	struct ipvl_pkt t;
	struct ipvl_conn_param p = {
		.ipvl = ipvl_net(svc->net),
		.pkt = &t,
		.dest = dest,
		.state = IPVL_S_TEMPLATE,
		.timeout = READ_ONCE(svc->timeout),
	};
	struct ipvl_conn *tpl;

	template_tuple(svc, pkt, &t);
	tpl = ipvl_conn_create(&p);
	return IS_ERR(tpl) ? NULL : tpl;
}
