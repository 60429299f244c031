// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of lvsadm: argument parsing, address and number
 * formatting, the requests built for each command, the listings printed
 * from (scripted) kernel replies, restore, and the extended ACK reader.
 * The expected tables restate ipvsadm 1.31's printf formats.
 *
 * Usage: test_lvsadm [path-to-lvsadm]   (the binary for the CLI checks)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "args.h"
#include "cmd.h"
#include "err.h"
#include "fake_nl.h"
#include "fmt.h"
#include "print.h"
#include "json.h"
#include "tap.h"

#define MAX_WORDS	32
/*
 * ipvsadm pads the last column too, so table lines end in blanks; EOL
 * keeps them visibly apart from the newline.
 */
#define EOL		"\n"

/* ---- helpers ---------------------------------------------------------- */

static int parse_line(struct lvs_cmd *cmd, const char *line)
{
	static char copy[512];
	char *argv[MAX_WORDS + 1] = { "lvsadm" };
	int n;

	snprintf(copy, sizeof(copy), "%s", line);
	n = lvs_split_line(copy, argv + 1, MAX_WORDS - 1);
	lvs_err_clear();
	return lvs_parse_args(n + 1, argv, cmd);
}

static struct in_addr v4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static struct in6_addr v6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

struct req {
	const struct nlmsghdr *nlh;
	uint8_t cmd;
	uint8_t version;
	unsigned int nattrs;
	const struct nlattr *tb[IPVL_A_MAX + 1];
};

static int req_cb(const struct nlattr *attr, void *data)
{
	struct req *r = data;

	r->nattrs++;
	if (mnl_attr_get_type(attr) <= IPVL_A_MAX)
		r->tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static void decode(const struct nlmsghdr *nlh, struct req *r)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	memset(r, 0, sizeof(*r));
	r->nlh = nlh;
	r->cmd = genl->cmd;
	r->version = genl->version;
	mnl_attr_parse(nlh, sizeof(*genl), req_cb, r);
}

static bool attr_is(const struct req *r, uint16_t type, const void *val,
		    size_t len)
{
	const struct nlattr *a = r->tb[type];

	return a && mnl_attr_get_payload_len(a) == len &&
	       !memcmp(mnl_attr_get_payload(a), val, len);
}

static bool attr_u8(const struct req *r, uint16_t type, uint8_t v)
{
	return attr_is(r, type, &v, sizeof(v));
}

static bool attr_u16(const struct req *r, uint16_t type, uint16_t v)
{
	return attr_is(r, type, &v, sizeof(v));
}

static bool attr_u32(const struct req *r, uint16_t type, uint32_t v)
{
	return attr_is(r, type, &v, sizeof(v));
}

static bool attr_str(const struct req *r, uint16_t type, const char *s)
{
	return attr_is(r, type, s, strlen(s) + 1);
}

/* SVC_AF, PROTOCOL, ADDR, PORT of an IPv4 service. */
static bool svc_id4(const struct req *r, uint8_t proto, const char *addr,
		    uint16_t port)
{
	struct in_addr a = v4(addr);

	return attr_u16(r, IPVL_A_SVC_AF, AF_INET) &&
	       attr_u8(r, IPVL_A_SVC_PROTOCOL, proto) &&
	       attr_is(r, IPVL_A_SVC_ADDR, &a, sizeof(a)) &&
	       attr_u16(r, IPVL_A_SVC_PORT, htons(port));
}

static bool dest_id4(const struct req *r, const char *addr, uint16_t port)
{
	struct in_addr a = v4(addr);

	return attr_u16(r, IPVL_A_DEST_AF, AF_INET) &&
	       attr_is(r, IPVL_A_DEST_ADDR, &a, sizeof(a)) &&
	       attr_u16(r, IPVL_A_DEST_PORT, htons(port));
}

/* ---- addresses and ports ---------------------------------------------- */

/*
 * Name lookups need /etc/hosts and the services database (netbase); the
 * tests that use them are skipped where these are missing.
 */
static bool have_names;

static bool names_available(void)
{
	struct addrinfo hints = { .ai_family = AF_INET };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct servent *se = getservbyport(htons(25), "tcp");
	struct addrinfo *res;
	char host[NI_MAXHOST];
	bool ok;

	if (!se || strcmp(se->s_name, "smtp") ||
	    !getservbyname("domain", "udp") || !getservbyname("http", "tcp") ||
	    !getservbyname("https", "tcp"))
		return false;
	if (getaddrinfo("localhost", NULL, &hints, &res))
		return false;
	ok = ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr ==
	     htonl(INADDR_LOOPBACK);
	freeaddrinfo(res);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return ok && !getnameinfo((struct sockaddr *)&sin, sizeof(sin), host,
				  sizeof(host), NULL, 0, NI_NAMEREQD) &&
	       !strcmp(host, "localhost");
}

static bool skip_without_names(const char *what)
{
	if (!have_names)
		tap_skip(what, "no hosts or services database");
	return !have_names;
}

static void test_named_endpoints(void)
{
	static const struct {
		const char *arg;
		uint8_t proto;
		uint16_t af;
		const char *addr;
		uint16_t port;
	} t[] = {
		{ "192.0.2.5:smtp", IPPROTO_TCP, AF_INET, "192.0.2.5", 25 },
		{ "192.0.2.5:domain", IPPROTO_UDP, AF_INET, "192.0.2.5", 53 },
		{ "localhost:http", IPPROTO_TCP, AF_INET, "127.0.0.1", 80 },
		{ "[2001:db8::1]:https", IPPROTO_TCP, AF_INET6, "2001:db8::1",
		  443 },
	};
	struct lvs_endpoint ep;
	union ipvl_addr want;
	unsigned int i;

	if (skip_without_names("named endpoints"))
		return;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		memset(&want, 0, sizeof(want));
		inet_pton(t[i].af, t[i].addr, &want);
		tap_ok(!lvs_parse_endpoint(t[i].arg, t[i].proto, &ep) &&
		       ep.af == t[i].af && ep.port == t[i].port &&
		       !memcmp(&ep.addr, &want, ipvl_addr_len(t[i].af)),
		       "endpoint %s", t[i].arg);
	}
}

/* A TCP endpoint that must fail with @err. */
#define BAD(arg, err)	{ arg, IPPROTO_TCP, err, AF_UNSPEC, NULL, 0 }

static void test_endpoints(void)
{
	static const struct {
		const char *arg;
		uint8_t proto;
		int err;
		uint16_t af;
		const char *addr;
		uint16_t port;
	} t[] = {
		{ "192.0.2.5:80", IPPROTO_TCP, 0, AF_INET, "192.0.2.5", 80 },
		{ "198.51.100.1", IPPROTO_TCP, 0, AF_INET, "198.51.100.1", 0 },
		{ "203.0.113.9:65535", IPPROTO_UDP, 0, AF_INET, "203.0.113.9",
		  65535 },
		{ "[2001:db8::1]:80", IPPROTO_TCP, 0, AF_INET6, "2001:db8::1",
		  80 },
		{ "[2001:db8::1]", IPPROTO_TCP, 0, AF_INET6, "2001:db8::1", 0 },
		{ "2001:db8::2", IPPROTO_TCP, 0, AF_INET6, "2001:db8::2", 0 },
		{ "192.0.2.5:0", IPPROTO_TCP, 0, AF_INET, "192.0.2.5", 0 },
		BAD("192.0.2.5:65536", LVS_ADDR_PORT_RANGE),
		BAD("192.0.2.5:99999999999999999999999", LVS_ADDR_PORT_RANGE),
		BAD("192.0.2.5:no-such-service", LVS_ADDR_PORT_NAME),
		BAD("192.0.2.5:-1", LVS_ADDR_PORT_NAME),
		BAD("192.0.2.5:", LVS_ADDR_SYNTAX),
		BAD(":80", LVS_ADDR_SYNTAX),
		BAD("80", LVS_ADDR_SYNTAX),
		BAD("", LVS_ADDR_SYNTAX),
		BAD("[2001:db8::1]80", LVS_ADDR_SYNTAX),
		BAD("[2001:db8::1", LVS_ADDR_SYNTAX),
		BAD("[192.0.2.1]:80", LVS_ADDR_SYNTAX),
		BAD("2001:db8::zz", LVS_ADDR_SYNTAX),
		{ "[2001:db8::1]:0", IPPROTO_TCP, 0, AF_INET6, "2001:db8::1", 0 },
		BAD("no-such-host.invalid:80", LVS_ADDR_HOST),
	};
	struct lvs_endpoint ep;
	union ipvl_addr want;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		err = lvs_parse_endpoint(t[i].arg, t[i].proto, &ep);
		if (t[i].err || err) {
			tap_int(err, t[i].err, t[i].arg);
			continue;
		}
		memset(&want, 0, sizeof(want));
		inet_pton(t[i].af, t[i].addr, &want);
		tap_ok(ep.af == t[i].af && ep.port == t[i].port &&
		       !memcmp(&ep.addr, &want, ipvl_addr_len(t[i].af)),
		       "endpoint %s", t[i].arg);
	}
}

static void test_numbers(void)
{
	unsigned long v = 0;

	tap_ok(!lvs_parse_ulong("65535", 0, 65535, &v) && v == 65535,
	       "ulong upper bound");
	tap_ok(lvs_parse_ulong("65536", 0, 65535, &v), "ulong above max");
	tap_ok(lvs_parse_ulong("-1", 0, 65535, &v), "ulong negative");
	tap_ok(lvs_parse_ulong("+5", 0, 65535, &v), "ulong sign");
	tap_ok(lvs_parse_ulong(" 5", 0, 65535, &v), "ulong blank");
	tap_ok(lvs_parse_ulong("", 0, 65535, &v), "ulong empty");
	tap_ok(lvs_parse_ulong("12a", 0, 65535, &v), "ulong garbage");
	tap_ok(lvs_parse_ulong("184467440737095516160", 0, ~0UL, &v),
	       "ulong overflow");
}

static void test_largenum(void)
{
	static const struct {
		uint64_t v;
		bool exact;
		const char *want;
	} t[] = {
		{ 0, false, "        0" },
		{ 99999999ULL, false, " 99999999" },
		{ 100000000ULL, false, "  100000K" },
		{ 999999999ULL, false, "  999999K" },
		{ 1000000000ULL, false, "    1000M" },
		{ 99999999999ULL, false, "   99999M" },
		{ 100000000000ULL, false, "     100G" },
		{ 99999999999999ULL, false, "   99999G" },
		{ 100000000000000ULL, false, "     100T" },
		{ UINT64_MAX, false, "18446744T" },
		{ 5, true, "        5" },
		{ 12345678ULL, true, " 12345678" },
		{ 123456789ULL, true, " 123456789" },
		{ UINT64_MAX, true, " 18446744073709551615" },
	};
	char buf[LVS_NUM_LEN], name[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		lvs_fmt_largenum(buf, sizeof(buf), t[i].v, t[i].exact);
		snprintf(name, sizeof(name), "largenum %llu%s",
			 (unsigned long long)t[i].v, t[i].exact ? " exact" : "");
		tap_str(buf, t[i].want, name);
	}
}

