/*
 * Scoring: the rules of docs/scoring.md, group by group, from the data set's
 * running sums. Every undefined statistic is NaN.
 *
 * Readings of cases the rules leave open (docs/scoring.md, "Readings of open cases"):
 * - a dimension nobody answered has n = 0, no mean and no level; its target
 *   is still shown and its gap is undefined, so it is never a priority;
 * - a level with no question with data is not attained (A_l undefined), so
 *   the stage stops below it, and M = S when A_{S+1} is undefined;
 * - "a level attained above an unattained one": any attained level above
 *   S + 1 (S + 1 itself is unattained or unassessed by definition of S);
 * - priorities with equal gaps: lower rwg first, undefined rwg (n < 2) after
 *   every defined one, then rubric order;
 * - divergent partners: |x_u - median| >= 2, partner units only.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataset_internal.h"
#include "diag.h"
#include "score_internal.h"
#include "stats.h"
#include "text.h"
#include "grow.h"

/*
 * Slack for the rules' exact comparisons on means (A_l >= θ, a_q < θ, gap > 0,
 * |x - median| >= 2, rwg >= 0.70) and for the ties of the orderings (equal
 * gaps, rwg and a_q).
 * Means of answers are ratios of small integers, so a true difference this
 * close to the threshold is floating-point error: 11/3 - 5/3 is
 * 1.9999999999999998 in doubles, 4 - (5 + 13/3 + 8/3) / 3 is 4e-16 and
 * (1/3 + 1 + 1 + 2/3) / 4 is 0.7499999999999999. The
 * same slack as ctm_stats__round_half_up's, for the same reason.
 */
#define EXACT_EPS 1e-9

const ctm_rubric *ctm_results_rubric(const ctm_results *r) { return r->rubric; }
const ctm_dataset *ctm_results_dataset(const ctm_results *r) { return r->ds; }
size_t ctm_results_group_count(const ctm_results *r) { return r->group_count; }
int ctm_results_min_n(const ctm_results *r) { return r->min_n; }
const ctm_group *ctm_results_group(const ctm_results *r, size_t i)
{
	return i < r->group_count ? &r->groups[i] : NULL;
}

const ctm_group *ctm_results_find_group(const ctm_results *r, const char *region, const char *wave)
{
	for (size_t i = 0; i < r->group_count; i++)
		if (strcmp(r->groups[i].region, region) == 0 &&
		    strcmp(r->groups[i].wave, wave) == 0)
			return &r->groups[i];
	return NULL;
}

const ctm_group *ctm_results_previous_group(const ctm_results *r, const ctm_group *g)
{
	/* groups are in the natural order of region, then wave (their name
	 * keys): a region's earlier wave is the group just before, if it is of
	 * the same region (one key, so one shown spelling) */
	if (!r || !g || g < r->groups || g >= r->groups + r->group_count || g == r->groups)
		return NULL;
	const ctm_group *p = g - 1;
	return strcmp(p->region, g->region) == 0 ? p : NULL;
}

const char *ctm_group_region(const ctm_group *g) { return g->region; }
const char *ctm_group_wave(const ctm_group *g) { return g->wave; }
size_t ctm_group_unit_count(const ctm_group *g) { return g->units_answering; }
size_t ctm_group_partner_count(const ctm_group *g) { return g->acc->partner_count; }
size_t ctm_group_respondent_count(const ctm_group *g) { return g->acc->respondent_count; }
const ctm_item_stats *ctm_group_dimension(const ctm_group *g, size_t i)
{
	return i < g->dim_count ? &g->dims[i] : NULL;
}
const ctm_item_stats *ctm_group_question(const ctm_group *g, size_t i)
{
	if (i >= g->question_count)
		return NULL;
	ctm_item_stats *qs = atomic_load_explicit(&g->questions, memory_order_acquire);
	if (!qs) {
		ctm_item_stats *mine = malloc(g->question_count * sizeof(*mine));
		if (!mine || ctm_group_questions(g, mine) != CTM_OK) {
			free(mine);
			return NULL;
		}
		/* the group is the results' (allocated, not const): only this
		 * slot changes, once */
		ctm_item_stats *expected = NULL;
		if (atomic_compare_exchange_strong_explicit(&((ctm_group *)(uintptr_t)g)->questions,
							    &expected, mine, memory_order_acq_rel,
							    memory_order_acquire)) {
			qs = mine;
		} else {
			free(mine);
			qs = expected;
		}
	}
	return &qs[i];
}
double ctm_group_unit_factor_value(const ctm_group *g, size_t u, size_t f)
{
	const ctm_group_acc *a = g->acc;
	if (u >= a->unit_count || f >= g->factor_count)
		return NAN;
	const ctm_factor *fc = &g->rubric->factors[f];
	double sum = 0;
	size_t answered = 0;
	for (size_t k = 0; k < fc->item_count; k++) {
		const ctm_question *q = fc->items[k].question;
		double x = ctm_group_unit_item_value(g, u, q->index);
		if (isnan(x))
			continue;
		if (fc->items[k].reverse)
			x = q->scale->lowest + q->scale->highest - x;
		sum += x;
		answered++;
	}
	return answered ? sum / (double)answered : NAN;
}

