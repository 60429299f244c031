/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: the kernel's table of services and their real servers, as the
 * tool holds it in memory. The objects in it are libipvl's; the tool's
 * other headers take <ipvl.h> and ARRAY_SIZE from here.
 */
#ifndef LVSADM_TABLE_H
#define LVSADM_TABLE_H

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

#endif /* LVSADM_TABLE_H */
