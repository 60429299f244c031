// SPDX-License-Identifier: GPL-2.0
/*
 * Changing the table: one request with NLM_F_ACK per call, so the
 * kernel applies all of it or none of it and always answers.
 */
#include <libmnl/libmnl.h>

#include "internal.h"

static int change(struct ipvl_handle *h, uint8_t cmd,
		  const struct ipvl_service *svc,
		  void (*put_svc)(struct nlmsghdr *,
				  const struct ipvl_service *),
		  const struct ipvl_dest *dest,
		  void (*put_dest)(struct nlmsghdr *,
				   const struct ipvl_dest *))
{
	char buf[IPVL_MSG_BUFSZ];
	struct nlmsghdr *req;

	req = ipvl_msg_new(h, buf, cmd, NLM_F_ACK);
	if (svc)
		ipvl_put_svc_id(req, svc);
	if (put_svc)
		put_svc(req, svc);
	if (dest)
		ipvl_put_dest_id(req, dest);
	if (put_dest)
		put_dest(req, dest);
	return ipvl_talk(h, req, NULL, NULL);
}

int ipvl_add_service(struct ipvl_handle *h, const struct ipvl_service *svc)
{
	return change(h, IPVL_CMD_NEW_SERVICE, svc, ipvl_put_svc_cfg, NULL,
		      NULL);
}

int ipvl_edit_service(struct ipvl_handle *h, const struct ipvl_service *svc)
{
	return change(h, IPVL_CMD_SET_SERVICE, svc, ipvl_put_svc_cfg, NULL,
		      NULL);
}

int ipvl_del_service(struct ipvl_handle *h, const struct ipvl_service *svc)
{
	return change(h, IPVL_CMD_DEL_SERVICE, svc, NULL, NULL, NULL);
}

int ipvl_add_dest(struct ipvl_handle *h, const struct ipvl_service *svc,
		  const struct ipvl_dest *dest)
{
	return change(h, IPVL_CMD_NEW_DEST, svc, NULL, dest,
		      ipvl_put_dest_cfg);
}

int ipvl_edit_dest(struct ipvl_handle *h, const struct ipvl_service *svc,
		   const struct ipvl_dest *dest)
{
	return change(h, IPVL_CMD_SET_DEST, svc, NULL, dest,
		      ipvl_put_dest_cfg);
}

static void put_drain(struct nlmsghdr *nlh, const struct ipvl_dest *dest)
{
	if (dest->drain)
		mnl_attr_put(nlh, IPVL_A_DEST_DRAIN, 0, NULL);
}

int ipvl_del_dest(struct ipvl_handle *h, const struct ipvl_service *svc,
		  const struct ipvl_dest *dest)
{
	return change(h, IPVL_CMD_DEL_DEST, svc, NULL, dest, put_drain);
}

int ipvl_flush(struct ipvl_handle *h)
{
	return change(h, IPVL_CMD_FLUSH, NULL, NULL, NULL, NULL);
}

/* Without a service the kernel zeroes every counter. */
int ipvl_zero(struct ipvl_handle *h, const struct ipvl_service *svc)
{
	return change(h, IPVL_CMD_ZERO, svc, NULL, NULL, NULL);
}

int ipvl_set_timeout(struct ipvl_handle *h, const struct ipvl_timeout *t)
{
	char buf[IPVL_MSG_BUFSZ];
	struct nlmsghdr *req;

	req = ipvl_msg_new(h, buf, IPVL_CMD_SET_TIMEOUT, NLM_F_ACK);
	ipvl_put_timeout(req, t);
	return ipvl_talk(h, req, NULL, NULL);
}
