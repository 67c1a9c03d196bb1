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
 * as long as the rubric (never free it). Strings are UTF-8 and NUL-terminated.
 * Indexes are 0-based; level values are 1-based (the level at index i has
 * value i + 1). No getter accepts a NULL handle. A loaded rubric is never
 * changed, so it may be read from several threads at once.
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
typedef struct ctm_factor ctm_factor;
typedef struct ctm_band ctm_band;
typedef struct ctm_comment ctm_comment;

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
 * path is opened as given (no search: the command-line tool's look-up of a
 * shipped rubric's name is its own). At most CTM_RUBRIC_MAX_BYTES are read.
 *
 * On success *out owns a new rubric (free with ctm_rubric_free) and 0 is
 * returned. On failure *out is NULL and the return is CTM_EIO (the file cannot
 * be opened or read), CTM_EINVALID (empty, too large, not well-formed XML,
 * against the schema or the rules of the format: every problem found is in
 * ctx as "file:line: error: ..."), CTM_ENOMEM, or CTM_EINTERNAL (libxml2
 * could not set up the schema). CTM_EUSAGE when out or path is NULL. ctx may
 * be NULL.
 */
CTM_EXTERN(int) ctm_rubric_load(ctm_rubric **out, const char *path, ctm_ctx *ctx);

/**
 * As ctm_rubric_load, from a buffer of len bytes (not necessarily
 * NUL-terminated). name is used in diagnostics and as ctm_rubric_path (copied;
 * NULL: "<rubric>"). The buffer is not kept. CTM_EUSAGE when out is NULL, or
 * buf is NULL with len > 0; len 0 is CTM_EINVALID (an empty rubric).
 */
CTM_EXTERN(int) ctm_rubric_load_memory(ctm_rubric **out, const char *name, const char *buf,
				       size_t len, ctm_ctx *ctx);

/** Frees a rubric and every string and item taken from it. Data sets,
 * targets and results made for it must be freed first. Accepts NULL. */
CTM_EXTERN(void) ctm_rubric_free(ctm_rubric *rubric);

/** The rubric's id attribute; borrowed, never NULL. */
CTM_EXTERN(const char *) ctm_rubric_id(const ctm_rubric *rubric);
/** The rubric's version attribute; borrowed, never NULL. */
CTM_EXTERN(const char *) ctm_rubric_version(const ctm_rubric *rubric);
/** The title; borrowed, never NULL. */
CTM_EXTERN(const char *) ctm_rubric_title(const ctm_rubric *rubric);
/** The sources, joined by "; " when the rubric names several (the first 16
 * of them); borrowed, never NULL. */
CTM_EXTERN(const char *) ctm_rubric_source(const ctm_rubric *rubric);
/** The description, or NULL when the rubric has none. */
CTM_EXTERN(const char *) ctm_rubric_description(const ctm_rubric *rubric);
/** xml:lang of the root, or NULL. */
CTM_EXTERN(const char *) ctm_rubric_lang(const ctm_rubric *rubric);
/** The file name the rubric was loaded from (or the name given). */
CTM_EXTERN(const char *) ctm_rubric_path(const ctm_rubric *rubric);

/** Scoring settings, from <scoring>. θ, the attainment threshold, in (0,1]
 * (default 0.75). */
CTM_EXTERN(double) ctm_rubric_attainment(const ctm_rubric *rubric);
/** The rubric's target level, or 0 when it sets none. */
CTM_EXTERN(int) ctm_rubric_target(const ctm_rubric *rubric);
/** The rubric's unit of analysis (default CTM_AGGREGATE_PARTNER). */
CTM_EXTERN(ctm_aggregate) ctm_rubric_aggregate(const ctm_rubric *rubric);
/** Smallest role-breakdown cell shown: the rubric's min-n, 5 when it sets
 * none (or a value above 1000000, which is ignored). */
CTM_EXTERN(int) ctm_rubric_min_n(const ctm_rubric *rubric);

/** L, the number of levels: 2..9, or 0 for an inventory of rated statements
 * (no dimensions and no question with a level). */
CTM_EXTERN(size_t) ctm_rubric_level_count(const ctm_rubric *rubric);
/** The level at index i (value i + 1); borrowed. NULL when i >= L. */
CTM_EXTERN(const ctm_level *) ctm_rubric_level(const ctm_rubric *rubric, size_t i);
/** The level's value, 1..L. */
CTM_EXTERN(int) ctm_level_value(const ctm_level *level);
/** The level's id and name; borrowed, never NULL. */
CTM_EXTERN(const char *) ctm_level_id(const ctm_level *level);
CTM_EXTERN(const char *) ctm_level_name(const ctm_level *level);
/** Summary, or NULL. */
CTM_EXTERN(const char *) ctm_level_summary(const ctm_level *level);
/** Definition, or NULL. */
CTM_EXTERN(const char *) ctm_level_definition(const ctm_level *level);

/** Answer scales, in document order. ctm_rubric_scale is borrowed; NULL when
 * i is out of range. */
CTM_EXTERN(size_t) ctm_rubric_scale_count(const ctm_rubric *rubric);
CTM_EXTERN(const ctm_scale *) ctm_rubric_scale(const ctm_rubric *rubric, size_t i);
/** The scale's id; borrowed. */
CTM_EXTERN(const char *) ctm_scale_id(const ctm_scale *scale);
/** A scale's options, in document order; borrowed; NULL when i is out of
 * range. */
CTM_EXTERN(size_t) ctm_scale_option_count(const ctm_scale *scale);
CTM_EXTERN(const ctm_option *) ctm_scale_option(const ctm_scale *scale, size_t i);
/** The option's code (the answer a survey file may hold) and its label
 * (the text shown, also accepted as an answer); borrowed. */
CTM_EXTERN(const char *) ctm_option_code(const ctm_option *option);
CTM_EXTERN(const char *) ctm_option_label(const ctm_option *option);
/** Nonzero when choosing this option means "no answer". */
CTM_EXTERN(int) ctm_option_is_missing(const ctm_option *option);
/** The option's score in [0,1] (what a diagnostic question's attainment
 * counts); NaN for a missing option or one without a score. */
CTM_EXTERN(double) ctm_option_score(const ctm_option *option);
/** The option's rated value (its value attribute, else its code when that
 * is a number; what factor means count); NaN for a missing option or one
 * without a value. */
CTM_EXTERN(double) ctm_option_value(const ctm_option *option);

/** Placement dimensions, in rubric order (the order of every per-dimension
 * index in the API). ctm_rubric_dimension is borrowed; NULL when i is out of
 * range. */
CTM_EXTERN(size_t) ctm_rubric_dimension_count(const ctm_rubric *rubric);
CTM_EXTERN(const ctm_dimension *) ctm_rubric_dimension(const ctm_rubric *rubric, size_t i);
/** The dimension's id (its column in a survey file), name and prompt;
 * borrowed. */
CTM_EXTERN(const char *) ctm_dimension_id(const ctm_dimension *dim);
CTM_EXTERN(const char *) ctm_dimension_name(const ctm_dimension *dim);
CTM_EXTERN(const char *) ctm_dimension_prompt(const ctm_dimension *dim);
/** The descriptor for a level value (1..L); borrowed. NULL when that level
 * has no descriptor, or level is not a level value. */
CTM_EXTERN(const char *) ctm_dimension_descriptor(const ctm_dimension *dim, int level);

/** Diagnostic questions, in rubric order. ctm_rubric_question is borrowed;
 * NULL when i is out of range. */
CTM_EXTERN(size_t) ctm_rubric_question_count(const ctm_rubric *rubric);
CTM_EXTERN(const ctm_question *) ctm_rubric_question(const ctm_rubric *rubric, size_t i);
/** The question's id (its column in a survey file) and text; borrowed. */
CTM_EXTERN(const char *) ctm_question_id(const ctm_question *q);
CTM_EXTERN(const char *) ctm_question_text(const ctm_question *q);
/** The level value (1..L) the question is tied to, or 0 for a statement
 * (a question without a level: rated for factors, in no level's A_l). */
CTM_EXTERN(int) ctm_question_level(const ctm_question *q);
/** How many questions have a level. With none the rubric has no stage (no
 * levels attained, no S or M). */
CTM_EXTERN(size_t) ctm_rubric_levelled_question_count(const ctm_rubric *rubric);
/** The scale its answers are on; borrowed from the rubric. */
CTM_EXTERN(const ctm_scale *) ctm_question_scale(const ctm_question *q);

/** Factors: groups of rated statements, in rubric order (the order of every
 * per-factor index in the API). ctm_rubric_factor is borrowed; NULL when i
 * is out of range. */
CTM_EXTERN(size_t) ctm_rubric_factor_count(const ctm_rubric *rubric);
CTM_EXTERN(const ctm_factor *) ctm_rubric_factor(const ctm_rubric *rubric, size_t i);
/** The factor's id and name; borrowed, never NULL. Description: NULL when
 * the rubric gives none. */
CTM_EXTERN(const char *) ctm_factor_id(const ctm_factor *f);
CTM_EXTERN(const char *) ctm_factor_name(const ctm_factor *f);
CTM_EXTERN(const char *) ctm_factor_description(const ctm_factor *f);
/** The factor's items: the k-th question (borrowed; NULL when k is out of
 * range) and whether it is reverse-scored (its value read as lowest +
 * highest value of its scale - value). */
CTM_EXTERN(size_t) ctm_factor_item_count(const ctm_factor *f);
CTM_EXTERN(const ctm_question *) ctm_factor_item(const ctm_factor *f, size_t k);
CTM_EXTERN(int) ctm_factor_item_reversed(const ctm_factor *f, size_t k);
/** The range of the values of the factor's items' scales: the bounds of a
 * factor mean and of its confidence interval. */
CTM_EXTERN(double) ctm_factor_lowest(const ctm_factor *f);
CTM_EXTERN(double) ctm_factor_highest(const ctm_factor *f);

/** Bands read a factor mean: the band with the largest min at or below the
 * mean. In rubric order; ctm_rubric_band is borrowed, NULL when i is out of
 * range. */
CTM_EXTERN(size_t) ctm_rubric_band_count(const ctm_rubric *rubric);
CTM_EXTERN(const ctm_band *) ctm_rubric_band(const ctm_rubric *rubric, size_t i);
/** The band's id and name (borrowed) and its lower bound. */
CTM_EXTERN(const char *) ctm_band_id(const ctm_band *band);
CTM_EXTERN(const char *) ctm_band_name(const ctm_band *band);
CTM_EXTERN(double) ctm_band_min(const ctm_band *band);

/** Open-text prompts (<comment>): a column of free text whose answers the
 * report gives verbatim and unattributed, under the prompt. In rubric order;
 * ctm_rubric_comment is borrowed, NULL when i is out of range. */
CTM_EXTERN(size_t) ctm_rubric_comment_count(const ctm_rubric *rubric);
CTM_EXTERN(const ctm_comment *) ctm_rubric_comment(const ctm_rubric *rubric, size_t i);
/** The prompt's id (its column), its text, and the index of the dimension it
 * is about (rubric order), or (size_t)-1 when about none. */
CTM_EXTERN(const char *) ctm_comment_id(const ctm_comment *comment);
CTM_EXTERN(const char *) ctm_comment_prompt(const ctm_comment *comment);
CTM_EXTERN(size_t) ctm_comment_dimension(const ctm_comment *comment);

#ifdef __cplusplus
}
#endif

#endif
