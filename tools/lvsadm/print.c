// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "fmt.h"
#include "print.h"

/* major.minor.patch packed as in IPVL_VERSION_CODE. */
static void version_text(char *buf, size_t len, uint32_t v)
{
	snprintf(buf, len, "%u.%u.%u", (v >> 16) & 0xff, (v >> 8) & 0xff,
		 v & 0xff);
}

void lvs_print_version(FILE *f, const struct ipvl_info *info)
{
	char v[16];

	version_text(v, sizeof(v), info->version);
	fprintf(f, "IP Virtual Server version %s (size=%d)\n", v,
		(int)info->conn_tab_size);
}

/* With several column choices, ipvsadm's precedence decides. */
void lvs_print_title(FILE *f, unsigned int fmt)
{
	static const char hdr2[] = "  -> RemoteAddress:Port\n";
	static const char prot[] = "Prot LocalAddress:Port";

	if (fmt & LVS_FMT_RULE)
		return;
	if (fmt & LVS_FMT_STATS)
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n%s", prot, "Conns",
			"InPkts", "OutPkts", "InBytes", "OutBytes", hdr2);
	else if (fmt & LVS_FMT_RATE)
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n%s", prot, "CPS",
			"InPPS", "OutPPS", "InBPS", "OutBPS", hdr2);
	else if (fmt & LVS_FMT_THRESHOLDS)
		fprintf(f, "%-33s %-10s %-10s %-10s %-10s\n%s", prot,
			"Uthreshold", "Lthreshold", "ActiveConn", "InActConn",
			hdr2);
	else if (fmt & LVS_FMT_PERSISTCONN)
		fprintf(f, "%-33s %-9s %-11s %-10s %-10s\n%s", prot, "Weight",
			"PersistConn", "ActiveConn", "InActConn", hdr2);
	else if (fmt & LVS_FMT_TUN_INFO)
		fprintf(f, "Prot LocalAddress:Port Scheduler Flags\n"
			"  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n");
	else
		fprintf(f, "Prot LocalAddress:Port Scheduler Flags\n"
			"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
}

static void print_nums(FILE *f, const uint64_t *v, unsigned int n,
		       unsigned int fmt)
{
	char num[LVS_NUM_LEN];
	unsigned int i;

	for (i = 0; i < n; i++) {
		lvs_fmt_largenum(num, sizeof(num), v[i], fmt & LVS_FMT_EXACT);
		fputs(num, f);
	}
	fputc('\n', f);
}

static void print_stats(FILE *f, const struct ipvl_stats *st,
			unsigned int fmt)
{
	const uint64_t v[] = {
		st->conns, st->inpkts, st->outpkts, st->inbytes, st->outbytes,
	};

	print_nums(f, v, ARRAY_SIZE(v), fmt);
}

static void print_rate(FILE *f, const struct ipvl_stats *st,
		       unsigned int fmt)
{
	const uint64_t v[] = {
		st->cps, st->inpps, st->outpps, st->inbps, st->outbps,
	};

	print_nums(f, v, ARRAY_SIZE(v), fmt);
}

/* ipvsadm prints a real server's packet rates plainly, bytes scaled. */
static void print_dest_rate(FILE *f, const struct ipvl_stats *st,
			    unsigned int fmt)
{
	const uint64_t v[] = { st->inbps, st->outbps };

	fprintf(f, " %8llu %8llu %8llu", (unsigned long long)st->cps,
		(unsigned long long)st->inpps, (unsigned long long)st->outpps);
	print_nums(f, v, ARRAY_SIZE(v), fmt);
}

static void print_dest_tun(FILE *f, const char *name,
			   const struct ipvl_dest *d)
{
	char tun[LVS_FLAGS_LEN];

	lvs_fmt_tun_info(tun, sizeof(tun), d);
	fprintf(f, "  -> %-28s %-7s %-13s %-6d %-10u %-10u\n", name,
		lvs_fwd_name(d->fwd), tun, (int)d->weight, d->activeconns,
		d->inactconns);
}

