/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: the command line, in ipvsadm's syntax.
 */
#ifndef LVSADM_ARGS_H
#define LVSADM_ARGS_H

#include <stdio.h>

#include "table.h"

#define LVSADM_VERSION		"1.1.0"
#define LVS_DEF_SCHED		"wlc"
#define LVS_MAX_TIMEOUT		(86400 * 31)
#define LVS_DEF_PERSIST		300
#define LVS_MAX_THRESH		0x7fffffffU

enum lvs_cmd_type {
	LVS_CMD_NONE,
	LVS_CMD_ADD_SVC,
	LVS_CMD_EDIT_SVC,
	LVS_CMD_DEL_SVC,
	LVS_CMD_FLUSH,
	LVS_CMD_LIST,
	LVS_CMD_ADD_DEST,
	LVS_CMD_DEL_DEST,
	LVS_CMD_EDIT_DEST,
	LVS_CMD_TIMEOUT,
	LVS_CMD_RESTORE,
	LVS_CMD_SAVE,
	LVS_CMD_ZERO,
	LVS_CMD_HELP,
	LVS_CMD_VERSION,
	LVS_CMD_INFO,
	LVS_CMD_COUNT
};

/* Options, in the order their conflicts are reported (ipvsadm's). */
enum lvs_opt {
	LVS_OPT_NUMERIC,
	LVS_OPT_CONNECTION,
	LVS_OPT_SERVICE,
	LVS_OPT_SCHED,
	LVS_OPT_PERSISTENT,
	LVS_OPT_NETMASK,
	LVS_OPT_SERVER,
	LVS_OPT_FWD,
	LVS_OPT_WEIGHT,
	LVS_OPT_UTHRESH,
	LVS_OPT_LTHRESH,
	LVS_OPT_TIMEOUT,
	LVS_OPT_STATS,
	LVS_OPT_EXACT,
	LVS_OPT_ONEPACKET,
	LVS_OPT_SCHED_FLAGS,
	LVS_OPT_PERSISTCONN,
	LVS_OPT_NOSORT,
	LVS_OPT_RATE,
	LVS_OPT_THRESHOLDS,
	LVS_OPT_SLOPPY,
	LVS_OPT_JSON,
	LVS_OPT_DRAIN,
	LVS_OPT_TUN_INFO,
	LVS_OPT_TUN_TYPE,
	LVS_OPT_TUN_PORT,
	LVS_OPT_TUN_NOCSUM,
	LVS_OPT_TUN_CSUM,
	LVS_OPT_TUN_REMCSUM,
	LVS_OPT_COUNT
};

#define LVS_OPT(o)	(1U << LVS_OPT_##o)

struct lvs_cmd {
	enum lvs_cmd_type type;
	unsigned int opts;		/* LVS_OPT() bits given */
	unsigned int fmt;		/* LVS_FMT_* */
	struct ipvl_service svc;
	struct ipvl_dest dest;
	struct ipvl_timeout timeout;
};

int lvs_parse_args(int argc, char **argv, struct lvs_cmd *cmd);
void lvs_usage(FILE *f, const char *prog);
void lvs_version(FILE *f);

#endif /* LVSADM_ARGS_H */
