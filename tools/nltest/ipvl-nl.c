// SPDX-License-Identifier: GPL-2.0
/*
 * ipvl-nl - send IPVS_LITE requests that lvsadm never builds and show
 * how the kernel answers them, for the selftests.
 *
 * Prints one line: the case name and either "accepted" or the errno and
 * extack of the rejection. Exit status 0 when the kernel rejected the
 * request with an extack message (or, with --expect-ok, accepted it),
 * 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <ipvl.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define LONG_SCHED_LEN	200
#define OVERSIZED_ADDR	64
#define BAD_WEIGHT	70000

struct target {
	struct in_addr vip;
	uint16_t vport;
	struct in_addr rip;
};

struct nl_case {
	const char *name;
	const char *doc;
	struct nlmsghdr *(*build)(void *buf, struct ipvl_handle *h,
				  const struct target *t);
};

static struct nlmsghdr *new_svc(void *buf, struct ipvl_handle *h)
{
	return ipvl_msg_new(h, buf, IPVL_CMD_NEW_SERVICE, NLM_F_ACK);
}

static void put_svc(struct nlmsghdr *nlh, const struct target *t)
{
	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, AF_INET);
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, sizeof(t->vip), &t->vip);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(t->vport));
}

static void put_dest(struct nlmsghdr *nlh, const struct target *t,
		     uint32_t weight)
{
	mnl_attr_put_u16(nlh, IPVL_A_DEST_AF, AF_INET);
	mnl_attr_put(nlh, IPVL_A_DEST_ADDR, sizeof(t->rip), &t->rip);
	mnl_attr_put_u16(nlh, IPVL_A_DEST_PORT, htons(t->vport));
	mnl_attr_put_u8(nlh, IPVL_A_DEST_FWD, IPVL_FWD_DR);
	mnl_attr_put_u32(nlh, IPVL_A_DEST_WEIGHT, weight);
}

static struct nlmsghdr *valid_service(void *buf, struct ipvl_handle *h,
				      const struct target *t)
{
	struct nlmsghdr *nlh = new_svc(buf, h);

	put_svc(nlh, t);
	mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, "rr");
	return nlh;
}

static struct nlmsghdr *valid_dest(void *buf, struct ipvl_handle *h,
				   const struct target *t)
{
	struct nlmsghdr *nlh;

	nlh = ipvl_msg_new(h, buf, IPVL_CMD_NEW_DEST, NLM_F_ACK);
	put_svc(nlh, t);
	put_dest(nlh, t, 1);
	return nlh;
}

static struct nlmsghdr *missing_addr(void *buf, struct ipvl_handle *h,
				     const struct target *t)
{
	struct nlmsghdr *nlh = new_svc(buf, h);

	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, AF_INET);
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(t->vport));
	mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, "rr");
	return nlh;
}

static struct nlmsghdr *unknown_attr(void *buf, struct ipvl_handle *h,
				     const struct target *t)
{
	struct nlmsghdr *nlh = valid_service(buf, h, t);

	mnl_attr_put_u32(nlh, IPVL_A_MAX + 1, 0);
	return nlh;
}

static struct nlmsghdr *oversized_addr(void *buf, struct ipvl_handle *h,
				       const struct target *t)
{
	struct nlmsghdr *nlh = new_svc(buf, h);
	unsigned char addr[OVERSIZED_ADDR];

	memset(addr, 0, sizeof(addr));
	memcpy(addr, &t->vip, sizeof(t->vip));
	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, AF_INET);
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, sizeof(addr), addr);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(t->vport));
	mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, "rr");
	return nlh;
}

static struct nlmsghdr *bad_af(void *buf, struct ipvl_handle *h,
			       const struct target *t)
{
	struct nlmsghdr *nlh = new_svc(buf, h);

	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, AF_UNIX);
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, sizeof(t->vip), &t->vip);
	mnl_attr_put_u16(nlh, IPVL_A_SVC_PORT, htons(t->vport));
	mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, "rr");
	return nlh;
}

static struct nlmsghdr *long_sched_name(void *buf, struct ipvl_handle *h,
					const struct target *t)
{
	struct nlmsghdr *nlh = new_svc(buf, h);
	char name[LONG_SCHED_LEN + 1];

	memset(name, 'a', LONG_SCHED_LEN);
	name[LONG_SCHED_LEN] = '\0';
	put_svc(nlh, t);
	mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, name);
	return nlh;
}

static struct nlmsghdr *wrong_type(void *buf, struct ipvl_handle *h,
				   const struct target *t)
{
	struct nlmsghdr *nlh = new_svc(buf, h);

	mnl_attr_put_u16(nlh, IPVL_A_SVC_AF, AF_INET);
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put(nlh, IPVL_A_SVC_ADDR, sizeof(t->vip), &t->vip);
	mnl_attr_put_u8(nlh, IPVL_A_SVC_PORT, t->vport & 0xff);
	mnl_attr_put_strz(nlh, IPVL_A_SVC_SCHED_NAME, "rr");
	return nlh;
}

static struct nlmsghdr *weight_range(void *buf, struct ipvl_handle *h,
				     const struct target *t)
{
	struct nlmsghdr *nlh;

	nlh = ipvl_msg_new(h, buf, IPVL_CMD_NEW_DEST, NLM_F_ACK);
	put_svc(nlh, t);
	put_dest(nlh, t, BAD_WEIGHT);
	return nlh;
}

static const struct nl_case cases[] = {
	{ "missing-addr", "NEW_SERVICE without SVC_ADDR", missing_addr },
	{ "unknown-attr", "NEW_SERVICE with attribute type IPVL_A_MAX + 1",
	  unknown_attr },
	{ "oversized-addr", "NEW_SERVICE with a 64-byte SVC_ADDR",
	  oversized_addr },
	{ "bad-af", "NEW_SERVICE with SVC_AF = AF_UNIX", bad_af },
	{ "long-sched-name", "NEW_SERVICE with a 200-character scheduler",
	  long_sched_name },
	{ "wrong-type", "NEW_SERVICE with a 1-byte SVC_PORT", wrong_type },
	{ "weight-range", "NEW_DEST with DEST_WEIGHT 70000", weight_range },
	{ "valid-service", "a well-formed NEW_SERVICE (rr)", valid_service },
	{ "valid-dest", "a well-formed NEW_DEST (-g -w 1)", valid_dest },
};

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f,
		"Usage: ipvl-nl [--expect-ok] [--service VIP:PORT] [--real-server RIP] CASE\n"
		"       ipvl-nl --list\n"
		"Defaults: --service 192.0.2.1:80 --real-server 198.51.100.1\n"
		"Cases:\n");
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		fprintf(f, "  %-16s %s\n", cases[i].name, cases[i].doc);
}

static const struct nl_case *find_case(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	return NULL;
}

static void print_reply(const char *name, const struct ipvl_ext *ext)
{
	printf("%s: ", name);
	if (!ext->error) {
		printf("accepted\n");
		return;
	}
	printf("rejected: errno %d (%s)", ext->error, strerror(ext->error));
	if (ext->msg[0])
		printf(": \"%s\"", ext->msg);
	else
		printf(": no extack message");
	if (ext->has_offs)
		printf(" [offs %u]", ext->offs);
	if (ext->has_miss_type)
		printf(" [missing attr %u]", ext->miss_type);
	printf("\n");
}

static int run_case(const struct nl_case *c, const struct target *t,
		    bool expect_ok)
{
	const struct ipvl_ext *ext;
	struct ipvl_handle *h;
	char buf[IPVL_MSG_BUFSZ];
	int ret;

	if (ipvl_open(&h)) {
		fprintf(stderr, "ipvl-nl: %s\n", ipvl_errmsg(h));
		ipvl_close(h);
		return 1;
	}
	ret = ipvl_talk(h, c->build(buf, h, t), NULL, NULL);
	ext = ipvl_last_ext(h);
	if (ret && !ext->error) {
		fprintf(stderr, "ipvl-nl: %s\n", ipvl_errmsg(h));
		ipvl_close(h);
		return 1;
	}
	print_reply(c->name, ext);
	ret = expect_ok ? ext->error != 0 : !(ext->error && ext->msg[0]);
	ipvl_close(h);
	return ret;
}

static int parse_service(const char *arg, struct target *t)
{
	char host[INET_ADDRSTRLEN];
	unsigned int port;
	char extra;

	if (sscanf(arg, "%15[0-9.]:%u%c", host, &port, &extra) != 2 ||
	    inet_pton(AF_INET, host, &t->vip) != 1 || !port || port > 65535)
		return -1;
	t->vport = port;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "expect-ok", no_argument, NULL, 'o' },
		{ "service", required_argument, NULL, 's' },
		{ "real-server", required_argument, NULL, 'r' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct target t = { .vport = 80 };
	const struct nl_case *c;
	bool expect_ok = false;
	int opt;

	inet_pton(AF_INET, "192.0.2.1", &t.vip);
	inet_pton(AF_INET, "198.51.100.1", &t.rip);
	while ((opt = getopt_long(argc, argv, "os:r:lh", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			expect_ok = true;
			break;
		case 's':
			if (parse_service(optarg, &t))
				goto bad_usage;
			break;
		case 'r':
			if (inet_pton(AF_INET, optarg, &t.rip) != 1)
				goto bad_usage;
			break;
		case 'l':
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad_usage;
		}
	}
	if (optind != argc - 1)
		goto bad_usage;
	c = find_case(argv[optind]);
	if (!c)
		goto bad_usage;
	return run_case(c, &t, expect_ok);

bad_usage:
	usage(stderr);
	return 1;
}
