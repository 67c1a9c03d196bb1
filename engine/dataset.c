/*
 * Reading responses into a data set: one pass over each file, one row at a
 * time, straight into running sums per (group, unit, item).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dataset_internal.h"
#include "diag.h"
#include "text.h"

/* Lenient-mode reasons: fixed texts so that they count up. */
#define WHY_CELL_LEVEL "placement answer that is not a level of the rubric"
#define WHY_CELL_OPTION "diagnostic answer that is not an option of its scale"
#define WHY_ROW_KEY "row without region, wave or partner"
#define WHY_ROW_DUPLICATE "duplicate respondent id in a group"
#define WHY_ROW_WIDTH "row with more or fewer fields than the header"
#define WHY_BLANK "blank line"

int ctm_dataset_new(ctm_dataset **out, const ctm_rubric *rubric, const ctm_read_options *opts,
		    ctm_ctx *ctx)
{
	ctm_read_options defaults = CTM_READ_OPTIONS_INIT;
	ctm_dataset *ds = NULL;
	int rc = CTM_OK;

	if (!out || !rubric)
		return CTM_EUSAGE;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != CTM_READ_OPTIONS_VERSION)
		return CTM_EUSAGE;
	ds = calloc(1, sizeof(*ds));
	if (!ds)
		return CTM_ENOMEM;
	ds->rubric = rubric;
	ds->lenient = opts->lenient != 0;
	ds->aggregate = opts->aggregate == CTM_AGGREGATE_FROM_RUBRIC ? rubric->aggregate
								  : (ctm_aggregate)opts->aggregate;
	ds->dims = rubric->dimension_count;
	ds->items = rubric->dimension_count + rubric->question_count;
	rc = ctm__build_matchers(ds);
	if (rc == CTM_OK && opts->map_path)
		rc = ctm__load_map(ds, opts->map_path, ctx);
	if (rc != CTM_OK) {
		ctm_dataset_free(ds);
		return rc;
	}
	*out = ds;
	return CTM_OK;
}

static void free_group(ctm_group_acc *g)
{
	if (!g)
		return;
	ctm_hashmap_free(&g->unit_index);
	ctm_hashmap_free(&g->partners);
	ctm_idset_free(&g->respondent_ids);
	ctm_hashmap_free(&g->role_index);
	free(g->unit_names);
	free(g->sums);
	free(g->counts);
	free(g->role_names);
	free(g->role_respondents);
	free(g->role_sums);
	free(g->role_counts);
	free(g);
}

void ctm_dataset_free(ctm_dataset *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; i < ds->group_count; i++)
		free_group(ds->groups[i]);
	free(ds->groups);
	ctm_hashmap_free(&ds->group_index);
	free(ds->renames);
	free(ds->exclusions);
	ctm_arena_free(&ds->arena);
	free(ds);
}

void ctm_dataset_set_progress(ctm_dataset *ds, ctm_progress_fn fn, void *user)
{
	ds->progress = fn;
	ds->progress_user = user;
}

const ctm_rubric *ctm_dataset_rubric(const ctm_dataset *ds) { return ds->rubric; }
ctm_aggregate ctm_dataset_aggregate(const ctm_dataset *ds) { return ds->aggregate; }
size_t ctm_dataset_row_count(const ctm_dataset *ds) { return ds->rows; }
size_t ctm_dataset_group_count(const ctm_dataset *ds) { return ds->group_count; }
size_t ctm_dataset_exclusion_count(const ctm_dataset *ds) { return ds->exclusion_count; }
const ctm_exclusion *ctm_dataset_exclusion(const ctm_dataset *ds, size_t i)
{
	return i < ds->exclusion_count ? &ds->exclusions[i] : NULL;
}

/* Counts one exclusion under its reason. reason must be a string literal or
 * live as long as the data set. Returns 0 or CTM_ENOMEM. */
