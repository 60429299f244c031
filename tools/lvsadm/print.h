/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: the -L table, the -S rules and the --timeout line.
 */
#ifndef LVSADM_PRINT_H
#define LVSADM_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "types.h"

void lvs_print_version(FILE *f, const struct lvs_info *info);
void lvs_print_title(FILE *f, unsigned int fmt);
void lvs_print_service(FILE *f, const struct lvs_service *svc,
		       const struct lvs_dest *dests, size_t ndests,
		       unsigned int fmt);
void lvs_print_timeout(FILE *f, const struct lvs_timeout *t);
int lvs_service_cmp(const void *a, const void *b);

#endif /* LVSADM_PRINT_H */
