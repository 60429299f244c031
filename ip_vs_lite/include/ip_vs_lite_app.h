/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ip_vs_lite application helpers: modules that read, and may rewrite, the
 * payload of the masqueraded TCP connections to the virtual ports they
 * claim, and announce the connections that payload says will follow, as
 * FTP's data connections. A helper is called under rcu_read_lock() from
 * the packet path, with the segment's payload in one linear piece.
 */
#ifndef _IP_VS_LITE_APP_H
#define _IP_VS_LITE_APP_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/types.h>

struct ipvl_app_ctx;

/* The connection a segment belongs to, as the helper may use it. */
struct ipvl_app_conn {
	u16 af;
	union nf_inet_addr caddr;	/* the client */
	union nf_inet_addr vaddr;	/* the virtual address */
	union nf_inet_addr daddr;	/* the real server */
	__be16 cport;
	__be16 vport;
	__be16 dport;
};

struct ipvl_app_ops {
	struct list_head list;
	const char *name;
	struct module *owner;
	/* Whether the helper takes masqueraded TCP connections to @vport. */
	bool (*claims)(__be16 vport);
	/* A segment from the client, before it is masqueraded. */
	void (*from_client)(struct ipvl_app_ctx *ctx,
			    const struct ipvl_app_conn *c,
			    const char *data, unsigned int len);
	/*
	 * A segment from the real server, before it gets the virtual source;
	 * returns true if it rewrote @data, whose length stays the same.
	 */
	bool (*from_server)(struct ipvl_app_ctx *ctx,
			    const struct ipvl_app_conn *c,
			    char *data, unsigned int len);
};

int ipvl_register_app(struct ipvl_app_ops *ops);
void ipvl_unregister_app(struct ipvl_app_ops *ops);

/*
 * From a callback: a TCP connection of the same client to @vport of the
 * same virtual address is to come, and goes masqueraded to @dport of the
 * same real server. @cport 0: from any port of the client, once, to be
 * opened by the client; otherwise from @cport, opened by either side.
 */
int ipvl_app_expect(struct ipvl_app_ctx *ctx, __be16 cport, __be16 vport,
		    __be16 dport);

#endif /* _IP_VS_LITE_APP_H */