static int exclude(ctm_dataset *ds, const char *reason, int whole_rows, const char *file,
		   unsigned long line, unsigned long column)
{
	for (size_t i = 0; i < ds->exclusion_count; i++) {
		if (strcmp(ds->exclusions[i].reason, reason) == 0) {
			ds->exclusions[i].count++;
			return CTM_OK;
		}
	}
	if (ds->exclusion_count == ds->exclusion_cap) {
		size_t cap = ds->exclusion_cap ? ds->exclusion_cap * 2 : 8;
		ctm_exclusion *grown = realloc(ds->exclusions, cap * sizeof(*grown));
		if (!grown)
			return CTM_ENOMEM;
		ds->exclusions = grown;
		ds->exclusion_cap = cap;
	}
	const char *file_copy = ctm_arena_strdup(&ds->arena, file);
	if (!file_copy)
		return CTM_ENOMEM;
	ds->exclusions[ds->exclusion_count++] =
		(ctm_exclusion){ reason, 1, whole_rows, file_copy, line, column };
	return CTM_OK;
}

/* Grows an array of n elements of size to hold at least want; 0 or -1. */
static int grow_array(void **p, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < want) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return -1;
	void *grown = realloc(*p, ncap * size);
	if (!grown)
		return -1;
	*p = grown;
	*cap = ncap;
	return 0;
}

static ctm_group_acc *find_or_add_group(ctm_dataset *ds, const char *region, size_t rlen,
					const char *wave, size_t wlen)
{
	char stack_key[256];
	char *key = stack_key;
	size_t klen = rlen + 1 + wlen;
	ctm_group_acc *g = NULL;

	if (klen > sizeof(stack_key)) {
		key = malloc(klen);
		if (!key)
			return NULL;
	}
	memcpy(key, region, rlen);
	key[rlen] = '\0';
	memcpy(key + rlen + 1, wave, wlen);
	uint64_t h = ctm_hash_bytes(key, klen);
	const ctm_hashmap_slot *slot = ctm_hashmap_get(&ds->group_index, key, klen, h);
	if (slot) {
		g = ds->groups[slot->value];
		goto cleanup;
	}
	size_t cap = ds->group_cap;
	if (grow_array((void **)&ds->groups, &cap, ds->group_count + 1, sizeof(*ds->groups)))
		goto cleanup;
	ds->group_cap = cap;
	char *stored = ctm_arena_alloc(&ds->arena, klen + 1);
	ctm_group_acc *ng = calloc(1, sizeof(*ng));
	if (!stored || !ng) {
		free(ng);
		goto cleanup;
	}
	memcpy(stored, key, klen);
	stored[klen] = '\0';
	ng->region = stored;
	ng->wave = stored + rlen + 1;
	ng->index = ds->group_count;
	if (ctm_hashmap_put(&ds->group_index, stored, klen, h, ds->group_count)) {
		free(ng);
		goto cleanup;
	}
	ds->groups[ds->group_count++] = ng;
	g = ng;

cleanup:
	if (key != stack_key)
		free(key);
	return g;
}

/* The index of name in a map of names, adding it if new; SIZE_MAX on OOM.
 * *added tells whether it was new. */
static size_t intern(ctm_dataset *ds, ctm_hashmap *map, const char *name, size_t len,
		     size_t next_index, int *added)
{
	uint64_t h = ctm_hash_bytes(name, len);
	const ctm_hashmap_slot *slot = ctm_hashmap_get(map, name, len, h);
	*added = 0;
	if (slot)
		return slot->value;
	char *stored = ctm_arena_strndup(&ds->arena, name, len);
	if (!stored || ctm_hashmap_put(map, stored, len, h, next_index))
		return SIZE_MAX;
	*added = 1;
	return next_index;
}

/* Reallocates *p to hold n elements of size, checking the multiplication. */
static int resize(void **p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return -1;
	void *grown = realloc(*p, (n ? n : 1) * size);
	if (!grown)
		return -1;
	*p = grown;
	return 0;
}

