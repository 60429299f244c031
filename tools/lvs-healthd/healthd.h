/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvs-healthd: keeps the ip_vs_lite table in line with which real
 * servers answer their health checks.
 */
#ifndef HEALTHD_H
#define HEALTHD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ipvl.h"

enum check_type { CHECK_TCP, CHECK_HTTP, CHECK_COMMAND };
enum action { ACTION_QUIESCE, ACTION_REMOVE };
/* What the service's hooks last made of it. */
enum svc_health { HEALTH_UNKNOWN, HEALTH_UP, HEALTH_DOWN };

struct check {
	enum check_type type;
	unsigned int interval;		/* seconds between checks */
	unsigned int timeout;		/* seconds per check */
	unsigned int retries;		/* failures before a server is down */
	unsigned int rise;		/* successes before it is up again */
	char path[256];			/* http */
	unsigned int status_min, status_max;
	char expect[256];		/* http: body substring, "" = any */
	char command[512];		/* command: run by /bin/sh */
};

struct real {
	struct ipvl_dest dest;		/* as configured */
	bool up;			/* what the table reflects */
	unsigned int fails, oks;
	time_t next;
};

struct service {
	struct ipvl_service svc;
	struct check check;
	enum action action;
	struct real *reals;
	unsigned int nreals;
	bool has_sorry;
	struct ipvl_dest sorry;
	bool sorry_in;			/* the sorry server is in the table */
	char on_up[512];		/* run by /bin/sh: some real server up */
	char on_down[512];		/* none */
	enum svc_health health;
};

struct config {
	struct service *svcs;
	unsigned int nsvcs;
};

int config_load(const char *path, struct config *cfg, char *err,
		size_t errlen);
void config_free(struct config *cfg);

bool check_run(const struct check *c, const struct ipvl_dest *d);

void log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_use_syslog(void);

int table_sync(struct ipvl_handle *h, struct service *s);
int table_set_state(struct ipvl_handle *h, struct service *s, struct real *r,
		    bool up);

const char *dest_name(const struct ipvl_dest *d, char *buf, size_t len);
const char *svc_name(const struct ipvl_service *svc, char *buf, size_t len);

void hook_sync(struct service *s);

#endif /* HEALTHD_H */
