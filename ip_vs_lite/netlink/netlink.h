/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_NETLINK_H
#define _IPVL_NETLINK_H

#include <net/genetlink.h>

#include "model/netns.h"
#include "model/service.h"

struct ipvl_stats;

extern struct genl_family ipvl_genl_family;

int ipvl_genl_init(void);
void ipvl_genl_uninit(void);

/* Request parsing and reply pieces shared by the commands. */
int ipvl_nl_parse_addr(struct genl_info *info, int af_attr, int addr_attr,
		       u16 *af, union nf_inet_addr *addr);
int ipvl_nl_parse_svc_key(struct genl_info *info, struct ipvl_svc_key *key);
int ipvl_nl_parse_svc_cfg(struct genl_info *info,
			  const struct ipvl_svc_key *key,
			  struct ipvl_svc_cfg *cfg);
struct ipvl_service *ipvl_nl_find_svc(struct ipvl_net *ipvl,
				      struct genl_info *info);
const struct ipvl_sched_ops *ipvl_nl_get_sched(struct genl_info *info);
int ipvl_nl_parse_dest(struct genl_info *info, const struct ipvl_service *svc,
		       struct ipvl_dest_cfg *cfg);
int ipvl_nl_parse_dest_cfg(struct genl_info *info,
			   const struct ipvl_service *svc,
			   struct ipvl_dest_cfg *cfg);
int ipvl_nl_put_addr(struct sk_buff *skb, int attr, u16 af,
		     const union nf_inet_addr *addr);
int ipvl_nl_put_stats(struct sk_buff *skb, int attr,
		      const struct ipvl_stats *stats);
int ipvl_nl_put_svc_key(struct sk_buff *skb, const struct ipvl_service *svc);

/* Command handlers. */
int ipvl_nl_new_service(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_set_service(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_del_service(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_get_service(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_dump_services(struct sk_buff *skb, struct netlink_callback *cb);
int ipvl_nl_new_dest(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_set_dest(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_del_dest(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_dump_dests(struct sk_buff *skb, struct netlink_callback *cb);
int ipvl_nl_flush(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_zero(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_set_timeout(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_get_timeout(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_get_info(struct sk_buff *skb, struct genl_info *info);
int ipvl_nl_dump_conns(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _IPVL_NETLINK_H */
