// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <netinet/in.h>
#include <string.h>

#include "addr.h"
#include "args.h"
#include "err.h"
#include "fmt.h"

/* getopt values of long-only options, outside the ASCII range. */
enum {
	TAG_SET = 256,
	TAG_TIMEOUT,
	TAG_STATS,
	TAG_RATE,
	TAG_THRESHOLDS,
	TAG_PERSISTCONN,
	TAG_NOSORT,
	TAG_SORT,
	TAG_SLOPPY,
	TAG_DRAIN,
	TAG_JSON,
	TAG_INFO,
	TAG_TUN_INFO,
	TAG_TUN_TYPE,
	TAG_TUN_PORT,
	TAG_TUN_NOCSUM,
	TAG_TUN_CSUM,
	TAG_TUN_REMCSUM,
	TAG_SCTP,
	TAG_UNSUPPORTED,
};

static const struct option longopts[] = {
	{ "add-service",	no_argument,		NULL, 'A' },
	{ "edit-service",	no_argument,		NULL, 'E' },
	{ "delete-service",	no_argument,		NULL, 'D' },
	{ "clear",		no_argument,		NULL, 'C' },
	{ "list",		no_argument,		NULL, 'L' },
	{ "zero",		no_argument,		NULL, 'Z' },
	{ "add-server",		no_argument,		NULL, 'a' },
	{ "edit-server",	no_argument,		NULL, 'e' },
	{ "delete-server",	no_argument,		NULL, 'd' },
	{ "set",		no_argument,		NULL, TAG_SET },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'v' },
	{ "restore",		no_argument,		NULL, 'R' },
	{ "save",		no_argument,		NULL, 'S' },
	{ "info",		no_argument,		NULL, TAG_INFO },
	{ "tcp-service",	required_argument,	NULL, 't' },
	{ "udp-service",	required_argument,	NULL, 'u' },
	{ "sctp-service",	required_argument,	NULL, TAG_SCTP },
	{ "fwmark-service",	required_argument,	NULL, 'f' },
	{ "ipv6",		no_argument,		NULL, '6' },
	{ "scheduler",		required_argument,	NULL, 's' },
	{ "persistent",		optional_argument,	NULL, 'p' },
	{ "netmask",		required_argument,	NULL, 'M' },
	{ "ops",		no_argument,		NULL, 'o' },
	{ "sloppy",		no_argument,		NULL, TAG_SLOPPY },
	{ "real-server",	required_argument,	NULL, 'r' },
	{ "gatewaying",		no_argument,		NULL, 'g' },
	{ "masquerading",	no_argument,		NULL, 'm' },
	{ "ipip",		no_argument,		NULL, 'i' },
	{ "weight",		required_argument,	NULL, 'w' },
	{ "u-threshold",	required_argument,	NULL, 'x' },
	{ "l-threshold",	required_argument,	NULL, 'y' },
	{ "numeric",		no_argument,		NULL, 'n' },
	{ "connection",		no_argument,		NULL, 'c' },
	{ "timeout",		no_argument,		NULL, TAG_TIMEOUT },
	{ "stats",		no_argument,		NULL, TAG_STATS },
	{ "rate",		no_argument,		NULL, TAG_RATE },
	{ "thresholds",		no_argument,		NULL, TAG_THRESHOLDS },
	{ "persistent-conn",	no_argument,		NULL, TAG_PERSISTCONN },
	{ "exact",		no_argument,		NULL, 'X' },
	{ "nosort",		no_argument,		NULL, TAG_NOSORT },
	{ "sort",		no_argument,		NULL, TAG_SORT },
	{ "json",		no_argument,		NULL, TAG_JSON },
	{ "drain",		no_argument,		NULL, TAG_DRAIN },
	{ "tun-info",		no_argument,		NULL, TAG_TUN_INFO },
	{ "tun-type",		required_argument,	NULL, TAG_TUN_TYPE },
	{ "tun-port",		required_argument,	NULL, TAG_TUN_PORT },
	{ "tun-nocsum",		no_argument,		NULL, TAG_TUN_NOCSUM },
	{ "tun-csum",		no_argument,		NULL, TAG_TUN_CSUM },
	{ "tun-remcsum",	no_argument,		NULL, TAG_TUN_REMCSUM },
	{ "sched-flags",	required_argument,	NULL, 'b' },
	/* ipvsadm options ip_vs_lite has no counterpart for. */
	{ "pe",			required_argument,	NULL, TAG_UNSUPPORTED },
	{ "start-daemon",	required_argument,	NULL, TAG_UNSUPPORTED },
	{ "stop-daemon",	required_argument,	NULL, TAG_UNSUPPORTED },
	{ "daemon",		no_argument,		NULL, TAG_UNSUPPORTED },
	{ "mcast-interface",	required_argument,	NULL, TAG_UNSUPPORTED },
	{ "mcast-group",	required_argument,	NULL, TAG_UNSUPPORTED },
	{ "mcast-port",		required_argument,	NULL, TAG_UNSUPPORTED },
	{ "mcast-ttl",		required_argument,	NULL, TAG_UNSUPPORTED },
	{ "syncid",		required_argument,	NULL, TAG_UNSUPPORTED },
	{ "sync-maxlen",	required_argument,	NULL, TAG_UNSUPPORTED },
	{ NULL, 0, NULL, 0 }
};

