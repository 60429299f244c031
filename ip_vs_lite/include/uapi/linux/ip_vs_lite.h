/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ip_vs_lite generic netlink interface.
 *
 * The family is flat: every command carries the attributes it needs at
 * the top level. A service is named by (AF, PROTOCOL, ADDR, PORT); a real
 * server additionally by (DEST_AF, DEST_ADDR, DEST_PORT). Addresses carry
 * their family so that IPv4 and IPv6 share one attribute set.
 */
#ifndef _UAPI_LINUX_IP_VS_LITE_H
#define _UAPI_LINUX_IP_VS_LITE_H

#include <linux/types.h>

#define IPVL_GENL_NAME		"IPVS_LITE"
#define IPVL_GENL_VERSION	1

#define IPVL_SCHED_NAME_MAX	16

/* Version reported by IPVL_CMD_GET_INFO, as (major << 16 | minor << 8 | patch). */
#define IPVL_VERSION_CODE	0x010000

enum ipvl_cmd {
	IPVL_CMD_UNSPEC,
	IPVL_CMD_NEW_SERVICE,	/* add a virtual service */
	IPVL_CMD_SET_SERVICE,	/* edit a virtual service */
	IPVL_CMD_DEL_SERVICE,	/* delete a virtual service */
	IPVL_CMD_GET_SERVICE,	/* get one service, or dump all */
	IPVL_CMD_NEW_DEST,	/* add a real server to a service */
	IPVL_CMD_SET_DEST,	/* edit a real server */
	IPVL_CMD_DEL_DEST,	/* delete a real server */
	IPVL_CMD_GET_DEST,	/* dump the real servers of one service */
	IPVL_CMD_FLUSH,		/* delete every service */
	IPVL_CMD_ZERO,		/* zero counters of one service, or all */
	IPVL_CMD_SET_TIMEOUT,	/* set tcp, tcpfin and udp timeouts */
	IPVL_CMD_GET_TIMEOUT,	/* get the timeouts */
	IPVL_CMD_GET_INFO,	/* version and connection table size */
	IPVL_CMD_GET_CONN,	/* dump the connection table */

	__IPVL_CMD_MAX,
	IPVL_CMD_MAX = __IPVL_CMD_MAX - 1
};

/* Service flags (IPVL_A_SVC_FLAGS). */
#define IPVL_SVC_F_PERSISTENT	0x0001	/* -p: client keeps its server */
#define IPVL_SVC_F_ONEPACKET	0x0002	/* -o: UDP, no connection entry */
#define IPVL_SVC_F_SLOPPY	0x0004	/* schedule mid-stream TCP too */
/*
 * Scheduler flags, ipvsadm's -b: any service may carry them, the
 * schedulers that know them read them. sh and mh hash the source port
 * as well with SCHED_PORT (sh-port, mh-port); SCHED_FALLBACK
 * (sh-fallback, mh-fallback) is kept for ipvsadm's sake only, as they
 * always fall back to the next usable server.
 */
#define IPVL_SVC_F_SCHED_FALLBACK 0x0008
#define IPVL_SVC_F_SCHED_PORT	0x0010
#define IPVL_SVC_F_ALL		(IPVL_SVC_F_PERSISTENT | IPVL_SVC_F_ONEPACKET | \
				 IPVL_SVC_F_SLOPPY | IPVL_SVC_F_SCHED_FALLBACK | \
				 IPVL_SVC_F_SCHED_PORT)

/* Connection flags (IPVL_A_CONN_FLAGS). */
#define IPVL_CONN_F_TEMPLATE	0x0001	/* persistence template */

/* Forwarding methods (IPVL_A_DEST_FWD). */
enum ipvl_fwd {
	IPVL_FWD_DR = 1,	/* direct routing ("gatewaying", -g) */
	IPVL_FWD_NAT,		/* masquerading (-m) */
	IPVL_FWD_TUN,		/* IP-in-IP tunnelling (-i) */
	__IPVL_FWD_MAX,
	IPVL_FWD_MAX = __IPVL_FWD_MAX - 1
};

