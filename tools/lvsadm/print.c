// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "fmt.h"
#include "print.h"

/* major.minor.patch packed as in IPVL_VERSION_CODE. */
void lvs_print_version(FILE *f, const struct lvs_info *info)
{
	fprintf(f, "IP Virtual Server version %u.%u.%u (size=%d)\n",
		(info->version >> 16) & 0xff, (info->version >> 8) & 0xff,
		info->version & 0xff, (int)info->conn_tab_size);
}

void lvs_print_title(FILE *f, unsigned int fmt)
{
	if (fmt & LVS_FMT_RULE)
		return;
	if (fmt & LVS_FMT_STATS) {
		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n"
			"  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port", "Conns", "InPkts",
			"OutPkts", "InBytes", "OutBytes");
		return;
	}
	fprintf(f, "Prot LocalAddress:Port Scheduler Flags\n"
		"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
}

static void print_stats(FILE *f, const struct lvs_stats *st,
			unsigned int fmt)
{
	const uint64_t v[] = {
		st->conns, st->inpkts, st->outpkts, st->inbytes, st->outbytes,
	};
	char num[LVS_NUM_LEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		lvs_fmt_largenum(num, sizeof(num), v[i], fmt & LVS_FMT_EXACT);
		fputs(num, f);
	}
	fputc('\n', f);
}

static void print_rules(FILE *f, const struct lvs_service *svc,
			const struct lvs_dest *dests, size_t ndests,
			unsigned int fmt)
{
	char line[2 * LVS_NAME_LEN];
	size_t i;

	lvs_fmt_svc_rule(line, sizeof(line), svc, fmt);
	fprintf(f, "%s\n", line);
	for (i = 0; i < ndests; i++) {
		lvs_fmt_dest_rule(line, sizeof(line), svc, &dests[i], fmt);
		fprintf(f, "%s\n", line);
	}
}

static void print_dest(FILE *f, const struct lvs_service *svc,
		       const struct lvs_dest *d, unsigned int fmt)
{
	char name[LVS_ADDRPORT_LEN];

	lvs_fmt_dest_name(name, sizeof(name), svc, d, fmt);
	if (fmt & LVS_FMT_STATS) {
		fprintf(f, "  -> %-28s", name);
		print_stats(f, &d->stats, fmt);
		return;
	}
	fprintf(f, "  -> %-28s %-7s %-6d %-10u %-10u\n", name,
		lvs_fwd_name(d->fwd), (int)d->weight, d->activeconns,
		d->inactconns);
}

void lvs_print_service(FILE *f, const struct lvs_service *svc,
		       const struct lvs_dest *dests, size_t ndests,
		       unsigned int fmt)
{
	char name[LVS_NAME_LEN];
	size_t i;

	if (fmt & LVS_FMT_RULE) {
		print_rules(f, svc, dests, ndests, fmt);
		return;
	}
	lvs_fmt_svc_name(name, sizeof(name), svc, fmt);
	if (fmt & LVS_FMT_STATS) {
		fprintf(f, "%-33s", name);
		print_stats(f, &svc->stats, fmt);
	} else {
		fprintf(f, "%s %s\n", name, svc->sched);
	}
	for (i = 0; i < ndests; i++)
		print_dest(f, svc, &dests[i], fmt);
}

void lvs_print_timeout(FILE *f, const struct lvs_timeout *t)
{
	fprintf(f, "Timeout (tcp tcpfin udp): %d %d %d\n", (int)t->tcp,
		(int)t->tcp_fin, (int)t->udp);
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

/* ipvsadm's listing order: family, protocol, address, then port. */
int lvs_service_cmp(const void *a, const void *b)
{
	const struct lvs_service *x = a, *y = b;
	int r;

	r = cmp_u32(x->af, y->af);
	if (!r)
		r = cmp_u32(x->protocol, y->protocol);
	if (!r && x->af == AF_INET6)
		r = memcmp(&x->addr.v6, &y->addr.v6, sizeof(x->addr.v6));
	else if (!r)
		r = cmp_u32(ntohl(x->addr.v4.s_addr),
			    ntohl(y->addr.v4.s_addr));
	if (!r)
		r = cmp_u32(x->port, y->port);
	return r;
}
