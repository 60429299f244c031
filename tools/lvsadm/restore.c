// SPDX-License-Identifier: GPL-2.0
/*
 * -R: rules from standard input, applied all or nothing.
 *
 * Every line is parsed before anything is sent, so a syntax error
 * changes nothing. The table and the timeouts are then read as they
 * are, and if the kernel refuses a line the changes already made are
 * undone by bringing the table back to that snapshot. Counters zeroed
 * by a -Z line cannot be given back.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "err.h"
#include "fmt.h"

/* Far more words than any rule line of ipvsadm -S has. */
#define LVS_RESTORE_MAXARGS	64

struct rule {
	struct lvs_cmd cmd;
	unsigned int lineno;
};

struct rules {
	struct rule *v;
	size_t n, cap;
};

/*
 * Split a rules line into words. A word starting with '#' ends the
 * line; a leading program name is dropped so that lines written as
 * whole "ipvsadm ..." commands restore too. Returns the word count, or
 * -1 if there are more than @max.
 */
int lvs_split_line(char *line, char **argv, int max)
{
	static const char blanks[] = " \t\r\n";
	char *save = NULL, *w;
	int n = 0;

	for (w = strtok_r(line, blanks, &save); w;
	     w = strtok_r(NULL, blanks, &save)) {
		if (w[0] == '#')
			break;
		if (!n && (!strcmp(w, "ipvsadm") || !strcmp(w, "lvsadm")))
			continue;
		if (n == max)
			return -1;
		argv[n++] = w;
	}
	return n;
}

static int add_rule(struct rules *r, const struct lvs_cmd *cmd,
		    unsigned int lineno)
{
	size_t ncap;
	void *nv;

	if (r->n == r->cap) {
		ncap = r->cap ? r->cap * 2 : 64;
		nv = realloc(r->v, ncap * sizeof(*r->v));
		if (!nv)
			return lvs_err("out of memory");
		r->v = nv;
		r->cap = ncap;
	}
	r->v[r->n].cmd = *cmd;
	r->v[r->n++].lineno = lineno;
	return 0;
}

static int parse_line(struct rules *r, char *line, unsigned int lineno)
{
	char *argv[LVS_RESTORE_MAXARGS + 2] = { "lvsadm" };
	struct lvs_cmd cmd;
	int argc;

	argc = lvs_split_line(line, argv + 1, LVS_RESTORE_MAXARGS);
	if (argc < 0)
		return lvs_uerr("line %u: too many words", lineno);
	if (!argc)
		return 0;
	if (lvs_parse_args(argc + 1, argv, &cmd))
		return lvs_err_prefix("line %u: ", lineno);
	if (!lvs_cmd_is_change(cmd.type))
		return lvs_uerr("line %u: command not allowed in restore input",
				lineno);
	return add_rule(r, &cmd, lineno);
}

static int parse_all(struct rules *r, FILE *in)
{
	unsigned int lineno = 0;
	size_t cap = 0;
	char *line = NULL;
	int ret = 0;

	while (!ret && getline(&line, &cap, in) >= 0)
		ret = parse_line(r, line, ++lineno);
	free(line);
	if (!ret && ferror(in))
		ret = lvs_err("cannot read standard input");
	return ret;
}

struct snapshot {
	struct lvs_table table;
	struct ipvl_timeout timeout;
};

static int take_snapshot(struct lvs_ctx *ctx, struct snapshot *s)
{
	if (ipvl_get_timeout(ctx->h, &s->timeout))
		return lvs_lib_err(ctx);
	return lvs_table_read(ctx, &s->table, NULL, LVS_FMT_NOSORT);
}

/* The failed line's message stays; a failed undo is added to it. */
static int roll_back(struct lvs_ctx *ctx, const struct snapshot *s,
		     unsigned int lineno)
{
	char why[512];
	int undo;

	snprintf(why, sizeof(why), "%s", lvs_errmsg());
	undo = lvs_table_converge(ctx, &s->table);
	if (!undo && ipvl_set_timeout(ctx->h, &s->timeout))
		undo = lvs_lib_err(ctx);
	if (!undo)
		return lvs_err("line %u: %s", lineno, why);
	return lvs_err("line %u: %s (and undoing the lines before it failed: %s)",
		       lineno, why, lvs_errmsg());
}

static int apply_all(struct lvs_ctx *ctx, const struct rules *r)
{
	struct snapshot s;
	size_t i;
	int ret = 0;

	if (take_snapshot(ctx, &s))
		return -1;
	for (i = 0; !ret && i < r->n; i++)
		if (lvs_apply(ctx, &r->v[i].cmd))
			ret = roll_back(ctx, &s, r->v[i].lineno);
	lvs_table_free(&s.table);
	return ret;
}

int lvs_restore(struct lvs_ctx *ctx, FILE *in)
{
	struct rules r = {};
	int ret;

	ret = parse_all(&r, in);
	if (!ret && r.n)
		ret = lvs_ctx_open(ctx);
	if (!ret && r.n)
		ret = apply_all(ctx, &r);
	free(r.v);
	return ret;
}