static const char shortopts[] =
	":AEDCLlZaedhvRSt:u:f:6s:p::M:or:gmiw:x:y:ncXb:";

static const char *const optnames[LVS_OPT_COUNT] = {
	[LVS_OPT_NUMERIC]	= "numeric",
	[LVS_OPT_CONNECTION]	= "connection",
	[LVS_OPT_SERVICE]	= "service-address",
	[LVS_OPT_SCHED]		= "scheduler",
	[LVS_OPT_PERSISTENT]	= "persistent",
	[LVS_OPT_NETMASK]	= "netmask",
	[LVS_OPT_SERVER]	= "real-server",
	[LVS_OPT_FWD]		= "forwarding-method",
	[LVS_OPT_WEIGHT]	= "weight",
	[LVS_OPT_UTHRESH]	= "u-threshold",
	[LVS_OPT_LTHRESH]	= "l-threshold",
	[LVS_OPT_TIMEOUT]	= "timeout",
	[LVS_OPT_STATS]		= "stats",
	[LVS_OPT_EXACT]		= "exact",
	[LVS_OPT_ONEPACKET]	= "ops",
	[LVS_OPT_SCHED_FLAGS]	= "sched-flags",
	[LVS_OPT_PERSISTCONN]	= "persistent-conn",
	[LVS_OPT_NOSORT]	= "nosort",
	[LVS_OPT_RATE]		= "rate",
	[LVS_OPT_THRESHOLDS]	= "thresholds",
	[LVS_OPT_SLOPPY]	= "sloppy",
	[LVS_OPT_JSON]		= "json",
	[LVS_OPT_DRAIN]		= "drain",
	[LVS_OPT_TUN_INFO]	= "tun-info",
	[LVS_OPT_TUN_TYPE]	= "tun-type",
	[LVS_OPT_TUN_PORT]	= "tun-port",
	[LVS_OPT_TUN_NOCSUM]	= "tun-nocsum",
	[LVS_OPT_TUN_CSUM]	= "tun-csum",
	[LVS_OPT_TUN_REMCSUM]	= "tun-remcsum",
};

#define SVC_CFG_OPTS	(LVS_OPT(SERVICE) | LVS_OPT(SCHED) | \
			 LVS_OPT(PERSISTENT) | LVS_OPT(NETMASK) | \
			 LVS_OPT(ONEPACKET) | LVS_OPT(SCHED_FLAGS) | \
			 LVS_OPT(SLOPPY))
#define TUN_OPTS	(LVS_OPT(TUN_PORT) | LVS_OPT(TUN_NOCSUM) | \
			 LVS_OPT(TUN_CSUM) | LVS_OPT(TUN_REMCSUM))
#define DEST_CFG_OPTS	(LVS_OPT(SERVICE) | LVS_OPT(SERVER) | LVS_OPT(FWD) | \
			 LVS_OPT(WEIGHT) | LVS_OPT(UTHRESH) | \
			 LVS_OPT(LTHRESH) | LVS_OPT(TUN_TYPE) | TUN_OPTS)
#define LIST_FMT_OPTS	(LVS_OPT(STATS) | LVS_OPT(RATE) | \
			 LVS_OPT(THRESHOLDS) | LVS_OPT(PERSISTCONN) | \
			 LVS_OPT(TUN_INFO))

