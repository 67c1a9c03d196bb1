/*
 * continuum — scoring: from a data set to results per group (region, wave).
 *
 * Every statistic follows the rules of docs/scoring.md. Undefined values are
 * NaN (test with isnan) and levels that are undefined are 0. Groups are
 * ordered by region, then wave, both in natural order ("2" < "10").
 *
 * Results are never changed once scored: they may be read from several
 * threads at once. They borrow the data set (and through it the rubric): the
 * data set must not be freed or read into while the results live. Every
 * getter below reads through its handle and does not accept NULL; pointers
 * and strings it returns are borrowed and live as long as the results.
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
 * Loads the per-dimension targets file (the CLI's --targets): CSV with the
 * header "dimension,target[,region]" (columns in any order, names ignoring
 * case). A row names a dimension by its id (exactly) and a target as a level
 * value or a level's id or name (ignoring case); a row with a region applies
 * to that region only (compared byte for byte) and wins over a row without.
 * Every problem is reported as file:line:column.
 *
 * On success *out owns the targets: free them with ctm_targets_free, after
 * the last ctm_score_run that uses them. They hold dimension indexes of
 * rubric: use them only with data sets of that rubric. The rubric is not
 * kept. Returns 0, CTM_EINVALID (an empty file, a bad header, an unknown
 * dimension or level, a row of the wrong width, a second row for the same
 * dimension and region, a malformed CSV row), CTM_EIO (the file cannot be
 * opened or read), CTM_ENOMEM, or CTM_EUSAGE when out, path or rubric is
 * NULL (not said in ctx). On failure *out is NULL, except on CTM_EUSAGE for
 * a NULL out, path or rubric. ctx may be NULL: invalid rows are found by
 * counting errors, in a private context when the caller gives none.
 */
CTM_EXTERN(int) ctm_targets_load(ctm_targets **out, const char *path, const ctm_rubric *rubric,
				 ctm_ctx *ctx);
/** As ctm_targets_load, from a buffer of len bytes (not kept); name is used
 * in diagnostics (NULL: "<targets>"). CTM_EUSAGE when out or rubric is NULL,
 * or buf is NULL with len > 0; buf NULL with len 0 is an empty file
 * (CTM_EINVALID). */
CTM_EXTERN(int) ctm_targets_load_memory(ctm_targets **out, const char *name, const char *buf,
					size_t len, const ctm_rubric *rubric, ctm_ctx *ctx);
/** Frees targets. Accepts NULL. */
CTM_EXTERN(void) ctm_targets_free(ctm_targets *targets);

typedef struct ctm_score_options {
	unsigned int version;       /**< CTM_SCORE_OPTIONS_VERSION */
	int target;                 /**< the stage target, also every
					    dimension's without a row in targets:
					    a level value 1..L (the CLI's
					    --target), or 0 for the rubric's
					    target (L when it sets none) */
	const ctm_targets *targets; /**< per-dimension targets
					    (ctm_targets_load), or NULL;
					    borrowed */
	int min_n;                  /**< the smallest role-breakdown cell
					    shown (the CLI's --min-n), or 0 for
					    the rubric's (ctm_rubric_min_n) */
	/* ---- version 2 ---- */
	int show_partners;          /**< nonzero: outputs show every unit one
					    by one (--show-partners); 0: a unit
					    with fewer than min-n respondents is
					    only counted (ctm_group_unit_shown) */
} ctm_score_options;

#define CTM_SCORE_OPTIONS_VERSION 2
#define CTM_SCORE_OPTIONS_INIT \
	{ \
		CTM_SCORE_OPTIONS_VERSION, 0, NULL, 0, 0 \
	}

/**
 * Sets *opts to the defaults of CTM_SCORE_OPTIONS_INIT for the given version (pass
 * CTM_SCORE_OPTIONS_VERSION), for callers that cannot use the macro (other
 * languages' bindings). Returns 0, or CTM_EUSAGE when opts is NULL or the
 * version is not one this library knows (1 to CTM_SCORE_OPTIONS_VERSION).
 *
 * Every function taking a ctm_score_options follows one rule: NULL means the
 * defaults; a version from 1 to CTM_SCORE_OPTIONS_VERSION is read; any other
 * version (0: a struct never initialised) is CTM_EUSAGE.
 */
CTM_EXTERN(int) ctm_score_options_init(ctm_score_options *opts, unsigned int version);

/**
 * Scores every group of a data set. opts may be NULL for the defaults; it and
 * opts->targets are only read during the call. The data set (borrowed) and
 * its rubric must outlive the results, and the data set must not be read into
 * while they live.
 *
 * On success *out owns the results: free them with ctm_results_free. Returns
 * 0; CTM_EUSAGE when out or ds is NULL (not said in ctx), opts->version is
 * not from 1 to CTM_SCORE_OPTIONS_VERSION, opts->target is neither 0 nor in
 * 1..L, or opts->min_n is negative (these three said in ctx); CTM_EINVALID
 * for a data set without rows (said in ctx); CTM_ENOMEM. On failure *out is
 * NULL, except on CTM_EUSAGE for a NULL out or ds. ctx may be NULL.
 */
