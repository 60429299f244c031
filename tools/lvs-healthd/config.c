// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file: see Documentation/lvs-healthd.rst.
 *
 *   service tcp 192.0.2.5:80 [scheduler wlc]
 *     real 192.0.2.7[:80] [weight 1] [method dr|nat|tun]
 *     check tcp|http|command [path /] [status 200-399] [expect TEXT]
 *           [command "CMD"] [interval 2] [timeout 1] [retries 2] [rise 2]
 *     action quiesce|remove
 *     sorry 192.0.2.9[:80]
 *     on_up "CMD"
 *     on_down "CMD"
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthd.h"

#define MAX_TOKENS	32

struct parser {
	struct config *cfg;
	struct service *cur;
	char *err;
	size_t errlen;
	unsigned int line;
};

static int fail(struct parser *p, const char *what, const char *tok)
{
	snprintf(p->err, p->errlen, "line %u: %s%s%s", p->line, what,
		 tok ? ": " : "", tok ? tok : "");
	return -1;
}

/* Splits a line into words; "double quotes" keep spaces. */
static int tokenize(char *s, char **tok)
{
	int n = 0;

	while (*s && n < MAX_TOKENS) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			break;
		if (*s == '"') {
			tok[n++] = ++s;
			s = strchr(s, '"');
			if (!s)
				return -1;
		} else {
			tok[n++] = s;
			while (*s && !isspace((unsigned char)*s))
				s++;
		}
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static int parse_uint(const char *s, unsigned int max, unsigned int *v)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || *end || end == s || x > max)
		return -1;
	*v = x;
	return 0;
}

