// SPDX-License-Identifier: GPL-2.0
/*
 * Logging to stderr, or to syslog with -s.
 */

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include "healthd.h"

static bool use_syslog;

void log_use_syslog(void)
{
	openlog("lvs-healthd", LOG_PID, LOG_DAEMON);
	use_syslog = true;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(prio, fmt, ap);
	} else {
		fprintf(stderr, "lvs-healthd: ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}
