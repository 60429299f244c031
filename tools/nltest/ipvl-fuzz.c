// SPDX-License-Identifier: GPL-2.0
/*
 * ipvl-fuzz - random and mutated IPVS_LITE requests, with a check of
 * what the kernel made of them.
 *
 * Each request is drawn from a seeded PRNG, so a seed and a count name a
 * run exactly. Requests are built from pools of valid and boundary
 * values (so that many reach the handlers), then some are mutated:
 * attributes of odd lengths or unknown types, nests, duplicates,
 * flipped bytes, truncation, header flags and lengths that lie. After
 * each one a probe request (GET_INFO) marks the end of its answers, so
 * even requests the kernel drops silently are accounted for.
 *
 * Checks:
 *  - every answer is well formed and arrives;
 *  - an intact request the kernel accepted reads back as it was meant
 *    (timeouts, service settings, real server settings);
 *  - --twin: the accepted changes, replayed in a fresh network
 *    namespace, are accepted again and give the same table;
 *  - --expect-eperm: every request, reads included, is refused with
 *    EPERM (that the table ends as it began, the caller checks as root).
 *
 * Exit status: 0 when every check passed, 1 otherwise, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs_lite.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define TXBUF_SZ	(72 * 1024)
#define RXBUF_SZ	(256 * 1024)
#define BIG_ATTR_LEN	(65535 - 4)	/* the largest payload nla_len allows */
#define REPLY_TIMEOUT_S	10
#define MAX_REPORTS	20		/* failure details printed per kind */
#define DUMP_MAX	(1024 * 1024)

/* ------------------------------------------------------------ PRNG */

static uint64_t rng_state;

/* splitmix64: tiny, and the same sequence on every host. */
static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(rnd64() % n) : 0;
}

/* True with a probability of @pct percent. */
static bool chance(unsigned int pct)
{
	return rnd(100) < pct;
}

#define PICK(arr)	((arr)[rnd(ARRAY_SIZE(arr))])

static void rnd_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = rnd64() & 0xff;
}

/* ------------------------------------------------------ run state */

struct counters {
	unsigned long sent;
	unsigned long accepted;
	unsigned long rejected;
	unsigned long silent;		/* no answer of its own */
	unsigned long dumps;
	unsigned long mutated;
	unsigned long checked;		/* read back after acceptance */
	unsigned long compared;		/* checkpoints with equal tables */
	unsigned int max_lines;		/* of the largest table compared */
	unsigned long errno_hist[140];
};

struct failures {
	unsigned long proto;		/* malformed or missing answers */
	unsigned long readback;		/* accepted but reads back wrong */
	unsigned long eperm;		/* a change not refused with EPERM */
	unsigned long replay;		/* a replayed change refused */
	unsigned long table;		/* tables differ at the end */
};

struct nl {
	struct mnl_socket *sk;
	uint16_t family;
	uint32_t portid;
	uint32_t seq;
	const char *name;
};

/* A request that was accepted and changed the table. */
struct change {
	uint32_t len;
	unsigned char data[];
};

static struct {
	struct counters c;
	struct failures f;
	struct change **log;
	size_t nlog, caplog;
	bool expect_eperm;
	int verbose;
	unsigned char *rx;
} run;

static void report(unsigned long *counter, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(unsigned long *counter, const char *fmt, ...)
{
	va_list ap;

	if ((*counter)++ >= MAX_REPORTS)
		return;
	va_start(ap, fmt);
	fputs("ipvl-fuzz: FAIL: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

/* -------------------------------------------------- netlink socket */

/* What came back for one request. */
struct answer {
	bool acked;		/* an NLMSG_ERROR arrived for it */
	int error;		/* its (positive) errno, 0 for an ACK */
	bool done;		/* NLMSG_DONE arrived (dumps) */
	int done_error;
	unsigned int nmsgs;	/* replies of any kind */
};

static int nl_open(struct nl *nl, const char *name)
{
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	int one = 1, rcvbuf = 4 * 1024 * 1024;
	int fd;

	nl->name = name;
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk)
		return -1;
	fd = mnl_socket_get_fd(nl->sk);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* Errors quote only the header: a 64 KiB request stays small. */
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0)
		return -1;
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = 1000;
	return 0;
}

static void note_answer(const struct nlmsghdr *nlh, struct answer *a)
{
	const struct nlmsgerr *e;

	a->nmsgs++;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
			report(&run.f.proto, "short NLMSG_ERROR (%u bytes)",
			       nlh->nlmsg_len);
			a->acked = true;
			a->error = EBADMSG;
			return;
		}
		e = mnl_nlmsg_get_payload(nlh);
		a->acked = true;
		a->error = -e->error;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		a->done = true;
		if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
			a->done_error = -*(int *)mnl_nlmsg_get_payload(nlh);
	}
}

typedef void (*data_fn)(const struct nlmsghdr *nlh, void *arg);

struct rx_ctx {
	uint32_t seq;		/* the request's */
	uint32_t until;		/* stop at the NLMSG_ERROR/DONE of this seq */
	struct answer *a;
	data_fn fn;
	void *arg;
	bool stop;
};

static void rx_one(const struct nlmsghdr *nlh, struct rx_ctx *x)
{
	bool ctl = nlh->nlmsg_type == NLMSG_ERROR ||
		   nlh->nlmsg_type == NLMSG_DONE;

	if (nlh->nlmsg_seq == x->seq) {
		note_answer(nlh, x->a);
		if (!ctl && x->fn)
			x->fn(nlh, x->arg);
	} else if (nlh->nlmsg_seq != x->until) {
		report(&run.f.proto, "%s: answer for unknown seq %u (type %u)",
		       "rx", nlh->nlmsg_seq, nlh->nlmsg_type);
	}
	if (nlh->nlmsg_seq == x->until && ctl)
		x->stop = true;
}

/* Reads answers until the terminating message of x->until. */
static int rx_until(struct nl *nl, struct rx_ctx *x)
{
	const struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	while (!x->stop) {
		n = recv(mnl_socket_get_fd(nl->sk), run.rx, RXBUF_SZ, 0);
		if (n < 0) {
			report(&run.f.proto, "%s: no answer for seq %u: %s",
			       nl->name, x->until, strerror(errno));
			return -1;
		}
		len = (int)n;
		for (nlh = (void *)run.rx; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len))
			rx_one(nlh, x);
		if (len > 0)
			report(&run.f.proto, "%s: %d trailing bytes in a read",
			       nl->name, len);
	}
	return 0;
}

static void put_genl(struct nlmsghdr *nlh, uint8_t cmd)
{
	struct genlmsghdr *g;

	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = IPVL_GENL_VERSION;
}

static struct nlmsghdr *msg_start(void *buf, uint16_t type, uint16_t flags,
				  uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	put_genl(nlh, cmd);
	return nlh;
}

/* GET_INFO: answered by every caller, so it closes any exchange. */
static int send_probe(struct nl *nl, uint32_t seq)
{
	char buf[64];
	struct nlmsghdr *nlh;

	nlh = msg_start(buf, nl->family, NLM_F_REQUEST | NLM_F_ACK,
			IPVL_CMD_GET_INFO);
	nlh->nlmsg_seq = seq;
	return mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0 ? -1 : 0;
}

