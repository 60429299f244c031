// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the table: services, real servers, connections, info and
 * timeouts.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A growing array of replies, each parsed by @parse into @size bytes. */
struct vec {
	struct ipvl_handle *h;
	void *v;
	size_t n, cap, size;
	uint16_t af;		/* of the service, for real servers */
	int (*parse)(const struct nlmsghdr *nlh, void *item, uint16_t af);
	const char *what;
};

static int vec_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vec *vec = data;
	size_t ncap;
	void *nv;

	if (vec->n == vec->cap) {
		ncap = vec->cap ? vec->cap * 2 : 16;
		nv = realloc(vec->v, ncap * vec->size);
		if (!nv) {
			ipvl_set_err(vec->h, ENOMEM, "out of memory");
			return MNL_CB_ERROR;
		}
		vec->v = nv;
		vec->cap = ncap;
	}
	if (vec->parse(nlh, (char *)vec->v + vec->n * vec->size, vec->af)) {
		ipvl_set_err(vec->h, EPROTO, "malformed %s reply from the kernel",
			     vec->what);
		return MNL_CB_ERROR;
	}
	vec->n++;
	return MNL_CB_OK;
}

static int vec_talk(struct vec *vec, struct nlmsghdr *req, void **out,
		    size_t *n)
{
	int ret = ipvl_talk(vec->h, req, vec_cb, vec);

	if (ret) {
		free(vec->v);
		vec->v = NULL;
		vec->n = 0;
	}
	*out = vec->v;
	*n = vec->n;
	return ret;
}

static int parse_svc(const struct nlmsghdr *nlh, void *item, uint16_t af)
{
	(void)af;
	return ipvl_parse_service(nlh, item);
}

static int parse_dest(const struct nlmsghdr *nlh, void *item, uint16_t af)
{
	return ipvl_parse_dest(nlh, af, item);
}

static int parse_conn(const struct nlmsghdr *nlh, void *item, uint16_t af)
{
	(void)af;
	return ipvl_parse_conn(nlh, item);
}

int ipvl_get_services(struct ipvl_handle *h, struct ipvl_service **svcs,
		      size_t *n)
{
	struct vec vec = {
		.h = h, .size = sizeof(**svcs), .parse = parse_svc,
		.what = "service",
	};
	char buf[IPVL_MSG_BUFSZ];
	struct nlmsghdr *req;

	req = ipvl_msg_new(h, buf, IPVL_CMD_GET_SERVICE, NLM_F_DUMP);
	return vec_talk(&vec, req, (void **)svcs, n);
}

int ipvl_get_service(struct ipvl_handle *h, const struct ipvl_service *key,
		     struct ipvl_service *svc)
{
	struct vec vec = {
		.h = h, .size = sizeof(*svc), .parse = parse_svc,
		.what = "service",
	};
	char buf[IPVL_MSG_BUFSZ];
	struct ipvl_service *got;
	struct nlmsghdr *req;
	size_t n;

	req = ipvl_msg_new(h, buf, IPVL_CMD_GET_SERVICE, NLM_F_ACK);
	ipvl_put_svc_id(req, key);
	if (vec_talk(&vec, req, (void **)&got, &n))
		return -1;
	if (n == 1)
		*svc = got[0];
	free(got);
	return n == 1 ? 0 : ipvl_set_err(h, ESRCH, "No such service");
}

int ipvl_get_dests(struct ipvl_handle *h, const struct ipvl_service *svc,
		   struct ipvl_dest **dests, size_t *n)
{
	struct vec vec = {
		.h = h, .size = sizeof(**dests), .parse = parse_dest,
		.af = svc->af, .what = "real server",
	};
	char buf[IPVL_MSG_BUFSZ];
	struct nlmsghdr *req;

	req = ipvl_msg_new(h, buf, IPVL_CMD_GET_DEST, NLM_F_DUMP);
	ipvl_put_svc_id(req, svc);
	return vec_talk(&vec, req, (void **)dests, n);
}

int ipvl_get_conns(struct ipvl_handle *h, struct ipvl_conn **conns,
		   size_t *n)
{
	struct vec vec = {
		.h = h, .size = sizeof(**conns), .parse = parse_conn,
		.what = "connection",
	};
	char buf[IPVL_MSG_BUFSZ];
	struct nlmsghdr *req;

	req = ipvl_msg_new(h, buf, IPVL_CMD_GET_CONN, NLM_F_DUMP);
	return vec_talk(&vec, req, (void **)conns, n);
}

struct one {
	struct ipvl_handle *h;
	int (*parse)(const struct nlmsghdr *nlh, void *out);
	void *out;
	const char *what;
};

static int one_cb(const struct nlmsghdr *nlh, void *data)
{
	struct one *o = data;

	if (!o->parse(nlh, o->out))
		return MNL_CB_OK;
	ipvl_set_err(o->h, EPROTO, "malformed %s reply from the kernel",
		     o->what);
	return MNL_CB_ERROR;
}

static int parse_info(const struct nlmsghdr *nlh, void *out)
{
	return ipvl_parse_info(nlh, out);
}

static int parse_timeout(const struct nlmsghdr *nlh, void *out)
{
	return ipvl_parse_timeout(nlh, out);
}

int ipvl_get_info(struct ipvl_handle *h, struct ipvl_info *info)
{
	struct one o = { h, parse_info, info, "info" };
	char buf[IPVL_MSG_BUFSZ];

	memset(info, 0, sizeof(*info));
	return ipvl_talk(h, ipvl_msg_new(h, buf, IPVL_CMD_GET_INFO, NLM_F_ACK),
			 one_cb, &o);
}

int ipvl_get_timeout(struct ipvl_handle *h, struct ipvl_timeout *t)
{
	struct one o = { h, parse_timeout, t, "timeout" };
	char buf[IPVL_MSG_BUFSZ];

	memset(t, 0, sizeof(*t));
	return ipvl_talk(h, ipvl_msg_new(h, buf, IPVL_CMD_GET_TIMEOUT,
					 NLM_F_ACK), one_cb, &o);
}
