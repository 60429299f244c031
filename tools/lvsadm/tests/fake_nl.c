// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <string.h>

#include "fake_nl.h"

/* An attribute type from a future kernel: the library must skip it. */
#define FAKE_FUTURE_ATTR	(IPVL_A_MAX + 3)

struct fake_kernel fake;

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.info.version = IPVL_VERSION_CODE;
	fake.info.conn_tab_size = 4096;
	fake.info.conn_count = 7;
	fake.info.conn_max = 1048576;
	fake.info.drops[IPVL_DROP_NO_DEST] = 3;
	fake.info.drops[IPVL_DROP_CONN_LIMIT] = 12;
}

const struct nlmsghdr *fake_req(unsigned int i)
{
	return i < fake.nreqs ? (const void *)fake.reqs[i] : NULL;
}

unsigned int fake_count(uint8_t cmd)
{
	const struct genlmsghdr *g;
	unsigned int i, n = 0;

	for (i = 0; i < fake.nreqs && i < FAKE_MAX_REQS; i++) {
		g = mnl_nlmsg_get_payload(fake_req(i));
		n += g->cmd == cmd;
	}
	return n;
}

int ipvl_tp_open(struct ipvl_handle *h)
{
	fake.opens++;
	h->family = FAKE_FAMILY;
	return 0;
}

void ipvl_tp_close(struct ipvl_handle *h)
{
	(void)h;
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
		      const struct ipvl_stats *st)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u64(nlh, IPVL_STATS_CONNS, st->conns);
	mnl_attr_put(nlh, IPVL_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, IPVL_STATS_INPKTS, st->inpkts);
	mnl_attr_put_u64(nlh, IPVL_STATS_OUTPKTS, st->outpkts);
	mnl_attr_put_u64(nlh, IPVL_STATS_INBYTES, st->inbytes);
	mnl_attr_put_u64(nlh, IPVL_STATS_OUTBYTES, st->outbytes);
	if (!fake.no_rates) {
		mnl_attr_put_u64(nlh, IPVL_STATS_CPS, st->cps);
		mnl_attr_put_u64(nlh, IPVL_STATS_INPPS, st->inpps);
		mnl_attr_put_u64(nlh, IPVL_STATS_OUTPPS, st->outpps);
		mnl_attr_put_u64(nlh, IPVL_STATS_INBPS, st->inbps);
		mnl_attr_put_u64(nlh, IPVL_STATS_OUTBPS, st->outbps);
	}
	/* A counter the library does not know, and of another width. */
	mnl_attr_put_u32(nlh, IPVL_STATS_MAX + 1, 7);
	mnl_attr_nest_end(nlh, nest);
}

static void put_svc_key(struct nlmsghdr *nlh, const struct ipvl_service *s)
{
	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, s->af);
	if (s->fwmark) {
		mnl_attr_put_u32(nlh, IPVL_A_SVC_FWMARK, s->fwmark);
		return;
	}
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, s->protocol);
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, ipvl_addr_len(s->af), &s->addr);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(s->port));
}

static int send_svc(const struct ipvl_service *s, ipvl_msg_cb cb, void *data)
{
	char buf[IPVL_MSG_BUFSZ];
	struct nlmsghdr *nlh = reply(buf, IPVL_CMD_GET_SERVICE);

	put_svc_key(nlh, s);
	mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, s->sched);
	mnl_attr_put_u32(nlh, IPVL_A_SVC_FLAGS, s->flags);
	mnl_attr_put_u32(nlh, IPVL_A_SVC_TIMEOUT, s->timeout);
	mnl_attr_put_u32(nlh, IPVL_A_SVC_NETMASK, s->netmask);
	mnl_attr_put_u32(nlh, FAKE_FUTURE_ATTR, 0xdeadbeef);
	put_stats(nlh, IPVL_A_SVC_STATS, &s->stats);
	return cb(nlh, data);
}

static int send_dest(const struct ipvl_dest *d, ipvl_msg_cb cb, void *data)
{
	char buf[IPVL_MSG_BUFSZ];
	struct nlmsghdr *nlh = reply(buf, IPVL_CMD_GET_DEST);

	mnl_attr_put_u16(nlh, IPVL_A_DEST_AF, d->af);
	mnl_attr_put(nlh, IPVL_A_DEST_ADDR, ipvl_addr_len(d->af), &d->addr);
	mnl_attr_put_u16(nlh, IPVL_A_DEST_PORT, htons(d->port));
	mnl_attr_put_u8(nlh, IPVL_A_DEST_FWD, d->fwd);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_WEIGHT, d->weight);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_ACTIVE_CONNS, d->activeconns);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_INACT_CONNS, d->inactconns);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_PERSIST_CONNS, d->persistconns);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_U_THRESH, d->u_thresh);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_L_THRESH, d->l_thresh);
	mnl_attr_put_u8(nlh, IPVL_A_DEST_TUN_TYPE, d->tun_type);
	mnl_attr_put_u16(nlh, IPVL_A_DEST_TUN_PORT, htons(d->tun_port));
	mnl_attr_put_u16(nlh, IPVL_A_DEST_TUN_FLAGS, d->tun_flags);
	put_stats(nlh, IPVL_A_DEST_STATS, &d->stats);
	return cb(nlh, data);
}

