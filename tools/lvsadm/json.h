/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsadm: a small JSON writer, and the --json views built with it.
 *
 * The output follows ip -j: one line, objects with lower snake case
 * keys, numbers as numbers, addresses as strings (IPv6 unbracketed).
 */
#ifndef LVSADM_JSON_H
#define LVSADM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "table.h"

#define LVS_JSON_DEPTH	8

struct lvs_json {
	FILE *f;
	unsigned int depth;
	bool first[LVS_JSON_DEPTH];
};

void lvs_json_init(struct lvs_json *j, FILE *f);
void lvs_json_escape(FILE *f, const char *s);
/* @key is NULL for members of an array and for the outermost value. */
void lvs_json_open(struct lvs_json *j, const char *key, char bracket);
void lvs_json_close(struct lvs_json *j, char bracket);
void lvs_json_str(struct lvs_json *j, const char *key, const char *v);
void lvs_json_u64(struct lvs_json *j, const char *key, uint64_t v);
void lvs_json_bool(struct lvs_json *j, const char *key, bool v);

void lvs_json_table(FILE *f, const struct lvs_table *t, unsigned int fmt);
void lvs_json_conns(FILE *f, const struct ipvl_conn *c, size_t n);
void lvs_json_info(FILE *f, const struct ipvl_info *info);
void lvs_json_timeout(FILE *f, const struct ipvl_timeout *t);

#endif /* LVSADM_JSON_H */