/* Which options each command needs, may take, and takes one of. */
static const struct {
	const char *name;
	unsigned int need;
	unsigned int may;
	unsigned int one;
} rules[LVS_CMD_COUNT] = {
	[LVS_CMD_ADD_SVC] = {
		.name = "add-service",
		.need = LVS_OPT(SERVICE),
		.may = SVC_CFG_OPTS,
	},
	[LVS_CMD_EDIT_SVC] = {
		.name = "edit-service",
		.need = LVS_OPT(SERVICE),
		.may = SVC_CFG_OPTS,
	},
	[LVS_CMD_DEL_SVC] = {
		.name = "delete-service",
		.need = LVS_OPT(SERVICE),
		.may = LVS_OPT(SERVICE),
	},
	[LVS_CMD_FLUSH] = { .name = "flush" },
	[LVS_CMD_LIST] = {
		.name = "list",
		.may = LVS_OPT(NUMERIC) | LVS_OPT(CONNECTION) |
		       LVS_OPT(SERVICE) | LVS_OPT(TIMEOUT) | LVS_OPT(EXACT) |
		       LVS_OPT(NOSORT) | LIST_FMT_OPTS | LVS_OPT(JSON),
		.one = LVS_OPT(CONNECTION) | LVS_OPT(SERVICE) |
		       LVS_OPT(TIMEOUT),
	},
	[LVS_CMD_ADD_DEST] = {
		.name = "add-server",
		.need = LVS_OPT(SERVICE) | LVS_OPT(SERVER),
		.may = DEST_CFG_OPTS,
	},
	[LVS_CMD_DEL_DEST] = {
		.name = "delete-server",
		.need = LVS_OPT(SERVICE) | LVS_OPT(SERVER),
		.may = LVS_OPT(SERVICE) | LVS_OPT(SERVER) | LVS_OPT(DRAIN),
	},
	[LVS_CMD_EDIT_DEST] = {
		.name = "edit-server",
		.need = LVS_OPT(SERVICE) | LVS_OPT(SERVER),
		.may = DEST_CFG_OPTS,
	},
	[LVS_CMD_TIMEOUT] = { .name = "set" },
	[LVS_CMD_RESTORE] = { .name = "restore" },
	[LVS_CMD_SAVE] = { .name = "save", .may = LVS_OPT(NUMERIC) },
	[LVS_CMD_ZERO] = { .name = "zero", .may = LVS_OPT(SERVICE) },
	[LVS_CMD_HELP] = { .name = "help" },
	[LVS_CMD_VERSION] = { .name = "version" },
	[LVS_CMD_INFO] = { .name = "info", .may = LVS_OPT(JSON) },
};

/* Raw option text; addresses are resolved once the protocol is known. */
struct raw_args {
	const char *svc;
	const char *server;
	const char *sched;
	const char *sched_flags;
	const char *netmask;
	int longindex;
	int argc;
	char **argv;
};

static int set_command(struct lvs_cmd *cmd, enum lvs_cmd_type type)
{
	if (cmd->type != LVS_CMD_NONE)
		return lvs_uerr("multiple commands specified");
	cmd->type = type;
	return 0;
}

static int set_option(struct lvs_cmd *cmd, enum lvs_opt opt)
{
	if (cmd->opts & (1U << opt))
		return lvs_uerr("multiple '%s' options specified",
				optnames[opt]);
	cmd->opts |= 1U << opt;
	return 0;
}

