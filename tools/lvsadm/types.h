/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: the objects the tool reads from and writes to the kernel.
 *
 * Ports are kept in host byte order here; the conversion to the network
 * order the family uses happens only when a message is built or parsed.
 */
#ifndef LVSADM_TYPES_H
#define LVSADM_TYPES_H

#include <netinet/in.h>
#include <stdint.h>

#include <linux/ip_vs_lite.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

union lvs_inaddr {
	struct in_addr v4;
	struct in6_addr v6;
};

struct lvs_stats {
	uint64_t conns;
	uint64_t inpkts;
	uint64_t outpkts;
	uint64_t inbytes;
	uint64_t outbytes;
};

struct lvs_service {
	uint16_t af;
	uint8_t protocol;
	union lvs_inaddr addr;
	uint16_t port;
	char sched[IPVL_SCHED_NAME_MAX];
	uint32_t flags;
	struct lvs_stats stats;
};

struct lvs_dest {
	uint16_t af;
	union lvs_inaddr addr;
	uint16_t port;
	uint8_t fwd;
	uint32_t weight;
	uint32_t activeconns;
	uint32_t inactconns;
	struct lvs_stats stats;
};

struct lvs_timeout {
	uint32_t tcp;
	uint32_t tcp_fin;
	uint32_t udp;
};

struct lvs_info {
	uint32_t version;
	uint32_t conn_tab_size;
	uint32_t conn_count;
};

static inline unsigned int lvs_addr_len(uint16_t af)
{
	return af == AF_INET6 ? sizeof(struct in6_addr) :
				sizeof(struct in_addr);
}

#endif /* LVSADM_TYPES_H */