static int send_conn(const struct ipvl_conn *c, ipvl_msg_cb cb, void *data)
{
	char buf[IPVL_MSG_BUFSZ];
	struct nlmsghdr *nlh = reply(buf, IPVL_CMD_GET_CONN);
	unsigned int len = ipvl_addr_len(c->af);

	mnl_attr_put_u16(nlh, IPVL_A_CONN_AF, c->af);
	mnl_attr_put_u8(nlh, IPVL_A_CONN_PROTOCOL, c->protocol);
	mnl_attr_put(nlh, IPVL_A_CONN_CADDR, len, &c->caddr);
	mnl_attr_put_u16(nlh, IPVL_A_CONN_CPORT, htons(c->cport));
	mnl_attr_put(nlh, IPVL_A_CONN_VADDR, len, &c->vaddr);
	mnl_attr_put_u16(nlh, IPVL_A_CONN_VPORT, htons(c->vport));
	mnl_attr_put(nlh, IPVL_A_CONN_DADDR, len, &c->daddr);
	mnl_attr_put_u16(nlh, IPVL_A_CONN_DPORT, htons(c->dport));
	mnl_attr_put_u8(nlh, IPVL_A_CONN_FWD, c->fwd);
	mnl_attr_put_strz(nlh, IPVL_A_CONN_STATE, c->state);
	mnl_attr_put_u32(nlh, IPVL_A_CONN_EXPIRES, c->expires_ms);
	if (c->flags)
		mnl_attr_put_u32(nlh, IPVL_A_CONN_FLAGS, c->flags);
	if (c->fwmark)
		mnl_attr_put_u32(nlh, IPVL_A_CONN_FWMARK, c->fwmark);
	return cb(nlh, data);
}

static int send_info(ipvl_msg_cb cb, void *data)
{
	char buf[IPVL_MSG_BUFSZ];
	struct nlmsghdr *nlh = reply(buf, IPVL_CMD_GET_INFO);
	struct nlattr *nest;
	unsigned int i;

	mnl_attr_put_u32(nlh, IPVL_A_INFO_VERSION, fake.info.version);
	mnl_attr_put_u32(nlh, IPVL_A_INFO_CONN_TAB_SIZE,
			 fake.info.conn_tab_size);
	mnl_attr_put_u32(nlh, IPVL_A_INFO_CONN_COUNT, fake.info.conn_count);
	mnl_attr_put_u32(nlh, IPVL_A_INFO_CONN_MAX, fake.info.conn_max);
	nest = mnl_attr_nest_start(nlh, IPVL_A_INFO_DROPS);
	for (i = IPVL_DROP_NO_DEST; i < IPVL_DROP_PAD; i++)
		mnl_attr_put_u64(nlh, i, fake.info.drops[i]);
	mnl_attr_nest_end(nlh, nest);
	return cb(nlh, data);
}

static int send_timeout(ipvl_msg_cb cb, void *data)
{
	char buf[IPVL_MSG_BUFSZ];
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

static void req_attrs(const struct nlmsghdr *req, const struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (IPVL_A_MAX + 1));
	mnl_attr_parse(req, sizeof(struct genlmsghdr), req_attr_cb, tb);
}

static uint32_t u32_or(const struct nlattr *a, uint32_t dflt)
{
	return a ? mnl_attr_get_u32(a) : dflt;
}

/* The service a request names; false if it names none. */
static bool req_svc(const struct nlattr **tb, struct ipvl_service *s)
{
	memset(s, 0, sizeof(*s));
	if (!tb[IPVL_A_SVC_AF])
		return false;
	s->af = mnl_attr_get_u16(tb[IPVL_A_SVC_AF]);
	s->fwmark = u32_or(tb[IPVL_A_SVC_FWMARK], 0);
	if (s->fwmark)
		return true;
	if (!tb[IPVL_A_SVC_PROTOCOL] || !tb[IPVL_A_SVC_ADDR] ||
	    !tb[IPVL_A_SVC_PORT])
		return false;
	s->protocol = mnl_attr_get_u8(tb[IPVL_A_SVC_PROTOCOL]);
	s->port = ntohs(mnl_attr_get_u16(tb[IPVL_A_SVC_PORT]));
	memcpy(&s->addr, mnl_attr_get_payload(tb[IPVL_A_SVC_ADDR]),
	       ipvl_addr_len(s->af));
	return true;
}

