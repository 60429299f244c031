// SPDX-License-Identifier: GPL-2.0
/*
 * The --json views. Field names are part of lvsadm's interface and are
 * documented in Documentation/lvsadm.rst; addresses and ports are
 * always numeric, whatever -n says.
 */
#include <arpa/inet.h>
#include <string.h>

#include "fmt.h"
#include "json.h"

static const char *af_name(uint16_t af)
{
	return af == AF_INET6 ? "inet6" : "inet";
}

static const char *proto_key(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_SCTP:
		return "sctp";
	default:
		return "ip";
	}
}

static const char *fwd_key(uint8_t fwd)
{
	switch (fwd) {
	case IPVL_FWD_DR:
		return "route";
	case IPVL_FWD_NAT:
		return "masq";
	case IPVL_FWD_TUN:
		return "tunnel";
	default:
		return "unknown";
	}
}

static void addr(struct lvs_json *j, const char *key, uint16_t af,
		 const union ipvl_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(af, a, buf, sizeof(buf)))
		buf[0] = '\0';
	lvs_json_str(j, key, buf);
}

static void stats(struct lvs_json *j, const struct ipvl_stats *st,
		  unsigned int fmt)
{
	if (fmt & LVS_FMT_STATS) {
		lvs_json_open(j, "stats", '{');
		lvs_json_u64(j, "conns", st->conns);
		lvs_json_u64(j, "inpkts", st->inpkts);
		lvs_json_u64(j, "outpkts", st->outpkts);
		lvs_json_u64(j, "inbytes", st->inbytes);
		lvs_json_u64(j, "outbytes", st->outbytes);
		lvs_json_close(j, '}');
	}
	if (fmt & LVS_FMT_RATE) {
		lvs_json_open(j, "rate", '{');
		lvs_json_u64(j, "cps", st->cps);
		lvs_json_u64(j, "inpps", st->inpps);
		lvs_json_u64(j, "outpps", st->outpps);
		lvs_json_u64(j, "inbps", st->inbps);
		lvs_json_u64(j, "outbps", st->outbps);
		lvs_json_close(j, '}');
	}
}

static const char *tun_key(uint8_t type)
{
	switch (type) {
	case IPVL_TUN_GUE:
		return "gue";
	case IPVL_TUN_GRE:
		return "gre";
	default:
		return "ipip";
	}
}

/* "tunnel": {"type": "gue", "port": 6080, "csum": true, "remcsum": false} */
static void tunnel(struct lvs_json *j, const struct ipvl_dest *d)
{
	lvs_json_open(j, "tunnel", '{');
	lvs_json_str(j, "type", tun_key(d->tun_type));
	if (d->tun_type == IPVL_TUN_GUE)
		lvs_json_u64(j, "port", d->tun_port);
	lvs_json_bool(j, "csum", d->tun_flags & IPVL_TUN_F_CSUM);
	lvs_json_bool(j, "remcsum", d->tun_flags & IPVL_TUN_F_REMCSUM);
	lvs_json_close(j, '}');
}

static void dest(struct lvs_json *j, const struct ipvl_dest *d,
		 unsigned int fmt)
{
	lvs_json_open(j, NULL, '{');
	lvs_json_str(j, "address_family", af_name(d->af));
	addr(j, "address", d->af, &d->addr);
	lvs_json_u64(j, "port", d->port);
	lvs_json_str(j, "forward", fwd_key(d->fwd));
	if (d->fwd == IPVL_FWD_TUN)
		tunnel(j, d);
	lvs_json_u64(j, "weight", d->weight);
	lvs_json_u64(j, "u_threshold", d->u_thresh);
	lvs_json_u64(j, "l_threshold", d->l_thresh);
	lvs_json_u64(j, "active_conns", d->activeconns);
	lvs_json_u64(j, "inactive_conns", d->inactconns);
	lvs_json_u64(j, "persistent_conns", d->persistconns);
	lvs_json_bool(j, "draining", d->drain);
	stats(j, &d->stats, fmt);
	lvs_json_close(j, '}');
}

/* The names -b takes, as the listing shows them: ["sh-port"]. */
static void sched_flags(struct lvs_json *j, const struct ipvl_service *svc)
{
	char buf[LVS_FLAGS_LEN], *name, *save = NULL;

	lvs_fmt_sched_flags(buf, sizeof(buf), svc);
	lvs_json_open(j, "sched_flags", '[');
	for (name = strtok_r(buf, ",", &save); name;
	     name = strtok_r(NULL, ",", &save))
		lvs_json_str(j, NULL, name);
	lvs_json_close(j, ']');
}

