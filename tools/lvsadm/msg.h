/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: IPVS_LITE messages, built and parsed without a socket so that
 * both directions can be checked on any host.
 */
#ifndef LVSADM_MSG_H
#define LVSADM_MSG_H

#include <linux/netlink.h>
#include <stdint.h>

#include "types.h"

/* Every request lvsadm sends fits easily; replies use their own buffer. */
#define LVS_MSG_BUFSZ	1024

struct nlmsghdr *lvs_msg_new(void *buf, uint16_t family, uint8_t cmd,
			     uint16_t flags);
void lvs_msg_put_svc_id(struct nlmsghdr *nlh, const struct lvs_service *svc);
void lvs_msg_put_svc(struct nlmsghdr *nlh, const struct lvs_service *svc);
void lvs_msg_put_dest_id(struct nlmsghdr *nlh, const struct lvs_dest *dest);
void lvs_msg_put_dest(struct nlmsghdr *nlh, const struct lvs_dest *dest);
void lvs_msg_put_timeout(struct nlmsghdr *nlh, const struct lvs_timeout *t);

int lvs_msg_parse_service(const struct nlmsghdr *nlh,
			  struct lvs_service *svc);
int lvs_msg_parse_dest(const struct nlmsghdr *nlh, uint16_t svc_af,
		       struct lvs_dest *dest);
int lvs_msg_parse_info(const struct nlmsghdr *nlh, struct lvs_info *info);
int lvs_msg_parse_timeout(const struct nlmsghdr *nlh, struct lvs_timeout *t);

#endif /* LVSADM_MSG_H */