/*
 * How a tunnelling real server's packets are wrapped (IPVL_A_DEST_TUN_TYPE):
 * IP-in-IP, IP in Generic UDP Encapsulation to IPVL_A_DEST_TUN_PORT, or IP
 * in GRE. The values are IPVS's.
 */
enum ipvl_tun_type {
	IPVL_TUN_IPIP,
	IPVL_TUN_GUE,
	IPVL_TUN_GRE,
	__IPVL_TUN_MAX,
	IPVL_TUN_MAX = __IPVL_TUN_MAX - 1
};

/* Tunnel flags (IPVL_A_DEST_TUN_FLAGS); none: no checksum. */
#define IPVL_TUN_F_CSUM		0x0001	/* GUE: UDP checksum; GRE: GRE checksum */
#define IPVL_TUN_F_REMCSUM	0x0002	/* GUE: remote checksum offload */
#define IPVL_TUN_F_ALL		(IPVL_TUN_F_CSUM | IPVL_TUN_F_REMCSUM)

enum ipvl_attr {
	IPVL_A_UNSPEC,

	/* service */
	IPVL_A_SVC_AF,		/* u16: AF_INET or AF_INET6 */
	IPVL_A_SVC_PROTOCOL,	/* u8: IPPROTO_TCP, IPPROTO_UDP or IPPROTO_SCTP */
	IPVL_A_SVC_ADDR,	/* binary: 4 bytes (AF_INET) or 16 (AF_INET6) */
	IPVL_A_SVC_PORT,	/* u16, network byte order, 1..65535 */
	IPVL_A_SVC_SCHED_NAME,	/* string, at most IPVL_SCHED_NAME_MAX - 1 */
	IPVL_A_SVC_FLAGS,	/* u32: IPVL_SVC_F_* */
	IPVL_A_SVC_STATS,	/* nest: IPVL_STATS_* (output only) */

	/* real server */
	IPVL_A_DEST_AF,		/* u16: address family of DEST_ADDR */
	IPVL_A_DEST_ADDR,	/* binary: 4 or 16 bytes */
	IPVL_A_DEST_PORT,	/* u16, network byte order; 0 = service port */
	IPVL_A_DEST_FWD,	/* u8: enum ipvl_fwd */
	IPVL_A_DEST_WEIGHT,	/* u32: 0..65535, 0 = quiesced */
	IPVL_A_DEST_ACTIVE_CONNS,	/* u32 (output only) */
	IPVL_A_DEST_INACT_CONNS,	/* u32 (output only) */
	IPVL_A_DEST_STATS,	/* nest: IPVL_STATS_* (output only) */

	/* timeouts, seconds */
	IPVL_A_TIMEOUT_TCP,	/* u32: established TCP */
	IPVL_A_TIMEOUT_TCP_FIN,	/* u32: TCP after FIN */
	IPVL_A_TIMEOUT_UDP,	/* u32: UDP */

	/* info */
	IPVL_A_INFO_VERSION,	/* u32: IPVL_VERSION_CODE */
	IPVL_A_INFO_CONN_TAB_SIZE,	/* u32: number of hash buckets */
	IPVL_A_INFO_CONN_COUNT,	/* u32: live connections in this netns */

	IPVL_A_PAD,

	/* service, continued */
	IPVL_A_SVC_FWMARK,	/* u32: firewall-mark service (no proto/addr/port) */
	IPVL_A_SVC_TIMEOUT,	/* u32: persistence timeout, seconds */
	IPVL_A_SVC_NETMASK,	/* u32: persistence prefix length (0..32, 0..128) */

	/* real server, continued */
	IPVL_A_DEST_U_THRESH,	/* u32: upper connection threshold, 0 = none */
	IPVL_A_DEST_L_THRESH,	/* u32: lower connection threshold */
	IPVL_A_DEST_PERSIST_CONNS,	/* u32 (output only): templates */

