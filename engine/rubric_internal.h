/* Internal: the rubric model's layout, shared by the loader and the engine. */
#ifndef CTM_ENGINE_RUBRIC_INTERNAL_H
#define CTM_ENGINE_RUBRIC_INTERNAL_H

#include "continuum/rubric.h"
#include "arena.h"

#define CTM_MAX_LEVELS 9
/* The largest min-n a rubric may set (a larger one is an error). */
#define CTM_RUBRIC_MAX_MIN_N 1000000

struct ctm_level {
	int value;
	const char *id, *name, *summary, *definition;
};

struct ctm_option {
	const char *code, *label;
	double score; /* NaN when missing or not given */
	double value; /* the rated number (value=, else a numeric code); NaN when none */
	int missing;
};

struct ctm_scale {
	const char *id;
	ctm_option *options;
	size_t option_count;
	int scored;            /* every non-missing option has a score */
	int valued;            /* every non-missing option has a value */
	double lowest, highest; /* of the values (valued scales) */
	size_t points;         /* non-missing options with a value */
};

struct ctm_dimension {
	const char *id, *name, *prompt;
	const char *descriptors[CTM_MAX_LEVELS + 1]; /* by level value; [0] unused */
	size_t index;
};

struct ctm_question {
	const char *id, *text;
	int level; /* 0: a statement, in no level's attainment */
	const ctm_scale *scale;
	size_t index;
	size_t value_item; /* its rated value's slot among the valued questions, or SIZE_MAX */
};

typedef struct ctm_factor_entry {
	const ctm_question *question;
	int reverse;
} ctm_factor_entry;

struct ctm_factor {
	const char *id, *name, *description;
	ctm_factor_entry *items;
	size_t item_count;
	double lowest, highest; /* the value range of its items' scales */
	size_t points;          /* A: the most rated points of its items' scales */
	size_t index;
};

struct ctm_comment {
	const char *id, *prompt;
	size_t dimension; /* the dimension it is about, or SIZE_MAX */
	size_t index;
};

struct ctm_band {
	const char *id, *name;
	double min;
};

struct ctm_rubric {
	ctm_arena arena;
	const char *path, *id, *version, *title, *source, *description, *lang;
	double attainment;
	int target; /* 0: none */
	int min_n;
	ctm_aggregate aggregate;
	ctm_level *levels;
	size_t level_count;
	ctm_scale *scales;
	size_t scale_count;
	ctm_dimension *dimensions;
	size_t dimension_count;
	ctm_question *questions;
	size_t question_count;
	size_t levelled_count; /* questions with a level */
	size_t valued_count;   /* questions some factor rates (value_item 0..n-1) */
	ctm_factor *factors;
	size_t factor_count;
	ctm_band *bands;
	size_t band_count;
	ctm_comment *comments; /* open-text prompts: shown verbatim, unattributed */
	size_t comment_count;
};

/* The column names a survey reserves; no item may take one. */
extern const char *const ctm_rubric__reserved_columns[];
extern const size_t ctm_rubric__reserved_column_count;

#endif
