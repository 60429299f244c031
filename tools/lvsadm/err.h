/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: one pending error message per run.
 *
 * Every failure is reported to the user as exactly one line, so the
 * function that detects it records the text here and returns -1; only
 * main() prints.
 */
#ifndef LVSADM_ERR_H
#define LVSADM_ERR_H

/* Exit codes: a request the user got wrong, or one that failed later. */
#define LVS_EXIT_FAIL	1
#define LVS_EXIT_USAGE	2

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

int lvs_err(const char *fmt, ...) __printf(1, 2);
int lvs_uerr(const char *fmt, ...) __printf(1, 2);
int lvs_err_prefix(const char *fmt, ...) __printf(1, 2);
const char *lvs_errmsg(void);
int lvs_errcode(void);
void lvs_err_clear(void);

#endif /* LVSADM_ERR_H */
