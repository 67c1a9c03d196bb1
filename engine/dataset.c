/*
 * Reading responses into a data set: one pass over each file, one row at a
 * time, straight into running sums per (group, unit, item).
 */
#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset_internal.h"
#include "dataset_reader.h"
#include "diag.h"
#include "text.h"
#include "grow.h"
#include "strbuf.h"
#include "utf8.h"
#include "xlsx.h"

/* Lenient-mode reasons: fixed texts so that they count up. */
#define WHY_CELL_LEVEL "placement answer that is not a level of the rubric"
#define WHY_CELL_OPTION "diagnostic answer that is not an option of its scale"
#define WHY_ROW_KEY "row without region, wave or partner"
#define WHY_ROW_DUPLICATE "duplicate respondent id in a group"
#define WHY_ROW_RESUBMITTED \
	"resubmission: a respondent's later row, the first one kept (--duplicates first)"
#define WHY_ROW_WIDTH "row with more or fewer fields than the header"
#define WHY_BLANK "blank line"

/* The options of version 2 (recode and dictionary files are read later, in
 * ctm_dataset_new). CTM_OK or CTM_EUSAGE (said in ctx). */
static int take_options_v2(ctm_dataset *ds, const ctm_read_options *opts, ctm_ctx *ctx)
{
	const char *sets[5] = { opts->set_region, opts->set_wave, opts->set_partner, NULL,
				opts->set_role };

	ds->keep_incomplete = opts->keep_incomplete != 0;
	if (opts->duplicates != CTM_DUPLICATES_ERROR && opts->duplicates != CTM_DUPLICATES_FIRST &&
	    opts->duplicates != CTM_DUPLICATES_LAST) {
		ctm_diag__error(ctx, NULL, 0, 0, "ctm_dataset_new: unknown duplicates rule %d",
				(int)opts->duplicates);
		return CTM_EUSAGE;
	}
	ds->duplicates = opts->duplicates;
	if (opts->delimiter != 0 && opts->delimiter != ',' && opts->delimiter != ';' &&
	    opts->delimiter != '\t') {
		ctm_diag__error(ctx, NULL, 0, 0,
				"ctm_dataset_new: the delimiter is ',', ';' or a tab, not '%c'",
				opts->delimiter);
		return CTM_EUSAGE;
	}
	ds->csv_limits.delimiter = opts->delimiter;
	if (opts->encoding && (ctm_text__fold_equal(opts->encoding, strlen(opts->encoding),
						    "windows-1252", 12) ||
			       ctm_text__fold_equal(opts->encoding, strlen(opts->encoding),
						    "cp1252", 6)))
		ds->csv_limits.encoding = CTM_CSV_WINDOWS_1252;
	else if (opts->encoding && !ctm_text__fold_equal(opts->encoding, strlen(opts->encoding),
							  "utf-8", 5) &&
		 !ctm_text__fold_equal(opts->encoding, strlen(opts->encoding), "utf8", 4)) {
		ctm_diag__error(ctx, NULL, 0, 0,
				"ctm_dataset_new: the encoding is utf-8 or windows-1252, not '%s'",
				opts->encoding);
		return CTM_EUSAGE;
	}
	for (int k = 0; k < 5; k++) {
		if (!sets[k])
			continue;
		size_t len = strlen(sets[k]);
		const char *s = sets[k];
		ctm_text__trim_inline(&s, &len);
		if (!len || ctm_utf8__invalid_at(s, len) != len) {
			ctm_diag__error(ctx, NULL, 0, 0,
					"ctm_dataset_new: a constant %s must be non-empty UTF-8 text",
					k == 0 ? "region" : k == 1 ? "wave" : k == 2 ? "partner" : "role");
			return CTM_EUSAGE;
		}
		if (!(ds->constants[k] = ctm_arena__strndup(&ds->arena, s, len)))
			return CTM_ENOMEM;
		ds->constant_len[k] = len;
	}
	return CTM_OK;
}

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
	if ((rc = ctm_diag__check_version(ctx, "ctm_dataset_new", opts->version,
					  CTM_READ_OPTIONS_VERSION)) < 0)
		return rc;
	if (opts->aggregate != CTM_AGGREGATE_FROM_RUBRIC &&
	    opts->aggregate != CTM_AGGREGATE_BY_PARTNER &&
	    opts->aggregate != CTM_AGGREGATE_BY_RESPONDENT) {
		ctm_diag__error(ctx, NULL, 0, 0, "ctm_dataset_new: unknown aggregate %d",
				(int)opts->aggregate);
		return CTM_EUSAGE;
	}
	ds = calloc(1, sizeof(*ds));
	if (!ds)
		return CTM_ENOMEM;
	ds->rubric = rubric;
	ds->lenient = opts->lenient != 0;
	ds->csv_limits = (ctm_csv_limits)CTM_CSV_LIMITS_INIT;
	ds->csv_limits.delimiter = 0;
	if (opts->version >= 3 && opts->sheet &&
	    !(ds->sheet = ctm_arena__strdup(&ds->arena, opts->sheet)))
		rc = CTM_ENOMEM;
	if (rc != CTM_OK ||
	    (opts->version >= 2 && (rc = take_options_v2(ds, opts, ctx)) != CTM_OK)) {
		ctm_dataset_free(ds);
		return rc;
	}
	ds->aggregate = opts->aggregate == CTM_AGGREGATE_FROM_RUBRIC
			      ? rubric->aggregate
			      : (ctm_aggregate)opts->aggregate;
	ds->dims = rubric->dimension_count;
	ds->matched = rubric->dimension_count + rubric->question_count;
	ds->items = ds->matched + rubric->valued_count;
	ds->threads = 1;
	ds->split_min_bytes = CTM_SPLIT_MIN_BYTES;
	rc = ctm_columns__build_matchers(ds);
	if (rc == CTM_OK)
		rc = ctm_columns__build_index(ds);
	if (rc == CTM_OK && opts->map_path) {
		/* a private context counts the map's errors when the caller has none */
		ctm_ctx *own = ctx ? NULL : ctm_ctx_new();
		rc = ctx || own ? ctm_columns__load_map(ds, opts->map_path, ctx ? ctx : own)
				: CTM_ENOMEM;
		ctm_ctx_free(own);
	}
	/* the user's recodes first: they hold where the dictionary says otherwise */
	if (rc == CTM_OK && opts->version >= 2 && (opts->recode_path || opts->redcap_dictionary_path)) {
		ctm_ctx *own = ctx ? NULL : ctm_ctx_new();
		ctm_ctx *c = ctx ? ctx : own;
		rc = c ? CTM_OK : CTM_ENOMEM;
		if (rc == CTM_OK && opts->recode_path)
			rc = ctm_recode__load(ds, opts->recode_path, c);
		if (rc == CTM_OK && opts->redcap_dictionary_path)
			rc = ctm_recode__load_redcap(ds, opts->redcap_dictionary_path, c);
		ctm_ctx_free(own);
	}
	if (rc == CTM_OK && opts->version >= 3 && (opts->aliases_path || opts->exclude_path)) {
		ctm_ctx *own = ctx ? NULL : ctm_ctx_new();
		rc = ctx || own ? ctm_names__load_fixes(ds, opts->aliases_path, opts->exclude_path,
							ctx ? ctx : own)
				: CTM_ENOMEM;
		ctm_ctx_free(own);
	}
	if (rc != CTM_OK) {
		ctm_dataset_free(ds);
		return rc;
	}
	*out = ds;
	return CTM_OK;
}

void ctm_dataset_finish(const ctm_dataset *ds, ctm_ctx *ctx)
{
	if (ds)
		ctm_names__unused_fixes(ds, ctx);
}

static void free_group(ctm_group_acc *g)
{
	if (!g)
		return;
	ctm_hashmap__free(&g->unit_index);
	ctm_hashmap__free(&g->partners);
	free(g->partner_rows);
	free(g->excl);
	ctm_idset__free(&g->respondent_ids);
	ctm_hashmap__free(&g->role_index);
	if (g->kept) {
		ctm_hashmap__free(&g->kept->index);
		free(g->kept->rows);
		free(g->kept);
	}
	free(g->comments);
	free(g->sums); /* and unit_names, counts: one block */
	free(g->role_sums); /* and the roles' other arrays */
	free(g);
}

void ctm_dataset_free(ctm_dataset *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; i < ds->group_count; i++)
		free_group(ds->groups[i]);
	free(ds->groups);
	ctm_hashmap__free(&ds->group_index);
	ctm_names__free(ds);
	for (size_t i = 0; ds->matchers && !ds->matchers_borrowed && i < ds->matched; i++)
		free(ds->matchers[i].recodes);
	ctm_hashmap__free(&ds->names.ids);
	ctm_hashmap__free(&ds->names.folded_ids);
	ctm_hashmap__free(&ds->names.texts);
	ctm_hashmap__free(&ds->names.names);
	ctm_hashmap__free(&ds->rename_index);
	free(ds->renames);
	free(ds->exclusions);
	free(ds->file_names);
	ctm_arena__free(&ds->arena);
	free(ds);
}

void ctm_dataset_set_progress(ctm_dataset *ds, ctm_progress_fn fn, void *user)
{
	ds->progress = fn;
	ds->progress_user = user;
}

void ctm_dataset_set_threads(ctm_dataset *ds, unsigned threads)
{
	if (ds)
		ds->threads = threads > 2 ? 2 : threads;
}

void ctm_dataset__set_split(ctm_dataset *ds, unsigned long long min_bytes,
			    unsigned long long split_at)
{
	ds->threads = 2;
	ds->split_min_bytes = min_bytes;
	ds->split_at = split_at;
}

const ctm_rubric *ctm_dataset_rubric(const ctm_dataset *ds) { return ds->rubric; }
ctm_aggregate ctm_dataset_aggregate(const ctm_dataset *ds) { return ds->aggregate; }
size_t ctm_dataset_row_count(const ctm_dataset *ds) { return ds->rows; }
size_t ctm_dataset_group_count(const ctm_dataset *ds) { return ds->group_count; }
int ctm_dataset_lenient(const ctm_dataset *ds) { return ds->lenient; }
size_t ctm_dataset_exclusion_count(const ctm_dataset *ds) { return ds->exclusion_count; }
const ctm_exclusion *ctm_dataset_exclusion(const ctm_dataset *ds, size_t i)
{
	return i < ds->exclusion_count ? &ds->exclusions[i] : NULL;
}

