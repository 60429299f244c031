// SPDX-License-Identifier: GPL-2.0
/*
 * Draining: a real server taken out of its service gracefully gets no
 * new connections (its weight is 0) but keeps forwarding those it has,
 * and stays listed, until the last of them and of its persistence
 * templates has gone; only then is it deleted. Editing it meanwhile
 * (lvsadm -e) keeps it.
 */

#include <linux/workqueue.h>

#include "model/drain.h"
#include "model/service.h"

/* How often a netns with draining real servers looks at them again. */
#define IPVL_DRAIN_PERIOD	HZ

static bool dest_idle(const struct ipvl_dest *dest)
{
	return !atomic_read(&dest->activeconns) &&
	       !atomic_read(&dest->inactconns) &&
	       !atomic_read(&dest->persistconns);
}

/* Deletes the drained real servers; true if some are still draining. */
static bool drain_pass(struct ipvl_net *ipvl)
{
	struct ipvl_service *svc;
	struct ipvl_dest *dest, *next;
	bool more = false;
	int bkt;

	lockdep_assert_held(&ipvl->lock);
	hash_for_each(ipvl->svc_tab, bkt, svc, node) {
		list_for_each_entry_safe(dest, next, &svc->dests, list) {
			if (!test_bit(IPVL_DEST_F_DRAINING, &dest->flags))
				continue;
			if (dest_idle(dest))
				ipvl_dest_del(svc, dest);
			else
				more = true;
		}
	}
	return more;
}

static void drain_work(struct work_struct *work)
{
	struct ipvl_net *ipvl = container_of(to_delayed_work(work),
					     struct ipvl_net, drain_work);
	bool more;

	mutex_lock(&ipvl->lock);
	more = drain_pass(ipvl);
	mutex_unlock(&ipvl->lock);
	if (more)
		queue_delayed_work(system_power_efficient_wq,
				   &ipvl->drain_work, IPVL_DRAIN_PERIOD);
}

int ipvl_dest_drain(struct ipvl_service *svc, struct ipvl_dest *dest)
{
	struct ipvl_net *ipvl = ipvl_net(svc->net);
	struct ipvl_dest_cfg cfg = {
		.af = dest->af,
		.addr = dest->addr,
		.port = dest->port,
		.fwd = dest->fwd,
		.weight = 0,
		.u_thresh = dest->u_thresh,
		.l_thresh = dest->l_thresh,
	};
	int ret;

	lockdep_assert_held(svc->lock);
	if (dest_idle(dest)) {
		ipvl_dest_del(svc, dest);
		return 0;
	}
	ret = ipvl_dest_edit(svc, dest, &cfg);
	if (ret)
		return ret;
	set_bit(IPVL_DEST_F_DRAINING, &dest->flags);
	queue_delayed_work(system_power_efficient_wq, &ipvl->drain_work,
			   IPVL_DRAIN_PERIOD);
	return 0;
}

/* Deletion as the request, or the drain_on_delete sysctl, asks. */
int ipvl_dest_remove(struct ipvl_service *svc, struct ipvl_dest *dest,
		     bool drain)
{
	lockdep_assert_held(svc->lock);
	if (drain || READ_ONCE(ipvl_net(svc->net)->drain_on_delete))
		return ipvl_dest_drain(svc, dest);
	ipvl_dest_del(svc, dest);
	return 0;
}

void ipvl_drain_net_init(struct ipvl_net *ipvl)
{
	INIT_DELAYED_WORK(&ipvl->drain_work, drain_work);
}

/* Once the netns has no services left: nothing can queue the work again. */
void ipvl_drain_net_exit(struct ipvl_net *ipvl)
{
	cancel_delayed_work_sync(&ipvl->drain_work);
}
