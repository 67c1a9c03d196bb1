/* --targets FILE: per-dimension targets, optionally per region. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "dataset_internal.h"
#include "diag.h"
#include "score_internal.h"
#include "text.h"
#include "grow.h"
#include "hashmap.h"

typedef struct target_entry {
	size_t dimension;
	const char *region; /* NULL: every region */
	int target;
	unsigned long line; /* in the file, for messages */
	size_t rows;        /* the first row of its (dimension, region): rows with it so far */
} target_entry;

/* A row's key: its dimension and region (0: none; else a number from
 * regions), as bytes for the hash map. */
typedef struct entry_key {
	size_t dimension;
	size_t region;
} entry_key;

struct ctm_targets {
	ctm_arena arena;
	const char *name; /* the file, for messages */
	target_entry *entries;
	size_t count, cap;
	/* Looked up per group and dimension while scoring: hashed (issue 21). */
	ctm_hashmap regions; /* region (an entry's) -> its number, from 1 */
	ctm_hashmap keys;    /* entry_key (in the arena) -> the first entry with it */
};

void ctm_targets_free(ctm_targets *t)
{
	if (!t)
		return;
	ctm_hashmap__free(&t->regions);
	ctm_hashmap__free(&t->keys);
	ctm_arena__free(&t->arena);
	free(t->entries);
	free(t);
}

/* The number of a region in t->regions, or 0 when no entry names it. */
static size_t region_number(const ctm_targets *t, const char *region)
{
	if (!region)
		return 0;
	size_t len = strlen(region);
	const ctm_hashmap_slot *s = ctm_hashmap__get(&t->regions, region, len,
						     ctm_hashmap__hash(region, len));
	return s ? s->value : 0;
}

/* The first entry of (d, region number), or SIZE_MAX. */
static size_t find_entry(const ctm_targets *t, size_t d, size_t region)
{
	entry_key k;
	memset(&k, 0, sizeof(k));
	k.dimension = d;
	k.region = region;
	const ctm_hashmap_slot *s = ctm_hashmap__get(
		&t->keys, (const char *)&k, sizeof(k),
		ctm_hashmap__hash((const char *)&k, sizeof(k)));
	return s ? s->value : SIZE_MAX;
}

/* A loaded file has one row per (dimension, region) at most: a second is an
 * error, and a file with an error is not loaded. */
int ctm_targets__lookup(const ctm_targets *t, size_t d, const char *region)
{
	if (!t)
		return 0;
	size_t rn = region_number(t, region);
	size_t e = rn ? find_entry(t, d, rn) : SIZE_MAX;
	if (e == SIZE_MAX)
		e = find_entry(t, d, 0);
	return e != SIZE_MAX ? t->entries[e].target : 0;
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

static int read_rows(ctm_targets *t, ctm_csv *csv, const char *name, const ctm_rubric *r,
		     const ctm_hashmap *dims, int col_dim, int col_target, int col_region,
		     size_t width, ctm_ctx *ctx);

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
	/* dimensions by id (the last with it, as a walk that kept the last
	 * match found; ids are unique in a loaded rubric) */
	ctm_hashmap dims = CTM_HASHMAP_INIT;
	for (size_t i = r->dimension_count; i-- > 0;) {
		const char *id = r->dimensions[i].id;
		size_t len = strlen(id);
		uint64_t h = ctm_hashmap__hash(id, len);
		if (!ctm_hashmap__get(&dims, id, len, h) &&
		    ctm_hashmap__put(&dims, id, len, h, i)) {
			ctm_hashmap__free(&dims);
			return CTM_ENOMEM;
		}
	}
	int rc = read_rows(t, csv, name, r, &dims, col_dim, col_target, col_region, n, ctx);
	ctm_hashmap__free(&dims);
	if (rc != CTM_OK)
		return rc;
	if (t->count == 0 && ctm_ctx_error_count(ctx) == errors_before)
		ctm_diag__error(ctx, name, 1, 1,
				"the targets file has a header but no rows: no target is set");
	return ctm_ctx_error_count(ctx) > errors_before ? CTM_EINVALID : CTM_OK;
}

