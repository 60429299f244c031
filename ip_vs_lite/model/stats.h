/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_STATS_H
#define _IPVL_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

struct ipvl_stats_sum {
	u64 conns;
	u64 inpkts;
	u64 outpkts;
	u64 inbytes;
	u64 outbytes;
};

struct ipvl_stats_cpu {
	u64_stats_t conns;
	u64_stats_t inpkts;
	u64_stats_t outpkts;
	u64_stats_t inbytes;
	u64_stats_t outbytes;
	struct u64_stats_sync syncp;
};

/* Rate estimation state: the last sample and the averages, << 10. */
struct ipvl_est {
	struct hlist_node node;		/* in an estimator slot, RCU */
	unsigned long last_time;	/* jiffies of the last sample */
	struct ipvl_stats_sum last;
	struct ipvl_stats_sum avg;
};

/*
 * Per-CPU counters never go back; "zero" records the sums at the time
 * of the last reset and readers subtract it.
 */
struct ipvl_stats {
	struct ipvl_stats_cpu __percpu *cpu;
	struct ipvl_stats_sum zero;	/* under the netns config lock */
	struct ipvl_est est;
};

struct ipvl_stats *ipvl_stats_alloc(void);
void ipvl_stats_free(struct ipvl_stats *stats);
void ipvl_stats_read(const struct ipvl_stats *stats,
		     struct ipvl_stats_sum *sum);
void ipvl_stats_zero(struct ipvl_stats *stats);
void ipvl_stats_sum(const struct ipvl_stats *stats,
		    struct ipvl_stats_sum *sum);

static inline void ipvl_stats_conn(struct ipvl_stats *stats)
{
	struct ipvl_stats_cpu *s = this_cpu_ptr(stats->cpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->conns);
	u64_stats_update_end(&s->syncp);
}

static inline void ipvl_stats_in(struct ipvl_stats *stats, unsigned int len)
{
	struct ipvl_stats_cpu *s = this_cpu_ptr(stats->cpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->inpkts);
	u64_stats_add(&s->inbytes, len);
	u64_stats_update_end(&s->syncp);
}

static inline void ipvl_stats_out(struct ipvl_stats *stats, unsigned int len)
{
	struct ipvl_stats_cpu *s = this_cpu_ptr(stats->cpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->outpkts);
	u64_stats_add(&s->outbytes, len);
	u64_stats_update_end(&s->syncp);
}

#endif /* _IPVL_STATS_H */