static void test_names(void)
{
	union ipvl_addr lo = { .v4 = v4("127.0.0.1") };
	union ipvl_addr a6 = { .v6 = v6("2001:db8::1") };
	char buf[LVS_ADDRPORT_LEN];

	lvs_fmt_addrport(buf, sizeof(buf), AF_INET, &lo, 25, IPPROTO_TCP, true);
	tap_str(buf, "127.0.0.1:25", "addrport numeric");
	lvs_fmt_addrport(buf, sizeof(buf), AF_INET6, &a6, 443, IPPROTO_TCP,
			 true);
	tap_str(buf, "[2001:db8::1]:443", "addrport IPv6 bracketed");
	if (skip_without_names("addrport with names"))
		return;
	lvs_fmt_addrport(buf, sizeof(buf), AF_INET, &lo, 25, IPPROTO_TCP,
			 false);
	tap_str(buf, "localhost:smtp", "addrport resolves host and service");
	lvs_fmt_addrport(buf, sizeof(buf), AF_INET, &lo, 54321, IPPROTO_UDP,
			 false);
	tap_str(buf, "localhost:54321", "addrport unknown service numeric");
}

/* The rules format of the task's own example. */
static void test_rules(void)
{
	struct ipvl_service svc = {
		.af = AF_INET, .protocol = IPPROTO_TCP, .port = 25,
		.addr.v4 = v4("192.0.2.5"), .sched = "rr",
	};
	struct ipvl_dest d = {
		.af = AF_INET, .addr.v4 = v4("192.0.2.7"), .port = 25,
		.fwd = IPVL_FWD_DR, .weight = 1,
	};
	char buf[256];

	if (skip_without_names("save lines with names"))
		return;
	lvs_fmt_svc_rule(buf, sizeof(buf), &svc, 0);
	tap_str(buf, "-A -t 192.0.2.5:smtp -s rr", "save line service");
	lvs_fmt_dest_rule(buf, sizeof(buf), &svc, &d, 0);
	tap_str(buf, "-a -t 192.0.2.5:smtp -r 192.0.2.7:smtp -g -w 1",
		"save line real server");
	svc.protocol = IPPROTO_UDP;
	d.fwd = IPVL_FWD_NAT;
	d.weight = 0;
	lvs_fmt_dest_rule(buf, sizeof(buf), &svc, &d, LVS_FMT_NUMERIC);
	tap_str(buf, "-a -u 192.0.2.5:25 -r 192.0.2.7:25 -m -w 0",
		"save line numeric udp masq");
	svc.protocol = IPPROTO_SCTP;
	lvs_fmt_svc_rule(buf, sizeof(buf), &svc, LVS_FMT_NUMERIC);
	tap_str(buf, "-A --sctp-service 192.0.2.5:25 -s rr",
		"save line numeric sctp service, ipvsadm's long option");
	lvs_fmt_svc_name(buf, sizeof(buf), &svc, LVS_FMT_NUMERIC);
	tap_str(buf, "SCTP 192.0.2.5:25", "listed as SCTP, as ipvsadm does");
}

/* ---- argument parsing ------------------------------------------------- */

static void test_args_ok(void)
{
	struct lvs_cmd c;

	tap_ok(!parse_line(&c, "") && c.type == LVS_CMD_LIST,
	       "no arguments lists");
	tap_ok(!parse_line(&c, "-Ln") && c.type == LVS_CMD_LIST &&
	       c.fmt == LVS_FMT_NUMERIC, "-Ln");
	tap_ok(!parse_line(&c, "-l --stats --exact -n") &&
	       c.fmt == (LVS_FMT_STATS | LVS_FMT_EXACT | LVS_FMT_NUMERIC),
	       "-l --stats --exact -n");
	tap_ok(!parse_line(&c, "-L --nosort --sort") &&
	       c.fmt == LVS_FMT_NOSORT, "--nosort, --sort ignored");
	tap_ok(!parse_line(&c, "-At 192.0.2.5:80") &&
	       c.type == LVS_CMD_ADD_SVC && !strcmp(c.svc.sched, "wlc"),
	       "-At clustered, default scheduler wlc");
	tap_ok(!parse_line(&c, "-E -u 192.0.2.5:53") &&
	       !strcmp(c.svc.sched, "wlc") && c.svc.protocol == IPPROTO_UDP,
	       "-E defaults to wlc too");
	tap_ok(!parse_line(&c, "--add-service --tcp-service 192.0.2.5:80 --scheduler rr") &&
	       !strcmp(c.svc.sched, "rr"), "long options");
	tap_ok(!parse_line(&c, "-r 198.51.100.1 -a -t 192.0.2.5:80") &&
	       c.dest.port == 80 && c.dest.weight == 1 &&
	       c.dest.fwd == IPVL_FWD_DR, "-r before -t, defaults -g -w 1");
	tap_ok(!parse_line(&c, "-a -t 192.0.2.5:80 -r 198.51.100.1:8080 -g") &&
	       c.dest.port == 80, "-g takes the service port");
	tap_ok(!parse_line(&c, "-a -t 192.0.2.5:80 -r 198.51.100.1:8080 -m -w 0") &&
	       c.dest.port == 8080 && c.dest.fwd == IPVL_FWD_NAT &&
	       c.dest.weight == 0, "-m keeps its port, weight 0");
	tap_ok(!parse_line(&c, "-a -t 192.0.2.5:80 -r [2001:db8::5] -i") &&
	       c.dest.af == AF_INET6 && c.dest.fwd == IPVL_FWD_TUN,
	       "-i allows another family");
	tap_ok(!parse_line(&c, "--set 900 120 300") &&
	       c.type == LVS_CMD_TIMEOUT && c.timeout.tcp == 900 &&
	       c.timeout.tcp_fin == 120 && c.timeout.udp == 300, "--set");
	tap_ok(!parse_line(&c, "-Z") && c.type == LVS_CMD_ZERO &&
	       !(c.opts & LVS_OPT(SERVICE)), "-Z alone");
	tap_ok(!parse_line(&c, "-S -n") && c.type == LVS_CMD_SAVE,
	       "-S -n");
	tap_ok(!parse_line(&c, "-h") && c.type == LVS_CMD_HELP, "-h");
	tap_ok(!parse_line(&c, "--version") && c.type == LVS_CMD_VERSION,
	       "--version");
	tap_ok(!parse_line(&c, "-A -t [2001:db8::1]:80") &&
	       c.svc.af == AF_INET6, "IPv6 service parses");
}

