/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libipvl: the ip_vs_lite table from userspace, over the IPVS_LITE
 * generic netlink family.
 *
 * One handle is one netlink socket. Every call either succeeds (returns
 * 0) or fails (returns -1) with the reason in ipvl_errmsg(): the
 * kernel's extack message when the kernel refused, else a sentence
 * saying what went wrong on this side. A change is exactly one request
 * that the kernel applies whole or not at all.
 *
 * Ports are in host byte order in every structure; addresses are in
 * network byte order, as inet_pton() writes them. Lists are returned in
 * memory the caller releases with free().
 */
#ifndef IPVL_H
#define IPVL_H

#include <linux/ip_vs_lite.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

union ipvl_addr {
	struct in_addr v4;
	struct in6_addr v6;
};

/* Totals and, where the kernel reports them, rates (0 if it does not). */
struct ipvl_stats {
	uint64_t conns;
	uint64_t inpkts;
	uint64_t outpkts;
	uint64_t inbytes;
	uint64_t outbytes;
	uint64_t cps;
	uint64_t inpps;
	uint64_t outpps;
	uint64_t inbps;
	uint64_t outbps;
};

/*
 * A virtual service: (af, protocol, addr, port), or (af, fwmark) when
 * fwmark is not 0. netmask is a prefix length; timeout is in seconds
 * and matters only with IPVL_SVC_F_PERSISTENT.
 */
struct ipvl_service {
	uint16_t af;
	uint8_t protocol;
	union ipvl_addr addr;
	uint16_t port;
	uint32_t fwmark;
	char sched[IPVL_SCHED_NAME_MAX];
	uint32_t flags;			/* IPVL_SVC_F_* */
	uint32_t timeout;
	uint32_t netmask;
	struct ipvl_stats stats;	/* output only */
};

struct ipvl_dest {
	uint16_t af;
	union ipvl_addr addr;
	uint16_t port;
	uint8_t fwd;			/* enum ipvl_fwd */
	uint8_t tun_type;		/* enum ipvl_tun_type */
	uint16_t tun_port;		/* GUE: the real server's UDP port */
	uint16_t tun_flags;		/* IPVL_TUN_F_* */
	uint32_t weight;
	uint32_t u_thresh;
	uint32_t l_thresh;
	bool drain;			/* delete: drain; listed: draining */
	uint32_t activeconns;		/* output only, from here on */
	uint32_t inactconns;
	uint32_t persistconns;
	struct ipvl_stats stats;
};

#define IPVL_STATE_LEN	16

struct ipvl_conn {
	uint16_t af;
	uint8_t protocol;		/* 0 for persistence templates */
	union ipvl_addr caddr;
	uint16_t cport;
	union ipvl_addr vaddr;
	uint16_t vport;
	union ipvl_addr daddr;
	uint16_t dport;
	uint8_t fwd;
	char state[IPVL_STATE_LEN];
	uint32_t expires_ms;
	uint32_t flags;			/* IPVL_CONN_F_* */
	uint32_t fwmark;
};

struct ipvl_timeout {
	uint32_t tcp;
	uint32_t tcp_fin;
	uint32_t udp;
};

struct ipvl_info {
	uint32_t version;		/* IPVL_VERSION_CODE layout */
	uint32_t conn_tab_size;
	uint32_t conn_count;
	uint32_t conn_max;		/* 0 if the kernel does not say */
	bool has_drops;
	uint64_t drops[IPVL_DROP_MAX + 1];	/* by enum ipvl_drop_attr */
};

/* What the kernel attached to its last answer. */
struct ipvl_ext {
	int error;			/* positive errno; 0 if accepted */
	char msg[256];			/* NLMSGERR_ATTR_MSG, "" if none */
	bool has_offs;
	uint32_t offs;			/* NLMSGERR_ATTR_OFFS */
	bool has_miss_type;
	uint16_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE */
};

struct ipvl_handle;