static void print_dest(FILE *f, const struct ipvl_service *svc,
		       const struct ipvl_dest *d, unsigned int fmt)
{
	char name[LVS_ADDRPORT_LEN];

	lvs_fmt_dest_name(name, sizeof(name), svc, d, fmt);
	if (fmt & LVS_FMT_STATS) {
		fprintf(f, "  -> %-28s", name);
		print_stats(f, &d->stats, fmt);
	} else if (fmt & LVS_FMT_RATE) {
		fprintf(f, "  -> %-28s", name);
		print_dest_rate(f, &d->stats, fmt);
	} else if (fmt & LVS_FMT_THRESHOLDS) {
		fprintf(f, "  -> %-28s %-10u %-10u %-10u %-10u\n", name,
			d->u_thresh, d->l_thresh, d->activeconns,
			d->inactconns);
	} else if (fmt & LVS_FMT_PERSISTCONN) {
		fprintf(f, "  -> %-28s %-9u %-11u %-10u %-10u\n", name,
			d->weight, d->persistconns, d->activeconns,
			d->inactconns);
	} else if (fmt & LVS_FMT_TUN_INFO) {
		print_dest_tun(f, name, d);
	} else {
		fprintf(f, "  -> %-28s %-7s %-6d %-10u %-10u\n", name,
			lvs_fwd_name(d->fwd), (int)d->weight, d->activeconns,
			d->inactconns);
	}
}

static void print_rules(FILE *f, const struct lvs_entry *e, unsigned int fmt)
{
	char line[3 * LVS_NAME_LEN];
	size_t i;

	lvs_fmt_svc_rule(line, sizeof(line), &e->svc, fmt);
	fprintf(f, "%s\n", line);
	for (i = 0; i < e->ndests; i++) {
		lvs_fmt_dest_rule(line, sizeof(line), &e->svc, &e->dests[i],
				  fmt);
		fprintf(f, "%s\n", line);
	}
}

void lvs_print_entry(FILE *f, const struct lvs_entry *e, unsigned int fmt)
{
	char name[LVS_NAME_LEN], flags[LVS_FLAGS_LEN];
	size_t i;

	if (fmt & LVS_FMT_RULE) {
		print_rules(f, e, fmt);
		return;
	}
	lvs_fmt_svc_name(name, sizeof(name), &e->svc, fmt);
	if (fmt & (LVS_FMT_STATS | LVS_FMT_RATE)) {
		fprintf(f, "%-33s", name);
		if (fmt & LVS_FMT_STATS)
			print_stats(f, &e->svc.stats, fmt);
		else
			print_rate(f, &e->svc.stats, fmt);
	} else {
		lvs_fmt_svc_flags(flags, sizeof(flags), &e->svc);
		fprintf(f, "%s %s%s\n", name, e->svc.sched, flags);
	}
	for (i = 0; i < e->ndests; i++)
		print_dest(f, &e->svc, &e->dests[i], fmt);
}

void lvs_print_timeout(FILE *f, const struct ipvl_timeout *t)
{
	fprintf(f, "Timeout (tcp tcpfin udp): %d %d %d\n", (int)t->tcp,
		(int)t->tcp_fin, (int)t->udp);
}

/*
 * With --persistent-conn ipvsadm adds persistence-engine columns to the
 * header; ip_vs_lite has no engines, so the lines never fill them.
 */
void lvs_print_conn_title(FILE *f, unsigned int fmt)
{
	fprintf(f, "IPVS connection entries\n");
	if (fmt & LVS_FMT_PERSISTCONN)
		fprintf(f, "pro expire %-11s %-18s %-18s %-18s %-16s %s\n",
			"state", "source", "virtual", "destination",
			"pe name", "pe_data");
	else
		fprintf(f, "pro expire %-11s %-18s %-18s %s\n", "state",
			"source", "virtual", "destination");
}

void lvs_print_conn(FILE *f, const struct ipvl_conn *c, unsigned int fmt)
{
	char line[LVS_CONN_LEN];

	lvs_fmt_conn(line, sizeof(line), c, fmt);
	fprintf(f, "%s\n", line);
}

/* lvsadm's own view: what the kernel says about the table as a whole. */
void lvs_print_info(FILE *f, const struct ipvl_info *info)
{
	unsigned int i;
	char v[16];

	version_text(v, sizeof(v), info->version);
	fprintf(f, "ip_vs_lite version %s\n", v);
	fprintf(f, "connection table size: %u\n", info->conn_tab_size);
	fprintf(f, "connections: %u\n", info->conn_count);
	fprintf(f, "connection limit: %u\n", info->conn_max);
	if (!info->has_drops)
		return;
	fprintf(f, "drops:\n");
	for (i = 1; i <= IPVL_DROP_MAX; i++)
		if (ipvl_drop_name(i)[0])
			fprintf(f, "  %-12s %llu\n", ipvl_drop_name(i),
				(unsigned long long)info->drops[i]);
}
