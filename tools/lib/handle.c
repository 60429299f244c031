// SPDX-License-Identifier: GPL-2.0
/*
 * The handle: opening, closing, the last failure, and raw exchanges.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int ipvl_set_err(struct ipvl_handle *h, int errnum, const char *fmt, ...)
{
	va_list ap;

	h->errnum = errnum;
	va_start(ap, fmt);
	vsnprintf(h->err, sizeof(h->err), fmt, ap);
	va_end(ap);
	return -1;
}

void ipvl_clear_err(struct ipvl_handle *h)
{
	h->errnum = 0;
	h->err[0] = '\0';
	memset(&h->ext, 0, sizeof(h->ext));
}

int ipvl_open(struct ipvl_handle **hp)
{
	struct ipvl_handle *h = calloc(1, sizeof(*h));

	*hp = h;
	if (!h)
		return -1;
	return ipvl_tp_open(h);
}

void ipvl_close(struct ipvl_handle *h)
{
	if (!h)
		return;
	ipvl_tp_close(h);
	free(h);
}

const char *ipvl_errmsg(const struct ipvl_handle *h)
{
	if (!h)
		return "out of memory";
	return h->err[0] ? h->err : "no error";
}

int ipvl_errno(const struct ipvl_handle *h)
{
	return h ? h->errnum : ENOMEM;
}

const struct ipvl_ext *ipvl_last_ext(const struct ipvl_handle *h)
{
	return &h->ext;
}

struct nlmsghdr *ipvl_msg_new(struct ipvl_handle *h, void *buf, uint8_t cmd,
			      uint16_t flags)
{
	return ipvl_msg_put_header(buf, h->family, cmd, flags);
}

int ipvl_talk(struct ipvl_handle *h, struct nlmsghdr *req, ipvl_msg_cb cb,
	      void *data)
{
	ipvl_clear_err(h);
	return ipvl_tp_talk(h, req, cb, data);
}

const char *ipvl_drop_name(unsigned int type)
{
	static const char *const names[IPVL_DROP_MAX + 1] = {
		[IPVL_DROP_NO_DEST]	= "no_dest",
		[IPVL_DROP_DEST_GONE]	= "dest_gone",
		[IPVL_DROP_NO_ROUTE]	= "no_route",
		[IPVL_DROP_TOO_BIG]	= "too_big",
		[IPVL_DROP_CONN_LIMIT]	= "conn_limit",
		[IPVL_DROP_NO_MEM]	= "no_mem",
	};

	return type <= IPVL_DROP_MAX && names[type] ? names[type] : "";
}
