// SPDX-License-Identifier: GPL-2.0
/*
 * connrate: short TCP connections, for "make bench".
 *
 *   connrate server PORT
 *	accept and close at once, forever
 *   connrate client ADDR PORT SECONDS
 *	connect and close in a loop for SECONDS; prints
 *	"<connections> <elapsed seconds> <start> <end>", the last two
 *	from CLOCK_REALTIME, so that the run can be matched with samples
 *	taken outside the machine
 *
 * The client closes with a reset (SO_LINGER 0), so that no port sits in
 * TIME_WAIT and a long run never runs out of local ports: every
 * connection costs the director a SYN, an ACK and a RST, each of which
 * it has to look up, the SYN also to schedule.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_port(const char *s, struct sockaddr_in *sin)
{
	char *end;
	long port = strtol(s, &end, 10);

	if (*end || port < 1 || port > 65535) {
		fprintf(stderr, "connrate: bad port %s\n", s);
		return -1;
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	return 0;
}

static int serve(const char *port)
{
	struct sockaddr_in sin = { 0 };
	int one = 1, fd, c;

	if (parse_port(port, &sin))
		return 2;
	sin.sin_addr.s_addr = htonl(INADDR_ANY);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(fd, 4096)) {
		perror("connrate: listen");
		return 1;
	}
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c >= 0)
			close(c);
		else if (errno != EINTR && errno != ECONNABORTED)
			perror("connrate: accept");
	}
}

/* One connection, closed with a reset; 0 once the handshake completed. */
static int one_conn(const struct sockaddr_in *sin)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	/* A lost SYN must not stall the whole run. */
	struct timeval tmo = { .tv_sec = 2 };
	int fd, rc;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tmo, sizeof(tmo));
	rc = connect(fd, (const struct sockaddr *)sin, sizeof(*sin));
	close(fd);
	return rc;
}

static int client(const char *addr, const char *port, const char *secs)
{
	struct sockaddr_in sin = { 0 };
	unsigned long n = 0, failed = 0;
	double dur = atof(secs), t0, t, r0;

	if (parse_port(port, &sin))
		return 2;
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1 || dur <= 0) {
		fprintf(stderr, "connrate: bad address or duration\n");
		return 2;
	}
	r0 = now(CLOCK_REALTIME);
	t0 = now(CLOCK_MONOTONIC);
	do {
		if (one_conn(&sin))
			failed++;
		else
			n++;
		t = now(CLOCK_MONOTONIC);
	} while (t - t0 < dur);
	printf("%lu %.3f %.6f %.6f\n", n, t - t0, r0, now(CLOCK_REALTIME));
	if (failed)
		fprintf(stderr, "connrate: %lu connections failed\n", failed);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		return serve(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "client"))
		return client(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: connrate server PORT\n"
			"       connrate client ADDR PORT SECONDS\n");
	return 2;
}
