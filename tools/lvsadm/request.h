/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: the IPVS_LITE request for each command.
 *
 * A change is always exactly one request with NLM_F_ACK, so the kernel
 * either applies all of it or none of it and always answers.
 */
#ifndef LVSADM_REQUEST_H
#define LVSADM_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "args.h"
#include "types.h"

bool lvs_cmd_is_change(enum lvs_cmd_type type);
struct nlmsghdr *lvs_req_change(void *buf, uint16_t family,
				const struct lvs_cmd *cmd);
struct nlmsghdr *lvs_req_info(void *buf, uint16_t family);
struct nlmsghdr *lvs_req_timeout(void *buf, uint16_t family);
struct nlmsghdr *lvs_req_services(void *buf, uint16_t family);
struct nlmsghdr *lvs_req_service(void *buf, uint16_t family,
				 const struct lvs_service *svc);
struct nlmsghdr *lvs_req_dests(void *buf, uint16_t family,
			       const struct lvs_service *svc);

#endif /* LVSADM_REQUEST_H */
