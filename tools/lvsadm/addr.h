/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: addresses and ports as the user writes and reads them.
 */
#ifndef LVSADM_ADDR_H
#define LVSADM_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

enum lvs_addr_err {
	LVS_ADDR_OK,
	LVS_ADDR_SYNTAX,	/* not host[:port] nor [ipv6][:port] */
	LVS_ADDR_HOST,		/* no IPv4 address for that host name */
	LVS_ADDR_PORT_NAME,	/* no such service in the services database */
	LVS_ADDR_PORT_RANGE,	/* numeric port above 65535 */
};

/* An address with an optional port. */
struct lvs_endpoint {
	uint16_t af;
	union ipvl_addr addr;
	uint16_t port;
	bool has_port;		/* written, even if 0 */
};

/* lvs_parse_mask() failures; success is a prefix length 0..32. */
#define LVS_MASK_SYNTAX	(-1)	/* not an IPv4 mask */
#define LVS_MASK_HOLES	(-2)	/* ones after a zero */

int lvs_parse_endpoint(const char *arg, uint8_t proto,
		       struct lvs_endpoint *ep);
int lvs_parse_port(const char *s, uint8_t proto, uint16_t *port);
int lvs_parse_ulong(const char *s, unsigned long min, unsigned long max,
		    unsigned long *val);
const char *lvs_addr_strerror(int err);
int lvs_parse_mask(const char *s);

const char *lvs_proto_dbname(uint8_t proto);
void lvs_addr_name(char *buf, size_t len, uint16_t af,
		   const union ipvl_addr *addr, bool numeric);
void lvs_port_name(char *buf, size_t len, uint16_t port, uint8_t proto,
		   bool numeric);

#endif /* LVSADM_ADDR_H */