static bool is_dump(const struct nlmsghdr *nlh)
{
	return (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/*
 * Sends @len bytes of @nlh and collects what the kernel says about it;
 * 1 if the socket refused to send it, -1 on a failure.
 * A dump runs to its end before the probe goes out, so that the probe's
 * answer cannot overtake the rest of the dump.
 */
static int exchange(struct nl *nl, struct nlmsghdr *nlh, size_t len,
		    bool framed, struct answer *a, data_fn fn, void *arg)
{
	struct rx_ctx x = { .a = a, .fn = fn, .arg = arg };

	memset(a, 0, sizeof(*a));
	x.seq = ++nl->seq;
	nlh->nlmsg_seq = x.seq;
	if (mnl_socket_sendto(nl->sk, nlh, len) < 0) {
		/* An empty message is refused at once. */
		if (!len && errno == ENODATA)
			return 1;
		report(&run.f.proto, "%s: send of %zu bytes: %s", nl->name,
		       len, strerror(errno));
		return -1;
	}
	if (framed && (nlh->nlmsg_flags & NLM_F_REQUEST) && is_dump(nlh)) {
		x.until = x.seq;
		if (rx_until(nl, &x))
			return -1;
		x.stop = false;
	}
	x.until = ++nl->seq;
	if (send_probe(nl, x.until))
		return -1;
	return rx_until(nl, &x);
}

/* A well-formed request: one answer, its ACK or its error. */
static int talk(struct nl *nl, struct nlmsghdr *nlh, data_fn fn, void *arg)
{
	struct answer a;

	if (exchange(nl, nlh, nlh->nlmsg_len, true, &a, fn, arg))
		return -EIO;
	if (is_dump(nlh))
		return a.done ? -a.done_error : -(a.acked ? a.error : EIO);
	return a.acked ? -a.error : -EIO;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static void family_cb(const struct nlmsghdr *nlh, void *arg)
{
	mnl_attr_parse(nlh, GENL_HDRLEN, family_attr_cb, arg);
}

static int resolve_family(struct nl *nl)
{
	char buf[128];
	struct nlmsghdr *nlh;
	struct answer a;
	struct rx_ctx x = { .a = &a, .fn = family_cb, .arg = &nl->family };

	memset(&a, 0, sizeof(a));
	nlh = msg_start(buf, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
			CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IPVL_GENL_NAME);
	nlh->nlmsg_seq = ++nl->seq;
	x.seq = nlh->nlmsg_seq;
	x.until = x.seq;
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0 ||
	    rx_until(nl, &x) || a.error || !nl->family) {
		fprintf(stderr, "ipvl-fuzz: family %s not found%s\n",
			IPVL_GENL_NAME, a.error == ENOENT ?
			" (module not loaded?)" : "");
		return -1;
	}
	return 0;
}

/* --------------------------------------------------- value pools */

static const uint16_t af_pool[] = { AF_INET, AF_INET, AF_INET, AF_INET,
				    0, AF_INET6, 255, 1 };
static const uint8_t proto_pool[] = { 6, 6, 17, 17, 0, 1, 132, 255 };
static const char * const vip_pool[] = { "192.0.2.1", "192.0.2.2",
					  "198.51.100.1" };
static const char * const rip_pool[] = { "203.0.113.1", "203.0.113.2",
					  "198.51.100.7" };
static const uint16_t port_pool[] = { 80, 80, 443, 0, 1, 65535 };
static const uint16_t dport_pool[] = { 0, 80, 8080, 1, 65535 };
static const uint32_t fwmark_pool[] = { 1, 2, 0xffffffff, 0 };
static const uint32_t weight_pool[] = { 0, 1, 3, 65535, 65536,
					0xffffffff };
static const uint8_t fwd_pool[] = { IPVL_FWD_DR, IPVL_FWD_DR, IPVL_FWD_NAT,
				    IPVL_FWD_TUN, 0, 4, 255 };
static const uint32_t thresh_pool[] = { 0, 0, 1, 10, 1000, 0xffffffff };
static const uint32_t flags_pool[] = { 0, 0, IPVL_SVC_F_PERSISTENT,
				       IPVL_SVC_F_ONEPACKET,
				       IPVL_SVC_F_SLOPPY,
				       IPVL_SVC_F_SCHED_FALLBACK,
				       IPVL_SVC_F_SCHED_PORT, IPVL_SVC_F_ALL,
				       IPVL_SVC_F_ALL + 1, 0xffffffff };
static const uint32_t netmask_pool[] = { 32, 24, 0, 1, 33, 128, 129,
					 0xffffffff };
/* Seconds; 17179869 * 250 still fits 32 bits, 17179870 * 250 does not. */
static const uint32_t timeout_pool[] = { 0, 1, 2, 300, 17179869, 17179870,
					 365 * 24 * 3600,
					 365 * 24 * 3600 + 1, 0xffffffff };
static const char * const sched_pool[] = {
	"rr", "wrr", "lc", "wlc", "sh", "dh", "mh", "sed", "nq", "lblc",
	"lblcr", "rr", "wlc",
};

/* Names the kernel must refuse before looking for a module. */
static const char * const odd_sched_pool[] = {
	"", "RR", "r r", "a/b", "..", "rr\n", "\x01\xff", "abcdefghijklmno",
	"abcdefghijklmnop", "-rr", "wlc;",
};

/* ------------------------------------------------ request builder */

/* What an intact request asked for, to read back once it is accepted. */
struct intent {
	uint8_t cmd;
	bool fwmark;
	uint32_t mark;
	struct in_addr vip, rip;
	uint8_t proto;
	uint16_t port, dport;		/* host order */
	const char *sched;
	bool has_flags, has_timeout, has_netmask;
	uint32_t flags, timeout, netmask;
	bool has_fwd, has_weight, has_uth, has_lth;
	uint8_t fwd;
	uint32_t weight, uth, lth;
	bool has_t[3];
	uint32_t t[3];
	bool key_ok;			/* the key attributes are all sane */
};

static void put_in_addr(struct nlmsghdr *nlh, uint16_t type,
			const char *text, struct in_addr *out)
{
	static const uint16_t odd_len[] = { 0, 3, 5, 16, 17 };
	unsigned char buf[17] = { 0 };
	uint16_t len = 4;

	inet_pton(AF_INET, text, out);
	memcpy(buf, out, 4);
	if (chance(4))
		len = PICK(odd_len);
	mnl_attr_put(nlh, type, len, buf);
}

static void put_svc_key(struct nlmsghdr *nlh, struct intent *in)
{
	uint16_t af = chance(90) ? AF_INET : PICK(af_pool);

	in->key_ok = af == AF_INET;
	if (chance(92))
		mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, af);
	else
		in->key_ok = false;
	if (chance(15)) {
		in->fwmark = true;
		in->mark = PICK(fwmark_pool);
		mnl_attr_put_u32(nlh, IPVL_A_SVC_FWMARK, in->mark);
		return;
	}
	if (chance(90))
		in->proto = chance(50) ? IPPROTO_TCP : IPPROTO_UDP;
	else
		in->proto = PICK(proto_pool);
	in->port = PICK(port_pool);
	if (chance(95))
		mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, in->proto);
	if (chance(95))
		put_in_addr(nlh, IPVL_A_SVC_ADDR, PICK(vip_pool), &in->vip);
	if (chance(95))
		mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(in->port));
}

