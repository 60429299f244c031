// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the kernel's extended ACK; kept apart from the socket so the
 * unit tests can feed it crafted messages.
 */
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static int ext_attr_cb(const struct nlattr *attr, void *data)
{
	struct ipvl_ext *ext = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(ext->msg, sizeof(ext->msg), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			ext->offs = mnl_attr_get_u32(attr);
			ext->has_offs = true;
		}
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			ext->miss_type = mnl_attr_get_u32(attr);
			ext->has_miss_type = true;
		}
		break;
	}
	return MNL_CB_OK;
}

/* TLVs start at @off bytes into the payload, if the kernel added any. */
static void parse_tlvs(const struct nlmsghdr *nlh, size_t off,
		       struct ipvl_ext *ext)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	const char *p = mnl_nlmsg_get_payload(nlh);

	off = MNL_ALIGN(off);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= plen)
		return;
	mnl_attr_parse_payload(p + off, plen - off, ext_attr_cb, ext);
}

/*
 * NLMSG_ERROR (an ACK when error is 0) or NLMSG_DONE of a dump; both
 * may carry the extended ACK. Returns 0 on success, -1 if malformed.
 */
int ipvl_parse_ext(const struct nlmsghdr *nlh, struct ipvl_ext *ext)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t off;
	int err;

	memset(ext, 0, sizeof(*ext));
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (plen < sizeof(int))
			return 0;
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		ext->error = err < 0 ? -err : 0;
		parse_tlvs(nlh, sizeof(int), ext);
		return 0;
	}
	if (plen < sizeof(*e))
		return -1;
	ext->error = e->error < 0 ? -e->error : 0;
	off = sizeof(*e);
	/* Unless capped, the whole request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	parse_tlvs(nlh, off, ext);
	return 0;
}

/*
 * The kernel's message, else the errno text, naming the missing
 * attribute when the kernel reported one.
 */
void ipvl_ext_text(const struct ipvl_ext *ext, char *buf, size_t len)
{
	if (ext->msg[0])
		snprintf(buf, len, "%s", ext->msg);
	else if (ext->has_miss_type)
		snprintf(buf, len, "%s (missing attribute %u)",
			 strerror(ext->error), ext->miss_type);
	else
		snprintf(buf, len, "%s", strerror(ext->error));
}