static void test_args_err(void)
{
	static const struct {
		const char *line;
		const char *msg;
	} t[] = {
		{ "-A", "You need to supply the 'service-address' option for the 'add-service' command" },
		{ "-a -t 192.0.2.5:80", "You need to supply the 'real-server' option for the 'add-server' command" },
		{ "-A -t 192.0.2.5:80 -w 3", "Illegal 'weight' option with the 'add-service' command" },
		{ "-C -n", "Illegal 'numeric' option with the 'flush' command" },
		{ "-S --stats", "Illegal 'stats' option with the 'save' command" },
		{ "-A -D -t 192.0.2.5:80", "multiple commands specified" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -g -m", "multiple 'forwarding-method' options specified" },
		{ "-A -t 192.0.2.5:80 -u 192.0.2.5:80", "multiple 'service-address' options specified" },
		{ "-L --timeout --stats", "options conflicts in the list command" },
		{ "-L -t 192.0.2.5:80 --timeout", "The option 'timeout' conflicts with the 'service-address' option in the 'list' command" },
		{ "-A -t 192.0.2.5", "Zero port specified for non-persistent service" },
		{ "-A -t 192.0.2.5:0", "Zero port specified for non-persistent service" },
		{ "-A -t 192.0.2.5:65536", "illegal virtual server address[:port] specified (port out of range 0..65535)" },
		{ "-A -t 192.0.2.5:nope", "illegal virtual server address[:port] specified (unknown service name)" },
		{ "-A -t 80", "illegal virtual server address[:port] specified (expected host[:port] or [ipv6-address][:port])" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1:65536", "illegal real server address[:port] specified (port out of range 0..65535)" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -w 65536", "illegal weight specified (`65536' is not in 0..65535)" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -w -1", "illegal weight specified (`-1' is not in 0..65535)" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -w x", "illegal weight specified (`x' is not in 0..65535)" },
		{ "-a -t 192.0.2.5:80 -r [2001:db8::1]:80", "Different address family is allowed only for tunneling servers" },
		{ "-A -t 192.0.2.5:80 -s sixteen-chars-xx", "illegal scheduler name `sixteen-chars-xx' (1..15 characters)" },
		{ "--set 1 2", "--set option requires 3 timeout values" },
		{ "--set 1 2 x", "invalid timeout value `x' specified" },
		{ "--set 1 2 2678401", "invalid timeout value `2678401' specified" },
		{ "--set 1 2 3 4", "unexpected argument 4" },
		{ "-C extra", "unexpected argument extra" },
		{ "-t 192.0.2.5:80", "no command specified (try `lvsadm -h')" },
		{ "--start-daemon master", "option '--start-daemon' is not supported by ip_vs_lite" },
		{ "-A -t 192.0.2.5:80 -b sh-port", "incompatible scheduler flag `sh-port'" },
		{ "-E -t 192.0.2.5:80 -b mh-port", "incompatible scheduler flag `mh-port'" },
		{ "-A -t 192.0.2.5:80 -s sh -b sh-port,mh-fallback", "incompatible scheduler flag `mh-fallback'" },
		{ "-A -t 192.0.2.5:80 -s mh -b sh-fallback", "incompatible scheduler flag `sh-fallback'" },
		{ "-A -t 192.0.2.5:80 -s sh -b bogus", "invalid scheduler flag `bogus'" },
		{ "-A -t 192.0.2.5:80 -s sh -b sh-port,SH-PORT", "invalid scheduler flag `SH-PORT'" },
		{ "-A -t 192.0.2.5:80 -s sh -b sh-port=1", "invalid scheduler flag `sh-port=1'" },
		{ "-A -t 192.0.2.5:80 -s rr -b flag-3", "scheduler flag `flag-3' is not supported by ip_vs_lite" },
		{ "-A -t 192.0.2.5:80 -s sh -b sh-port -b sh-fallback", "multiple 'sched-flags' options specified" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -b sh-port", "Illegal 'sched-flags' option with the 'add-server' command" },
		{ "-L -b sh-port", "Illegal 'sched-flags' option with the 'list' command" },
		{ "-A -t 192.0.2.5:80 -s sh -b", "missing argument for option '-b' (try `lvsadm -h')" },
		{ "-A -t 192.0.2.5:80 -p 0", "invalid timeout value `0' specified" },
		{ "-A -t 192.0.2.5:80 -p 2678401", "invalid timeout value `2678401' specified" },
		{ "-A -t 192.0.2.5:80 -p rr", "invalid timeout value `rr' specified" },
		{ "-A -t 192.0.2.5:80 -p 5 rr", "unexpected argument rr" },
		{ "-A -t 192.0.2.5:80 -p -M 255.255.0.255", "illegal virtual server persistent mask specified (255.255.0.255 is not contiguous)" },
		{ "-A -t 192.0.2.5:80 -p -M 300.1.1.1", "illegal virtual server persistent mask specified" },
		{ "-A -f 3 -6 -M 129", "illegal ipv6 netmask specified" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -i --tun-type vxlan", "illegal tunnel type specified" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -i --tun-type gue --tun-port 0", "illegal tunnel port specified" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -i --tun-type gue", "You need to supply the 'tun-port' option for the 'gue' tunnel type" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -i --tun-type gre --tun-port 6080", "Illegal 'tun-port' option with the 'gre' tunnel type" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -i --tun-type gre --tun-remcsum", "Illegal 'tun-remcsum' option with the 'gre' tunnel type" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -i --tun-csum", "Illegal 'tun-csum' option with the 'ipip' tunnel type" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -i --tun-type gue --tun-port 6080 --tun-nocsum --tun-csum", "The option 'tun-csum' conflicts with the 'tun-nocsum' option in the 'gue' tunnel type" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -g --tun-csum", "Tunnel options conflict with forward method" },
		{ "-L --tun-port 6080", "Illegal 'tun-port' option with the 'list' command" },
		{ "-A -t 192.0.2.5:80 --tun-info", "Illegal 'tun-info' option with the 'add-service' command" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -m --tun-type ipip", "Tunnel options conflict with forward method" },
		{ "-A -t 192.0.2.5:80 --tun-type ipip", "Illegal 'tun-type' option with the 'add-service' command" },
		{ "-A -t 192.0.2.5:80 -o", "One-Packet Scheduling is only for UDP virtual services" },
		{ "-A --sctp-service 192.0.2.5:80 -o", "One-Packet Scheduling is only for UDP virtual services" },
		{ "-A -t 192.0.2.5:80 -x 3", "Illegal 'u-threshold' option with the 'add-service' command" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -o", "Illegal 'ops' option with the 'add-server' command" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 --sloppy", "Illegal 'sloppy' option with the 'add-server' command" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -x abc", "illegal u_threshold specified (`abc' is not in 0..2147483647)" },
		{ "-a -t 192.0.2.5:80 -r 198.51.100.1 -y 3000000000", "illegal l_threshold specified (`3000000000' is not in 0..2147483647)" },
		{ "-A -6 -f 3", "-6 used before -f" },
		{ "-l -6", "-6 used before -f" },
		{ "-A -f 0", "invalid fwmark value `0' specified" },
		{ "-A -f x", "invalid fwmark value `x' specified" },
		{ "-E -t 192.0.2.5:0 -s wlc", "Zero port specified for non-persistent service" },
		{ "-lnc --stats", "options conflicts in the list command" },
		{ "-lnc --rate", "options conflicts in the list command" },
		{ "-L --timeout --rate", "options conflicts in the list command" },
		{ "-lnc --timeout", "The option 'timeout' conflicts with the 'connection' option in the 'list' command" },
		{ "-lnc -t 192.0.2.5:80", "The option 'service-address' conflicts with the 'connection' option in the 'list' command" },
		{ "-S -c", "Illegal 'connection' option with the 'save' command" },
		{ "-ln -o", "Illegal 'ops' option with the 'list' command" },
		{ "--info -n", "Illegal 'numeric' option with the 'info' command" },
		{ "-S --json", "Illegal 'json' option with the 'save' command" },
		{ "--bogus", "unrecognized option '--bogus' (try `lvsadm -h')" },
		{ "--bogus=1", "unrecognized option '--bogus' (try `lvsadm -h')" },
		{ "-Lq", "unrecognized option '-q' (try `lvsadm -h')" },
		{ "-A -t", "missing argument for option '-t' (try `lvsadm -h')" },
		{ "-a -t 192.0.2.5:80 --real-server", "missing argument for option '--real-server' (try `lvsadm -h')" },
	};
	struct lvs_cmd c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		if (!tap_ok(parse_line(&c, t[i].line) == -1 &&
			    lvs_errcode() == LVS_EXIT_USAGE,
			    "rejects: %s", t[i].line))
			continue;
		tap_str(lvs_errmsg(), t[i].msg, "  message");
	}
}

/* ---- requests --------------------------------------------------------- */

/* The first request @line sends to a fresh fake kernel. */
static bool build(const char *line, struct req *r)
{
	struct lvs_ctx ctx = { .out = stdout };
	const struct nlmsghdr *nlh;
	struct lvs_cmd c;

	fake_reset();
	if (parse_line(&c, line))
		return false;
	lvs_run(&ctx, &c);
	lvs_ctx_close(&ctx);
	nlh = fake_req(0);
	if (!nlh)
		return false;
	decode(nlh, r);
	return nlh->nlmsg_type == FAKE_FAMILY &&
	       nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	       r->version == IPVL_GENL_VERSION;
}

static void test_req_services(void)
{
	struct in6_addr a6 = v6("2001:db8::1");
	struct req r;

	tap_ok(build("-A -t 192.0.2.5:80 -s rr", &r) &&
	       r.cmd == IPVL_CMD_NEW_SERVICE && r.nattrs == 7 &&
	       svc_id4(&r, IPPROTO_TCP, "192.0.2.5", 80) &&
	       attr_str(&r, IPVL_A_SVC_SCHED_NAME, "rr") &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, 0) &&
	       attr_u32(&r, IPVL_A_SVC_NETMASK, 32) &&
	       !r.tb[IPVL_A_SVC_TIMEOUT],
	       "-A builds NEW_SERVICE: scheduler, no flags, /32");
	tap_ok(build("-E -u 192.0.2.5:53", &r) &&
	       r.cmd == IPVL_CMD_SET_SERVICE && r.nattrs == 7 &&
	       svc_id4(&r, IPPROTO_UDP, "192.0.2.5", 53) &&
	       attr_str(&r, IPVL_A_SVC_SCHED_NAME, "wlc") &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, 0),
	       "-E builds SET_SERVICE with wlc and the flags cleared");
	tap_ok(build("-D -t 192.0.2.5:80", &r) &&
	       r.cmd == IPVL_CMD_DEL_SERVICE && r.nattrs == 4 &&
	       svc_id4(&r, IPPROTO_TCP, "192.0.2.5", 80),
	       "-D builds DEL_SERVICE with the id only");
	tap_ok(build("-A -t [2001:db8::1]:80", &r) &&
	       attr_u16(&r, IPVL_A_SVC_AF, AF_INET6) &&
	       attr_is(&r, IPVL_A_SVC_ADDR, &a6, sizeof(a6)) &&
	       attr_u16(&r, IPVL_A_SVC_PORT, htons(80)),
	       "IPv6 service: AF_INET6 and 16-byte address");
	tap_ok(build("-A --sctp-service 192.0.2.5:5000 -s rr", &r) &&
	       r.cmd == IPVL_CMD_NEW_SERVICE &&
	       svc_id4(&r, IPPROTO_SCTP, "192.0.2.5", 5000),
	       "--sctp-service builds NEW_SERVICE for IPPROTO_SCTP");
	tap_ok(build("-C", &r) && r.cmd == IPVL_CMD_FLUSH &&
	       r.nattrs == 0, "-C builds FLUSH");
	tap_ok(build("-Z", &r) && r.cmd == IPVL_CMD_ZERO && r.nattrs == 0,
	       "-Z builds ZERO for all");
	tap_ok(build("-Z -u 192.0.2.5:53", &r) && r.cmd == IPVL_CMD_ZERO &&
	       r.nattrs == 4 && svc_id4(&r, IPPROTO_UDP, "192.0.2.5", 53),
	       "-Z service builds ZERO with the id");
	tap_ok(build("--set 900 120 300", &r) &&
	       r.cmd == IPVL_CMD_SET_TIMEOUT && r.nattrs == 3 &&
	       attr_u32(&r, IPVL_A_TIMEOUT_TCP, 900) &&
	       attr_u32(&r, IPVL_A_TIMEOUT_TCP_FIN, 120) &&
	       attr_u32(&r, IPVL_A_TIMEOUT_UDP, 300),
	       "--set builds SET_TIMEOUT");
}

static void test_req_dests(void)
{
	struct req r;

	tap_ok(build("-a -t 192.0.2.5:80 -r 198.51.100.7 -w 5", &r) &&
	       r.cmd == IPVL_CMD_NEW_DEST && r.nattrs == 14 &&
	       attr_u32(&r, IPVL_A_DEST_U_THRESH, 0) &&
	       attr_u32(&r, IPVL_A_DEST_L_THRESH, 0) &&
	       svc_id4(&r, IPPROTO_TCP, "192.0.2.5", 80) &&
	       dest_id4(&r, "198.51.100.7", 80) &&
	       attr_u8(&r, IPVL_A_DEST_FWD, IPVL_FWD_DR) &&
	       attr_u32(&r, IPVL_A_DEST_WEIGHT, 5),
	       "-a builds NEW_DEST");
	tap_ok(build("-a -t 192.0.2.5:80 -r 198.51.100.7:8080 -m", &r) &&
	       dest_id4(&r, "198.51.100.7", 8080) &&
	       attr_u8(&r, IPVL_A_DEST_FWD, IPVL_FWD_NAT) &&
	       attr_u32(&r, IPVL_A_DEST_WEIGHT, 1),
	       "-a -m passes IPVL_FWD_NAT and its port");
	tap_ok(build("-e -t 192.0.2.5:80 -r 198.51.100.7:8080 -i -w 0", &r) &&
	       r.cmd == IPVL_CMD_SET_DEST &&
	       dest_id4(&r, "198.51.100.7", 80) &&
	       attr_u8(&r, IPVL_A_DEST_FWD, IPVL_FWD_TUN) &&
	       attr_u32(&r, IPVL_A_DEST_WEIGHT, 0),
	       "-e -i builds SET_DEST with IPVL_FWD_TUN");
	tap_ok(build("-d -t 192.0.2.5:80 -r 198.51.100.7:8080", &r) &&
	       r.cmd == IPVL_CMD_DEL_DEST && r.nattrs == 7 &&
	       dest_id4(&r, "198.51.100.7", 8080) && !r.tb[IPVL_A_DEST_FWD],
	       "-d builds DEL_DEST with the ids only");
	tap_ok(build("-d -t 192.0.2.5:80 -r 198.51.100.7:8080 --drain", &r) &&
	       r.cmd == IPVL_CMD_DEL_DEST && r.nattrs == 8 &&
	       r.tb[IPVL_A_DEST_DRAIN],
	       "-d --drain adds IPVL_A_DEST_DRAIN");
	tap_ok(build("-a -t 192.0.2.5:80 -r 198.51.100.7 --drain", &r) == false,
	       "--drain is refused with -a");
	tap_ok(build("-a -t 192.0.2.5:80 -r 198.51.100.7 -x 20 -y 10", &r) &&
	       attr_u32(&r, IPVL_A_DEST_U_THRESH, 20) &&
	       attr_u32(&r, IPVL_A_DEST_L_THRESH, 10),
	       "-x -y pass both thresholds");
	tap_ok(build("-a -f 1 -r 192.0.2.7:0 -g -w 1", &r) &&
	       r.tb[IPVL_A_SVC_FWMARK] && attr_u32(&r, IPVL_A_SVC_FWMARK, 1) &&
	       !r.tb[IPVL_A_SVC_PROTOCOL] && !r.tb[IPVL_A_SVC_ADDR] &&
	       !r.tb[IPVL_A_SVC_PORT] && dest_id4(&r, "192.0.2.7", 0),
	       "-a -f: fwmark service id, real server port 0");
	tap_ok(build("-a -f 1 -r 192.0.2.7:80 -g", &r) &&
	       dest_id4(&r, "192.0.2.7", 80),
	       "-a -f -g keeps the written port, as ipvsadm");
	tap_ok(build("-a -t 192.0.2.5:80 -r 192.0.2.7:80 -i -w 0 --tun-type ipip", &r) &&
	       attr_u8(&r, IPVL_A_DEST_FWD, IPVL_FWD_TUN),
	       "--tun-type ipip, as ipvsadm-save writes it, is taken");
	tap_ok(build("-a -t 192.0.2.5:80 -r 192.0.2.7 -i --tun-type gue --tun-port 6080 --tun-remcsum", &r) &&
	       attr_u8(&r, IPVL_A_DEST_TUN_TYPE, IPVL_TUN_GUE) &&
	       attr_u16(&r, IPVL_A_DEST_TUN_PORT, htons(6080)) &&
	       attr_u16(&r, IPVL_A_DEST_TUN_FLAGS, IPVL_TUN_F_REMCSUM),
	       "--tun-type gue --tun-port --tun-remcsum pass the tunnel");
	tap_ok(build("-e -t 192.0.2.5:80 -r 192.0.2.7 -i --tun-type gre --tun-csum", &r) &&
	       attr_u8(&r, IPVL_A_DEST_TUN_TYPE, IPVL_TUN_GRE) &&
	       attr_u16(&r, IPVL_A_DEST_TUN_PORT, 0) &&
	       attr_u16(&r, IPVL_A_DEST_TUN_FLAGS, IPVL_TUN_F_CSUM),
	       "-e --tun-type gre --tun-csum");
	tap_ok(build("-e -t 192.0.2.5:80 -r 192.0.2.7 -i", &r) &&
	       attr_u8(&r, IPVL_A_DEST_TUN_TYPE, IPVL_TUN_IPIP) &&
	       attr_u16(&r, IPVL_A_DEST_TUN_FLAGS, 0),
	       "-e -i alone: back to ipip, as ipvsadm");
	tap_ok(build("-a -f 1 -r 192.0.2.7 -g", &r) &&
	       dest_id4(&r, "192.0.2.7", 0),
	       "-a -f without a port: the service's, 0");
}

static void test_req_service_model(void)
{
	struct req r;

	tap_ok(build("-A -t 192.0.2.5:80 -s rr -p", &r) &&
	       r.nattrs == 8 &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_PERSISTENT) &&
	       attr_u32(&r, IPVL_A_SVC_TIMEOUT, 300),
	       "-p alone: persistent, 300 s");
	tap_ok(build("-A -t 192.0.2.5:80 -s rr -p 60 -M 255.255.255.0", &r) &&
	       attr_u32(&r, IPVL_A_SVC_TIMEOUT, 60) &&
	       attr_u32(&r, IPVL_A_SVC_NETMASK, 24),
	       "-p 60 -M 255.255.255.0: timeout 60, prefix 24");
	tap_ok(build("-A -t 192.0.2.5:80 -p120", &r) &&
	       attr_u32(&r, IPVL_A_SVC_TIMEOUT, 120), "-p120 attached");
	tap_ok(build("-A -t 192.0.2.5:80 --persistent=77 -s rr", &r) &&
	       attr_u32(&r, IPVL_A_SVC_TIMEOUT, 77) &&
	       attr_str(&r, IPVL_A_SVC_SCHED_NAME, "rr"),
	       "--persistent=77");
	tap_ok(build("-A -t 192.0.2.5:0 -p", &r) &&
	       attr_u16(&r, IPVL_A_SVC_PORT, 0),
	       "persistent service on port 0");
	tap_ok(build("-A -t 192.0.2.5 -p -M 0.0.0.0", &r) &&
	       attr_u32(&r, IPVL_A_SVC_NETMASK, 0), "-M 0.0.0.0 is /0");
	tap_ok(build("-A -u 192.0.2.5:53 -o", &r) &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_ONEPACKET),
	       "-o on UDP");
	tap_ok(build("-E -t 192.0.2.5:80 --sloppy", &r) &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_SLOPPY),
	       "--sloppy");
	tap_ok(build("-A -f 1 -s rr", &r) && r.nattrs == 5 &&
	       attr_u16(&r, IPVL_A_SVC_AF, AF_INET) &&
	       attr_u32(&r, IPVL_A_SVC_FWMARK, 1),
	       "-A -f 1: AF and FWMARK, no protocol, address or port");
	tap_ok(build("-A -f 2 -6 -o", &r) &&
	       attr_u16(&r, IPVL_A_SVC_AF, AF_INET6) &&
	       attr_u32(&r, IPVL_A_SVC_NETMASK, 128) &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_ONEPACKET),
	       "-f 2 -6 -o: AF_INET6, /128, ops allowed");
	tap_ok(build("-D -f 7", &r) && r.cmd == IPVL_CMD_DEL_SERVICE &&
	       r.nattrs == 2, "-D -f sends AF and FWMARK only");
	tap_ok(build("-A -t 192.0.2.5:80 -s sh -b sh-port", &r) &&
	       r.nattrs == 7 &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_SCHED_PORT),
	       "-s sh -b sh-port: IPVL_SVC_F_SCHED_PORT");
	tap_ok(build("-A -t 192.0.2.5:80 -b sh-fallback,sh-port -s sh", &r) &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_SCHED_FALLBACK |
			IPVL_SVC_F_SCHED_PORT),
	       "-b before -s: both sh flags");
	tap_ok(build("-A -u 192.0.2.5:53 -s mh -o --sched-flags mh-port,mh-fallback", &r) &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_ONEPACKET |
			IPVL_SVC_F_SCHED_FALLBACK | IPVL_SVC_F_SCHED_PORT),
	       "--sched-flags mh-port,mh-fallback with -o");
	tap_ok(build("-E -t 192.0.2.5:80 -s mh -p -b ,mh-port,,", &r) &&
	       r.cmd == IPVL_CMD_SET_SERVICE &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_PERSISTENT |
			IPVL_SVC_F_SCHED_PORT),
	       "-E -b: empty names skipped");
	tap_ok(build("-A -t 192.0.2.5:80 -s rr -b flag-1,flag-2", &r) &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_SCHED_FALLBACK |
			IPVL_SVC_F_SCHED_PORT),
	       "generic flag-1,flag-2 on rr");
	tap_ok(build("-A -t 192.0.2.5:80 -s sh -b flag-2", &r) &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, IPVL_SVC_F_SCHED_PORT),
	       "flag-2 on sh is sh-port");
	tap_ok(build("-E -t 192.0.2.5:80 -s sh", &r) &&
	       attr_u32(&r, IPVL_A_SVC_FLAGS, 0),
	       "-E without -b clears the scheduler flags");
	tap_ok(build("-Z -f 7", &r) && r.cmd == IPVL_CMD_ZERO && r.nattrs == 2,
	       "-Z -f");
}

