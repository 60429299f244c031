// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic counters of services and real servers.
 */

#include <linux/slab.h>

#include "model/stats.h"

struct ipvl_stats *ipvl_stats_alloc(void)
{
	struct ipvl_stats *stats = kzalloc(sizeof(*stats), GFP_KERNEL_ACCOUNT);
	int cpu;

	if (!stats)
		return NULL;
	stats->cpu = alloc_percpu_gfp(struct ipvl_stats_cpu, GFP_KERNEL_ACCOUNT);
	if (!stats->cpu) {
		kfree(stats);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats->cpu, cpu)->syncp);
	return stats;
}

void ipvl_stats_free(struct ipvl_stats *stats)
{
	if (!stats)
		return;
	free_percpu(stats->cpu);
	kfree(stats);
}

/* The raw sums, ignoring the last reset. */
void ipvl_stats_sum(const struct ipvl_stats *stats,
		    struct ipvl_stats_sum *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct ipvl_stats_cpu *s = per_cpu_ptr(stats->cpu, cpu);
		struct ipvl_stats_sum v;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v.conns = u64_stats_read(&s->conns);
			v.inpkts = u64_stats_read(&s->inpkts);
			v.outpkts = u64_stats_read(&s->outpkts);
			v.inbytes = u64_stats_read(&s->inbytes);
			v.outbytes = u64_stats_read(&s->outbytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum->conns += v.conns;
		sum->inpkts += v.inpkts;
		sum->outpkts += v.outpkts;
		sum->inbytes += v.inbytes;
		sum->outbytes += v.outbytes;
	}
}

void ipvl_stats_read(const struct ipvl_stats *stats,
		     struct ipvl_stats_sum *sum)
{
	ipvl_stats_sum(stats, sum);
	sum->conns -= stats->zero.conns;
	sum->inpkts -= stats->zero.inpkts;
	sum->outpkts -= stats->zero.outpkts;
	sum->inbytes -= stats->zero.inbytes;
	sum->outbytes -= stats->zero.outbytes;
}

void ipvl_stats_zero(struct ipvl_stats *stats)
{
	ipvl_stats_sum(stats, &stats->zero);
}
