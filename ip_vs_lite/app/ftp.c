// SPDX-License-Identifier: GPL-2.0
/*
 * ip_vs_lite FTP helper: the data connections of a masqueraded FTP
 * control connection reach the same real server and are masqueraded too.
 *
 * Active mode: the client's PORT or EPRT names its own address and a
 * port; the real server will connect from its port 20 (the control port
 * minus one) to that port, and leaves the director from the virtual
 * address's. Passive mode: the real server's 227 (PASV) or 229 (EPSV)
 * reply names a port; the client's first connection to that port of the
 * virtual address goes to the real server's. A 227 reply names the real
 * server's address, which is replaced by the virtual address in the
 * same number of bytes, so that no sequence number changes: the numbers
 * get leading zeros, or the words before them give up room.
 *
 * Only commands and replies that start a segment are read, and a PORT or
 * EPRT only for the client's own address: a client cannot have the real
 * server connect anywhere else.
 */

#include <linux/ctype.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "ip_vs_lite_app.h"

#define FTP_MAX_PORTS	8

static unsigned short ports[FTP_MAX_PORTS] = { 21 };
static int nports;
module_param_array_named(ports, ports, ushort, &nports, 0444);
MODULE_PARM_DESC(ports, "virtual ports of FTP services (default 21)");

static bool ftp_claims(__be16 vport)
{
	int i, n = nports ?: 1;

	for (i = 0; i < n; i++)
		if (ports[i] && htons(ports[i]) == vport)
			return true;
	return false;
}

/* Reads a decimal number of at most @max from @p, moving @p past it. */
static bool number(const char **p, const char *end, unsigned int max,
		   unsigned int *v)
{
	const char *s = *p;

	*v = 0;
	while (*p < end && isdigit(**p) && *p - s < 5)
		*v = *v * 10 + (*(*p)++ - '0');
	return *p > s && *v <= max;
}

/* "h1,h2,h3,h4,p1,p2": the address and port of PORT and of 227. */
static bool six_numbers(const char **p, const char *end, __be32 *addr,
			u16 *port)
{
	unsigned int v[6];
	int i;

	for (i = 0; i < 6; i++) {
		if (i && (*p >= end || *(*p)++ != ','))
			return false;
		if (!number(p, end, 255, &v[i]))
			return false;
	}
	*addr = htonl(v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]);
	*port = v[4] << 8 | v[5];
	return *port != 0;
}

static bool starts(const char *data, unsigned int len, const char *word)
{
	size_t n = strlen(word);

	return len > n && !strncasecmp(data, word, n);
}

/* PORT h1,h2,h3,h4,p1,p2 */
static void client_port(struct ipvl_app_ctx *ctx,
			const struct ipvl_app_conn *c, const char *p,
			const char *end)
{
	__be32 addr;
	u16 port;

	if (c->af != AF_INET || !six_numbers(&p, end, &addr, &port) ||
	    addr != c->caddr.ip)
		return;
	ipvl_app_expect(ctx, htons(port), htons(ntohs(c->vport) - 1),
			htons(ntohs(c->dport) - 1));
}

/* EPRT |af|address|port| with any delimiter (RFC 2428). */
static void client_eprt(struct ipvl_app_ctx *ctx,
			const struct ipvl_app_conn *c, const char *p,
			const char *end)
{
	union nf_inet_addr addr = {};
	const char *a, *stop;
	unsigned int port;
	char d;

	if (end - p < 8)
		return;
	d = *p++;
	if (*p != (c->af == AF_INET6 ? '2' : '1') || p[1] != d)
		return;
	a = p + 2;
	stop = memchr(a, d, end - a);
	if (!stop)
		return;
	if (c->af == AF_INET6 ?
	    !in6_pton(a, stop - a, (u8 *)addr.all, d, NULL) :
	    !in4_pton(a, stop - a, (u8 *)&addr.ip, d, NULL))
		return;
	p = stop + 1;
	if (!nf_inet_addr_cmp(&addr, &c->caddr) ||
	    !number(&p, end, 65535, &port) || !port || p >= end || *p != d)
		return;
	ipvl_app_expect(ctx, htons(port), htons(ntohs(c->vport) - 1),
			htons(ntohs(c->dport) - 1));
}

