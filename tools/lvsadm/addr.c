// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

/* Longest host[:port] argument worth looking at; names are <= 253. */
#define LVS_ARG_MAX	512

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/*
 * Only plain decimal digits: strtoul() alone would also take signs,
 * leading blanks and "-1" wrapped to ULONG_MAX.
 */
int lvs_parse_ulong(const char *s, unsigned long min, unsigned long max,
		    unsigned long *val)
{
	unsigned long v;
	char *end;

	if (!all_digits(s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*val = v;
	return 0;
}

const char *lvs_proto_dbname(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_SCTP:
		return "sctp";
	default:
		return NULL;
	}
}

int lvs_parse_port(const char *s, uint8_t proto, uint16_t *port)
{
	const char *db = lvs_proto_dbname(proto);
	struct servent *se;
	unsigned long v;

	if (all_digits(s)) {
		if (lvs_parse_ulong(s, 0, 65535, &v))
			return LVS_ADDR_PORT_RANGE;
		*port = v;
		return LVS_ADDR_OK;
	}
	if (!*s || !db)
		return LVS_ADDR_SYNTAX;
	se = getservbyname(s, db);
	if (!se || !se->s_port)
		return LVS_ADDR_PORT_NAME;
	*port = ntohs(se->s_port);
	return LVS_ADDR_OK;
}

static int resolve_v4(const char *host, struct in_addr *addr)
{
	struct addrinfo hints = {
		.ai_family = AF_INET,
		.ai_socktype = SOCK_STREAM,
	};
	struct addrinfo *res;

	if (inet_pton(AF_INET, host, addr) == 1)
		return LVS_ADDR_OK;
	/* A bare number is a typo for a port, not an address. */
	if (!*host || all_digits(host))
		return LVS_ADDR_SYNTAX;
	if (getaddrinfo(host, NULL, &hints, &res) || !res)
		return LVS_ADDR_HOST;
	*addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return LVS_ADDR_OK;
}

/* "[v6]" or "[v6]:port"; buf is a writable copy of the argument. */
static int parse_bracketed(char *buf, uint8_t proto, struct lvs_endpoint *ep)
{
	char *close = strchr(buf, ']');

	if (!close)
		return LVS_ADDR_SYNTAX;
	*close = '\0';
	if (inet_pton(AF_INET6, buf + 1, &ep->addr.v6) != 1)
		return LVS_ADDR_SYNTAX;
	ep->af = AF_INET6;
	if (!close[1])
		return LVS_ADDR_OK;
	if (close[1] != ':')
		return LVS_ADDR_SYNTAX;
	ep->has_port = true;
	return lvs_parse_port(close + 2, proto, &ep->port);
}

/* "host", "host:port", or an unbracketed IPv6 address without a port. */
static int parse_plain(char *buf, uint8_t proto, struct lvs_endpoint *ep)
{
	char *colon = strrchr(buf, ':');
	int ret;

	if (colon && strchr(buf, ':') != colon) {
		if (inet_pton(AF_INET6, buf, &ep->addr.v6) != 1)
			return LVS_ADDR_SYNTAX;
		ep->af = AF_INET6;
		return LVS_ADDR_OK;
	}
	if (colon)
		*colon = '\0';
	ret = resolve_v4(buf, &ep->addr.v4);
	if (ret)
		return ret;
	ep->af = AF_INET;
	ep->has_port = colon;
	return colon ? lvs_parse_port(colon + 1, proto, &ep->port) :
		       LVS_ADDR_OK;
}

int lvs_parse_endpoint(const char *arg, uint8_t proto,
		       struct lvs_endpoint *ep)
{
	char buf[LVS_ARG_MAX];

	memset(ep, 0, sizeof(*ep));
	if (!arg || !*arg || strlen(arg) >= sizeof(buf))
		return LVS_ADDR_SYNTAX;
	strcpy(buf, arg);
	if (buf[0] == '[')
		return parse_bracketed(buf, proto, ep);
	return parse_plain(buf, proto, ep);
}

const char *lvs_addr_strerror(int err)
{
	switch (err) {
	case LVS_ADDR_OK:
		return "no error";
	case LVS_ADDR_HOST:
		return "host name does not resolve to an IPv4 address";
	case LVS_ADDR_PORT_NAME:
		return "unknown service name";
	case LVS_ADDR_PORT_RANGE:
		return "port out of range 0..65535";
	default:
		return "expected host[:port] or [ipv6-address][:port]";
	}
}

/*
 * A dotted IPv4 netmask (or a host name resolving to one, as ipvsadm
 * allows) as a prefix length; masks with holes are refused since the
 * kernel groups clients by prefix.
 */
int lvs_parse_mask(const char *s)
{
	struct in_addr a;
	uint32_t m;
	int len;

	if (resolve_v4(s, &a))
		return LVS_MASK_SYNTAX;
	m = ntohl(a.s_addr);
	for (len = 0; len < 32 && (m & (0x80000000U >> len)); len++)
		;
	if (len < 32 && (m << len))
		return LVS_MASK_HOLES;
	return len;
}

static void addr_numeric(char *buf, size_t len, uint16_t af,
			 const union ipvl_addr *addr)
{
	if (!inet_ntop(af, addr, buf, len))
		snprintf(buf, len, "?");
}

/* The host name when the resolver knows one, else the address. */
void lvs_addr_name(char *buf, size_t len, uint16_t af,
		   const union ipvl_addr *addr, bool numeric)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr *sa;
	socklen_t salen;

	if (numeric || (af != AF_INET && af != AF_INET6)) {
		addr_numeric(buf, len, af, addr);
		return;
	}
	if (af == AF_INET) {
		sin.sin_addr = addr->v4;
		sa = (struct sockaddr *)&sin;
		salen = sizeof(sin);
	} else {
		sin6.sin6_addr = addr->v6;
		sa = (struct sockaddr *)&sin6;
		salen = sizeof(sin6);
	}
	if (getnameinfo(sa, salen, buf, len, NULL, 0, NI_NAMEREQD))
		addr_numeric(buf, len, af, addr);
}

/* The services database name for the service's protocol, else digits. */
void lvs_port_name(char *buf, size_t len, uint16_t port, uint8_t proto,
		   bool numeric)
{
	const char *db = lvs_proto_dbname(proto);
	struct servent *se = NULL;

	if (!numeric && db)
		se = getservbyport(htons(port), db);
	if (se)
		snprintf(buf, len, "%s", se->s_name);
	else
		snprintf(buf, len, "%u", port);
}
