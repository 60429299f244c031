// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "fmt.h"

const char *lvs_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
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
	case IPPROTO_SCTP:
		return "--sctp-service";
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
		      const union ipvl_addr *addr, uint16_t port,
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

/* A firewall-mark service has no address: its mark stands for it. */
static void fwmark_name(char *buf, size_t len, const struct ipvl_service *svc,
			unsigned int fmt)
{
	bool v6 = svc->af == AF_INET6;

	if (fmt & LVS_FMT_RULE)
		snprintf(buf, len, "-f %u%s", svc->fwmark, v6 ? " -6" : "");
	else
		snprintf(buf, len, "FWM  %u%s", svc->fwmark, v6 ? " IPv6" : "");
}

/*
 * "TCP  host:port" in the table (cut to the column), "-t host:port" in
 * rules; SCTP has only the long option there, as in ipvsadm.
 */
void lvs_fmt_svc_name(char *buf, size_t len, const struct ipvl_service *svc,
		      unsigned int fmt)
{
	char ap[LVS_ADDRPORT_LEN];

	if (svc->fwmark) {
		fwmark_name(buf, len, svc, fmt);
		return;
	}
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

/* IPv4 masks read as dotted quads, IPv6 ones as a prefix length. */
void lvs_fmt_netmask(char *buf, size_t len, uint16_t af, uint32_t prefix)
{
	struct in_addr m;

	if (af == AF_INET6) {
		snprintf(buf, len, "%u", prefix);
		return;
	}
	m.s_addr = htonl(prefix >= 32 ? 0xffffffffU :
			 prefix ? ~(0xffffffffU >> prefix) : 0);
	if (!inet_ntop(AF_INET, &m, buf, len))
		snprintf(buf, len, "?");
}

static bool full_mask(const struct ipvl_service *svc)
{
	return svc->netmask >= ipvl_addr_len(svc->af) * 8;
}

/*
 * ipvsadm's names of the scheduler flags: sh and mh have their own, every
 * other scheduler the generic ones, which the first two also accept.
 */
static const struct {
	const char *sched;		/* NULL: any scheduler */
	const char *name;
	uint32_t flag;
} sched_flags[] = {
	{ "sh", "sh-fallback", IPVL_SVC_F_SCHED_FALLBACK },
	{ "sh", "sh-port", IPVL_SVC_F_SCHED_PORT },
	{ "mh", "mh-fallback", IPVL_SVC_F_SCHED_FALLBACK },
	{ "mh", "mh-port", IPVL_SVC_F_SCHED_PORT },
	{ NULL, "flag-1", IPVL_SVC_F_SCHED_FALLBACK },
	{ NULL, "flag-2", IPVL_SVC_F_SCHED_PORT },
};

/*
 * The flag named by the @len bytes at @name, for a service of scheduler
 * @sched: 0 with *flag set, or LVS_SCHED_FLAG_UNKNOWN, or
 * LVS_SCHED_FLAG_OTHER for a name that belongs to another scheduler.
 */
int lvs_sched_flag(const char *sched, const char *name, size_t len,
		   uint32_t *flag)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sched_flags); i++) {
		if (strlen(sched_flags[i].name) != len ||
		    strncmp(sched_flags[i].name, name, len))
			continue;
		if (sched_flags[i].sched && strcmp(sched_flags[i].sched, sched))
			return LVS_SCHED_FLAG_OTHER;
		*flag = sched_flags[i].flag;
		return 0;
	}
	return LVS_SCHED_FLAG_UNKNOWN;
}

static const char *sched_flag_name(const char *sched, uint32_t flag)
{
	const char *generic = "?";
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sched_flags); i++) {
		if (sched_flags[i].flag != flag)
			continue;
		if (!sched_flags[i].sched)
			generic = sched_flags[i].name;
		else if (!strcmp(sched_flags[i].sched, sched))
			return sched_flags[i].name;
	}
	return generic;
}

/* "sh-fallback,sh-port": as -b takes them and ipvsadm lists them. */
void lvs_fmt_sched_flags(char *buf, size_t len,
			 const struct ipvl_service *svc)
{
	static const uint32_t order[] = {
		IPVL_SVC_F_SCHED_FALLBACK, IPVL_SVC_F_SCHED_PORT,
	};
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(order) && n < len; i++)
		if (svc->flags & order[i])
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				      sched_flag_name(svc->sched, order[i]));
}