double ctm_group_unit_item_value(const ctm_group *g, size_t u, size_t q)
{
	const ctm_group_acc *a = g->acc;
	if (u >= a->unit_count || q >= g->question_count)
		return NAN;
	const ctm_question *qs = &g->rubric->questions[q];
	if (qs->value_item == SIZE_MAX)
		return NAN; /* no factor rates it: its values were not summed */
	size_t slot = u * g->stride + g->item_count + qs->value_item;
	uint32_t c = a->counts[slot];
	return c ? a->sums[slot] / c : NAN;
}

const ctm_item_stats *ctm_group_factor(const ctm_group *g, size_t i)
{
	return i < g->factor_count ? &g->factors[i] : NULL;
}
int ctm_group_has_stage(const ctm_group *g) { return g->has_stage; }
double ctm_group_level_attainment(const ctm_group *g, int l)
{
	return l >= 1 && (size_t)l <= g->rubric->level_count ? g->attainment[l] : NAN;
}
size_t ctm_group_level_n(const ctm_group *g, int l)
{
	return l >= 1 && (size_t)l <= g->rubric->level_count ? g->attainment_n[l] : 0;
}
int ctm_group_level_attained(const ctm_group *g, int l)
{
	return l >= 1 && (size_t)l <= g->rubric->level_count ? g->attained[l] : 0;
}
int ctm_group_stage(const ctm_group *g) { return g->stage; }
double ctm_group_maturity(const ctm_group *g) { return g->maturity; }
int ctm_group_stage_target(const ctm_group *g) { return g->stage_target; }
double ctm_group_stage_gap(const ctm_group *g) { return g->stage_gap; }
int ctm_group_inconsistent(const ctm_group *g) { return g->inconsistent; }
size_t ctm_group_priority_count(const ctm_group *g) { return g->priority_count; }
size_t ctm_group_priority(const ctm_group *g, size_t k)
{
	return k < g->priority_count ? g->priorities[k] : SIZE_MAX;
}
size_t ctm_group_blocking_count(const ctm_group *g) { return g->blocking_count; }
size_t ctm_group_blocking(const ctm_group *g, size_t k)
{
	return k < g->blocking_count ? g->blocking[k] : SIZE_MAX;
}
size_t ctm_group_units(const ctm_group *g) { return g->acc->unit_count; }

int ctm_results_show_partners(const ctm_results *r) { return r ? r->show_partners : 0; }

size_t ctm_group_exclusion_count(const ctm_group *g) { return g ? g->acc->excl_count : 0; }

const ctm_exclusion *ctm_group_exclusion(const ctm_group *g, size_t i)
{
	return g && i < g->acc->excl_count ? &g->acc->excl[i] : NULL;
}

size_t ctm_group_unit_respondents(const ctm_group *g, size_t u)
{
	const ctm_group_acc *a = g->acc;
	if (u >= a->unit_count)
		return 0;
	if (!g->partner_units)
		return 1; /* a respondent unit */
	/* a partner unit is named by its partner (the name's first spelling) */
	const char *name = a->unit_names[u];
	size_t len = strlen(name);
	const ctm_hashmap_slot *s =
		ctm_hashmap__get(&a->partners, name, len, ctm_hashmap__hash(name, len));
	return s && s->value < a->partner_count ? a->partner_rows[s->value] : 0;
}