char *ctm_exclusion_position(const ctm_exclusion *e, char *buf, size_t size)
{
	char cell[24];
	if (e->cell)
		snprintf(buf, size, "!%s", ctm_cell_name(e->first_column, e->first_line, cell,
							 sizeof(cell)));
	else
		snprintf(buf, size, ":%lu:%lu", e->first_line, e->first_column);
	return buf;
}

/* Counts one exclusion under its reason, in the data set and, when the row's
 * group is known (g), in the group too (what its report lists). reason must
 * be a string literal or live as long as the data set. Returns 0 or
 * CTM_ENOMEM. */
static int exclude_in(ctm_dataset *ds, ctm_group_acc *g, const char *reason, int whole_rows,
		      const char *file, unsigned long line, unsigned long column)
{
	const char *file_copy = NULL;
	size_t i = 0;
	for (; i < ds->exclusion_count; i++)
		if (strcmp(ds->exclusions[i].reason, reason) == 0)
			break;
	if (i < ds->exclusion_count) {
		ds->exclusions[i].count++;
		file_copy = ds->exclusions[i].first_file;
	} else {
		if (ctm_grow__reserve((void **)&ds->exclusions, &ds->exclusion_cap,
				      ds->exclusion_count + 1, sizeof(*ds->exclusions)))
			return CTM_ENOMEM;
		if (!(file_copy = ctm_arena__strdup(&ds->arena, file)))
			return CTM_ENOMEM;
		ds->exclusions[ds->exclusion_count++] =
			(ctm_exclusion){ reason, 1,	 whole_rows, file_copy, line, column & ~CTM_DIAG_CELL,
					 (column & CTM_DIAG_CELL) != 0 };
	}
	if (!g)
		return CTM_OK;
	reason = ds->exclusions[i].reason;
	for (size_t k = 0; k < g->excl_count; k++) {
		if (g->excl[k].reason == reason) {
			g->excl[k].count++;
			return CTM_OK;
		}
	}
	if (ctm_grow__reserve((void **)&g->excl, &g->excl_cap, g->excl_count + 1, sizeof(*g->excl)))
		return CTM_ENOMEM;
	if (strcmp(file_copy ? file_copy : "", file ? file : "") != 0 &&
	    !(file_copy = ctm_arena__strdup(&ds->arena, file)))
		return CTM_ENOMEM;
	g->excl[g->excl_count++] = (ctm_exclusion){ reason,		 1, whole_rows, file_copy, line,
						    column & ~CTM_DIAG_CELL,
						    (column & CTM_DIAG_CELL) != 0 };
	return CTM_OK;
}

static int exclude(ctm_dataset *ds, const char *reason, int whole_rows, const char *file,
		   unsigned long line, unsigned long column)
{
	return exclude_in(ds, NULL, reason, whole_rows, file, line, column);
}