/* What follows the scheduler in the table: " (sh-port) persistent 300". */
void lvs_fmt_svc_flags(char *buf, size_t len, const struct ipvl_service *svc)
{
	char mask[INET6_ADDRSTRLEN], sched[LVS_FLAGS_LEN];
	size_t n = 0;

	buf[0] = '\0';
	if (svc->flags & LVS_SCHED_FLAGS) {
		lvs_fmt_sched_flags(sched, sizeof(sched), svc);
		n += snprintf(buf, len, " (%s)", sched);
	}
	if ((svc->flags & IPVL_SVC_F_PERSISTENT) && n < len) {
		n += snprintf(buf + n, len - n, " persistent %u",
			      svc->timeout);
		if (!full_mask(svc) && n < len) {
			lvs_fmt_netmask(mask, sizeof(mask), svc->af,
					svc->netmask);
			n += snprintf(buf + n, len - n, " mask %s", mask);
		}
	}
	if ((svc->flags & IPVL_SVC_F_ONEPACKET) && n < len)
		n += snprintf(buf + n, len - n, " ops");
	if ((svc->flags & IPVL_SVC_F_SLOPPY) && n < len)
		snprintf(buf + n, len - n, " sloppy");
}

void lvs_fmt_dest_name(char *buf, size_t len, const struct ipvl_service *svc,
		       const struct ipvl_dest *dest, unsigned int fmt)
{
	lvs_fmt_addrport(buf, len, dest->af, &dest->addr, dest->port,
			 svc->protocol, fmt & LVS_FMT_NUMERIC);
	if (!(fmt & LVS_FMT_RULE) && dest->af != AF_INET6 &&
	    len > LVS_DEST_COL)
		buf[LVS_DEST_COL] = '\0';
}

/* The options of an -A rule, in the order ipvsadm-save writes them. */
static void svc_rule_opts(char *buf, size_t len,
			  const struct ipvl_service *svc)
{
	char mask[INET6_ADDRSTRLEN], sched[LVS_FLAGS_LEN];
	size_t n = 0;

	buf[0] = '\0';
	if (svc->flags & IPVL_SVC_F_PERSISTENT) {
		n += snprintf(buf + n, len - n, " -p %u", svc->timeout);
		if (!full_mask(svc) && n < len) {
			lvs_fmt_netmask(mask, sizeof(mask), svc->af,
					svc->netmask);
			n += snprintf(buf + n, len - n, " -M %s", mask);
		}
	}
	if ((svc->flags & IPVL_SVC_F_ONEPACKET) && n < len)
		n += snprintf(buf + n, len - n, " -o");
	if ((svc->flags & LVS_SCHED_FLAGS) && n < len) {
		lvs_fmt_sched_flags(sched, sizeof(sched), svc);
		n += snprintf(buf + n, len - n, " -b %s", sched);
	}
	if ((svc->flags & IPVL_SVC_F_SLOPPY) && n < len)
		snprintf(buf + n, len - n, " --sloppy");
}

void lvs_fmt_svc_rule(char *buf, size_t len, const struct ipvl_service *svc,
		      unsigned int fmt)
{
	char name[LVS_NAME_LEN], opts[LVS_FLAGS_LEN];

	lvs_fmt_svc_name(name, sizeof(name), svc, fmt | LVS_FMT_RULE);
	svc_rule_opts(opts, sizeof(opts), svc);
	snprintf(buf, len, "-A %s -s %s%s", name, svc->sched, opts);
}

static const char *const tun_flag_opts[] = {
	"--tun-nocsum", "--tun-csum", "--tun-remcsum",
};

static const char *tun_flag_opt(const struct ipvl_dest *dest)
{
	return dest->tun_flags < ARRAY_SIZE(tun_flag_opts) ?
	       tun_flag_opts[dest->tun_flags] : "";
}

/* A tunnel's options, as ipvsadm-save writes them. */
static void tun_rule_opts(char *buf, size_t len, const struct ipvl_dest *dest)
{
	switch (dest->tun_type) {
	case IPVL_TUN_GUE:
		snprintf(buf, len, " --tun-type gue --tun-port %u %s",
			 dest->tun_port, tun_flag_opt(dest));
		break;
	case IPVL_TUN_GRE:
		snprintf(buf, len, " --tun-type gre %s", tun_flag_opt(dest));
		break;
	default:
		snprintf(buf, len, " --tun-type ipip");
	}
}

