/* --targets FILE: per-dimension targets, optionally per region. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "dataset_internal.h"
#include "diag.h"
#include "score_internal.h"
#include "text.h"
#include "grow.h"

typedef struct target_entry {
	size_t dimension;
	const char *region; /* NULL: every region */
	int target;
	unsigned long line; /* in the file, for messages */
} target_entry;

struct ctm_targets {
	ctm_arena arena;
	const char *name; /* the file, for messages */
	target_entry *entries;
	size_t count, cap;
};

void ctm_targets_free(ctm_targets *t)
{
	if (!t)
		return;
	ctm_arena__free(&t->arena);
	free(t->entries);
	free(t);
}

int ctm_targets__lookup(const ctm_targets *t, size_t d, const char *region)
{
	int fallback = 0;
	if (!t)
		return 0;
	for (size_t i = 0; i < t->count; i++) {
		const target_entry *e = &t->entries[i];
		if (e->dimension != d)
			continue;
		if (!e->region)
			fallback = e->target;
		else if (region && strcmp(e->region, region) == 0)
			return e->target;
	}
	return fallback;
}

/* A level value, or a level's id or name; 0 when none. */
static int parse_level(const ctm_rubric *r, const char *s, size_t len)
{
	if (ctm_text__all_digits(s, len)) {
		size_t v = 0;
		for (size_t i = 0; i < len && v <= r->level_count; i++)
			v = v * 10 + (size_t)(s[i] - '0');
		return v >= 1 && v <= r->level_count ? (int)v : 0;
	}
	for (size_t l = 0; l < r->level_count; l++) {
		const ctm_level *lv = &r->levels[l];
		if (ctm_text__fold_equal(s, len, lv->id, strlen(lv->id)) ||
		    (lv->name && ctm_text__fold_equal(s, len, lv->name, strlen(lv->name))))
			return (int)(l + 1);
	}
	return 0;
}

static int read_targets(ctm_targets *t, ctm_csv *csv, const char *name, const ctm_rubric *r,
			ctm_ctx *ctx)
{
	const ctm_csv_field *f;
	size_t n;
	int bad, got;
	int col_dim = -1, col_target = -1, col_region = -1;
	size_t errors_before = ctm_ctx_error_count(ctx);

	got = ctm_csv__next(csv, &f, &n, &bad);
	if (got < 0)
		return got;
	if (got == 0) {
		ctm_diag__error(ctx, name, 1, 1,
				"the targets file is empty: expected a header "
				"'dimension,target[,region]'");
		return CTM_EINVALID;
	}
	for (size_t c = 0; c < n; c++) {
		const char *h = f[c].data;
		size_t hl = f[c].len;
		ctm_text__trim(&h, &hl);
		int *slot = ctm_text__fold_equal(h, hl, "dimension", 9) ? &col_dim
			  : ctm_text__fold_equal(h, hl, "target", 6)    ? &col_target
			  : ctm_text__fold_equal(h, hl, "region", 6)    ? &col_region
									: NULL;
		if (!slot) {
			ctm_diag__error(ctx, name, f[c].line, f[c].column,
					"unexpected column '%.*s': the header is "
					"'dimension,target[,region]'",
					(int)(hl > 80 ? 80 : hl), h);
		} else if (*slot >= 0) {
			ctm_diag__error(ctx, name, f[c].line, f[c].column,
					"duplicate column '%.*s'", (int)hl, h);
		} else {
			*slot = (int)c;
		}
	}
	if (col_dim < 0 || col_target < 0) {
		ctm_diag__error(ctx, name, 1, 1,
				"the header must name the columns 'dimension' and 'target'");
		return CTM_EINVALID;
	}
	size_t width = n;
	while ((got = ctm_csv__next(csv, &f, &n, &bad)) > 0) {
		if (bad || (n == 1 && f[0].len == 0))
			continue;
		if (n != width) {
			ctm_diag__error(ctx, name, f[0].line, 1,
					"row has %zu fields, the header has %zu", n, width);
			continue;
		}
		const char *d = f[col_dim].data, *v = f[col_target].data;
		size_t dl = f[col_dim].len, vl = f[col_target].len;
		ctm_text__trim(&d, &dl);
		ctm_text__trim(&v, &vl);
		size_t dim = SIZE_MAX;
		for (size_t i = 0; i < r->dimension_count; i++)
			if (strlen(r->dimensions[i].id) == dl &&
			    memcmp(r->dimensions[i].id, d, dl) == 0)
				dim = i;
		if (dim == SIZE_MAX) {
			ctm_diag__error(ctx, name, f[col_dim].line, f[col_dim].column,
					"'%.*s' is not a dimension of rubric '%s'",
					(int)(dl > 80 ? 80 : dl), d, r->id);
			continue;
		}
		int level = parse_level(r, v, vl);
		if (!level) {
			ctm_diag__error(ctx, name, f[col_target].line, f[col_target].column,
					"target '%.*s' is not a level of rubric '%s' (1-%zu or a "
					"level's id "
					"or name)",
					(int)(vl > 80 ? 80 : vl), v, r->id, r->level_count);
			continue;
		}
		const char *region = NULL;
		if (col_region >= 0) {
			const char *rg = f[col_region].data;
			size_t rl = f[col_region].len;
			ctm_text__trim(&rg, &rl);
			if (rl) {
				region = ctm_arena__strndup(&t->arena, rg, rl);
				if (!region)
					return CTM_ENOMEM;
			}
		}
		for (size_t i = 0; i < t->count; i++) {
			const target_entry *e = &t->entries[i];
			if (e->dimension == dim &&
			    ((!e->region && !region) ||
			     (e->region && region && strcmp(e->region, region) == 0)))
				ctm_diag__error(ctx, name, f[0].line, 1,
						"a second target for dimension '%s'%s%s",
						r->dimensions[dim].id, region ? " in region " : "",
						region ? region : "");
		}
		if (ctm_grow__reserve((void **)&t->entries, &t->cap, t->count + 1,
				      sizeof(*t->entries)))
			return CTM_ENOMEM;
		t->entries[t->count++] = (target_entry){ dim, region, level, f[0].line };
	}
	if (got < 0)
		return got;
	if (t->count == 0 && ctm_ctx_error_count(ctx) == errors_before)
		ctm_diag__error(ctx, name, 1, 1,
				"the targets file has a header but no rows: no target is set");
	return ctm_ctx_error_count(ctx) > errors_before ? CTM_EINVALID : CTM_OK;
}

