// SPDX-License-Identifier: GPL-2.0
/*
 * The optional "IPVS" generic netlink family. With ipvs_abi=1 the module
 * also speaks the ABI of linux/ip_vs.h, so that ipvsadm and keepalived
 * drive the ip_vs_lite table unchanged. Requests are validated as
 * strictly as on IPVS_LITE: one policy per command, nested policies for
 * the service and real server nests, an extack message on every refusal.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include "ipvs_abi/ipvs_abi.h"
#include "ipvs_abi/procfs.h"

static bool ipvs_abi;
module_param(ipvs_abi, bool, 0444);
MODULE_PARM_DESC(ipvs_abi,
		 "Also register the generic netlink family \"IPVS\" of linux/ip_vs.h and IPVS's /proc/net files (default: no)");

/* The same bound as on IPVS_LITE, so that both families agree. */
#define IPVS_ABI_TIMEOUT_MAX	(365 * 24 * 3600)

static struct netlink_range_validation timeout_range = {
	.max = IPVS_ABI_TIMEOUT_MAX,
};

static struct netlink_range_validation weight_range = {
	.max = 65535,
};

/*
 * Addresses are a union nf_inet_addr on the wire (16 bytes, IPv4 in the
 * first 4), but 4 bytes are enough to name an IPv4 service.
 */
const struct nla_policy ipvl_ipvs_svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, sizeof(__be32),
						sizeof(union nf_inet_addr)),
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_BE16 },
	[IPVS_SVC_ATTR_FWMARK] = NLA_POLICY_MIN(NLA_U32, 1),
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_NUL_STRING,
				       .len = IP_VS_SCHEDNAME_MAXLEN - 1 },
	[IPVS_SVC_ATTR_FLAGS] =
		NLA_POLICY_EXACT_LEN(sizeof(struct ip_vs_flags)),
	[IPVS_SVC_ATTR_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&timeout_range),
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_NUL_STRING,
				    .len = IP_VS_PENAME_MAXLEN },
};

const struct nla_policy ipvl_ipvs_dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, sizeof(__be32),
						 sizeof(union nf_inet_addr)),
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_BE16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &weight_range),
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_TYPE] = NLA_POLICY_MAX(NLA_U8,
						   IP_VS_CONN_F_TUNNEL_TYPE_GRE),
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_BE16 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = NLA_POLICY_MASK(NLA_U16,
						     IP_VS_TUNNEL_ENCAP_FLAG_CSUM |
						     IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM),
};

static const struct nla_policy svc_cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = NLA_POLICY_NESTED(ipvl_ipvs_svc_policy),
};

static const struct nla_policy dest_cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = NLA_POLICY_NESTED(ipvl_ipvs_svc_policy),
	[IPVS_CMD_ATTR_DEST] = NLA_POLICY_NESTED(ipvl_ipvs_dest_policy),
};

static const struct nla_policy config_cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_TIMEOUT_TCP] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[IPVS_CMD_ATTR_TIMEOUT_UDP] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
};

/* Accepted only to be refused with a message saying why. */
static const struct nla_policy daemon_cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
};

static const struct nla_policy empty_cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {};

#define IPVS_OP(_cmd, _doit, _policy)					\
	{								\
		.cmd = _cmd,						\
		.doit = _doit,						\
		.policy = _policy,					\
		.maxattr = IPVS_CMD_ATTR_MAX,				\
		.flags = GENL_UNS_ADMIN_PERM,				\
	}

/* Reads need the same privilege: real servers, counters, clients. */
#define IPVS_GET_OP(_cmd, _doit, _start, _dumpit, _policy)		\
	{								\
		.cmd = _cmd,						\
		.doit = _doit,						\
		.start = _start,					\
		.dumpit = _dumpit,					\
		.policy = _policy,					\
		.maxattr = IPVS_CMD_ATTR_MAX,				\
		.flags = GENL_UNS_ADMIN_PERM,				\
	}

