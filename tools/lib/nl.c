// SPDX-License-Identifier: GPL-2.0
/*
 * The transport: one generic netlink socket to the IPVS_LITE family,
 * with the kernel's extended ACK kept for the error text.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* Large enough for any dump batch the kernel builds for one recvmsg. */
#define NL_RXBUF	32768
/* The family lookup is the only request built here. */
#define NL_CTRLBUF	128

struct nl_tp {
	struct mnl_socket *sk;
	uint32_t portid;
	uint32_t seq;
	char rxbuf[NL_RXBUF];
};

struct talk {
	struct ipvl_handle *h;
	ipvl_msg_cb cb;
	void *data;
	bool local_err;		/* cb failed; h->err holds the reason */
	bool kernel_err;	/* h->ext holds the reason */
};

static int ctl_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	if (ipvl_parse_ext(nlh, &t->h->ext)) {
		t->local_err = true;
		ipvl_set_err(t->h, EPROTO,
			     "malformed acknowledgement from the kernel");
		return MNL_CB_ERROR;
	}
	if (t->h->ext.error) {
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
	char text[sizeof(t->h->ext.msg) + 64];

	if (t->kernel_err) {
		ipvl_ext_text(&t->h->ext, text, sizeof(text));
		return ipvl_set_err(t->h, t->h->ext.error, "%s", text);
	}
	return t->local_err ? -1 : 0;
}

static int recv_all(struct nl_tp *tp, struct talk *t, uint32_t seq)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = ctl_cb,
		[NLMSG_DONE] = ctl_cb,
	};
	ssize_t n;
	int ret;

	do {
		n = mnl_socket_recvfrom(tp->sk, tp->rxbuf, sizeof(tp->rxbuf));
		if (n < 0)
			return ipvl_set_err(t->h, errno,
					    "cannot receive from the kernel: %s",
					    strerror(errno));
		ret = mnl_cb_run2(tp->rxbuf, n, seq, tp->portid, data_cb, t,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	if (ret < 0 && !t->kernel_err && !t->local_err)
		return ipvl_set_err(t->h, errno, "%s", errno == EINTR ?
				    "listing interrupted by a concurrent change, try again" :
				    strerror(errno));
	return talk_result(t);
}

/*
 * Send one request and consume every reply to it: data messages go to
 * @cb, the final ACK or NLMSG_DONE decides the result.
 */
int ipvl_tp_talk(struct ipvl_handle *h, struct nlmsghdr *req, ipvl_msg_cb cb,
		 void *data)
{
	struct talk t = { .h = h, .cb = cb, .data = data };
	struct nl_tp *tp = h->tp;

	req->nlmsg_seq = ++tp->seq;
	if (mnl_socket_sendto(tp->sk, req, req->nlmsg_len) < 0)
		return ipvl_set_err(h, errno, "cannot send to the kernel: %s",
				    strerror(errno));
	return recv_all(tp, &t, req->nlmsg_seq);
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

static int resolve_family(struct ipvl_handle *h)
{
	char buf[NL_CTRLBUF];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IPVL_GENL_NAME);
	if (!ipvl_tp_talk(h, nlh, family_cb, &h->family) && h->family)
		return 0;
	if (h->ext.error == ENOENT)
		return ipvl_set_err(h, ENOENT,
				    "ip_vs_lite module not loaded (family %s not found)",
				    IPVL_GENL_NAME);
	if (!h->ext.error && !h->family)
		return ipvl_set_err(h, EPROTO, "no id for family %s",
				    IPVL_GENL_NAME);
	return -1;
}

static int open_socket(struct ipvl_handle *h, struct nl_tp *tp)
{
	int one = 1;

	tp->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!tp->sk)
		return ipvl_set_err(h, errno,
				    "cannot open a netlink socket: %s",
				    strerror(errno));
	/* Best effort: without them only the error text gets poorer. */
	mnl_socket_setsockopt(tp->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(tp->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(tp->sk, 0, MNL_SOCKET_AUTOPID) < 0)
		return ipvl_set_err(h, errno,
				    "cannot bind a netlink socket: %s",
				    strerror(errno));
	tp->portid = mnl_socket_get_portid(tp->sk);
	tp->seq = time(NULL);
	return 0;
}

int ipvl_tp_open(struct ipvl_handle *h)
{
	struct nl_tp *tp = calloc(1, sizeof(*tp));

	if (!tp)
		return ipvl_set_err(h, ENOMEM, "out of memory");
	h->tp = tp;
	if (open_socket(h, tp))
		return -1;
	return resolve_family(h);
}

void ipvl_tp_close(struct ipvl_handle *h)
{
	struct nl_tp *tp = h->tp;

	if (!tp)
		return;
	if (tp->sk)
		mnl_socket_close(tp->sk);
	free(tp);
	h->tp = NULL;
}
