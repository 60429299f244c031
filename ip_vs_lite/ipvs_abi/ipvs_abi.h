/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The optional "IPVS" generic netlink family: the ABI of linux/ip_vs.h
 * on top of the ip_vs_lite core, for ipvsadm, keepalived and the like.
 */
#ifndef _IPVL_IPVS_ABI_H
#define _IPVL_IPVS_ABI_H

#include <linux/ip_vs.h>
#include <net/genetlink.h>

#include "model/netns.h"
#include "model/service.h"

extern struct genl_family ipvl_ipvs_family;
extern const struct nla_policy ipvl_ipvs_svc_policy[IPVS_SVC_ATTR_MAX + 1];
extern const struct nla_policy ipvl_ipvs_dest_policy[IPVS_DEST_ATTR_MAX + 1];

int ipvl_ipvs_abi_init(void);
void ipvl_ipvs_abi_uninit(void);

/* Service nest: parsing, lookup and the reply. */
int ipvl_ipvs_svc_attrs(struct nlattr *nest, struct nlattr **tb,
			struct netlink_ext_ack *extack);
int ipvl_ipvs_svc_key(struct nlattr **tb, struct ipvl_svc_key *key,
		      struct netlink_ext_ack *extack);
struct ipvl_service *ipvl_ipvs_find_svc(struct ipvl_net *ipvl,
					struct genl_info *info);
int ipvl_ipvs_af_check(u16 af, const struct nlattr *attr,
		       struct netlink_ext_ack *extack);
int ipvl_ipvs_get_addr(u16 af, const struct nlattr *attr,
		       union nf_inet_addr *addr,
		       struct netlink_ext_ack *extack);
int ipvl_ipvs_put_addr(struct sk_buff *skb, int attr, u16 af,
		       const union nf_inet_addr *addr);
int ipvl_ipvs_put_stats(struct sk_buff *skb, int attr32, int attr64,
			const struct ipvl_stats *stats);

/* Command handlers. */
int ipvl_ipvs_new_service(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_set_service(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_del_service(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_get_service(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_dump_services(struct sk_buff *skb, struct netlink_callback *cb);
int ipvl_ipvs_new_dest(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_set_dest(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_del_dest(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_dump_dests_start(struct netlink_callback *cb);
int ipvl_ipvs_dump_dests(struct sk_buff *skb, struct netlink_callback *cb);
int ipvl_ipvs_flush(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_zero(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_set_config(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_get_config(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_get_info(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_daemon(struct sk_buff *skb, struct genl_info *info);
int ipvl_ipvs_dump_daemons_start(struct netlink_callback *cb);
int ipvl_ipvs_dump_daemons(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _IPVL_IPVS_ABI_H */