/* The rows after the header, width fields each. 0 or a fatal error. */
static int read_rows(ctm_targets *t, ctm_csv *csv, const char *name, const ctm_rubric *r,
		     const ctm_hashmap *dims, int col_dim, int col_target, int col_region,
		     size_t width, ctm_ctx *ctx)
{
	const ctm_csv_field *f;
	size_t n;
	int bad, got;

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
		const ctm_hashmap_slot *slot = ctm_hashmap__get(dims, d, dl,
								ctm_hashmap__hash(d, dl));
		size_t dim = slot ? slot->value : SIZE_MAX;
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
		size_t rn = 0;
		if (col_region >= 0) {
			const char *rg = f[col_region].data;
			size_t rl = f[col_region].len;
			ctm_text__trim(&rg, &rl);
			if (rl) {
				region = ctm_arena__strndup(&t->arena, rg, rl);
				if (!region)
					return CTM_ENOMEM;
				size_t len = strlen(region);
				uint64_t h = ctm_hashmap__hash(region, len);
				const ctm_hashmap_slot *s = ctm_hashmap__get(&t->regions, region,
									     len, h);
				rn = s ? s->value : t->regions.count + 1;
				if (!s && ctm_hashmap__put(&t->regions, region, len, h, rn))
					return CTM_ENOMEM;
			}
		}
		if (ctm_grow__reserve((void **)&t->entries, &t->cap, t->count + 1,
				      sizeof(*t->entries)))
			return CTM_ENOMEM;
		/* once for every row before it with the same dimension and region */
		size_t first = find_entry(t, dim, rn);
		target_entry *same = first != SIZE_MAX ? &t->entries[first] : NULL;
		for (size_t k = same ? same->rows : 0; k > 0; k--)
			ctm_diag__error(ctx, name, f[0].line, 1,
					"a second target for dimension '%s'%s%s",
					r->dimensions[dim].id, region ? " in region " : "",
					region ? region : "");
		if (same) {
			same->rows++;
		} else {
			entry_key *k = ctm_arena__alloc(&t->arena, sizeof(*k));
			if (!k)
				return CTM_ENOMEM;
			memset(k, 0, sizeof(*k));
			k->dimension = dim;
			k->region = rn;
			if (ctm_hashmap__put(&t->keys, (const char *)k, sizeof(*k),
					     ctm_hashmap__hash((const char *)k, sizeof(*k)),
					     t->count))
				return CTM_ENOMEM;
		}
		t->entries[t->count++] = (target_entry){ dim, region, level, f[0].line, 1 };
	}
	return got < 0 ? got : CTM_OK;
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
	ctm_hashmap seen = CTM_HASHMAP_INIT; /* the groups' regions */
	int indexed = 1;

	if (!t)
		return;
	for (size_t g = 0; g < res->group_count && indexed; g++) {
		const char *rg = res->groups[g].region;
		size_t len = strlen(rg);
		uint64_t h = ctm_hashmap__hash(rg, len);
		if (!ctm_hashmap__get(&seen, rg, len, h) && ctm_hashmap__put(&seen, rg, len, h, g))
			indexed = 0; /* out of memory: compare with every group */
	}
	for (size_t i = 0; i < t->count; i++) {
		const target_entry *e = &t->entries[i];
		int found = !e->region;
		if (!found && indexed) {
			size_t len = strlen(e->region);
			found = ctm_hashmap__get(&seen, e->region, len,
						 ctm_hashmap__hash(e->region, len)) != NULL;
		}
		for (size_t g = 0; !found && !indexed && g < res->group_count; g++)
			found = strcmp(res->groups[g].region, e->region) == 0;
		if (!found)
			ctm_diag__warning(ctx, t->name, e->line, 1,
					  "the target for region '%s' matches no region of the "
					  "responses (regions are compared exactly)",
					  e->region);
	}
	ctm_hashmap__free(&seen);
}
