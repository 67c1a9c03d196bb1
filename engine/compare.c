/*
 * Comparison of regions over waves: docs/scoring.md, "Comparison".
 * Everything is computed once by ctm_compare_run; the writers and the PDF
 * only read the tables built here, so the CSV and the PDF cannot disagree.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "continuum/compare.h"
#include "diag.h"
#include "score_internal.h"
#include "stats.h"
#include "text.h"

struct ctm_comparison {
	const ctm_results *results;
	size_t region_count, wave_count, dim_count;
	size_t measure_count; /* dimensions, then factors */
	int has_stage;        /* the rubric has levelled questions */
	ctm_rank_by rank_by;
	const char **regions; /* borrowed from the groups */
	const char **waves;
	const ctm_group **grid; /* [region * wave_count + wave], NULL: no data */
	ctm_change *changes;
	size_t change_count;
	size_t tests, significant;
	ctm_icc *iccs;       /* [wave * dim_count + dimension] */
	ctm_rank *ranks;     /* [wave * region_count + k] */
	size_t *rank_counts; /* per wave */
};

static int cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	return ctm_text__natural_compare(x, strlen(x), y, strlen(y));
}

/* Index of name in the sorted, distinct names (it is there by construction). */
static size_t find_name(const char **names, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = ctm_text__natural_compare(name, strlen(name), names[mid],
						  strlen(names[mid]));
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return n;
}

/* Rankings tie on M as printed (4 decimals): two regions a reader sees with
 * the same M must not get different ranks because of rounding noise in the
 * last bits of a mean of means. */
static long long m_key(double m) { return isnan(m) ? LLONG_MIN : llround(m * 10000.0); }

static int cmp_rank(const void *a, const void *b)
{
	const ctm_rank *x = a, *y = b;
	long long kx = m_key(x->score), ky = m_key(y->score);
	if (kx != ky)
		return kx > ky ? -1 : 1;
	/* regions are indexed in natural order already */
	return x->region < y->region ? -1 : x->region > y->region;
}

static void *alloc_array(size_t n, size_t m, size_t size)
{
	if (m && n > SIZE_MAX / m)
		return NULL;
	n *= m;
	return calloc(n ? n : 1, size);
}

const ctm_item_stats *ctm_comparison_measure_stats(const ctm_comparison *c, const ctm_group *g,
						   size_t m)
{
	return m < c->dim_count ? ctm_group_dimension(g, m) : ctm_group_factor(g, m - c->dim_count);
}

/* A unit's value on a measure (NaN when none). */
static double measure_unit_value(const ctm_comparison *c, const ctm_group *g, size_t u, size_t m)
{
	return m < c->dim_count ? ctm_group_unit_value(g, u, m)
				: ctm_group_unit_factor_value(g, u, m - c->dim_count);
}

/* One measure of a group: a dimension, or D + a factor's index. */
static const ctm_item_stats *group_measure(const ctm_group *g, size_t m)
{
	size_t dims = g->dim_count;
	return m < dims ? ctm_group_dimension(g, m) : ctm_group_factor(g, m - dims);
}

static void fill_change_measure(ctm_change *ch, const ctm_group *a, const ctm_group *b, size_t d)
{
	const ctm_item_stats *s1 = group_measure(a, d), *s2 = group_measure(b, d);

	ch->dimension = d;
	ch->n_from = s1->n;
	ch->n_to = s2->n;
	ch->from = s1->n ? s1->mean : NAN;
	ch->to = s2->n ? s2->mean : NAN;
	ch->delta = ch->to - ch->from;
	/* Welch from the groups' own mean and sd: they are the mean and sample
	 * sd of the same unit values the rules name, so the test and the score
	 * table agree to the last digit. Undefined (n < 2, both sd 0) is NaN. */
	if (ctm_stats__welch(s1->mean, s1->sd, s1->n, s2->mean, s2->sd, s2->n, &ch->t, &ch->df,
			     &ch->p) == 0)
		ch->significant = ch->p < CTM_COMPARE_ALPHA;
	else
		ch->significant = -1;
}

