/*
 * Names as people mean them: the spellings of a partner, region, wave or
 * role that are one name (util/namekey.h: case, Unicode compatibility forms,
 * white space), shown as first seen; and the user's fixes, --aliases (CSV
 * column,from,to: a value read as another) and --exclude (CSV column,value:
 * rows with that value left out, each counted as "excluded by FILE:LINE").
 * A fix's value matches by name key too, so "Dept. of Health" in the file and
 * "dept. of  health" in the alias are one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "rubric_internal.h"
#include "dataset_internal.h"
#include "diag.h"
#include "grow.h"
#include "namekey.h"
#include "text.h"

static const char *const columns[5] = { "region", "wave", "partner", "respondent", "role" };

static int canonical_by_key(ctm_dataset *ds, int k, const char **s, size_t *len);

int ctm_names__canonical(ctm_dataset *ds, int k, const char **s, size_t *len)
{
	/* a spelling seen before, byte for byte: no folding (the common case) */
	uint64_t rh = ctm_hashmap__hash(*s, *len);
	const ctm_hashmap_slot *raw = ctm_hashmap__get(&ds->raw_canon[k], *s, *len, rh);
	if (raw) {
		*s = ds->spellings[raw->value].s;
		*len = ds->spellings[raw->value].len;
		return CTM_OK;
	}
	const char *given = *s;
	size_t given_len = *len;
	int rc = canonical_by_key(ds, k, s, len);
	if (rc != CTM_OK)
		return rc;
	/* remember this spelling: the index of the one it maps to */
	const ctm_hashmap_slot *key = ctm_hashmap__get(&ds->canon[k], ds->name_key.s,
						       ds->name_key.len,
						       ctm_hashmap__hash(ds->name_key.s, ds->name_key.len));
	/* the spelling's own bytes, when this is the first spelling (the name
	 * is new, or so spelt before): no second copy of every distinct name
	 * (issue 21: regions and partners can be one per group) */
	const char *copy = *len == given_len && memcmp(*s, given, given_len) == 0
				   ? *s
				   : ctm_arena__strndup(&ds->arena, given, given_len);
	if (!key || !copy || ctm_hashmap__put(&ds->raw_canon[k], copy, given_len, rh, key->value))
		return CTM_ENOMEM;
	return CTM_OK;
}

int ctm_names__find(const ctm_dataset *ds, int k, const char **s, size_t *len)
{
	uint64_t rh = ctm_hashmap__hash(*s, *len);
	const ctm_hashmap_slot *slot = ctm_hashmap__get(&ds->raw_canon[k], *s, *len, rh);
	if (!slot) {
		ctm_strbuf key = CTM_STRBUF_INIT;
		if (ctm_namekey__make(&key, *s, *len)) {
			ctm_strbuf__free(&key);
			return CTM_ENOMEM;
		}
		slot = ctm_hashmap__get(&ds->canon[k], key.s, key.len,
					ctm_hashmap__hash(key.s, key.len));
		ctm_strbuf__free(&key);
	}
	if (slot) {
		*s = ds->spellings[slot->value].s;
		*len = ds->spellings[slot->value].len;
	}
	return CTM_OK;
}

static int canonical_by_key(ctm_dataset *ds, int k, const char **s, size_t *len)
{
	if (ctm_namekey__make(&ds->name_key, *s, *len))
		return CTM_ENOMEM;
	const char *key = ds->name_key.s;
	size_t klen = ds->name_key.len;
	uint64_t h = ctm_hashmap__hash(key, klen);
	const ctm_hashmap_slot *slot = ctm_hashmap__get(&ds->canon[k], key, klen, h);
	if (slot) {
		*s = ds->spellings[slot->value].s;
		*len = ds->spellings[slot->value].len;
		return CTM_OK;
	}
	char *stored_key = ctm_arena__strndup(&ds->arena, key, klen);
	char *spelling = ctm_arena__strndup(&ds->arena, *s, *len);
	if (!stored_key || !spelling ||
	    ctm_grow__reserve((void **)&ds->spellings, &ds->spelling_cap, ds->spelling_count + 1,
			      sizeof(*ds->spellings)) ||
	    ctm_hashmap__put(&ds->canon[k], stored_key, klen, h, ds->spelling_count))
		return CTM_ENOMEM;
	ds->spellings[ds->spelling_count++] = (ctm_name_spelling){ spelling, *len };
	*s = spelling;
	return CTM_OK;
}

