/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scripted stand-in for the IPVS_LITE family, in place of libipvl's
 * socket transport: it keeps a small table, answers requests from it,
 * applies changes to it, and records every request it was sent.
 */
#ifndef LVSADM_FAKE_NL_H
#define LVSADM_FAKE_NL_H

#include <stdbool.h>

#include "internal.h"

#define FAKE_FAMILY	0x42
#define FAKE_MAX_SVCS	8
#define FAKE_MAX_DESTS	8
#define FAKE_MAX_CONNS	8
#define FAKE_MAX_REQS	64

struct fake_svc {
	struct ipvl_service svc;
	struct ipvl_dest dests[FAKE_MAX_DESTS];
	unsigned int ndests;
};

struct fake_kernel {
	struct ipvl_info info;
	struct ipvl_timeout timeout;
	struct fake_svc svcs[FAKE_MAX_SVCS];
	unsigned int nsvcs;
	struct ipvl_conn conns[FAKE_MAX_CONNS];
	unsigned int nconns;
	/* Refuse request number reject_at (1-based) with this errno/text. */
	unsigned int reject_at;
	int reject_errno;
	const char *reject_msg;
	/* Leave the rate counters out of the stats nests, as old kernels. */
	bool no_rates;
	unsigned char reqs[FAKE_MAX_REQS][IPVL_MSG_BUFSZ] __attribute__((aligned(8)));
	unsigned int nreqs;
	unsigned int opens;
};

extern struct fake_kernel fake;

void fake_reset(void);
const struct nlmsghdr *fake_req(unsigned int i);
/* How many requests of @cmd were sent. */
unsigned int fake_count(uint8_t cmd);

#endif /* LVSADM_FAKE_NL_H */