ctm_group_acc *ctm_dataset__find_or_add_group(ctm_dataset *ds, const char *region, size_t rlen,
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
	uint64_t h = ctm_hashmap__hash(key, klen);
	const ctm_hashmap_slot *slot = ctm_hashmap__get(&ds->group_index, key, klen, h);
	if (slot) {
		g = ds->groups[slot->value];
		goto cleanup;
	}
	size_t cap = ds->group_cap;
	if (ctm_grow__reserve((void **)&ds->groups, &cap, ds->group_count + 1, sizeof(*ds->groups)))
		goto cleanup;
	ds->group_cap = cap;
	char *stored = ctm_arena__alloc(&ds->arena, klen + 1);
	ctm_group_acc *ng = calloc(1, sizeof(*ng));
	if (!stored || !ng) {
		free(ng);
		goto cleanup;
	}
	memcpy(stored, key, klen);
	stored[klen] = '\0';
	ng->region = stored;
	ng->wave = stored + rlen + 1;
	/* klen, so rlen and wlen, is below 4 GiB: the map took it as a key */
	ng->region_len = (uint32_t)rlen;
	ng->wave_len = (uint32_t)wlen;
	ng->index = ds->group_count;
	if (ctm_hashmap__put(&ds->group_index, stored, klen, h, ds->group_count)) {
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

/* The index of name in a map of names, adding it if new (a copy in the
 * arena, or name itself when borrowed); SIZE_MAX on OOM. *added tells
 * whether it was new. */
static size_t intern(ctm_dataset *ds, ctm_hashmap *map, const char *name, size_t len,
		     size_t next_index, int *added, int borrowed)
{
	uint64_t h = ctm_hashmap__hash(name, len);
	const ctm_hashmap_slot *slot = ctm_hashmap__get(map, name, len, h);
	*added = 0;
	if (slot)
		return slot->value;
	const char *stored = borrowed ? name : ctm_arena__strndup(&ds->arena, name, len);
	if (!stored || ctm_hashmap__put(map, stored, len, h, next_index))
		return SIZE_MAX;
	*added = 1;
	return next_index;
}

size_t ctm_dataset__intern(ctm_dataset *ds, ctm_hashmap *map, const char *name, size_t len,
			   size_t next_index, int *added)
{
	return intern(ds, map, name, len, next_index, added, 0);
}

size_t ctm_dataset__intern_borrowed(ctm_dataset *ds, ctm_hashmap *map, const char *name,
				    size_t len, size_t next_index, int *added)
{
	return intern(ds, map, name, len, next_index, added, 1);
}

/* n * size, or SIZE_MAX when it does not fit. */
static size_t mul_size(size_t n, size_t size)
{
	return size && n > SIZE_MAX / size ? SIZE_MAX : n * size;
}

/* One block for parts of sizes part[0..n) (each a multiple of 8 bytes but
 * the last, in this order: every part's start is aligned for a double, a
 * pointer and a size_t), into *block; the old block's used bytes used[k] of
 * each part copied to its place, and the old block freed. 0 or -1. */
static int regrow_block(void **block, const size_t *old_part, const size_t *part,
			const size_t *used, size_t n)
{
	size_t total = 0;
	for (size_t k = 0; k < n; k++) {
		if (part[k] == SIZE_MAX || part[k] > SIZE_MAX - total)
			return -1;
		total += part[k];
	}
	unsigned char *grown = malloc(total ? total : 1);
	if (!grown)
		return -1;
	const unsigned char *old = *block;
	size_t from = 0, to = 0;
	for (size_t k = 0; k < n; k++) {
		if (used[k])
			memcpy(grown + to, old + from, used[k]);
		from += old_part[k];
		to += part[k];
	}
	free(*block);
	*block = grown;
	return 0;
}

/* Room for cap units: sums [cap * items] doubles, unit_names [cap], counts
 * [cap * items], in one block (a group of one row: one malloc chunk, not
 * three; issue 21). 0 or -1. */
static int grow_units(ctm_dataset *ds, ctm_group_acc *g, size_t cap)
{
	const size_t I = ds->items, n = g->unit_count, old = g->unit_cap;
	size_t old_part[3] = { old * I * sizeof(double), old * sizeof(const char *),
			       old * I * sizeof(uint32_t) };
	size_t part[3] = { mul_size(mul_size(cap, I), sizeof(double)),
			   mul_size(cap, sizeof(const char *)),
			   mul_size(mul_size(cap, I), sizeof(uint32_t)) };
	size_t used[3] = { n * I * sizeof(double), n * sizeof(const char *),
			   n * I * sizeof(uint32_t) };
	void *block = g->sums;
	if (regrow_block(&block, old_part, part, used, 3))
		return -1;
	g->sums = block;
	g->unit_names = (const char **)(void *)((unsigned char *)block + part[0]);
	g->counts = (uint32_t *)(void *)((unsigned char *)block + part[0] + part[1]);
	g->unit_cap = cap;
	return 0;
}

/* Room for cap roles, as grow_units: role_sums [cap * D], role_names
 * [cap], role_respondents [cap], role_counts [cap * D] in one block. */
static int grow_roles(ctm_dataset *ds, ctm_group_acc *g, size_t cap)
{
	const size_t D = ds->dims, n = g->role_count, old = g->role_cap;
	size_t old_part[4] = { old * D * sizeof(double), old * sizeof(const char *),
			       old * sizeof(size_t), old * D * sizeof(uint32_t) };
	size_t part[4] = { mul_size(mul_size(cap, D), sizeof(double)),
			   mul_size(cap, sizeof(const char *)), mul_size(cap, sizeof(size_t)),
			   mul_size(mul_size(cap, D), sizeof(uint32_t)) };
	size_t used[4] = { n * D * sizeof(double), n * sizeof(const char *), n * sizeof(size_t),
			   n * D * sizeof(uint32_t) };
	void *block = g->role_sums;
	if (regrow_block(&block, old_part, part, used, 4))
		return -1;
	unsigned char *b = block;
	g->role_sums = block;
	g->role_names = (const char **)(void *)(b + part[0]);
	g->role_respondents = (size_t *)(void *)(b + part[0] + part[1]);
	g->role_counts = (uint32_t *)(void *)(b + part[0] + part[1] + part[2]);
	g->role_cap = cap;
	return 0;
}

size_t ctm_dataset__add_unit(ctm_dataset *ds, ctm_group_acc *g, const char *name, size_t len,
			     int borrowed)
{
	int added;
	size_t u = intern(ds, &g->unit_index, name, len, g->unit_count, &added, borrowed);
	if (u == SIZE_MAX || !added)
		return u;
	if (g->unit_count == g->unit_cap) {
		size_t cap = g->unit_cap ? g->unit_cap * 2 : 1;
		if (cap < g->unit_cap || grow_units(ds, g, cap))
			return SIZE_MAX;
	}
	const ctm_hashmap_slot *slot = ctm_hashmap__get(&g->unit_index, name, len,
							ctm_hashmap__hash(name, len));
	g->unit_names[u] = slot->key;
	memset(&g->sums[u * ds->items], 0, ds->items * sizeof(*g->sums));
	memset(&g->counts[u * ds->items], 0, ds->items * sizeof(*g->counts));
	g->unit_count++;
	return u;
}

size_t ctm_dataset__add_role(ctm_dataset *ds, ctm_group_acc *g, const char *name, size_t len)
{
	int added;
	size_t r = intern(ds, &g->role_index, name, len, g->role_count, &added, 1);
	if (r == SIZE_MAX || !added)
		return r;
	if (g->role_count == g->role_cap) {
		size_t cap = g->role_cap ? g->role_cap * 2 : 1;
		if (cap < g->role_cap || grow_roles(ds, g, cap))
			return SIZE_MAX;
	}
	const ctm_hashmap_slot *slot = ctm_hashmap__get(&g->role_index, name, len,
							ctm_hashmap__hash(name, len));
	g->role_names[r] = slot->key;
	g->role_respondents[r] = 0;
	memset(&g->role_sums[r * ds->dims], 0, ds->dims * sizeof(*g->role_sums));
	memset(&g->role_counts[r * ds->dims], 0, ds->dims * sizeof(*g->role_counts));
	g->role_count++;
	return r;
}

/* The cell's bytes (1 to 16 of them) as two words, one-to-one for a given
 * length. */
static void memo_key(const char *s, size_t len, uint64_t *w0, uint64_t *w1)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Two loads, no branch: a field has CTM_CSV_FIELD_PAD readable bytes,
	 * and the bytes past len (the low-order ones come first) are masked. */
	static const uint64_t keep[9] = { 0,
					  0xFFull,
					  0xFFFFull,
					  0xFFFFFFull,
					  0xFFFFFFFFull,
					  0xFFFFFFFFFFull,
					  0xFFFFFFFFFFFFull,
					  0xFFFFFFFFFFFFFFull,
					  ~0ull };
	uint64_t a, b;
	memcpy(&a, s, 8);
	memcpy(&b, s + 8, 8);
	*w0 = a & keep[len < 8 ? len : 8];
	*w1 = b & keep[len > 8 ? len - 8 : 0];
#else
	/* overlapping loads of the first and last 8 (or 4) bytes cover them all */
	const unsigned char *u = (const unsigned char *)s;
	if (len >= 8) {
		memcpy(w0, s, 8);
		memcpy(w1, s + len - 8, 8);
	} else if (len >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		*w0 = a;
		*w1 = b;
	} else {
		*w0 = (uint64_t)u[0] | (uint64_t)u[len / 2] << 8 | (uint64_t)u[len - 1] << 16;
		*w1 = 0;
	}
#endif
}

static ctm_cell_result match_cell(ctm_reader *rd, size_t item, const char *cell, size_t len,
				  double *value, double *rated)
{
	const ctm_dataset *ds = rd->ds;
	const ctm_item_matcher *m = &ds->matchers[item];
	size_t levels = ds->rubric->level_count;

	/* The commonest answer of all, a level as one digit, as ctm_columns__match_answer
	 * would read it. */
	if (len == 1 && m->is_dimension && cell[0] >= '1' && (size_t)(cell[0] - '0') <= levels &&
	    !m->recode_count) {
		*value = cell[0] - '0';
		return CTM_CELL_VALUE;
	}
	if (len == 0)
		return CTM_CELL_MISSING; /* as ctm_columns__match_answer says of any empty cell */
	if (len > MEMO_MAX_LEN)
		return ctm_columns__match_answer(m, cell, len, levels, value, rated);
	uint64_t w0, w1;
	memo_key(cell, len, &w0, &w1);
	uint64_t h = (w0 * 0x9E3779B97F4A7C15ull) ^ ((w1 + len) * 0xC2B2AE3D27D4EB4Full);
	memo_slot *slot = &rd->memo[item * MEMO_SLOTS + (h >> 58) % MEMO_SLOTS];
	if (slot->len == len && slot->w0 == w0 && slot->w1 == w1) {
		*value = slot->value;
		*rated = slot->rated;
		return (ctm_cell_result)slot->result;
	}
	double v = 0, rv = NAN;
	ctm_cell_result res = ctm_columns__match_answer(m, cell, len, levels, &v, &rv);
	*slot = (memo_slot){ w0, w1, v, rv, (uint32_t)len, (uint32_t)res };
	*value = v;
	*rated = rv;
	return res;
}

/* Where a respondent id was first seen, as the idset keeps it: the file (the
 * how-manieth read into the data set) above bit 40, the line below. */
#define ID_WHERE(file, line) ((unsigned long)(file) << 40 | (line))
#define ID_FILE(where) ((size_t)((where) >> 40))
#define ID_LINE(where) ((where) & ((1ul << 40) - 1))

/* The row's group: the last row's when it has the same region and wave. */
static ctm_group_acc *row_group(ctm_reader *rd, const char *region, size_t rlen, const char *wave,
				size_t wlen)
{
	ctm_group_acc *g = rd->last_group;
	if (g && rlen == g->region_len && wlen == g->wave_len &&
	    memcmp(g->region, region, rlen) == 0 && memcmp(g->wave, wave, wlen) == 0)
		return g;
	g = ctm_dataset__find_or_add_group(rd->ds, region, rlen, wave, wlen);
	if (g && g != rd->last_group) {
		rd->last_group = g;
		rd->last_unit = SIZE_MAX;
		rd->last_partner_len = 0;
		if (rd->last_partner)
			rd->last_partner[0] = '\0';
	}
	return g;
}

/* Whether the row's partner is the last row's (in the same group). */
static int same_partner(const ctm_reader *rd, const char *name, size_t len)
{
	return rd->last_partner && rd->last_partner_len == len &&
	       memcmp(rd->last_partner, name, len) == 0;
}

/* Counts a partner that is not the last row's in its group (interned) and
 * remembers it as the last. Returns 0 or CTM_ENOMEM. */
static int count_partner(ctm_reader *rd, ctm_group_acc *g, const char *name, size_t len)
{
	int added;
	/* name is the partner's first spelling (names.c): borrowed */
	size_t idx = ctm_dataset__intern_borrowed(rd->ds, &g->partners, name, len, g->partner_count,
						  &added);

	if (idx == SIZE_MAX)
		return CTM_ENOMEM;
	g->partner_count += (size_t)added;
	if (added) {
		if (ctm_grow__reserve((void **)&g->partner_rows, &g->partner_rows_cap,
				      g->partner_count, sizeof(*g->partner_rows)))
			return CTM_ENOMEM;
		g->partner_rows[idx] = 0;
	}
	rd->last_partner_index = idx;
	if (len + 1 > rd->last_partner_cap) {
		size_t cap = len + 1 > 64 ? len + 1 : 64;
		char *grown = realloc(rd->last_partner, cap);
		if (!grown)
			return CTM_ENOMEM;
		rd->last_partner = grown;
		rd->last_partner_cap = cap;
	}
	memcpy(rd->last_partner, name, len);
	rd->last_partner[len] = '\0';
	rd->last_partner_len = len;
	return CTM_OK;
}

static const char *const key_names[] = { "region", "wave", "partner" };

/* A check's verdict that the row is left out (lenient, counted as an
 * exclusion): read_row then returns CTM_OK. */
#define ROW_LEFT_OUT 1
/* check_respondent's verdict under --duplicates last: seen before. */
#define RESUBMITTED 2

/* The cells of region, wave, partner, respondent and role, trimmed (NULL
 * and 0 where the file has no such column). */
typedef struct row_keys {
	const char *s[5];
	size_t len[5];
} row_keys;

/* Leaves the row out (lenient) with reason: ROW_LEFT_OUT or CTM_ENOMEM. */
static int leave_out(ctm_reader *rd, const char *reason, unsigned long line, unsigned long col)
{
	return exclude_in(rd->ds, rd->excl_group, reason, 1, rd->file, line, col) ? CTM_ENOMEM
										   : ROW_LEFT_OUT;
}

/* As many fields as the header has: CTM_OK, ROW_LEFT_OUT, CTM_EINVALID
 * (said in ctx) or CTM_ENOMEM. */
static int check_width(ctm_reader *rd, const ctm_csv_field *f, size_t n, unsigned long record_line)
{
	if (n == rd->column_count)
		return CTM_OK;
	unsigned long col = n > rd->column_count ? f[rd->column_count].column
						 : f[n - 1].column + f[n - 1].len;
	if (rd->ds->lenient)
		return leave_out(rd, WHY_ROW_WIDTH, record_line, col);
	ctm_diag__error(rd->ctx, rd->file,
			n > rd->column_count ? f[rd->column_count].line : f[n - 1].line, col,
			"row has %zu field%s, the header has %zu", n, n == 1 ? "" : "s",
			rd->column_count);
	return CTM_EINVALID;
}

/* The key cells; an empty region, wave or partner leaves the row out
 * (lenient) or is an error (strict: *row_ok cleared, the rest still checked). */
ctm_group_acc *ctm_dataset__find_group(const ctm_dataset *ds, const char *region, size_t rlen,
				       const char *wave, size_t wlen, int *oom)
{
	if (ctm_names__find(ds, 0, &region, &rlen) || ctm_names__find(ds, 1, &wave, &wlen)) {
		*oom = 1;
		return NULL;
	}
	size_t klen = rlen + 1 + wlen;
	char stack[256], *k = klen <= sizeof(stack) ? stack : malloc(klen);
	if (!k) {
		*oom = 1;
		return NULL;
	}
	memcpy(k, region, rlen);
	k[rlen] = '\0';
	memcpy(k + rlen + 1, wave, wlen);
	const ctm_hashmap_slot *slot =
		ctm_hashmap__get(&ds->group_index, k, klen, ctm_hashmap__hash(k, klen));
	if (k != stack)
		free(k);
	return slot ? ds->groups[slot->value] : NULL;
}

/* The group a row's region and wave name, when it exists already (out of
 * memory: none, and the row's exclusion is counted for the data set only). */
static ctm_group_acc *existing_group(const ctm_dataset *ds, const row_keys *key)
{
	int oom = 0;
	if (!key->len[0] || !key->len[1])
		return NULL;
	return ctm_dataset__find_group(ds, key->s[0], key->len[0], key->s[1], key->len[1], &oom);
}

/*
 * The user's fixes and one spelling per name (names.c): a row whose value
 * an --exclude line names is left out under that line's reason (in strict
 * reads too: it is what the user asked); an --aliases line's value is read as
 * its replacement; then region, wave, partner and role take the first
 * spelling of their name key. CTM_OK, ROW_LEFT_OUT or CTM_ENOMEM.
 */
static int fix_names(ctm_reader *rd, const ctm_csv_field *f, unsigned long record_line,
		     row_keys *key)
{
	ctm_dataset *ds = rd->ds;
	for (int k = 0; k < 5 && ds->fix_count; k++) {
		if (!key->len[k])
			continue;
		ctm_name_fix *x = ctm_names__fix(ds, k, key->s[k], key->len[k], 1);
		if (x) {
			x->hits++;
			unsigned long col = rd->key_col[k] >= 0 ? f[rd->key_col[k]].column
								: ctm_csv__first_column(NULL);
			if (k >= 2)
				rd->excl_group = existing_group(ds, key);
			return leave_out(rd, x->reason, record_line, col);
		}
		if (k != 3 && (x = ctm_names__fix(ds, k, key->s[k], key->len[k], 0))) {
			x->hits++;
			key->s[k] = x->to;
			key->len[k] = x->to_len;
		}
	}
	for (int k = 0; k < 5; k++)
		if (k != 3 && key->len[k] && ctm_names__canonical(ds, k, &key->s[k], &key->len[k]))
			return CTM_ENOMEM;
	return CTM_OK;
}

static int read_keys(ctm_reader *rd, const ctm_csv_field *f, unsigned long record_line,
		     row_keys *key, int *row_ok)
{
	int rc;
	for (int k = 0; k < 5; k++) {
		if (rd->key_col[k] < 0) {
			/* --set: the same for every row (never empty) */
			key->s[k] = rd->ds->constants[k];
			key->len[k] = rd->ds->constant_len[k];
			continue;
		}
		key->s[k] = f[rd->key_col[k]].data;
		key->len[k] = f[rd->key_col[k]].len;
		ctm_text__trim_inline(&key->s[k], &key->len[k]);
	}
	if ((rc = fix_names(rd, f, record_line, key)) != CTM_OK)
		return rc;
	for (int k = 0; k < 3; k++) {
		if (key->len[k])
			continue;
		const ctm_csv_field *cell = &f[rd->key_col[k]];
		if (rd->ds->lenient)
			return leave_out(rd, WHY_ROW_KEY, record_line, cell->column);
		ctm_diag__error(rd->ctx, rd->file, cell->line, cell->column,
				"empty %s: every row needs a region, a wave and a partner",
				key_names[k]);
		*row_ok = 0;
	}
	return CTM_OK;
}

/* A respondent id may appear once per group: CTM_OK (also when it is a
 * duplicate, strict: *row_ok cleared and said in ctx), ROW_LEFT_OUT or
 * CTM_ENOMEM. */
static int check_respondent(ctm_reader *rd, ctm_group_acc *g, const ctm_csv_field *f,
			    const row_keys *key, unsigned long record_line, int *row_ok)
{
	ctm_dataset *ds = rd->ds;
	const ctm_csv_field *cell = &f[rd->key_col[3]];
	unsigned long first = 0;
	int seen = ctm_idset__add(&g->respondent_ids, &ds->arena, key->s[3], key->len[3],
				  ID_WHERE(rd->file_index, record_line), &first);
	if (seen <= 0)
		return seen < 0 ? CTM_ENOMEM : CTM_OK;
	if (ds->duplicates == CTM_DUPLICATES_LAST)
		return RESUBMITTED;
	if (ds->duplicates == CTM_DUPLICATES_FIRST)
		return leave_out(rd, WHY_ROW_RESUBMITTED, record_line, cell->column);
	if (ds->lenient)
		return leave_out(rd, WHY_ROW_DUPLICATE, record_line, cell->column);
	char where[300] = "seen before in this group";
	size_t in_file = ID_FILE(first);
	if (first && in_file == rd->file_index)
		snprintf(where, sizeof(where), "first on line %lu", ID_LINE(first));
	else if (first && in_file < ds->file_count)
		snprintf(where, sizeof(where), "first in %.200s, line %lu", ds->file_names[in_file],
			 ID_LINE(first));
	ctm_diag__error(rd->ctx, rd->file, cell->line, cell->column,
			"duplicate respondent '%.*s' in region '%s', wave '%s' (%s)",
			(int)(key->len[3] > 80 ? 80 : key->len[3]), key->s[3], g->region, g->wave,
			where);
	*row_ok = 0;
	return CTM_OK;
}

/* Every answer of the row into rd->values and rd->has_value. A missing one
 * is kept as 0 that adds nothing, so that the sums need no branch (x + 0.0
 * is x for the positive sums here). An invalid one is an exclusion (lenient)
 * or an error (strict: *row_ok cleared). CTM_OK or CTM_ENOMEM. */
static int read_answers(ctm_reader *rd, const ctm_csv_field *f, int *row_ok)
{
	ctm_dataset *ds = rd->ds;

	for (size_t k = 0; k < rd->item_col_count; k++) {
		size_t c = rd->item_cols[k];
		size_t i = rd->columns[c].item;
		double v = 0, rated = NAN;
		ctm_cell_result res = match_cell(rd, i, f[c].data, f[c].len, &v, &rated);
		/* an option without a score (a statement's) counts for its value only */
		int has = res == CTM_CELL_VALUE && !isnan(v);
		rd->has_value[i] = has;
		rd->values[i] = has ? v : 0.0;
		size_t vi = rd->columns[c].value_item;
		if (vi != SIZE_MAX) {
			int rated_has = res == CTM_CELL_VALUE && !isnan(rated);
			rd->has_value[vi] = rated_has;
			rd->values[vi] = rated_has ? rated : 0.0;
		}
		if (res != CTM_CELL_INVALID)
			continue;
		const ctm_item_matcher *m = &ds->matchers[i];
		if (ds->lenient) {
			if (exclude_in(ds, rd->excl_group, m->is_dimension ? WHY_CELL_LEVEL : WHY_CELL_OPTION, 0,
				    rd->file, f[c].line, f[c].column))
				return CTM_ENOMEM;
			continue;
		}
		const char *cell = f[c].data;
		size_t len = f[c].len;
		ctm_text__trim(&cell, &len);
		if (m->is_dimension)
			ctm_diag__error(
				rd->ctx, rd->file, f[c].line, f[c].column,
				"'%.*s' is not a level for dimension '%s': expected 1-%zu or a "
				"level's id or name",
				(int)(len > 80 ? 80 : len), cell, m->id, ds->rubric->level_count);
		else
			ctm_diag__error(
				rd->ctx, rd->file, f[c].line, f[c].column,
				"'%.*s' is not an answer to question '%s': expected one of %s "
				"(or their labels)",
				(int)(len > 80 ? 80 : len), cell, m->id, m->expected);
		*row_ok = 0;
	}
	return CTM_OK;
}

/* The row's unit: the partner, or the respondent (its id, else the row
 * itself). SIZE_MAX when out of memory. */
static size_t row_unit(ctm_reader *rd, ctm_group_acc *g, const row_keys *key, int partner_seen)
{
	ctm_dataset *ds = rd->ds;

	if (ds->aggregate == CTM_AGGREGATE_PARTNER) {
		/* the partner's unit is the last row's when the partner is */
		if (rd->last_unit == SIZE_MAX || !partner_seen)
			rd->last_unit = ctm_dataset__add_unit(ds, g, key->s[2], key->len[2], 1);
		return rd->last_unit;
	}
	if (key->len[3])
		return ctm_dataset__add_unit(ds, g, key->s[3], key->len[3], 0);
	char anon[64];
	int len = snprintf(anon, sizeof(anon), "row %zu", g->respondent_count + 1);
	/* The leading NUL keeps anonymous rows apart from any real id. */
	char keyed[65];
	keyed[0] = '\0';
	memcpy(keyed + 1, anon, (size_t)len);
	size_t u = ctm_dataset__add_unit(ds, g, keyed, (size_t)len + 1, 0);
	if (u != SIZE_MAX)
		g->unit_names[u]++; /* show "row N" */
	return u;
}

/* The row's answers added to its unit's sums and its role's. */
static int add_answers(ctm_reader *rd, ctm_group_acc *g, size_t u, const row_keys *key,
		       size_t *role_out)
{
	ctm_dataset *ds = rd->ds;
	double *sums = &g->sums[u * ds->items];
	uint32_t *counts = &g->counts[u * ds->items];

	for (size_t k = 0; k < rd->item_col_count; k++) {
		const ctm_column *col = &rd->columns[rd->item_cols[k]];
		size_t i = col->item, vi = col->value_item;
		sums[i] += rd->values[i];
		counts[i] += (uint32_t)rd->has_value[i];
		if (vi != SIZE_MAX) {
			sums[vi] += rd->values[vi];
			counts[vi] += (uint32_t)rd->has_value[vi];
		}
	}
	if (rd->key_col[4] < 0 && !ds->constants[4])
		return CTM_OK;
	const char *role = key->len[4] ? key->s[4] : "(no role)";
	size_t rlen = key->len[4] ? key->len[4] : strlen("(no role)");
	size_t r = ctm_dataset__add_role(ds, g, role, rlen);
	if (r == SIZE_MAX)
		return CTM_ENOMEM;
	*role_out = r;
	g->role_respondents[r]++;
	for (size_t k = 0; k < rd->item_col_count; k++) {
		size_t d = rd->columns[rd->item_cols[k]].item;
		if (d >= ds->dims || !rd->has_value[d])
			continue;
		g->role_sums[r * ds->dims + d] += rd->values[d];
		g->role_counts[r * ds->dims + d]++;
	}
	return CTM_OK;
}

/* ---- --duplicates last ---- */

/* n digits at s as a number, or -1. */
static long digits_at(const char *s, size_t len, size_t at, size_t n)
{
	long v = 0;
	if (at + n > len)
		return -1;
	for (size_t i = at; i < at + n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * A platform's time as YYYYMMDDhhmmss, or 0 when not read: ISO 8601
 * ("2023-03-06 11:00:17", "2023-03-06T11:00:17Z", Qualtrics, LimeSurvey,
 * REDCap, Kobo; "2023/03/06 11:00:17 AM", Google Forms in some locales) or
 * the US order M/D/YYYY (Google Forms, SurveyMonkey, Microsoft Forms in
 * English), each with optional seconds and AM/PM. A day-first date cannot
 * be told from it and is read month-first; two times not both read leave
 * the file's order to decide.
 */
static uint64_t parse_time(const char *s, size_t len)
{
	long y, mo, d, h = 0, mi = 0, sec = 0;
	size_t i;

	if ((y = digits_at(s, len, 0, 4)) >= 0 && len > 4 && (s[4] == '-' || s[4] == '/')) {
		if ((mo = digits_at(s, len, 5, 2)) < 0 || len < 10 || s[7] != s[4] ||
		    (d = digits_at(s, len, 8, 2)) < 0)
			return 0;
		i = 10;
	} else {
		size_t a = 0;
		while (a < len && a < 2 && s[a] >= '0' && s[a] <= '9')
			a++;
		if (a == 0 || a >= len || s[a] != '/')
			return 0;
		mo = digits_at(s, len, 0, a);
		size_t b = a + 1, e = b;
		while (e < len && e - b < 2 && s[e] >= '0' && s[e] <= '9')
			e++;
		if (e == b || e >= len || s[e] != '/' || (y = digits_at(s, len, e + 1, 4)) < 0)
			return 0;
		d = digits_at(s, len, b, e - b);
		i = e + 5;
	}
	if (i < len && (s[i] == ' ' || s[i] == 'T')) {
		size_t a = i + 1, e = a;
		while (e < len && e - a < 2 && s[e] >= '0' && s[e] <= '9')
			e++;
		if (e > a && e + 2 < len && s[e] == ':' && (mi = digits_at(s, len, e + 1, 2)) >= 0) {
			h = digits_at(s, len, a, e - a);
			i = e + 3;
			if (i + 2 < len && s[i] == ':' && digits_at(s, len, i + 1, 2) >= 0) {
				sec = digits_at(s, len, i + 1, 2);
				i += 3;
			}
			while (i < len && s[i] == ' ')
				i++;
			if (i + 1 < len && (s[i + 1] == 'M' || s[i + 1] == 'm')) {
				int pm = s[i] == 'P' || s[i] == 'p';
				if (h == 12)
					h = 0;
				if (pm)
					h += 12;
			}
		} else {
			mi = 0;
		}
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return 0;
	uint64_t t = (uint64_t)y;
	t = t * 100 + (uint64_t)mo;
	t = t * 100 + (uint64_t)d;
	t = t * 100 + (uint64_t)h;
	t = t * 100 + (uint64_t)mi;
	return t * 100 + (uint64_t)sec;
}

static uint64_t row_time(const ctm_reader *rd, const ctm_csv_field *f)
{
	if (rd->time_col < 0)
		return 0;
	const char *s = f[rd->time_col].data;
	size_t len = f[rd->time_col].len;
	ctm_text__trim(&s, &len);
	return parse_time(s, len);
}

/* Remembers the row just added for respondent key->s[3]. 0 or CTM_ENOMEM. */
static int keep_row(ctm_reader *rd, ctm_group_acc *g, size_t u, size_t role,
		    const ctm_csv_field *f, const row_keys *key, unsigned long line)
{
	ctm_dataset *ds = rd->ds;
	int added;
	if (!g->kept && !(g->kept = calloc(1, sizeof(*g->kept))))
		return CTM_ENOMEM;
	ctm_group_kept *kp = g->kept;
	size_t k = ctm_dataset__intern(ds, &kp->index, key->s[3], key->len[3], kp->count, &added);
	if (k == SIZE_MAX)
		return CTM_ENOMEM;
	if (added) {
		if (ctm_grow__reserve((void **)&kp->rows, &kp->cap, kp->count + 1,
				      sizeof(*kp->rows)))
			return CTM_ENOMEM;
		kp->count++;
		kp->rows[k].values = ctm_arena__alloc(&ds->arena, ds->items * sizeof(double) + 1);
		kp->rows[k].has = ctm_arena__alloc(&ds->arena, ds->items + 1);
		if (!kp->rows[k].values || !kp->rows[k].has)
			return CTM_ENOMEM;
	}
	ctm_kept_row *kr = &kp->rows[k];
	kr->unit = u;
	kr->role = role;
	/* items of no column of this file: nothing added */
	for (size_t i = 0; i < ds->items; i++) {
		kr->has[i] = 0;
		kr->values[i] = 0.0;
	}
	for (size_t c = 0; c < rd->item_col_count; c++) {
		const ctm_column *col = &rd->columns[rd->item_cols[c]];
		kr->values[col->item] = rd->values[col->item];
		kr->has[col->item] = (unsigned char)rd->has_value[col->item];
		if (col->value_item != SIZE_MAX) {
			kr->values[col->value_item] = rd->values[col->value_item];
			kr->has[col->value_item] = (unsigned char)rd->has_value[col->value_item];
		}
	}
	kr->time = row_time(rd, f);
	kr->line = line;
	kr->file_index = rd->file_index;
	kr->comment_first = rd->row_comment_first;
	kr->comment_n = rd->row_comment_n;
	return CTM_OK;
}

/*
 * A respondent's second row under --duplicates last: the later of the two
 * (by the time column when both have a time, else this one, read later)
 * stays. CTM_OK when this row is to be added (the earlier taken back and
 * counted as replaced), ROW_LEFT_OUT when this one is the earlier, or
 * CTM_ENOMEM.
 */
static int replace_kept(ctm_reader *rd, ctm_group_acc *g, const ctm_csv_field *f,
			const row_keys *key, unsigned long line)
{
	ctm_dataset *ds = rd->ds;
	const ctm_hashmap_slot *slot =
		g->kept ? ctm_hashmap__get(&g->kept->index, key->s[3], key->len[3],
					   ctm_hashmap__hash(key->s[3], key->len[3]))
			: NULL;
	if (!slot) /* seen in another group's file? never: ids are per group */
		return leave_out(rd, WHY_ROW_DUPLICATE, line, 1);
	ctm_kept_row *kr = &g->kept->rows[slot->value];
	uint64_t t = row_time(rd, f);
	char why[400];
	if (t && kr->time && t < kr->time) {
		snprintf(why, sizeof(why),
			 "resubmission: respondent '%.80s' on line %lu, an earlier submission "
			 "than line %lu's (--duplicates last)",
			 key->s[3], line, kr->line);
		const char *kept_why = ctm_arena__strdup(&ds->arena, why);
		return kept_why ? leave_out(rd, kept_why, line, 1) : CTM_ENOMEM;
	}
	/* take the earlier row back */
	double *sums = &g->sums[kr->unit * ds->items];
	uint32_t *counts = &g->counts[kr->unit * ds->items];
	for (size_t i = 0; i < ds->items; i++) {
		sums[i] -= kr->values[i];
		counts[i] -= kr->has[i];
	}
	if (kr->role != SIZE_MAX) {
		g->role_respondents[kr->role]--;
		for (size_t d = 0; d < ds->dims; d++) {
			if (!kr->has[d])
				continue;
			g->role_sums[kr->role * ds->dims + d] -= kr->values[d];
			g->role_counts[kr->role * ds->dims + d]--;
		}
	}
	for (size_t k = 0; k < kr->comment_n; k++)
		g->comments[kr->comment_first + k].dead = 1;
	g->respondent_count--;
	ds->rows--;
	rd->rows--;
	/* the earlier row's partner has one respondent less (a partner unit is
	 * named by its partner): what privacy counts (ctm_group_unit_shown) */
	if (ds->aggregate == CTM_AGGREGATE_PARTNER) {
		const char *pn = g->unit_names[kr->unit];
		size_t pl = strlen(pn);
		const ctm_hashmap_slot *ps =
			ctm_hashmap__get(&g->partners, pn, pl, ctm_hashmap__hash(pn, pl));
		if (ps && ps->value < g->partner_count && g->partner_rows[ps->value])
			g->partner_rows[ps->value]--;
	}
	const char *file = kr->file_index < ds->file_count ? ds->file_names[kr->file_index] : "";
	snprintf(why, sizeof(why),
		 "resubmission: respondent '%.80s' on line %lu%s%.200s replaced by line %lu "
		 "(--duplicates last)",
		 key->s[3], kr->line, kr->file_index == rd->file_index ? "" : " of ",
		 kr->file_index == rd->file_index ? "" : file, line);
	const char *kept_why = ctm_arena__strdup(&ds->arena, why);
	if (!kept_why || exclude_in(ds, g, kept_why, 1, file, kr->line, 1))
		return CTM_ENOMEM;
	/* the partner and unit stay as the earlier row made them known */
	rd->last_unit = SIZE_MAX;
	return CTM_OK;
}

/* A row's answers to the open-text prompts, appended to its group's: each
 * non-empty one (not "NA"), trimmed, its line breaks as LF and any other
 * control character as a space, so that the report prints what was written
 * and nothing a page cannot show. CTM_OK or CTM_ENOMEM. */
static int add_comments(ctm_reader *rd, ctm_group_acc *g, const ctm_csv_field *f, size_t n)
{
	ctm_dataset *ds = rd->ds;

	rd->row_comment_first = g->comment_count;
	rd->row_comment_n = 0;
	for (size_t k = 0; k < rd->comment_col_count; k++) {
		size_t c = rd->comment_cols[k];
		if (c >= n)
			continue;
		const char *s = f[c].data;
		size_t len = f[c].len;
		ctm_text__trim(&s, &len);
		if (!len || (len == 2 && memcmp(s, "NA", 2) == 0))
			continue;
		char *copy = ctm_arena__alloc(&ds->arena, len + 1);
		if (!copy || ctm_grow__reserve((void **)&g->comments, &g->comment_cap,
					       g->comment_count + 1, sizeof(*g->comments)))
			return CTM_ENOMEM;
		size_t w = 0;
		for (size_t i = 0; i < len; i++) {
			unsigned char ch = (unsigned char)s[i];
			if (ch == '\r') {
				copy[w++] = '\n';
				if (i + 1 < len && s[i + 1] == '\n')
					i++;
			} else if (ch == '\n') {
				copy[w++] = '\n';
			} else {
				copy[w++] = ch < 0x20 || ch == 0x7F ? ' ' : (char)ch;
			}
		}
		copy[w] = '\0';
		g->comments[g->comment_count++] =
			(ctm_comment_text){ copy, w, rd->columns[c].item, 0 };
		rd->row_comment_n++;
	}
	return CTM_OK;
}

/* One data row: CTM_OK (read, or left out), CTM_EINVALID (its errors in
 * ctx) or CTM_ENOMEM. */
static int read_row(ctm_reader *rd, const ctm_csv_field *f, size_t n, unsigned long record_line)
{
	row_keys key = { { NULL }, { 0 } };
	ctm_group_acc *g = NULL;
	int row_ok = 1, rc, resubmitted = 0;

	rd->excl_group = NULL; /* until the row's group is known */

	if ((rc = check_width(rd, f, n, record_line)) != CTM_OK)
		return rc == ROW_LEFT_OUT ? CTM_OK : rc;
	/* before anything else: a preview's answers are no one's */
	const char *incomplete = rd->check_count
					 ? ctm_completion__reason(rd->checks, rd->check_count, f)
					 : NULL;
	if (incomplete) {
		/* its group's, when the group has rows already (a preview before
		 * any answer belongs to no group yet) */
		row_keys key0 = { { NULL }, { 0 } };
		for (int k = 0; k < 2; k++) {
			key0.s[k] = rd->key_col[k] >= 0 ? f[rd->key_col[k]].data : rd->ds->constants[k];
			key0.len[k] = rd->key_col[k] >= 0 ? f[rd->key_col[k]].len
							  : rd->ds->constant_len[k];
			if (key0.s[k])
				ctm_text__trim_inline(&key0.s[k], &key0.len[k]);
		}
		rd->excl_group = existing_group(rd->ds, &key0);
		return leave_out(rd, incomplete, record_line, f[0].column) == ROW_LEFT_OUT
			       ? CTM_OK
			       : CTM_ENOMEM;
	}
	if ((rc = read_keys(rd, f, record_line, &key, &row_ok)) != CTM_OK)
		return rc == ROW_LEFT_OUT ? CTM_OK : rc;
	/* The group and the duplicate check come before the answers, so that a
	 * duplicate row with bad cells is reported (strict) as both, and left
	 * out (lenient) before its cells are counted as exclusions. */
	if (row_ok) {
		if (!(g = row_group(rd, key.s[0], key.len[0], key.s[1], key.len[1])))
			return CTM_ENOMEM;
		rd->excl_group = g;
		if (key.len[3] &&
		    (rc = check_respondent(rd, g, f, &key, record_line, &row_ok)) != CTM_OK) {
			if (rc != RESUBMITTED)
				return rc == ROW_LEFT_OUT ? CTM_OK : rc;
			resubmitted = 1;
		}
	}
	if ((rc = read_answers(rd, f, &row_ok)) != CTM_OK)
		return rc;
	if (!row_ok)
		return CTM_EINVALID;
	if (resubmitted) {
		/* the later submission wins: the earlier row is taken back, or
		 * this one left out when the earlier is later by its time */
		if ((rc = replace_kept(rd, g, f, &key, record_line)) != CTM_OK)
			return rc == ROW_LEFT_OUT ? CTM_OK : rc;
	}

	int partner_seen = same_partner(rd, key.s[2], key.len[2]);
	size_t u = row_unit(rd, g, &key, partner_seen);
	if (u == SIZE_MAX)
		return CTM_ENOMEM;
	if (!partner_seen && count_partner(rd, g, key.s[2], key.len[2]) != CTM_OK)
		return CTM_ENOMEM;
	size_t role = SIZE_MAX;
	if ((rc = add_answers(rd, g, u, &key, &role)) != CTM_OK ||
	    (rc = add_comments(rd, g, f, n)) != CTM_OK)
		return rc;
	if (rd->ds->duplicates == CTM_DUPLICATES_LAST && key.len[3] &&
	    (rc = keep_row(rd, g, u, role, f, &key, record_line)) != CTM_OK)
		return rc;
	g->partner_rows[rd->last_partner_index]++;
	if ((rc = ctm_names__check_row(rd->ds, key.s, key.len, rd->values, rd->has_value,
				       rd->file_index, record_line)) != CTM_OK)
		return rc;
	g->respondent_count++;
	rd->ds->rows++;
	rd->rows++;
	return CTM_OK;
}

static int all_blank(const ctm_csv_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = f[i].data;
		size_t len = f[i].len;
		ctm_text__trim_inline(&s, &len);
		if (len)
			return 0;
	}
	return 1;
}

/* Every this many records the progress callback hears how far we are. */
#define PROGRESS_EVERY 16384

/*
 * A record kept past the next ctm_csv__next (whose fields are borrowed until
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
	/* the fields keep ctm_csv__next's promise of CTM_CSV_FIELD_PAD bytes */
	ctm_csv_field *copy = calloc(1, n * sizeof(*f) + bytes + CTM_CSV_FIELD_PAD);
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
int ctm_dataset__next_record(ctm_csv *csv, ctm_ctx *scratch, ctm_ctx *ctx, const ctm_csv_field **f,
			     size_t *n, int *bad, unsigned long *line)
{
	if (scratch)
		ctm_ctx_clear(scratch);
	ctm_csv__set_context(csv, scratch ? scratch : ctx);
	int got = ctm_csv__next(csv, f, n, bad);
	if (got > 0)
		*line = ctm_csv__record_line(csv);
	return got;
}

/* One data record: a malformed one becomes an exclusion (lenient; strict, the
 * reader has reported it), so does a blank one; the rest are read. Returns 0
 * or CTM_ENOMEM: a row's own errors are in the context. */
int ctm_dataset__handle_record(ctm_reader *rd, ctm_ctx *scratch, const ctm_csv_field *f, size_t n,
			       int bad, unsigned long line)
{
	ctm_dataset *ds = rd->ds;

	if (!bad && all_blank(f, n))
		return exclude(ds, WHY_BLANK, 1, rd->file, line, 1) ? CTM_ENOMEM : CTM_OK;
	rd->records++;
	if (bad) {
		if (!scratch)
			return CTM_OK;
		const ctm_diag *d = ctm_ctx_get(scratch, 0);
		const char *why = d ? d->message : "malformed CSV row";
		char *kept = ctm_arena__strdup(&ds->arena, why);
		if (!kept || exclude(ds, kept, 1, rd->file, d ? d->line : line,
				       d ? d->column | (d->cell ? CTM_DIAG_CELL : 0) : 1))
			return CTM_ENOMEM;
		return CTM_OK;
	}
	int r = read_row(rd, f, n, line);
	return r == CTM_ENOMEM ? r : CTM_OK;
}

int ctm_dataset__reader_alloc(ctm_reader *rd)
{
	size_t items = rd->ds->items ? rd->ds->items : 1;

	rd->values = calloc(items, sizeof(*rd->values));
	rd->has_value = calloc(items, sizeof(*rd->has_value));
	rd->memo = calloc(items * MEMO_SLOTS, sizeof(*rd->memo));
	return rd->values && rd->has_value && rd->memo ? CTM_OK : CTM_ENOMEM;
}

void ctm_dataset__reader_free(ctm_reader *rd)
{
	free(rd->values);
	free(rd->has_value);
	free(rd->memo);
	free(rd->last_partner);
	rd->values = NULL;
	rd->has_value = NULL;
	rd->memo = NULL;
	rd->last_partner = NULL;
}

/* The rows before the data: the header, and Qualtrics' extra header rows
 * when there are some. */
typedef struct header_rows {
	held_record names;  /* the header */
	held_record second; /* the record after it, held back */
	int texts;          /* what second is to the header: CTM_HEADER_TEXTS_* */
	int second_is_data; /* second is a data record, to be read first */
	int import_ids;     /* an ImportId row was skipped: a Qualtrics export */
	unsigned char *system; /* from the ImportId row: the platform's columns, or NULL */
	int pending;        /* the last record read (f, n, bad, line) is data */
	int got;            /* ctm_dataset__next_record's result for it */
	const ctm_csv_field *f;
	size_t n;
	int bad;
	unsigned long line;
} header_rows;

/* The header: the first record that is not a blank line. 0, CTM_EINVALID
 * (an empty file, a malformed header: said in ctx) or a fatal error. */
static int read_header_row(ctm_csv *csv, header_rows *h, const char *file, ctm_ctx *ctx)
{
	const ctm_csv_field *f;
	size_t n;
	int bad, got;

	do {
		got = ctm_csv__next(csv, &f, &n, &bad);
	} while (got > 0 && n == 1 && f[0].len == 0);
	if (got < 0)
		return got;
	if (got == 0) {
		ctm_diag__error(ctx, file, 1, ctm_csv__first_column(csv),
				"the file is empty: expected a header row and answers");
		return CTM_EINVALID;
	}
	if (bad)
		return CTM_EINVALID; /* the reader said why */
	return hold_record(&h->names, f, n, 0) ? CTM_ENOMEM : CTM_OK;
}

/* The ImportId row just read (h->f): which columns are Qualtrics' own or
 * embedded data, so that they are named with the platform's. 0 or -1. */
static int note_system_columns(header_rows *h)
{
	if (h->n != h->names.count)
		return 0;
	if (!(h->system = malloc(h->n ? h->n : 1)))
		return -1;
	ctm_columns__import_id_system(h->f, h->n, h->system);
	return 0;
}

/* Two header rows other than Qualtrics' current three (other_layout). */
#define LAYOUT_QUALTRICS_LEGACY 1
#define LAYOUT_SURVEYMONKEY 2

static int cell_is(const ctm_csv_field *f, const char *s)
{
	const char *d = f->data;
	size_t len = f->len;
	ctm_text__trim(&d, &len);
	return len == strlen(s) && memcmp(d, s, len) == 0;
}

/*
 * Which layout the header and the record after it have: Qualtrics' legacy
 * export (row 1 V1, V2, V3, ..., Q1, ...; row 2 ResponseID, ..., the question
 * texts), SurveyMonkey's (row 1 the questions, blank over a question's later
 * columns; row 2 "Response", "Open-Ended Response" or each column's
 * sub-label, blank under the system columns), or 0: neither. No respondent's
 * row looks like either: V1, V2, V3 are no rubric's columns, and a row of
 * answers has no cell "Response" with the first cell empty.
 */
static int other_layout(const header_rows *h)
{
	const ctm_csv_field *a = h->names.fields, *b = h->second.fields;
	size_t n = h->names.count;

	if (n >= 3 && cell_is(&a[0], "V1") && cell_is(&a[1], "V2") && cell_is(&a[2], "V3"))
		return LAYOUT_QUALTRICS_LEGACY;
	if (n < 2 || b[0].len != 0)
		return 0;
	for (size_t c = 1; c < n; c++)
		if (cell_is(&b[c], "Response") || cell_is(&b[c], "Open-Ended Response"))
			return LAYOUT_SURVEYMONKEY;
	return 0;
}

/* Qualtrics' legacy layout: row 2 names the columns (row 1's V1.., Q1..
 * are Qualtrics' own numbering). */
static int take_second_as_names(header_rows *h)
{
	/* row 1's names stay, for a --map written with them (Q3_1, as in the
	 * export of today's layout) */
	held_record numbering = h->names;
	h->names = h->second;
	h->second = numbering;
	h->texts = CTM_HEADER_TEXTS_NAMES;
	return 0;
}

/*
 * SurveyMonkey's two rows as one header: a column's question is row 1's,
 * or the last one to its left when blank; row 2 "Response" (or blank) adds
 * nothing, anything else ("Open-Ended Response", a matrix row, a choice) is
 * added as "Question [Sub-label]", which a grid's columns are matched by.
 */
static int combine_surveymonkey(header_rows *h)
{
	size_t n = h->names.count;
	ctm_csv_field *parts = calloc(n ? n : 1, sizeof(*parts));
	ctm_strbuf *texts = calloc(n ? n : 1, sizeof(*texts));
	const ctm_csv_field *question = NULL;
	int rc = -1;

	if (!parts || !texts)
		goto cleanup;
	for (size_t c = 0; c < n; c++) {
		const ctm_csv_field *q = &h->names.fields[c], *sub = &h->second.fields[c];
		const char *qs = q->data, *ss = sub->data;
		size_t ql = q->len, sl = sub->len;
		ctm_text__trim(&qs, &ql);
		ctm_text__trim(&ss, &sl);
		if (ql)
			question = q;
		else if (question) {
			qs = question->data;
			ql = question->len;
			ctm_text__trim(&qs, &ql);
		}
		texts[c] = (ctm_strbuf)CTM_STRBUF_INIT;
		ctm_strbuf__append(&texts[c], qs, ql);
		if (sl && !cell_is(sub, "Response")) {
			ctm_strbuf__printf(&texts[c], " [%.*s]", (int)sl, ss);
		}
		if (texts[c].failed)
			goto cleanup;
		parts[c] = *q;
		parts[c].data = texts[c].s ? texts[c].s : "";
		parts[c].len = texts[c].len;
	}
	held_record combined = { NULL, 0, 0 };
	if (hold_record(&combined, parts, n, h->names.line))
		goto cleanup;
	free(h->names.fields);
	h->names = combined;
	rc = 0;

cleanup:
	for (size_t c = 0; texts && c < n; c++)
		ctm_strbuf__free(&texts[c]);
	free(texts);
	free(parts);
	return rc;
}

/*
 * A Qualtrics export has three header rows: names, question texts, and
 * {"ImportId":...} cells. The ImportId row is unmistakable (no answer looks
 * like it), the question-text row is not (it could be a respondent whose
 * answers happen to be text). So the record after the header is held back
 * and skipped only when the one after it is an ImportId row; otherwise both
 * are data, read in order. An ImportId row right after the header (an export
 * without the text row) is skipped too. 0 or a fatal error.
 */
static int read_qualtrics_rows(ctm_csv *csv, ctm_ctx *scratch, header_rows *h, ctm_ctx *ctx)
{
	h->got = ctm_dataset__next_record(csv, scratch, ctx, &h->f, &h->n, &h->bad, &h->line);
	if (h->got > 0 && !h->bad && ctm_columns__is_import_id_row(h->f, h->n)) {
		h->pending = 0;
		h->import_ids = 1;
		if (note_system_columns(h))
			return CTM_ENOMEM;
	} else if (h->got > 0 && !h->bad && !all_blank(h->f, h->n)) {
		if (hold_record(&h->second, h->f, h->n, h->line))
			return CTM_ENOMEM;
		int layout = h->second.count == h->names.count ? other_layout(h) : 0;
		if (layout && (layout == LAYOUT_QUALTRICS_LEGACY ? take_second_as_names(h)
								 : combine_surveymonkey(h)))
			return CTM_ENOMEM;
		h->import_ids |= layout == LAYOUT_QUALTRICS_LEGACY;
		h->got = ctm_dataset__next_record(csv, scratch, ctx, &h->f, &h->n, &h->bad,
						  &h->line);
		if (layout) {
			h->pending = h->got > 0;
		} else if (h->got > 0 && !h->bad && ctm_columns__is_import_id_row(h->f, h->n)) {
			h->texts = CTM_HEADER_TEXTS_QUESTIONS;
			h->pending = 0;
			h->import_ids = 1;
			if (note_system_columns(h))
				return CTM_ENOMEM;
		} else {
			h->second_is_data = 1;
			h->pending = h->got > 0;
		}
	} else {
		h->pending = h->got > 0;
	}
	return h->got < 0 ? h->got : CTM_OK;
}

/* The column of the platform's end or submit time, which decides which of
 * two submissions is the later (--duplicates last); -1 when none. The first
 * of the names in the order below, none of them a rubric's column. */
static int time_column(const ctm_csv_field *h, size_t n, const ctm_column *columns)
{
	static const char *const names[] = {
		"EndDate",         "End Date",         "RecordedDate",   "submitdate",
		"Date submitted",  "Completion time",  "Timestamp",      "_submission_time",
		"SubmissionDate",  "end",              "Survey Timestamp",
	};
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		for (size_t c = 0; c < n; c++) {
			const char *s = h[c].data;
			size_t len = h[c].len;
			ctm_text__trim(&s, &len);
			if (columns[c].kind == CTM_COL_IGNORED &&
			    ctm_text__fold_equal(s, len, names[k], strlen(names[k])))
				return (int)c;
		}
	}
	for (size_t c = 0; c < n; c++) {
		const char *s = h[c].data;
		size_t len = h[c].len;
		ctm_text__trim(&s, &len);
		if (columns[c].kind == CTM_COL_IGNORED && len > 10 &&
		    ctm_text__fold_equal(s + len - 10, 10, "_timestamp", 10))
			return (int)c;
	}
	return -1;
}

/* What each column is (ctm_columns__match_header), and the reader's lists
 * of key and item columns from it. */
static int match_columns(ctm_reader *rd, ctm_column *columns, size_t *item_cols,
			 size_t *comment_cols, const header_rows *h, ctm_ctx *ctx)
{
	const held_record *texts = h->texts ? &h->second : NULL;
	int rc = ctm_columns__match_header(rd->ds, h->names.fields, h->names.count,
					   texts ? texts->fields : NULL, texts ? texts->count : 0,
					   h->texts, h->system, columns, rd->file, ctx);
	if (rc != CTM_OK)
		return rc;
	for (size_t c = 0; c < h->names.count; c++) {
		ctm_column_kind k = columns[c].kind;
		if (k >= CTM_COL_REGION && k <= CTM_COL_ROLE)
			rd->key_col[k - CTM_COL_REGION] = (int)c;
		columns[c].value_item = SIZE_MAX;
		if (k == CTM_COL_COMMENT)
			comment_cols[rd->comment_col_count++] = c;
		if (k != CTM_COL_ITEM)
			continue;
		item_cols[rd->item_col_count++] = c;
		size_t item = columns[c].item;
		if (item >= rd->ds->dims) {
			size_t v = rd->ds->rubric->questions[item - rd->ds->dims].value_item;
			if (v != SIZE_MAX)
				columns[c].value_item = rd->ds->matched + v;
		}
	}
	rd->time_col = rd->ds->duplicates == CTM_DUPLICATES_LAST
			       ? time_column(h->names.fields, h->names.count, columns)
			       : -1;
	if (rd->ds->keep_incomplete)
		return CTM_OK;
	ctm_completion_check *checks;
	if (ctm_completion__find(&rd->ds->arena, h->names.fields, h->names.count, columns,
				 h->import_ids, &checks, &rd->check_count))
		return CTM_ENOMEM;
	rd->checks = checks;
	return CTM_OK;
}

/*
 * The data records after the header rows to the end of the input, with the
 * later part of a large input read on a second thread and merged when that
 * changes nothing (dataset_split.c). *got is the last read's result.
 */
static int read_records(ctm_reader *rd, ctm_csv *csv, ctm_ctx *scratch, header_rows *h,
			const char *mem, unsigned long long size, ctm_ctx *ctx)
{
	ctm_dataset *ds = rd->ds;
	ctm_part_reader *part = NULL;
	unsigned long long part_start = ~0ull, records = 0;
	int merged = 0, rc = CTM_OK;

	if (h->got > 0 && (part = ctm_dataset__start_part(rd, csv, mem, size)) != NULL)
		part_start = ctm_dataset__part_split(part);
	while (h->got > 0) {
		if (ctm_csv__bytes_read(csv) >= part_start - 1) {
			/* at the part's start (or past it: the split was inside a record) */
			unsigned long long at = ctm_csv__next_record_offset(csv);
			if (at != ~0ull && at >= part_start) {
				if ((rc = ctm_dataset__finish_part(part, rd, csv)) < 0)
					goto cleanup;
				merged = rc == 1;
				rc = CTM_OK;
				ctm_dataset__part_free(part);
				part = NULL;
				part_start = ~0ull;
				if (merged)
					break;
			}
		}
		h->got = ctm_dataset__next_record(csv, scratch, ctx, &h->f, &h->n, &h->bad,
						  &h->line);
		if (h->got <= 0)
			break;
		if (ds->progress && ++records % PROGRESS_EVERY == 0)
			ds->progress(ds->progress_user,
				     ctm_csv__bytes_read(csv) +
					     (part ? ctm_dataset__part_bytes(part) : 0),
				     size);
		if ((rc = ctm_dataset__handle_record(rd, scratch, h->f, h->n, h->bad, h->line)) !=
		    CTM_OK)
			goto cleanup;
	}
	if (ds->progress)
		ds->progress(ds->progress_user, merged ? size : ctm_csv__bytes_read(csv), size);
	if (h->got < 0)
		rc = h->got;

cleanup:
	ctm_dataset__part_free(part);
	return rc;
}

/* A file whose every data row was left out, or that has none, is an error. */
static int check_rows_read(const ctm_reader *rd, ctm_csv *csv, size_t errors_before, ctm_ctx *ctx)
{
	if (rd->rows == 0 && ctm_ctx_error_count(ctx) == errors_before) {
		unsigned long at = rd->end_line ? rd->end_line : ctm_csv__record_line(csv);
		if (rd->records)
			ctm_diag__error(
				ctx, rd->file, at, ctm_csv__first_column(csv),
				"no answers: all %zu data row%s left out (see the exclusions)",
				rd->records, rd->records == 1 ? " was" : "s were");
		else
			ctm_diag__error(ctx, rd->file, at, ctm_csv__first_column(csv),
					"no answers: the file has a header but no data rows");
	}
	return ctm_ctx_error_count(ctx) > errors_before ? CTM_EINVALID : CTM_OK;
}

static int read_csv(ctm_dataset *ds, ctm_csv *csv, const char *file, const char *mem,
		    unsigned long long size, ctm_ctx *ctx)
{
	ctm_reader rd = { .ds = ds,
			  .ctx = ctx,
			  .file = file,
			  .key_col = { -1, -1, -1, -1, -1 },
			  .time_col = -1,
			  .last_unit = SIZE_MAX };
	header_rows h = { 0 };
	ctm_column *columns = NULL;
	size_t *item_cols = NULL, *comment_cols = NULL;
	ctm_ctx *scratch = NULL;
	size_t errors_before = ctm_ctx_error_count(ctx);
	int rc = CTM_OK;

	/* Named in messages about respondents first seen in this file. */
	const char *name_copy = ctm_arena__strdup(&ds->arena, file);
	if (!name_copy || ctm_grow__reserve((void **)&ds->file_names, &ds->file_cap,
					    ds->file_count + 1, sizeof(*ds->file_names)))
		return CTM_ENOMEM;
	rd.file_index = ds->file_count;
	ds->file_names[ds->file_count++] = name_copy;

	/* Lenient: the reader's complaints become exclusions, not errors. */
	if (ds->lenient) {
		if (!(scratch = ctm_ctx_new()))
			return CTM_ENOMEM;
		ctm_ctx_set_max_diags(scratch, 1);
	}

	if ((rc = read_header_row(csv, &h, file, ctx)) != CTM_OK)
		goto cleanup;
	rd.column_count = h.names.count;
	rd.columns = columns = calloc(h.names.count, sizeof(*columns));
	rd.item_cols = item_cols = calloc(h.names.count, sizeof(*item_cols));
	rd.comment_cols = comment_cols = calloc(h.names.count, sizeof(*comment_cols));
	if (!columns || !item_cols || !comment_cols || ctm_dataset__reader_alloc(&rd)) {
		rc = CTM_ENOMEM;
		goto cleanup;
	}
	if ((rc = read_qualtrics_rows(csv, scratch, &h, ctx)) != CTM_OK ||
	    (rc = match_columns(&rd, columns, item_cols, comment_cols, &h, ctx)) != CTM_OK)
		goto cleanup;
	if (h.second_is_data &&
	    (rc = ctm_dataset__handle_record(&rd, scratch, h.second.fields, h.second.count, 0,
					     h.second.line)) != CTM_OK)
		goto cleanup;
	if (h.pending &&
	    (rc = ctm_dataset__handle_record(&rd, scratch, h.f, h.n, h.bad, h.line)) != CTM_OK)
		goto cleanup;
	if ((rc = read_records(&rd, csv, scratch, &h, mem, size, ctx)) != CTM_OK)
		goto cleanup;
	ctm_csv__set_context(csv, ctx);
	rc = check_rows_read(&rd, csv, errors_before, ctx);

cleanup:
	ctm_csv__set_context(csv, ctx);
	free(columns);
	free(item_cols);
	free(comment_cols);
	ctm_dataset__reader_free(&rd);
	free(h.names.fields);
	free(h.second.fields);
	free(h.system);
	ctm_ctx_free(scratch);
	return rc;
}

/* A file whose first bytes are a zip's or an OLE2 file's: an Excel workbook
 * read as its sheet's records (xlsx.h), or a format that is not read, said
 * with its fix. CTM_EINVALID and the rest, or 1: not one, read as text. */
static int open_binary(ctm_dataset *ds, ctm_csv **csv, const char *path, const char *name,
		       const void *head, size_t head_len, const void *buf, size_t len,
		       ctm_ctx *ctx)
{
	switch (ctm_xlsx__sniff(head, head_len)) {
	case CTM_XLSX_ZIP:
		return ctm_xlsx__open(csv, path, name, buf, len, ds->sheet, &ds->csv_limits, ctx);
	case CTM_XLSX_OLE2:
		ctm_diag__error(ctx, name, 0, 0,
				"an Excel 97-2003 workbook (.xls) is not read: save it as an Excel "
				"workbook (.xlsx) or as CSV UTF-8");
		return CTM_EINVALID;
	case CTM_XLSX_NOT:
		break;
	}
	return 1;
}

/* A hash of a file's bytes: with its size, what tells a copy. */
static int hash_file(const char *path, unsigned long long *size, uint64_t *hash, unsigned long long *dev,
		     unsigned long long *ino)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char buf[65536];
	uint64_t h = 1469598103934665603ull;
	unsigned long long n = 0;
	size_t got;

	if (!f)
		return -1;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return -1;
	}
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
		/* the map's hash per chunk, chained: a word at a time, not a byte */
		h = (h ^ ctm_hashmap__hash(buf, got)) * 1099511628211ull;
		n += got;
	}
	fclose(f);
	*size = n;
	*hash = h;
	*dev = (unsigned long long)st.st_dev;
	*ino = (unsigned long long)st.st_ino;
	return 0;
}

