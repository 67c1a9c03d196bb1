/*
 * continuum — scoring: from a data set to results per group (region, wave).
 *
 * Every statistic follows SPEC "Scoring (exact)". Undefined values are NaN
 * (test with isnan) and levels that are undefined are 0. Groups are ordered by
 * region, then wave, both in natural order ("2" < "10").
 */
#ifndef CONTINUUM_SCORE_H
#define CONTINUUM_SCORE_H

#include <stdio.h>

#include "continuum/common.h"
#include "continuum/error.h"
#include "continuum/rubric.h"
#include "continuum/responses.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ctm_results ctm_results;
typedef struct ctm_group ctm_group;
typedef struct ctm_targets ctm_targets;

/** The rwg below which a dimension is reported as low agreement. */
#define CTM_CONSENSUS_RWG 0.70

/**
 * Per-dimension targets from a --targets file: CSV with header
 * "dimension,target[,region]"; a row with a region applies to that region
 * only and wins over a row without. A target is a level value or a level's id
 * or name. Every problem is reported as file:line:column. Returns 0,
 * CTM_EINVALID, CTM_EIO or CTM_ENOMEM. Free with ctm_targets_free.
 */
CTM_EXTERN(int) ctm_targets_load(ctm_targets **out, const char *path, const ctm_rubric *rubric,
				 ctm_ctx *ctx);
CTM_EXTERN(int) ctm_targets_load_memory(ctm_targets **out, const char *name, const char *buf,
					size_t len, const ctm_rubric *rubric, ctm_ctx *ctx);
CTM_EXTERN(void) ctm_targets_free(ctm_targets *targets);

typedef struct ctm_score_options {
	unsigned int version;          /**< CTM_SCORE_OPTIONS_VERSION */
	int target;                    /**< --target N (1..L), or 0 for the rubric's */
	const ctm_targets *targets;    /**< --targets, or NULL; borrowed */
	int min_n;                     /**< --min-n, or 0 for the rubric's */
} ctm_score_options;

#define CTM_SCORE_OPTIONS_VERSION 1
#define CTM_SCORE_OPTIONS_INIT { CTM_SCORE_OPTIONS_VERSION, 0, NULL, 0 }

/**
 * Scores every group of a data set. The data set and rubric must outlive the
 * results. Returns 0, CTM_EUSAGE (a target outside 1..L, reported in ctx),
 * or CTM_ENOMEM. An empty data set (no rows) is CTM_EINVALID.
 */
CTM_EXTERN(int) ctm_score_run(ctm_results **out, const ctm_dataset *ds,
			      const ctm_score_options *opts, ctm_ctx *ctx);

/** Frees results. Accepts NULL. */
CTM_EXTERN(void) ctm_results_free(ctm_results *results);

CTM_EXTERN(const ctm_rubric *) ctm_results_rubric(const ctm_results *results);
CTM_EXTERN(const ctm_dataset *) ctm_results_dataset(const ctm_results *results);
CTM_EXTERN(size_t) ctm_results_group_count(const ctm_results *results);
/** The i-th group in output order; borrowed. */
CTM_EXTERN(const ctm_group *) ctm_results_group(const ctm_results *results, size_t i);
/** The group for region and wave, or NULL. */
CTM_EXTERN(const ctm_group *) ctm_results_find_group(const ctm_results *results,
						     const char *region, const char *wave);

/** Statistics of one item (dimension or question) in one group. */
typedef struct ctm_item_stats {
	size_t n;        /**< units with an answer */
	double mean;     /**< for a question: a_q */
	double sd;       /**< sample sd; NaN for n < 2 */
	double median;
	double ci_low;   /**< 95% t-interval, clipped to [1,L] (questions: [0,1]) */
	double ci_high;
	double rwg;      /**< dimensions only; NaN for n < 2 and for questions */
	int level;       /**< dimension: mean rounded half up (0 if n = 0);
			      question: its level */
	double target;   /**< dimensions only, else NaN */
	double gap;      /**< max(0, target - mean); NaN when mean is */
	int low_agreement;   /**< rwg defined and below CTM_CONSENSUS_RWG */
	int perception_flag; /**< |level - S| >= 2 */
} ctm_item_stats;

CTM_EXTERN(const char *) ctm_group_region(const ctm_group *g);
CTM_EXTERN(const char *) ctm_group_wave(const ctm_group *g);
/** Units with at least one answer (the stage row's n). */
CTM_EXTERN(size_t) ctm_group_unit_count(const ctm_group *g);
/** Distinct partners and accepted rows (respondents) in the group. */
CTM_EXTERN(size_t) ctm_group_partner_count(const ctm_group *g);
CTM_EXTERN(size_t) ctm_group_respondent_count(const ctm_group *g);