static void put_sched(struct nlmsghdr *nlh, struct intent *in)
{
	char name[256];

	if (chance(90)) {
		in->sched = PICK(sched_pool);
		mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, in->sched);
		return;
	}
	if (chance(50)) {
		mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME,
				  PICK(odd_sched_pool));
	} else if (chance(50)) {
		memset(name, 'a', 200);
		name[200] = '\0';
		mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, name);
	} else if (chance(80)) {
		/* Not NUL-terminated. */
		mnl_attr_put(nlh, IPVL_A_SVC_SCHED_NAME, 2, "rr");
	} else {
		/* A valid-looking name without a module: modprobe runs. */
		mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, "nosuch");
	}
	in->sched = NULL;
}

static void put_svc_cfg(struct nlmsghdr *nlh, struct intent *in)
{
	if (chance(in->cmd == IPVL_CMD_NEW_SERVICE ? 80 : 40))
		put_sched(nlh, in);
	in->has_flags = chance(40);
	if (in->has_flags) {
		in->flags = PICK(flags_pool);
		mnl_attr_put_u32(nlh, IPVL_A_SVC_FLAGS, in->flags);
	}
	in->has_timeout = chance(30);
	if (in->has_timeout) {
		in->timeout = PICK(timeout_pool);
		mnl_attr_put_u32(nlh, IPVL_A_SVC_TIMEOUT, in->timeout);
	}
	in->has_netmask = chance(30);
	if (in->has_netmask) {
		in->netmask = PICK(netmask_pool);
		mnl_attr_put_u32(nlh, IPVL_A_SVC_NETMASK, in->netmask);
	}
}

static void put_dest_key(struct nlmsghdr *nlh, struct intent *in)
{
	uint16_t af = chance(92) ? AF_INET : PICK(af_pool);

	in->key_ok = in->key_ok && af == AF_INET;
	if (chance(95))
		mnl_attr_put_u16(nlh, IPVL_A_DEST_AF, af);
	if (chance(95))
		put_in_addr(nlh, IPVL_A_DEST_ADDR, PICK(rip_pool), &in->rip);
	in->dport = PICK(dport_pool);
	if (chance(80))
		mnl_attr_put_u16(nlh, IPVL_A_DEST_PORT, htons(in->dport));
	else
		in->dport = 0;
}

static void put_dest_cfg(struct nlmsghdr *nlh, struct intent *in)
{
	in->has_fwd = chance(70);
	if (in->has_fwd) {
		in->fwd = PICK(fwd_pool);
		mnl_attr_put_u8(nlh, IPVL_A_DEST_FWD, in->fwd);
	}
	in->has_weight = chance(70);
	if (in->has_weight) {
		in->weight = PICK(weight_pool);
		mnl_attr_put_u32(nlh, IPVL_A_DEST_WEIGHT, in->weight);
	}
	in->has_uth = chance(25);
	if (in->has_uth) {
		in->uth = PICK(thresh_pool);
		mnl_attr_put_u32(nlh, IPVL_A_DEST_U_THRESH, in->uth);
	}
	in->has_lth = chance(25);
	if (in->has_lth) {
		in->lth = PICK(thresh_pool);
		mnl_attr_put_u32(nlh, IPVL_A_DEST_L_THRESH, in->lth);
	}
}

static void put_timeouts(struct nlmsghdr *nlh, struct intent *in)
{
	static const uint16_t type[] = { IPVL_A_TIMEOUT_TCP,
					 IPVL_A_TIMEOUT_TCP_FIN,
					 IPVL_A_TIMEOUT_UDP };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(type); i++) {
		in->has_t[i] = chance(60);
		if (!in->has_t[i])
			continue;
		in->t[i] = PICK(timeout_pool);
		mnl_attr_put_u32(nlh, type[i], in->t[i]);
	}
}

struct cmd_weight {
	uint8_t cmd;
	unsigned int weight;
};

/* FLUSH is rare so that the table grows; DEL waits for a grace period. */
static const struct cmd_weight cmd_weights[] = {
	{ IPVL_CMD_NEW_SERVICE, 160 }, { IPVL_CMD_SET_SERVICE, 80 },
	{ IPVL_CMD_DEL_SERVICE, 40 }, { IPVL_CMD_GET_SERVICE, 50 },
	{ IPVL_CMD_NEW_DEST, 160 }, { IPVL_CMD_SET_DEST, 80 },
	{ IPVL_CMD_DEL_DEST, 50 }, { IPVL_CMD_GET_DEST, 50 },
	{ IPVL_CMD_FLUSH, 2 }, { IPVL_CMD_ZERO, 30 },
	{ IPVL_CMD_SET_TIMEOUT, 40 }, { IPVL_CMD_GET_TIMEOUT, 20 },
	{ IPVL_CMD_GET_INFO, 20 }, { IPVL_CMD_GET_CONN, 20 },
	{ IPVL_CMD_UNSPEC, 10 }, { IPVL_CMD_MAX + 1, 10 },
	{ IPVL_CMD_MAX + 2, 5 }, { 255, 5 },
};

static uint8_t pick_cmd(void)
{
	unsigned int total = 0, r, i;

	for (i = 0; i < ARRAY_SIZE(cmd_weights); i++)
		total += cmd_weights[i].weight;
	r = rnd(total);
	for (i = 0; i < ARRAY_SIZE(cmd_weights); i++) {
		if (r < cmd_weights[i].weight)
			return cmd_weights[i].cmd;
		r -= cmd_weights[i].weight;
	}
	return IPVL_CMD_UNSPEC;
}

static bool cmd_has_svc_key(uint8_t cmd)
{
	return cmd >= IPVL_CMD_NEW_SERVICE && cmd <= IPVL_CMD_GET_DEST;
}

static bool cmd_has_dest(uint8_t cmd)
{
	return cmd >= IPVL_CMD_NEW_DEST && cmd <= IPVL_CMD_DEL_DEST;
}

/* A request of @cmd from the pools: often valid, often just off. */
static void build_structured(struct nlmsghdr *nlh, struct intent *in)
{
	uint8_t cmd = in->cmd;

	if (cmd == IPVL_CMD_ZERO ? chance(60) : cmd_has_svc_key(cmd))
		put_svc_key(nlh, in);
	if (cmd_has_dest(cmd))
		put_dest_key(nlh, in);
	if (cmd == IPVL_CMD_NEW_SERVICE || cmd == IPVL_CMD_SET_SERVICE)
		put_svc_cfg(nlh, in);
	if (cmd == IPVL_CMD_NEW_DEST || cmd == IPVL_CMD_SET_DEST)
		put_dest_cfg(nlh, in);
	if (cmd == IPVL_CMD_SET_TIMEOUT)
		put_timeouts(nlh, in);
}

/* ------------------------------------------------------- mutation */