static void fill_change_stage(ctm_change *ch, const ctm_group *a, const ctm_group *b)
{
	ch->dimension = CTM_CHANGE_STAGE;
	ch->n_from = ctm_group_unit_count(a);
	ch->n_to = ctm_group_unit_count(b);
	ch->from = ctm_group_maturity(a);
	ch->to = ctm_group_maturity(b);
	ch->delta = ch->to - ch->from;
	ch->t = ch->df = ch->p = NAN;
	ch->significant = -1;
	ch->stage_from = ctm_group_stage(a);
	ch->stage_to = ctm_group_stage(b);
}

int ctm_group_change(const ctm_group *from, const ctm_group *to, size_t measure, ctm_change *out)
{
	if (!from || !to || !out || from->rubric != to->rubric)
		return CTM_EUSAGE;
	size_t measures = to->dim_count + to->factor_count;
	memset(out, 0, sizeof(*out));
	if (measure == CTM_CHANGE_STAGE) {
		if (!ctm_group_has_stage(to))
			return CTM_EUSAGE;
		fill_change_stage(out, from, to);
		return CTM_OK;
	}
	if (measure >= measures)
		return CTM_EUSAGE;
	fill_change_measure(out, from, to, measure);
	return CTM_OK;
}

static int build_changes(ctm_comparison *c)
{
	size_t pairs = 0, stage_rows = c->has_stage ? 1 : 0;
	size_t per_pair = stage_rows + c->measure_count;

	for (size_t r = 0; r < c->region_count; r++) {
		size_t have = 0;
		for (size_t w = 0; w < c->wave_count; w++)
			have += c->grid[r * c->wave_count + w] != NULL;
		if (have > 1)
			pairs += have - 1;
	}
	if (!(c->changes = alloc_array(pairs, per_pair, sizeof(*c->changes))))
		return CTM_ENOMEM;
	for (size_t r = 0; r < c->region_count; r++) {
		const ctm_group *prev = NULL;
		size_t prev_w = 0;
		for (size_t w = 0; w < c->wave_count; w++) {
			const ctm_group *g = c->grid[r * c->wave_count + w];
			if (!g)
				continue;
			if (prev) {
				for (size_t k = 0; k < per_pair; k++) {
					ctm_change *ch = &c->changes[c->change_count++];
					ch->region = r;
					ch->from_wave = prev_w;
					ch->to_wave = w;
					if (k < stage_rows) {
						fill_change_stage(ch, prev, g);
						continue;
					}
					fill_change_measure(ch, prev, g, k - stage_rows);
					if (ch->significant >= 0) {
						c->tests++;
						c->significant += (size_t)ch->significant;
					}
				}
			}
			prev = g;
			prev_w = w;
		}
	}
	return CTM_OK;
}

static int build_iccs(ctm_comparison *c)
{
	double *values = NULL;
	size_t *sizes = NULL, cap = 0;
	int rc = CTM_ENOMEM;

	for (size_t w = 0; w < c->wave_count; w++) {
		size_t units = 0;
		for (size_t r = 0; r < c->region_count; r++) {
			const ctm_group *g = c->grid[r * c->wave_count + w];
			if (g && units + ctm_group_units(g) >= units)
				units += ctm_group_units(g);
		}
		if (units > cap)
			cap = units;
	}
	if (!(c->iccs = alloc_array(c->wave_count, c->measure_count, sizeof(*c->iccs))) ||
	    !(values = alloc_array(cap, 1, sizeof(*values))) ||
	    !(sizes = alloc_array(c->region_count, 1, sizeof(*sizes))))
		goto cleanup;

	for (size_t w = 0; w < c->wave_count; w++) {
		for (size_t d = 0; d < c->measure_count; d++) {
			ctm_icc *icc = &c->iccs[w * c->measure_count + d];
			size_t n = 0;
			icc->wave = w;
			icc->dimension = d;
			for (size_t r = 0; r < c->region_count; r++) {
				const ctm_group *g = c->grid[r * c->wave_count + w];
				sizes[r] = 0;
				for (size_t u = 0; g && u < ctm_group_units(g); u++) {
					double x = measure_unit_value(c, g, u, d);
					/* a unit without an answer is not counted */
					if (isnan(x))
						continue;
					values[n++] = x;
					sizes[r]++;
				}
				icc->regions += sizes[r] > 0;
			}
			icc->units = n;
			ctm_stats__icc(values, sizes, c->region_count, &icc->icc1, &icc->icc2);
		}
	}
	rc = CTM_OK;

cleanup:
	free(values);
	free(sizes);
	return rc;
}

