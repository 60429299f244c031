// SPDX-License-Identifier: GPL-2.0
/*
 * synflood - TCP SYNs from random spoofed sources, for flood.sh.
 *
 *   synflood IFACE DSTMAC NET/LEN DST PORT COUNT [SEED [ack]]
 *
 * With "ack", every SYN is followed by a bare ACK of the same tuple, as
 * a blind spoofer completing handshakes it never saw answered would
 * send: COUNT such pairs.
 *
 * Writes COUNT Ethernet frames to DSTMAC through an AF_PACKET socket
 * on IFACE, in batches with sendmmsg(); each comes from a random
 * address inside NET/LEN and a random port. Prints the rate reached.
 * Built by flood.sh itself: a scripted sender is too slow under TCG.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define BATCH		64
#define FRAME_LEN	(sizeof(struct ether_header) + sizeof(struct iphdr) + \
			 sizeof(struct tcphdr))

static uint64_t rng = 88172645463325252ULL;

static uint32_t rnd32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t sum16(const void *data, size_t len, uint32_t sum)
{
	const uint16_t *p = data;

	for (; len > 1; len -= 2)
		sum += *p++;
	return sum;
}

/* The TCP checksum of a header without options or payload. */
static void tcp_csum(const struct iphdr *iph, struct tcphdr *th)
{
	struct {
		uint32_t saddr, daddr;
		uint8_t zero, proto;
		uint16_t len;
	} ph = {
		.saddr = iph->saddr,
		.daddr = iph->daddr,
		.proto = IPPROTO_TCP,
		.len = htons(sizeof(*th)),
	};

	th->check = 0;
	th->check = fold(sum16(th, sizeof(*th), sum16(&ph, sizeof(ph), 0)));
}

static void build(unsigned char *f, const unsigned char *dmac,
		  const unsigned char *smac, uint32_t saddr, uint32_t daddr,
		  uint16_t port)
{
	struct ether_header *eth = (struct ether_header *)f;
	struct iphdr *iph = (struct iphdr *)(eth + 1);
	struct tcphdr *th = (struct tcphdr *)(iph + 1);

	memcpy(eth->ether_dhost, dmac, ETH_ALEN);
	memcpy(eth->ether_shost, smac, ETH_ALEN);
	eth->ether_type = htons(ETHERTYPE_IP);
	memset(iph, 0, sizeof(*iph) + sizeof(*th));
	iph->version = 4;
	iph->ihl = 5;
	iph->tot_len = htons(sizeof(*iph) + sizeof(*th));
	iph->id = htons(rnd32() & 0xffff);
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->check = fold(sum16(iph, sizeof(*iph), 0));
	th->source = htons(1024 + rnd32() % 64512);
	th->dest = htons(port);
	th->seq = rnd32();
	th->doff = 5;
	th->syn = 1;
	th->window = htons(65535);
	tcp_csum(iph, th);
}

/* The frame after @syn: the same tuple, a bare ACK of the next byte. */
static void build_ack(unsigned char *f, const unsigned char *syn)
{
	struct iphdr *iph = (struct iphdr *)(f + sizeof(struct ether_header));
	struct tcphdr *th = (struct tcphdr *)(iph + 1);

	memcpy(f, syn, FRAME_LEN);
	th->syn = 0;
	th->ack = 1;
	th->seq = htonl(ntohl(th->seq) + 1);
	th->ack_seq = rnd32();
	tcp_csum(iph, th);
}

static int parse_mac(const char *s, unsigned char *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

static int read_mac(const char *ifname, unsigned char *mac)
{
	char path[128], buf[32];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (f && fgets(buf, sizeof(buf), f))
		ret = parse_mac(buf, mac);
	if (f)
		fclose(f);
	return ret;
}

struct target {
	unsigned char dmac[ETH_ALEN], smac[ETH_ALEN];
	uint32_t net, span, daddr;
	uint16_t port;
	int ack;
};

static int parse_args(char **argv, struct target *t)
{
	char net[32], *slash;
	struct in_addr a;
	int len;

	if (parse_mac(argv[2], t->dmac) || read_mac(argv[1], t->smac))
		return -1;
	snprintf(net, sizeof(net), "%s", argv[3]);
	slash = strchr(net, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	len = atoi(slash + 1);
	if (len < 8 || len > 30 || inet_pton(AF_INET, net, &a) != 1)
		return -1;
	t->net = ntohl(a.s_addr);
	t->span = (1U << (32 - len)) - 2;
	if (inet_pton(AF_INET, argv[4], &a) != 1)
		return -1;
	t->daddr = a.s_addr;
	t->port = atoi(argv[5]);
	return 0;
}

static int open_link(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd = socket(AF_PACKET, SOCK_RAW, 0);

	if (fd < 0)
		return -1;
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -1;
	return fd;
}

static unsigned long flood(int fd, const struct target *t,
			   unsigned long count)
{
	static unsigned char frames[BATCH][FRAME_LEN];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long sent = 0;
	unsigned int i, n;
	int r;

	memset(msgs, 0, sizeof(msgs));
	while (sent < count) {
		n = count - sent < BATCH ? count - sent : BATCH;
		if (t->ack)
			n &= ~1U;
		for (i = 0; i < n; i++) {
			uint32_t src = htonl(t->net + 1 + rnd32() % t->span);

			if (t->ack && (i & 1))
				build_ack(frames[i], frames[i - 1]);
			else
				build(frames[i], t->dmac, t->smac, src,
				      t->daddr, t->port);
			iov[i].iov_base = frames[i];
			iov[i].iov_len = FRAME_LEN;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0 && errno != ENOBUFS)
			break;
		sent += r > 0 ? (unsigned long)r : 0;
	}
	return sent;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	unsigned long count, sent;
	struct target t;
	double secs;
	int fd;

	if (argc < 7 || argc > 9 || parse_args(argv, &t) ||
	    (argc == 9 && strcmp(argv[8], "ack"))) {
		fprintf(stderr,
			"usage: synflood IFACE DSTMAC NET/LEN DST PORT COUNT [SEED [ack]]\n");
		return 2;
	}
	count = strtoul(argv[6], NULL, 0);
	t.ack = argc == 9;
	if (t.ack)
		count *= 2;
	if (argc >= 8)
		rng ^= strtoull(argv[7], NULL, 0) * 0x9e3779b97f4a7c15ULL;
	if (!rng)
		rng = 1;
	fd = open_link(argv[1]);
	if (fd < 0) {
		perror("synflood: AF_PACKET socket");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sent = flood(fd, &t, count);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("syn-flood: %lu SYNs in %.1f s (%.0f/s)\n", sent, secs,
	       secs > 0 ? sent / secs : 0.0);
	return sent == count ? 0 : 1;
}