static const uint16_t odd_len_pool[] = { 0, 1, 2, 3, 4, 16, 17, 64 };

static uint16_t rnd_attr_type(void)
{
	uint16_t type = rnd(IPVL_A_MAX + 6);

	if (chance(10))
		type |= NLA_F_NESTED;
	if (chance(5))
		type |= NLA_F_NET_BYTEORDER;
	return type;
}

static void put_rnd_attr(struct nlmsghdr *nlh, size_t room)
{
	static unsigned char payload[BIG_ATTR_LEN];
	uint16_t len = PICK(odd_len_pool);

	if (chance(2))
		len = BIG_ATTR_LEN - rnd(8);
	if (nlh->nlmsg_len + MNL_ATTR_HDRLEN + len > room)
		return;
	rnd_bytes(payload, len > 64 ? 64 : len);
	mnl_attr_put(nlh, rnd_attr_type(), len, payload);
}

static void put_nest(struct nlmsghdr *nlh, unsigned int depth)
{
	struct nlattr *nest;
	unsigned int i, n = rnd(4);

	nest = mnl_attr_nest_start(nlh, rnd(IPVL_A_MAX + 6));
	for (i = 0; i < n; i++) {
		if (depth < 3 && chance(30))
			put_nest(nlh, depth + 1);
		else
			put_rnd_attr(nlh, 4096);
	}
	mnl_attr_nest_end(nlh, nest);
}

/* Appends a copy of a random attribute of the request. */
static void dup_attr(struct nlmsghdr *nlh)
{
	struct nlattr *attr, *pick = NULL;
	unsigned int n = 0;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (!rnd(++n))
			pick = attr;
	if (!pick || nlh->nlmsg_len + pick->nla_len > 4096)
		return;
	memcpy((char *)nlh + nlh->nlmsg_len, pick, pick->nla_len);
	nlh->nlmsg_len += MNL_ALIGN(pick->nla_len);
}

static void flip_bytes(struct nlmsghdr *nlh)
{
	unsigned char *p = (unsigned char *)nlh;
	unsigned int i, n = 1 + rnd(8);
	uint32_t span = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (!span)
		return;
	for (i = 0; i < n; i++) {
		uint32_t off = NLMSG_HDRLEN + rnd(span);

		if (chance(50))
			p[off] ^= 1 << rnd(8);
		else
			p[off] = rnd64() & 0xff;
	}
}

/* Attribute-level damage; returns false if nothing was done. */
static bool mutate_attrs(struct nlmsghdr *nlh)
{
	switch (rnd(5)) {
	case 0:
		put_rnd_attr(nlh, TXBUF_SZ);
		return true;
	case 1:
		put_nest(nlh, 0);
		return true;
	case 2:
		dup_attr(nlh);
		return true;
	case 3:
		flip_bytes(nlh);
		return true;
	default:
		/* Trailing bytes that make no attribute. */
		nlh->nlmsg_len += 1 + rnd(3);
		return true;
	}
}

/* How the request goes out: its bytes, and whether its length holds. */
struct wire {
	size_t len;		/* bytes sent */
	bool framed;		/* nlmsg_len fits what was sent */
};

static void mutate_header(struct nlmsghdr *nlh, struct wire *w)
{
	struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	uint32_t len = nlh->nlmsg_len;

	switch (rnd(7)) {
	case 0:		/* truncated anywhere, even inside the headers */
		nlh->nlmsg_len = rnd(len + 1);
		w->len = nlh->nlmsg_len;
		break;
	case 1:		/* claims more than was sent: dropped unanswered */
		nlh->nlmsg_len = len + 1 + rnd(64);
		break;
	case 2:		/* claims a little less: the tail is cut */
		if (len > NLMSG_HDRLEN + 4)
			nlh->nlmsg_len = len - 1 - rnd(3);
		break;
	case 3:
		nlh->nlmsg_flags &= ~NLM_F_REQUEST;
		break;
	case 4:
		nlh->nlmsg_flags &= ~NLM_F_ACK;
		break;
	case 5:
		g->version = rnd64() & 0xff;
		g->reserved = rnd64() & 0xffff;
		break;
	default:
		nlh->nlmsg_flags |= rnd64() & 0xff00;
		break;
	}
	w->framed = nlh->nlmsg_len >= NLMSG_HDRLEN && nlh->nlmsg_len <= w->len;
}

enum kind { K_INTACT, K_ODD, K_BYTES, K_RANDOM, K_HEADER };

static enum kind pick_kind(void)
{
	unsigned int r = rnd(100);

	if (r < 45)
		return K_INTACT;
	if (r < 65)
		return K_ODD;
	if (r < 80)
		return K_BYTES;
	if (r < 92)
		return K_RANDOM;
	return K_HEADER;
}

static void build_random(struct nlmsghdr *nlh)
{
	unsigned int i, n = rnd(8);

	for (i = 0; i < n; i++) {
		if (chance(10))
			put_nest(nlh, 0);
		else
			put_rnd_attr(nlh, TXBUF_SZ);
	}
}

/*
 * One request in @buf. Returns the kind; @in says what an intact one
 * asked for.
 */
static enum kind build(void *buf, uint16_t family, struct intent *in,
		       struct wire *w)
{
	enum kind k = pick_kind();
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	struct nlmsghdr *nlh;

	memset(in, 0, sizeof(*in));
	in->cmd = k == K_RANDOM && chance(30) ? rnd64() & 0xff : pick_cmd();
	if (chance(8))
		flags |= NLM_F_DUMP;
	nlh = msg_start(buf, family, flags, in->cmd);
	if (k == K_RANDOM)
		build_random(nlh);
	else
		build_structured(nlh, in);
	if (k == K_ODD || k == K_BYTES)
		mutate_attrs(nlh);
	if (k == K_BYTES && chance(50))
		flip_bytes(nlh);
	w->len = nlh->nlmsg_len;
	w->framed = true;
	if (k == K_HEADER)
		mutate_header(nlh, w);
	return k;
}

/* ------------------------------------------------------ read-back */

static bool cmd_changes(uint8_t cmd)
{
	switch (cmd) {
	case IPVL_CMD_NEW_SERVICE: case IPVL_CMD_SET_SERVICE:
	case IPVL_CMD_DEL_SERVICE: case IPVL_CMD_NEW_DEST:
	case IPVL_CMD_SET_DEST: case IPVL_CMD_DEL_DEST:
	case IPVL_CMD_FLUSH: case IPVL_CMD_ZERO:
	case IPVL_CMD_SET_TIMEOUT:
		return true;
	default:
		return false;
	}
}

/* The commands only the netns's administrator may run. */
static void put_key_of(struct nlmsghdr *nlh, const struct intent *in)
{
	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, AF_INET);
	if (in->fwmark) {
		mnl_attr_put_u32(nlh, IPVL_A_SVC_FWMARK, in->mark);
		return;
	}
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, in->proto);
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, 4, &in->vip);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(in->port));
}

/*
 * One reply, copied out of the receive buffer (which the next read
 * overwrites), and its attributes by type; NULL where absent.
 */
struct attrs {
	unsigned char raw[2048];
	const struct nlattr *tb[IPVL_A_MAX + 1];
};