static void req_dest(const struct nlattr **tb, struct ipvl_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->af = tb[IPVL_A_DEST_AF] ? mnl_attr_get_u16(tb[IPVL_A_DEST_AF]) : 0;
	if (tb[IPVL_A_DEST_ADDR])
		memcpy(&d->addr, mnl_attr_get_payload(tb[IPVL_A_DEST_ADDR]),
		       ipvl_addr_len(d->af));
	if (tb[IPVL_A_DEST_PORT])
		d->port = ntohs(mnl_attr_get_u16(tb[IPVL_A_DEST_PORT]));
}

static struct fake_svc *find_svc(const struct ipvl_service *key)
{
	unsigned int i;

	for (i = 0; i < fake.nsvcs; i++)
		if (ipvl_same_service(&fake.svcs[i].svc, key))
			return &fake.svcs[i];
	return NULL;
}

static struct ipvl_dest *find_dest(struct fake_svc *fs,
				   const struct ipvl_dest *key)
{
	unsigned int i;

	for (i = 0; i < fs->ndests; i++)
		if (!ipvl_dest_cmp(&fs->dests[i], key))
			return &fs->dests[i];
	return NULL;
}

static int refuse(struct ipvl_handle *h, int err, const char *msg)
{
	char text[sizeof(h->ext.msg) + 64];

	h->ext.error = err;
	snprintf(h->ext.msg, sizeof(h->ext.msg), "%s", msg ? msg : "");
	ipvl_ext_text(&h->ext, text, sizeof(text));
	return ipvl_set_err(h, err, "%s", text);
}

static void svc_cfg(const struct nlattr **tb, struct ipvl_service *s)
{
	if (tb[IPVL_A_SVC_SCHED_NAME])
		snprintf(s->sched, sizeof(s->sched), "%s",
			 mnl_attr_get_str(tb[IPVL_A_SVC_SCHED_NAME]));
	s->flags = u32_or(tb[IPVL_A_SVC_FLAGS], s->flags);
	s->timeout = u32_or(tb[IPVL_A_SVC_TIMEOUT], s->timeout);
	s->netmask = u32_or(tb[IPVL_A_SVC_NETMASK], s->netmask);
}

static void dest_cfg(const struct nlattr **tb, struct ipvl_dest *d)
{
	if (tb[IPVL_A_DEST_FWD])
		d->fwd = mnl_attr_get_u8(tb[IPVL_A_DEST_FWD]);
	d->weight = u32_or(tb[IPVL_A_DEST_WEIGHT], d->weight);
	d->u_thresh = u32_or(tb[IPVL_A_DEST_U_THRESH], d->u_thresh);
	d->l_thresh = u32_or(tb[IPVL_A_DEST_L_THRESH], d->l_thresh);
	if (tb[IPVL_A_DEST_TUN_TYPE])
		d->tun_type = mnl_attr_get_u8(tb[IPVL_A_DEST_TUN_TYPE]);
	if (tb[IPVL_A_DEST_TUN_PORT])
		d->tun_port = ntohs(mnl_attr_get_u16(tb[IPVL_A_DEST_TUN_PORT]));
	if (tb[IPVL_A_DEST_TUN_FLAGS])
		d->tun_flags = mnl_attr_get_u16(tb[IPVL_A_DEST_TUN_FLAGS]);
}

static int svc_change(struct ipvl_handle *h, uint8_t cmd,
		      const struct nlattr **tb, struct fake_svc *fs,
		      const struct ipvl_service *key)
{
	if (cmd == IPVL_CMD_NEW_SERVICE) {
		if (fs)
			return refuse(h, EEXIST, "Service already exists");
		if (fake.nsvcs == FAKE_MAX_SVCS)
			return refuse(h, ENOMEM, "Fake table full");
		fs = &fake.svcs[fake.nsvcs++];
		memset(fs, 0, sizeof(*fs));
		fs->svc = *key;
		fs->svc.timeout = 300;
		snprintf(fs->svc.sched, sizeof(fs->svc.sched), "wlc");
		svc_cfg(tb, &fs->svc);
		return 0;
	}
	if (!fs)
		return refuse(h, ESRCH, "No such service");
	if (cmd == IPVL_CMD_SET_SERVICE) {
		svc_cfg(tb, &fs->svc);
		return 0;
	}
	*fs = fake.svcs[--fake.nsvcs];
	return 0;
}