/*
 * An input given twice (the same file by two paths or links, or a copy with
 * the same bytes) is read once: counting its rows twice would double every
 * partner's weight. 1 when path is one already read (said in ctx), 0 when
 * not (remembered), CTM_ENOMEM. Standard input and other streams are never
 * compared.
 */
static int already_read(ctm_dataset *ds, const char *path, ctm_ctx *ctx)
{
	ctm_input in = { path, 0, 0, 0, 0, 1 };
	if (hash_file(path, &in.size, &in.hash, &in.dev, &in.ino) != 0)
		return 0;
	for (size_t i = 0; i < ds->input_count; i++) {
		const ctm_input *was = &ds->inputs[i];
		/* the bytes decide: an inode may have been freed and reused
		 * by another file since (a caller's temporary files) */
		if (!(was->size == in.size && was->hash == in.hash))
			continue;
		int same_file = was->dev == in.dev && was->ino == in.ino;
		ctm_diag__warning(ctx, path, 0, 0,
				  "%s %s: read once (an input given twice would count its rows "
				  "twice; see continuum audit)",
				  same_file ? "is the same file as" : "has the same content as",
				  was->name);
		if (ctm_grow__reserve((void **)&ds->repeats, &ds->repeat_cap, ds->repeat_count + 1,
				      sizeof(*ds->repeats)))
			return CTM_ENOMEM;
		const char *name = ctm_arena__strdup(&ds->arena, path);
		if (!name)
			return CTM_ENOMEM;
		ds->repeats[ds->repeat_count++] = (ctm_input_repeat){ name, was->name, same_file };
		return 1;
	}
	if (!(in.name = ctm_arena__strdup(&ds->arena, path)) ||
	    ctm_grow__reserve((void **)&ds->inputs, &ds->input_cap, ds->input_count + 1,
			      sizeof(*ds->inputs)))
		return CTM_ENOMEM;
	ds->inputs[ds->input_count++] = in;
	return 0;
}

