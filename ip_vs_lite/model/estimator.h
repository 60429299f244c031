/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_ESTIMATOR_H
#define _IPVL_ESTIMATOR_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#define IPVL_EST_SLOTS	50

struct ipvl_stats;
struct ipvl_stats_sum;

/*
 * Rate estimation of a netns. Every counter set sits in one of
 * IPVL_EST_SLOTS lists; a work item samples one list per tick, so each
 * set is sampled every 2 s and the cost is spread over the period.
 */
struct ipvl_est_ring {
	struct hlist_head slots[IPVL_EST_SLOTS];	/* RCU */
	unsigned int next_add;
	unsigned int tick;
	unsigned int count;
	struct mutex *lock;				/* the netns config lock */
	struct delayed_work work;
};

/* Averaged rates, per second. */
struct ipvl_rates {
	u64 cps;
	u64 inpps;
	u64 outpps;
	u64 inbps;
	u64 outbps;
};

void ipvl_est_init(struct ipvl_est_ring *ring, struct mutex *lock);
void ipvl_est_uninit(struct ipvl_est_ring *ring);
void ipvl_est_add(struct ipvl_est_ring *ring, struct ipvl_stats *stats);
void ipvl_est_del(struct ipvl_est_ring *ring, struct ipvl_stats *stats);
void ipvl_est_zero(struct ipvl_stats *stats);
void ipvl_est_read(const struct ipvl_stats *stats, struct ipvl_rates *rates);

#endif /* _IPVL_ESTIMATOR_H */
