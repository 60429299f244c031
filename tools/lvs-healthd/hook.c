// SPDX-License-Identifier: GPL-2.0
/*
 * lvs-healthd: the commands a service runs when it loses its last healthy
 * real server (on_down) and when it has one again (on_up), for example
 * to withdraw the virtual address from BGP and announce it again.
 */

#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "healthd.h"

/* A hook that hangs is killed after this long; checks wait meanwhile. */
#define HOOK_TIMEOUT_MS	10000

static const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_SCTP:
		return "sctp";
	default:
		return "tcp";
	}
}

static void hook_exec(const struct service *s, const char *cmd, bool up)
{
	char addr[INET6_ADDRSTRLEN], port[8];

	inet_ntop(s->svc.af, &s->svc.addr, addr, sizeof(addr));
	snprintf(port, sizeof(port), "%u", s->svc.port);
	setenv("SVC_PROTO", proto_name(s->svc.protocol), 1);
	setenv("SVC_ADDR", addr, 1);
	setenv("SVC_PORT", port, 1);
	setenv("SVC_STATE", up ? "up" : "down", 1);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Runs @cmd to its end, or HOOK_TIMEOUT_MS; its exit status, or -1. */
static int hook_run(const struct service *s, const char *cmd, bool up)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int status, waited = 0;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid)
		hook_exec(s, cmd, up);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (waited >= HOOK_TIMEOUT_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		nanosleep(&tick, NULL);
		waited += 20;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool any_up(const struct service *s)
{
	unsigned int i;

	for (i = 0; i < s->nreals; i++)
		if (s->reals[i].up)
			return true;
	return false;
}

/*
 * After a round of checks: the hook of the service's new state, when it
 * changed, and once after start or reload, so that whatever the hooks
 * drive starts out right. A hook that failed runs again next round.
 */
void hook_sync(struct service *s)
{
	bool up = any_up(s);
	const char *cmd = up ? s->on_up : s->on_down;
	enum svc_health want = up ? HEALTH_UP : HEALTH_DOWN;
	char name[64];
	int rc;

	if (s->health == want)
		return;
	if (!cmd[0]) {
		s->health = want;
		return;
	}
	rc = hook_run(s, cmd, up);
	log_msg(rc ? LOG_ERR : LOG_NOTICE, "service %s %s: on_%s %s",
		svc_name(&s->svc, name, sizeof(name)),
		up ? "has a healthy real server" : "has no healthy real server",
		up ? "up" : "down", rc ? "failed, again next round" : "done");
	if (!rc)
		s->health = want;
}