int ctm_group_unit_shown(const ctm_results *r, const ctm_group *g, size_t u)
{
	if (!r || !g || u >= g->acc->unit_count)
		return 0;
	return r->show_partners || ctm_group_unit_respondents(g, u) >= (size_t)r->min_n;
}

size_t ctm_group_units_hidden(const ctm_results *r, const ctm_group *g)
{
	size_t n = 0;
	for (size_t u = 0; g && u < g->acc->unit_count; u++)
		n += !ctm_group_unit_shown(r, g, u);
	return n;
}
const char *ctm_group_unit_name(const ctm_group *g, size_t u)
{
	return u < g->acc->unit_count ? g->acc->unit_names[u] : NULL;
}
double ctm_group_unit_value(const ctm_group *g, size_t u, size_t d)
{
	const ctm_group_acc *a = g->acc;
	if (u >= a->unit_count || d >= g->item_count)
		return NAN;
	uint32_t c = a->counts[u * g->stride + d];
	return c ? a->sums[u * g->stride + d] / c : NAN;
}
size_t ctm_group_divergence_count(const ctm_group *g) { return g->divergence_count; }
const ctm_divergence *ctm_group_divergence(const ctm_group *g, size_t k)
{
	return k < g->divergence_count ? &g->divergences[k] : NULL;
}
size_t ctm_group_role_count(const ctm_group *g) { return g->acc->role_count; }
const char *ctm_group_role_name(const ctm_group *g, size_t r)
{
	return r < g->acc->role_count ? g->acc->role_names[r] : NULL;
}
size_t ctm_group_role_respondents(const ctm_group *g, size_t r)
{
	return r < g->acc->role_count ? g->acc->role_respondents[r] : 0;
}
int ctm_group_role_suppressed(const ctm_group *g, size_t r)
{
	return r < g->acc->role_count ? g->role_suppressed[r] : 1;
}
size_t ctm_group_role_n(const ctm_group *g, size_t r, size_t d)
{
	if (r >= g->acc->role_count || d >= g->dim_count || g->role_suppressed[r])
		return 0;
	return g->acc->role_counts[r * g->dim_count + d];
}
double ctm_group_role_mean(const ctm_group *g, size_t r, size_t d)
{
	size_t n = ctm_group_role_n(g, r, d);
	return n ? g->acc->role_sums[r * g->dim_count + d] / (double)n : NAN;
}

void ctm_results_free(ctm_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->group_count; i++) {
		ctm_group *g = &r->groups[i];
		free(g->dims); /* and the rest of group_alloc's block */
		free(atomic_load_explicit(&g->questions, memory_order_relaxed));
		free(g->divergences);
		free(g->comments);
		free(g->comment_start);
	}
	free(r->groups);
	free(r->dim_targets);
	free(r);
}

/* ---- targets ---- */

/* The target of dimension d in a region: --targets (region row, then a row
 * for every region), else --target, else the rubric's, else L. */
static int dimension_target(const ctm_results *res, const ctm_score_options *opts, size_t d,
			    const char *region)
{
	int t = ctm_targets__lookup(opts->targets, d, region);
	return t > 0 ? t : res->default_target;
}

/* ---- one group ---- */

typedef struct scratch {
	double *values; /* unit values of one item */
	size_t cap;
	ctm_item_stats *questions; /* [Q]: the group's, while it is scored */
} scratch;

/* Unit values of item i, in unit order; returns n. */
static size_t unit_values(const ctm_group_acc *a, size_t items, size_t i, double *out)
{
	size_t n = 0;
	for (size_t u = 0; u < a->unit_count; u++) {
		uint32_t c = a->counts[u * items + i];
		if (c)
			out[n++] = a->sums[u * items + i] / c;
	}
	return n;
}

static void item_stats(ctm_item_stats *st, double *x, size_t n, double lo, double hi)
{
	st->n = n;
	st->mean = ctm_stats__mean(x, n);
	st->sd = ctm_stats__sd(x, n);
	ctm_stats__ci(st->mean, st->sd, n, lo, hi, &st->ci_low, &st->ci_high);
	st->median = ctm_stats__median(x, n); /* sorts x: last */
	st->rwg = NAN;
	st->target = NAN;
	st->gap = NAN;
	st->low_agreement = 0;
	st->perception_flag = 0;
}