static const char *long_name(int c, int longindex)
{
	const struct option *o;

	if (longindex >= 0)
		return longopts[longindex].name;
	for (o = longopts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

/* Returns 1 if @c is not a command, else what set_command() returned. */
static int command_opt(struct lvs_cmd *cmd, int c)
{
	static const struct {
		int c;
		enum lvs_cmd_type type;
	} map[] = {
		{ 'A', LVS_CMD_ADD_SVC }, { 'E', LVS_CMD_EDIT_SVC },
		{ 'D', LVS_CMD_DEL_SVC }, { 'C', LVS_CMD_FLUSH },
		{ 'L', LVS_CMD_LIST }, { 'l', LVS_CMD_LIST },
		{ 'Z', LVS_CMD_ZERO }, { 'a', LVS_CMD_ADD_DEST },
		{ 'e', LVS_CMD_EDIT_DEST }, { 'd', LVS_CMD_DEL_DEST },
		{ TAG_SET, LVS_CMD_TIMEOUT }, { 'h', LVS_CMD_HELP },
		{ 'v', LVS_CMD_VERSION }, { 'R', LVS_CMD_RESTORE },
		{ 'S', LVS_CMD_SAVE }, { TAG_INFO, LVS_CMD_INFO },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].c == c)
			return set_command(cmd, map[i].type);
	return 1;
}

static int fwd_opt(struct lvs_cmd *cmd, uint8_t fwd)
{
	cmd->dest.fwd = fwd;
	return set_option(cmd, LVS_OPT_FWD);
}

static int weight_opt(struct lvs_cmd *cmd, const char *arg)
{
	unsigned long w;

	if (lvs_parse_ulong(arg, 0, 65535, &w))
		return lvs_uerr("illegal weight specified (`%s' is not in 0..65535)",
				arg);
	cmd->dest.weight = w;
	return set_option(cmd, LVS_OPT_WEIGHT);
}

static int thresh_opt(struct lvs_cmd *cmd, int c, const char *arg)
{
	unsigned long v;

	if (lvs_parse_ulong(arg, 0, LVS_MAX_THRESH, &v))
		return lvs_uerr("illegal %c_threshold specified (`%s' is not in 0..%u)",
				c == 'x' ? 'u' : 'l', arg, LVS_MAX_THRESH);
	if (c == 'x') {
		cmd->dest.u_thresh = v;
		return set_option(cmd, LVS_OPT_UTHRESH);
	}
	cmd->dest.l_thresh = v;
	return set_option(cmd, LVS_OPT_LTHRESH);
}

static int fmt_opt(struct lvs_cmd *cmd, enum lvs_opt opt, unsigned int fmt)
{
	cmd->fmt |= fmt;
	return set_option(cmd, opt);
}

static int flag_opt(struct lvs_cmd *cmd, enum lvs_opt opt, uint32_t flag)
{
	cmd->svc.flags |= flag;
	return set_option(cmd, opt);
}

static int service_opt(struct lvs_cmd *cmd, struct raw_args *raw,
		       uint8_t proto, const char *arg)
{
	cmd->svc.protocol = proto;
	raw->svc = arg;
	return set_option(cmd, LVS_OPT_SERVICE);
}

static int fwmark_opt(struct lvs_cmd *cmd, const char *arg)
{
	unsigned long v;

	if (lvs_parse_ulong(arg, 1, UINT32_MAX, &v))
		return lvs_uerr("invalid fwmark value `%s' specified", arg);
	cmd->svc.fwmark = v;
	cmd->svc.af = AF_INET;
	return set_option(cmd, LVS_OPT_SERVICE);
}

static int ipv6_opt(struct lvs_cmd *cmd)
{
	if (!cmd->svc.fwmark)
		return lvs_uerr("-6 used before -f");
	cmd->svc.af = AF_INET6;
	return 0;
}

/*
 * -p takes an optional timeout, also as the next word ("-p 300") when
 * that does not look like an option, as ipvsadm reads it.
 */
static int persistent_opt(struct lvs_cmd *cmd, struct raw_args *raw,
			  const char *arg)
{
	unsigned long v = LVS_DEF_PERSIST;

	if (!arg && optind < raw->argc && raw->argv[optind][0] != '-')
		arg = raw->argv[optind++];
	if (arg && lvs_parse_ulong(arg, 1, LVS_MAX_TIMEOUT, &v))
		return lvs_uerr("invalid timeout value `%s' specified", arg);
	cmd->svc.timeout = v;
	return flag_opt(cmd, LVS_OPT_PERSISTENT, IPVL_SVC_F_PERSISTENT);
}

static int service_cfg_opt(struct lvs_cmd *cmd, struct raw_args *raw, int c,
			   const char *arg)
{
	switch (c) {
	case 's':
		raw->sched = arg;
		return set_option(cmd, LVS_OPT_SCHED);
	case 'p':
		return persistent_opt(cmd, raw, arg);
	case 'M':
		raw->netmask = arg;
		return set_option(cmd, LVS_OPT_NETMASK);
	case 'o':
		return flag_opt(cmd, LVS_OPT_ONEPACKET, IPVL_SVC_F_ONEPACKET);
	case 'b':
		raw->sched_flags = arg;
		return set_option(cmd, LVS_OPT_SCHED_FLAGS);
	case TAG_SLOPPY:
		return flag_opt(cmd, LVS_OPT_SLOPPY, IPVL_SVC_F_SLOPPY);
	}
	return 1;
}

static const char *const tun_names[] = {
	[IPVL_TUN_IPIP] = "ipip",
	[IPVL_TUN_GUE] = "gue",
	[IPVL_TUN_GRE] = "gre",
};

static int tun_type_opt(struct lvs_cmd *cmd, const char *arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tun_names); i++)
		if (!strcmp(arg, tun_names[i]))
			break;
	if (i == ARRAY_SIZE(tun_names))
		return lvs_uerr("illegal tunnel type specified");
	cmd->dest.tun_type = i;
	return set_option(cmd, LVS_OPT_TUN_TYPE);
}

