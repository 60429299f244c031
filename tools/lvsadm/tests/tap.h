/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP 13 producer for the host-side unit tests.
 */
#ifndef LVSADM_TAP_H
#define LVSADM_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static unsigned int tap_count, tap_failed, tap_skipped;

static inline __printf(2, 3) bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %u - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

static inline void tap_skip(const char *what, const char *why)
{
	tap_count++;
	tap_skipped++;
	printf("ok %u - %s # SKIP %s\n", tap_count, what, why);
}

/* Shows both strings, escaped, when they differ. */
static inline void tap_diag_str(const char *label, const char *s)
{
	printf("#   %s: \"", label);
	for (; s && *s; s++) {
		if (*s == '\n')
			printf("\\n");
		else
			putchar(*s);
	}
	printf("\"\n");
}

static inline bool tap_str(const char *got, const char *want,
			   const char *name)
{
	bool same = got && want && !strcmp(got, want);

	if (!tap_ok(same, "%s", name)) {
		tap_diag_str("got ", got);
		tap_diag_str("want", want);
	}
	return same;
}

static inline bool tap_int(long got, long want, const char *name)
{
	if (!tap_ok(got == want, "%s", name))
		printf("#   got %ld, want %ld\n", got, want);
	return got == want;
}

static inline int tap_done(void)
{
	printf("1..%u\n", tap_count);
	printf("%u passed, %u failed", tap_count - tap_failed - tap_skipped,
	       tap_failed);
	if (tap_skipped)
		printf(", %u skipped", tap_skipped);
	putchar('\n');
	return tap_failed ? 1 : 0;
}

#endif /* LVSADM_TAP_H */