/** Dimension i (rubric order); borrowed. */
CTM_EXTERN(const ctm_item_stats *) ctm_group_dimension(const ctm_group *g, size_t i);
/** Question i (rubric order); borrowed. */
CTM_EXTERN(const ctm_item_stats *) ctm_group_question(const ctm_group *g, size_t i);

/** A_l for level value l (1..L): NaN when no question of l has data. */
CTM_EXTERN(double) ctm_group_level_attainment(const ctm_group *g, int level);
/** Questions of level l with data. */
CTM_EXTERN(size_t) ctm_group_level_n(const ctm_group *g, int level);
/** The stage S (0..L). */
CTM_EXTERN(int) ctm_group_stage(const ctm_group *g);
/** The maturity index M = S + A_{S+1} (S when S = L or A_{S+1} is undefined). */
CTM_EXTERN(double) ctm_group_maturity(const ctm_group *g);
/** The stage target and max(0, target - M). */
CTM_EXTERN(int) ctm_group_stage_target(const ctm_group *g);
CTM_EXTERN(double) ctm_group_stage_gap(const ctm_group *g);
/** Nonzero when a level above S is attained though the one above S is not:
 * a level attained above an unattained (or unassessed) one. */
CTM_EXTERN(int) ctm_group_inconsistent(const ctm_group *g);
/** Nonzero when level l (1..L) is attained (A_l >= θ). */
CTM_EXTERN(int) ctm_group_level_attained(const ctm_group *g, int level);

/** Priorities: dimension indexes with gap > 0, by gap descending, rwg
 * ascending (undefined last), rubric order. */
CTM_EXTERN(size_t) ctm_group_priority_count(const ctm_group *g);
CTM_EXTERN(size_t) ctm_group_priority(const ctm_group *g, size_t k);

/** Blocking questions: indexes of questions at levels S+1..stage target
 * with a_q < θ, by level, then a_q ascending, then rubric order. */
CTM_EXTERN(size_t) ctm_group_blocking_count(const ctm_group *g);
CTM_EXTERN(size_t) ctm_group_blocking(const ctm_group *g, size_t k);

/** Units of the group in order of first appearance; names are partner names
 * (partner units) or respondent ids (respondent units; "row N" without ids). */
CTM_EXTERN(size_t) ctm_group_units(const ctm_group *g);
CTM_EXTERN(const char *) ctm_group_unit_name(const ctm_group *g, size_t u);
/** Unit u's value on dimension d (mean of its respondents), NaN if none. */
CTM_EXTERN(double) ctm_group_unit_value(const ctm_group *g, size_t u, size_t d);

/** A unit whose value on a dimension is 2 or more levels from the median. */
typedef struct ctm_divergence {
	size_t unit;
	size_t dimension;
	double value;
	double median;
} ctm_divergence;

/** Divergent partners (partner units only; none with respondent units). */
CTM_EXTERN(size_t) ctm_group_divergence_count(const ctm_group *g);
CTM_EXTERN(const ctm_divergence *) ctm_group_divergence(const ctm_group *g, size_t k);

/** Role breakdown: one cell per role (respondents without a role form the
 * cell "(no role)"), in order of first appearance. A cell with fewer than
 * min-n respondents is suppressed; when exactly one is, the next smallest is
 * suppressed too. Suppressed cells' values must not be shown. */
CTM_EXTERN(size_t) ctm_group_role_count(const ctm_group *g);
CTM_EXTERN(const char *) ctm_group_role_name(const ctm_group *g, size_t r);
CTM_EXTERN(size_t) ctm_group_role_respondents(const ctm_group *g, size_t r);
CTM_EXTERN(int) ctm_group_role_suppressed(const ctm_group *g, size_t r);
/** Mean over the role's respondents' answers to dimension d, and how many
 * answered; NaN / 0 when suppressed or unanswered. */
CTM_EXTERN(double) ctm_group_role_mean(const ctm_group *g, size_t r, size_t d);
CTM_EXTERN(size_t) ctm_group_role_n(const ctm_group *g, size_t r, size_t d);
/** The min-n in force. */
CTM_EXTERN(int) ctm_results_min_n(const ctm_results *results);

/** Output formats of ctm_results_write. */
typedef enum ctm_format { CTM_FORMAT_CSV = 0, CTM_FORMAT_JSON = 1 } ctm_format;

/**
 * Writes the tidy table of SPEC (CSV) or the same numbers plus priorities,
 * flags, next steps, blocking questions and exclusions (JSON) to a stream.
 * Returns 0 or CTM_EWRITE.
 */
CTM_EXTERN(int) ctm_results_write(const ctm_results *results, ctm_format format, FILE *out,
				  ctm_ctx *ctx);

/**
 * Writes to path atomically: a temporary file in the same directory, renamed
 * over path once complete; on failure nothing is left behind. Returns 0 or
 * CTM_EWRITE (reason in ctx).
 */
CTM_EXTERN(int) ctm_results_save(const ctm_results *results, ctm_format format,
				 const char *path, ctm_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