static size_t add_unit(ctm_dataset *ds, ctm_group_acc *g, const char *name, size_t len)
{
	int added;
	size_t u = intern(ds, &g->unit_index, name, len, g->unit_count, &added);
	if (u == SIZE_MAX || !added)
		return u;
	if (g->unit_count == g->unit_cap) {
		size_t cap = g->unit_cap ? g->unit_cap * 2 : 8;
		if (cap > SIZE_MAX / (ds->items + 1) ||
		    resize((void **)&g->unit_names, cap, sizeof(*g->unit_names)) ||
		    resize((void **)&g->sums, cap * ds->items, sizeof(*g->sums)) ||
		    resize((void **)&g->counts, cap * ds->items, sizeof(*g->counts)))
			return SIZE_MAX;
		g->unit_cap = cap;
	}
	const ctm_hashmap_slot *slot = ctm_hashmap_get(&g->unit_index, name, len,
						       ctm_hash_bytes(name, len));
	g->unit_names[u] = slot->key;
	memset(&g->sums[u * ds->items], 0, ds->items * sizeof(*g->sums));
	memset(&g->counts[u * ds->items], 0, ds->items * sizeof(*g->counts));
	g->unit_count++;
	return u;
}

static size_t add_role(ctm_dataset *ds, ctm_group_acc *g, const char *name, size_t len)
{
	int added;
	size_t r = intern(ds, &g->role_index, name, len, g->role_count, &added);
	if (r == SIZE_MAX || !added)
		return r;
	if (g->role_count == g->role_cap) {
		size_t cap = g->role_cap ? g->role_cap * 2 : 4;
		if (cap > SIZE_MAX / (ds->dims + 1) ||
		    resize((void **)&g->role_names, cap, sizeof(*g->role_names)) ||
		    resize((void **)&g->role_respondents, cap, sizeof(*g->role_respondents)) ||
		    resize((void **)&g->role_sums, cap * ds->dims, sizeof(*g->role_sums)) ||
		    resize((void **)&g->role_counts, cap * ds->dims, sizeof(*g->role_counts)))
			return SIZE_MAX;
		g->role_cap = cap;
	}
	const ctm_hashmap_slot *slot = ctm_hashmap_get(&g->role_index, name, len,
						       ctm_hash_bytes(name, len));
	g->role_names[r] = slot->key;
	g->role_respondents[r] = 0;
	memset(&g->role_sums[r * ds->dims], 0, ds->dims * sizeof(*g->role_sums));
	memset(&g->role_counts[r * ds->dims], 0, ds->dims * sizeof(*g->role_counts));
	g->role_count++;
	return r;
}

/* Per-file reading state. */
typedef struct reader {
	ctm_dataset *ds;
	ctm_ctx *ctx;        /* where errors go */
	const char *file;
	ctm_column *columns;
	size_t column_count;
	int key_col[5];      /* region, wave, partner, respondent, role: column or -1 */
	double *values;      /* per item: the row's value, NaN when missing */
	int *has_value;
	size_t rows;
	int oom;
} reader;

static const char *const key_names[] = { "region", "wave", "partner" };

