/*
 * Recodes: what an export's answer codes stand for (docs/exports.md).
 *
 * A recode file (--recode) is CSV with the header "item,from,to": item a
 * rubric item's id or "*" (every item whose answers "to" can name), from an
 * answer as the export writes it, to what it stands for: anything a cell may
 * hold for that item (a level value, a level's id or name, an option's code
 * or label, ...), or empty for a missing answer. A REDCap data dictionary
 * (--redcap-dictionary) gives each field's choices, "0, Never | 1, Sometimes";
 * for every field that is read as an item, its codes are recoded to their
 * labels, which then match as usual.
 *
 * A recode is resolved once, when it is read, through the item's own
 * matcher: so "to" is checked then (an error where it names nothing), the
 * reading of cells stays one lookup, and recodes never chain. They are
 * tried before the rubric's own spellings, so that REDCap's code 0 can be
 * level 1 although "1" is a level too.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_internal.h"
#include "diag.h"
#include "grow.h"
#include "text.h"

#define SHOWN(len) ((int)((len) > 200 ? 200 : (len)))

/* The answer to stands for, for item m: CTM_CELL_VALUE or _MISSING with
 * *sp's value, rated and missing set; CTM_CELL_INVALID when it names none. */
static ctm_cell_result resolve_to(const ctm_dataset *ds, const ctm_item_matcher *m,
				  const char *to, size_t len, ctm_spelling *sp)
{
	double value = NAN, rated = NAN;
	ctm_cell_result res;

	ctm_text__trim(&to, &len);
	if (len == 0) {
		sp->missing = 1;
		sp->value = sp->rated = NAN;
		return CTM_CELL_MISSING;
	}
	/* the rubric's spellings only: recodes do not chain */
	ctm_item_matcher plain = *m;
	plain.recode_count = 0;
	res = ctm_columns__match_answer(&plain, to, len, ds->rubric->level_count, &value, &rated);
	sp->missing = res == CTM_CELL_MISSING;
	sp->value = value;
	sp->rated = rated;
	return res;
}

/*
 * Adds the recode from -> *resolved to item i. A recode of the same answer
 * already there: 0 when it means the same, else 1 (a contradiction, for the
 * caller to say). -1 when out of memory.
 */
static int add_recode(ctm_dataset *ds, size_t i, const char *from, size_t flen,
		      const ctm_spelling *resolved)
{
	ctm_item_matcher *m = &ds->matchers[i];
	char *key = ctm_arena__alloc(&ds->arena, flen + 1);
	if (!key)
		return -1;
	size_t klen = ctm_text__match_key(key, flen + 1, from, flen);
	key[klen] = '\0';
	for (size_t k = 0; k < m->recode_count; k++) {
		const ctm_spelling *sp = &m->recodes[k];
		if (sp->len == klen && memcmp(sp->folded, key, klen) == 0) {
			int same = sp->missing == resolved->missing &&
				   (sp->missing || ((sp->value == resolved->value ||
						     (isnan(sp->value) && isnan(resolved->value))) &&
						    (sp->rated == resolved->rated ||
						     (isnan(sp->rated) && isnan(resolved->rated)))));
			return same ? 0 : 1;
		}
	}
	if (ctm_grow__reserve((void **)&m->recodes, &m->recode_cap, m->recode_count + 1,
			      sizeof(*m->recodes)))
		return -1;
	ctm_spelling *sp = &m->recodes[m->recode_count++];
	*sp = *resolved;
	sp->folded = key;
	sp->len = klen;
	return 0;
}

/* One row of a recode file. */
static int recode_row(ctm_dataset *ds, const char *path, const ctm_csv_field *f, ctm_ctx *ctx)
{
	const char *item = f[0].data, *from = f[1].data;
	size_t il = f[0].len, fl = f[1].len;
	size_t first = 0, last = ds->matched, applied = 0;

	ctm_text__trim(&item, &il);
	ctm_text__trim(&from, &fl);
	if (fl == 0) {
		ctm_diag__error(ctx, path, f[1].line, f[1].column,
				"a recode's 'from' is empty: an empty cell is already a missing "
				"answer");
		return CTM_EINVALID;
	}
	if (!(il == 1 && item[0] == '*')) {
		first = ctm_columns__item_by_id(ds, item, il);
		if (first == SIZE_MAX) {
			ctm_diag__error(ctx, path, f[0].line, f[0].column,
					"'%.*s' is not an item id of rubric '%s' (or '*' for every "
					"item)",
					SHOWN(il), item, ds->rubric->id);
			return CTM_EINVALID;
		}
		last = first + 1;
	}
	for (size_t i = first; i < last; i++) {
		ctm_spelling sp = { 0 };
		if (resolve_to(ds, &ds->matchers[i], f[2].data, f[2].len, &sp) == CTM_CELL_INVALID)
			continue;
		int r = add_recode(ds, i, from, fl, &sp);
		if (r < 0)
			return CTM_ENOMEM;
		if (r > 0) {
			ctm_diag__error(ctx, path, f[1].line, f[1].column,
					"'%.*s' is recoded twice for item '%s', to different "
					"answers",
					SHOWN(fl), from, ds->matchers[i].id);
			return CTM_EINVALID;
		}
		applied++;
	}
	if (applied == 0) {
		const char *to = f[2].data;
		size_t tl = f[2].len;
		ctm_text__trim(&to, &tl);
		if (last - first == 1)
			ctm_diag__error(ctx, path, f[2].line, f[2].column,
					"'%.*s' is not an answer to item '%s' (a level value, a "
					"level's id or name, an option's code or label, or empty "
					"for missing)",
					SHOWN(tl), to, ds->matchers[first].id);
		else
			ctm_diag__error(ctx, path, f[2].line, f[2].column,
					"'%.*s' is not an answer to any item of rubric '%s'",
					SHOWN(tl), to, ds->rubric->id);
		return CTM_EINVALID;
	}
	return CTM_OK;
}