ctm_name_fix *ctm_names__fix(ctm_dataset *ds, int k, const char *s, size_t len, int exclude)
{
	ctm_hashmap *map = exclude ? &ds->exclude_index[k] : &ds->alias_index[k];
	if (map->count == 0 || ctm_namekey__make(&ds->name_key, s, len))
		return NULL;
	const ctm_hashmap_slot *slot =
		ctm_hashmap__get(map, ds->name_key.s, ds->name_key.len,
				 ctm_hashmap__hash(ds->name_key.s, ds->name_key.len));
	return slot ? &ds->fixes[slot->value] : NULL;
}

static int column_of(const char *s, size_t len)
{
	for (int k = 0; k < 5; k++)
		if (ctm_text__fold_equal(s, len, columns[k], strlen(columns[k])))
			return k;
	return -1;
}

/* One file of fixes: aliases (3 fields) or exclusions (2). */
static int load_file(ctm_dataset *ds, const char *path, int exclude, ctm_ctx *ctx)
{
	const size_t want = exclude ? 2 : 3;
	const char *what = exclude ? "an --exclude row has 2 fields (column,value)"
				   : "an --aliases row has 3 fields (column,from,to)";
	ctm_csv *csv = NULL;
	const ctm_csv_field *f;
	size_t n, errors_before = ctm_ctx_error_count(ctx), rows = 0;
	int bad, got, rc;
	const char *file = ctm_arena__strdup(&ds->arena, path);

	if (!file)
		return CTM_ENOMEM;
	if ((rc = ctm_csv__open_file(&csv, path, NULL, ctx)) != CTM_OK)
		return rc;
	while ((got = ctm_csv__next(csv, &f, &n, &bad)) > 0) {
		if (bad || (n == 1 && f[0].len == 0))
			continue;
		const char *col = f[0].data;
		size_t cl = f[0].len;
		ctm_text__trim(&col, &cl);
		/* a header row, "column,from,to" or "column,value" */
		if (rows++ == 0 && ctm_text__fold_equal(col, cl, "column", 6))
			continue;
		if (n != want) {
			ctm_diag__error(ctx, path, f[0].line, f[0].column, "%s, this one has %zu",
					what, n);
			continue;
		}
		int k = column_of(col, cl);
		if (k < 0 || (!exclude && k == 3)) {
			ctm_diag__error(ctx, path, f[0].line, f[0].column,
					"'%.*s' is not a column %s (%s)", (int)(cl > 60 ? 60 : cl),
					col, exclude ? "rows can be left out by" : "that takes aliases",
					exclude ? "region, wave, partner, respondent or role"
						: "region, wave, partner or role");
			continue;
		}
		const char *from = f[1].data;
		size_t fl = f[1].len;
		ctm_text__trim(&from, &fl);
		const char *to = exclude ? NULL : f[2].data;
		size_t tl = exclude ? 0 : f[2].len;
		if (to)
			ctm_text__trim(&to, &tl);
		if (fl == 0 || (!exclude && tl == 0)) {
			const ctm_csv_field *e = fl == 0 ? &f[1] : &f[2];
			ctm_diag__error(ctx, path, e->line, e->column, "an empty %s",
					fl == 0 ? (exclude ? "value" : "'from'") : "'to'");
			continue;
		}
		if (ctm_namekey__make(&ds->name_key, from, fl))
			goto oom;
		ctm_hashmap *map = exclude ? &ds->exclude_index[k] : &ds->alias_index[k];
		uint64_t h = ctm_hashmap__hash(ds->name_key.s, ds->name_key.len);
		const ctm_hashmap_slot *slot =
			ctm_hashmap__get(map, ds->name_key.s, ds->name_key.len, h);
		if (slot) {
			const ctm_name_fix *was = &ds->fixes[slot->value];
			if (!exclude && !ctm_text__fold_equal(was->to, was->to_len, to, tl))
				ctm_diag__error(ctx, path, f[1].line, f[1].column,
						"%s '%.*s' has an alias already (line %lu), to another "
						"name",
						columns[k], (int)(fl > 60 ? 60 : fl), from, was->line);
			continue; /* the same fix twice: once is enough */
		}
		char reason[320];
		snprintf(reason, sizeof(reason), "excluded by %.200s:%lu", path, f[0].line);
		ctm_name_fix fix = { k,
				     ctm_arena__strndup(&ds->arena, from, fl),
				     to ? ctm_arena__strndup(&ds->arena, to, tl) : NULL,
				     tl,
				     exclude ? ctm_arena__strdup(&ds->arena, reason) : NULL,
				     file,
				     f[0].line,
				     0 };
		char *key = ctm_arena__strndup(&ds->arena, ds->name_key.s, ds->name_key.len);
		if (!fix.from || (!exclude && !fix.to) || (exclude && !fix.reason) || !key ||
		    ctm_grow__reserve((void **)&ds->fixes, &ds->fix_cap, ds->fix_count + 1,
				      sizeof(*ds->fixes)) ||
		    ctm_hashmap__put(map, key, ds->name_key.len, h, ds->fix_count))
			goto oom;
		ds->fixes[ds->fix_count++] = fix;
	}
	ctm_csv__free(csv);
	if (got < 0)
		return got;
	return ctm_ctx_error_count(ctx) > errors_before ? CTM_EINVALID : CTM_OK;
oom:
	ctm_csv__free(csv);
	return CTM_ENOMEM;
}

