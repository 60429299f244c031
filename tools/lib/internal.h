/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libipvl internals: the handle, the transport under it, and the
 * message codec. The transport is the only part that touches a socket,
 * so the unit tests can put a scripted kernel in its place.
 */
#ifndef IPVL_INTERNAL_H
#define IPVL_INTERNAL_H

#include <stdarg.h>

#include "ipvl.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

struct ipvl_handle {
	void *tp;		/* the transport's own state */
	uint16_t family;	/* IPVS_LITE's id, once resolved */
	struct ipvl_ext ext;
	int errnum;
	char err[512];
};

/* The transport: nl.c on a real socket. */
int ipvl_tp_open(struct ipvl_handle *h);
void ipvl_tp_close(struct ipvl_handle *h);
int ipvl_tp_talk(struct ipvl_handle *h, struct nlmsghdr *req, ipvl_msg_cb cb,
		 void *data);

int ipvl_set_err(struct ipvl_handle *h, int errnum, const char *fmt, ...)
	__printf(3, 4);
void ipvl_clear_err(struct ipvl_handle *h);
/* The line shown for a rejection described by @ext. */
void ipvl_ext_text(const struct ipvl_ext *ext, char *buf, size_t len);
int ipvl_parse_ext(const struct nlmsghdr *nlh, struct ipvl_ext *ext);

/* msg.c: requests */
struct nlmsghdr *ipvl_msg_put_header(void *buf, uint16_t family, uint8_t cmd,
				     uint16_t flags);
void ipvl_put_svc_id(struct nlmsghdr *nlh, const struct ipvl_service *svc);
void ipvl_put_svc_cfg(struct nlmsghdr *nlh, const struct ipvl_service *svc);
void ipvl_put_dest_id(struct nlmsghdr *nlh, const struct ipvl_dest *dest);
void ipvl_put_dest_cfg(struct nlmsghdr *nlh, const struct ipvl_dest *dest);
void ipvl_put_timeout(struct nlmsghdr *nlh, const struct ipvl_timeout *t);

/* msg.c: replies; -1 if malformed */
int ipvl_parse_service(const struct nlmsghdr *nlh, struct ipvl_service *svc);
int ipvl_parse_dest(const struct nlmsghdr *nlh, uint16_t svc_af,
		    struct ipvl_dest *dest);
int ipvl_parse_conn(const struct nlmsghdr *nlh, struct ipvl_conn *conn);
int ipvl_parse_info(const struct nlmsghdr *nlh, struct ipvl_info *info);
int ipvl_parse_timeout(const struct nlmsghdr *nlh, struct ipvl_timeout *t);

#endif /* IPVL_INTERNAL_H */
