/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: one generic netlink socket to the IPVS_LITE family, with the
 * kernel's extended ACK kept for the error line.
 */
#ifndef LVSADM_NLSOCK_H
#define LVSADM_NLSOCK_H

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the kernel said about the last request. */
struct lvs_nl_ext {
	int error;		/* positive errno; 0 if accepted */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if none */
	bool has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS */
	bool has_miss_type;
	uint16_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE */
};

struct lvs_nl;

struct lvs_nl *lvs_nl_open(void);
void lvs_nl_close(struct lvs_nl *nl);
uint16_t lvs_nl_family(const struct lvs_nl *nl);
int lvs_nl_talk(struct lvs_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		void *data);
const struct lvs_nl_ext *lvs_nl_last(const struct lvs_nl *nl);
int lvs_nl_parse_ext(const struct nlmsghdr *nlh, struct lvs_nl_ext *ext);
void lvs_nl_ext_text(const struct lvs_nl_ext *ext, char *buf, size_t len);

#endif /* LVSADM_NLSOCK_H */