static void fixture(void);
static int run_line(const char *line, char **out);

static void test_req_queries(void)
{
	struct lvs_cmd c;
	struct req r;
	char *out;

	fixture();
	run_line("-L -n", &out);
	free(out);
	decode(fake_req(1), &r);
	tap_ok(r.cmd == IPVL_CMD_GET_SERVICE && r.nattrs == 0 &&
	       r.nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP),
	       "service dump request");
	decode(fake_req(2), &r);
	tap_ok(r.cmd == IPVL_CMD_GET_DEST && r.nattrs == 4 &&
	       r.nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP) &&
	       svc_id4(&r, IPPROTO_TCP, "192.0.2.1", 443),
	       "real server dump request names the service");
	fixture();
	run_line("-lnc", &out);
	free(out);
	decode(fake_req(0), &r);
	tap_ok(fake.nreqs == 1 && r.cmd == IPVL_CMD_GET_CONN &&
	       r.nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_DUMP),
	       "-lnc: one connection dump");
	parse_line(&c, "-L -n");
	tap_ok(!lvs_cmd_is_change(c.type), "-L is not a change");
}

/* ---- listings from scripted replies ----------------------------------- */

static void add_dest(struct fake_svc *fs, uint16_t af, const char *addr,
		     uint16_t port, uint8_t fwd, uint32_t w, uint32_t ac,
		     uint32_t ic)
{
	struct ipvl_dest *d = &fs->dests[fs->ndests++];

	d->af = af;
	inet_pton(af, addr, &d->addr);
	d->port = port;
	d->fwd = fwd;
	d->weight = w;
	d->activeconns = ac;
	d->inactconns = ic;
}

static struct fake_svc *add_svc(uint16_t af, uint8_t proto, const char *addr,
				uint16_t port, const char *sched)
{
	struct fake_svc *fs = &fake.svcs[fake.nsvcs++];

	fs->svc.af = af;
	fs->svc.protocol = proto;
	inet_pton(af, addr, &fs->svc.addr);
	fs->svc.port = port;
	snprintf(fs->svc.sched, sizeof(fs->svc.sched), "%s", sched);
	return fs;
}

/* Deliberately not in listing order: lvsadm sorts like ipvsadm. */
static void fixture(void)
{
	static const struct ipvl_stats svc_st = {
		123456789ULL, 99999999ULL, 0, 5000000000ULL,
		123456789012345ULL, 12, 345, 0, 123456789ULL, 100000000ULL,
	};
	static const struct ipvl_stats dest_st = {
		1, 2, 3, 100000000ULL, 999999999ULL, 1, 2, 3, 4, 5,
	};
	struct fake_svc *fs;

	fake_reset();
	fs = add_svc(AF_INET, IPPROTO_UDP, "192.0.2.5", 53, "rr");
	add_dest(fs, AF_INET, "198.51.100.10", 53, IPVL_FWD_DR, 1, 0, 0);
	fs = add_svc(AF_INET, IPPROTO_TCP, "192.0.2.5", 80, "wlc");
	fs->svc.stats = svc_st;
	add_dest(fs, AF_INET, "198.51.100.2", 8080, IPVL_FWD_NAT, 3, 12, 345);
	fs->dests[0].stats = dest_st;
	add_dest(fs, AF_INET, "198.51.100.1", 80, IPVL_FWD_TUN, 0, 0, 0);
	add_svc(AF_INET6, IPPROTO_TCP, "2001:db8::1", 80, "rr");
	add_dest(&fake.svcs[2], AF_INET6, "2001:db8::10", 80, IPVL_FWD_DR,
		 65535, 1, 2);
	add_svc(AF_INET, IPPROTO_TCP, "192.0.2.1", 443, "sh");
}

/* Run a command line against the fake kernel; its stdout in *out. */
static int run_line(const char *line, char **out)
{
	struct lvs_ctx ctx = {};
	struct lvs_cmd c;
	size_t len;
	int ret;

	*out = NULL;
	ctx.out = open_memstream(out, &len);
	ret = parse_line(&c, line);
	if (!ret)
		ret = lvs_run(&ctx, &c);
	fclose(ctx.out);
	lvs_ctx_close(&ctx);
	return ret;
}

static void check_output(const char *line, const char *want)
{
	char *out;
	int ret = run_line(line, &out);

	if (tap_ok(!ret, "runs: lvsadm %s", line))
		tap_str(out, want, "  output");
	else
		printf("#   error: %s\n", lvs_errmsg());
	free(out);
}

static const char list_n[] =
	"IP Virtual Server version 1.0.0 (size=4096)\n"
	"Prot LocalAddress:Port Scheduler Flags\n"
	"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
	"TCP  192.0.2.1:443 sh\n"
	"TCP  192.0.2.5:80 wlc\n"
	"  -> 198.51.100.1:80              Tunnel  0      0          0         " EOL
	"  -> 198.51.100.2:8080            Masq    3      12         345       " EOL
	"UDP  192.0.2.5:53 rr\n"
	"  -> 198.51.100.10:53             Route   1      0          0         " EOL
	"TCP  [2001:db8::1]:80 rr\n"
	"  -> [2001:db8::10]:80            Route   65535  1          2         " EOL;

