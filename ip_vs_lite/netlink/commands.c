// SPDX-License-Identifier: GPL-2.0
/*
 * Commands that the IPVS_LITE family and the IPVS ABI carry out alike,
 * on the same core, whatever attributes named their objects.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink/commands.h"

/* Every change to a netns's services is made under its config lock. */
int ipvl_cmd_locked(struct genl_info *info,
		    int (*fn)(struct ipvl_net *ipvl, struct genl_info *info))
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	int ret;

	mutex_lock(&ipvl->lock);
	ret = fn(ipvl, info);
	mutex_unlock(&ipvl->lock);
	return ret;
}

int ipvl_cmd_del_service(struct genl_info *info,
			 struct ipvl_service *(*find)(struct ipvl_net *ipvl,
						      struct genl_info *info))
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_service *svc;
	int ret = 0;

	mutex_lock(&ipvl->lock);
	svc = find(ipvl, info);
	if (IS_ERR(svc))
		ret = PTR_ERR(svc);
	else
		ipvl_service_del(ipvl, svc);
	mutex_unlock(&ipvl->lock);
	return ret;
}

/* A request that names no service zeroes every service of the netns. */
int ipvl_cmd_zero(struct genl_info *info, bool all,
		  struct ipvl_service *(*find)(struct ipvl_net *ipvl,
					       struct genl_info *info))
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_service *svc = NULL;
	int ret = 0;

	mutex_lock(&ipvl->lock);
	if (!all)
		svc = find(ipvl, info);
	if (IS_ERR(svc))
		ret = PTR_ERR(svc);
	else if (svc)
		ipvl_service_zero(svc);
	else
		ipvl_service_zero_all(ipvl);
	mutex_unlock(&ipvl->lock);
	return ret;
}

int ipvl_cmd_flush(struct genl_info *info)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));

	mutex_lock(&ipvl->lock);
	ipvl_service_flush(ipvl);
	mutex_unlock(&ipvl->lock);
	return 0;
}

struct sk_buff *ipvl_cmd_reply_new(struct genl_info *info,
				   const struct genl_family *family, u8 cmd,
				   void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!msg)
		return ERR_PTR(-ENOMEM);
	*hdr = genlmsg_put_reply(msg, info, family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return ERR_PTR(-EMSGSIZE);
	}
	return msg;
}

/* @failed: an attribute did not fit, and the reply is dropped. */
int ipvl_cmd_reply_send(struct sk_buff *msg, void *hdr,
			struct genl_info *info, bool failed)
{
	if (failed) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Zero or absent leaves a timeout as it is, as with ipvsadm --set. */
static void set_timeout(const struct nlattr *attr, unsigned long *t)
{
	u32 secs = attr ? nla_get_u32(attr) : 0;

	if (secs)
		WRITE_ONCE(*t, (unsigned long)secs * HZ);
}

int ipvl_cmd_set_timeouts(struct genl_info *info,
			  const struct ipvl_cmd_timeouts *attrs)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	struct ipvl_timeouts *t = &ipvl->timeouts;

	mutex_lock(&ipvl->lock);
	set_timeout(info->attrs[attrs->tcp], &t->tcp_est);
	set_timeout(info->attrs[attrs->tcp_fin], &t->tcp_fin);
	set_timeout(info->attrs[attrs->udp], &t->udp);
	mutex_unlock(&ipvl->lock);
	return 0;
}

int ipvl_cmd_get_timeouts(struct genl_info *info,
			  const struct genl_family *family, u8 cmd,
			  const struct ipvl_cmd_timeouts *attrs)
{
	struct ipvl_net *ipvl = ipvl_net(genl_info_net(info));
	const struct ipvl_timeouts *t = &ipvl->timeouts;
	struct sk_buff *msg;
	bool failed;
	void *hdr;

	msg = ipvl_cmd_reply_new(info, family, cmd, &hdr);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	failed = nla_put_u32(msg, attrs->tcp, READ_ONCE(t->tcp_est) / HZ) ||
		 nla_put_u32(msg, attrs->tcp_fin, READ_ONCE(t->tcp_fin) / HZ) ||
		 nla_put_u32(msg, attrs->udp, READ_ONCE(t->udp) / HZ);
	return ipvl_cmd_reply_send(msg, hdr, info, failed);
}

/* Where a dump that filled one message goes on in the next. */
struct svc_dump_ctx {
	unsigned int bucket;
	unsigned int idx;
};

/* @fill puts one service in its own message, or fails when it is full. */
int ipvl_cmd_dump_services(struct sk_buff *skb, struct netlink_callback *cb,
			   int (*fill)(struct sk_buff *skb,
				       struct netlink_callback *cb,
				       struct ipvl_service *svc))
{
	struct svc_dump_ctx *ctx = (struct svc_dump_ctx *)cb->ctx;
	struct ipvl_net *ipvl = ipvl_net(sock_net(skb->sk));
	struct ipvl_service *svc;
	unsigned int idx;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&ipvl->lock);
	for (; ctx->bucket < HASH_SIZE(ipvl->svc_tab); ctx->bucket++) {
		idx = 0;
		hlist_for_each_entry(svc, &ipvl->svc_tab[ctx->bucket], node) {
			if (idx++ < ctx->idx)
				continue;
			if (fill(skb, cb, svc))
				goto out;
			ctx->idx++;
		}
		ctx->idx = 0;
	}
out:
	mutex_unlock(&ipvl->lock);
	return skb->len;
}
