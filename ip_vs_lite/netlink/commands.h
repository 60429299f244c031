/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two generic netlink families, IPVS_LITE and the IPVS ABI, do
 * alike: the commands run under the netns config lock, the service dump
 * and the replies. The families only parse their attributes and fill in
 * their own replies.
 */
#ifndef _IPVL_COMMANDS_H
#define _IPVL_COMMANDS_H

#include <net/genetlink.h>

#include "model/netns.h"
#include "model/service.h"

int ipvl_cmd_locked(struct genl_info *info,
		    int (*fn)(struct ipvl_net *ipvl, struct genl_info *info));

/*
 * @find is the family's lookup of the service a request names; it sets
 * the extack message and returns an ERR_PTR when there is none.
 */
int ipvl_cmd_del_service(struct genl_info *info,
			 struct ipvl_service *(*find)(struct ipvl_net *ipvl,
						      struct genl_info *info));
int ipvl_cmd_zero(struct genl_info *info, bool all,
		  struct ipvl_service *(*find)(struct ipvl_net *ipvl,
					       struct genl_info *info));
int ipvl_cmd_flush(struct genl_info *info);
/* A family's attributes for the connection timeouts, in seconds. */
struct ipvl_cmd_timeouts {
	int tcp;
	int tcp_fin;
	int udp;
};

int ipvl_cmd_set_timeouts(struct genl_info *info,
			  const struct ipvl_cmd_timeouts *attrs);
int ipvl_cmd_get_timeouts(struct genl_info *info,
			  const struct genl_family *family, u8 cmd,
			  const struct ipvl_cmd_timeouts *attrs);

int ipvl_cmd_dump_services(struct sk_buff *skb, struct netlink_callback *cb,
			   int (*fill)(struct sk_buff *skb,
				       struct netlink_callback *cb,
				       struct ipvl_service *svc));

struct sk_buff *ipvl_cmd_reply_new(struct genl_info *info,
				   const struct genl_family *family, u8 cmd,
				   void **hdr);
int ipvl_cmd_reply_send(struct sk_buff *msg, void *hdr,
			struct genl_info *info, bool failed);

#endif /* _IPVL_COMMANDS_H */
