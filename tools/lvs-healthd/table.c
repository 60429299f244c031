// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping the kernel table in line with the configuration and the
 * health of each real server. Every call reconciles the whole service,
 * so the same code serves start-up, transitions, a reloaded
 * configuration and a reloaded module.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "healthd.h"

const char *dest_name(const struct ipvl_dest *d, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(d->af, &d->addr, a, sizeof(a));
	snprintf(buf, len, d->af == AF_INET6 ? "[%s]:%u" : "%s:%u", a,
		 d->port);
	return buf;
}

const char *svc_name(const struct ipvl_service *svc, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(svc->af, &svc->addr, a, sizeof(a));
	snprintf(buf, len, svc->af == AF_INET6 ? "[%s]:%u" : "%s:%u", a,
		 svc->port);
	return buf;
}

static const struct ipvl_dest *find(const struct ipvl_dest *list, size_t n,
				    const struct ipvl_dest *d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].af == d->af && list[i].port == d->port &&
		    !memcmp(&list[i].addr, &d->addr, ipvl_addr_len(d->af)))
			return &list[i];
	return NULL;
}

static int ensure_service(struct ipvl_handle *h, struct service *s)
{
	struct ipvl_service cur;

	if (!ipvl_get_service(h, &s->svc, &cur))
		return 0;
	if (ipvl_add_service(h, &s->svc))
		return -1;
	log_msg(LOG_NOTICE, "service added to the table");
	return 0;
}

/* Puts @want into the table at @weight, or takes it out (weight < 0). */
static int ensure_dest(struct ipvl_handle *h, struct service *s,
		       const struct ipvl_dest *have, const struct ipvl_dest *want,
		       long weight)
{
	struct ipvl_dest d = *want;

	if (weight < 0)
		return have ? ipvl_del_dest(h, &s->svc, want) : 0;
	d.weight = weight;
	if (!have)
		return ipvl_add_dest(h, &s->svc, &d);
	if (have->weight != d.weight || have->fwd != d.fwd)
		return ipvl_edit_dest(h, &s->svc, &d);
	return 0;
}

static long wanted_weight(const struct service *s, const struct real *r)
{
	if (r->up)
		return r->dest.weight;
	return s->action == ACTION_REMOVE ? -1 : 0;
}

static bool all_down(const struct service *s)
{
	unsigned int i;

	for (i = 0; i < s->nreals; i++)
		if (s->reals[i].up)
			return false;
	return s->nreals > 0;
}

static int sync_sorry(struct ipvl_handle *h, struct service *s,
		      const struct ipvl_dest *have, size_t n)
{
	bool want = s->has_sorry && all_down(s);
	char name[64];

	if (!s->has_sorry)
		return 0;
	if (want != s->sorry_in)
		log_msg(LOG_WARNING, "sorry server %s %s",
			dest_name(&s->sorry, name, sizeof(name)),
			want ? "takes over: every real server is down" :
			       "steps back");
	s->sorry_in = want;
	return ensure_dest(h, s, find(have, n, &s->sorry), &s->sorry,
			   want ? (long)(s->sorry.weight ?: 1) : -1);
}

int table_sync(struct ipvl_handle *h, struct service *s)
{
	struct ipvl_dest *have = NULL;
	unsigned int i;
	size_t n = 0;
	int ret = 0;

	if (ensure_service(h, s) || ipvl_get_dests(h, &s->svc, &have, &n))
		return -1;
	for (i = 0; i < s->nreals && !ret; i++)
		ret = ensure_dest(h, s, find(have, n, &s->reals[i].dest),
				  &s->reals[i].dest,
				  wanted_weight(s, &s->reals[i]));
	if (!ret)
		ret = sync_sorry(h, s, have, n);
	free(have);
	return ret;
}

int table_set_state(struct ipvl_handle *h, struct service *s, struct real *r,
		    bool up)
{
	char name[64];

	r->up = up;
	log_msg(up ? LOG_NOTICE : LOG_WARNING, "real server %s is %s: %s",
		dest_name(&r->dest, name, sizeof(name)), up ? "up" : "down",
		up ? "weight restored" :
		s->action == ACTION_REMOVE ? "removed" : "quiesced (weight 0)");
	return table_sync(h, s);
}
