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

static unsigned int tap_count, tap_failed;

static inline __attribute__((format(printf, 2, 3)))
bool tap_ok(bool cond, const char *fmt, ...)
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
	printf("%u passed, %u failed\n", tap_count - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}

#endif /* LVSADM_TAP_H */
