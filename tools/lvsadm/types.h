/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: the objects the tool reads from and writes to the kernel are
 * libipvl's; this adds what every file of the tool wants beside them.
 */
#ifndef LVSADM_TYPES_H
#define LVSADM_TYPES_H

#include <ipvl.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* A service with its real servers, as listed, saved and restored. */
struct lvs_entry {
	struct ipvl_service svc;
	struct ipvl_dest *dests;
	size_t ndests;
};

/* The whole table at one moment. */
struct lvs_table {
	struct lvs_entry *v;
	size_t n;
};

#endif /* LVSADM_TYPES_H */
