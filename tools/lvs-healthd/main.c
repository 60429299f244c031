// SPDX-License-Identifier: GPL-2.0
/*
 * lvs-healthd: checks the real servers of the services in its
 * configuration and keeps the ip_vs_lite table in line with what is
 * healthy. SIGHUP reloads the configuration, SIGTERM stops it.
 */

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "healthd.h"

#define DEFAULT_CONFIG	"/etc/lvs-healthd.conf"

static void help(FILE *f)
{
	fprintf(f, "usage: lvs-healthd [-f CONFIG] [-s] [-1]\n"
		"  -f CONFIG  configuration file (default " DEFAULT_CONFIG ")\n"
		"  -s         log to syslog instead of stderr\n"
		"  -1         one round of checks, then exit\n");
}

/* The handle, reopened after a failure (the module may have reloaded). */
static struct ipvl_handle *handle(struct ipvl_handle **h)
{
	if (*h)
		return *h;
	if (ipvl_open(h)) {
		log_msg(LOG_ERR, "netlink: %s", *h ? ipvl_errmsg(*h) :
			"out of memory");
		ipvl_close(*h);
		*h = NULL;
	}
	return *h;
}

static void table_failed(struct ipvl_handle **h)
{
	log_msg(LOG_ERR, "table update failed: %s", ipvl_errmsg(*h));
	ipvl_close(*h);
	*h = NULL;
}

static void check_real(struct ipvl_handle **h, struct service *s,
		       struct real *r, time_t now)
{
	bool ok;

	r->next = now + s->check.interval;
	ok = check_run(&s->check, &r->dest);
	if (ok) {
		r->fails = 0;
		if (!r->up && ++r->oks >= s->check.rise && handle(h) &&
		    table_set_state(*h, s, r, true))
			table_failed(h);
		return;
	}
	r->oks = 0;
	if (r->up && ++r->fails >= s->check.retries && handle(h) &&
	    table_set_state(*h, s, r, false))
		table_failed(h);
}

static void round_of_checks(struct ipvl_handle **h, struct config *cfg)
{
	time_t now = time(NULL);
	unsigned int i, j;

	for (i = 0; i < cfg->nsvcs; i++) {
		struct service *s = &cfg->svcs[i];

		/* Re-applies the table if someone (or a reload) lost it. */
		if (handle(h) && table_sync(*h, s))
			table_failed(h);
		for (j = 0; j < s->nreals; j++)
			if (s->reals[j].next <= now)
				check_real(h, s, &s->reals[j], now);
		hook_sync(s);
	}
}

static int load(const char *path, struct config *cfg)
{
	struct config fresh;
	char err[512];

	if (config_load(path, &fresh, err, sizeof(err))) {
		log_msg(LOG_ERR, "%s: %s", path, err);
		return -1;
	}
	config_free(cfg);
	*cfg = fresh;
	log_msg(LOG_NOTICE, "configuration loaded: %u service(s)",
		cfg->nsvcs);
	return 0;
}

/*
 * Signals stay blocked and are taken here, between rounds, so a reload
 * never lands in the middle of one.
 */
static bool wait_signal(const sigset_t *set, const char *path,
			struct config *cfg)
{
	struct timespec tick = { .tv_sec = 1 };
	int sig = sigtimedwait(set, NULL, &tick);

	if (sig == SIGHUP)
		load(path, cfg);
	return sig == SIGTERM || sig == SIGINT;
}

static void run(const char *path, struct config *cfg, bool once)
{
	struct ipvl_handle *h = NULL;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	do
		round_of_checks(&h, cfg);
	while (!once && !wait_signal(&set, path, cfg));
	ipvl_close(h);
}

int main(int argc, char **argv)
{
	const char *path = DEFAULT_CONFIG;
	struct config cfg = { 0 };
	bool once = false;
	int opt;

	while ((opt = getopt(argc, argv, "f:s1h")) != -1) {
		switch (opt) {
		case 'f':
			path = optarg;
			break;
		case 's':
			log_use_syslog();
			break;
		case '1':
			once = true;
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			help(stderr);
			return 2;
		}
	}
	if (load(path, &cfg))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	run(path, &cfg, once);
	config_free(&cfg);
	log_msg(LOG_NOTICE, "stopped");
	return 0;
}