static int read_row(reader *rd, const ctm_csv_field *f, size_t n, unsigned long record_line)
{
	ctm_dataset *ds = rd->ds;
	const ctm_rubric *rub = ds->rubric;
	int row_ok = 1;
	const char *key[5] = { NULL, NULL, NULL, NULL, NULL };
	size_t key_len[5] = { 0, 0, 0, 0, 0 };

	if (n != rd->column_count) {
		unsigned long col = n > rd->column_count ? f[rd->column_count].column
							 : f[n - 1].column + f[n - 1].len;
		if (ds->lenient)
			return exclude(ds, WHY_ROW_WIDTH, 1, rd->file, record_line, col);
		ctm__error(rd->ctx, rd->file, n > rd->column_count ? f[rd->column_count].line : f[n - 1].line,
			   col, "row has %zu field%s, the header has %zu", n, n == 1 ? "" : "s",
			   rd->column_count);
		return CTM_EINVALID;
	}

	for (int k = 0; k < 5; k++) {
		if (rd->key_col[k] < 0)
			continue;
		key[k] = f[rd->key_col[k]].data;
		key_len[k] = f[rd->key_col[k]].len;
		ctm__trim(&key[k], &key_len[k]);
	}
	for (int k = 0; k < 3; k++) {
		if (key_len[k])
			continue;
		if (ds->lenient)
			return exclude(ds, WHY_ROW_KEY, 1, rd->file, record_line,
				       f[rd->key_col[k]].column);
		ctm__error(rd->ctx, rd->file, f[rd->key_col[k]].line, f[rd->key_col[k]].column,
			   "empty %s: every row needs a region, a wave and a partner", key_names[k]);
		row_ok = 0;
	}

	/* The group and the duplicate check come before the answers, so that a
	 * duplicate row with bad cells is reported (strict) as both, and left
	 * out (lenient) before its cells are counted as exclusions. */
	ctm_group_acc *g = NULL;
	if (row_ok) {
		g = find_or_add_group(ds, key[0], key_len[0], key[1], key_len[1]);
		if (!g)
			return CTM_ENOMEM;
	}

	/* A respondent id may appear once per group. */
	if (g && key_len[3]) {
		unsigned long first = 0;
		int seen = ctm_idset_add(&g->respondent_ids, &ds->arena, key[3], key_len[3],
					 record_line, &first);
		if (seen < 0)
			return CTM_ENOMEM;
		if (seen) {
			char where[48] = "seen before in this group";
			if (first)
				snprintf(where, sizeof(where), "first on line %lu", first);
			if (ds->lenient)
				return exclude(ds, WHY_ROW_DUPLICATE, 1, rd->file, record_line,
					       f[rd->key_col[3]].column);
			ctm__error(rd->ctx, rd->file, f[rd->key_col[3]].line, f[rd->key_col[3]].column,
				   "duplicate respondent '%.*s' in region '%s', wave '%s' (%s)",
				   (int)(key_len[3] > 80 ? 80 : key_len[3]), key[3], g->region, g->wave,
				   where);
			row_ok = 0;
		}
	}

	/* Answers. */
	for (size_t c = 0; c < n; c++) {
		if (rd->columns[c].kind != CTM_COL_ITEM)
			continue;
		size_t i = rd->columns[c].item;
		const ctm_item_matcher *m = &ds->matchers[i];
		double v = 0;
		ctm_cell_result res = ctm__match_answer(m, f[c].data, f[c].len, rub->level_count, &v);
		rd->has_value[i] = res == CTM_CELL_VALUE;
		rd->values[i] = v;
		if (res != CTM_CELL_INVALID)
			continue;
		if (ds->lenient) {
			if (exclude(ds, m->is_dimension ? WHY_CELL_LEVEL : WHY_CELL_OPTION, 0, rd->file,
				    f[c].line, f[c].column))
				return CTM_ENOMEM;
			continue;
		}
		const char *cell = f[c].data;
		size_t len = f[c].len;
		ctm__trim(&cell, &len);
		if (m->is_dimension)
			ctm__error(rd->ctx, rd->file, f[c].line, f[c].column,
				   "'%.*s' is not a level for dimension '%s': expected 1-%zu or a "
				   "level's id or name",
				   (int)(len > 80 ? 80 : len), cell, m->id, rub->level_count);
		else
			ctm__error(rd->ctx, rd->file, f[c].line, f[c].column,
				   "'%.*s' is not an answer to question '%s': expected one of %s "
				   "(or their labels)",
				   (int)(len > 80 ? 80 : len), cell, m->id, m->expected);
		row_ok = 0;
	}
	if (!row_ok)
		return CTM_EINVALID;

	/* The unit: the partner, or the respondent (its id, else the row itself). */
	size_t u;
	if (ds->aggregate == CTM_AGGREGATE_PARTNER) {
		u = add_unit(ds, g, key[2], key_len[2]);
	} else if (key_len[3]) {
		u = add_unit(ds, g, key[3], key_len[3]);
	} else {
		char anon[64];
		int len = snprintf(anon, sizeof(anon), "row %zu", g->respondent_count + 1);
		/* The leading NUL keeps anonymous rows apart from any real id. */
		char keyed[65];
		keyed[0] = '\0';
		memcpy(keyed + 1, anon, (size_t)len);
		u = add_unit(ds, g, keyed, (size_t)len + 1);
		if (u != SIZE_MAX)
			g->unit_names[u]++; /* show "row N" */
	}
	if (u == SIZE_MAX)
		return CTM_ENOMEM;

	int added;
	if (intern(ds, &g->partners, key[2], key_len[2], g->partner_count, &added) == SIZE_MAX)
		return CTM_ENOMEM;
	g->partner_count += (size_t)added;

	double *sums = &g->sums[u * ds->items];
	uint32_t *counts = &g->counts[u * ds->items];
	for (size_t c = 0; c < n; c++) {
		if (rd->columns[c].kind != CTM_COL_ITEM)
			continue;
		size_t i = rd->columns[c].item;
		if (!rd->has_value[i])
			continue;
		sums[i] += rd->values[i];
		counts[i]++;
	}

	if (rd->key_col[4] >= 0) {
		const char *role = key_len[4] ? key[4] : "(no role)";
		size_t rlen = key_len[4] ? key_len[4] : strlen("(no role)");
		size_t r = add_role(ds, g, role, rlen);
		if (r == SIZE_MAX)
			return CTM_ENOMEM;
		g->role_respondents[r]++;
		for (size_t c = 0; c < n; c++) {
			if (rd->columns[c].kind != CTM_COL_ITEM || rd->columns[c].item >= ds->dims)
				continue;
			size_t d = rd->columns[c].item;
			if (!rd->has_value[d])
				continue;
			g->role_sums[r * ds->dims + d] += rd->values[d];
			g->role_counts[r * ds->dims + d]++;
		}
	}
	g->respondent_count++;
	ds->rows++;
	rd->rows++;
	return CTM_OK;
}