static const char *const tun_flag_names[] = { "-c", "+c", "r+c" };

/* The TunnelInfo column of --tun-info: "gue:6080:+c", "n/a". */
void lvs_fmt_tun_info(char *buf, size_t len, const struct ipvl_dest *dest)
{
	const char *f = dest->tun_flags < ARRAY_SIZE(tun_flag_names) ?
			tun_flag_names[dest->tun_flags] : "?";

	if (dest->fwd != IPVL_FWD_TUN)
		snprintf(buf, len, "n/a");
	else if (dest->tun_type == IPVL_TUN_GUE)
		snprintf(buf, len, "gue:%u:%s", dest->tun_port, f);
	else if (dest->tun_type == IPVL_TUN_GRE)
		snprintf(buf, len, "gre:%s", f);
	else
		snprintf(buf, len, "ipip");
}

/*
 * Tunnels carry their options as ipvsadm-save writes them. ipvsadm-save
 * leaves thresholds out; they are written when set, with ipvsadm's own
 * -x and -y, so that a restore keeps them.
 */
void lvs_fmt_dest_rule(char *buf, size_t len, const struct ipvl_service *svc,
		       const struct ipvl_dest *dest, unsigned int fmt)
{
	char sname[LVS_NAME_LEN], dname[LVS_ADDRPORT_LEN];
	char thresh[LVS_FLAGS_LEN] = "", tun[LVS_FLAGS_LEN] = "";

	lvs_fmt_svc_name(sname, sizeof(sname), svc, fmt | LVS_FMT_RULE);
	lvs_fmt_dest_name(dname, sizeof(dname), svc, dest,
			  fmt | LVS_FMT_RULE);
	if (dest->u_thresh || dest->l_thresh)
		snprintf(thresh, sizeof(thresh), " -x %u -y %u",
			 dest->u_thresh, dest->l_thresh);
	if (dest->fwd == IPVL_FWD_TUN)
		tun_rule_opts(tun, sizeof(tun), dest);
	snprintf(buf, len, "-a %s -r %s %s -w %d%s%s", sname, dname,
		 lvs_fwd_switch(dest->fwd), (int)dest->weight, tun, thresh);
}

/*
 * A persistence template of a firewall-mark service carries the mark
 * where the virtual address would be, as ip_vs shows it.
 */
static void conn_vaddr(const struct ipvl_conn *c, union ipvl_addr *v)
{
	*v = c->vaddr;
	if (!(c->flags & IPVL_CONN_F_TEMPLATE) || !c->fwmark)
		return;
	memset(v, 0, sizeof(*v));
	v->v4.s_addr = htonl(c->fwmark);
}

/* "TCP 14:59  ESTABLISHED 198.51.100.10:41234 192.0.2.5:80 192.0.2.7:80" */
void lvs_fmt_conn(char *buf, size_t len, const struct ipvl_conn *c,
		  unsigned int fmt)
{
	char cname[LVS_ADDRPORT_LEN], vname[LVS_ADDRPORT_LEN];
	char dname[LVS_ADDRPORT_LEN], expire[16];
	bool numeric = fmt & LVS_FMT_NUMERIC;
	unsigned int secs = c->expires_ms / 1000;
	union ipvl_addr vaddr;

	conn_vaddr(c, &vaddr);
	lvs_fmt_addrport(cname, sizeof(cname), c->af, &c->caddr, c->cport,
			 c->protocol, numeric);
	lvs_fmt_addrport(vname, sizeof(vname), c->af, &vaddr, c->vport,
			 c->protocol, numeric);
	lvs_fmt_addrport(dname, sizeof(dname), c->af, &c->daddr, c->dport,
			 c->protocol, numeric);
	snprintf(expire, sizeof(expire), "%02u:%02u", secs / 60, secs % 60);
	snprintf(buf, len, "%-3s %-6s %-11s %-18s %-18s %s",
		 c->protocol ? lvs_proto_name(c->protocol) : "IP", expire,
		 c->state, cname, vname, dname);
}