static const struct genl_ops ipvs_ops[] = {
	IPVS_OP(IPVS_CMD_NEW_SERVICE, ipvl_ipvs_new_service, svc_cmd_policy),
	IPVS_OP(IPVS_CMD_SET_SERVICE, ipvl_ipvs_set_service, svc_cmd_policy),
	IPVS_OP(IPVS_CMD_DEL_SERVICE, ipvl_ipvs_del_service, svc_cmd_policy),
	IPVS_GET_OP(IPVS_CMD_GET_SERVICE, ipvl_ipvs_get_service, NULL,
		    ipvl_ipvs_dump_services, svc_cmd_policy),
	IPVS_OP(IPVS_CMD_NEW_DEST, ipvl_ipvs_new_dest, dest_cmd_policy),
	IPVS_OP(IPVS_CMD_SET_DEST, ipvl_ipvs_set_dest, dest_cmd_policy),
	IPVS_OP(IPVS_CMD_DEL_DEST, ipvl_ipvs_del_dest, dest_cmd_policy),
	IPVS_GET_OP(IPVS_CMD_GET_DEST, NULL, ipvl_ipvs_dump_dests_start,
		    ipvl_ipvs_dump_dests, svc_cmd_policy),
	IPVS_OP(IPVS_CMD_NEW_DAEMON, ipvl_ipvs_daemon, daemon_cmd_policy),
	IPVS_OP(IPVS_CMD_DEL_DAEMON, ipvl_ipvs_daemon, daemon_cmd_policy),
	IPVS_GET_OP(IPVS_CMD_GET_DAEMON, NULL, ipvl_ipvs_dump_daemons_start,
		    ipvl_ipvs_dump_daemons, empty_cmd_policy),
	IPVS_OP(IPVS_CMD_SET_CONFIG, ipvl_ipvs_set_config, config_cmd_policy),
	IPVS_GET_OP(IPVS_CMD_GET_CONFIG, ipvl_ipvs_get_config, NULL, NULL,
		    empty_cmd_policy),
	IPVS_GET_OP(IPVS_CMD_GET_INFO, ipvl_ipvs_get_info, NULL, NULL,
		    empty_cmd_policy),
	IPVS_OP(IPVS_CMD_ZERO, ipvl_ipvs_zero, svc_cmd_policy),
	IPVS_OP(IPVS_CMD_FLUSH, ipvl_ipvs_flush, empty_cmd_policy),
};

/*
 * No MODULE_ALIAS_GENL_FAMILY(): a lookup of "IPVS" on a host without it
 * must keep loading the kernel's ip_vs, not this module.
 */
struct genl_family ipvl_ipvs_family __ro_after_init = {
	.name = IPVS_GENL_NAME,
	.version = IPVS_GENL_VERSION,
	.netnsok = true,
	/* Each command takes its netns's own lock; one netns stalls no other. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = ipvs_ops,
	.n_ops = ARRAY_SIZE(ipvs_ops),
};

static bool ipvs_registered;

int __init ipvl_ipvs_abi_init(void)
{
	int ret;

	if (!ipvs_abi)
		return 0;
	ret = genl_register_family(&ipvl_ipvs_family);
	/* Not -EEXIST: modprobe would take it for "already loaded". */
	if (ret == -EEXIST) {
		pr_err("ipvs_abi=1: the generic netlink family \"%s\" is already registered (is the kernel's ip_vs module loaded?)\n",
		       IPVS_GENL_NAME);
		return -EBUSY;
	}
	if (ret) {
		pr_err("ipvs_abi=1: cannot register the generic netlink family \"%s\": %d\n",
		       IPVS_GENL_NAME, ret);
		return ret;
	}
	/*
	 * Only once the family is ours: with the kernel's ip_vs loaded, its
	 * files are there and a second registration would warn.
	 */
	ret = ipvl_ipvs_procfs_init();
	if (ret) {
		pr_err("ipvs_abi=1: cannot create the /proc/net/ip_vs files: %d\n",
		       ret);
		genl_unregister_family(&ipvl_ipvs_family);
		return ret;
	}
	ipvs_registered = true;
	pr_info("generic netlink family \"%s\" registered (ipvs_abi=1)\n",
		IPVS_GENL_NAME);
	return 0;
}

void ipvl_ipvs_abi_uninit(void)
{
	if (ipvs_registered) {
		ipvl_ipvs_procfs_uninit();
		genl_unregister_family(&ipvl_ipvs_family);
	}
	ipvs_registered = false;
}
