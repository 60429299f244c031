/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the connection table: shared by conn.c (lookup, insert, unlink)
 * and conn_gc.c (expiry, eviction, flush) only.
 */
#ifndef _IPVL_CONN_TABLE_H
#define _IPVL_CONN_TABLE_H

#include <linux/rhashtable.h>
#include <linux/workqueue.h>

#include "datapath/conn.h"
#include "datapath/conn_state.h"

/*
 * One per netns. Every connection is on "in", by its client-side tuple;
 * NAT connections are on "out" as well, by the tuple of the real
 * server's replies.
 */
struct ipvl_conn_tab {
	struct rhashtable in;
	struct rhashtable out;
	atomic_t count;			/* entries, or places reserved */
	unsigned int evict_cursor;	/* a hint; races are harmless */
	unsigned int gc_cursor;		/* the GC worker's own */
	struct delayed_work gc;
};

static inline struct ipvl_conn_tab *conn_tab(const struct ipvl_net *ipvl)
{
	return ipvl->conns;
}

static inline bool conn_expired(const struct ipvl_conn *cp, u32 now)
{
	return (s32)(READ_ONCE(cp->expires) - now) <= 0;
}

/* A template lives on while connections it controls do. */
static inline bool conn_alive(const struct ipvl_conn *cp, u32 now)
{
	if (test_bit(IPVL_CONN_F_DEAD, &cp->flags))
		return false;
	return !conn_expired(cp, now) ||
	       (cp->state == IPVL_S_TEMPLATE && refcount_read(&cp->refcnt) > 1);
}

/* Returns true if the caller set DEAD and so owns the unlink. */
static inline bool conn_kill(struct ipvl_conn *cp)
{
	return !test_and_set_bit(IPVL_CONN_F_DEAD, &cp->flags);
}

void ipvl_conn_unlink(struct ipvl_conn_tab *tab, struct ipvl_conn *cp);
bool ipvl_conn_make_room(struct ipvl_conn_tab *tab);
void ipvl_conn_gc_start(struct ipvl_conn_tab *tab);
void ipvl_conn_gc_init(struct ipvl_conn_tab *tab);
void ipvl_conn_flush(struct ipvl_conn_tab *tab);

#endif /* _IPVL_CONN_TABLE_H */
