/*
 * continuum — responses: reading survey exports into a data set.
 *
 * A data set streams CSV files (RFC 4180, CRLF or LF, optional UTF-8 BOM) and
 * keeps, for every group (region, wave), every unit's running sums per item:
 * memory grows with groups x units x items, not with rows. Several files may
 * be read into one data set.
 *
 * Strict by default: every invalid cell, unknown value, duplicate respondent,
 * short or long row, bad UTF-8 and unterminated quote is reported into the
 * ctm_ctx as "file:line:column: error: ..." and the read returns CTM_EINVALID
 * after the whole file has been checked. With lenient set, invalid cells count
 * as missing answers, broken rows are left out, and each exclusion is counted
 * with its reason (ctm_dataset_exclusion).
 */
#ifndef CONTINUUM_RESPONSES_H
#define CONTINUUM_RESPONSES_H

#include "continuum/common.h"
#include "continuum/error.h"
#include "continuum/rubric.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ctm_dataset ctm_dataset;

/** Aggregation chosen at read time: the rubric's, or one forced. */
typedef enum ctm_aggregate_choice {
	CTM_AGGREGATE_FROM_RUBRIC = -1,
	CTM_AGGREGATE_BY_PARTNER = CTM_AGGREGATE_PARTNER,
	CTM_AGGREGATE_BY_RESPONDENT = CTM_AGGREGATE_RESPONDENT
} ctm_aggregate_choice;

/**
 * Called now and then while a file is read: bytes of it read so far and its
 * size (0 when not known, e.g. a pipe). For progress bars; it must not call
 * back into the data set.
 */
typedef void (*ctm_progress_fn)(void *user, unsigned long long done, unsigned long long total);

typedef struct ctm_read_options {
	unsigned int version;        /**< CTM_READ_OPTIONS_VERSION */
	int lenient;                 /**< nonzero: invalid cells become missing */
	ctm_aggregate_choice aggregate;
	const char *map_path;        /**< --map: CSV "header,id" renaming columns, or NULL */
} ctm_read_options;

#define CTM_READ_OPTIONS_VERSION 1
#define CTM_READ_OPTIONS_INIT { CTM_READ_OPTIONS_VERSION, 0, CTM_AGGREGATE_FROM_RUBRIC, NULL }

/**
 * A new, empty data set for a rubric. The rubric must outlive the data set.
 * opts may be NULL for the defaults. Reads the map file, if any (its problems
 * go to ctx). Returns 0, CTM_EINVALID, CTM_EIO, CTM_EUSAGE or CTM_ENOMEM;
 * on failure *out is NULL.
 */
CTM_EXTERN(int) ctm_dataset_new(ctm_dataset **out, const ctm_rubric *rubric,
				const ctm_read_options *opts, ctm_ctx *ctx);

/** Sets (or with NULL, removes) the function told how far the reading of a
 * file has come; user is passed to it. */
CTM_EXTERN(void) ctm_dataset_set_progress(ctm_dataset *ds, ctm_progress_fn fn, void *user);

/** Frees a data set. Accepts NULL. */
CTM_EXTERN(void) ctm_dataset_free(ctm_dataset *ds);

/**
 * Reads one CSV file ("-" for standard input) into the data set.
 * Returns 0; CTM_EINVALID when any error was reported (strict mode: the data
 * set should then not be scored); CTM_EIO when the file cannot be read;
 * CTM_ENOMEM.
 */
CTM_EXTERN(int) ctm_dataset_read_file(ctm_dataset *ds, const char *path, ctm_ctx *ctx);

/** As ctm_dataset_read_file, from a buffer; name is used in diagnostics. */
CTM_EXTERN(int) ctm_dataset_read_memory(ctm_dataset *ds, const char *name, const char *buf,
					size_t len, ctm_ctx *ctx);

/** The rubric the data set was made for. */
CTM_EXTERN(const ctm_rubric *) ctm_dataset_rubric(const ctm_dataset *ds);

/** The aggregation in force (the rubric's unless forced). */
CTM_EXTERN(ctm_aggregate) ctm_dataset_aggregate(const ctm_dataset *ds);

/** Data rows accepted (respondents) over every file read. */
CTM_EXTERN(size_t) ctm_dataset_row_count(const ctm_dataset *ds);

/** Groups (region, wave) seen so far. */
CTM_EXTERN(size_t) ctm_dataset_group_count(const ctm_dataset *ds);

/** One reason for leaving data out, with how often it happened and where first. */
typedef struct ctm_exclusion {
	const char *reason;        /**< e.g. "unknown level in a placement cell" */
	size_t count;              /**< cells or rows left out for this reason */
	int whole_rows;            /**< nonzero: count is rows, else cells */
	const char *first_file;    /**< where it first happened */
	unsigned long first_line;
	unsigned long first_column;
} ctm_exclusion;

/** Number of distinct exclusion reasons, in order of first occurrence. */
CTM_EXTERN(size_t) ctm_dataset_exclusion_count(const ctm_dataset *ds);
/** The i-th exclusion; borrowed, valid while the data set lives. */
CTM_EXTERN(const ctm_exclusion *) ctm_dataset_exclusion(const ctm_dataset *ds, size_t i);

#ifdef __cplusplus
}
#endif

#endif