static int tunnel_opt(struct lvs_cmd *cmd, int c, const char *arg)
{
	unsigned long v;

	switch (c) {
	case TAG_TUN_TYPE:
		return tun_type_opt(cmd, arg);
	case TAG_TUN_PORT:
		if (lvs_parse_ulong(arg, 1, 65535, &v))
			return lvs_uerr("illegal tunnel port specified");
		cmd->dest.tun_port = v;
		return set_option(cmd, LVS_OPT_TUN_PORT);
	case TAG_TUN_NOCSUM:
		return set_option(cmd, LVS_OPT_TUN_NOCSUM);
	case TAG_TUN_CSUM:
		cmd->dest.tun_flags |= IPVL_TUN_F_CSUM;
		return set_option(cmd, LVS_OPT_TUN_CSUM);
	case TAG_TUN_REMCSUM:
		cmd->dest.tun_flags |= IPVL_TUN_F_REMCSUM;
		return set_option(cmd, LVS_OPT_TUN_REMCSUM);
	}
	return 1;
}

static int dest_cfg_opt(struct lvs_cmd *cmd, struct raw_args *raw, int c,
			const char *arg)
{
	switch (c) {
	case 'r':
		raw->server = arg;
		return set_option(cmd, LVS_OPT_SERVER);
	case 'g':
		return fwd_opt(cmd, IPVL_FWD_DR);
	case 'm':
		return fwd_opt(cmd, IPVL_FWD_NAT);
	case 'i':
		return fwd_opt(cmd, IPVL_FWD_TUN);
	case 'w':
		return weight_opt(cmd, arg);
	case 'x':
	case 'y':
		return thresh_opt(cmd, c, arg);
	case TAG_DRAIN:
		cmd->dest.drain = true;
		return set_option(cmd, LVS_OPT_DRAIN);
	}
	return tunnel_opt(cmd, c, arg);
}

static int list_opt(struct lvs_cmd *cmd, int c)
{
	switch (c) {
	case 'n':
		return fmt_opt(cmd, LVS_OPT_NUMERIC, LVS_FMT_NUMERIC);
	case 'c':
		return fmt_opt(cmd, LVS_OPT_CONNECTION, LVS_FMT_CONN);
	case 'X':
		return fmt_opt(cmd, LVS_OPT_EXACT, LVS_FMT_EXACT);
	case TAG_STATS:
		return fmt_opt(cmd, LVS_OPT_STATS, LVS_FMT_STATS);
	case TAG_RATE:
		return fmt_opt(cmd, LVS_OPT_RATE, LVS_FMT_RATE);
	case TAG_THRESHOLDS:
		return fmt_opt(cmd, LVS_OPT_THRESHOLDS, LVS_FMT_THRESHOLDS);
	case TAG_PERSISTCONN:
		return fmt_opt(cmd, LVS_OPT_PERSISTCONN, LVS_FMT_PERSISTCONN);
	case TAG_NOSORT:
		return fmt_opt(cmd, LVS_OPT_NOSORT, LVS_FMT_NOSORT);
	case TAG_TUN_INFO:
		return fmt_opt(cmd, LVS_OPT_TUN_INFO, LVS_FMT_TUN_INFO);
	case TAG_JSON:
		return fmt_opt(cmd, LVS_OPT_JSON, LVS_FMT_JSON);
	case TAG_TIMEOUT:
		return set_option(cmd, LVS_OPT_TIMEOUT);
	case TAG_SORT:
		return 0;
	}
	return 1;
}