static void ftp_from_client(struct ipvl_app_ctx *ctx,
			    const struct ipvl_app_conn *c,
			    const char *data, unsigned int len)
{
	const char *end = data + len;

	if (starts(data, len, "PORT "))
		client_port(ctx, c, data + 5, end);
	else if (starts(data, len, "EPRT "))
		client_eprt(ctx, c, data + 5, end);
}

/*
 * Writes "a,b,c,d,p1,p2" for @addr and @port in exactly @len bytes,
 * leading zeros making up the difference; false if it cannot.
 */
static bool write_six(char *buf, unsigned int len, __be32 addr, u16 port)
{
	unsigned int v[6], digits[6], i, have = 5, extra;
	u32 a = ntohl(addr);
	char *p = buf;

	for (i = 0; i < 6; i++) {
		v[i] = i < 4 ? (a >> (24 - 8 * i)) & 0xff :
			       (i == 4 ? port >> 8 : port & 0xff);
		digits[i] = v[i] >= 100 ? 3 : v[i] >= 10 ? 2 : 1;
		have += digits[i];
	}
	if (have > len)
		return false;
	for (extra = len - have, i = 0; i < 6; i++) {
		unsigned int pad = min(extra, 3 - digits[i]);

		extra -= pad;
		p += sprintf(p, "%s%0*u", i ? "," : "", digits[i] + pad, v[i]);
	}
	return !extra;
}

/*
 * 227 text (h1,h2,h3,h4,p1,p2): the real server's address becomes the
 * virtual one, in the same bytes; the text before the numbers gives up
 * what leading zeros cannot make up, keeping its first word and a '('.
 */
static bool server_pasv(struct ipvl_app_ctx *ctx,
			const struct ipvl_app_conn *c, char *data,
			unsigned int len)
{
	char *end = data + len, *num, *start = data + 4;
	char six[24];
	const char *p;
	__be32 addr;
	u16 port;

	if (c->af != AF_INET)
		return false;
	for (num = start; num < end && !isdigit(*num); num++)
		;
	p = num;
	if (!six_numbers(&p, end, &addr, &port) || addr != c->daddr.ip)
		return false;
	while (!write_six(six, p - num, c->vaddr.ip, port)) {
		/* One byte of the words at a time, "(" kept before the numbers. */
		if (num - start < 2 || !(isalpha(num[-2]) || num[-2] == ' '))
			return false;
		num[-2] = '(';
		num--;
	}
	memcpy(num, six, p - num);
	ipvl_app_expect(ctx, 0, htons(port), htons(port));
	return true;
}

/* 229 text (|||port|), with any delimiter. */
static void server_epsv(struct ipvl_app_ctx *ctx, const char *data,
			unsigned int len)
{
	const char *end = data + len, *p = memchr(data, '(', len);
	unsigned int port;
	char d;

	if (!p || end - p < 6)
		return;
	d = p[1];
	if (p[2] != d || p[3] != d)
		return;
	p += 4;
	if (!number(&p, end, 65535, &port) || !port || p >= end || *p != d)
		return;
	ipvl_app_expect(ctx, 0, htons(port), htons(port));
}

static bool ftp_from_server(struct ipvl_app_ctx *ctx,
			    const struct ipvl_app_conn *c, char *data,
			    unsigned int len)
{
	if (starts(data, len, "227 "))
		return server_pasv(ctx, c, data, len);
	if (starts(data, len, "229 "))
		server_epsv(ctx, data, len);
	return false;
}

static struct ipvl_app_ops ftp_ops = {
	.name		= "ftp",
	.owner		= THIS_MODULE,
	.claims		= ftp_claims,
	.from_client	= ftp_from_client,
	.from_server	= ftp_from_server,
};

static int __init ftp_init(void)
{
	return ipvl_register_app(&ftp_ops);
}

static void __exit ftp_exit(void)
{
	ipvl_unregister_app(&ftp_ops);
}

module_init(ftp_init);
module_exit(ftp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ip_vs_lite FTP helper for masqueraded FTP services");
