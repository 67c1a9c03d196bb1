/* Internal: the results' layout, shared by scoring, writers and reports. */
#ifndef CTM_ENGINE_SCORE_INTERNAL_H
#define CTM_ENGINE_SCORE_INTERNAL_H

#include "continuum/score.h"
#include "dataset_internal.h"

struct ctm_group {
	const char *region, *wave;
	const ctm_group_acc *acc;
	size_t dim_count, question_count, item_count; /* item_count: D + Q */
	size_t factor_count;
	const ctm_rubric *rubric;
	size_t stride; /* of the group's sums: the data set's items */
	int has_stage; /* the rubric has a levelled question */
	int partner_units; /* units are partners (else respondents) */
	ctm_item_stats *dims;
	ctm_item_stats *questions;
	ctm_item_stats *factors; /* level: the band's position (1-based), 0 when none */
	double attainment[CTM_MAX_LEVELS + 1]; /* A_l by level value */
	size_t attainment_n[CTM_MAX_LEVELS + 1];
	int attained[CTM_MAX_LEVELS + 1];
	int stage;
	double maturity;
	int stage_target;
	double stage_gap;
	int inconsistent;
	size_t units_answering;
	size_t *priorities;
	size_t priority_count;
	size_t *blocking;
	size_t blocking_count;
	ctm_divergence *divergences;
	size_t divergence_count;
	int *role_suppressed;
	/* the live answers to the open-text prompts, by prompt, each prompt's in
	 * byte order of their text (so the order says nothing of who wrote
	 * which, or when); comment_start[c]..[c+1] are prompt c's. NULL when
	 * the group has none */
	const struct ctm_comment_text **comments;
	size_t *comment_start;
};

struct ctm_results {
	const ctm_rubric *rubric;
	const ctm_dataset *ds;
	ctm_aggregate aggregate;
	int min_n;
	int show_partners;
	int stage_target;
	int default_target; /* for dimensions without a --targets row */
	int *dim_targets;
	ctm_group *groups;
	size_t group_count;
};

/* The --targets value for dimension d in region, or 0 when none applies. */
int ctm_targets__lookup(const ctm_targets *targets, size_t d, const char *region);
/* A warning, with its line, for each target of a region the results lack:
 * a region misspelt in the targets file would otherwise fall back silently. */
void ctm_targets__check_regions(const ctm_targets *targets, const ctm_results *res,
				ctm_ctx *ctx);

#endif