/* The header fields' positions of the names wanted ([k] = column or -1),
 * matched ignoring case by their start (REDCap's headings are long). */
static void find_columns(const ctm_csv_field *f, size_t n, const char *const *wanted, size_t count,
			 int *at)
{
	for (size_t k = 0; k < count; k++) {
		at[k] = -1;
		size_t wl = strlen(wanted[k]);
		for (size_t c = 0; c < n && at[k] < 0; c++) {
			const char *s = f[c].data;
			size_t len = f[c].len;
			ctm_text__trim(&s, &len);
			if (len >= wl && ctm_text__fold_equal(s, wl, wanted[k], wl))
				at[k] = (int)c;
		}
	}
}

int ctm_recode__load(ctm_dataset *ds, const char *path, ctm_ctx *ctx)
{
	static const char *const wanted[] = { "item", "from", "to" };
	ctm_csv *csv = NULL;
	const ctm_csv_field *f;
	size_t n, rows = 0;
	int bad, got, rc, at[3];
	size_t errors_before = ctm_ctx_error_count(ctx);

	if ((rc = ctm_csv__open_file(&csv, path, NULL, ctx)) != CTM_OK)
		return rc;
	got = ctm_csv__next(csv, &f, &n, &bad);
	if (got <= 0) {
		if (got == 0)
			ctm_diag__error(ctx, path, 1, 1,
					"the recode file is empty: expected a header 'item,from,to'");
		rc = got < 0 ? got : CTM_EINVALID;
		goto cleanup;
	}
	find_columns(f, n, wanted, 3, at);
	if (bad || n != 3 || at[0] != 0 || at[1] != 1 || at[2] != 2) {
		ctm_diag__error(ctx, path, f[0].line, 1,
				"the recode file's header must be 'item,from,to'");
		rc = CTM_EINVALID;
		goto cleanup;
	}
	while ((got = ctm_csv__next(csv, &f, &n, &bad)) > 0) {
		if (bad || (n == 1 && f[0].len == 0))
			continue;
		if (n != 3) {
			ctm_diag__error(ctx, path, f[0].line, f[0].column,
					"a recode row has 3 fields (item,from,to), this one has %zu",
					n);
			continue;
		}
		rows++;
		if ((rc = recode_row(ds, path, f, ctx)) == CTM_ENOMEM)
			goto cleanup;
	}
	rc = got < 0 ? got : CTM_OK;
	if (rc == CTM_OK && rows == 0 && ctm_ctx_error_count(ctx) == errors_before)
		ctm_diag__warning(ctx, path, 1, 1,
				  "the recode file has a header but no rows: nothing is recoded");
	if (rc == CTM_OK && ctm_ctx_error_count(ctx) > errors_before)
		rc = CTM_EINVALID;

cleanup:
	ctm_csv__free(csv);
	return rc;
}

/* ---- REDCap's data dictionary ---- */

/* "0, Never | 1, Sometimes | 2, Often" into recodes of item i from each code
 * to its label. A label that is no answer of the item is a warning: a cell
 * with that code would then be refused, but one no partner chose does no
 * harm. */
static int add_choices(ctm_dataset *ds, size_t i, const char *path, const ctm_csv_field *cell,
		       const char *field, size_t field_len, ctm_ctx *ctx)
{
	const char *s = cell->data, *end = cell->data + cell->len;

	while (s < end) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		const char *stop = bar ? bar : end;
		const char *comma = memchr(s, ',', (size_t)(stop - s));
		if (comma) {
			const char *code = s, *label = comma + 1;
			size_t cl = (size_t)(comma - s), ll = (size_t)(stop - label);
			ctm_text__trim(&code, &cl);
			ctm_text__trim(&label, &ll);
			ctm_spelling sp = { 0 };
			if (cl && resolve_to(ds, &ds->matchers[i], label, ll, &sp) != CTM_CELL_INVALID) {
				int r = add_recode(ds, i, code, cl, &sp);
				if (r < 0)
					return CTM_ENOMEM;
				if (r > 0)
					ctm_diag__warning(ctx, path, cell->line, cell->column,
							  "code '%.*s' of field '%.*s' has a recode "
							  "already (the recode file's, or an "
							  "earlier one of this field): that one "
							  "holds",
							  SHOWN(cl), code, SHOWN(field_len), field);
			} else if (cl) {
				ctm_diag__warning(ctx, path, cell->line, cell->column,
						  "choice '%.*s, %.*s' of field '%.*s' is not an "
						  "answer to item '%s': a cell with code '%.*s' "
						  "will be refused",
						  SHOWN(cl), code, SHOWN(ll), label, SHOWN(field_len),
						  field, ds->matchers[i].id, SHOWN(cl), code);
			}
		}
		s = bar ? bar + 1 : end;
	}
	return CTM_OK;
}