static const char list_stats[] =
	"IP Virtual Server version 1.0.0 (size=4096)\n"
	"Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
	"  -> RemoteAddress:Port\n"
	"TCP  192.0.2.1:443                       0        0        0        0        0\n"
	"TCP  192.0.2.5:80                  123456K 99999999        0    5000M     123T\n"
	"  -> 198.51.100.1:80                     0        0        0        0        0\n"
	"  -> 198.51.100.2:8080                   1        2        3  100000K  999999K\n"
	"UDP  192.0.2.5:53                        0        0        0        0        0\n"
	"  -> 198.51.100.10:53                    0        0        0        0        0\n"
	"TCP  [2001:db8::1]:80                    0        0        0        0        0\n"
	"  -> [2001:db8::10]:80                   0        0        0        0        0\n";

static const char list_exact[] =
	"IP Virtual Server version 1.0.0 (size=4096)\n"
	"Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
	"  -> RemoteAddress:Port\n"
	"TCP  192.0.2.1:443                       0        0        0        0        0\n"
	"TCP  192.0.2.5:80                 123456789 99999999        0 5000000000 123456789012345\n"
	"  -> 198.51.100.1:80                     0        0        0        0        0\n"
	"  -> 198.51.100.2:8080                   1        2        3 100000000 999999999\n"
	"UDP  192.0.2.5:53                        0        0        0        0        0\n"
	"  -> 198.51.100.10:53                    0        0        0        0        0\n"
	"TCP  [2001:db8::1]:80                    0        0        0        0        0\n"
	"  -> [2001:db8::10]:80                   0        0        0        0        0\n";

static const char save_n[] =
	"-A -t 192.0.2.1:443 -s sh\n"
	"-A -t 192.0.2.5:80 -s wlc\n"
	"-a -t 192.0.2.5:80 -r 198.51.100.1:80 -i -w 0 --tun-type ipip\n"
	"-a -t 192.0.2.5:80 -r 198.51.100.2:8080 -m -w 3\n"
	"-A -u 192.0.2.5:53 -s rr\n"
	"-a -u 192.0.2.5:53 -r 198.51.100.10:53 -g -w 1\n"
	"-A -t [2001:db8::1]:80 -s rr\n"
	"-a -t [2001:db8::1]:80 -r [2001:db8::10]:80 -g -w 65535\n";

static void tun_dest(struct fake_svc *fs, const char *addr, uint8_t type,
		     uint16_t port, uint16_t flags)
{
	struct ipvl_dest *d;

	add_dest(fs, AF_INET, addr, 80, IPVL_FWD_TUN, 1, 0, 0);
	d = &fs->dests[fs->ndests - 1];
	d->tun_type = type;
	d->tun_port = port;
	d->tun_flags = flags;
}

static void tun_fixture(void)
{
	struct fake_svc *fs;

	fake_reset();
	fs = add_svc(AF_INET, IPPROTO_TCP, "192.0.2.5", 80, "rr");
	tun_dest(fs, "198.51.100.1", IPVL_TUN_IPIP, 0, 0);
	tun_dest(fs, "198.51.100.2", IPVL_TUN_GUE, 6080, 0);
	tun_dest(fs, "198.51.100.3", IPVL_TUN_GUE, 6081, IPVL_TUN_F_CSUM);
	tun_dest(fs, "198.51.100.4", IPVL_TUN_GUE, 6082, IPVL_TUN_F_REMCSUM);
	tun_dest(fs, "198.51.100.5", IPVL_TUN_GRE, 0, 0);
	tun_dest(fs, "198.51.100.6", IPVL_TUN_GRE, 0, IPVL_TUN_F_CSUM);
	add_dest(fs, AF_INET, "198.51.100.7", 80, IPVL_FWD_DR, 1, 0, 0);
}

static void test_tunnel_listings(void)
{
	tun_fixture();
	check_output("-S -n",
		     "-A -t 192.0.2.5:80 -s rr\n"
		     "-a -t 192.0.2.5:80 -r 198.51.100.1:80 -i -w 1 --tun-type ipip\n"
		     "-a -t 192.0.2.5:80 -r 198.51.100.2:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum\n"
		     "-a -t 192.0.2.5:80 -r 198.51.100.3:80 -i -w 1 --tun-type gue --tun-port 6081 --tun-csum\n"
		     "-a -t 192.0.2.5:80 -r 198.51.100.4:80 -i -w 1 --tun-type gue --tun-port 6082 --tun-remcsum\n"
		     "-a -t 192.0.2.5:80 -r 198.51.100.5:80 -i -w 1 --tun-type gre --tun-nocsum\n"
		     "-a -t 192.0.2.5:80 -r 198.51.100.6:80 -i -w 1 --tun-type gre --tun-csum\n"
		     "-a -t 192.0.2.5:80 -r 198.51.100.7:80 -g -w 1\n");
	tun_fixture();
	check_output("-ln --tun-info",
		     "IP Virtual Server version 1.0.0 (size=4096)\n"
		     "Prot LocalAddress:Port Scheduler Flags\n"
		     "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"
		     "TCP  192.0.2.5:80 rr\n"
		     "  -> 198.51.100.1:80              Tunnel  ipip          1      0          0         " EOL
		     "  -> 198.51.100.2:80              Tunnel  gue:6080:-c   1      0          0         " EOL
		     "  -> 198.51.100.3:80              Tunnel  gue:6081:+c   1      0          0         " EOL
		     "  -> 198.51.100.4:80              Tunnel  gue:6082:r+c  1      0          0         " EOL
		     "  -> 198.51.100.5:80              Tunnel  gre:-c        1      0          0         " EOL
		     "  -> 198.51.100.6:80              Tunnel  gre:+c        1      0          0         " EOL
		     "  -> 198.51.100.7:80              Route   n/a           1      0          0         " EOL);
}

static void test_listings(void)
{
	fixture();
	check_output("-L -n", list_n);
	fixture();
	check_output("-L -n --stats", list_stats);
	fixture();
	check_output("-ln --stats --exact", list_exact);
	fixture();
	check_output("-S -n", save_n);
	fixture();
	check_output("-L -n --nosort",
		     "IP Virtual Server version 1.0.0 (size=4096)\n"
		     "Prot LocalAddress:Port Scheduler Flags\n"
		     "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
		     "UDP  192.0.2.5:53 rr\n"
		     "  -> 198.51.100.10:53             Route   1      0          0         " EOL
		     "TCP  192.0.2.5:80 wlc\n"
		     "  -> 198.51.100.2:8080            Masq    3      12         345       " EOL
		     "  -> 198.51.100.1:80              Tunnel  0      0          0         " EOL
		     "TCP  [2001:db8::1]:80 rr\n"
		     "  -> [2001:db8::10]:80            Route   65535  1          2         " EOL
		     "TCP  192.0.2.1:443 sh\n");
}

static void test_list_one(void)
{
	struct req r;
	char *out;

	fixture();
	check_output("-L -n -u 192.0.2.5:53",
		     "Prot LocalAddress:Port Scheduler Flags\n"
		     "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
		     "UDP  192.0.2.5:53 rr\n"
		     "  -> 198.51.100.10:53             Route   1      0          0         " EOL);
	tap_int(fake.nreqs, 2, "  one GET_SERVICE and one GET_DEST");
	decode(fake_req(0), &r);
	tap_ok(r.cmd == IPVL_CMD_GET_SERVICE &&
	       r.nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK) &&
	       svc_id4(&r, IPPROTO_UDP, "192.0.2.5", 53),
	       "  GET_SERVICE names the service, no dump");
	fixture();
	tap_ok(run_line("-L -t 192.0.2.9:80", &out) == -1 &&
	       !strcmp(lvs_errmsg(), "Service not found"),
	       "unknown service: the kernel's message");
	free(out);
	fake_reset();
	fake.timeout = (struct ipvl_timeout){ 900, 120, 300 };
	check_output("-L --timeout", "Timeout (tcp tcpfin udp): 900 120 300\n");
}