static int read_file(ctm_dataset *ds, const char *path, ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	int rc = 1;
	if (strcmp(path, "-") != 0 && (rc = already_read(ds, path, ctx)) != 0)
		return rc < 0 ? rc : CTM_OK;
	if (strcmp(path, "-") != 0) {
		unsigned char head[8];
		size_t got = 0;
		FILE *f = fopen(path, "rb");
		if (f) {
			got = fread(head, 1, sizeof(head), f);
			fclose(f);
		}
		if ((rc = open_binary(ds, &csv, path, path, head, got, NULL, 0, ctx)) <= 0) {
			if (rc == CTM_OK)
				rc = read_csv(ds, csv, ctm_csv__name(csv), NULL, 0, ctx);
			ctm_csv__free(csv);
			return rc;
		}
	}
	rc = ctm_csv__open_file(&csv, path, &ds->csv_limits, ctx);
	if (rc != CTM_OK)
		return rc;
	/* the size of the file open, not of whatever the path names by now */
	struct stat st;
	unsigned long long size = 0;
	if (strcmp(path, "-") != 0 && fstat(ctm_csv__fd(csv), &st) == 0 && S_ISREG(st.st_mode))
		size = (unsigned long long)st.st_size;
	rc = read_csv(ds, csv, strcmp(path, "-") == 0 ? "<stdin>" : path, NULL, size, ctx);
	ctm_csv__free(csv);
	return rc;
}