static int option_opt(struct lvs_cmd *cmd, struct raw_args *raw, int c,
		      const char *arg)
{
	int ret;

	switch (c) {
	case 't':
		return service_opt(cmd, raw, IPPROTO_TCP, arg);
	case 'u':
		return service_opt(cmd, raw, IPPROTO_UDP, arg);
	case TAG_SCTP:
		return service_opt(cmd, raw, IPPROTO_SCTP, arg);
	case 'f':
		return fwmark_opt(cmd, arg);
	case '6':
		return ipv6_opt(cmd);
	}
	ret = service_cfg_opt(cmd, raw, c, arg);
	if (ret <= 0)
		return ret;
	ret = dest_cfg_opt(cmd, raw, c, arg);
	if (ret <= 0)
		return ret;
	ret = list_opt(cmd, c);
	if (ret <= 0)
		return ret;
	return lvs_uerr("option '--%s' is not supported by ip_vs_lite",
			long_name(c, raw->longindex));
}

static int getopt_error(int c, char **argv)
{
	const char *arg = argv[optind - 1];
	int len = strcspn(arg, "=");

	if (!strncmp(arg, "--", 2))
		return lvs_uerr("%s option '%.*s' (try `lvsadm -h')",
				c == ':' ? "missing argument for" :
					   "unrecognized", len, arg);
	return lvs_uerr("%s option '-%c' (try `lvsadm -h')",
			c == ':' ? "missing argument for" : "unrecognized",
			optopt);
}

static int scan_options(int argc, char **argv, struct lvs_cmd *cmd,
			struct raw_args *raw)
{
	int c, ret;

	optind = 0;
	opterr = 0;
	raw->argc = argc;
	raw->argv = argv;
	for (;;) {
		raw->longindex = -1;
		c = getopt_long(argc, argv, shortopts, longopts,
				&raw->longindex);
		if (c == -1)
			return 0;
		if (c == '?' || c == ':')
			return getopt_error(c, argv);
		ret = command_opt(cmd, c);
		if (ret <= 0) {
			if (ret)
				return ret;
			continue;
		}
		if (option_opt(cmd, raw, c, optarg))
			return -1;
	}
}

static int check_rules(const struct lvs_cmd *cmd)
{
	const char *name = rules[cmd->type].name;
	unsigned int j, bit, one = LVS_OPT_COUNT;

	for (j = 0; j < LVS_OPT_COUNT; j++) {
		bit = 1U << j;
		if (!(cmd->opts & bit)) {
			if (rules[cmd->type].need & bit)
				return lvs_uerr("You need to supply the '%s' option for the '%s' command",
						optnames[j], name);
			continue;
		}
		if (!(rules[cmd->type].may & bit))
			return lvs_uerr("Illegal '%s' option with the '%s' command",
					optnames[j], name);
		if (!(rules[cmd->type].one & bit))
			continue;
		if (one != LVS_OPT_COUNT)
			return lvs_uerr("The option '%s' conflicts with the '%s' option in the '%s' command",
					optnames[j], optnames[one], name);
		one = j;
	}
	return 0;
}

/*
 * The connection and timeout listings have layouts of their own: the
 * table's column choices do not apply, except that the connection
 * listing takes --persistent-conn as ipvsadm does.
 */
static int check_list(const struct lvs_cmd *cmd)
{
	unsigned int fmts = cmd->opts & LIST_FMT_OPTS;

	if (cmd->type != LVS_CMD_LIST)
		return 0;
	if (cmd->opts & LVS_OPT(CONNECTION))
		fmts &= ~LVS_OPT(PERSISTCONN);
	if ((cmd->opts & (LVS_OPT(CONNECTION) | LVS_OPT(TIMEOUT))) && fmts)
		return lvs_uerr("options conflicts in the list command");
	return 0;
}

static int parse_timeouts(int argc, char **argv, struct lvs_cmd *cmd)
{
	uint32_t *const field[] = {
		&cmd->timeout.tcp, &cmd->timeout.tcp_fin, &cmd->timeout.udp,
	};
	unsigned long v;
	int i;

	if (argc - optind < 3)
		return lvs_uerr("--set option requires 3 timeout values");
	for (i = 0; i < 3; i++) {
		if (lvs_parse_ulong(argv[optind], 0, LVS_MAX_TIMEOUT, &v))
			return lvs_uerr("invalid timeout value `%s' specified",
					argv[optind]);
		*field[i] = v;
		optind++;
	}
	return 0;
}

static bool changes_service(const struct lvs_cmd *cmd)
{
	return cmd->type == LVS_CMD_ADD_SVC || cmd->type == LVS_CMD_EDIT_SVC;
}