static void test_list_requests(void)
{
	static const char *const order[] = {
		"192.0.2.1", "192.0.2.5", "192.0.2.5",
	};
	static const uint16_t ports[] = { 443, 80, 53 };
	static const uint8_t protos[] = {
		IPPROTO_TCP, IPPROTO_TCP, IPPROTO_UDP,
	};
	unsigned int i;
	struct req r;
	char *out;

	fixture();
	run_line("-L -n", &out);
	free(out);
	tap_int(fake.opens, 1, "listing opens one socket");
	tap_int(fake.nreqs, 6, "INFO, service dump, four real server dumps");
	decode(fake_req(0), &r);
	tap_ok(r.cmd == IPVL_CMD_GET_INFO, "  first GET_INFO");
	decode(fake_req(1), &r);
	tap_ok(r.cmd == IPVL_CMD_GET_SERVICE &&
	       (r.nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP,
	       "  then the service dump");
	for (i = 0; i < 3; i++) {
		decode(fake_req(2 + i), &r);
		tap_ok(r.cmd == IPVL_CMD_GET_DEST &&
		       svc_id4(&r, protos[i], order[i], ports[i]),
		       "  real servers of %s:%u in listing order", order[i],
		       ports[i]);
	}
}

static void test_list_names(void)
{
	struct fake_svc *fs;

	fake_reset();
	check_output("-S", "");
	if (skip_without_names("listing with names"))
		return;
	fs = add_svc(AF_INET, IPPROTO_TCP, "127.0.0.1", 25, "rr");
	add_dest(fs, AF_INET, "127.0.0.1", 25, IPVL_FWD_DR, 1, 0, 3);
	check_output("-L",
		     "IP Virtual Server version 1.0.0 (size=4096)\n"
		     "Prot LocalAddress:Port Scheduler Flags\n"
		     "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
		     "TCP  localhost:smtp rr\n"
		     "  -> localhost:smtp               Route   1      0          3         " EOL);
	check_output("-S",
		     "-A -t localhost:smtp -s rr\n"
		     "-a -t localhost:smtp -r localhost:smtp -g -w 1\n");
}

/* ---- the rest of the service model ----------------------------------- */

static void fixture_model(void)
{
	struct fake_svc *fs;

	fake_reset();
	fs = add_svc(AF_INET, IPPROTO_TCP, "192.0.2.5", 80, "rr");
	fs->svc.flags = IPVL_SVC_F_PERSISTENT;
	fs->svc.timeout = 300;
	fs->svc.netmask = 24;
	add_dest(fs, AF_INET, "192.0.2.8", 80, IPVL_FWD_DR, 1, 0, 0);
	fs->dests[0].u_thresh = 10;
	fs->dests[0].l_thresh = 5;
	fs->dests[0].persistconns = 2;
	add_dest(fs, AF_INET, "192.0.2.7", 80, IPVL_FWD_DR, 3, 1, 4);
	fs = add_svc(AF_INET, IPPROTO_UDP, "192.0.2.5", 53, "rr");
	fs->svc.flags = IPVL_SVC_F_ONEPACKET;
	fs->svc.netmask = 32;
	fs = add_svc(AF_INET, 0, "0.0.0.0", 0, "wlc");
	fs->svc.fwmark = 2;
	fs->svc.flags = IPVL_SVC_F_PERSISTENT | IPVL_SVC_F_ONEPACKET;
	fs->svc.timeout = 100;
	fs->svc.netmask = 32;
	add_dest(fs, AF_INET, "192.0.2.9", 80, IPVL_FWD_NAT, 1, 0, 0);
	fs = add_svc(AF_INET, 0, "0.0.0.0", 0, "rr");
	fs->svc.fwmark = 1;
	fs->svc.netmask = 32;
	add_dest(fs, AF_INET, "192.0.2.8", 80, IPVL_FWD_DR, 1, 0, 0);
	add_dest(fs, AF_INET, "192.0.2.7", 0, IPVL_FWD_DR, 1, 0, 0);
	fs = add_svc(AF_INET, IPPROTO_TCP, "192.0.2.5", 0, "wlc");
	fs->svc.flags = IPVL_SVC_F_PERSISTENT | IPVL_SVC_F_SLOPPY;
	fs->svc.timeout = 20;
	fs->svc.netmask = 32;
	fs->svc.stats.cps = 7;
	fs->svc.stats.inbps = 123456789;
}

static void test_model_listings(void)
{
	fixture_model();
	check_output("-ln",
		     "IP Virtual Server version 1.0.0 (size=4096)\n"
		     "Prot LocalAddress:Port Scheduler Flags\n"
		     "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
		     "TCP  192.0.2.5:0 wlc persistent 20 sloppy\n"
		     "TCP  192.0.2.5:80 rr persistent 300 mask 255.255.255.0\n"
		     "  -> 192.0.2.7:80                 Route   3      1          4         " EOL
		     "  -> 192.0.2.8:80                 Route   1      0          0         " EOL
		     "UDP  192.0.2.5:53 rr ops\n"
		     "FWM  1 rr\n"
		     "  -> 192.0.2.7:0                  Route   1      0          0         " EOL
		     "  -> 192.0.2.8:80                 Route   1      0          0         " EOL
		     "FWM  2 wlc persistent 100 ops\n"
		     "  -> 192.0.2.9:80                 Masq    1      0          0         " EOL);
	fixture_model();
	check_output("-Sn",
		     "-A -t 192.0.2.5:0 -s wlc -p 20 --sloppy\n"
		     "-A -t 192.0.2.5:80 -s rr -p 300 -M 255.255.255.0\n"
		     "-a -t 192.0.2.5:80 -r 192.0.2.7:80 -g -w 3\n"
		     "-a -t 192.0.2.5:80 -r 192.0.2.8:80 -g -w 1 -x 10 -y 5\n"
		     "-A -u 192.0.2.5:53 -s rr -o\n"
		     "-A -f 1 -s rr\n"
		     "-a -f 1 -r 192.0.2.7:0 -g -w 1\n"
		     "-a -f 1 -r 192.0.2.8:80 -g -w 1\n"
		     "-A -f 2 -s wlc -p 100 -o\n"
		     "-a -f 2 -r 192.0.2.9:80 -m -w 1\n");
	fixture_model();
	check_output("-ln -t 192.0.2.5:80 --thresholds",
		     "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn " EOL
		     "  -> RemoteAddress:Port\n"
		     "TCP  192.0.2.5:80 rr persistent 300 mask 255.255.255.0\n"
		     "  -> 192.0.2.7:80                 0          0          1          4         " EOL
		     "  -> 192.0.2.8:80                 10         5          0          0         " EOL);
	fixture_model();
	check_output("-ln -t 192.0.2.5:80 --persistent-conn",
		     "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn " EOL
		     "  -> RemoteAddress:Port\n"
		     "TCP  192.0.2.5:80 rr persistent 300 mask 255.255.255.0\n"
		     "  -> 192.0.2.7:80                 3         0           1          4         " EOL
		     "  -> 192.0.2.8:80                 1         2           0          0         " EOL);
	fixture_model();
	check_output("-ln -f 1 --nosort",
		     "Prot LocalAddress:Port Scheduler Flags\n"
		     "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
		     "FWM  1 rr\n"
		     "  -> 192.0.2.8:80                 Route   1      0          0         " EOL
		     "  -> 192.0.2.7:0                  Route   1      0          0         " EOL);
	fixture_model();
	check_output("-ln -t 192.0.2.5:0 --rate",
		     "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
		     "  -> RemoteAddress:Port\n"
		     "TCP  192.0.2.5:0                         7        0        0  123456K        0\n");
	fixture_model();
	check_output("-ln -t 192.0.2.5:0 --rate --exact --stats",
		     "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
		     "  -> RemoteAddress:Port\n"
		     "TCP  192.0.2.5:0                         0        0        0        0        0\n");
	fixture();
	check_output("-ln -t 192.0.2.5:80 --rate",
		     "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
		     "  -> RemoteAddress:Port\n"
		     "TCP  192.0.2.5:80                       12      345        0  123456K  100000K\n"
		     "  -> 198.51.100.1:80                     0        0        0        0        0\n"
		     "  -> 198.51.100.2:8080                   1        2        3        4        5\n");
	fixture();
	fake.no_rates = true;
	check_output("-ln -t 192.0.2.5:80 --rate --exact",
		     "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
		     "  -> RemoteAddress:Port\n"
		     "TCP  192.0.2.5:80                        0        0        0        0        0\n"
		     "  -> 198.51.100.1:80                     0        0        0        0        0\n"
		     "  -> 198.51.100.2:8080                   0        0        0        0        0\n");
}

static void add_conn(uint8_t proto, const char *c, uint16_t cp, const char *v,
		     uint16_t vp, const char *d, uint16_t dp, const char *state,
		     uint32_t ms)
{
	struct ipvl_conn *k = &fake.conns[fake.nconns++];

	k->af = AF_INET;
	k->protocol = proto;
	inet_pton(AF_INET, c, &k->caddr);
	k->cport = cp;
	inet_pton(AF_INET, v, &k->vaddr);
	k->vport = vp;
	inet_pton(AF_INET, d, &k->daddr);
	k->dport = dp;
	k->fwd = IPVL_FWD_DR;
	snprintf(k->state, sizeof(k->state), "%s", state);
	k->expires_ms = ms;
	if (!strcmp(state, "NONE"))
		k->flags = IPVL_CONN_F_TEMPLATE;
}

static void fixture_conns(void)
{
	fake_reset();
	add_conn(IPPROTO_TCP, "198.51.100.10", 41234, "192.0.2.5", 80,
		 "192.0.2.7", 80, "ESTABLISHED", 899999);
	add_conn(IPPROTO_TCP, "198.51.100.10", 0, "192.0.2.5", 80,
		 "192.0.2.7", 80, "NONE", 296500);
	add_conn(0, "198.51.100.0", 0, "0.0.0.0", 0, "192.0.2.8", 0, "NONE",
		 58000);
	fake.conns[2].fwmark = 1;
	add_conn(IPPROTO_UDP, "198.51.100.10", 40000, "192.0.2.5", 53,
		 "192.0.2.8", 53, "UDP", 6100000);
}

static const char conns_n[] =
	"TCP 14:59  ESTABLISHED 198.51.100.10:41234 192.0.2.5:80       192.0.2.7:80\n"
	"TCP 04:56  NONE        198.51.100.10:0    192.0.2.5:80       192.0.2.7:80\n"
	"IP  00:58  NONE        198.51.100.0:0     0.0.0.1:0          192.0.2.8:0\n"
	"UDP 101:40 UDP         198.51.100.10:40000 192.0.2.5:53       192.0.2.8:53\n";

static void test_conns(void)
{
	char want[1024];

	fixture_conns();
	snprintf(want, sizeof(want), "%s%s", "IPVS connection entries\n"
		 "pro expire state       source             virtual            destination\n",
		 conns_n);
	check_output("-lnc", want);
	fixture_conns();
	check_output("-lnc --exact", want);
	fixture_conns();
	snprintf(want, sizeof(want), "%s%s", "IPVS connection entries\n"
		 "pro expire state       source             virtual            destination        pe name          pe_data\n",
		 conns_n);
	check_output("-l -c -n --persistent-conn", want);
	if (skip_without_names("connection listing with names"))
		return;
	fixture_conns();
	check_output("-lc",
		     "IPVS connection entries\n"
		     "pro expire state       source             virtual            destination\n"
		     "TCP 14:59  ESTABLISHED 198.51.100.10:41234 192.0.2.5:http     192.0.2.7:http\n"
		     "TCP 04:56  NONE        198.51.100.10:0    192.0.2.5:http     192.0.2.7:http\n"
		     "IP  00:58  NONE        198.51.100.0:0     0.0.0.1:0          192.0.2.8:0\n"
		     "UDP 101:40 UDP         198.51.100.10:40000 192.0.2.5:domain   192.0.2.8:domain\n");
}

/* @text parses as JSON, if python3 is there to say so. */
static void json_parses(const char *text, const char *what)
{
	char path[] = "/tmp/lvsadm-json-XXXXXX";
	char cmdline[128];
	int fd = mkstemp(path);
	bool ok;

	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		tap_ok(false, "%s: temporary file", what);
		return;
	}
	close(fd);
	if (system("python3 -c 'import json' 2>/dev/null")) {
		tap_skip(what, "no python3");
		unlink(path);
		return;
	}
	snprintf(cmdline, sizeof(cmdline),
		 "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' %s",
		 path);
	ok = !system(cmdline);
	tap_ok(ok, "%s: python3 parses it", what);
	unlink(path);
}

static void check_json(const char *line, const char *want)
{
	char *out;

	if (!tap_ok(!run_line(line, &out), "runs: lvsadm %s", line)) {
		printf("#   error: %s\n", lvs_errmsg());
		free(out);
		return;
	}
	tap_str(out, want, "  output");
	json_parses(out, line);
	free(out);
}

static void test_json(void)
{
	FILE *f;
	char *buf;
	size_t len;

	f = open_memstream(&buf, &len);
	lvs_json_escape(f, "a\"b\\c\n\t\x01\x7f\xc3\xa9/");
	fclose(f);
	tap_str(buf, "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\\u00c3\\u00a9/\"",
		"json: escaping");
	json_parses(buf, "json: escaped string");
	free(buf);
	fixture_model();
	check_json("-l --json -t 192.0.2.5:80",
		   "[{\"address_family\":\"inet\",\"protocol\":\"tcp\",\"address\":\"192.0.2.5\",\"port\":80,\"scheduler\":\"rr\",\"flags\":[\"persistent\"],\"sched_flags\":[],\"persistent_timeout\":300,\"persistent_prefixlen\":24,\"real_servers\":[{\"address_family\":\"inet\",\"address\":\"192.0.2.7\",\"port\":80,\"forward\":\"route\",\"weight\":3,\"u_threshold\":0,\"l_threshold\":0,\"active_conns\":1,\"inactive_conns\":4,\"persistent_conns\":0,\"draining\":false},{\"address_family\":\"inet\",\"address\":\"192.0.2.8\",\"port\":80,\"forward\":\"route\",\"weight\":1,\"u_threshold\":10,\"l_threshold\":5,\"active_conns\":0,\"inactive_conns\":0,\"persistent_conns\":2,\"draining\":false}]}]\n");
	fixture_model();
	check_json("-l --json -f 2 --stats --rate",
		   "[{\"address_family\":\"inet\",\"fwmark\":2,\"scheduler\":\"wlc\",\"flags\":[\"persistent\",\"ops\"],\"sched_flags\":[],\"persistent_timeout\":100,\"persistent_prefixlen\":32,\"stats\":{\"conns\":0,\"inpkts\":0,\"outpkts\":0,\"inbytes\":0,\"outbytes\":0},\"rate\":{\"cps\":0,\"inpps\":0,\"outpps\":0,\"inbps\":0,\"outbps\":0},\"real_servers\":[{\"address_family\":\"inet\",\"address\":\"192.0.2.9\",\"port\":80,\"forward\":\"masq\",\"weight\":1,\"u_threshold\":0,\"l_threshold\":0,\"active_conns\":0,\"inactive_conns\":0,\"persistent_conns\":0,\"draining\":false,\"stats\":{\"conns\":0,\"inpkts\":0,\"outpkts\":0,\"inbytes\":0,\"outbytes\":0},\"rate\":{\"cps\":0,\"inpps\":0,\"outpps\":0,\"inbps\":0,\"outbps\":0}}]}]\n");
	fixture();
	check_json("-ln --json -u 192.0.2.5:53 --stats",
		   "[{\"address_family\":\"inet\",\"protocol\":\"udp\",\"address\":\"192.0.2.5\",\"port\":53,\"scheduler\":\"rr\",\"flags\":[],\"sched_flags\":[],\"stats\":{\"conns\":0,\"inpkts\":0,\"outpkts\":0,\"inbytes\":0,\"outbytes\":0},\"real_servers\":[{\"address_family\":\"inet\",\"address\":\"198.51.100.10\",\"port\":53,\"forward\":\"route\",\"weight\":1,\"u_threshold\":0,\"l_threshold\":0,\"active_conns\":0,\"inactive_conns\":0,\"persistent_conns\":0,\"draining\":false,\"stats\":{\"conns\":0,\"inpkts\":0,\"outpkts\":0,\"inbytes\":0,\"outbytes\":0}}]}]\n");
	fixture();
	run_line("-l --json", &buf);
	tap_ok(buf && !strncmp(buf, "[{", 2) &&
	       strstr(buf, "\"address\":\"2001:db8::1\""),
	       "json: whole table, IPv6 unbracketed");
	json_parses(buf ? buf : "", "-l --json");
	free(buf);
	fake_reset();
	check_json("-l --json", "[]\n");
	fixture_conns();
	run_line("-lc --json", &buf);
	tap_ok(buf && strstr(buf, "{\"protocol\":\"ip\",\"template\":true,\"fwmark\":1,\"address_family\":\"inet\",\"client_address\":\"198.51.100.0\",\"client_port\":0,\"virtual_address\":\"0.0.0.0\",\"virtual_port\":0,\"destination_address\":\"192.0.2.8\",\"destination_port\":0,\"forward\":\"route\",\"state\":\"NONE\",\"expires_ms\":58000}"),
	       "json: a fwmark template connection");
	json_parses(buf ? buf : "", "-lc --json");
	free(buf);
	fake_reset();
	fake.timeout = (struct ipvl_timeout){ 900, 120, 300 };
	check_json("-l --timeout --json",
		   "{\"tcp\":900,\"tcp_fin\":120,\"udp\":300}\n");
	fake_reset();
	check_json("--info --json",
		   "{\"version\":\"1.0.0\",\"conn_table_size\":4096,\"conns\":7,\"conn_limit\":1048576,\"drops\":{\"no_dest\":3,\"dest_gone\":0,\"no_route\":0,\"too_big\":0,\"conn_limit\":12,\"no_mem\":0}}\n");
}