/*
 * Errors decide the result (CTM_EINVALID) by being counted in the context:
 * without one from the caller, a private one counts them, so that invalid
 * input is never accepted for want of somewhere to say so.
 */
int ctm_dataset_read_file(ctm_dataset *ds, const char *path, ctm_ctx *ctx)
{
	ctm_ctx *own = NULL;
	if (!ds || !path)
		return CTM_EUSAGE;
	if (!ctx && !(ctx = own = ctm_ctx_new()))
		return CTM_ENOMEM;
	int rc = read_file(ds, path, ctx);
	ctm_ctx_free(own);
	return rc;
}

int ctm_dataset_read_memory(ctm_dataset *ds, const char *name, const char *buf, size_t len,
			    ctm_ctx *ctx)
{
	ctm_csv *csv = NULL;
	ctm_ctx *own = NULL;
	if (!ds || (!buf && len))
		return CTM_EUSAGE;
	if (!name)
		name = "<memory>";
	if (!ctx && !(ctx = own = ctm_ctx_new()))
		return CTM_ENOMEM;
	const char *file = name;
	int rc = open_binary(ds, &csv, NULL, name, buf, len, buf, len, ctx);
	if (rc == 1) {
		rc = ctm_csv__open_memory(&csv, name, buf ? buf : "", len, &ds->csv_limits, ctx);
	} else {
		file = csv ? ctm_csv__name(csv) : name;
		buf = NULL;
		len = 0;
	}
	if (rc == CTM_OK)
		rc = read_csv(ds, csv, file, buf, len, ctx);
	ctm_csv__free(csv);
	ctm_ctx_free(own);
	return rc;
}

int ctm_read_options_init(ctm_read_options *opts, unsigned int version)
{
	_Static_assert(offsetof(ctm_read_options, version) == 0, "the version comes first");
	const ctm_read_options defaults = CTM_READ_OPTIONS_INIT;
	/* a version-1 caller's struct ends before the fields of version 2 */
	size_t size = version == 1   ? offsetof(ctm_read_options, recode_path)
		      : version == 2 ? offsetof(ctm_read_options, sheet)
				     : sizeof(*opts);
	return ctm_diag__init_options(opts, size, &defaults, version, CTM_READ_OPTIONS_VERSION);
}