static int all_blank(const ctm_csv_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = f[i].data;
		size_t len = f[i].len;
		ctm__trim(&s, &len);
		if (len)
			return 0;
	}
	return 1;
}

/* Every this many records the progress callback hears how far we are. */
#define PROGRESS_EVERY 16384

/*
 * A record kept past the next ctm_csv_next (whose fields are borrowed until
 * then): the header, and the record after it while deciding whether it is
 * Qualtrics' question-text row. Fields and their bytes share one block.
 */
typedef struct held_record {
	ctm_csv_field *fields;
	size_t count;
	unsigned long line;
} held_record;

static int hold_record(held_record *h, const ctm_csv_field *f, size_t n, unsigned long line)
{
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		if (f[i].len > SIZE_MAX / 2 - bytes)
			return -1;
		bytes += f[i].len + 1;
	}
	if (n > (SIZE_MAX / 2 - bytes) / sizeof(*f))
		return -1;
	ctm_csv_field *copy = malloc(n * sizeof(*f) + bytes + 1);
	if (!copy)
		return -1;
	char *p = (char *)(copy + n);
	for (size_t i = 0; i < n; i++) {
		copy[i] = f[i];
		memcpy(p, f[i].data, f[i].len);
		p[f[i].len] = '\0';
		copy[i].data = p;
		p += f[i].len + 1;
	}
	free(h->fields);
	h->fields = copy;
	h->count = n;
	h->line = line;
	return 0;
}

