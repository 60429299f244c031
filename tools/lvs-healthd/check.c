// SPDX-License-Identifier: GPL-2.0
/*
 * Health checks: TCP connect, HTTP GET, or a command whose exit code
 * decides. Each is bounded by the check's timeout.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "healthd.h"

static int ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

static void set_deadline(struct timespec *deadline, unsigned int secs)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += secs;
}

static socklen_t sockaddr_of(const struct ipvl_dest *d,
			     struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (d->af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = d->addr.v6;
		s6->sin6_port = htons(d->port);
		return sizeof(*s6);
	}
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_addr = d->addr.v4;
	((struct sockaddr_in *)ss)->sin_port = htons(d->port);
	return sizeof(struct sockaddr_in);
}

/* A connected socket to the real server, or -1. */
static int connect_to(const struct ipvl_dest *d,
		      const struct timespec *deadline)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(d, &ss);
	struct pollfd pfd;
	int fd, err = 0;
	socklen_t elen = sizeof(err);

	fd = socket(d->af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (!connect(fd, (struct sockaddr *)&ss, len))
		return fd;
	if (errno != EINPROGRESS)
		goto fail;
	pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
	if (poll(&pfd, 1, ms_left(deadline)) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) || err)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

static bool check_tcp(const struct check *c, const struct ipvl_dest *d)
{
	struct timespec deadline;
	int fd;

	set_deadline(&deadline, c->timeout);
	fd = connect_to(d, &deadline);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Reads the reply until EOF, the deadline, or the buffer is full. */
static ssize_t read_reply(int fd, char *buf, size_t len,
			  const struct timespec *deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < len - 1) {
		if (poll(&pfd, 1, ms_left(deadline)) != 1)
			break;
		n = read(fd, buf + got, len - 1 - got);
		if (n <= 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	return got;
}

static bool http_ok(const struct check *c, const char *reply)
{
	unsigned int status;

	if (sscanf(reply, "HTTP/%*u.%*u %u", &status) != 1 ||
	    status < c->status_min || status > c->status_max)
		return false;
	return !c->expect[0] || strstr(reply, c->expect);
}

static bool check_http(const struct check *c, const struct ipvl_dest *d)
{
	char req[512], reply[16384], host[INET6_ADDRSTRLEN];
	struct timespec deadline;
	bool ok = false;
	int fd, len;

	set_deadline(&deadline, c->timeout);
	fd = connect_to(d, &deadline);
	if (fd < 0)
		return false;
	inet_ntop(d->af, &d->addr, host, sizeof(host));
	len = snprintf(req, sizeof(req),
		       "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n"
		       "User-Agent: lvs-healthd\r\n\r\n", c->path, host);
	if (write(fd, req, len) == len &&
	    read_reply(fd, reply, sizeof(reply), &deadline) > 0)
		ok = http_ok(c, reply);
	close(fd);
	return ok;
}

static void child_exec(const struct check *c, const struct ipvl_dest *d)
{
	char addr[INET6_ADDRSTRLEN], port[8];

	inet_ntop(d->af, &d->addr, addr, sizeof(addr));
	snprintf(port, sizeof(port), "%u", d->port);
	setenv("RS_ADDR", addr, 1);
	setenv("RS_PORT", port, 1);
	execl("/bin/sh", "sh", "-c", c->command, (char *)NULL);
	_exit(127);
}

static bool check_command(const struct check *c, const struct ipvl_dest *d)
{
	struct timespec deadline;
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return false;
	if (!pid)
		child_exec(c, d);
	set_deadline(&deadline, c->timeout);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (!ms_left(&deadline)) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return false;
		}
		usleep(20000);
	}
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

bool check_run(const struct check *c, const struct ipvl_dest *d)
{
	switch (c->type) {
	case CHECK_HTTP:
		return check_http(c, d);
	case CHECK_COMMAND:
		return check_command(c, d);
	default:
		return check_tcp(c, d);
	}
}
