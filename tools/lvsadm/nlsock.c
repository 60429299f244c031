// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/ip_vs_lite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "nlsock.h"

/* Large enough for any dump batch the kernel builds for one recvmsg. */
#define LVS_NL_RXBUF	32768
/* The family lookup is the only request built here. */
#define LVS_NL_CTRLBUF	128

struct lvs_nl {
	struct mnl_socket *sk;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	struct lvs_nl_ext ext;
	void *rxbuf;
};

struct talk {
	struct lvs_nl *nl;
	mnl_cb_t cb;
	void *data;
	bool local_err;		/* cb failed; lvs_err() holds the reason */
	bool kernel_err;	/* nl->ext holds the reason */
};

static int ctl_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	if (lvs_nl_parse_ext(nlh, &t->nl->ext)) {
		t->local_err = true;
		lvs_err("malformed acknowledgement from the kernel");
		return MNL_CB_ERROR;
	}
	if (t->nl->ext.error) {
		t->kernel_err = true;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/* After a failed callback the rest of a dump is read and dropped. */
static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	if (!t->cb || t->local_err)
		return MNL_CB_OK;
	if (t->cb(nlh, t->data) < MNL_CB_OK)
		t->local_err = true;
	return MNL_CB_OK;
}

static int talk_result(struct talk *t)
{
	char text[sizeof(t->nl->ext.msg) + 64];

	if (t->kernel_err) {
		lvs_nl_ext_text(&t->nl->ext, text, sizeof(text));
		return lvs_err("%s", text);
	}
	return t->local_err ? -1 : 0;
}

static int recv_all(struct lvs_nl *nl, struct talk *t, uint32_t seq)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = ctl_cb,
		[NLMSG_DONE] = ctl_cb,
	};
	ssize_t n;
	int ret;

	do {
		n = mnl_socket_recvfrom(nl->sk, nl->rxbuf, LVS_NL_RXBUF);
		if (n < 0)
			return lvs_err("cannot receive from the kernel: %s",
				       strerror(errno));
		ret = mnl_cb_run2(nl->rxbuf, n, seq, nl->portid, data_cb, t,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	if (ret < 0 && !t->kernel_err && !t->local_err)
		return lvs_err("%s", errno == EINTR ?
			       "listing interrupted by a concurrent change, try again" :
			       strerror(errno));
	return talk_result(t);
}

/*
 * Send one request and consume every reply to it: data messages go to
 * @cb, the final ACK or NLMSG_DONE decides the result.
 */
int lvs_nl_talk(struct lvs_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		void *data)
{
	struct talk t = { .nl = nl, .cb = cb, .data = data };

	memset(&nl->ext, 0, sizeof(nl->ext));
	req->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return lvs_err("cannot send to the kernel: %s",
			       strerror(errno));
	return recv_all(nl, &t, req->nlmsg_seq);
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	uint16_t *family = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		*family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			      data) < MNL_CB_STOP ? MNL_CB_ERROR : MNL_CB_OK;
}

static int resolve_family(struct lvs_nl *nl)
{
	char buf[LVS_NL_CTRLBUF];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IPVL_GENL_NAME);
	if (!lvs_nl_talk(nl, nlh, family_cb, &nl->family) && nl->family)
		return 0;
	if (nl->ext.error == ENOENT)
		return lvs_err("ip_vs_lite module not loaded (family %s not found)",
			       IPVL_GENL_NAME);
	if (!nl->ext.error && !nl->family)
		return lvs_err("no id for family %s", IPVL_GENL_NAME);
	return -1;
}

static int open_socket(struct lvs_nl *nl)
{
	int one = 1;

	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk)
		return lvs_err("cannot open a netlink socket: %s",
			       strerror(errno));
	/* Best effort: without them only the error text gets poorer. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0)
		return lvs_err("cannot bind a netlink socket: %s",
			       strerror(errno));
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = time(NULL);
	return 0;
}

struct lvs_nl *lvs_nl_open(void)
{
	struct lvs_nl *nl = calloc(1, sizeof(*nl));

	if (!nl) {
		lvs_err("out of memory");
		return NULL;
	}
	nl->rxbuf = malloc(LVS_NL_RXBUF);
	if (!nl->rxbuf) {
		lvs_err("out of memory");
		lvs_nl_close(nl);
		return NULL;
	}
	if (open_socket(nl) || resolve_family(nl)) {
		lvs_nl_close(nl);
		return NULL;
	}
	return nl;
}

void lvs_nl_close(struct lvs_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		mnl_socket_close(nl->sk);
	free(nl->rxbuf);
	free(nl);
}

uint16_t lvs_nl_family(const struct lvs_nl *nl)
{
	return nl->family;
}

const struct lvs_nl_ext *lvs_nl_last(const struct lvs_nl *nl)
{
	return &nl->ext;
}
