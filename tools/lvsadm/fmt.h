/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: text pieces of the listings and of the rules format.
 *
 * The widths, truncations and number suffixes follow ipvsadm 1.31 so
 * that scripts parsing its output keep working.
 */
#ifndef LVSADM_FMT_H
#define LVSADM_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

#define LVS_FMT_NUMERIC		0x001	/* -n: no name lookups */
#define LVS_FMT_RULE		0x002	/* -S: rules, not a table */
#define LVS_FMT_STATS		0x004	/* --stats */
#define LVS_FMT_EXACT		0x008	/* --exact: no K/M/G/T rounding */
#define LVS_FMT_NOSORT		0x010	/* --nosort: kernel order */
#define LVS_FMT_RATE		0x020	/* --rate */
#define LVS_FMT_THRESHOLDS	0x040	/* --thresholds */
#define LVS_FMT_PERSISTCONN	0x080	/* --persistent-conn */
#define LVS_FMT_CONN		0x100	/* -c: the connection table */
#define LVS_FMT_JSON		0x200	/* --json */
#define LVS_FMT_TUN_INFO	0x400	/* --tun-info */

/* host:port as ipvsadm renders it never exceeds 59 characters. */
#define LVS_ADDRPORT_LEN	60
/* Table columns: "Prot LocalAddress:Port" and "RemoteAddress:Port". */
#define LVS_SVC_COL		33
#define LVS_DEST_COL		28
/* Room for any service or real server label or rule prefix. */
#define LVS_NAME_LEN		128
/* A service's flags column, or a rule's options after the name. */
#define LVS_FLAGS_LEN		96
/* One number column: at most 20 digits, a blank and a suffix. */
#define LVS_NUM_LEN		24
/* One line of the connection listing. */
#define LVS_CONN_LEN		(4 * LVS_ADDRPORT_LEN)

/* ipvsadm's -b: IPVL_SVC_F_SCHED_* by name, see lvs_sched_flag(). */
#define LVS_SCHED_FLAGS		(IPVL_SVC_F_SCHED_FALLBACK | \
				 IPVL_SVC_F_SCHED_PORT)
#define LVS_SCHED_FLAG_UNKNOWN	-1	/* no such name */
#define LVS_SCHED_FLAG_OTHER	-2	/* another scheduler's name */

const char *lvs_proto_name(uint8_t proto);
const char *lvs_proto_switch(uint8_t proto);
const char *lvs_fwd_name(uint8_t fwd);
void lvs_fmt_tun_info(char *buf, size_t len, const struct ipvl_dest *dest);
const char *lvs_fwd_switch(uint8_t fwd);

void lvs_fmt_largenum(char *buf, size_t len, uint64_t v, bool exact);
void lvs_fmt_addrport(char *buf, size_t len, uint16_t af,
		      const union ipvl_addr *addr, uint16_t port,
		      uint8_t proto, bool numeric);
void lvs_fmt_netmask(char *buf, size_t len, uint16_t af, uint32_t prefix);
void lvs_fmt_svc_name(char *buf, size_t len, const struct ipvl_service *svc,
		      unsigned int fmt);
int lvs_sched_flag(const char *sched, const char *name, size_t len,
		   uint32_t *flag);
void lvs_fmt_sched_flags(char *buf, size_t len,
			 const struct ipvl_service *svc);
void lvs_fmt_svc_flags(char *buf, size_t len,
		       const struct ipvl_service *svc);
void lvs_fmt_dest_name(char *buf, size_t len, const struct ipvl_service *svc,
		       const struct ipvl_dest *dest, unsigned int fmt);
void lvs_fmt_svc_rule(char *buf, size_t len, const struct ipvl_service *svc,
		      unsigned int fmt);
void lvs_fmt_dest_rule(char *buf, size_t len, const struct ipvl_service *svc,
		       const struct ipvl_dest *dest, unsigned int fmt);
void lvs_fmt_conn(char *buf, size_t len, const struct ipvl_conn *c,
		  unsigned int fmt);

#endif /* LVSADM_FMT_H */
