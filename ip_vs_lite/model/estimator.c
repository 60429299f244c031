// SPDX-License-Identifier: GPL-2.0
/*
 * Rate estimation: connections, packets and bytes per second of every
 * service and real server, sampled every 2 s and averaged with weight
 * 1/4 per sample, as ipvsadm's --rate expects.
 *
 * No walk over all counter sets happens at once: the sets are spread
 * over IPVL_EST_SLOTS lists and one list is sampled per tick, under
 * rcu_read_lock() only, so a netns with many services never stalls on
 * one long walk and the config lock is never taken.
 */

#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/rculist.h>

#include "model/estimator.h"
#include "model/stats.h"

#define EST_PERIOD	(2 * HZ)
#define EST_TICK	max(EST_PERIOD / IPVL_EST_SLOTS, 1)
#define EST_SHIFT	10

/*
 * Rates are kept scaled by 2^EST_SHIFT per second. The factor that turns
 * a counter's growth into a rate takes a 64-bit division; it is shared
 * by every counter of a set and by every set sampled after the same
 * elapsed time.
 */
#define FACTOR_SHIFT	16

static u64 rate_factor(unsigned long elapsed)
{
	return div64_ul((u64)HZ << (EST_SHIFT + FACTOR_SHIFT), elapsed);
}

static u64 ewma(u64 avg, u64 delta, u64 factor)
{
	u64 rate = mul_u64_u64_shr(delta, factor, FACTOR_SHIFT);

	if (rate >= avg)
		return avg + ((rate - avg) >> 2);
	return avg - ((avg - rate) >> 2);
}

/*
 * The sets of one slot were sampled together last time, so they share
 * their elapsed time and the factor is worked out once per slot.
 */
struct factor_cache {
	unsigned long elapsed;
	u64 factor;
};

static u64 factor_of(struct factor_cache *fc, unsigned long elapsed)
{
	if (elapsed != fc->elapsed) {
		fc->elapsed = elapsed;
		fc->factor = rate_factor(elapsed);
	}
	return fc->factor;
}

static void sample(struct ipvl_est *e, const struct ipvl_stats *stats,
		   unsigned long now, struct factor_cache *fc)
{
	unsigned long elapsed = now - e->last_time;
	struct ipvl_stats_sum cur;
	u64 f;

	if (!elapsed)
		return;
	f = factor_of(fc, elapsed);
	ipvl_stats_sum(stats, &cur);
	e->avg.conns = ewma(e->avg.conns, cur.conns - e->last.conns, f);
	e->avg.inpkts = ewma(e->avg.inpkts, cur.inpkts - e->last.inpkts, f);
	e->avg.outpkts = ewma(e->avg.outpkts, cur.outpkts - e->last.outpkts,
			      f);
	e->avg.inbytes = ewma(e->avg.inbytes, cur.inbytes - e->last.inbytes,
			      f);
	e->avg.outbytes = ewma(e->avg.outbytes,
			       cur.outbytes - e->last.outbytes, f);
	e->last = cur;
	e->last_time = now;
}

/*
 * Deferrable: an idle CPU is not woken for it, and the next sample
 * divides by the time that really passed, so a late one is still right.
 */
static void est_queue(struct ipvl_est_ring *ring)
{
	queue_delayed_work(system_power_efficient_wq, &ring->work, EST_TICK);
}

static void est_work(struct work_struct *work)
{
	struct ipvl_est_ring *ring = container_of(to_delayed_work(work),
						  struct ipvl_est_ring, work);
	struct factor_cache fc = { 0 };
	unsigned long now = jiffies;
	struct ipvl_est *e;

	rcu_read_lock();
	hlist_for_each_entry_rcu(e, &ring->slots[ring->tick], node)
		sample(e, container_of(e, struct ipvl_stats, est), now, &fc);
	rcu_read_unlock();
	ring->tick = (ring->tick + 1) % IPVL_EST_SLOTS;
	if (READ_ONCE(ring->count))
		est_queue(ring);
}

void ipvl_est_init(struct ipvl_est_ring *ring, struct mutex *lock)
{
	unsigned int i;

	for (i = 0; i < IPVL_EST_SLOTS; i++)
		INIT_HLIST_HEAD(&ring->slots[i]);
	ring->lock = lock;
	INIT_DEFERRABLE_WORK(&ring->work, est_work);
}

/* Every counter set has left the ring by now. */
void ipvl_est_uninit(struct ipvl_est_ring *ring)
{
	WARN_ON_ONCE(ring->count);
	cancel_delayed_work_sync(&ring->work);
}

void ipvl_est_add(struct ipvl_est_ring *ring, struct ipvl_stats *stats)
{
	struct ipvl_est *e = &stats->est;

	lockdep_assert_held(ring->lock);
	e->last_time = jiffies;
	ipvl_stats_sum(stats, &e->last);
	hlist_add_head_rcu(&e->node, &ring->slots[ring->next_add]);
	ring->next_add = (ring->next_add + 1) % IPVL_EST_SLOTS;
	if (!ring->count++)
		est_queue(ring);
}

/* The caller frees @stats only after a grace period. */
void ipvl_est_del(struct ipvl_est_ring *ring, struct ipvl_stats *stats)
{
	lockdep_assert_held(ring->lock);
	hlist_del_rcu(&stats->est.node);
	WRITE_ONCE(ring->count, ring->count - 1);
}

void ipvl_est_zero(struct ipvl_stats *stats)
{
	memset(&stats->est.avg, 0, sizeof(stats->est.avg));
}

static u64 unscale(u64 v)
{
	return (v + (1 << (EST_SHIFT - 1))) >> EST_SHIFT;
}

void ipvl_est_read(const struct ipvl_stats *stats, struct ipvl_rates *rates)
{
	const struct ipvl_stats_sum *avg = &stats->est.avg;

	rates->cps = unscale(READ_ONCE(avg->conns));
	rates->inpps = unscale(READ_ONCE(avg->inpkts));
	rates->outpps = unscale(READ_ONCE(avg->outpkts));
	rates->inbps = unscale(READ_ONCE(avg->inbytes));
	rates->outbps = unscale(READ_ONCE(avg->outbytes));
}