/* What regions are ranked by: M when the rubric measures a stage, else the
 * mean of the dimension means, else the mean of the factor means. */
static ctm_rank_by rank_by(const ctm_rubric *rub)
{
	if (ctm_rubric_levelled_question_count(rub))
		return CTM_RANK_BY_MATURITY;
	return ctm_rubric_dimension_count(rub) ? CTM_RANK_BY_DIMENSION_MEAN
					       : CTM_RANK_BY_FACTOR_MEAN;
}

/* The group's score for the ranking; NaN when it has no data on it. */
static double rank_score(const ctm_comparison *c, const ctm_group *g)
{
	size_t from = 0, to = c->measure_count, n = 0;
	double sum = 0;

	switch (c->rank_by) {
	case CTM_RANK_BY_MATURITY: return ctm_group_maturity(g);
	case CTM_RANK_BY_DIMENSION_MEAN: to = c->dim_count; break;
	case CTM_RANK_BY_FACTOR_MEAN: from = c->dim_count; break;
	}
	for (size_t m = from; m < to; m++) {
		const ctm_item_stats *st = ctm_comparison_measure_stats(c, g, m);
		if (st->n) {
			sum += st->mean;
			n++;
		}
	}
	return n ? sum / (double)n : NAN;
}

static int build_ranks(ctm_comparison *c)
{
	if (!(c->ranks = alloc_array(c->wave_count, c->region_count, sizeof(*c->ranks))) ||
	    !(c->rank_counts = alloc_array(c->wave_count, 1, sizeof(*c->rank_counts))))
		return CTM_ENOMEM;
	for (size_t w = 0; w < c->wave_count; w++) {
		ctm_rank *rk = &c->ranks[w * c->region_count];
		size_t n = 0;
		for (size_t r = 0; r < c->region_count; r++) {
			const ctm_group *g = c->grid[r * c->wave_count + w];
			if (!g)
				continue;
			rk[n].region = r;
			rk[n].stage = ctm_group_stage(g);
			rk[n].maturity = ctm_group_maturity(g);
			rk[n].score = rank_score(c, g);
			n++;
		}
		qsort(rk, n, sizeof(*rk), cmp_rank);
		for (size_t k = 0; k < n; k++)
			rk[k].rank = k > 0 && m_key(rk[k].score) == m_key(rk[k - 1].score)
					   ? rk[k - 1].rank
					   : k + 1;
		c->rank_counts[w] = n;
	}
	return CTM_OK;
}

int ctm_compare_run(ctm_comparison **out, const ctm_results *results, ctm_ctx *ctx)
{
	ctm_comparison *c = NULL;
	size_t ngroups;
	int rc = CTM_ENOMEM;

	if (!out || !results) {
		ctm_diag__error(ctx, NULL, 0, 0, "ctm_compare_run: no results given");
		return CTM_EUSAGE;
	}
	*out = NULL;
	ngroups = ctm_results_group_count(results);
	if (!(c = calloc(1, sizeof(*c))))
		goto cleanup;
	c->results = results;
	const ctm_rubric *rub = ctm_results_rubric(results);
	c->dim_count = ctm_rubric_dimension_count(rub);
	c->measure_count = c->dim_count + ctm_rubric_factor_count(rub);
	c->has_stage = ctm_rubric_levelled_question_count(rub) > 0;
	c->rank_by = rank_by(rub);
	if (!(c->regions = alloc_array(ngroups, 1, sizeof(*c->regions))) ||
	    !(c->waves = alloc_array(ngroups, 1, sizeof(*c->waves))))
		goto cleanup;

	/* Groups come ordered by region, then wave (natural order): regions are
	 * runs; waves are collected, sorted and made distinct. */
	for (size_t i = 0; i < ngroups; i++) {
		const ctm_group *g = ctm_results_group(results, i);
		if (c->region_count == 0 ||
		    strcmp(c->regions[c->region_count - 1], ctm_group_region(g)) != 0)
			c->regions[c->region_count++] = ctm_group_region(g);
		c->waves[i] = ctm_group_wave(g);
	}
	qsort(c->waves, ngroups, sizeof(*c->waves), cmp_names);
	for (size_t i = 0; i < ngroups; i++)
		if (c->wave_count == 0 || strcmp(c->waves[c->wave_count - 1], c->waves[i]) != 0)
			c->waves[c->wave_count++] = c->waves[i];

	if (!(c->grid = alloc_array(c->region_count, c->wave_count, sizeof(*c->grid))))
		goto cleanup;
	for (size_t i = 0, r = 0; i < ngroups; i++) {
		const ctm_group *g = ctm_results_group(results, i);
		if (strcmp(c->regions[r], ctm_group_region(g)) != 0)
			r++;
		c->grid[r * c->wave_count + find_name(c->waves, c->wave_count, ctm_group_wave(g))] =
			g;
	}

	if ((rc = build_changes(c)) < 0 || (rc = build_iccs(c)) < 0 || (rc = build_ranks(c)) < 0)
		goto cleanup;
	*out = c;
	c = NULL;
	rc = CTM_OK;

cleanup:
	if (rc == CTM_ENOMEM)
		ctm_diag__error(ctx, NULL, 0, 0, "out of memory comparing regions");
	ctm_comparison_free(c);
	return rc;
}

