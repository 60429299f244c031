// SPDX-License-Identifier: GPL-2.0
/*
 * Expiry without a timer per connection: a deferrable worker per netns
 * walks its table a slice at a time and unlinks what has expired, as
 * nf_conntrack's collector does. Lookups already treat an expired entry
 * as gone, so the collector's lateness only delays the memory's return,
 * never a connection's end. Also here: making room at conn_max, and the
 * flush of a netns that goes away.
 */

#include <linux/delay.h>
#include <linux/sched.h>

#include "datapath/conn_table.h"

/* Between two runs of the collector. */
#define GC_INTERVAL		(HZ / 10)
/*
 * A whole pass takes a second while the table is small, and longer as it
 * grows, so that the collector visits about GC_RATE entries a second;
 * but never longer than GC_PASS_MAX seconds.
 */
#define GC_RATE			65536
#define GC_PASS_MAX		30
/* Buckets between two breaks of rcu_read_lock(). */
#define GC_CHUNK		256
/* At conn_max: how many entries, in how many buckets, to choose from. */
#define EVICT_SAMPLE		64
/* An empty bucket costs one load; a table at a small cap may be sparse. */
#define EVICT_BUCKETS		1024

/* Buckets to scan in one run. */
static unsigned int gc_slice(struct ipvl_conn_tab *tab)
{
	unsigned int pass = atomic_read(&tab->count) / GC_RATE;
	unsigned int size;

	rcu_read_lock();
	size = rht_dereference_rcu(tab->in.tbl, &tab->in)->size;
	rcu_read_unlock();
	pass = clamp(pass, 1U, (unsigned int)GC_PASS_MAX);
	return DIV_ROUND_UP(size, pass * (HZ / GC_INTERVAL));
}

/* Returns true if @cp was expired and is now gone. */
static bool gc_one(struct ipvl_conn_tab *tab, struct ipvl_conn *cp, u32 now)
{
	if (test_bit(IPVL_CONN_F_DEAD, &cp->flags) || !conn_expired(cp, now))
		return false;
	if (cp->state == IPVL_S_TEMPLATE && refcount_read(&cp->refcnt) > 1) {
		WRITE_ONCE(cp->expires, now + cp->timeout);
		return false;
	}
	if (!conn_kill(cp))
		return false;
	ipvl_conn_unlink(tab, cp);
	return true;
}

/* Scans @n buckets from the cursor; false once a pass is complete. */
static bool gc_scan(struct ipvl_conn_tab *tab, unsigned int n,
		    unsigned int *seen, unsigned int *gone)
{
	const struct bucket_table *tbl;
	struct rhash_head *pos;
	struct ipvl_conn *cp;
	u32 now = ipvl_conn_clock();
	bool more = true;

	rcu_read_lock();
	tbl = rht_dereference_rcu(tab->in.tbl, &tab->in);
	for (; n; n--) {
		if (tab->gc_cursor >= tbl->size) {
			tab->gc_cursor = 0;
			more = false;
			break;
		}
		rht_for_each_entry_rcu(cp, pos, tbl, tab->gc_cursor, node) {
			(*seen)++;
			*gone += gc_one(tab, cp, now);
		}
		tab->gc_cursor++;
	}
	rcu_read_unlock();
	return more;
}

static void gc_worker(struct work_struct *work)
{
	struct ipvl_conn_tab *tab = container_of(to_delayed_work(work),
						 struct ipvl_conn_tab, gc);
	unsigned int left = gc_slice(tab);
	unsigned int seen = 0, gone = 0, n;
	unsigned long next = GC_INTERVAL;

	while (left) {
		n = min_t(unsigned int, left, GC_CHUNK);
		left -= n;
		if (!gc_scan(tab, n, &seen, &gone))
			break;
		cond_resched();
	}
	/* Much expiring at once: come back sooner. */
	if (gone > seen / 2 && gone > GC_CHUNK)
		next = 1;
	/* An empty table sleeps until its next entry (conn_reserve()). */
	if (atomic_read(&tab->count))
		queue_delayed_work(system_power_efficient_wq, &tab->gc, next);
}

void ipvl_conn_gc_start(struct ipvl_conn_tab *tab)
{
	queue_delayed_work(system_power_efficient_wq, &tab->gc, GC_INTERVAL);
}