static int attrs_cb(const struct nlattr *attr, void *data)
{
	struct attrs *at = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= IPVL_A_MAX)
		at->tb[type] = attr;
	return MNL_CB_OK;
}

static void attrs_load(struct attrs *at, const struct nlmsghdr *nlh)
{
	memset(at->tb, 0, sizeof(at->tb));
	if (nlh->nlmsg_len > sizeof(at->raw)) {
		report(&run.f.proto, "reply of %u bytes, too long to read",
		       nlh->nlmsg_len);
		return;
	}
	memcpy(at->raw, nlh, nlh->nlmsg_len);
	mnl_attr_parse((struct nlmsghdr *)at->raw, GENL_HDRLEN, attrs_cb, at);
}

static uint32_t u32_of(const struct attrs *at, int type)
{
	const struct nlattr *a = at->tb[type];

	if (!a || mnl_attr_get_payload_len(a) < 4)
		return 0xdeadbeef;
	return mnl_attr_get_u32(a);
}

static void attrs_cb_fn(const struct nlmsghdr *nlh, void *arg)
{
	attrs_load(arg, nlh);
}

static void expect_u32(const char *what, bool given, uint32_t want,
		       uint32_t got)
{
	if (given && want != got)
		report(&run.f.readback, "%s: sent %u, reads back %u", what,
		       want, got);
}

static void check_timeouts(struct nl *nl, const struct intent *in)
{
	static unsigned char buf[256];
	static struct attrs at;
	struct nlmsghdr *nlh;

	nlh = msg_start(buf, nl->family, NLM_F_REQUEST | NLM_F_ACK,
			IPVL_CMD_GET_TIMEOUT);
	memset(at.tb, 0, sizeof(at.tb));
	if (talk(nl, nlh, attrs_cb_fn, &at)) {
		report(&run.f.readback, "GET_TIMEOUT failed");
		return;
	}
	expect_u32("tcp timeout", in->has_t[0] && in->t[0], in->t[0],
		   u32_of(&at, IPVL_A_TIMEOUT_TCP));
	expect_u32("tcpfin timeout", in->has_t[1] && in->t[1], in->t[1],
		   u32_of(&at, IPVL_A_TIMEOUT_TCP_FIN));
	expect_u32("udp timeout", in->has_t[2] && in->t[2], in->t[2],
		   u32_of(&at, IPVL_A_TIMEOUT_UDP));
}

static void check_service(struct nl *nl, const struct intent *in)
{
	static unsigned char buf[256];
	static struct attrs at;
	struct nlmsghdr *nlh;
	const char *name;

	nlh = msg_start(buf, nl->family, NLM_F_REQUEST | NLM_F_ACK,
			IPVL_CMD_GET_SERVICE);
	put_key_of(nlh, in);
	memset(at.tb, 0, sizeof(at.tb));
	if (talk(nl, nlh, attrs_cb_fn, &at)) {
		report(&run.f.readback, "accepted service not found");
		return;
	}
	name = at.tb[IPVL_A_SVC_SCHED_NAME] ?
	       mnl_attr_get_str(at.tb[IPVL_A_SVC_SCHED_NAME]) : "(none)";
	if (in->sched && strcmp(in->sched, name))
		report(&run.f.readback, "scheduler: sent %s, reads back %s",
		       in->sched, name);
	expect_u32("service flags", in->has_flags, in->flags,
		   u32_of(&at, IPVL_A_SVC_FLAGS));
	expect_u32("persistence timeout", in->has_timeout, in->timeout,
		   u32_of(&at, IPVL_A_SVC_TIMEOUT));
	expect_u32("netmask", in->has_netmask, in->netmask,
		   u32_of(&at, IPVL_A_SVC_NETMASK));
}

struct dest_find {
	const struct intent *in;
	uint16_t port;			/* host order */
	struct attrs at;
	bool found;
};

static void dest_find_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dest_find *df = arg;
	static struct attrs at;
	const struct nlattr *addr;

	attrs_load(&at, nlh);
	addr = at.tb[IPVL_A_DEST_ADDR];
	if (!addr || mnl_attr_get_payload_len(addr) != 4 ||
	    memcmp(mnl_attr_get_payload(addr), &df->in->rip, 4))
		return;
	if (!at.tb[IPVL_A_DEST_PORT] ||
	    ntohs(mnl_attr_get_u16(at.tb[IPVL_A_DEST_PORT])) != df->port)
		return;
	attrs_load(&df->at, nlh);
	df->found = true;
}

static void check_dest(struct nl *nl, const struct intent *in)
{
	static unsigned char buf[256];
	static struct dest_find df;
	struct nlmsghdr *nlh;
	const struct nlattr *fwd;

	df.in = in;
	df.found = false;
	/* No port, or port 0: the service's. */
	df.port = in->dport ?: in->fwmark ? 0 : in->port;

	nlh = msg_start(buf, nl->family, NLM_F_REQUEST | NLM_F_DUMP,
			IPVL_CMD_GET_DEST);
	put_key_of(nlh, in);
	if (talk(nl, nlh, dest_find_cb, &df) || !df.found) {
		report(&run.f.readback, "accepted real server not found");
		return;
	}
	fwd = df.at.tb[IPVL_A_DEST_FWD];
	if (in->has_fwd && (!fwd || mnl_attr_get_u8(fwd) != in->fwd))
		report(&run.f.readback, "forwarding method: sent %u", in->fwd);
	expect_u32("weight", in->has_weight, in->weight,
		   u32_of(&df.at, IPVL_A_DEST_WEIGHT));
	expect_u32("upper threshold", in->has_uth, in->uth,
		   u32_of(&df.at, IPVL_A_DEST_U_THRESH));
	expect_u32("lower threshold", in->has_lth, in->lth,
		   u32_of(&df.at, IPVL_A_DEST_L_THRESH));
}

/* An intact request was accepted: it must read back as it was meant. */
static void read_back(struct nl *nl, const struct intent *in)
{
	switch (in->cmd) {
	case IPVL_CMD_SET_TIMEOUT:
		check_timeouts(nl, in);
		break;
	case IPVL_CMD_NEW_SERVICE:
	case IPVL_CMD_SET_SERVICE:
		if (in->key_ok)
			check_service(nl, in);
		break;
	case IPVL_CMD_NEW_DEST:
	case IPVL_CMD_SET_DEST:
		if (in->key_ok)
			check_dest(nl, in);
		break;
	default:
		return;
	}
	run.c.checked++;
}

/* ---------------------------------------------------- table dump */

struct text {
	char *buf;
	size_t len;
	unsigned int nlines;
};

static void text_add(struct text *t, const char *line)
{
	size_t n = strlen(line);

	if (t->len + n + 2 > DUMP_MAX)
		return;
	memcpy(t->buf + t->len, line, n);
	t->len += n;
	t->buf[t->len++] = '\n';
	t->buf[t->len] = '\0';
	t->nlines++;
}

