// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer: nesting is tracked only to place commas, so a
 * caller that closes what it opened always produces valid JSON.
 */
#include <inttypes.h>

#include "json.h"

void lvs_json_init(struct lvs_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
}

/*
 * Quotes, backslashes and control characters are escaped; bytes above
 * 0x7f are written as \u00XX so that any input gives valid JSON.
 */
void lvs_json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20 || *p > 0x7e)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void member(struct lvs_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (key) {
		lvs_json_escape(j->f, key);
		fputc(':', j->f);
	}
}

void lvs_json_open(struct lvs_json *j, const char *key, char bracket)
{
	member(j, key);
	fputc(bracket, j->f);
	if (j->depth + 1 < LVS_JSON_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

void lvs_json_close(struct lvs_json *j, char bracket)
{
	fputc(bracket, j->f);
	if (j->depth)
		j->depth--;
	if (!j->depth)
		fputc('\n', j->f);
}

void lvs_json_str(struct lvs_json *j, const char *key, const char *v)
{
	member(j, key);
	lvs_json_escape(j->f, v);
}

void lvs_json_u64(struct lvs_json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void lvs_json_bool(struct lvs_json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}