static void test_info(void)
{
	fake_reset();
	check_output("--info",
		     "ip_vs_lite version 1.0.0\n"
		     "connection table size: 4096\n"
		     "connections: 7\n"
		     "connection limit: 1048576\n"
		     "drops:\n"
		     "  no_dest      3\n"
		     "  dest_gone    0\n"
		     "  no_route     0\n"
		     "  too_big      0\n"
		     "  conn_limit   12\n"
		     "  no_mem       0\n");
}

static void test_edit_keeps(void)
{
	struct req r;

	tap_ok(build("-e -t 192.0.2.5:80 -r 198.51.100.7 -w 3", &r) &&
	       r.cmd == IPVL_CMD_SET_DEST && attr_u32(&r, IPVL_A_DEST_WEIGHT, 3) &&
	       attr_u8(&r, IPVL_A_DEST_FWD, IPVL_FWD_DR),
	       "-e sends what ipvsadm sends: weight, -g by default");
	tap_ok(build("-E -t 192.0.2.5:80 -p 60", &r) &&
	       attr_str(&r, IPVL_A_SVC_SCHED_NAME, "wlc") &&
	       attr_u32(&r, IPVL_A_SVC_TIMEOUT, 60),
	       "-E without -s resets the scheduler to wlc, as ipvsadm");
}

/* ---- changes and kernel errors ---------------------------------------- */

static void test_changes(void)
{
	struct req r;
	char *out;

	fixture();
	tap_ok(!run_line("-a -t 192.0.2.5:80 -r 198.51.100.7 -m -w 2", &out) &&
	       fake.nreqs == 1, "a change is one request");
	free(out);
	decode(fake_req(0), &r);
	tap_ok(r.cmd == IPVL_CMD_NEW_DEST &&
	       r.nlh->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK),
	       "  NEW_DEST asks for an ACK");
	fake_reset();
	fake.reject_at = 1;
	fake.reject_errno = EOPNOTSUPP;
	fake.reject_msg = "Masquerading is not supported yet";
	tap_ok(run_line("-a -t 192.0.2.5:80 -r 198.51.100.7 -m", &out) == -1 &&
	       lvs_errcode() == LVS_EXIT_FAIL &&
	       !strcmp(lvs_errmsg(), "Masquerading is not supported yet"),
	       "kernel rejection: the extack text, exit 1");
	free(out);
	fake_reset();
	fake.reject_at = 1;
	fake.reject_errno = EEXIST;
	tap_ok(run_line("-A -t 192.0.2.5:80", &out) == -1 &&
	       !strcmp(lvs_errmsg(), strerror(EEXIST)),
	       "kernel rejection without extack: strerror");
	free(out);
	fake_reset();
	tap_ok(run_line("-a -t 192.0.2.5:80 -r 198.51.100.7 -w 70000", &out) == -1 &&
	       fake.nreqs == 0 && fake.opens == 0,
	       "user error: nothing sent, no socket");
	free(out);
}

static int restore_text(const char *text)
{
	struct lvs_ctx ctx = {};
	size_t len;
	char *out;
	FILE *in;
	int ret;

	in = fmemopen((void *)text, strlen(text), "r");
	ctx.out = open_memstream(&out, &len);
	lvs_err_clear();
	ret = lvs_restore(&ctx, in);
	lvs_ctx_close(&ctx);
	fclose(in);
	fclose(ctx.out);
	free(out);
	return ret;
}

static char *save_text(void)
{
	char *out;

	run_line("-S -n", &out);
	return out;
}

static void test_restore(void)
{
	char *before, *after;
	struct req r;

	fake_reset();
	tap_ok(!restore_text("# saved rules\n"
			     "\n"
			     "-A -t 192.0.2.5:25 -s rr\n"
			     "ipvsadm -a -t 192.0.2.5:25 -r 192.0.2.7:25 -g -w 1  # web\n"
			     "  -A -u 192.0.2.5:53\n") &&
	       fake_count(IPVL_CMD_NEW_SERVICE) == 2 &&
	       fake_count(IPVL_CMD_NEW_DEST) == 1 && fake.nsvcs == 2 &&
	       fake.opens == 1,
	       "restore applies each rule once, one socket");
	/* A snapshot first: timeouts and the (empty) service dump. */
	decode(fake_req(3), &r);
	tap_ok(r.cmd == IPVL_CMD_NEW_DEST &&
	       svc_id4(&r, IPPROTO_TCP, "192.0.2.5", 25) &&
	       dest_id4(&r, "192.0.2.7", 25) &&
	       attr_u32(&r, IPVL_A_DEST_WEIGHT, 1),
	       "  the real server rule after the snapshot and the service");
	fake_reset();
	tap_ok(restore_text("-A -t 192.0.2.5:80\n"
			    "-a -t 192.0.2.5:80 -r 198.51.100.1 -w 70000\n"
			    "-C\n") == -1 && fake.nreqs == 0 &&
	       fake.opens == 0 && lvs_errcode() == LVS_EXIT_USAGE,
	       "a syntax error anywhere: nothing sent at all");
	tap_str(lvs_errmsg(),
		"line 2: illegal weight specified (`70000' is not in 0..65535)",
		"  message names the line");
	fake_reset();
	tap_ok(restore_text("-A -t 192.0.2.5:80\n-L -n\n") == -1 &&
	       fake.nreqs == 0, "restore refuses listings");
	fake_reset();
	tap_ok(restore_text("-R\n") == -1 && fake.nreqs == 0,
	       "restore refuses a nested -R");

	/* All or nothing: every kind of change, then a refused line. */
	fixture();
	fake.timeout = (struct ipvl_timeout){ 900, 120, 300 };
	before = save_text();
	tap_ok(restore_text("-A -t 192.0.2.9:80 -s rr -p 60\n"
			    "-a -t 192.0.2.9:80 -r 198.51.100.1\n"
			    "-E -t 192.0.2.5:80 -s rr -p\n"
			    "-e -t 192.0.2.5:80 -r 198.51.100.2:8080 -m -w 9\n"
			    "-d -t 192.0.2.5:80 -r 198.51.100.1:80\n"
			    "-D -u 192.0.2.5:53\n"
			    "--set 10 20 30\n"
			    "-A -t 192.0.2.5:80\n"
			    "-A -t 192.0.2.10:80\n") == -1 &&
	       lvs_errcode() == LVS_EXIT_FAIL,
	       "restore fails at a line the kernel refuses");
	tap_str(lvs_errmsg(), "line 8: Service already exists",
		"  the kernel's message with the line");
	after = save_text();
	tap_str(after, before, "  the table is as it was before");
	tap_ok(fake.timeout.tcp == 900 && fake.timeout.tcp_fin == 120 &&
	       fake.timeout.udp == 300, "  and so are the timeouts");
	tap_int(fake_count(IPVL_CMD_NEW_SERVICE), 3,
		"  nothing after the refused line was sent");
	free(before);
	free(after);

	fixture();
	fake.reject_at = 8;	/* snapshot: 6 requests, then -C */
	fake.reject_errno = ENOENT;
	fake.reject_msg = "Scheduler not found";
	before = save_text();
	fake.nreqs = 0;
	tap_ok(restore_text("-C\n-A -t 192.0.2.6:80 -s nope\n") == -1,
	       "restore after -C, then a refusal");
	tap_str(lvs_errmsg(), "line 2: Scheduler not found",
		"  kernel message with the line");
	after = save_text();
	tap_str(after, before, "  the flushed table is back");
	free(before);
	free(after);
}

static void fixture_sched_flags(void)
{
	struct fake_svc *fs;

	fake_reset();
	fs = add_svc(AF_INET, IPPROTO_TCP, "192.0.2.5", 80, "sh");
	fs->svc.flags = IPVL_SVC_F_SCHED_PORT;
	fs->svc.netmask = 32;
	add_dest(fs, AF_INET, "192.0.2.7", 80, IPVL_FWD_DR, 1, 0, 0);
	fs = add_svc(AF_INET, IPPROTO_TCP, "192.0.2.5", 81, "sh");
	fs->svc.flags = IPVL_SVC_F_SCHED_FALLBACK | IPVL_SVC_F_SCHED_PORT |
			IPVL_SVC_F_PERSISTENT;
	fs->svc.timeout = 60;
	fs->svc.netmask = 24;
	fs = add_svc(AF_INET, IPPROTO_UDP, "192.0.2.5", 53, "mh");
	fs->svc.flags = IPVL_SVC_F_SCHED_FALLBACK | IPVL_SVC_F_SCHED_PORT |
			IPVL_SVC_F_ONEPACKET | IPVL_SVC_F_SLOPPY;
	fs->svc.netmask = 32;
	fs = add_svc(AF_INET, IPPROTO_TCP, "192.0.2.5", 82, "rr");
	fs->svc.flags = IPVL_SVC_F_SCHED_FALLBACK;
	fs->svc.netmask = 32;
	fs = add_svc(AF_INET, 0, "0.0.0.0", 0, "mh");
	fs->svc.fwmark = 5;
	fs->svc.flags = IPVL_SVC_F_SCHED_PORT;
	fs->svc.netmask = 32;
}