/* Question q's statistics from the group's answers; x: room for a value
 * per unit. The same computation, on the same values in the same order,
 * whether scoring, writing or drawing asks: the same bits each time. */
static void question_stats(const ctm_group *g, size_t q, ctm_item_stats *st, double *x)
{
	size_t n = unit_values(g->acc, g->stride, g->dim_count + q, x);
	item_stats(st, x, n, 0.0, 1.0);
	st->level = g->rubric->questions[q].level;
}

int ctm_group_questions(const ctm_group *g, ctm_item_stats *out)
{
	if (!g || !out)
		return CTM_EUSAGE;
	size_t units = g->acc->unit_count;
	double *x = malloc((units ? units : 1) * sizeof(*x));
	if (!x)
		return CTM_ENOMEM;
	for (size_t q = 0; q < g->question_count; q++)
		question_stats(g, q, &out[q], x);
	free(x);
	return CTM_OK;
}

typedef struct priority_key {
	size_t dim;
	double gap, rwg;
} priority_key;

/* rwg below the consensus threshold (an rwg exactly at it is consensus). */
static int low_agreement(double rwg) { return !isnan(rwg) && rwg < CTM_CONSENSUS_RWG - EXACT_EPS; }

/* a and b differ beyond floating-point error (EXACT_EPS). */
static int differ(double a, double b) { return fabs(a - b) >= EXACT_EPS; }

static int cmp_priority(const void *pa, const void *pb)
{
	const priority_key *a = pa, *b = pb;
	if (differ(a->gap, b->gap))
		return a->gap > b->gap ? -1 : 1;
	int an = isnan(a->rwg), bn = isnan(b->rwg);
	if (an != bn)
		return an ? 1 : -1;
	if (!an && differ(a->rwg, b->rwg))
		return a->rwg < b->rwg ? -1 : 1;
	return a->dim < b->dim ? -1 : a->dim > b->dim;
}

typedef struct blocking_key {
	size_t question;
	int level;
	double a;
} blocking_key;

static int cmp_blocking(const void *pa, const void *pb)
{
	const blocking_key *a = pa, *b = pb;
	if (a->level != b->level)
		return a->level < b->level ? -1 : 1;
	if (differ(a->a, b->a))
		return a->a < b->a ? -1 : 1;
	return a->question < b->question ? -1 : a->question > b->question;
}

static void suppress_roles(ctm_group *g, int min_n)
{
	const ctm_group_acc *a = g->acc;
	size_t suppressed = 0;

	for (size_t r = 0; r < a->role_count; r++) {
		g->role_suppressed[r] = a->role_respondents[r] < (size_t)min_n;
		suppressed += (size_t)g->role_suppressed[r];
	}
	/* One hidden cell could be worked out from the total and the others:
	 * hide the next smallest as well. */
	if (suppressed == 1 && a->role_count > 1) {
		size_t best = SIZE_MAX;
		for (size_t r = 0; r < a->role_count; r++) {
			if (g->role_suppressed[r])
				continue;
			if (best == SIZE_MAX || a->role_respondents[r] < a->role_respondents[best])
				best = r;
		}
		if (best != SIZE_MAX)
			g->role_suppressed[best] = 1;
	}
}

/* Places n elements of size and alignment align in a block being laid out
 * (*at: its size so far); SIZE_MAX when the block would not fit in size_t. */
static size_t block_place(size_t *at, size_t n, size_t size, size_t align)
{
	size_t start = (*at + align - 1) / align * align;
	if (start < *at || (size && n > (SIZE_MAX - start) / size))
		return SIZE_MAX;
	*at = start + n * size;
	return start;
}

/* The group's arrays, in one zeroed block at g->dims (freed with it), and
 * room for a value per unit in the scratch. Six callocs of a few bytes each
 * cost a malloc chunk apiece, and the attainments are sized by the rubric's
 * levels, not CTM_MAX_LEVELS (issue 21). */