/* The next record, its reader complaints going to scratch (lenient) or ctx. */
static int next_record(ctm_csv *csv, ctm_ctx *scratch, ctm_ctx *ctx, const ctm_csv_field **f,
		       size_t *n, int *bad, unsigned long *line)
{
	if (scratch)
		ctm_ctx_clear(scratch);
	ctm_csv_set_context(csv, scratch ? scratch : ctx);
	int got = ctm_csv_next(csv, f, n, bad);
	if (got > 0)
		*line = ctm_csv_record_line(csv);
	return got;
}

/* One data record: a malformed one becomes an exclusion (lenient; strict, the
 * reader has reported it), so does a blank one; the rest are read. Returns 0
 * or CTM_ENOMEM: a row's own errors are in the context. */
static int handle_record(reader *rd, ctm_ctx *scratch, const ctm_csv_field *f, size_t n, int bad,
			 unsigned long line)
{
	ctm_dataset *ds = rd->ds;

	if (bad) {
		if (!scratch)
			return CTM_OK;
		const ctm_diag *d = ctm_ctx_get(scratch, 0);
		const char *why = d ? d->message : "malformed CSV row";
		char *kept = ctm_arena_strdup(&ds->arena, why);
		if (!kept || exclude(ds, kept, 1, rd->file, d ? d->line : line, d ? d->column : 1))
			return CTM_ENOMEM;
		return CTM_OK;
	}
	if (all_blank(f, n))
		return exclude(ds, WHY_BLANK, 1, rd->file, line, 1) ? CTM_ENOMEM : CTM_OK;
	int r = read_row(rd, f, n, line);
	return r == CTM_ENOMEM ? r : CTM_OK;
}

