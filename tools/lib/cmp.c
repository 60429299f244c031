// SPDX-License-Identifier: GPL-2.0
/*
 * The orders ipvsadm lists services and real servers in.
 */
#include <arpa/inet.h>
#include <string.h>

#include "internal.h"

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_addr(uint16_t af, const union ipvl_addr *a,
		    const union ipvl_addr *b)
{
	if (af == AF_INET6)
		return memcmp(&a->v6, &b->v6, sizeof(a->v6));
	return cmp_u32(ntohl(a->v4.s_addr), ntohl(b->v4.s_addr));
}

/* Address services first, firewall-mark services after, by mark. */
int ipvl_service_cmp(const void *a, const void *b)
{
	const struct ipvl_service *x = a, *y = b;
	int r;

	r = cmp_u32(x->fwmark, y->fwmark);
	if (!r)
		r = cmp_u32(x->af, y->af);
	if (!r)
		r = cmp_u32(x->protocol, y->protocol);
	if (!r)
		r = cmp_addr(x->af, &x->addr, &y->addr);
	if (!r)
		r = cmp_u32(x->port, y->port);
	return r;
}

int ipvl_dest_cmp(const void *a, const void *b)
{
	const struct ipvl_dest *x = a, *y = b;
	int r;

	r = cmp_u32(x->af, y->af);
	if (!r)
		r = cmp_addr(x->af, &x->addr, &y->addr);
	if (!r)
		r = cmp_u32(x->port, y->port);
	return r;
}

bool ipvl_same_service(const struct ipvl_service *a,
		       const struct ipvl_service *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, ipvl_addr_len(a->af));
}