CTM_EXTERN(int) ctm_score_run(ctm_results **out, const ctm_dataset *ds,
			      const ctm_score_options *opts, ctm_ctx *ctx);

/** Frees results; every group, statistic and name taken from them becomes
 * invalid. Comparisons made from them must be freed first. Accepts NULL. */
CTM_EXTERN(void) ctm_results_free(ctm_results *results);

/** The rubric and the data set the results were scored from; borrowed. */
CTM_EXTERN(const ctm_rubric *) ctm_results_rubric(const ctm_results *results);
CTM_EXTERN(const ctm_dataset *) ctm_results_dataset(const ctm_results *results);
/** Groups (region, wave) scored. */
CTM_EXTERN(size_t) ctm_results_group_count(const ctm_results *results);
/** The i-th group in output order; borrowed. NULL when i is out of range. */
CTM_EXTERN(const ctm_group *) ctm_results_group(const ctm_results *results, size_t i);
/** The group for region and wave (exact byte comparison), or NULL; borrowed.
 * region and wave must not be NULL. */
CTM_EXTERN(const ctm_group *) ctm_results_find_group(const ctm_results *results, const char *region,
						     const char *wave);

/** The group of g's region in the wave before g's (natural order of the
 * waves the data has for that region): the region's previous survey, or
 * NULL when g is its first (or g is not one of these results'). */
CTM_EXTERN(const ctm_group *) ctm_results_previous_group(const ctm_results *results,
							 const ctm_group *g);

/** Statistics of one item (dimension or question) in one group. */
typedef struct ctm_item_stats {
	size_t n;            /**< units with an answer */
	double mean;         /**< for a question: a_q */
	double sd;           /**< sample sd; NaN for n < 2 */
	double median;       /**< NaN for n = 0 */
	double ci_low;       /**< 95% t-interval, clipped to [1,L] (questions: [0,1]); */
	double ci_high;      /**< NaN for n < 2 */
	double rwg;          /**< dimensions only; NaN for n < 2 and for questions */
	int level;           /**< dimension: mean rounded half up (0 if n = 0);
			      question: its level */
	double target;       /**< dimensions only, else NaN */
	double gap;          /**< max(0, target - mean), 0 when below 1e-9; NaN when
			      mean is, and for questions */
	int low_agreement;   /**< rwg defined and below CTM_CONSENSUS_RWG (less
				  1e-9: docs/scoring.md) */
	int perception_flag; /**< dimensions with n > 0 only: |level - S| >= 2 */
} ctm_item_stats;

/** The group's region and wave as read from the responses; borrowed. */
CTM_EXTERN(const char *) ctm_group_region(const ctm_group *g);
CTM_EXTERN(const char *) ctm_group_wave(const ctm_group *g);
/** Units with at least one answer (the stage row's n). */
CTM_EXTERN(size_t) ctm_group_unit_count(const ctm_group *g);
/** Distinct partners and accepted rows (respondents) in the group. */
CTM_EXTERN(size_t) ctm_group_partner_count(const ctm_group *g);
CTM_EXTERN(size_t) ctm_group_respondent_count(const ctm_group *g);

/** Dimension i (rubric order); borrowed. NULL when i is out of range. */
CTM_EXTERN(const ctm_item_stats *) ctm_group_dimension(const ctm_group *g, size_t i);
/** Question i (rubric order); borrowed. NULL when i is out of range, or
 * when memory runs out. A statement's (a question without a level) has
 * level 0. The group's question statistics are computed on the first call
 * and kept with the results from then on (safe from several threads at
 * once); ctm_group_questions computes them without keeping them. */
CTM_EXTERN(const ctm_item_stats *) ctm_group_question(const ctm_group *g, size_t i);
/** All the group's question statistics, rubric order, into out[0 ..
 * ctm_rubric_question_count): the values ctm_group_question gives, computed
 * afresh and not kept. CTM_OK, or CTM_ENOMEM (out then undefined), or
 * CTM_EUSAGE for a NULL argument. */
CTM_EXTERN(int) ctm_group_questions(const ctm_group *g, ctm_item_stats *out);
/** Factor i (rubric order); borrowed. NULL when i is out of range. Its
 * statistics are over the units' factor values (docs/scoring.md, "Factors"):
 * interval clipped to the items' value range, rwg against the A rated points
 * of its items' scales (NaN for n < 2 or A < 2), level = the position
 * (1-based, rubric order) of the band its mean lies in, 0 when it lies in
 * none or n = 0; low_agreement as for dimensions; target and gap NaN. */