int ctm_names__load_fixes(ctm_dataset *ds, const char *aliases, const char *exclude,
			  ctm_ctx *ctx)
{
	int rc = CTM_OK, r;
	if (aliases && (r = load_file(ds, aliases, 0, ctx)) != CTM_OK)
		rc = r;
	if (exclude && (r = load_file(ds, exclude, 1, ctx)) != CTM_OK && rc == CTM_OK)
		rc = r;
	return rc;
}

void ctm_names__unused_fixes(const ctm_dataset *ds, ctm_ctx *ctx)
{
	for (size_t i = 0; i < ds->fix_count; i++) {
		const ctm_name_fix *x = &ds->fixes[i];
		if (x->hits)
			continue;
		if (x->to)
			ctm_diag__warning(ctx, x->file, x->line, 1,
					  "the alias of %s '%s' matched no row: no %s is called that",
					  columns[x->column], x->from, columns[x->column]);
		else
			ctm_diag__warning(ctx, x->file, x->line, 1,
					  "the exclusion of %s '%s' matched no row: no %s is called "
					  "that",
					  columns[x->column], x->from, columns[x->column]);
	}
}

/* The names a test is given: a word of a partner's or respondent's name. */
static const char *const test_words[] = { "test", "tests", "testing", "tester", "demo",
					  "preview", "dummy", "sample", "example", "fake" };

static const char *test_word(ctm_dataset *ds, const char *s, size_t len)
{
	const char *const *words = test_words;
	if (!len || ctm_namekey__loose(&ds->name_key, s, len))
		return NULL;
	const char *p = ds->name_key.s, *end = p + ds->name_key.len;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		size_t wl = (size_t)((sp ? sp : end) - p);
		for (size_t k = 0; k < sizeof(test_words) / sizeof(test_words[0]); k++)
			if (wl == strlen(words[k]) && memcmp(p, words[k], wl) == 0)
				return words[k];
		p += wl + 1;
	}
	return NULL;
}

/* Every item's highest and lowest answer: a level's 1 and L, an option's
 * lowest and highest score (NaN when the item has no scored option). */
static int item_extremes(ctm_dataset *ds)
{
	const ctm_rubric *r = ds->rubric;
	if (!(ds->item_top = calloc(ds->matched ? ds->matched : 1, sizeof(double))) ||
	    !(ds->item_bottom = calloc(ds->matched ? ds->matched : 1, sizeof(double))))
		return CTM_ENOMEM;
	for (size_t i = 0; i < ds->matched; i++) {
		double lo = NAN, hi = NAN;
		if (i < ds->dims) {
			lo = 1;
			hi = (double)r->level_count;
		} else {
			const ctm_scale *sc = r->questions[i - ds->dims].scale;
			for (size_t o = 0; sc && o < sc->option_count; o++) {
				double v = sc->options[o].score;
				if (sc->options[o].missing || isnan(v))
					continue;
				if (isnan(lo) || v < lo)
					lo = v;
				if (isnan(hi) || v > hi)
					hi = v;
			}
		}
		ds->item_bottom[i] = lo;
		ds->item_top[i] = hi;
	}
	return CTM_OK;
}