static const char *addr_str(const struct nlattr *a, char *buf)
{
	if (!a)
		return "-";
	if (mnl_attr_get_payload_len(a) == 4)
		return inet_ntop(AF_INET, mnl_attr_get_payload(a), buf,
				 INET6_ADDRSTRLEN);
	if (mnl_attr_get_payload_len(a) == 16)
		return inet_ntop(AF_INET6, mnl_attr_get_payload(a), buf,
				 INET6_ADDRSTRLEN);
	return "?";
}

static unsigned int u16_or(const struct attrs *at, int type)
{
	const struct nlattr *a = at->tb[type];

	return a ? mnl_attr_get_u16(a) : 0xffffffff;
}

/* A service as one line; the same line is its key for GET_DEST. */
struct svc_line {
	struct attrs *at;
	char line[256];
};

struct svc_list {
	struct svc_line *v;
	size_t n, cap;
};

static void svc_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct svc_list *l = arg;
	char a[INET6_ADDRSTRLEN];
	struct svc_line *s;
	const struct nlattr *name;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	s = &l->v[l->n++];
	s->at = malloc(sizeof(*s->at));
	if (!s->at)
		abort();
	attrs_load(s->at, nlh);
	name = s->at->tb[IPVL_A_SVC_SCHED_NAME];
	snprintf(s->line, sizeof(s->line),
		 "svc af=%u proto=%u addr=%s port=%u fwmark=%u sched=%s flags=%#x timeout=%u netmask=%u",
		 u16_or(s->at, IPVL_A_SVC_AF),
		 s->at->tb[IPVL_A_SVC_PROTOCOL] ?
		 mnl_attr_get_u8(s->at->tb[IPVL_A_SVC_PROTOCOL]) : 0,
		 addr_str(s->at->tb[IPVL_A_SVC_ADDR], a),
		 s->at->tb[IPVL_A_SVC_PORT] ?
		 ntohs(mnl_attr_get_u16(s->at->tb[IPVL_A_SVC_PORT])) : 0,
		 s->at->tb[IPVL_A_SVC_FWMARK] ?
		 u32_of(s->at, IPVL_A_SVC_FWMARK) : 0,
		 name ? mnl_attr_get_str(name) : "-",
		 u32_of(s->at, IPVL_A_SVC_FLAGS),
		 u32_of(s->at, IPVL_A_SVC_TIMEOUT),
		 u32_of(s->at, IPVL_A_SVC_NETMASK));
}

static void dest_dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct text *t = arg;
	char a[INET6_ADDRSTRLEN], line[256];
	static struct attrs at;

	attrs_load(&at, nlh);
	snprintf(line, sizeof(line),
		 "  dest af=%u addr=%s port=%u fwd=%u weight=%u uth=%u lth=%u",
		 u16_or(&at, IPVL_A_DEST_AF), addr_str(at.tb[IPVL_A_DEST_ADDR], a),
		 at.tb[IPVL_A_DEST_PORT] ?
		 ntohs(mnl_attr_get_u16(at.tb[IPVL_A_DEST_PORT])) : 0,
		 at.tb[IPVL_A_DEST_FWD] ?
		 mnl_attr_get_u8(at.tb[IPVL_A_DEST_FWD]) : 0,
		 u32_of(&at, IPVL_A_DEST_WEIGHT),
		 u32_of(&at, IPVL_A_DEST_U_THRESH),
		 u32_of(&at, IPVL_A_DEST_L_THRESH));
	text_add(t, line);
}

static int cmp_svc(const void *a, const void *b)
{
	return strcmp(((const struct svc_line *)a)->line,
		      ((const struct svc_line *)b)->line);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Sorts the lines of @t in place (real servers come in list order). */
static void text_sort(struct text *t)
{
	char **lines, *copy, *p, *out;
	unsigned int i, n = 0;

	if (!t->nlines)
		return;
	copy = strdup(t->buf);
	lines = calloc(t->nlines, sizeof(*lines));
	if (!copy || !lines)
		abort();
	for (p = strtok(copy, "\n"); p && n < t->nlines; p = strtok(NULL, "\n"))
		lines[n++] = p;
	qsort(lines, n, sizeof(*lines), cmp_line);
	out = t->buf;
	for (i = 0; i < n; i++)
		out += sprintf(out, "%s\n", lines[i]);
	free(lines);
	free(copy);
}

static int dump_dests_of(struct nl *nl, const struct svc_line *s,
			 struct text *t)
{
	static unsigned char buf[256];
	struct text dests = { .buf = calloc(1, DUMP_MAX) };
	struct nlmsghdr *nlh;
	int type, ret;

	if (!dests.buf)
		abort();
	nlh = msg_start(buf, nl->family, NLM_F_REQUEST | NLM_F_DUMP,
			IPVL_CMD_GET_DEST);
	for (type = IPVL_A_SVC_AF; type <= IPVL_A_SVC_PORT; type++)
		if (s->at->tb[type])
			mnl_attr_put(nlh, type,
				     mnl_attr_get_payload_len(s->at->tb[type]),
				     mnl_attr_get_payload(s->at->tb[type]));
	if (s->at->tb[IPVL_A_SVC_FWMARK])
		mnl_attr_put_u32(nlh, IPVL_A_SVC_FWMARK,
				 u32_of(s->at, IPVL_A_SVC_FWMARK));
	ret = talk(nl, nlh, dest_dump_cb, &dests);
	text_sort(&dests);
	text_add(t, s->line);
	if (dests.len) {
		dests.buf[dests.len - 1] = '\0';
		text_add(t, dests.buf);
	}
	free(dests.buf);
	return ret;
}

static int dump_timeouts(struct nl *nl, struct text *t)
{
	static unsigned char buf[64];
	static struct attrs at;
	struct nlmsghdr *nlh;
	char line[128];
	int ret;

	memset(at.tb, 0, sizeof(at.tb));
	nlh = msg_start(buf, nl->family, NLM_F_REQUEST | NLM_F_ACK,
			IPVL_CMD_GET_TIMEOUT);
	ret = talk(nl, nlh, attrs_cb_fn, &at);
	snprintf(line, sizeof(line), "timeouts tcp=%u tcpfin=%u udp=%u",
		 u32_of(&at, IPVL_A_TIMEOUT_TCP),
		 u32_of(&at, IPVL_A_TIMEOUT_TCP_FIN),
		 u32_of(&at, IPVL_A_TIMEOUT_UDP));
	text_add(t, line);
	return ret;
}

/*
 * The table of @nl's netns as sorted text: timeouts, then each service
 * and its real servers, counters left out. Returns the first error.
 */
static int dump_table(struct nl *nl, struct text *t)
{
	static unsigned char buf[64];
	struct svc_list l = { 0 };
	struct nlmsghdr *nlh;
	size_t i;
	int ret, r;

	t->len = 0;
	t->nlines = 0;
	t->buf[0] = '\0';
	ret = dump_timeouts(nl, t);
	nlh = msg_start(buf, nl->family, NLM_F_REQUEST | NLM_F_DUMP,
			IPVL_CMD_GET_SERVICE);
	r = talk(nl, nlh, svc_dump_cb, &l);
	ret = ret ?: r;
	qsort(l.v, l.n, sizeof(*l.v), cmp_svc);
	for (i = 0; i < l.n; i++) {
		r = dump_dests_of(nl, &l.v[i], t);
		ret = ret ?: r;
		free(l.v[i].at);
	}
	free(l.v);
	return ret;
}

static struct text text_new(void)
{
	struct text t = { .buf = calloc(1, DUMP_MAX) };

	if (!t.buf)
		abort();
	return t;
}

/* Prints the lines of @a that @b lacks, prefixed with @sign. */
static void print_missing(const struct text *a, const struct text *b,
			  char sign)
{
	const char *p, *q, *nl;
	size_t n;
	bool found;

	for (p = a->buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		n = nl - p;
		found = false;
		for (q = b->buf; *q && !found; q = strchr(q, '\n') + 1)
			found = !strncmp(p, q, n) && q[n] == '\n';
		if (!found)
			printf("# %c%.*s\n", sign, (int)n, p);
	}
}

static void print_diff(const struct text *a, const struct text *b)
{
	print_missing(a, b, '-');
	print_missing(b, a, '+');
}

/* -------------------------------------------------- the fuzz loop */

static void log_change(const struct nlmsghdr *nlh)
{
	struct change *c;

	if (run.nlog == run.caplog) {
		run.caplog = run.caplog ? 2 * run.caplog : 1024;
		run.log = realloc(run.log, run.caplog * sizeof(*run.log));
		if (!run.log)
			abort();
	}
	c = malloc(sizeof(*c) + nlh->nlmsg_len);
	if (!c)
		abort();
	c->len = nlh->nlmsg_len;
	memcpy(c->data, nlh, nlh->nlmsg_len);
	run.log[run.nlog++] = c;
}

static void count_answer(const struct answer *a)
{
	if (!a->nmsgs) {
		run.c.silent++;
		return;
	}
	if (a->done)
		run.c.dumps++;
	if (a->acked && a->error) {
		run.c.rejected++;
		if ((size_t)a->error < ARRAY_SIZE(run.c.errno_hist))
			run.c.errno_hist[a->error]++;
	} else if (a->acked || a->done) {
		run.c.accepted++;
	}
}

/*
 * What the generic netlink core makes of a request before the family's
 * permission checks: 1 if it never looks at it (no NLM_F_REQUEST, or a
 * length the socket layer drops), -EINVAL for a short or reserved header
 * or stray nlmsg_flags, -EOPNOTSUPP for an unknown command, 0 to go on.
 */
static int genl_precheck(const struct nlmsghdr *nlh, const struct wire *w)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	uint16_t flags = nlh->nlmsg_flags;

	if (!w->framed || !(flags & NLM_F_REQUEST))
		return 1;
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) || g->reserved)
		return -EINVAL;
	if (is_dump(nlh))
		flags &= ~NLM_F_DUMP;
	if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO))
		return -EINVAL;
	if (g->cmd < 1 || g->cmd > IPVL_CMD_MAX)
		return -EOPNOTSUPP;
	return 0;
}

