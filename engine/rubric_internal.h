/* Internal: the rubric model's layout, shared by the loader and the engine. */
#ifndef CTM_ENGINE_RUBRIC_INTERNAL_H
#define CTM_ENGINE_RUBRIC_INTERNAL_H

#include "continuum/rubric.h"
#include "arena.h"

#define CTM_MAX_LEVELS 9

struct ctm_level {
	int value;
	const char *id, *name, *summary, *definition;
};

struct ctm_option {
	const char *code, *label;
	double score; /* NaN when missing */
	int missing;
};

struct ctm_scale {
	const char *id;
	ctm_option *options;
	size_t option_count;
};

struct ctm_dimension {
	const char *id, *name, *prompt;
	const char *descriptors[CTM_MAX_LEVELS + 1]; /* by level value; [0] unused */
	size_t index;
};

struct ctm_question {
	const char *id, *text;
	int level;
	const ctm_scale *scale;
	size_t index;
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
};

/* The column names a survey reserves; no item may take one. */
extern const char *const ctm_rubric__reserved_columns[];
extern const size_t ctm_rubric__reserved_column_count;

#endif
