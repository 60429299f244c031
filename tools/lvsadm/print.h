/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: the text listings (-L and its variants, -c, --timeout,
 * --info) and the -S rules.
 */
#ifndef LVSADM_PRINT_H
#define LVSADM_PRINT_H

#include <stdio.h>

#include "table.h"

void lvs_print_version(FILE *f, const struct ipvl_info *info);
void lvs_print_title(FILE *f, unsigned int fmt);
void lvs_print_entry(FILE *f, const struct lvs_entry *e, unsigned int fmt);
void lvs_print_timeout(FILE *f, const struct ipvl_timeout *t);
void lvs_print_conn_title(FILE *f, unsigned int fmt);
void lvs_print_conn(FILE *f, const struct ipvl_conn *c, unsigned int fmt);
void lvs_print_info(FILE *f, const struct ipvl_info *info);

#endif /* LVSADM_PRINT_H */