/* The formats of ipvsadm 1.31 on kernel IPVS, as read in the VM. */
static const char sched_flags_save[] =
	"-A -t 192.0.2.5:80 -s sh -b sh-port\n"
	"-a -t 192.0.2.5:80 -r 192.0.2.7:80 -g -w 1\n"
	"-A -t 192.0.2.5:81 -s sh -p 60 -M 255.255.255.0 -b sh-fallback,sh-port\n"
	"-A -t 192.0.2.5:82 -s rr -b flag-1\n"
	"-A -u 192.0.2.5:53 -s mh -o -b mh-fallback,mh-port --sloppy\n"
	"-A -f 5 -s mh -b mh-port\n";

static void test_sched_flags(void)
{
	char *before, *after;

	fixture_sched_flags();
	check_output("-ln",
		     "IP Virtual Server version 1.0.0 (size=4096)\n"
		     "Prot LocalAddress:Port Scheduler Flags\n"
		     "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
		     "TCP  192.0.2.5:80 sh (sh-port)\n"
		     "  -> 192.0.2.7:80                 Route   1      0          0         " EOL
		     "TCP  192.0.2.5:81 sh (sh-fallback,sh-port) persistent 60 mask 255.255.255.0\n"
		     "TCP  192.0.2.5:82 rr (flag-1)\n"
		     "UDP  192.0.2.5:53 mh (mh-fallback,mh-port) ops sloppy\n"
		     "FWM  5 mh (mh-port)\n");
	fixture_sched_flags();
	check_output("-Sn", sched_flags_save);
	fixture_sched_flags();
	check_output("-ln -t 192.0.2.5:80 --stats",
		     "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
		     "  -> RemoteAddress:Port\n"
		     "TCP  192.0.2.5:80                        0        0        0        0        0\n"
		     "  -> 192.0.2.7:80                        0        0        0        0        0\n");
	fixture_sched_flags();
	check_json("-l --json -t 192.0.2.5:81",
		   "[{\"address_family\":\"inet\",\"protocol\":\"tcp\",\"address\":\"192.0.2.5\",\"port\":81,\"scheduler\":\"sh\",\"flags\":[\"persistent\"],\"sched_flags\":[\"sh-fallback\",\"sh-port\"],\"persistent_timeout\":60,\"persistent_prefixlen\":24,\"real_servers\":[]}]\n");
	fixture_sched_flags();
	check_json("-l --json -f 5",
		   "[{\"address_family\":\"inet\",\"fwmark\":5,\"scheduler\":\"mh\",\"flags\":[],\"sched_flags\":[\"mh-port\"],\"real_servers\":[]}]\n");

	/* -S, -C, -R: the same table again. */
	fixture_sched_flags();
	before = save_text();
	fake_reset();
	tap_ok(!restore_text(before), "-R takes -S's -b rules");
	after = save_text();
	tap_str(after, before, "  and -S writes them back unchanged");
	free(before);
	free(after);

	/* -E changes the flags, and only them. */
	fixture_sched_flags();
	tap_ok(!restore_text("-E -t 192.0.2.5:80 -s sh -b sh-fallback\n"
			     "-E -t 192.0.2.5:81 -s sh -p 60 -M 255.255.255.0\n"),
	       "-E switches sh-port for sh-fallback, and clears both");
	after = save_text();
	tap_ok(after && strstr(after, "-A -t 192.0.2.5:80 -s sh -b sh-fallback\n") &&
	       strstr(after, "-A -t 192.0.2.5:81 -s sh -p 60 -M 255.255.255.0\n"),
	       "  -S shows it");
	free(after);
}

static void test_split(void)
{
	char line[256], *argv[4];

	strcpy(line, "  -A\t-t 192.0.2.5:80   -s rr\r\n");
	tap_ok(lvs_split_line(line, argv, 4) == -1, "split: too many words");
	strcpy(line, "ipvsadm -C # all of it\n");
	tap_ok(lvs_split_line(line, argv, 4) == 1 && !strcmp(argv[0], "-C"),
	       "split: program name and comment dropped");
	strcpy(line, "   # only a comment\n");
	tap_int(lvs_split_line(line, argv, 4), 0, "split: comment line");
	strcpy(line, "-L -n");
	tap_ok(lvs_split_line(line, argv, 4) == 2 && !strcmp(argv[1], "-n"),
	       "split: no newline");
}

/* ---- extended ACK ------------------------------------------------------ */

static struct nlmsghdr *error_msg(void *buf, int err, bool capped,
				  const char *text)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsghdr orig = {
		.nlmsg_len = capped ? sizeof(orig) : sizeof(orig) + 8,
		.nlmsg_type = FAKE_FAMILY,
	};
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	e->msg = orig;
	if (!capped)
		mnl_nlmsg_put_extra_header(nlh, 8);
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, IPVL_A_SVC_ADDR);
	return nlh;
}

static void test_ext(void)
{
	char buf[512];
	struct ipvl_ext ext;
	struct nlmsghdr *nlh;
	int err = -ENOENT;

	nlh = error_msg(buf, -EINVAL, true, "Missing service address");
	tap_ok(!ipvl_parse_ext(nlh, &ext) && ext.error == EINVAL &&
	       !strcmp(ext.msg, "Missing service address") &&
	       ext.has_offs && ext.offs == 20 && ext.has_miss_type &&
	       ext.miss_type == IPVL_A_SVC_ADDR, "extack of a capped error");
	nlh = error_msg(buf, -ERANGE, false, "Weight out of range");
	tap_ok(!ipvl_parse_ext(nlh, &ext) && ext.error == ERANGE &&
	       !strcmp(ext.msg, "Weight out of range"),
	       "extack after an echoed request");
	nlh = error_msg(buf, 0, true, NULL);
	tap_ok(!ipvl_parse_ext(nlh, &ext) && ext.error == 0 && !ext.msg[0],
	       "plain ACK");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(err)), &err,
	       sizeof(err));
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "Service not found");
	tap_ok(!ipvl_parse_ext(nlh, &ext) && ext.error == ENOENT &&
	       !strcmp(ext.msg, "Service not found"), "extack on NLMSG_DONE");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	tap_ok(ipvl_parse_ext(nlh, &ext) == -1, "truncated error message");
}

static void test_ext_text(void)
{
	struct ipvl_ext ext = { .error = EINVAL };
	char buf[320];

	ipvl_ext_text(&ext, buf, sizeof(buf));
	tap_str(buf, strerror(EINVAL), "no extack: errno text");
	ext.has_miss_type = true;
	ext.miss_type = IPVL_A_SVC_ADDR;
	ipvl_ext_text(&ext, buf, sizeof(buf));
	snprintf(ext.msg, sizeof(ext.msg), "%s (missing attribute %d)",
		 strerror(EINVAL), IPVL_A_SVC_ADDR);
	tap_str(buf, ext.msg, "only a missing attribute: errno text and type");
	snprintf(ext.msg, sizeof(ext.msg), "No such service");
	ipvl_ext_text(&ext, buf, sizeof(buf));
	tap_str(buf, "No such service", "message wins");
}

/* ---- replies the kernel might send ------------------------------------ */

static void test_replies(void)
{
	char buf[IPVL_MSG_BUFSZ];
	struct ipvl_service svc;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAKE_FAMILY;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = IPVL_CMD_GET_SERVICE;
	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, AF_INET);
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(80));
	tap_ok(ipvl_parse_service(nlh, &svc) == -1,
	       "service reply without an address is refused");
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, 16, buf);
	tap_ok(ipvl_parse_service(nlh, &svc) == -1,
	       "IPv4 service with a 16-byte address is refused");
}

/* ---- the real binary --------------------------------------------------- */

struct cli {
	int status;
	char out[16384];
	char err[4096];
};

static void slurp(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < len && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += r;
	buf[n] = '\0';
	close(fd);
}

/* Run @bin with @line, feeding @input on stdin. */
static int cli_run(const char *bin, const char *line, const char *input,
		   struct cli *res)
{
	int in[2], out[2], err[2], status;
	char copy[512], *argv[MAX_WORDS + 1] = { (char *)bin };
	pid_t pid;
	int n;

	snprintf(copy, sizeof(copy), "%s", line);
	n = lvs_split_line(copy, argv + 1, MAX_WORDS - 1);
	argv[n + 1] = NULL;
	if (pipe(in) || pipe(out) || pipe(err))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(in[1]);
		close(out[0]);
		close(err[0]);
		execv(bin, argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (write(in[1], input, strlen(input)) < 0)
		return -1;
	close(in[1]);
	slurp(out[0], res->out, sizeof(res->out));
	slurp(err[0], res->err, sizeof(res->err));
	waitpid(pid, &status, 0);
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return 0;
}

static void cli_expect(const char *bin, const char *line, const char *input,
		       int status, const char *err)
{
	struct cli res;

	if (!tap_ok(!cli_run(bin, line, input, &res) &&
		    res.status == status && !res.out[0],
		    "cli: lvsadm %s exits %d, nothing on stdout", line,
		    status))
		printf("#   status %d, stdout \"%s\"\n", res.status, res.out);
	tap_str(res.err, err, "  exactly one line on stderr");
}

static void test_cli(const char *bin)
{
	struct cli res;

	if (access(bin, X_OK)) {
		tap_skip("cli", "lvsadm not built");
		return;
	}
	cli_expect(bin, "-A", "", 2,
		   "lvsadm: You need to supply the 'service-address' option for the 'add-service' command\n");
	cli_expect(bin, "-A -t 192.0.2.5:0", "", 2,
		   "lvsadm: Zero port specified for non-persistent service\n");
	cli_expect(bin, "-a -t 192.0.2.5:80 -r 198.51.100.1 -w 70000", "", 2,
		   "lvsadm: illegal weight specified (`70000' is not in 0..65535)\n");
	cli_expect(bin, "--frobnicate", "", 2,
		   "lvsadm: unrecognized option '--frobnicate' (try `lvsadm -h')\n");
	cli_expect(bin, "-R", "# rules\n-A -t 192.0.2.5:99999\n", 2,
		   "lvsadm: line 2: illegal virtual server address[:port] specified (port out of range 0..65535)\n");
	if (!cli_run(bin, "-L -n", "", &res) && !res.status) {
		tap_skip("cli: family missing", "IPVS_LITE is loaded");
	} else {
		cli_expect(bin, "-L -n", "", 1,
			   "lvsadm: ip_vs_lite module not loaded (family IPVS_LITE not found)\n");
	}
	tap_ok(!cli_run(bin, "-h", "", &res) && !res.status &&
	       !strncmp(res.out, "lvsadm v", 8) && !res.err[0],
	       "cli: -h prints usage on stdout, exit 0");
}

int main(int argc, char **argv)
{
	printf("TAP version 13\n");
	have_names = names_available();
	test_endpoints();
	test_named_endpoints();
	test_numbers();
	test_largenum();
	test_names();
	test_rules();
	test_args_ok();
	test_args_err();
	test_req_services();
	test_req_dests();
	test_req_service_model();
	test_req_queries();
	test_listings();
	test_tunnel_listings();
	test_list_one();
	test_list_requests();
	test_list_names();
	test_model_listings();
	test_sched_flags();
	test_conns();
	test_json();
	test_info();
	test_edit_keeps();
	test_changes();
	test_restore();
	test_split();
	test_ext();
	test_ext_text();
	test_replies();
	test_cli(argc > 1 ? argv[1] : "./lvsadm");
	return tap_done();
}
