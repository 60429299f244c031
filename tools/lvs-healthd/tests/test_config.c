// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lvs-healthd's configuration parser, TAP output.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "healthd.h"

static int passed, failed, num;

static void ok(int cond, const char *what)
{
	num++;
	printf("%sok %d - %s\n", cond ? "" : "not ", num, what);
	if (cond)
		passed++;
	else
		failed++;
}

static void test_good(const char *dir)
{
	char path[512], err[256] = "";
	struct config cfg;
	struct service *s;
	int ret;

	snprintf(path, sizeof(path), "%s/good.conf", dir);
	ret = config_load(path, &cfg, err, sizeof(err));
	ok(!ret, "good.conf parses");
	if (ret) {
		printf("# %s\n", err);
		return;
	}
	ok(cfg.nsvcs == 2, "two services");
	s = &cfg.svcs[0];
	ok(s->svc.protocol == IPPROTO_TCP && s->svc.port == 80 &&
	   !strcmp(s->svc.sched, "rr"), "service 1: tcp port 80 rr");
	ok(s->nreals == 2 && s->reals[0].dest.weight == 3 &&
	   s->reals[0].dest.port == 80 && s->reals[1].dest.weight == 1,
	   "service 1: real servers, weights, port defaults to the service's");
	ok(s->check.type == CHECK_HTTP && !strcmp(s->check.path, "/health") &&
	   s->check.status_min == 200 && s->check.status_max == 299 &&
	   !strcmp(s->check.expect, "ok here") && s->check.retries == 3 &&
	   s->check.rise == 1, "service 1: http check options");
	ok(s->action == ACTION_REMOVE && s->has_sorry &&
	   s->sorry.port == 80, "service 1: action remove and a sorry server");
	ok(!strcmp(s->on_up, "ip route replace blackhole $SVC_ADDR/32 table 100") &&
	   !strcmp(s->on_down, "ip route del blackhole $SVC_ADDR/32 table 100"),
	   "service 1: on_up and on_down hooks");
	s = &cfg.svcs[1];
	ok(s->svc.af == AF_INET6 && s->svc.protocol == IPPROTO_UDP &&
	   !strcmp(s->svc.sched, "wlc") && s->action == ACTION_QUIESCE,
	   "service 2: IPv6 UDP, default scheduler wlc, action quiesce");
	ok(s->nreals == 1 && s->reals[0].dest.fwd == IPVL_FWD_NAT &&
	   s->reals[0].dest.port == 5353 && s->reals[0].dest.weight == 0,
	   "service 2: NAT real server with port mapping");
	ok(s->check.type == CHECK_COMMAND &&
	   !strcmp(s->check.command, "test -n \\$RS_ADDR") &&
	   s->check.timeout == 2, "service 2: command check");
	ok(!s->on_up[0] && !s->on_down[0], "service 2: no hooks");
	config_free(&cfg);
}

static void test_bad(const char *dir, const char *name, const char *want)
{
	char path[512], err[256] = "", what[300];
	struct config cfg;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ret = config_load(path, &cfg, err, sizeof(err));
	snprintf(what, sizeof(what), "%s is refused: %s", name, want);
	ok(ret && strstr(err, want), what);
	if (!ret || !strstr(err, want))
		printf("# got: %s\n", err);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests";

	printf("TAP version 13\n");
	test_good(dir);
	test_bad(dir, "bad_weight.conf", "line 2: bad weight");
	test_bad(dir, "bad_order.conf", "line 1: expected a service line");
	test_bad(dir, "bad_family.conf", "families differ");
	test_bad(dir, "bad_quote.conf", "line 2: unterminated quote");
	test_bad(dir, "bad_proto.conf", "protocol must be tcp or udp");
	test_bad(dir, "bad_command.conf", "check command needs");
	test_bad(dir, "bad_empty.conf", "no service");
	test_bad(dir, "bad_hook.conf", "line 3: empty hook command");
	test_bad(dir, "missing.conf", "No such file");
	printf("1..%d\n%d passed, %d failed\n", num, passed, failed);
	return failed ? 1 : 0;
}