/* REDCap's own choices of the field types that have none in the dictionary. */
static const char *builtin_choices(const char *type, size_t len)
{
	if (ctm_text__fold_equal(type, len, "yesno", 5))
		return "1, Yes | 0, No";
	if (ctm_text__fold_equal(type, len, "truefalse", 9))
		return "1, True | 0, False";
	return NULL;
}

int ctm_recode__load_redcap(ctm_dataset *ds, const char *path, ctm_ctx *ctx)
{
	static const char *const wanted[] = { "Variable / Field Name", "Field Type", "Field Label",
					      "Choices, Calculations, OR Slider Labels" };
	ctm_csv *csv = NULL;
	const ctm_csv_field *f;
	size_t n, used = 0;
	int bad, got, rc, at[4];
	size_t errors_before = ctm_ctx_error_count(ctx);

	if ((rc = ctm_csv__open_file(&csv, path, NULL, ctx)) != CTM_OK)
		return rc;
	got = ctm_csv__next(csv, &f, &n, &bad);
	if (got <= 0) {
		if (got == 0)
			ctm_diag__error(ctx, path, 1, 1,
					"the REDCap data dictionary is empty: expected its header "
					"('Variable / Field Name', 'Form Name', ...)");
		rc = got < 0 ? got : CTM_EINVALID;
		goto cleanup;
	}
	find_columns(f, n, wanted, 4, at);
	if (bad || at[0] < 0 || at[1] < 0 || at[3] < 0) {
		ctm_diag__error(ctx, path, f[0].line, 1,
				"not a REDCap data dictionary: the header needs 'Variable / Field "
				"Name', 'Field Type' and 'Choices, Calculations, OR Slider Labels'");
		rc = CTM_EINVALID;
		goto cleanup;
	}
	size_t width = n;
	while ((got = ctm_csv__next(csv, &f, &n, &bad)) > 0) {
		if (bad || (n == 1 && f[0].len == 0))
			continue;
		if (n != width) {
			ctm_diag__error(ctx, path, f[0].line, f[0].column,
					"row has %zu fields, the header has %zu", n, width);
			continue;
		}
		const char *var = f[at[0]].data, *type = f[at[1]].data;
		size_t vl = f[at[0]].len, tl = f[at[1]].len;
		ctm_text__trim(&var, &vl);
		ctm_text__trim(&type, &tl);
		/* the field as a column of the raw export (its variable name, or
		 * mapped), else by its label, which may be the rubric's prompt */
		ctm_column col;
		if (!ctm_columns__resolve_header(ds, var, vl, &col)) {
			if (!(at[2] >= 0 &&
			      ctm_columns__resolve_header(ds, f[at[2]].data, f[at[2]].len, &col)))
				continue;
			/* found by its label: the raw export's column is its name */
			if ((rc = ctm_columns__add_rename(ds, var, vl, ds->matchers[col.item].id,
							  f[at[0]].line)) != CTM_OK)
				goto cleanup;
		}
		/* the types whose answers are codes of choices; a text, calc or
		 * slider field's cell is the answer itself */
		const char *builtin = builtin_choices(type, tl);
		if (!builtin && !ctm_text__fold_equal(type, tl, "radio", 5) &&
		    !ctm_text__fold_equal(type, tl, "dropdown", 8))
			continue;
		ctm_csv_field choices = f[at[3]];
		if (builtin) {
			choices.data = builtin;
			choices.len = strlen(builtin);
		}
		used++;
		if ((rc = add_choices(ds, col.item, path, &choices, var, vl, ctx)) != CTM_OK)
			goto cleanup;
	}
	rc = got < 0 ? got : CTM_OK;
	if (rc == CTM_OK && used == 0 && ctm_ctx_error_count(ctx) == errors_before)
		ctm_diag__warning(ctx, path, 1, 1,
				  "no field of the data dictionary is an item of rubric '%s' (give "
				  "--map for the fields' names): nothing is recoded",
				  ds->rubric->id);
	if (rc == CTM_OK && ctm_ctx_error_count(ctx) > errors_before)
		rc = CTM_EINVALID;

cleanup:
	ctm_csv__free(csv);
	return rc;
}
