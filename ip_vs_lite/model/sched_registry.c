// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler registry. Schedulers are modules that register by name; a
 * service holds a reference on its scheduler's module, so a scheduler in
 * use cannot be unloaded.
 */

#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/rculist.h>

#include "model/sched_registry.h"

static LIST_HEAD(sched_list);
static DEFINE_MUTEX(sched_mutex);

static struct ipvl_sched_ops *sched_find(const char *name)
{
	struct ipvl_sched_ops *ops;

	lockdep_assert_held(&sched_mutex);
	list_for_each_entry(ops, &sched_list, list)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

int ipvl_register_scheduler(struct ipvl_sched_ops *ops)
{
	int ret = 0;

	if (!ops->name || !ops->schedule ||
	    strlen(ops->name) >= IPVL_SCHED_NAME_MAX)
		return -EINVAL;
	mutex_lock(&sched_mutex);
	if (sched_find(ops->name))
		ret = -EEXIST;
	else
		list_add_tail(&ops->list, &sched_list);
	mutex_unlock(&sched_mutex);
	if (!ret)
		pr_info("scheduler %s registered\n", ops->name);
	return ret;
}
EXPORT_SYMBOL_GPL(ipvl_register_scheduler);

void ipvl_unregister_scheduler(struct ipvl_sched_ops *ops)
{
	mutex_lock(&sched_mutex);
	list_del(&ops->list);
	mutex_unlock(&sched_mutex);
	pr_info("scheduler %s unregistered\n", ops->name);
}
EXPORT_SYMBOL_GPL(ipvl_unregister_scheduler);

static const struct ipvl_sched_ops *sched_try_get(const char *name)
{
	struct ipvl_sched_ops *ops;

	mutex_lock(&sched_mutex);
	ops = sched_find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	mutex_unlock(&sched_mutex);
	return ops;
}

/* Loads the scheduler's module on first use, by its alias. */
const struct ipvl_sched_ops *ipvl_sched_get(const char *name)
{
	const struct ipvl_sched_ops *ops = sched_try_get(name);

	if (ops)
		return ops;
	request_module("ipvl-sched-%s", name);
	return sched_try_get(name);
}

void ipvl_sched_put(const struct ipvl_sched_ops *ops)
{
	module_put(ops->owner);
}

void ipvl_sched_no_dest(const struct ipvl_service *svc,
			const struct ipvl_sched_ops *ops)
{
	if (svc->af == AF_INET6)
		net_dbg_ratelimited("%s: no usable real server for [%pI6c]:%u\n",
				    ops->name, &svc->addr.in6,
				    ntohs(svc->port));
	else
		net_dbg_ratelimited("%s: no usable real server for %pI4:%u\n",
				    ops->name, &svc->addr.ip, ntohs(svc->port));
}
EXPORT_SYMBOL_GPL(ipvl_sched_no_dest);

/*
 * oh_a / w_a > oh_b / w_b is tested as oh_a * w_b > oh_b * w_a: no
 * division on the packet path and no rounding. A 32-bit overhead times a
 * weight of at most 65535 needs 64 bits. Strictly greater, so that ties
 * go to the server first in the list.
 */
struct ipvl_dest *ipvl_sched_least_weighted(struct ipvl_service *svc)
{
	struct ipvl_dest *dest, *least = NULL;
	u64 oh, least_oh = 0;
	int w, least_w = 0;

	ipvl_for_each_dest_rcu(dest, svc) {
		w = READ_ONCE(dest->weight);
		/* The weight may reach 0 between two reads: test both. */
		if (!ipvl_dest_usable(dest) || w <= 0)
			continue;
		oh = ipvl_dest_overhead(dest);
		if (!least || least_oh * w > oh * least_w) {
			least = dest;
			least_oh = oh;
			least_w = w;
		}
	}
	return least;
}
EXPORT_SYMBOL_GPL(ipvl_sched_least_weighted);