void ipvl_conn_gc_init(struct ipvl_conn_tab *tab)
{
	INIT_DEFERRABLE_WORK(&tab->gc, gc_worker);
}

/*
 * Only half-open and unconfirmed entries may make way: under a flood of
 * spoofed packets most entries are, and a client whose entry has been
 * confirmed is never the one to go. Templates and the entries a template
 * holds are spared.
 */
static bool evictable(const struct ipvl_conn *cp)
{
	return (READ_ONCE(cp->state) == IPVL_S_SYN_RECV ||
		!test_bit(IPVL_CONN_F_CONFIRMED, &cp->flags)) &&
	       refcount_read(&cp->refcnt) == 1 &&
	       !test_bit(IPVL_CONN_F_DEAD, &cp->flags);
}

/* Of a sample of @tbl, the evictable entry that expires first. */
static struct ipvl_conn *sample_victim(const struct bucket_table *tbl,
				       unsigned int start)
{
	struct ipvl_conn *cp, *victim = NULL;
	unsigned int i, seen = 0;
	struct rhash_head *pos;

	for (i = 0; i < EVICT_BUCKETS && seen < EVICT_SAMPLE; i++) {
		rht_for_each_entry_rcu(cp, pos, tbl,
				       (start + i) & (tbl->size - 1), node) {
			seen++;
			if (evictable(cp) &&
			    (!victim || (s32)(READ_ONCE(cp->expires) -
					      READ_ONCE(victim->expires)) < 0))
				victim = cp;
		}
	}
	return victim;
}

/*
 * While the table is resized its entries move to the new bucket array,
 * so a sample of the old one may come up empty: then the new one's.
 */
static struct ipvl_conn *oldest_half_open(struct ipvl_conn_tab *tab)
{
	const struct bucket_table *tbl;
	struct ipvl_conn *victim;
	unsigned int start;

	start = READ_ONCE(tab->evict_cursor);
	WRITE_ONCE(tab->evict_cursor, start + EVICT_SAMPLE);
	tbl = rht_dereference_rcu(tab->in.tbl, &tab->in);
	victim = sample_victim(tbl, start);
	tbl = rht_dereference_rcu(tbl->future_tbl, &tab->in);
	if (!victim && tbl)
		victim = sample_victim(tbl, start);
	return victim;
}

/*
 * At the limit, a new connection may take the place of the oldest
 * half-open entry of a sample. Every half-open entry has the same
 * timeout, so the one that expires first is the one whose SYN came
 * first; a real client's fresh entry is the last to be chosen.
 */
bool ipvl_conn_make_room(struct ipvl_conn_tab *tab)
{
	struct ipvl_conn *victim;
	bool done = false;

	rcu_read_lock();
	victim = oldest_half_open(tab);
	if (victim && conn_kill(victim)) {
		ipvl_conn_unlink(tab, victim);
		done = true;
	}
	rcu_read_unlock();
	return done;
}

static void flush_pass(struct ipvl_conn_tab *tab)
{
	const struct bucket_table *tbl;
	struct rhash_head *pos;
	struct ipvl_conn *cp;
	unsigned int i;

	rcu_read_lock();
	tbl = rht_dereference_rcu(tab->in.tbl, &tab->in);
	for (i = 0; i < tbl->size; i++) {
		rht_for_each_entry_rcu(cp, pos, tbl, i, node)
			if (conn_kill(cp))
				ipvl_conn_unlink(tab, cp);
		if ((i & (GC_CHUNK - 1)) == GC_CHUNK - 1) {
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			tbl = rht_dereference_rcu(tab->in.tbl, &tab->in);
		}
	}
	rcu_read_unlock();
}

/*
 * Process context, with the hooks of the netns gone, so nothing adds
 * entries any more. An unlink that another context began is still
 * finishing, and a resize may hide entries from one pass: the passes
 * repeat until the count has drained, after which nothing touches the
 * netns's state.
 */
void ipvl_conn_flush(struct ipvl_conn_tab *tab)
{
	cancel_delayed_work_sync(&tab->gc);
	while (atomic_read(&tab->count)) {
		flush_pass(tab);
		if (atomic_read(&tab->count))
			usleep_range(500, 1000);
	}
}