/* Answers fixed by the header alone, and EPERM where it applies. */
static void check_precheck(const struct nlmsghdr *nlh, const struct wire *w,
			   const struct answer *a, unsigned long i)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	int want = genl_precheck(nlh, w);

	if (want > 0)
		return;
	want = -want;
	/* Reads too: the table shows real servers, counters and clients. */
	if (!want && run.expect_eperm)
		want = EPERM;
	if (!want)
		return;
	if (!a->acked || a->error != want)
		report(want == EPERM ? &run.f.eperm : &run.f.proto,
		       "#%lu: cmd %u flags %#x answered %s %d, not %s", i,
		       g->cmd, nlh->nlmsg_flags,
		       a->acked ? "errno" : "nothing",
		       a->acked ? a->error : 0, strerrorname_np(want));
}

/* Doit requests answer with an ACK (or nothing without NLM_F_ACK). */
static bool accepted_change(const struct nlmsghdr *nlh, const struct wire *w,
			    const struct answer *a)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (genl_precheck(nlh, w) || !cmd_changes(g->cmd) || is_dump(nlh))
		return false;
	if (a->acked)
		return !a->error;
	return !(nlh->nlmsg_flags & NLM_F_ACK);
}

static void fuzz_one(struct nl *nl, unsigned long i, void *buf)
{
	struct nlmsghdr *nlh = buf;
	struct intent in;
	struct answer a;
	struct wire w;
	enum kind k;

	k = build(buf, nl->family, &in, &w);
	run.c.sent++;
	run.c.mutated += k != K_INTACT;
	if (exchange(nl, nlh, w.len, w.framed, &a, NULL, NULL)) {
		run.c.silent++;
		return;
	}
	count_answer(&a);
	if (run.verbose)
		printf("#%lu kind %d cmd %u len %zu flags %#x: %s %d\n", i, k,
		       in.cmd, w.len, nlh->nlmsg_flags,
		       a.acked ? "errno" : a.done ? "done" : "silent",
		       a.acked ? a.error : a.done_error);
	check_precheck(nlh, &w, &a, i);
	if (run.expect_eperm)
		return;
	if (!accepted_change(nlh, &w, &a))
		return;
	log_change(nlh);
	if (k == K_INTACT && !is_dump(nlh))
		read_back(nl, &in);
}

/* Replays the accepted changes on @twin: each must be accepted again. */
static void replay(struct nl *twin)
{
	struct nlmsghdr *nlh;
	size_t i;
	int ret;

	for (i = 0; i < run.nlog; i++) {
		nlh = (struct nlmsghdr *)run.log[i]->data;
		nlh->nlmsg_type = twin->family;
		nlh->nlmsg_flags |= NLM_F_ACK;
		ret = talk(twin, nlh, NULL, NULL);
		if (ret)
			report(&run.f.replay, "replayed change %zu (cmd %u) refused: %s",
			       i, ((struct genlmsghdr *)
				   mnl_nlmsg_get_payload(nlh))->cmd,
			       strerror(-ret));
		free(run.log[i]);
	}
	run.nlog = 0;
}

static int compare_tables(struct nl *a, struct nl *b)
{
	struct text ta = text_new(), tb = text_new();
	int ret = 0;

	if (dump_table(a, &ta) || dump_table(b, &tb)) {
		report(&run.f.table, "table dump failed");
		ret = -1;
	} else if (strcmp(ta.buf, tb.buf)) {
		report(&run.f.table, "%s and %s differ", a->name, b->name);
		print_diff(&ta, &tb);
		ret = -1;
	} else {
		run.c.compared++;
		if (ta.nlines > run.c.max_lines)
			run.c.max_lines = ta.nlines;
	}
	free(ta.buf);
	free(tb.buf);
	return ret;
}

/* ------------------------------------------------------------ main */