static bool changes_dest(const struct lvs_cmd *cmd)
{
	return cmd->type == LVS_CMD_ADD_DEST || cmd->type == LVS_CMD_EDIT_DEST;
}

static int parse_service(struct lvs_cmd *cmd, const char *arg)
{
	struct lvs_endpoint ep;
	int ret;

	ret = lvs_parse_endpoint(arg, cmd->svc.protocol, &ep);
	if (ret)
		return lvs_uerr("illegal virtual server address[:port] specified (%s)",
				lvs_addr_strerror(ret));
	cmd->svc.af = ep.af;
	cmd->svc.addr = ep.addr;
	cmd->svc.port = ep.port;
	return 0;
}

/* A written port wins; else the service's, as with ipvsadm. */
static int parse_server(struct lvs_cmd *cmd, const char *arg)
{
	struct lvs_endpoint ep;
	int ret;

	ret = lvs_parse_endpoint(arg, cmd->svc.protocol, &ep);
	if (ret)
		return lvs_uerr("illegal real server address[:port] specified (%s)",
				lvs_addr_strerror(ret));
	cmd->dest.af = ep.af;
	cmd->dest.addr = ep.addr;
	cmd->dest.port = ep.has_port ? ep.port : cmd->svc.port;
	return 0;
}

static int parse_sched(struct lvs_cmd *cmd, const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= sizeof(cmd->svc.sched))
		return lvs_uerr("illegal scheduler name `%s' (1..%zu characters)",
				name, sizeof(cmd->svc.sched) - 1);
	memcpy(cmd->svc.sched, name, len + 1);
	return 0;
}

static int sched_flag(struct lvs_cmd *cmd, const char *name, size_t len)
{
	uint32_t flag;
	int ret;

	ret = lvs_sched_flag(cmd->svc.sched, name, len, &flag);
	if (!ret) {
		cmd->svc.flags |= flag;
		return 0;
	}
	if (ret == LVS_SCHED_FLAG_OTHER)
		return lvs_uerr("incompatible scheduler flag `%.*s'", (int)len,
				name);
	if (len == 6 && !strncmp(name, "flag-3", len))
		return lvs_uerr("scheduler flag `flag-3' is not supported by ip_vs_lite");
	return lvs_uerr("invalid scheduler flag `%.*s'", (int)len, name);
}

/*
 * -b: comma-separated names, checked against the service's scheduler
 * once it is known, wherever -s stands, as ipvsadm does. Empty names
 * are skipped.
 */
static int parse_sched_flags(struct lvs_cmd *cmd, const char *arg)
{
	size_t len;

	for (; *arg; arg += len + (arg[len] == ',')) {
		len = strcspn(arg, ",");
		if (len && sched_flag(cmd, arg, len))
			return -1;
	}
	return 0;
}

/* IPv4 takes a dotted mask, IPv6 a prefix length; both end as a length. */
static int parse_netmask(struct lvs_cmd *cmd, const char *arg)
{
	unsigned long v;
	int len;

	if (cmd->svc.af == AF_INET6) {
		if (lvs_parse_ulong(arg, 1, 128, &v))
			return lvs_uerr("illegal ipv6 netmask specified");
		cmd->svc.netmask = v;
		return 0;
	}
	len = lvs_parse_mask(arg);
	if (len == LVS_MASK_SYNTAX)
		return lvs_uerr("illegal virtual server persistent mask specified");
	if (len == LVS_MASK_HOLES)
		return lvs_uerr("illegal virtual server persistent mask specified (%s is not contiguous)",
				arg);
	cmd->svc.netmask = len;
	return 0;
}

static int check_service(struct lvs_cmd *cmd, const struct raw_args *raw)
{
	struct ipvl_service *svc = &cmd->svc;

	svc->netmask = ipvl_addr_len(svc->af) * 8;
	if (raw->netmask && parse_netmask(cmd, raw->netmask))
		return -1;
	if (!svc->fwmark && !svc->port &&
	    !(svc->flags & IPVL_SVC_F_PERSISTENT))
		return lvs_uerr("Zero port specified for non-persistent service");
	if ((svc->flags & IPVL_SVC_F_ONEPACKET) && !svc->fwmark &&
	    svc->protocol != IPPROTO_UDP)
		return lvs_uerr("One-Packet Scheduling is only for UDP virtual services");
	if (parse_sched(cmd, raw->sched ? raw->sched : LVS_DEF_SCHED))
		return -1;
	return raw->sched_flags ? parse_sched_flags(cmd, raw->sched_flags) : 0;
}

