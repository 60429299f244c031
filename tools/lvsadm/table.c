// SPDX-License-Identifier: GPL-2.0
/*
 * The table as a whole: read into memory for listings and snapshots,
 * and brought back to a snapshot after a failed restore.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "err.h"
#include "fmt.h"

void lvs_table_free(struct lvs_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].dests);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int read_services(struct lvs_ctx *ctx, struct lvs_table *t,
			 const struct ipvl_service *only)
{
	struct ipvl_service *svcs;
	size_t i, n = 1;

	if (only) {
		svcs = malloc(sizeof(*svcs));
		if (!svcs)
			return lvs_err("out of memory");
		if (ipvl_get_service(ctx->h, only, svcs)) {
			free(svcs);
			return lvs_lib_err(ctx);
		}
	} else if (ipvl_get_services(ctx->h, &svcs, &n)) {
		return lvs_lib_err(ctx);
	}
	t->v = calloc(n ? n : 1, sizeof(*t->v));
	if (!t->v) {
		free(svcs);
		return lvs_err("out of memory");
	}
	for (i = 0; i < n; i++)
		t->v[i].svc = svcs[i];
	t->n = n;
	free(svcs);
	return 0;
}

int lvs_table_read(struct lvs_ctx *ctx, struct lvs_table *t,
		   const struct ipvl_service *only, unsigned int fmt)
{
	bool sort = !(fmt & LVS_FMT_NOSORT);
	struct lvs_entry *e;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (read_services(ctx, t, only))
		return -1;
	if (sort && t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), ipvl_service_cmp);
	for (i = 0; i < t->n; i++) {
		e = &t->v[i];
		if (ipvl_get_dests(ctx->h, &e->svc, &e->dests, &e->ndests)) {
			lvs_table_free(t);
			return lvs_lib_err(ctx);
		}
		if (sort && e->ndests > 1)
			qsort(e->dests, e->ndests, sizeof(*e->dests),
			      ipvl_dest_cmp);
	}
	return 0;
}

static const struct lvs_entry *find_entry(const struct lvs_table *t,
					  const struct ipvl_service *svc)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (ipvl_same_service(&t->v[i].svc, svc))
			return &t->v[i];
	return NULL;
}

static const struct ipvl_dest *find_dest(const struct lvs_entry *e,
					 const struct ipvl_dest *d)
{
	size_t i;

	for (i = 0; i < e->ndests; i++)
		if (!ipvl_dest_cmp(&e->dests[i], d))
			return &e->dests[i];
	return NULL;
}

static bool same_svc_cfg(const struct ipvl_service *a,
			 const struct ipvl_service *b)
{
	bool persistent = a->flags & IPVL_SVC_F_PERSISTENT;

	return !strcmp(a->sched, b->sched) && a->flags == b->flags &&
	       a->netmask == b->netmask &&
	       (!persistent || a->timeout == b->timeout);
}

static bool same_dest_cfg(const struct ipvl_dest *a, const struct ipvl_dest *b)
{
	return a->fwd == b->fwd && a->weight == b->weight &&
	       a->u_thresh == b->u_thresh && a->l_thresh == b->l_thresh &&
	       a->tun_type == b->tun_type && a->tun_port == b->tun_port &&
	       a->tun_flags == b->tun_flags;
}

/* Real servers of a service both tables have: drop, add, edit. */
static int converge_dests(struct ipvl_handle *h, const struct lvs_entry *want,
			  const struct lvs_entry *have)
{
	const struct ipvl_dest *d;
	size_t i;

	for (i = 0; i < have->ndests; i++)
		if (!find_dest(want, &have->dests[i]) &&
		    ipvl_del_dest(h, &want->svc, &have->dests[i]))
			return -1;
	for (i = 0; i < want->ndests; i++) {
		d = find_dest(have, &want->dests[i]);
		if (!d && ipvl_add_dest(h, &want->svc, &want->dests[i]))
			return -1;
		if (d && !same_dest_cfg(d, &want->dests[i]) &&
		    ipvl_edit_dest(h, &want->svc, &want->dests[i]))
			return -1;
	}
	return 0;
}

static int converge_entry(struct ipvl_handle *h, const struct lvs_entry *want,
			  const struct lvs_table *have)
{
	static const struct lvs_entry none;
	const struct lvs_entry *e = find_entry(have, &want->svc);

	if (!e) {
		if (ipvl_add_service(h, &want->svc))
			return -1;
		e = &none;
	} else if (!same_svc_cfg(&e->svc, &want->svc) &&
		   ipvl_edit_service(h, &want->svc)) {
		return -1;
	}
	return converge_dests(h, want, e);
}

/*
 * Services that exist in both are edited in place, so their
 * connections and counters survive; the rest is deleted or re-added.
 */
int lvs_table_converge(struct lvs_ctx *ctx, const struct lvs_table *want)
{
	struct lvs_table have;
	size_t i;
	int ret = 0;

	if (lvs_table_read(ctx, &have, NULL, LVS_FMT_NOSORT))
		return -1;
	for (i = 0; !ret && i < have.n; i++)
		if (!find_entry(want, &have.v[i].svc))
			ret = ipvl_del_service(ctx->h, &have.v[i].svc);
	for (i = 0; !ret && i < want->n; i++)
		ret = converge_entry(ctx->h, &want->v[i], &have);
	lvs_table_free(&have);
	return ret ? lvs_lib_err(ctx) : 0;
}
