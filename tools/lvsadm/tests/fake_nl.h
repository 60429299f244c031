/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scripted stand-in for the IPVS_LITE family: it answers lvsadm's
 * requests from a fixed table and records every request it was sent.
 */
#ifndef LVSADM_FAKE_NL_H
#define LVSADM_FAKE_NL_H

#include <stdbool.h>

#include "msg.h"
#include "nlsock.h"
#include "types.h"

#define FAKE_FAMILY	0x42
#define FAKE_MAX_SVCS	8
#define FAKE_MAX_DESTS	8
#define FAKE_MAX_REQS	32

struct fake_svc {
	struct lvs_service svc;
	struct lvs_dest dests[FAKE_MAX_DESTS];
	unsigned int ndests;
};

struct fake_kernel {
	struct lvs_info info;
	struct lvs_timeout timeout;
	struct fake_svc svcs[FAKE_MAX_SVCS];
	unsigned int nsvcs;
	/* Refuse request number reject_at (1-based) with this errno/text. */
	unsigned int reject_at;
	int reject_errno;
	const char *reject_msg;
	unsigned char reqs[FAKE_MAX_REQS][LVS_MSG_BUFSZ];
	unsigned int nreqs;
	unsigned int opens;
};

extern struct fake_kernel fake;

void fake_reset(void);
const struct nlmsghdr *fake_req(unsigned int i);

#endif /* LVSADM_FAKE_NL_H */