/* ctx counts the errors that make the result CTM_EINVALID: without one from
 * the caller, a private one does. */
static int load(ctm_targets **out, ctm_csv *csv, const char *name, const ctm_rubric *r,
		ctm_ctx *ctx)
{
	ctm_ctx *own = ctx ? NULL : ctm_ctx_new();
	ctm_targets *t = calloc(1, sizeof(*t));
	if (!t || (!ctx && !own)) {
		free(t);
		ctm_ctx_free(own);
		return CTM_ENOMEM;
	}
	ctm_csv__set_context(csv, ctx ? ctx : own);
	t->name = ctm_arena__strdup(&t->arena, name ? name : "<targets>");
	int rc = t->name ? read_targets(t, csv, name, r, ctx ? ctx : own) : CTM_ENOMEM;
	ctm_ctx_free(own);
	if (rc != CTM_OK) {
		ctm_targets_free(t);
		return rc;
	}
	*out = t;
	return CTM_OK;
}

int ctm_targets_load(ctm_targets **out, const char *path, const ctm_rubric *rubric, ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	if (!out || !path || !rubric)
		return CTM_EUSAGE;
	*out = NULL;
	int rc = ctm_csv__open_file(&csv, path, NULL, ctx);
	if (rc == CTM_OK)
		rc = load(out, csv, path, rubric, ctx);
	ctm_csv__free(csv);
	return rc;
}

int ctm_targets_load_memory(ctm_targets **out, const char *name, const char *buf, size_t len,
			    const ctm_rubric *rubric, ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	if (!out || !rubric || (!buf && len))
		return CTM_EUSAGE;
	*out = NULL;
	int rc = ctm_csv__open_memory(&csv, name ? name : "<targets>", buf ? buf : "", len, NULL,
				      ctx);
	if (rc == CTM_OK)
		rc = load(out, csv, name ? name : "<targets>", rubric, ctx);
	ctm_csv__free(csv);
	return rc;
}

void ctm_targets__check_regions(const ctm_targets *t, const ctm_results *res, ctm_ctx *ctx)
{
	for (size_t i = 0; t && i < t->count; i++) {
		const target_entry *e = &t->entries[i];
		int found = !e->region;
		for (size_t g = 0; !found && g < res->group_count; g++)
			found = strcmp(res->groups[g].region, e->region) == 0;
		if (!found)
			ctm_diag__warning(ctx, t->name, e->line, 1,
					  "the target for region '%s' matches no region of the "
					  "responses (regions are compared exactly)",
					  e->region);
	}
}