	/* connection (IPVL_CMD_GET_CONN replies) */
	IPVL_A_CONN_AF,		/* u16 */
	IPVL_A_CONN_PROTOCOL,	/* u8; 0 for persistence templates */
	IPVL_A_CONN_CADDR,	/* binary: client address */
	IPVL_A_CONN_CPORT,	/* u16, network byte order */
	IPVL_A_CONN_VADDR,	/* binary: virtual address */
	IPVL_A_CONN_VPORT,	/* u16, network byte order */
	IPVL_A_CONN_DADDR,	/* binary: real server address */
	IPVL_A_CONN_DPORT,	/* u16, network byte order */
	IPVL_A_CONN_FWD,	/* u8: enum ipvl_fwd */
	IPVL_A_CONN_STATE,	/* string: ESTABLISHED, SYN_RECV, ... */
	IPVL_A_CONN_EXPIRES,	/* u32: milliseconds until expiry, at most U32_MAX */
	IPVL_A_CONN_FLAGS,	/* u32: IPVL_CONN_F_* */
	IPVL_A_CONN_FWMARK,	/* u32: templates of fwmark services */

	/* info, continued */
	IPVL_A_INFO_CONN_MAX,	/* u32: connection limit of this netns */
	IPVL_A_INFO_DROPS,	/* nest: IPVL_DROP_* u64 counters */

	/*
	 * flag: in IPVL_CMD_DEL_DEST, drain the real server (weight 0, then
	 * deleted once its last connection has gone) instead of cutting its
	 * connections; in replies, the real server is draining.
	 */
	IPVL_A_DEST_DRAIN,

	/* real server, continued: the tunnel of IPVL_FWD_TUN */
	IPVL_A_DEST_TUN_TYPE,	/* u8: enum ipvl_tun_type, default IPIP */
	IPVL_A_DEST_TUN_PORT,	/* u16, network byte order: GUE's UDP port */
	IPVL_A_DEST_TUN_FLAGS,	/* u16: IPVL_TUN_F_* */

	__IPVL_A_MAX,
	IPVL_A_MAX = __IPVL_A_MAX - 1
};

/* Counters (nested in IPVL_A_SVC_STATS and IPVL_A_DEST_STATS), all u64. */
enum ipvl_stats_attr {
	IPVL_STATS_UNSPEC,
	IPVL_STATS_CONNS,	/* connections scheduled */
	IPVL_STATS_INPKTS,	/* packets client -> real server */
	IPVL_STATS_OUTPKTS,	/* packets real server -> client (NAT only) */
	IPVL_STATS_INBYTES,
	IPVL_STATS_OUTBYTES,
	IPVL_STATS_PAD,
	/* rates, averaged over about 2 s samples; bytes per second */
	IPVL_STATS_CPS,
	IPVL_STATS_INPPS,
	IPVL_STATS_OUTPPS,
	IPVL_STATS_INBPS,
	IPVL_STATS_OUTBPS,

	__IPVL_STATS_MAX,
	IPVL_STATS_MAX = __IPVL_STATS_MAX - 1
};

/* Drop counters (nested in IPVL_A_INFO_DROPS), all u64. */
enum ipvl_drop_attr {
	IPVL_DROP_UNSPEC,
	IPVL_DROP_NO_DEST,	/* no usable real server: ICMP unreachable */
	IPVL_DROP_DEST_GONE,	/* connection's real server was deleted */
	IPVL_DROP_NO_ROUTE,	/* no route to the real server */
	IPVL_DROP_TOO_BIG,	/* larger than the path MTU: ICMP sent */
	IPVL_DROP_CONN_LIMIT,	/* connection table full */
	IPVL_DROP_NO_MEM,	/* allocation failed */
	IPVL_DROP_PAD,

	__IPVL_DROP_MAX,
	IPVL_DROP_MAX = __IPVL_DROP_MAX - 1
};

#endif /* _UAPI_LINUX_IP_VS_LITE_H */
