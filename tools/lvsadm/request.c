// SPDX-License-Identifier: GPL-2.0
#include <libmnl/libmnl.h>

#include "msg.h"
#include "request.h"

static const uint8_t change_cmd[LVS_CMD_COUNT] = {
	[LVS_CMD_ADD_SVC]	= IPVL_CMD_NEW_SERVICE,
	[LVS_CMD_EDIT_SVC]	= IPVL_CMD_SET_SERVICE,
	[LVS_CMD_DEL_SVC]	= IPVL_CMD_DEL_SERVICE,
	[LVS_CMD_FLUSH]		= IPVL_CMD_FLUSH,
	[LVS_CMD_ADD_DEST]	= IPVL_CMD_NEW_DEST,
	[LVS_CMD_EDIT_DEST]	= IPVL_CMD_SET_DEST,
	[LVS_CMD_DEL_DEST]	= IPVL_CMD_DEL_DEST,
	[LVS_CMD_TIMEOUT]	= IPVL_CMD_SET_TIMEOUT,
	[LVS_CMD_ZERO]		= IPVL_CMD_ZERO,
};

bool lvs_cmd_is_change(enum lvs_cmd_type type)
{
	return type < LVS_CMD_COUNT && change_cmd[type] != IPVL_CMD_UNSPEC;
}

static void put_change_attrs(struct nlmsghdr *nlh, const struct lvs_cmd *cmd)
{
	switch (cmd->type) {
	case LVS_CMD_ADD_SVC:
	case LVS_CMD_EDIT_SVC:
		lvs_msg_put_svc(nlh, &cmd->svc);
		break;
	case LVS_CMD_DEL_SVC:
		lvs_msg_put_svc_id(nlh, &cmd->svc);
		break;
	case LVS_CMD_ADD_DEST:
	case LVS_CMD_EDIT_DEST:
		lvs_msg_put_svc_id(nlh, &cmd->svc);
		lvs_msg_put_dest(nlh, &cmd->dest);
		break;
	case LVS_CMD_DEL_DEST:
		lvs_msg_put_svc_id(nlh, &cmd->svc);
		lvs_msg_put_dest_id(nlh, &cmd->dest);
		break;
	case LVS_CMD_TIMEOUT:
		lvs_msg_put_timeout(nlh, &cmd->timeout);
		break;
	case LVS_CMD_ZERO:
		/* Without a service the kernel zeroes every counter. */
		if (cmd->opts & LVS_OPT(SERVICE))
			lvs_msg_put_svc_id(nlh, &cmd->svc);
		break;
	default:
		break;
	}
}

/* @buf must hold LVS_MSG_BUFSZ bytes; NULL if @cmd changes nothing. */
struct nlmsghdr *lvs_req_change(void *buf, uint16_t family,
				const struct lvs_cmd *cmd)
{
	struct nlmsghdr *nlh;

	if (!lvs_cmd_is_change(cmd->type))
		return NULL;
	nlh = lvs_msg_new(buf, family, change_cmd[cmd->type], NLM_F_ACK);
	put_change_attrs(nlh, cmd);
	return nlh;
}

struct nlmsghdr *lvs_req_info(void *buf, uint16_t family)
{
	return lvs_msg_new(buf, family, IPVL_CMD_GET_INFO, NLM_F_ACK);
}

struct nlmsghdr *lvs_req_timeout(void *buf, uint16_t family)
{
	return lvs_msg_new(buf, family, IPVL_CMD_GET_TIMEOUT, NLM_F_ACK);
}

struct nlmsghdr *lvs_req_services(void *buf, uint16_t family)
{
	return lvs_msg_new(buf, family, IPVL_CMD_GET_SERVICE, NLM_F_DUMP);
}

struct nlmsghdr *lvs_req_service(void *buf, uint16_t family,
				 const struct lvs_service *svc)
{
	struct nlmsghdr *nlh;

	nlh = lvs_msg_new(buf, family, IPVL_CMD_GET_SERVICE, NLM_F_ACK);
	lvs_msg_put_svc_id(nlh, svc);
	return nlh;
}

struct nlmsghdr *lvs_req_dests(void *buf, uint16_t family,
			       const struct lvs_service *svc)
{
	struct nlmsghdr *nlh;

	nlh = lvs_msg_new(buf, family, IPVL_CMD_GET_DEST, NLM_F_DUMP);
	lvs_msg_put_svc_id(nlh, svc);
	return nlh;
}