/*
 * The options each tunnel type takes, in ipvsadm's order: 'x' illegal,
 * '+' needed, '1' at most one of them.
 */
static const struct {
	enum lvs_opt opt;
	char rule[IPVL_TUN_MAX + 1];
} tun_rules[] = {
	/*				  ipip gue  gre */
	{ LVS_OPT_TUN_PORT,		{ 'x', '+', 'x' } },
	{ LVS_OPT_TUN_NOCSUM,		{ 'x', '1', '1' } },
	{ LVS_OPT_TUN_CSUM,		{ 'x', '1', '1' } },
	{ LVS_OPT_TUN_REMCSUM,		{ 'x', '1', 'x' } },
};

static int check_tunnel(const struct lvs_cmd *cmd)
{
	const char *type = tun_names[cmd->dest.tun_type];
	enum lvs_opt first = LVS_OPT_COUNT;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tun_rules); i++) {
		enum lvs_opt o = tun_rules[i].opt;
		char r = tun_rules[i].rule[cmd->dest.tun_type];

		if (!(cmd->opts & (1U << o))) {
			if (r == '+')
				return lvs_uerr("You need to supply the '%s' option for the '%s' tunnel type",
						optnames[o], type);
			continue;
		}
		if (r == 'x')
			return lvs_uerr("Illegal '%s' option with the '%s' tunnel type",
					optnames[o], type);
		if (r == '1' && first != LVS_OPT_COUNT)
			return lvs_uerr("The option '%s' conflicts with the '%s' option in the '%s' tunnel type",
					optnames[o], optnames[first], type);
		if (r == '1')
			first = o;
	}
	return 0;
}

/*
 * Direct routing and tunnelling cannot change the port, so ipvsadm
 * silently uses the service port for them; scripts rely on that. A
 * firewall-mark service has no port of its own to use.
 */
static int check_dest(struct lvs_cmd *cmd)
{
	if ((cmd->opts & (LVS_OPT(TUN_TYPE) | TUN_OPTS)) &&
	    cmd->dest.fwd != IPVL_FWD_TUN)
		return lvs_uerr("Tunnel options conflict with forward method");
	if (check_tunnel(cmd))
		return -1;
	if (!cmd->svc.fwmark && (cmd->dest.fwd == IPVL_FWD_DR ||
				 cmd->dest.fwd == IPVL_FWD_TUN))
		cmd->dest.port = cmd->svc.port;
	if (cmd->dest.af != cmd->svc.af && cmd->dest.fwd != IPVL_FWD_TUN)
		return lvs_uerr("Different address family is allowed only for tunneling servers");
	return 0;
}

static int resolve_args(struct lvs_cmd *cmd, const struct raw_args *raw)
{
	if (raw->svc && parse_service(cmd, raw->svc))
		return -1;
	if (raw->server && parse_server(cmd, raw->server))
		return -1;
	if (changes_service(cmd))
		return check_service(cmd, raw);
	if (changes_dest(cmd))
		return check_dest(cmd);
	return 0;
}

static void init_cmd(struct lvs_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->dest.weight = 1;
	cmd->dest.fwd = IPVL_FWD_DR;
}

/*
 * Fill @cmd from an ipvsadm-style command line. On failure the reason
 * is in lvs_errmsg() and nothing must be sent.
 */
int lvs_parse_args(int argc, char **argv, struct lvs_cmd *cmd)
{
	struct raw_args raw = {};

	init_cmd(cmd);
	if (argc <= 1) {
		cmd->type = LVS_CMD_LIST;
		return 0;
	}
	if (scan_options(argc, argv, cmd, &raw))
		return -1;
	if (cmd->type == LVS_CMD_NONE)
		return lvs_uerr("no command specified (try `lvsadm -h')");
	if (cmd->type == LVS_CMD_HELP || cmd->type == LVS_CMD_VERSION)
		return 0;
	if (check_rules(cmd) || check_list(cmd))
		return -1;
	if (cmd->type == LVS_CMD_TIMEOUT && parse_timeouts(argc, argv, cmd))
		return -1;
	if (optind < argc)
		return lvs_uerr("unexpected argument %s", argv[optind]);
	return resolve_args(cmd, &raw);
}