struct opts {
	uint64_t seed;
	unsigned long count;
	unsigned long check_every;
	bool twin;
	bool dump_only;
	bool flush;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ipvl-fuzz [--seed N] [--count N] [--twin [--check-every N]]\n"
		"                 [--expect-eperm]\n"
		"                 [--flush] [--verbose]\n"
		"       ipvl-fuzz --dump\n"
		"  --seed N        PRNG seed (default 1); a seed names a run\n"
		"  --count N       requests to send (default 20000)\n"
		"  --twin          replay the accepted changes in a fresh netns\n"
		"                  and compare both tables at each checkpoint\n"
		"  --check-every N requests between checkpoints (default 1000)\n"
		"  --expect-eperm  every change must be refused with EPERM and\n"
		"                  the table must end as it began\n"
		"  --flush         flush the table at the end\n"
		"  --dump          print the table as the checks compare it\n");
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "twin", no_argument, NULL, 't' },
		{ "check-every", required_argument, NULL, 'c' },
		{ "expect-eperm", no_argument, NULL, 'e' },
		{ "flush", no_argument, NULL, 'f' },
		{ "dump", no_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "s:n:tc:efdvh", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			o->count = strtoul(optarg, NULL, 0);
			break;
		case 't':
			o->twin = true;
			break;
		case 'c':
			o->check_every = strtoul(optarg, NULL, 0);
			break;
		case 'e':
			run.expect_eperm = true;
			break;
		case 'f':
			o->flush = true;
			break;
		case 'd':
			o->dump_only = true;
			break;
		case 'v':
			run.verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (optind != argc || (o->twin && run.expect_eperm) ||
	    !o->check_every)
		return -1;
	return 0;
}

static int open_family(struct nl *nl, const char *name)
{
	if (nl_open(nl, name)) {
		fprintf(stderr, "ipvl-fuzz: netlink socket: %s\n",
			strerror(errno));
		return -1;
	}
	return resolve_family(nl);
}

/* The twin lives in a netns of its own, gone when the process exits. */
static int open_twin(struct nl *twin)
{
	if (unshare(CLONE_NEWNET)) {
		fprintf(stderr, "ipvl-fuzz: unshare(CLONE_NEWNET): %s\n",
			strerror(errno));
		return -1;
	}
	return open_family(twin, "twin");
}

static int do_dump(struct nl *nl)
{
	struct text t = text_new();
	int ret = dump_table(nl, &t);

	fputs(t.buf, stdout);
	free(t.buf);
	if (ret)
		fprintf(stderr, "ipvl-fuzz: dump: %s\n", strerror(-ret));
	return ret ? 1 : 0;
}

static int flush(struct nl *nl)
{
	static unsigned char buf[64];
	struct nlmsghdr *nlh;

	nlh = msg_start(buf, nl->family, NLM_F_REQUEST | NLM_F_ACK,
			IPVL_CMD_FLUSH);
	return talk(nl, nlh, NULL, NULL);
}

static void print_summary(const struct opts *o)
{
	const struct counters *c = &run.c;
	const struct failures *f = &run.f;
	size_t e;

	printf("# seed %llu: sent %lu (mutated %lu): accepted %lu, rejected %lu, unanswered %lu\n",
	       (unsigned long long)o->seed, c->sent, c->mutated, c->accepted,
	       c->rejected, c->silent);
	printf("# dumps %lu, read back %lu\n", c->dumps, c->checked);
	printf("# errno:");
	for (e = 0; e < ARRAY_SIZE(c->errno_hist); e++)
		if (c->errno_hist[e])
			printf(" %s=%lu", strerrorname_np(e) ?: "?",
			       c->errno_hist[e]);
	if (c->compared)
		printf("\n# twin: %lu checkpoints with equal tables, largest %u lines",
		       c->compared, c->max_lines);
	printf("\n# failures: protocol %lu, read-back %lu, eperm %lu, replay %lu, table %lu\n",
	       f->proto, f->readback, f->eperm, f->replay, f->table);
}

static bool failed(void)
{
	const struct failures *f = &run.f;

	return f->proto || f->readback || f->eperm || f->replay || f->table;
}

/* The table must end as it began: nothing changed it. */
/* Without privileges not even a listing is answered. */
static void eperm_listing(struct nl *nl)
{
	struct text t = text_new();

	if (!dump_table(nl, &t))
		report(&run.f.eperm, "the table was listed without privileges");
	free(t.buf);
}

/* Both netns back to one state after a divergence: empty, same timeouts. */
static void resync(struct nl *nl, struct nl *twin)
{
	static unsigned char buf[256];
	static struct attrs at;
	struct nlmsghdr *nlh;

	if (flush(nl) || flush(twin))
		report(&run.f.proto, "flush failed");
	nlh = msg_start(buf, nl->family, NLM_F_REQUEST | NLM_F_ACK,
			IPVL_CMD_GET_TIMEOUT);
	memset(at.tb, 0, sizeof(at.tb));
	if (talk(nl, nlh, attrs_cb_fn, &at))
		report(&run.f.proto, "GET_TIMEOUT failed");
	nlh = msg_start(buf, twin->family, NLM_F_REQUEST | NLM_F_ACK,
			IPVL_CMD_SET_TIMEOUT);
	mnl_attr_put_u32(nlh, IPVL_A_TIMEOUT_TCP,
			 u32_of(&at, IPVL_A_TIMEOUT_TCP));
	mnl_attr_put_u32(nlh, IPVL_A_TIMEOUT_TCP_FIN,
			 u32_of(&at, IPVL_A_TIMEOUT_TCP_FIN));
	mnl_attr_put_u32(nlh, IPVL_A_TIMEOUT_UDP,
			 u32_of(&at, IPVL_A_TIMEOUT_UDP));
	if (talk(twin, nlh, NULL, NULL))
		report(&run.f.proto, "SET_TIMEOUT on the twin failed");
}

/*
 * The twin catches up with the changes accepted since the last
 * checkpoint; the tables must then be equal. A divergence names the
 * window of requests that caused it (rerun with --verbose to see them).
 */
static void checkpoint(struct nl *nl, struct nl *twin, unsigned long first,
		       unsigned long last)
{
	replay(twin);
	if (!compare_tables(nl, twin))
		return;
	printf("# tables diverged within requests #%lu..#%lu\n", first, last);
	resync(nl, twin);
}

static void fuzz(struct nl *nl, struct nl *twin, const struct opts *o)
{
	void *buf = calloc(1, TXBUF_SZ);
	unsigned long i, first = 0;

	if (!buf)
		abort();
	for (i = 0; i < o->count; i++) {
		fuzz_one(nl, i, buf);
		if (twin && (i + 1) % o->check_every == 0) {
			checkpoint(nl, twin, first, i);
			first = i + 1;
		}
	}
	if (twin && first < o->count)
		checkpoint(nl, twin, first, o->count - 1);
	free(buf);
}

int main(int argc, char **argv)
{
	struct opts o = { .seed = 1, .count = 20000, .check_every = 1000 };
	struct nl nl = { 0 }, twin = { 0 };

	if (parse_opts(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	run.rx = malloc(RXBUF_SZ);
	if (!run.rx || open_family(&nl, "main"))
		return 1;
	if (o.dump_only)
		return do_dump(&nl);
	if (o.twin && open_twin(&twin))
		return 1;
	rng_state = o.seed;
	if (run.expect_eperm)
		eperm_listing(&nl);
	fuzz(&nl, o.twin ? &twin : NULL, &o);
	if (run.expect_eperm)
		eperm_listing(&nl);
	if (o.flush && flush(&nl))
		report(&run.f.proto, "final flush failed");
	print_summary(&o);
	return failed() ? 1 : 0;
}
