/* Internal: the results' layout, shared by scoring, writers and reports. */
#ifndef CTM_ENGINE_SCORE_INTERNAL_H
#define CTM_ENGINE_SCORE_INTERNAL_H

#include <stdatomic.h>

#include "continuum/score.h"
#include "dataset_internal.h"

struct ctm_group {
	const char *region, *wave;
	const ctm_group_acc *acc;
	const ctm_rubric *rubric;
	/* dims .. role_suppressed are one allocation (score.c group_alloc),
	 * which starts at dims: a group costs what its rubric and roles hold,
	 * not a malloc per array (issue 21) */
	ctm_item_stats *dims;
	/* The questions' statistics are not kept: 9 questions would cost 800
	 * bytes a group, for outputs that each want them once (the score
	 * writers and reports compute them, ctm_group_questions). This is
	 * ctm_group_question's copy, made on its first call and published
	 * with a compare-and-swap so that threads sharing the results may ask
	 * at once (a loser frees its own). */
	_Atomic(ctm_item_stats *) questions;
	ctm_item_stats *factors; /* level: the band's position (1-based), 0 when none */
	/* (attainment_n, priorities and blocking count or name items, as the
	 * 32-bit counts below do: D + Q is at most CTM_CSV_MAX_FIELDS, rubric_build.c,
	 * so 32 bits hold them) */
	double *attainment;      /* [L + 1]: A_l by level value ([0] unused) */
	uint32_t *attainment_n;  /* [L + 1] */
	int *attained;           /* [L + 1] */
	uint32_t *priorities;    /* [D] */
	uint32_t *blocking;      /* [Q] */
	int *role_suppressed;    /* [the group's roles] */
	ctm_divergence *divergences;
	/* the live answers to the open-text prompts, by prompt, each prompt's in
	 * byte order of their text (so the order says nothing of who wrote
	 * which, or when); comment_start[c]..[c+1] are prompt c's. NULL when
	 * the group has none */
	const struct ctm_comment_text **comments;
	size_t *comment_start;
	size_t factor_count; /* (factors are not limited as items are) */
	size_t divergence_count;
	size_t units_answering;
	double maturity;
	double stage_gap;
	uint32_t dim_count, question_count, item_count; /* item_count: D + Q */
	uint32_t stride; /* of the group's sums: the data set's items (at most 2 (D + Q)) */
	uint32_t priority_count;
	uint32_t blocking_count;
	int stage;
	int stage_target;
	int inconsistent;
	int has_stage; /* the rubric has a levelled question */
	int partner_units; /* units are partners (else respondents) */
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