static int read_csv(ctm_dataset *ds, ctm_csv *csv, const char *file, unsigned long long size,
		    ctm_ctx *ctx)
{
	reader rd = { ds, ctx, file, NULL, 0, { -1, -1, -1, -1, -1 }, NULL, NULL, 0, 0 };
	ctm_ctx *scratch = NULL;
	held_record header = { NULL, 0, 0 }, second = { NULL, 0, 0 };
	const held_record *texts = NULL; /* Qualtrics' question-text row */
	int second_is_data = 0, pending = 0;
	const ctm_csv_field *f;
	size_t n;
	unsigned long line = 0;
	int bad, got, rc = CTM_OK;
	size_t errors_before = ctm_ctx_error_count(ctx);
	unsigned long long records = 0;

	/* Lenient: the reader's complaints become exclusions, not errors. */
	if (ds->lenient) {
		scratch = ctm_ctx_new();
		if (!scratch)
			return CTM_ENOMEM;
		ctm_ctx_set_max_diags(scratch, 1);
	}

	/* The header: the first record that is not a blank line. */
	do {
		got = ctm_csv_next(csv, &f, &n, &bad);
	} while (got > 0 && n == 1 && f[0].len == 0);
	if (got < 0) {
		rc = got;
		goto cleanup;
	}
	if (got == 0) {
		ctm__error(ctx, file, 1, 1, "the file is empty: expected a header row and answers");
		rc = CTM_EINVALID;
		goto cleanup;
	}
	rd.column_count = n;
	rd.columns = calloc(n, sizeof(*rd.columns));
	rd.values = calloc(ds->items ? ds->items : 1, sizeof(*rd.values));
	rd.has_value = calloc(ds->items ? ds->items : 1, sizeof(*rd.has_value));
	if (!rd.columns || !rd.values || !rd.has_value) {
		rc = CTM_ENOMEM;
		goto cleanup;
	}
	if (bad) {
		rc = CTM_EINVALID; /* the reader said why */
		goto cleanup;
	}
	if (hold_record(&header, f, n, 0)) {
		rc = CTM_ENOMEM;
		goto cleanup;
	}

	/*
	 * A Qualtrics export has three header rows: names, question texts, and
	 * {"ImportId":...} cells. The ImportId row is unmistakable (no answer
	 * looks like it), the question-text row is not (it could be a respondent
	 * whose answers happen to be text). So the record after the header is
	 * held back and skipped only when the one after it is an ImportId row;
	 * otherwise both are data, read in order. An ImportId row right after
	 * the header (an export without the text row) is skipped too.
	 */
	got = next_record(csv, scratch, ctx, &f, &n, &bad, &line);
	if (got > 0 && !bad && ctm__is_import_id_row(f, n)) {
		pending = 0;
	} else if (got > 0 && !bad && !all_blank(f, n)) {
		if (hold_record(&second, f, n, line)) {
			rc = CTM_ENOMEM;
			goto cleanup;
		}
		got = next_record(csv, scratch, ctx, &f, &n, &bad, &line);
		if (got > 0 && !bad && ctm__is_import_id_row(f, n)) {
			texts = &second;
			pending = 0;
		} else {
			second_is_data = 1;
			pending = got > 0;
		}
	} else {
		pending = got > 0;
	}
	if (got < 0) {
		rc = got;
		goto cleanup;
	}

	rc = ctm__match_header(ds, header.fields, header.count, texts ? texts->fields : NULL,
			       texts ? texts->count : 0, rd.columns, file, ctx);
	if (rc != CTM_OK)
		goto cleanup;
	for (size_t c = 0; c < header.count; c++) {
		ctm_column_kind k = rd.columns[c].kind;
		if (k >= CTM_COL_REGION && k <= CTM_COL_ROLE)
			rd.key_col[k - CTM_COL_REGION] = (int)c;
	}
	if (second_is_data &&
	    (rc = handle_record(&rd, scratch, second.fields, second.count, 0, second.line)) != CTM_OK)
		goto cleanup;
	if (pending && (rc = handle_record(&rd, scratch, f, n, bad, line)) != CTM_OK)
		goto cleanup;

	while (got > 0) {
		got = next_record(csv, scratch, ctx, &f, &n, &bad, &line);
		if (got <= 0)
			break;
		if (ds->progress && ++records % PROGRESS_EVERY == 0)
			ds->progress(ds->progress_user, ctm_csv_bytes_read(csv), size);
		rc = handle_record(&rd, scratch, f, n, bad, line);
		if (rc != CTM_OK)
			goto cleanup;
	}
	ctm_csv_set_context(csv, ctx);
	if (ds->progress)
		ds->progress(ds->progress_user, ctm_csv_bytes_read(csv), size);
	if (got < 0) {
		rc = got;
		goto cleanup;
	}
	if (rd.rows == 0 && ctm_ctx_error_count(ctx) == errors_before) {
		ctm__error(ctx, file, ctm_csv_record_line(csv), 1,
			   "no answers: the file has a header but no data rows");
		rc = CTM_EINVALID;
	}
	if (ctm_ctx_error_count(ctx) > errors_before)
		rc = CTM_EINVALID;

cleanup:
	ctm_csv_set_context(csv, ctx);
	free(rd.columns);
	free(rd.values);
	free(rd.has_value);
	free(header.fields);
	free(second.fields);
	ctm_ctx_free(scratch);
	return rc;
}

int ctm_dataset_read_file(ctm_dataset *ds, const char *path, ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	if (!ds || !path)
		return CTM_EUSAGE;
	int rc = ctm_csv_open_file(&csv, path, NULL, ctx);
	if (rc != CTM_OK)
		return rc;
	struct stat st;
	unsigned long long size = 0;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		size = (unsigned long long)st.st_size;
	rc = read_csv(ds, csv, strcmp(path, "-") == 0 ? "<stdin>" : path, size, ctx);
	ctm_csv_free(csv);
	return rc;
}

int ctm_dataset_read_memory(ctm_dataset *ds, const char *name, const char *buf, size_t len,
			    ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	if (!ds || (!buf && len))
		return CTM_EUSAGE;
	if (!name)
		name = "<memory>";
	int rc = ctm_csv_open_memory(&csv, name, buf ? buf : "", len, NULL, ctx);
	if (rc != CTM_OK)
		return rc;
	rc = read_csv(ds, csv, name, len, ctx);
	ctm_csv_free(csv);
	return rc;
}
