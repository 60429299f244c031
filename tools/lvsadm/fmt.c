// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <netdb.h>
#include <stdio.h>

#include "addr.h"
#include "fmt.h"

const char *lvs_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	default:
		return "?";
	}
}

const char *lvs_proto_switch(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "-t";
	case IPPROTO_UDP:
		return "-u";
	default:
		return "--xxx-service";
	}
}

const char *lvs_fwd_name(uint8_t fwd)
{
	switch (fwd) {
	case IPVL_FWD_DR:
		return "Route";
	case IPVL_FWD_NAT:
		return "Masq";
	case IPVL_FWD_TUN:
		return "Tunnel";
	default:
		return "?";
	}
}

const char *lvs_fwd_switch(uint8_t fwd)
{
	switch (fwd) {
	case IPVL_FWD_DR:
		return "-g";
	case IPVL_FWD_NAT:
		return "-m";
	case IPVL_FWD_TUN:
		return "-i";
	default:
		return "-?";
	}
}

/*
 * A 9-column counter: exact below 100 million, else scaled down with
 * a K/M/G/T suffix so that the columns stay aligned.
 */
void lvs_fmt_largenum(char *buf, size_t len, uint64_t v, bool exact)
{
	static const struct {
		uint64_t below;
		uint64_t div;
		char suffix;
	} scale[] = {
		{ 1000000000ULL, 1000ULL, 'K' },
		{ 100000000000ULL, 1000000ULL, 'M' },
		{ 100000000000000ULL, 1000000000ULL, 'G' },
		{ UINT64_MAX, 1000000000000ULL, 'T' },
	};
	char digits[LVS_NUM_LEN];
	unsigned int i;
	int n;

	if (exact) {
		n = snprintf(digits, sizeof(digits), "%" PRIu64, v);
		snprintf(buf, len, "%*s", n <= 8 ? 9 : n + 1, digits);
		return;
	}
	if (v < 100000000ULL) {
		snprintf(buf, len, "%9" PRIu64, v);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(scale) - 1; i++)
		if (v < scale[i].below)
			break;
	snprintf(buf, len, "%8" PRIu64 "%c", v / scale[i].div,
		 scale[i].suffix);
}

/* Like ipvsadm, a name longer than LVS_ADDRPORT_LEN - 1 is cut. */
void lvs_fmt_addrport(char *buf, size_t len, uint16_t af,
		      const union lvs_inaddr *addr, uint16_t port,
		      uint8_t proto, bool numeric)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	char full[sizeof(host) + sizeof(serv) + 4];
	bool v6 = af == AF_INET6;

	lvs_addr_name(host, sizeof(host), af, addr, numeric);
	lvs_port_name(serv, sizeof(serv), port, proto, numeric);
	snprintf(full, sizeof(full), "%s%s%s:%s", v6 ? "[" : "", host,
		 v6 ? "]" : "", serv);
	snprintf(buf, len, "%.*s", LVS_ADDRPORT_LEN - 1, full);
}

/* "TCP  host:port" in the table (cut to the column), "-t host:port" in rules. */
void lvs_fmt_svc_name(char *buf, size_t len, const struct lvs_service *svc,
		      unsigned int fmt)
{
	char ap[LVS_ADDRPORT_LEN];

	lvs_fmt_addrport(ap, sizeof(ap), svc->af, &svc->addr, svc->port,
			 svc->protocol, fmt & LVS_FMT_NUMERIC);
	if (fmt & LVS_FMT_RULE) {
		snprintf(buf, len, "%s %s", lvs_proto_switch(svc->protocol),
			 ap);
		return;
	}
	snprintf(buf, len, "%-4s %s", lvs_proto_name(svc->protocol), ap);
	/* IPv6 names may overflow the column: ipvsadm keeps them whole. */
	if (svc->af != AF_INET6 && len > LVS_SVC_COL)
		buf[LVS_SVC_COL] = '\0';
}

void lvs_fmt_dest_name(char *buf, size_t len, const struct lvs_service *svc,
		       const struct lvs_dest *dest, unsigned int fmt)
{
	lvs_fmt_addrport(buf, len, dest->af, &dest->addr, dest->port,
			 svc->protocol, fmt & LVS_FMT_NUMERIC);
	if (!(fmt & LVS_FMT_RULE) && dest->af != AF_INET6 &&
	    len > LVS_DEST_COL)
		buf[LVS_DEST_COL] = '\0';
}

void lvs_fmt_svc_rule(char *buf, size_t len, const struct lvs_service *svc,
		      unsigned int fmt)
{
	char name[LVS_NAME_LEN];

	lvs_fmt_svc_name(name, sizeof(name), svc, fmt | LVS_FMT_RULE);
	snprintf(buf, len, "-A %s -s %s", name, svc->sched);
}

void lvs_fmt_dest_rule(char *buf, size_t len, const struct lvs_service *svc,
		       const struct lvs_dest *dest, unsigned int fmt)
{
	char sname[LVS_NAME_LEN], dname[LVS_ADDRPORT_LEN];

	lvs_fmt_svc_name(sname, sizeof(sname), svc, fmt | LVS_FMT_RULE);
	lvs_fmt_dest_name(dname, sizeof(dname), svc, dest,
			  fmt | LVS_FMT_RULE);
	snprintf(buf, len, "-a %s -r %s %s -w %d", sname, dname,
		 lvs_fwd_switch(dest->fwd), (int)dest->weight);
}