/*
 * Open a handle. On failure *hp may still hold a handle that carries
 * the reason (NULL only when out of memory); close it either way.
 */
int ipvl_open(struct ipvl_handle **hp);
void ipvl_close(struct ipvl_handle *h);
const char *ipvl_errmsg(const struct ipvl_handle *h);
/* The errno of the last failure: the kernel's, or the local one. */
int ipvl_errno(const struct ipvl_handle *h);
const struct ipvl_ext *ipvl_last_ext(const struct ipvl_handle *h);

int ipvl_get_info(struct ipvl_handle *h, struct ipvl_info *info);
int ipvl_get_timeout(struct ipvl_handle *h, struct ipvl_timeout *t);
/* A 0 leaves that timeout as it is. */
int ipvl_set_timeout(struct ipvl_handle *h, const struct ipvl_timeout *t);

/* Every service, in the kernel's order. */
int ipvl_get_services(struct ipvl_handle *h, struct ipvl_service **svcs,
		      size_t *n);
/* The service named by @key's identity. */
int ipvl_get_service(struct ipvl_handle *h, const struct ipvl_service *key,
		     struct ipvl_service *svc);
int ipvl_get_dests(struct ipvl_handle *h, const struct ipvl_service *svc,
		   struct ipvl_dest **dests, size_t *n);
/* The connection table; needs CAP_NET_ADMIN. */
int ipvl_get_conns(struct ipvl_handle *h, struct ipvl_conn **conns,
		   size_t *n);

/*
 * Add and edit send the whole configuration in @svc: scheduler (if not
 * empty), flags, netmask and, for a persistent service, the timeout
 * (if not 0). Delete sends the identity only.
 */
int ipvl_add_service(struct ipvl_handle *h, const struct ipvl_service *svc);
int ipvl_edit_service(struct ipvl_handle *h, const struct ipvl_service *svc);
int ipvl_del_service(struct ipvl_handle *h, const struct ipvl_service *svc);
/* Add and edit send forwarding method, weight and both thresholds. */
int ipvl_add_dest(struct ipvl_handle *h, const struct ipvl_service *svc,
		  const struct ipvl_dest *dest);
int ipvl_edit_dest(struct ipvl_handle *h, const struct ipvl_service *svc,
		   const struct ipvl_dest *dest);
int ipvl_del_dest(struct ipvl_handle *h, const struct ipvl_service *svc,
		  const struct ipvl_dest *dest);
int ipvl_flush(struct ipvl_handle *h);
/* Zero the counters of @svc, or of everything when @svc is NULL. */
int ipvl_zero(struct ipvl_handle *h, const struct ipvl_service *svc);

/* ipvsadm's listing orders: fwmark, family, protocol, address, port. */
int ipvl_service_cmp(const void *a, const void *b);
/* Address, then port. */
int ipvl_dest_cmp(const void *a, const void *b);
bool ipvl_same_service(const struct ipvl_service *a,
		       const struct ipvl_service *b);

static inline unsigned int ipvl_addr_len(uint16_t af)
{
	return af == AF_INET6 ? sizeof(struct in6_addr) :
				sizeof(struct in_addr);
}

/* Names of the IPVL_DROP_* counters, "" for unused numbers. */
const char *ipvl_drop_name(unsigned int type);

/*
 * Raw access, for requests the calls above never build: a request
 * header in @buf (IPVL_MSG_BUFSZ bytes), then one exchange. @cb sees
 * every data message of the reply and returns an MNL_CB_* value.
 */
#define IPVL_MSG_BUFSZ	1024

typedef int (*ipvl_msg_cb)(const struct nlmsghdr *nlh, void *data);

struct nlmsghdr *ipvl_msg_new(struct ipvl_handle *h, void *buf, uint8_t cmd,
			      uint16_t flags);
int ipvl_talk(struct ipvl_handle *h, struct nlmsghdr *req, ipvl_msg_cb cb,
	      void *data);

#endif /* IPVL_H */