static int group_alloc(ctm_group *g, const ctm_group_acc *a, size_t D, size_t Q, scratch *sc)
{
	const size_t F = g->factor_count, R = a->role_count;
	const size_t L1 = g->rubric->level_count + 1; /* by level value, [0] unused */
	size_t at = 0;
	/* the 8-byte-aligned arrays first, then the 4-byte ones: no padding */
	size_t o_dims = block_place(&at, D, sizeof(*g->dims), _Alignof(ctm_item_stats));
	size_t o_factors = block_place(&at, F, sizeof(*g->factors), _Alignof(ctm_item_stats));
	size_t o_attainment = block_place(&at, L1, sizeof(*g->attainment), _Alignof(double));
	size_t o_attainment_n = block_place(&at, L1, sizeof(*g->attainment_n), _Alignof(uint32_t));
	size_t o_priorities = block_place(&at, D, sizeof(*g->priorities), _Alignof(uint32_t));
	size_t o_blocking = block_place(&at, Q, sizeof(*g->blocking), _Alignof(uint32_t));
	size_t o_attained = block_place(&at, L1, sizeof(*g->attained), _Alignof(int));
	size_t o_roles = block_place(&at, R, sizeof(*g->role_suppressed), _Alignof(int));
	if (o_dims == SIZE_MAX || o_factors == SIZE_MAX ||
	    o_attainment == SIZE_MAX || o_attainment_n == SIZE_MAX || o_priorities == SIZE_MAX ||
	    o_blocking == SIZE_MAX || o_attained == SIZE_MAX || o_roles == SIZE_MAX)
		return CTM_ENOMEM;
	/* calloc's memory is aligned for any type: every offset above is too */
	unsigned char *block = calloc(1, at);
	if (!block)
		return CTM_ENOMEM;
	g->dims = (ctm_item_stats *)(void *)(block + o_dims);
	g->factors = (ctm_item_stats *)(void *)(block + o_factors);
	g->attainment = (double *)(void *)(block + o_attainment);
	g->attainment_n = (uint32_t *)(void *)(block + o_attainment_n);
	g->priorities = (uint32_t *)(void *)(block + o_priorities);
	g->blocking = (uint32_t *)(void *)(block + o_blocking);
	g->attained = (int *)(void *)(block + o_attained);
	g->role_suppressed = (int *)(void *)(block + o_roles);
	if (a->unit_count > sc->cap) {
		double *grown = realloc(sc->values, a->unit_count * sizeof(*grown));
		if (!grown)
			return CTM_ENOMEM;
		sc->values = grown;
		sc->cap = a->unit_count;
	}
	return CTM_OK;
}

/* Units with at least one answer. */
static size_t units_answering(const ctm_group_acc *a, size_t I)
{
	size_t n = 0;

	for (size_t u = 0; u < a->unit_count; u++) {
		for (size_t i = 0; i < I; i++) {
			if (a->counts[u * I + i]) {
				n++;
				break;
			}
		}
	}
	return n;
}

/* Questions (a_q, into sc->questions), levels (A_l, attained), the stage S, the maturity index
 * M and the stage's gap. */
static void score_questions_and_stage(const ctm_results *res, ctm_group *g, scratch *sc)
{
	const ctm_rubric *rub = res->rubric;
	const size_t Q = g->question_count;
	const int L = (int)rub->level_count;
	const double theta = rub->attainment;
	double level_sum[CTM_MAX_LEVELS + 1] = { 0 };

	for (size_t q = 0; q < Q; q++) {
		ctm_item_stats *st = &sc->questions[q];
		question_stats(g, q, st, sc->values);
		if (st->n && st->level >= 1 && st->level <= L) {
			level_sum[st->level] += st->mean;
			g->attainment_n[st->level]++;
		}
	}
	for (int l = 0; l <= L; l++) {
		g->attainment[l] = NAN;
		g->attained[l] = 0;
	}
	for (int l = 1; l <= L; l++) {
		if (g->attainment_n[l])
			g->attainment[l] = level_sum[l] / (double)g->attainment_n[l];
		g->attained[l] = g->attainment_n[l] && g->attainment[l] >= theta - EXACT_EPS;
	}
	g->stage = 0;
	while (g->stage < L && g->attained[g->stage + 1])
		g->stage++;
	g->maturity = g->stage;
	if (g->stage < L && !isnan(g->attainment[g->stage + 1]))
		g->maturity = g->stage + g->attainment[g->stage + 1];
	g->inconsistent = 0;
	for (int l = g->stage + 2; l <= L; l++)
		if (g->attained[l])
			g->inconsistent = 1;
	g->stage_target = res->stage_target;
	g->stage_gap = fmax(0.0, g->stage_target - g->maturity);
	if (!g->has_stage) {
		/* No levelled question: no level can be attained, so there is no
		 * stage to state (0 would read as "not even level 1"). */
		g->maturity = NAN;
		g->stage_gap = NAN;
	}
}

