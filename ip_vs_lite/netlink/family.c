// SPDX-License-Identifier: GPL-2.0
/*
 * The IPVS_LITE generic netlink family: one policy and one handler per
 * command. Every rejection carries an extack message.
 */

#include <net/genetlink.h>

#include "netlink/netlink.h"

#define TIMEOUT_MAX	(365 * 24 * 3600)

static struct netlink_range_validation weight_range = {
	.max = 65535,
};

/* Zero leaves a timeout unchanged, as with ipvsadm --set. */
static struct netlink_range_validation timeout_range = {
	.max = TIMEOUT_MAX,
};

static struct netlink_range_validation persist_range = {
	.min = 1,
	.max = TIMEOUT_MAX,
};

#define SVC_KEY_POLICY							\
	[IPVL_A_SVC_AF] = { .type = NLA_U16 },				\
	[IPVL_A_SVC_PROTOCOL] = { .type = NLA_U8 },			\
	[IPVL_A_SVC_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),	\
	[IPVL_A_SVC_PORT] = { .type = NLA_BE16 },			\
	[IPVL_A_SVC_FWMARK] = NLA_POLICY_MIN(NLA_U32, 1)

#define SVC_CFG_POLICY							\
	[IPVL_A_SVC_SCHED_NAME] = { .type = NLA_NUL_STRING,		\
				    .len = IPVL_SCHED_NAME_MAX - 1 },	\
	[IPVL_A_SVC_FLAGS] = NLA_POLICY_MASK(NLA_U32, IPVL_SVC_F_ALL),	\
	[IPVL_A_SVC_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,		\
						     &persist_range),	\
	[IPVL_A_SVC_NETMASK] = NLA_POLICY_MAX(NLA_U32, 128)

#define DEST_KEY_POLICY							\
	[IPVL_A_DEST_AF] = { .type = NLA_U16 },				\
	[IPVL_A_DEST_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),	\
	[IPVL_A_DEST_PORT] = { .type = NLA_BE16 }

#define DEST_CFG_POLICY							\
	[IPVL_A_DEST_FWD] = NLA_POLICY_RANGE(NLA_U8, IPVL_FWD_DR,	\
					     IPVL_FWD_MAX),		\
	[IPVL_A_DEST_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &weight_range), \
	[IPVL_A_DEST_U_THRESH] = { .type = NLA_U32 },			\
	[IPVL_A_DEST_L_THRESH] = { .type = NLA_U32 },			\
	[IPVL_A_DEST_TUN_TYPE] = NLA_POLICY_MAX(NLA_U8, IPVL_TUN_MAX),	\
	[IPVL_A_DEST_TUN_PORT] = { .type = NLA_BE16 },			\
	[IPVL_A_DEST_TUN_FLAGS] = NLA_POLICY_MASK(NLA_U16, IPVL_TUN_F_ALL)

static const struct nla_policy new_service_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	SVC_CFG_POLICY,
};

static const struct nla_policy set_service_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	SVC_CFG_POLICY,
};

static const struct nla_policy svc_key_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
};

static const struct nla_policy new_dest_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	DEST_KEY_POLICY,
	DEST_CFG_POLICY,
};

static const struct nla_policy set_dest_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	DEST_KEY_POLICY,
	DEST_CFG_POLICY,
};

static const struct nla_policy del_dest_policy[IPVL_A_MAX + 1] = {
	SVC_KEY_POLICY,
	DEST_KEY_POLICY,
	[IPVL_A_DEST_DRAIN] = { .type = NLA_FLAG },
};

static const struct nla_policy timeout_policy[IPVL_A_MAX + 1] = {
	[IPVL_A_TIMEOUT_TCP] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[IPVL_A_TIMEOUT_TCP_FIN] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[IPVL_A_TIMEOUT_UDP] = NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
};

static const struct nla_policy empty_policy[IPVL_A_MAX + 1] = {};

#define IPVL_OP(_cmd, _doit, _policy)					\
	{								\
		.cmd = _cmd,						\
		.doit = _doit,						\
		.policy = _policy,					\
		.maxattr = IPVL_A_MAX,					\
		.flags = GENL_UNS_ADMIN_PERM,				\
	}

static const struct genl_ops ipvl_genl_ops[] = {
	IPVL_OP(IPVL_CMD_NEW_SERVICE, ipvl_nl_new_service, new_service_policy),
	IPVL_OP(IPVL_CMD_SET_SERVICE, ipvl_nl_set_service, set_service_policy),
	IPVL_OP(IPVL_CMD_DEL_SERVICE, ipvl_nl_del_service, svc_key_policy),
	{
		.cmd = IPVL_CMD_GET_SERVICE,
		.doit = ipvl_nl_get_service,
		.dumpit = ipvl_nl_dump_services,
		.policy = svc_key_policy,
		.maxattr = IPVL_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	IPVL_OP(IPVL_CMD_NEW_DEST, ipvl_nl_new_dest, new_dest_policy),
	IPVL_OP(IPVL_CMD_SET_DEST, ipvl_nl_set_dest, set_dest_policy),
	IPVL_OP(IPVL_CMD_DEL_DEST, ipvl_nl_del_dest, del_dest_policy),
	{
		.cmd = IPVL_CMD_GET_DEST,
		.dumpit = ipvl_nl_dump_dests,
		.policy = svc_key_policy,
		.maxattr = IPVL_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	IPVL_OP(IPVL_CMD_FLUSH, ipvl_nl_flush, empty_policy),
	IPVL_OP(IPVL_CMD_ZERO, ipvl_nl_zero, svc_key_policy),
	IPVL_OP(IPVL_CMD_SET_TIMEOUT, ipvl_nl_set_timeout, timeout_policy),
	{
		.cmd = IPVL_CMD_GET_TIMEOUT,
		.doit = ipvl_nl_get_timeout,
		.policy = empty_policy,
		.maxattr = IPVL_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IPVL_CMD_GET_INFO,
		.doit = ipvl_nl_get_info,
		.policy = empty_policy,
		.maxattr = IPVL_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = IPVL_CMD_GET_CONN,
		.dumpit = ipvl_nl_dump_conns,
		.policy = empty_policy,
		.maxattr = IPVL_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family ipvl_genl_family __ro_after_init = {
	.name = IPVL_GENL_NAME,
	.version = IPVL_GENL_VERSION,
	.netnsok = true,
	/* Each command takes its netns's own lock; one netns stalls no other. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = ipvl_genl_ops,
	.n_ops = ARRAY_SIZE(ipvl_genl_ops),
};

int __init ipvl_genl_init(void)
{
	return genl_register_family(&ipvl_genl_family);
}

void ipvl_genl_uninit(void)
{
	genl_unregister_family(&ipvl_genl_family);
}