CTM_EXTERN(const ctm_item_stats *) ctm_group_factor(const ctm_group *g, size_t i);
/** Unit u's value on factor f: the mean over the factor's items it answered
 * of its respondents' mean rated value (a reversed item read as lowest +
 * highest value of its scale - value); NaN when it answered none, or u or f
 * is out of range. */
CTM_EXTERN(double) ctm_group_unit_factor_value(const ctm_group *g, size_t u, size_t f);
/** Unit u's mean rated value of question q (rubric order): the mean of its
 * respondents' rated values (ctm_option_value of the options chosen), as
 * answered, before any reversal; NaN when it has none, when no factor rates
 * the question (only rated questions' values are kept), or u or q is out of
 * range. */
CTM_EXTERN(double) ctm_group_unit_item_value(const ctm_group *g, size_t u, size_t q);
/** Nonzero when the rubric has a question with a level, so that the group
 * has a stage; otherwise ctm_group_stage is 0, ctm_group_maturity and
 * ctm_group_stage_gap are NaN, and no dimension is flagged for perception
 * against evidence. */
CTM_EXTERN(int) ctm_group_has_stage(const ctm_group *g);

/** The group's answers to open-text prompt `prompt` (ctm_rubric_comment's
 * index): every non-empty one, trimmed, line breaks as LF, verbatim
 * otherwise; unattributed and in byte order of their text, so that their
 * order tells nothing of who wrote which. NULL past the count. */
CTM_EXTERN(size_t) ctm_group_comment_count(const ctm_group *g, size_t prompt);
CTM_EXTERN(const char *) ctm_group_comment(const ctm_group *g, size_t prompt, size_t k);

/** A_l for level value l (1..L): NaN when no question of l has data, or l
 * is not a level value. */
CTM_EXTERN(double) ctm_group_level_attainment(const ctm_group *g, int level);
/** Questions of level l with data; 0 when l is not a level value. */
CTM_EXTERN(size_t) ctm_group_level_n(const ctm_group *g, int level);
/** The stage S (0..L). */
CTM_EXTERN(int) ctm_group_stage(const ctm_group *g);
/** The maturity index M = S + A_{S+1} (S when S = L or A_{S+1} is undefined). */
CTM_EXTERN(double) ctm_group_maturity(const ctm_group *g);
/** The stage target (ctm_score_options.target, else the rubric's target,
 * else L) and max(0, target - M). */
CTM_EXTERN(int) ctm_group_stage_target(const ctm_group *g);
CTM_EXTERN(double) ctm_group_stage_gap(const ctm_group *g);
/** Nonzero when a level above S is attained though the one above S is not:
 * a level attained above an unattained (or unassessed) one. */
CTM_EXTERN(int) ctm_group_inconsistent(const ctm_group *g);
/** Nonzero when level l (1..L) is attained (A_l >= θ); 0 when l is not a
 * level value. */
CTM_EXTERN(int) ctm_group_level_attained(const ctm_group *g, int level);

/** Priorities: dimension indexes with gap > 0, by gap descending, rwg
 * ascending (undefined last), rubric order. ctm_group_priority gives the k-th
 * (k < ctm_group_priority_count), SIZE_MAX when k is out of range. */
CTM_EXTERN(size_t) ctm_group_priority_count(const ctm_group *g);
CTM_EXTERN(size_t) ctm_group_priority(const ctm_group *g, size_t k);

/** Blocking questions: indexes of questions with data (n > 0) at levels
 * S+1..stage target with a_q < θ, by level, then a_q ascending, then rubric
 * order.
 * ctm_group_blocking gives the k-th, SIZE_MAX when k is out of range. */
CTM_EXTERN(size_t) ctm_group_blocking_count(const ctm_group *g);
CTM_EXTERN(size_t) ctm_group_blocking(const ctm_group *g, size_t k);

/** Units of the group in order of first appearance; names are partner names
 * (partner units) or respondent ids (respondent units; "row N" without ids).
 * ctm_group_unit_name is borrowed, NULL when u is out of range. */
CTM_EXTERN(size_t) ctm_group_units(const ctm_group *g);
CTM_EXTERN(const char *) ctm_group_unit_name(const ctm_group *g, size_t u);
/** Unit u's value on dimension d (mean of its respondents' answers), NaN if
 * it has none or u is out of range. Indexes from the dimension count on are
 * the questions in rubric order (the unit's mean score, 0..1). */
CTM_EXTERN(double) ctm_group_unit_value(const ctm_group *g, size_t u, size_t d);

/** A unit whose value on a dimension is 2 or more levels from the median. */
typedef struct ctm_divergence {
	size_t unit;
	size_t dimension;
	double value;
	double median;
} ctm_divergence;