static void svc_flags(struct lvs_json *j, const struct ipvl_service *svc)
{
	lvs_json_open(j, "flags", '[');
	if (svc->flags & IPVL_SVC_F_PERSISTENT)
		lvs_json_str(j, NULL, "persistent");
	if (svc->flags & IPVL_SVC_F_ONEPACKET)
		lvs_json_str(j, NULL, "ops");
	if (svc->flags & IPVL_SVC_F_SLOPPY)
		lvs_json_str(j, NULL, "sloppy");
	lvs_json_close(j, ']');
	sched_flags(j, svc);
	if (!(svc->flags & IPVL_SVC_F_PERSISTENT))
		return;
	lvs_json_u64(j, "persistent_timeout", svc->timeout);
	lvs_json_u64(j, "persistent_prefixlen", svc->netmask);
}

static void entry(struct lvs_json *j, const struct lvs_entry *e,
		  unsigned int fmt)
{
	const struct ipvl_service *svc = &e->svc;
	size_t i;

	lvs_json_open(j, NULL, '{');
	lvs_json_str(j, "address_family", af_name(svc->af));
	if (svc->fwmark) {
		lvs_json_u64(j, "fwmark", svc->fwmark);
	} else {
		lvs_json_str(j, "protocol", proto_key(svc->protocol));
		addr(j, "address", svc->af, &svc->addr);
		lvs_json_u64(j, "port", svc->port);
	}
	lvs_json_str(j, "scheduler", svc->sched);
	svc_flags(j, svc);
	stats(j, &svc->stats, fmt);
	lvs_json_open(j, "real_servers", '[');
	for (i = 0; i < e->ndests; i++)
		dest(j, &e->dests[i], fmt);
	lvs_json_close(j, ']');
	lvs_json_close(j, '}');
}

void lvs_json_table(FILE *f, const struct lvs_table *t, unsigned int fmt)
{
	struct lvs_json j;
	size_t i;

	lvs_json_init(&j, f);
	lvs_json_open(&j, NULL, '[');
	for (i = 0; i < t->n; i++)
		entry(&j, &t->v[i], fmt);
	lvs_json_close(&j, ']');
}

static void conn(struct lvs_json *j, const struct ipvl_conn *c)
{
	bool tpl = c->flags & IPVL_CONN_F_TEMPLATE;

	lvs_json_open(j, NULL, '{');
	lvs_json_str(j, "protocol", proto_key(c->protocol));
	lvs_json_bool(j, "template", tpl);
	if (c->fwmark)
		lvs_json_u64(j, "fwmark", c->fwmark);
	lvs_json_str(j, "address_family", af_name(c->af));
	addr(j, "client_address", c->af, &c->caddr);
	lvs_json_u64(j, "client_port", c->cport);
	addr(j, "virtual_address", c->af, &c->vaddr);
	lvs_json_u64(j, "virtual_port", c->vport);
	addr(j, "destination_address", c->af, &c->daddr);
	lvs_json_u64(j, "destination_port", c->dport);
	lvs_json_str(j, "forward", fwd_key(c->fwd));
	lvs_json_str(j, "state", c->state);
	lvs_json_u64(j, "expires_ms", c->expires_ms);
	lvs_json_close(j, '}');
}

void lvs_json_conns(FILE *f, const struct ipvl_conn *c, size_t n)
{
	struct lvs_json j;
	size_t i;

	lvs_json_init(&j, f);
	lvs_json_open(&j, NULL, '[');
	for (i = 0; i < n; i++)
		conn(&j, &c[i]);
	lvs_json_close(&j, ']');
}

void lvs_json_info(FILE *f, const struct ipvl_info *info)
{
	struct lvs_json j;
	unsigned int i;
	char v[16];

	snprintf(v, sizeof(v), "%u.%u.%u", (info->version >> 16) & 0xff,
		 (info->version >> 8) & 0xff, info->version & 0xff);
	lvs_json_init(&j, f);
	lvs_json_open(&j, NULL, '{');
	lvs_json_str(&j, "version", v);
	lvs_json_u64(&j, "conn_table_size", info->conn_tab_size);
	lvs_json_u64(&j, "conns", info->conn_count);
	lvs_json_u64(&j, "conn_limit", info->conn_max);
	lvs_json_open(&j, "drops", '{');
	for (i = 1; info->has_drops && i <= IPVL_DROP_MAX; i++)
		if (ipvl_drop_name(i)[0])
			lvs_json_u64(&j, ipvl_drop_name(i), info->drops[i]);
	lvs_json_close(&j, '}');
	lvs_json_close(&j, '}');
}

void lvs_json_timeout(FILE *f, const struct ipvl_timeout *t)
{
	struct lvs_json j;

	lvs_json_init(&j, f);
	lvs_json_open(&j, NULL, '{');
	lvs_json_u64(&j, "tcp", t->tcp);
	lvs_json_u64(&j, "tcp_fin", t->tcp_fin);
	lvs_json_u64(&j, "udp", t->udp);
	lvs_json_close(&j, '}');
}
