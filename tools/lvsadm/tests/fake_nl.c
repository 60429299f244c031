// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "fake_nl.h"

/* An attribute type from a future kernel: lvsadm must skip it. */
#define FAKE_FUTURE_ATTR	(IPVL_A_MAX + 3)

struct lvs_nl {
	struct lvs_nl_ext ext;
};

struct fake_kernel fake;
static struct lvs_nl fake_nl;

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.info.version = IPVL_VERSION_CODE;
	fake.info.conn_tab_size = 4096;
}

const struct nlmsghdr *fake_req(unsigned int i)
{
	return i < fake.nreqs ? (const void *)fake.reqs[i] : NULL;
}

struct lvs_nl *lvs_nl_open(void)
{
	fake.opens++;
	return &fake_nl;
}

void lvs_nl_close(struct lvs_nl *nl)
{
	(void)nl;
}

uint16_t lvs_nl_family(const struct lvs_nl *nl)
{
	(void)nl;
	return FAKE_FAMILY;
}

const struct lvs_nl_ext *lvs_nl_last(const struct lvs_nl *nl)
{
	return &nl->ext;
}

static struct nlmsghdr *reply(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = FAKE_FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = IPVL_GENL_VERSION;
	return nlh;
}

static void put_stats(struct nlmsghdr *nlh, uint16_t type,
		      const struct lvs_stats *st)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u64(nlh, IPVL_STATS_CONNS, st->conns);
	mnl_attr_put(nlh, IPVL_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, IPVL_STATS_INPKTS, st->inpkts);
	mnl_attr_put_u64(nlh, IPVL_STATS_OUTPKTS, st->outpkts);
	mnl_attr_put_u64(nlh, IPVL_STATS_INBYTES, st->inbytes);
	mnl_attr_put_u64(nlh, IPVL_STATS_OUTBYTES, st->outbytes);
	/* A counter lvsadm does not show, and of another width. */
	mnl_attr_put_u32(nlh, IPVL_STATS_PAD + 1, 7);
	mnl_attr_nest_end(nlh, nest);
}

static int send_svc(const struct lvs_service *s, mnl_cb_t cb, void *data)
{
	char buf[LVS_MSG_BUFSZ];
	struct nlmsghdr *nlh = reply(buf, IPVL_CMD_GET_SERVICE);

	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, s->af);
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, s->protocol);
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, lvs_addr_len(s->af), &s->addr);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(s->port));
	mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, s->sched);
	mnl_attr_put_u32(nlh, IPVL_A_SVC_FLAGS, 0);
	mnl_attr_put_u32(nlh, FAKE_FUTURE_ATTR, 0xdeadbeef);
	put_stats(nlh, IPVL_A_SVC_STATS, &s->stats);
	return cb(nlh, data);
}

static int send_dest(const struct lvs_dest *d, mnl_cb_t cb, void *data)
{
	char buf[LVS_MSG_BUFSZ];
	struct nlmsghdr *nlh = reply(buf, IPVL_CMD_GET_DEST);

	mnl_attr_put_u16(nlh, IPVL_A_DEST_AF, d->af);
	mnl_attr_put(nlh, IPVL_A_DEST_ADDR, lvs_addr_len(d->af), &d->addr);
	mnl_attr_put_u16(nlh, IPVL_A_DEST_PORT, htons(d->port));
	mnl_attr_put_u8(nlh, IPVL_A_DEST_FWD, d->fwd);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_WEIGHT, d->weight);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_ACTIVE_CONNS, d->activeconns);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_INACT_CONNS, d->inactconns);
	put_stats(nlh, IPVL_A_DEST_STATS, &d->stats);
	return cb(nlh, data);
}

static int send_info(mnl_cb_t cb, void *data)
{
	char buf[LVS_MSG_BUFSZ];
	struct nlmsghdr *nlh = reply(buf, IPVL_CMD_GET_INFO);

	mnl_attr_put_u32(nlh, IPVL_A_INFO_VERSION, fake.info.version);
	mnl_attr_put_u32(nlh, IPVL_A_INFO_CONN_TAB_SIZE,
			 fake.info.conn_tab_size);
	mnl_attr_put_u32(nlh, IPVL_A_INFO_CONN_COUNT, 7);
	return cb(nlh, data);
}