int ctm_names__check_row(ctm_dataset *ds, const char *const *keys, const size_t *lens,
			 const double *values, const int *has_value, size_t file,
			 unsigned long line)
{
	/* a partner's name is looked at once: keys[2] is its first spelling */
	const char *why = NULL;
	uint64_t ph = ctm_hashmap__hash(keys[2], lens[2]);
	const ctm_hashmap_slot *seen = ctm_hashmap__get(&ds->partner_test, keys[2], lens[2], ph);
	if (seen) {
		why = seen->value ? test_words[seen->value - 1] : NULL;
	} else {
		why = test_word(ds, keys[2], lens[2]);
		size_t idx = 0;
		for (size_t k = 0; why && k < sizeof(test_words) / sizeof(test_words[0]); k++)
			if (test_words[k] == why)
				idx = k + 1;
		if (ctm_hashmap__put(&ds->partner_test, keys[2], lens[2], ph, idx))
			return CTM_ENOMEM;
	}
	if (!why)
		why = test_word(ds, keys[3], lens[3]);
	int all_top = 0;
	if (!why) {
		if (!ds->item_top && item_extremes(ds) != CTM_OK)
			return CTM_ENOMEM;
		/* every one of at least three answers the top one, or every the
		 * bottom one: no partnership is that uniform, a test click-through is */
		size_t answered = 0, top = 0, bottom = 0;
		for (size_t i = 0; i < ds->matched; i++) {
			if (!has_value[i] || isnan(ds->item_top[i]) ||
			    ds->item_top[i] == ds->item_bottom[i])
				continue;
			answered++;
			top += values[i] == ds->item_top[i];
			bottom += values[i] == ds->item_bottom[i];
		}
		all_top = answered >= 3 && (top == answered || bottom == answered) ? 1 + (top != answered)
										     : 0;
		if (!all_top)
			return CTM_OK;
	}
	ds->suspect_total++;
	if (ds->suspect_count >= CTM_SUSPECT_ROWS_KEPT)
		return CTM_OK;
	if (ctm_grow__reserve((void **)&ds->suspects, &ds->suspect_cap, ds->suspect_count + 1,
			      sizeof(*ds->suspects)))
		return CTM_ENOMEM;
	/* the keys are the names' first spellings, kept in the arena already */
	ds->suspects[ds->suspect_count++] =
		(ctm_suspect_row){ keys[0], keys[1], keys[2], file, line, all_top, why };
	return CTM_OK;
}

typedef struct keyed_group {
	const ctm_group_acc *g;
	char *region, *wave; /* name keys */
	size_t rlen, wlen;
} keyed_group;

static int cmp_keyed(const void *x, const void *y)
{
	const keyed_group *a = x, *b = y;
	int c = ctm_text__natural_compare(a->region, a->rlen, b->region, b->rlen);
	return c ? c : ctm_text__natural_compare(a->wave, a->wlen, b->wave, b->wlen);
}

int ctm_names__sort_groups(const ctm_group_acc **order, size_t n)
{
	keyed_group *k = calloc(n ? n : 1, sizeof(*k));
	ctm_strbuf key = CTM_STRBUF_INIT;
	int rc = k ? CTM_OK : CTM_ENOMEM;

	for (size_t i = 0; rc == CTM_OK && i < n; i++) {
		k[i].g = order[i];
		if (ctm_namekey__make(&key, order[i]->region, order[i]->region_len) ||
		    !(k[i].region = malloc(key.len + 1)))
			rc = CTM_ENOMEM;
		else {
			memcpy(k[i].region, key.s, key.len + 1);
			k[i].rlen = key.len;
		}
		if (rc == CTM_OK && (ctm_namekey__make(&key, order[i]->wave, order[i]->wave_len) ||
				     !(k[i].wave = malloc(key.len + 1))))
			rc = CTM_ENOMEM;
		else if (rc == CTM_OK) {
			memcpy(k[i].wave, key.s, key.len + 1);
			k[i].wlen = key.len;
		}
	}
	if (rc == CTM_OK) {
		qsort(k, n, sizeof(*k), cmp_keyed);
		for (size_t i = 0; i < n; i++)
			order[i] = k[i].g;
	}
	for (size_t i = 0; k && i < n; i++) {
		free(k[i].region);
		free(k[i].wave);
	}
	free(k);
	ctm_strbuf__free(&key);
	return rc;
}

void ctm_names__free(ctm_dataset *ds)
{
	free(ds->item_top);
	free(ds->item_bottom);
	for (int k = 0; k < 5; k++) {
		ctm_hashmap__free(&ds->canon[k]);
		ctm_hashmap__free(&ds->raw_canon[k]);
		ctm_hashmap__free(&ds->alias_index[k]);
		ctm_hashmap__free(&ds->exclude_index[k]);
	}
	ctm_hashmap__free(&ds->partner_test);
	free(ds->spellings);
	free(ds->fixes);
	free(ds->inputs);
	free(ds->repeats);
	free(ds->suspects);
	ctm_strbuf__free(&ds->name_key);
}