/* Dimensions: statistics, level, target, gap, flags; then the priorities.
 * After score_questions_and_stage (the perception flag compares with S). */
static int score_dimensions(const ctm_results *res, ctm_group *g, const ctm_group_acc *a,
			    const ctm_score_options *opts, scratch *sc)
{
	const size_t D = g->dim_count, I = g->stride;
	const int L = (int)res->rubric->level_count;
	priority_key *keys = calloc(D ? D : 1, sizeof(*keys));
	size_t nkeys = 0;

	if (!keys)
		return CTM_ENOMEM;
	for (size_t d = 0; d < D; d++) {
		ctm_item_stats *st = &g->dims[d];
		size_t n = unit_values(a, I, d, sc->values);
		item_stats(st, sc->values, n, 1.0, (double)L);
		st->rwg = ctm_stats__rwg(st->sd, L);
		st->level = n ? ctm_stats__round_half_up(st->mean) : 0;
		st->target = dimension_target(res, opts, d, a->region);
		st->gap = n ? fmax(0.0, st->target - st->mean) : NAN;
		if (st->gap < EXACT_EPS)
			st->gap = 0.0; /* at the target: no gap, so no priority */
		st->low_agreement = low_agreement(st->rwg);
		st->perception_flag = n && g->has_stage && abs(st->level - g->stage) >= 2;
		if (n && st->gap > 0)
			keys[nkeys++] = (priority_key){ d, st->gap, st->rwg };
	}
	qsort(keys, nkeys, sizeof(*keys), cmp_priority);
	for (size_t k = 0; k < nkeys; k++)
		g->priorities[k] = (uint32_t)keys[k].dim; /* < D: 32 bits */
	g->priority_count = nkeys;
	free(keys);
	return CTM_OK;
}

/* Blocking questions: levels S+1 .. stage target with a_q < θ. */
static int find_blocking(const ctm_results *res, ctm_group *g, const ctm_item_stats *qs)
{
	const size_t Q = g->question_count;
	const double theta = res->rubric->attainment;
	blocking_key *bk = calloc(Q ? Q : 1, sizeof(*bk));
	size_t nb = 0;

	if (!bk)
		return CTM_ENOMEM;
	for (size_t q = 0; q < Q; q++) {
		const ctm_item_stats *st = &qs[q];
		if (st->n && st->level > g->stage && st->level <= g->stage_target &&
		    st->mean < theta - EXACT_EPS)
			bk[nb++] = (blocking_key){ q, st->level, st->mean };
	}
	qsort(bk, nb, sizeof(*bk), cmp_blocking);
	for (size_t k = 0; k < nb; k++)
		g->blocking[k] = (uint32_t)bk[k].question; /* < Q */
	g->blocking_count = nb;
	free(bk);
	return CTM_OK;
}

/* Divergent partners: a partner unit's value on a dimension 2 or more
 * levels from the median. */
static int find_divergences(ctm_group *g, const ctm_group_acc *a)
{
	const size_t I = g->stride;
	size_t cap = 0;

	for (size_t d = 0; d < g->dim_count; d++) {
		double med = g->dims[d].median;
		if (isnan(med))
			continue;
		for (size_t u = 0; u < a->unit_count; u++) {
			uint32_t c = a->counts[u * I + d];
			if (!c)
				continue;
			double x = a->sums[u * I + d] / c;
			if (fabs(x - med) < 2.0 - EXACT_EPS)
				continue;
			if (ctm_grow__reserve((void **)&g->divergences, &cap,
					      g->divergence_count + 1, sizeof(*g->divergences)))
				return CTM_ENOMEM;
			g->divergences[g->divergence_count++] = (ctm_divergence){ u, d, x, med };
		}
	}
	return CTM_OK;
}