static int send_timeout(mnl_cb_t cb, void *data)
{
	char buf[LVS_MSG_BUFSZ];
	struct nlmsghdr *nlh = reply(buf, IPVL_CMD_GET_TIMEOUT);

	mnl_attr_put_u32(nlh, IPVL_A_TIMEOUT_TCP, fake.timeout.tcp);
	mnl_attr_put_u32(nlh, IPVL_A_TIMEOUT_TCP_FIN, fake.timeout.tcp_fin);
	mnl_attr_put_u32(nlh, IPVL_A_TIMEOUT_UDP, fake.timeout.udp);
	return cb(nlh, data);
}

static int req_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) <= IPVL_A_MAX)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

/* The service a GET names, by the four identifying attributes. */
static struct fake_svc *find_svc(const struct nlmsghdr *req)
{
	const struct nlattr *tb[IPVL_A_MAX + 1] = { NULL };
	struct fake_svc *fs;
	unsigned int i;

	mnl_attr_parse(req, sizeof(struct genlmsghdr), req_attr_cb, tb);
	if (!tb[IPVL_A_SVC_AF] || !tb[IPVL_A_SVC_PROTOCOL] ||
	    !tb[IPVL_A_SVC_ADDR] || !tb[IPVL_A_SVC_PORT])
		return NULL;
	for (i = 0; i < fake.nsvcs; i++) {
		fs = &fake.svcs[i];
		if (fs->svc.af == mnl_attr_get_u16(tb[IPVL_A_SVC_AF]) &&
		    fs->svc.protocol ==
			mnl_attr_get_u8(tb[IPVL_A_SVC_PROTOCOL]) &&
		    htons(fs->svc.port) ==
			mnl_attr_get_u16(tb[IPVL_A_SVC_PORT]) &&
		    mnl_attr_get_payload_len(tb[IPVL_A_SVC_ADDR]) ==
			lvs_addr_len(fs->svc.af) &&
		    !memcmp(&fs->svc.addr,
			    mnl_attr_get_payload(tb[IPVL_A_SVC_ADDR]),
			    lvs_addr_len(fs->svc.af)))
			return fs;
	}
	return NULL;
}

static int refuse(struct lvs_nl *nl, int err, const char *msg)
{
	char text[sizeof(nl->ext.msg) + 64];

	nl->ext.error = err;
	snprintf(nl->ext.msg, sizeof(nl->ext.msg), "%s", msg ? msg : "");
	lvs_nl_ext_text(&nl->ext, text, sizeof(text));
	return lvs_err("%s", text);
}

static int get_service(struct lvs_nl *nl, const struct nlmsghdr *req,
		       mnl_cb_t cb, void *data)
{
	struct fake_svc *fs;
	unsigned int i;

	if (req->nlmsg_flags & NLM_F_DUMP) {
		for (i = 0; i < fake.nsvcs; i++)
			if (send_svc(&fake.svcs[i].svc, cb, data) < MNL_CB_OK)
				return -1;
		return 0;
	}
	fs = find_svc(req);
	if (!fs)
		return refuse(nl, ESRCH, "Service not found");
	return send_svc(&fs->svc, cb, data) < MNL_CB_OK ? -1 : 0;
}

static int get_dests(struct lvs_nl *nl, const struct nlmsghdr *req,
		     mnl_cb_t cb, void *data)
{
	struct fake_svc *fs = find_svc(req);
	unsigned int i;

	if (!fs)
		return refuse(nl, ESRCH, "Service not found");
	for (i = 0; i < fs->ndests; i++)
		if (send_dest(&fs->dests[i], cb, data) < MNL_CB_OK)
			return -1;
	return 0;
}

int lvs_nl_talk(struct lvs_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);

	memset(&nl->ext, 0, sizeof(nl->ext));
	if (fake.nreqs < FAKE_MAX_REQS && req->nlmsg_len <= LVS_MSG_BUFSZ)
		memcpy(fake.reqs[fake.nreqs], req, req->nlmsg_len);
	if (++fake.nreqs == fake.reject_at)
		return refuse(nl, fake.reject_errno, fake.reject_msg);
	switch (genl->cmd) {
	case IPVL_CMD_GET_INFO:
		return send_info(cb, data) < MNL_CB_OK ? -1 : 0;
	case IPVL_CMD_GET_TIMEOUT:
		return send_timeout(cb, data) < MNL_CB_OK ? -1 : 0;
	case IPVL_CMD_GET_SERVICE:
		return get_service(nl, req, cb, data);
	case IPVL_CMD_GET_DEST:
		return get_dests(nl, req, cb, data);
	default:
		return 0;
	}
}
