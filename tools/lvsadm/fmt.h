/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: text pieces of the listing and of the rules format.
 *
 * The widths, truncations and number suffixes follow ipvsadm 1.31 so
 * that scripts parsing its output keep working.
 */
#ifndef LVSADM_FMT_H
#define LVSADM_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "types.h"

#define LVS_FMT_NUMERIC	0x01	/* -n: no name lookups */
#define LVS_FMT_RULE	0x02	/* -S: rules, not a table */
#define LVS_FMT_STATS	0x04	/* --stats */
#define LVS_FMT_EXACT	0x08	/* --exact: no K/M/G/T rounding */
#define LVS_FMT_NOSORT	0x10	/* --nosort: services in kernel order */

/* host:port as ipvsadm renders it never exceeds 59 characters. */
#define LVS_ADDRPORT_LEN	60
/* Table columns: "Prot LocalAddress:Port" and "RemoteAddress:Port". */
#define LVS_SVC_COL	33
#define LVS_DEST_COL	28
/* Room for any service or real server label or rule prefix. */
#define LVS_NAME_LEN	128
/* One number column: at most 20 digits, a blank and a suffix. */
#define LVS_NUM_LEN	24

const char *lvs_proto_name(uint8_t proto);
const char *lvs_proto_switch(uint8_t proto);
const char *lvs_fwd_name(uint8_t fwd);
const char *lvs_fwd_switch(uint8_t fwd);

void lvs_fmt_largenum(char *buf, size_t len, uint64_t v, bool exact);
void lvs_fmt_addrport(char *buf, size_t len, uint16_t af,
		      const union lvs_inaddr *addr, uint16_t port,
		      uint8_t proto, bool numeric);
void lvs_fmt_svc_name(char *buf, size_t len, const struct lvs_service *svc,
		      unsigned int fmt);
void lvs_fmt_dest_name(char *buf, size_t len, const struct lvs_service *svc,
		       const struct lvs_dest *dest, unsigned int fmt);
void lvs_fmt_svc_rule(char *buf, size_t len, const struct lvs_service *svc,
		      unsigned int fmt);
void lvs_fmt_dest_rule(char *buf, size_t len, const struct lvs_service *svc,
		       const struct lvs_dest *dest, unsigned int fmt);

#endif /* LVSADM_FMT_H */
