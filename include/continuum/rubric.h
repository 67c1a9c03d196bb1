/*
 * continuum — rubrics: one continuum of levels, its placement dimensions,
 * diagnostic questions, answer scales and scoring settings.
 *
 * A rubric is loaded from XML (namespace urn:continuum:rubric:1), validated
 * against the schema compiled into the library and then against the rules the
 * schema cannot express. Loading is hardened: the file is read with a size
 * cap, no network access, no DTD, no external entities, bounded depth.
 *
 * Every getter takes a const handle and returns a borrowed pointer that lives
 * as long as the rubric. Strings are UTF-8 and NUL-terminated. Indexes are
 * 0-based; level values are 1-based (the level at index i has value i + 1).
 */
#ifndef CONTINUUM_RUBRIC_H
#define CONTINUUM_RUBRIC_H

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ctm_rubric ctm_rubric;
typedef struct ctm_level ctm_level;
typedef struct ctm_scale ctm_scale;
typedef struct ctm_option ctm_option;
typedef struct ctm_dimension ctm_dimension;
typedef struct ctm_question ctm_question;

/** How respondents are combined before statistics are taken. */
typedef enum ctm_aggregate {
	CTM_AGGREGATE_PARTNER = 0,   /**< one unit per organization */
	CTM_AGGREGATE_RESPONDENT = 1 /**< one unit per respondent */
} ctm_aggregate;

/** Largest rubric file read, in bytes. */
#define CTM_RUBRIC_MAX_BYTES (8u << 20)
/** Deepest element nesting accepted. */
#define CTM_RUBRIC_MAX_DEPTH 64

/**
 * Loads and validates a rubric file.
 *
 * On success *out owns a new rubric (free with ctm_rubric_free) and 0 is
 * returned. On failure *out is NULL and the return is CTM_EIO (the file cannot
 * be read), CTM_EINVALID (every problem found is in ctx as
 * "file:line: error: ..."), or CTM_ENOMEM.
 */
CTM_EXTERN(int) ctm_rubric_load(ctm_rubric **out, const char *path, ctm_ctx *ctx);

/**
 * As ctm_rubric_load, from a buffer of len bytes (not necessarily
 * NUL-terminated). name is used in diagnostics. The buffer is not kept.
 */
CTM_EXTERN(int) ctm_rubric_load_memory(ctm_rubric **out, const char *name,
				       const char *buf, size_t len, ctm_ctx *ctx);

/** Frees a rubric. Accepts NULL. */
CTM_EXTERN(void) ctm_rubric_free(ctm_rubric *rubric);

CTM_EXTERN(const char *) ctm_rubric_id(const ctm_rubric *rubric);
CTM_EXTERN(const char *) ctm_rubric_version(const ctm_rubric *rubric);
CTM_EXTERN(const char *) ctm_rubric_title(const ctm_rubric *rubric);
/** The sources, joined by "; " when the rubric names several. */
CTM_EXTERN(const char *) ctm_rubric_source(const ctm_rubric *rubric);
/** The description, or NULL when the rubric has none. */
CTM_EXTERN(const char *) ctm_rubric_description(const ctm_rubric *rubric);
/** xml:lang of the root, or NULL. */
CTM_EXTERN(const char *) ctm_rubric_lang(const ctm_rubric *rubric);
/** The file name the rubric was loaded from (or the name given). */
CTM_EXTERN(const char *) ctm_rubric_path(const ctm_rubric *rubric);

/** Scoring settings: θ in (0,1] (default 0.75). */
CTM_EXTERN(double) ctm_rubric_attainment(const ctm_rubric *rubric);
/** The rubric's target level, or 0 when it sets none. */
CTM_EXTERN(int) ctm_rubric_target(const ctm_rubric *rubric);
CTM_EXTERN(ctm_aggregate) ctm_rubric_aggregate(const ctm_rubric *rubric);
/** Smallest role-breakdown cell shown (default 5). */
CTM_EXTERN(int) ctm_rubric_min_n(const ctm_rubric *rubric);

/** L, the number of levels (2..9). */
CTM_EXTERN(size_t) ctm_rubric_level_count(const ctm_rubric *rubric);
/** The level at index i (value i + 1), or NULL. */
CTM_EXTERN(const ctm_level *) ctm_rubric_level(const ctm_rubric *rubric, size_t i);
CTM_EXTERN(int) ctm_level_value(const ctm_level *level);
CTM_EXTERN(const char *) ctm_level_id(const ctm_level *level);
CTM_EXTERN(const char *) ctm_level_name(const ctm_level *level);
/** Summary, or NULL. */
CTM_EXTERN(const char *) ctm_level_summary(const ctm_level *level);
/** Definition, or NULL. */
CTM_EXTERN(const char *) ctm_level_definition(const ctm_level *level);

CTM_EXTERN(size_t) ctm_rubric_scale_count(const ctm_rubric *rubric);
CTM_EXTERN(const ctm_scale *) ctm_rubric_scale(const ctm_rubric *rubric, size_t i);
CTM_EXTERN(const char *) ctm_scale_id(const ctm_scale *scale);
CTM_EXTERN(size_t) ctm_scale_option_count(const ctm_scale *scale);
CTM_EXTERN(const ctm_option *) ctm_scale_option(const ctm_scale *scale, size_t i);
CTM_EXTERN(const char *) ctm_option_code(const ctm_option *option);
CTM_EXTERN(const char *) ctm_option_label(const ctm_option *option);
/** Nonzero when choosing this option means "no answer". */
CTM_EXTERN(int) ctm_option_is_missing(const ctm_option *option);
/** The option's score in [0,1]; NaN for a missing option. */
CTM_EXTERN(double) ctm_option_score(const ctm_option *option);

CTM_EXTERN(size_t) ctm_rubric_dimension_count(const ctm_rubric *rubric);
CTM_EXTERN(const ctm_dimension *) ctm_rubric_dimension(const ctm_rubric *rubric, size_t i);
CTM_EXTERN(const char *) ctm_dimension_id(const ctm_dimension *dim);
CTM_EXTERN(const char *) ctm_dimension_name(const ctm_dimension *dim);
CTM_EXTERN(const char *) ctm_dimension_prompt(const ctm_dimension *dim);
/** The descriptor for a level value (1..L), or NULL when there is none. */
CTM_EXTERN(const char *) ctm_dimension_descriptor(const ctm_dimension *dim, int level);

CTM_EXTERN(size_t) ctm_rubric_question_count(const ctm_rubric *rubric);
CTM_EXTERN(const ctm_question *) ctm_rubric_question(const ctm_rubric *rubric, size_t i);
CTM_EXTERN(const char *) ctm_question_id(const ctm_question *q);
CTM_EXTERN(const char *) ctm_question_text(const ctm_question *q);
CTM_EXTERN(int) ctm_question_level(const ctm_question *q);
CTM_EXTERN(const ctm_scale *) ctm_question_scale(const ctm_question *q);

#ifdef __cplusplus
}
#endif

#endif