/* The band a factor mean lies in: the 1-based position (rubric order) of
 * the band with the largest min at or below the mean (decided with the
 * slack of the other exact comparisons); 0 when none. */
static int band_of(const ctm_rubric *rub, double mean)
{
	size_t best = SIZE_MAX;

	for (size_t b = 0; b < rub->band_count; b++) {
		if (!(rub->bands[b].min <= mean + EXACT_EPS))
			continue;
		if (best == SIZE_MAX || rub->bands[b].min > rub->bands[best].min)
			best = b;
	}
	return best == SIZE_MAX ? 0 : (int)best + 1;
}

/* Factors: a unit's item value is the mean of its respondents' rated values
 * (reversed items read as lowest + highest value of their scale - value);
 * its factor value the mean of its item values over the items it answered;
 * then the statistics over the units with a factor value, the interval
 * clipped to the items' value range, rwg against A rated points, the band. */
static void score_factors(const ctm_results *res, ctm_group *g, const ctm_group_acc *a, scratch *sc)
{
	const ctm_rubric *rub = res->rubric;

	for (size_t f = 0; f < g->factor_count; f++) {
		const ctm_factor *fc = &rub->factors[f];
		size_t n = 0;
		for (size_t u = 0; u < a->unit_count; u++) {
			double x = ctm_group_unit_factor_value(g, u, f);
			if (!isnan(x))
				sc->values[n++] = x;
		}
		ctm_item_stats *st = &g->factors[f];
		item_stats(st, sc->values, n, fc->lowest, fc->highest);
		st->rwg = ctm_stats__rwg(st->sd, (int)fc->points);
		st->low_agreement = low_agreement(st->rwg);
		st->level = n ? band_of(rub, st->mean) : 0;
	}
}