ctm_rank_by ctm_comparison_rank_by(const ctm_comparison *c) { return c->rank_by; }
size_t ctm_comparison_measure_count(const ctm_comparison *c) { return c->measure_count; }
const char *ctm_comparison_measure_id(const ctm_comparison *c, size_t m)
{
	const ctm_rubric *rub = ctm_results_rubric(c->results);
	if (m < c->dim_count)
		return ctm_dimension_id(ctm_rubric_dimension(rub, m));
	return m < c->measure_count ? ctm_factor_id(ctm_rubric_factor(rub, m - c->dim_count))
				    : NULL;
}
const char *ctm_comparison_measure_name(const ctm_comparison *c, size_t m)
{
	const ctm_rubric *rub = ctm_results_rubric(c->results);
	if (m < c->dim_count)
		return ctm_dimension_name(ctm_rubric_dimension(rub, m));
	return m < c->measure_count ? ctm_factor_name(ctm_rubric_factor(rub, m - c->dim_count))
				    : NULL;
}
int ctm_comparison_measure_is_factor(const ctm_comparison *c, size_t m)
{
	return m >= c->dim_count && m < c->measure_count;
}

void ctm_comparison_free(ctm_comparison *c)
{
	if (!c)
		return;
	free(c->regions);
	free(c->waves);
	free(c->grid);
	free(c->changes);
	free(c->iccs);
	free(c->ranks);
	free(c->rank_counts);
	free(c);
}

const ctm_results *ctm_comparison_results(const ctm_comparison *c) { return c->results; }

size_t ctm_comparison_region_count(const ctm_comparison *c) { return c->region_count; }

const char *ctm_comparison_region(const ctm_comparison *c, size_t r)
{
	return r < c->region_count ? c->regions[r] : NULL;
}

size_t ctm_comparison_wave_count(const ctm_comparison *c) { return c->wave_count; }

const char *ctm_comparison_wave(const ctm_comparison *c, size_t w)
{
	return w < c->wave_count ? c->waves[w] : NULL;
}

const ctm_group *ctm_comparison_group(const ctm_comparison *c, size_t r, size_t w)
{
	if (r >= c->region_count || w >= c->wave_count)
		return NULL;
	return c->grid[r * c->wave_count + w];
}

size_t ctm_comparison_change_count(const ctm_comparison *c) { return c->change_count; }

const ctm_change *ctm_comparison_change(const ctm_comparison *c, size_t i)
{
	return i < c->change_count ? &c->changes[i] : NULL;
}

size_t ctm_comparison_test_count(const ctm_comparison *c) { return c->tests; }

size_t ctm_comparison_significant_count(const ctm_comparison *c) { return c->significant; }

const ctm_icc *ctm_comparison_icc(const ctm_comparison *c, size_t w, size_t d)
{
	if (w >= c->wave_count || d >= c->measure_count)
		return NULL;
	return &c->iccs[w * c->measure_count + d];
}

size_t ctm_comparison_ranking_count(const ctm_comparison *c, size_t w)
{
	return w < c->wave_count ? c->rank_counts[w] : 0;
}

const ctm_rank *ctm_comparison_ranking(const ctm_comparison *c, size_t w, size_t k)
{
	if (w >= c->wave_count || k >= c->rank_counts[w])
		return NULL;
	return &c->ranks[w * c->region_count + k];
}