static int dest_change(struct ipvl_handle *h, uint8_t cmd,
		       const struct nlattr **tb, struct fake_svc *fs)
{
	struct ipvl_dest key, *d;

	if (!fs)
		return refuse(h, ESRCH, "No such service");
	req_dest(tb, &key);
	d = find_dest(fs, &key);
	if (cmd == IPVL_CMD_NEW_DEST) {
		if (d)
			return refuse(h, EEXIST, "Real server already exists");
		if (fs->ndests == FAKE_MAX_DESTS)
			return refuse(h, ENOMEM, "Fake service full");
		d = &fs->dests[fs->ndests++];
		*d = key;
		dest_cfg(tb, d);
		return 0;
	}
	if (!d)
		return refuse(h, ENOENT, "No such real server");
	if (cmd == IPVL_CMD_SET_DEST)
		dest_cfg(tb, d);
	else
		*d = fs->dests[--fs->ndests];
	return 0;
}

static int change(struct ipvl_handle *h, uint8_t cmd,
		  const struct nlmsghdr *req)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];
	struct ipvl_service key;
	struct fake_svc *fs;
	bool named;

	req_attrs(req, tb);
	named = req_svc(tb, &key);
	fs = named ? find_svc(&key) : NULL;
	switch (cmd) {
	case IPVL_CMD_NEW_SERVICE:
	case IPVL_CMD_SET_SERVICE:
	case IPVL_CMD_DEL_SERVICE:
		return svc_change(h, cmd, tb, fs, &key);
	case IPVL_CMD_NEW_DEST:
	case IPVL_CMD_SET_DEST:
	case IPVL_CMD_DEL_DEST:
		return dest_change(h, cmd, tb, fs);
	case IPVL_CMD_FLUSH:
		fake.nsvcs = 0;
		return 0;
	case IPVL_CMD_SET_TIMEOUT:
		fake.timeout.tcp = u32_or(tb[IPVL_A_TIMEOUT_TCP], 0) ?:
				   fake.timeout.tcp;
		fake.timeout.tcp_fin = u32_or(tb[IPVL_A_TIMEOUT_TCP_FIN], 0) ?:
				       fake.timeout.tcp_fin;
		fake.timeout.udp = u32_or(tb[IPVL_A_TIMEOUT_UDP], 0) ?:
				   fake.timeout.udp;
		return 0;
	default:
		return 0;
	}
}

static int get_service(struct ipvl_handle *h, const struct nlmsghdr *req,
		       ipvl_msg_cb cb, void *data)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];
	struct ipvl_service key;
	struct fake_svc *fs;
	unsigned int i;

	if (req->nlmsg_flags & NLM_F_DUMP) {
		for (i = 0; i < fake.nsvcs; i++)
			if (send_svc(&fake.svcs[i].svc, cb, data) < MNL_CB_OK)
				return -1;
		return 0;
	}
	req_attrs(req, tb);
	fs = req_svc(tb, &key) ? find_svc(&key) : NULL;
	if (!fs)
		return refuse(h, ESRCH, "Service not found");
	return send_svc(&fs->svc, cb, data) < MNL_CB_OK ? -1 : 0;
}

static int get_dests(struct ipvl_handle *h, const struct nlmsghdr *req,
		     ipvl_msg_cb cb, void *data)
{
	const struct nlattr *tb[IPVL_A_MAX + 1];
	struct ipvl_service key;
	struct fake_svc *fs;
	unsigned int i;

	req_attrs(req, tb);
	fs = req_svc(tb, &key) ? find_svc(&key) : NULL;
	if (!fs)
		return refuse(h, ESRCH, "Service not found");
	for (i = 0; i < fs->ndests; i++)
		if (send_dest(&fs->dests[i], cb, data) < MNL_CB_OK)
			return -1;
	return 0;
}

static int get_conns(ipvl_msg_cb cb, void *data)
{
	unsigned int i;

	for (i = 0; i < fake.nconns; i++)
		if (send_conn(&fake.conns[i], cb, data) < MNL_CB_OK)
			return -1;
	return 0;
}

int ipvl_tp_talk(struct ipvl_handle *h, struct nlmsghdr *req, ipvl_msg_cb cb,
		 void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);

	if (fake.nreqs < FAKE_MAX_REQS && req->nlmsg_len <= IPVL_MSG_BUFSZ)
		memcpy(fake.reqs[fake.nreqs], req, req->nlmsg_len);
	if (++fake.nreqs == fake.reject_at)
		return refuse(h, fake.reject_errno, fake.reject_msg);
	switch (genl->cmd) {
	case IPVL_CMD_GET_INFO:
		return send_info(cb, data) < MNL_CB_OK ? -1 : 0;
	case IPVL_CMD_GET_TIMEOUT:
		return send_timeout(cb, data) < MNL_CB_OK ? -1 : 0;
	case IPVL_CMD_GET_SERVICE:
		return get_service(h, req, cb, data);
	case IPVL_CMD_GET_DEST:
		return get_dests(h, req, cb, data);
	case IPVL_CMD_GET_CONN:
		return get_conns(cb, data);
	default:
		return change(h, genl->cmd, req);
	}
}