static int cmp_comment(const void *x, const void *y)
{
	const ctm_comment_text *a = *(const ctm_comment_text *const *)x;
	const ctm_comment_text *b = *(const ctm_comment_text *const *)y;
	if (a->prompt != b->prompt)
		return a->prompt < b->prompt ? -1 : 1;
	int c = memcmp(a->text, b->text, a->len < b->len ? a->len : b->len);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The group's live comments by prompt, each prompt's in byte order. */
static int collect_comments(ctm_group *g, const ctm_group_acc *a, size_t prompts)
{
	size_t live = 0;

	for (size_t k = 0; k < a->comment_count; k++)
		live += !a->comments[k].dead;
	if (!live || !prompts)
		return CTM_OK;
	g->comments = malloc(live * sizeof(*g->comments));
	g->comment_start = calloc(prompts + 1, sizeof(*g->comment_start));
	if (!g->comments || !g->comment_start)
		return CTM_ENOMEM;
	size_t n = 0;
	for (size_t k = 0; k < a->comment_count; k++)
		if (!a->comments[k].dead)
			g->comments[n++] = &a->comments[k];
	qsort(g->comments, n, sizeof(*g->comments), cmp_comment);
	for (size_t k = 0; k < n; k++)
		g->comment_start[g->comments[k]->prompt + 1]++;
	for (size_t c = 0; c < prompts; c++)
		g->comment_start[c + 1] += g->comment_start[c];
	return CTM_OK;
}

size_t ctm_group_comment_count(const ctm_group *g, size_t prompt)
{
	if (!g->comment_start || prompt >= g->rubric->comment_count)
		return 0;
	return g->comment_start[prompt + 1] - g->comment_start[prompt];
}

const char *ctm_group_comment(const ctm_group *g, size_t prompt, size_t k)
{
	if (k >= ctm_group_comment_count(g, prompt))
		return NULL;
	return g->comments[g->comment_start[prompt] + k]->text;
}

static int score_group(ctm_results *res, ctm_group *g, const ctm_group_acc *a,
		       const ctm_score_options *opts, scratch *sc)
{
	const ctm_rubric *rub = res->rubric;
	int rc;

	g->acc = a;
	g->partner_units = res->aggregate == CTM_AGGREGATE_PARTNER;
	g->region = a->region;
	g->wave = a->wave;
	g->dim_count = rub->dimension_count;
	g->question_count = rub->question_count;
	g->item_count = g->dim_count + g->question_count;
	g->factor_count = rub->factor_count;
	g->rubric = rub;
	g->stride = res->ds->items;
	g->has_stage = rub->levelled_count > 0;
	if ((rc = group_alloc(g, a, g->dim_count, g->question_count, sc)) != CTM_OK)
		return rc;
	g->units_answering = units_answering(a, g->stride);
	score_questions_and_stage(res, g, sc);
	score_factors(res, g, a, sc);
	if ((rc = score_dimensions(res, g, a, opts, sc)) != CTM_OK ||
	    (rc = find_blocking(res, g, sc->questions)) != CTM_OK)
		return rc;
	if (res->aggregate == CTM_AGGREGATE_PARTNER && (rc = find_divergences(g, a)) != CTM_OK)
		return rc;
	suppress_roles(g, res->min_n);
	return collect_comments(g, a, rub->comment_count);
}

int ctm_score_run(ctm_results **out, const ctm_dataset *ds, const ctm_score_options *opts,
		  ctm_ctx *ctx)
{
	ctm_score_options defaults = CTM_SCORE_OPTIONS_INIT;
	ctm_results *res = NULL;
	const ctm_group_acc **order = NULL;
	scratch sc = { NULL, 0, NULL };
	int rc = CTM_OK;

	if (!out || !ds)
		return CTM_EUSAGE;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((rc = ctm_diag__check_version(ctx, "ctm_score_run", opts->version,
					  CTM_SCORE_OPTIONS_VERSION)) < 0)
		return rc;
	const ctm_rubric *rub = ds->rubric;
	int L = (int)rub->level_count;
	if (opts->target && (opts->target < 1 || opts->target > L)) {
		ctm_diag__error(ctx, NULL, 0, 0, "target %d is not a level of rubric '%s' (1..%d)",
				opts->target, rub->id, L);
		return CTM_EUSAGE;
	}
	if (opts->min_n < 0) {
		ctm_diag__error(ctx, NULL, 0, 0, "min-n must be at least 1");
		return CTM_EUSAGE;
	}
	if (ds->rows == 0) {
		ctm_diag__error(ctx, NULL, 0, 0, "no responses to score");
		return CTM_EINVALID;
	}

	res = calloc(1, sizeof(*res));
	if (!res)
		return CTM_ENOMEM;
	res->rubric = rub;
	res->ds = ds;
	res->aggregate = ds->aggregate;
	res->min_n = opts->min_n > 0 ? opts->min_n : rub->min_n;
	res->show_partners = opts->version >= 2 && opts->show_partners;
	res->stage_target = opts->target ? opts->target : (rub->target ? rub->target : L);
	res->default_target = res->stage_target;

	order = malloc((ds->group_count ? ds->group_count : 1) * sizeof(*order));
	res->groups = calloc(ds->group_count ? ds->group_count : 1, sizeof(*res->groups));
	sc.questions = malloc((rub->question_count ? rub->question_count : 1) * sizeof(*sc.questions));
	if (!order || !res->groups || !sc.questions) {
		rc = CTM_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < ds->group_count; i++)
		order[i] = ds->groups[i];
	if ((rc = ctm_names__sort_groups(order, ds->group_count)) != CTM_OK)
		goto cleanup;
	for (size_t i = 0; i < ds->group_count; i++) {
		res->group_count = i + 1; /* so that free sees it */
		rc = score_group(res, &res->groups[i], order[i], opts, &sc);
		if (rc != CTM_OK)
			goto cleanup;
	}
	ctm_targets__check_regions(opts->targets, res, ctx);
	*out = res;
	res = NULL;

cleanup:
	free(sc.values);
	free(sc.questions);
	free(order);
	ctm_results_free(res);
	return rc;
}

int ctm_score_options_init(ctm_score_options *opts, unsigned int version)
{
	_Static_assert(offsetof(ctm_score_options, version) == 0, "the version comes first");
	const ctm_score_options defaults = CTM_SCORE_OPTIONS_INIT;
	/* a version-1 caller's struct ends before the fields of version 2 */
	size_t size = version == 1 ? offsetof(ctm_score_options, show_partners) : sizeof(*opts);
	return ctm_diag__init_options(opts, size, &defaults, version, CTM_SCORE_OPTIONS_VERSION);
}
