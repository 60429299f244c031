// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static char errbuf[512];
static int errcode;

static int lvs_verr(int code, const char *fmt, va_list ap)
{
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	errcode = code;
	return -1;
}

/* A failure past argument checking: the kernel said no, or I/O broke. */
int lvs_err(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = lvs_verr(LVS_EXIT_FAIL, fmt, ap);
	va_end(ap);
	return ret;
}

/* A request that can never succeed as written; nothing was sent. */
int lvs_uerr(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = lvs_verr(LVS_EXIT_USAGE, fmt, ap);
	va_end(ap);
	return ret;
}

/* Keep the pending error and its exit code, with context in front. */
int lvs_err_prefix(const char *fmt, ...)
{
	char old[sizeof(errbuf)];
	size_t n;
	va_list ap;

	snprintf(old, sizeof(old), "%s", lvs_errmsg());
	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	n = strlen(errbuf);
	snprintf(errbuf + n, sizeof(errbuf) - n, "%s", old);
	errcode = lvs_errcode();
	return -1;
}

const char *lvs_errmsg(void)
{
	return errbuf[0] ? errbuf : "unknown error";
}

int lvs_errcode(void)
{
	return errcode ? errcode : LVS_EXIT_FAIL;
}

void lvs_err_clear(void)
{
	errbuf[0] = '\0';
	errcode = 0;
}