/** Divergent partners (partner units only; none with respondent units).
 * ctm_group_divergence is borrowed, NULL when k is out of range. */
CTM_EXTERN(size_t) ctm_group_divergence_count(const ctm_group *g);
CTM_EXTERN(const ctm_divergence *) ctm_group_divergence(const ctm_group *g, size_t k);

/** Role breakdown, when the responses have a role column (else no cells):
 * one cell per role (respondents with an empty role form the cell
 * "(no role)"), in order of first appearance. A cell with fewer than
 * ctm_results_min_n respondents is suppressed; when exactly one is and there
 * are other cells, the unsuppressed cell with the fewest respondents (the
 * first of equals) is suppressed too. Suppressed cells' values must not be
 * shown.
 * ctm_group_role_name is borrowed (NULL when r is out of range);
 * ctm_group_role_respondents is 0 and ctm_group_role_suppressed nonzero when r
 * is out of range. */
CTM_EXTERN(size_t) ctm_group_role_count(const ctm_group *g);
CTM_EXTERN(const char *) ctm_group_role_name(const ctm_group *g, size_t r);
CTM_EXTERN(size_t) ctm_group_role_respondents(const ctm_group *g, size_t r);
CTM_EXTERN(int) ctm_group_role_suppressed(const ctm_group *g, size_t r);
/** Mean over the role's respondents' answers to dimension d, and how many
 * answered; NaN / 0 when suppressed or unanswered. */
CTM_EXTERN(double) ctm_group_role_mean(const ctm_group *g, size_t r, size_t d);
CTM_EXTERN(size_t) ctm_group_role_n(const ctm_group *g, size_t r, size_t d);
/** The min-n in force: ctm_score_options.min_n when above 0, else the
 * rubric's (ctm_rubric_min_n). */
CTM_EXTERN(int) ctm_results_min_n(const ctm_results *results);

/** What was left out of the group's own rows (cells, duplicates, rows its
 * region and wave name that --exclude left out, ...), as ctm_exclusion with
 * the group's counts and first positions; rows whose group was never known
 * (no region, a malformed row, a platform's preview) are only in the data
 * set's exclusions. Borrowed; NULL when i is out of range. */
CTM_EXTERN(size_t) ctm_group_exclusion_count(const ctm_group *g);
CTM_EXTERN(const ctm_exclusion *) ctm_group_exclusion(const ctm_group *g, size_t i);

/** Nonzero when the results show every unit one by one
 * (ctm_score_options.show_partners). */
CTM_EXTERN(int) ctm_results_show_partners(const ctm_results *results);

/** The respondents (rows read) behind unit u of g: a partner's, or 1 for a
 * respondent unit; 0 when u is out of range. */
CTM_EXTERN(size_t) ctm_group_unit_respondents(const ctm_group *g, size_t u);

/**
 * Whether unit u of g may be shown one by one (its values, its divergence):
 * it has at least min-n respondents, or the results show every unit. No
 * output of the library shows a unit that is not; the count of those that
 * are not is ctm_group_units_hidden. A value of a unit of one respondent is
 * that person's answer.
 */
CTM_EXTERN(int) ctm_group_unit_shown(const ctm_results *results, const ctm_group *g, size_t u);
CTM_EXTERN(size_t) ctm_group_units_hidden(const ctm_results *results, const ctm_group *g);

/** Output formats of ctm_results_write. */
typedef enum ctm_format { CTM_FORMAT_CSV = 0, CTM_FORMAT_JSON = 1 } ctm_format;

/**
 * Writes the score table of docs/scoring.md (CSV) or the same numbers plus
 * priorities, flags, next steps, blocking questions, divergent partners,
 * roles and exclusions (JSON) to a stream, and flushes it; a format other
 * than CTM_FORMAT_JSON writes CSV. out is borrowed, not closed. Returns 0,
 * CTM_EWRITE when the stream reports an error (said in ctx, which may be
 * NULL; part of the output may have been written), or CTM_EUSAGE when
 * results or out is NULL (not said in ctx).
 */
CTM_EXTERN(int) ctm_results_write(const ctm_results *results, ctm_format format, FILE *out,
				  ctm_ctx *ctx);

/**
 * Writes to path atomically: a temporary file in the same directory, renamed
 * over path once complete; on failure nothing is left behind and an existing
 * file at path is untouched. Returns 0, CTM_EWRITE (path is empty or names a
 * directory, or the file cannot be created, written or renamed, or memory ran
 * out for the temporary's name; reason in ctx, which may be NULL), or
 * CTM_EUSAGE when results or path is NULL (not said in ctx).
 */
CTM_EXTERN(int) ctm_results_save(const ctm_results *results, ctm_format format, const char *path,
				 ctm_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