/* "192.0.2.7", "192.0.2.7:80", "[2001:db8::7]:80" */
static int parse_endpoint(const char *s, uint16_t *af, union ipvl_addr *addr,
			  uint16_t *port)
{
	char buf[INET6_ADDRSTRLEN + 8], *colon, *host = buf;
	unsigned int p = 0;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if (*host == '[') {
		host++;
		colon = strchr(host, ']');
		if (!colon)
			return -1;
		*colon++ = '\0';
		colon = *colon == ':' ? colon : NULL;
	} else {
		/* A bare IPv6 address has no port. */
		colon = strchr(host, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;
	}
	if (colon) {
		*colon++ = '\0';
		if (parse_uint(colon, 65535, &p))
			return -1;
	}
	*port = p;
	if (inet_pton(AF_INET, host, &addr->v4) == 1)
		*af = AF_INET;
	else if (inet_pton(AF_INET6, host, &addr->v6) == 1)
		*af = AF_INET6;
	else
		return -1;
	return 0;
}

static struct service *add_service(struct parser *p)
{
	struct config *cfg = p->cfg;
	struct service *s;

	s = realloc(cfg->svcs, (cfg->nsvcs + 1) * sizeof(*s));
	if (!s)
		return NULL;
	cfg->svcs = s;
	s = &cfg->svcs[cfg->nsvcs++];
	memset(s, 0, sizeof(*s));
	strcpy(s->svc.sched, "wlc");
	s->check = (struct check){ .type = CHECK_TCP, .interval = 2,
				   .timeout = 1, .retries = 2, .rise = 2,
				   .status_min = 200, .status_max = 399 };
	strcpy(s->check.path, "/");
	return s;
}

static int do_service(struct parser *p, char **tok, int n)
{
	struct service *s;

	if (n < 3)
		return fail(p, "usage: service tcp|udp ADDR:PORT", NULL);
	s = add_service(p);
	if (!s)
		return fail(p, "out of memory", NULL);
	if (!strcmp(tok[1], "tcp"))
		s->svc.protocol = IPPROTO_TCP;
	else if (!strcmp(tok[1], "udp"))
		s->svc.protocol = IPPROTO_UDP;
	else
		return fail(p, "protocol must be tcp or udp", tok[1]);
	if (parse_endpoint(tok[2], &s->svc.af, &s->svc.addr, &s->svc.port) ||
	    !s->svc.port)
		return fail(p, "bad virtual address", tok[2]);
	s->svc.netmask = s->svc.af == AF_INET6 ? 128 : 32;
	if (n == 5 && !strcmp(tok[3], "scheduler") &&
	    strlen(tok[4]) < sizeof(s->svc.sched))
		strcpy(s->svc.sched, tok[4]);
	else if (n != 3)
		return fail(p, "unexpected words after the address", tok[3]);
	p->cur = s;
	return 0;
}

static int parse_dest(struct parser *p, const struct service *s,
		      const char *ep, struct ipvl_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->weight = 1;
	d->fwd = IPVL_FWD_DR;
	if (parse_endpoint(ep, &d->af, &d->addr, &d->port))
		return fail(p, "bad real server address", ep);
	if (d->af != s->svc.af)
		return fail(p, "real server and service families differ", ep);
	if (!d->port)
		d->port = s->svc.port;
	return 0;
}

static int real_option(struct parser *p, struct ipvl_dest *d,
		       const char *key, const char *val)
{
	if (!strcmp(key, "weight"))
		return parse_uint(val, 65535, &d->weight) ?
		       fail(p, "bad weight", val) : 0;
	if (strcmp(key, "method"))
		return fail(p, "unknown real server option", key);
	if (!strcmp(val, "dr"))
		d->fwd = IPVL_FWD_DR;
	else if (!strcmp(val, "nat"))
		d->fwd = IPVL_FWD_NAT;
	else if (!strcmp(val, "tun"))
		d->fwd = IPVL_FWD_TUN;
	else
		return fail(p, "method must be dr, nat or tun", val);
	return 0;
}

static int do_real(struct parser *p, char **tok, int n)
{
	struct service *s = p->cur;
	struct real *r;
	int i;

	if (n < 2 || (n % 2))
		return fail(p, "usage: real ADDR[:PORT] [weight N] [method M]",
			    NULL);
	r = realloc(s->reals, (s->nreals + 1) * sizeof(*r));
	if (!r)
		return fail(p, "out of memory", NULL);
	s->reals = r;
	r = &s->reals[s->nreals++];
	memset(r, 0, sizeof(*r));
	r->up = true;
	if (parse_dest(p, s, tok[1], &r->dest))
		return -1;
	for (i = 2; i < n; i += 2)
		if (real_option(p, &r->dest, tok[i], tok[i + 1]))
			return -1;
	return 0;
}

static int check_option(struct parser *p, struct check *c, const char *key,
			const char *val)
{
	if (!strcmp(key, "interval"))
		return parse_uint(val, 86400, &c->interval) || !c->interval ?
		       fail(p, "bad interval", val) : 0;
	if (!strcmp(key, "timeout"))
		return parse_uint(val, 3600, &c->timeout) || !c->timeout ?
		       fail(p, "bad timeout", val) : 0;
	if (!strcmp(key, "retries"))
		return parse_uint(val, 100, &c->retries) || !c->retries ?
		       fail(p, "bad retries", val) : 0;
	if (!strcmp(key, "rise"))
		return parse_uint(val, 100, &c->rise) || !c->rise ?
		       fail(p, "bad rise", val) : 0;
	if (!strcmp(key, "status"))
		return sscanf(val, "%u-%u", &c->status_min,
			      &c->status_max) != 2 ?
		       fail(p, "status wants a range like 200-399", val) : 0;
	if (!strcmp(key, "path") && strlen(val) < sizeof(c->path))
		return strcpy(c->path, val), 0;
	if (!strcmp(key, "expect") && strlen(val) < sizeof(c->expect))
		return strcpy(c->expect, val), 0;
	if (!strcmp(key, "command") && strlen(val) < sizeof(c->command))
		return strcpy(c->command, val), 0;
	return fail(p, "unknown or too long check option", key);
}

static int do_check(struct parser *p, char **tok, int n)
{
	struct check *c = &p->cur->check;
	int i;

	if (n < 2 || (n % 2))
		return fail(p, "usage: check tcp|http|command [OPTION VALUE]...",
			    NULL);
	if (!strcmp(tok[1], "tcp"))
		c->type = CHECK_TCP;
	else if (!strcmp(tok[1], "http"))
		c->type = CHECK_HTTP;
	else if (!strcmp(tok[1], "command"))
		c->type = CHECK_COMMAND;
	else
		return fail(p, "check must be tcp, http or command", tok[1]);
	for (i = 2; i < n; i += 2)
		if (check_option(p, c, tok[i], tok[i + 1]))
			return -1;
	if (c->type == CHECK_COMMAND && !c->command[0])
		return fail(p, "check command needs: command \"CMD\"", NULL);
	return 0;
}

static int copy_hook(struct parser *p, char *dst, size_t len, const char *cmd)
{
	if (strlen(cmd) >= len)
		return fail(p, "hook command too long", NULL);
	if (!cmd[0])
		return fail(p, "empty hook command", NULL);
	strcpy(dst, cmd);
	return 0;
}

static int do_line(struct parser *p, char **tok, int n)
{
	if (!strcmp(tok[0], "service"))
		return do_service(p, tok, n);
	if (!p->cur)
		return fail(p, "expected a service line first", tok[0]);
	if (!strcmp(tok[0], "real"))
		return do_real(p, tok, n);
	if (!strcmp(tok[0], "check"))
		return do_check(p, tok, n);
	if (!strcmp(tok[0], "action") && n == 2) {
		if (!strcmp(tok[1], "quiesce"))
			p->cur->action = ACTION_QUIESCE;
		else if (!strcmp(tok[1], "remove"))
			p->cur->action = ACTION_REMOVE;
		else
			return fail(p, "action must be quiesce or remove",
				    tok[1]);
		return 0;
	}
	if (!strcmp(tok[0], "on_up") && n == 2)
		return copy_hook(p, p->cur->on_up, sizeof(p->cur->on_up), tok[1]);
	if (!strcmp(tok[0], "on_down") && n == 2)
		return copy_hook(p, p->cur->on_down, sizeof(p->cur->on_down),
				 tok[1]);
	if (!strcmp(tok[0], "sorry") && n == 2) {
		p->cur->has_sorry = true;
		return parse_dest(p, p->cur, tok[1], &p->cur->sorry);
	}
	return fail(p, "unknown statement", tok[0]);
}

int config_load(const char *path, struct config *cfg, char *err,
		size_t errlen)
{
	struct parser p = { .cfg = cfg, .err = err, .errlen = errlen };
	char line[1024], *tok[MAX_TOKENS];
	FILE *f = fopen(path, "r");
	int n, ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		p.line++;
		n = tokenize(line, tok);
		if (n < 0)
			ret = fail(&p, "unterminated quote", NULL);
		else if (n > 0)
			ret = do_line(&p, tok, n);
	}
	fclose(f);
	if (!ret && !cfg->nsvcs)
		ret = fail(&p, "no service in the file", NULL);
	if (ret)
		config_free(cfg);
	return ret;
}

void config_free(struct config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nsvcs; i++)
		free(cfg->svcs[i].reals);
	free(cfg->svcs);
	memset(cfg, 0, sizeof(*cfg));
}
