/*
 * continuum — responses: reading survey exports into a data set.
 *
 * A data set streams CSV files (RFC 4180; records end with LF, CRLF or a lone
 * CR; optional UTF-8 BOM) and keeps, for every group (region, wave), every
 * unit's running sums per item: memory grows with groups x units x items, not
 * with rows (the respondent ids a group keeps to find duplicates cost little
 * when they are numbered in runs). Several files may be read into one data
 * set.
 *
 * Columns are matched by their header (after the renaming of the column map,
 * if any): region, wave and partner (required), respondent and role
 * (optional), ignoring case; an item's id, exactly, then ignoring case; or a
 * dimension's prompt or a question's text, ignoring case and runs of white
 * space. A Qualtrics export's extra header rows are recognised: a column
 * whose first-row header names nothing is matched by its question text, and
 * the ImportId row is skipped. Any other column is not used (a warning).
 * A placement cell is a level value 1..L, a level's id or name, or the text
 * of one of the dimension's descriptors; a question cell is an option's code
 * or label; all ignoring case. Empty cells, NA and N/A are missing answers
 * (the rules in full: docs/scoring.md, "Groups, units and answers").
 *
 * Strict by default: every invalid cell, unknown value, duplicate respondent,
 * row without region, wave or partner, short or long row, bad UTF-8 and
 * unterminated quote is reported into the ctm_ctx as
 * "file:line:column: error: ..." and the read returns CTM_EINVALID after the
 * whole file has been checked. With lenient set, invalid cells count as
 * missing answers, broken rows are left out, and each exclusion is counted
 * with its reason (ctm_dataset_exclusion); problems of the header stay errors.
 *
 * A data set is changed by every read: use it from one thread at a time, and
 * do not read into it while results scored from it are in use (they point
 * into its groups).
 *
 * ctx may be NULL in every function here: a read decides that input was
 * invalid by the errors it reported, and without a context from the caller
 * it counts them in a private one, so invalid input is CTM_EINVALID all the
 * same; only the messages are lost.
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
 * A respondent id seen a second time in one group (a resubmission): an
 * error (strict) or, with lenient, the later row left out; the first row
 * kept and every later one left out; or the last one kept (by the
 * platform's end or submit time column when the export has one, else the
 * later in the file), each row replaced counted as an exclusion.
 */
typedef enum ctm_duplicates {
	CTM_DUPLICATES_ERROR = 0,
	CTM_DUPLICATES_FIRST,
	CTM_DUPLICATES_LAST
} ctm_duplicates;

/**
 * Called now and then while a file is read: bytes of it read so far and its
 * size (0 when not known, e.g. a pipe). For progress bars; it must not call
 * back into the data set.
 */
typedef void (*ctm_progress_fn)(void *user, unsigned long long done, unsigned long long total);

typedef struct ctm_read_options {
	unsigned int version;           /**< CTM_READ_OPTIONS_VERSION */
	int lenient;                    /**< nonzero: invalid cells count as missing
				          and broken rows are left out, each one
				          counted as an exclusion (the CLI's
				          --lenient); 0: strict */
	ctm_aggregate_choice aggregate; /**< the unit of analysis: one of the three
				          values above (another value is not
				          checked) */
	const char *map_path;           /**< the column map file, or NULL: CSV with
				          the header "header,id", each row naming a
				          survey column's header (ignoring case) and
				          the reserved column or item id it stands
				          for (the CLI's --map). Read by
				          ctm_dataset_new, not kept */

	/* ---- version 2 ---- */

	const char *recode_path;        /**< a recode file, or NULL: CSV with the
				          header "item,from,to"; item is a rubric
				          item id or "*" (every item), from an answer
				          as the export writes it, to what it stands
				          for (a level value, level id or name, an
				          option's code or label; empty: a missing
				          answer). The CLI's --recode. Read by
				          ctm_dataset_new, not kept */
	const char *redcap_dictionary_path; /**< a REDCap data dictionary (CSV), or
				          NULL: the choices of its fields ("0, Never |
				          1, Sometimes") turn the codes of a raw
				          export into their labels, which are then
				          matched as usual (--redcap-dictionary) */
	const char *set_region;         /**< a constant region for every row of a
				          file without a region column, or NULL
				          (--set region=...); a file with the column
				          too is an error */
	const char *set_wave;           /**< likewise the wave (--set wave=...) */
	const char *set_partner;        /**< likewise the partner (--set partner=...) */
	const char *set_role;           /**< likewise the role (--set role=...) */
	int keep_incomplete;            /**< nonzero: incomplete, test and preview
				          responses (as each platform marks them)
				          are read like any other; 0: they are left
				          out, each counted as an exclusion with its
				          reason (--keep-incomplete) */
	ctm_duplicates duplicates;      /**< what a respondent id seen twice in a
				          group means (--duplicates) */
	char delimiter;                 /**< the field delimiter: ',', ';' or '\t',
				          or 0 to find it from the header (the one of
				          the three most often outside quotes;
				          --delimiter) */
	const char *encoding;           /**< NULL or "utf-8": UTF-8, or UTF-16 when
				          the file starts with its byte order mark;
				          "windows-1252": the Windows encoding
				          (--encoding) */
	/* ---- version 3 ---- */
	const char *sheet;              /**< the worksheet an Excel workbook (.xlsx,
				          recognised by its content) is read from,
				          by name (exactly, else ignoring case); NULL:
				          the first (--sheet). CSV files ignore it */
	const char *aliases_path;       /**< NULL, or a CSV file "column,from,to":
				          a region, wave, partner or role value read
				          as another (--aliases) */
	const char *exclude_path;       /**< NULL, or a CSV file "column,value":
				          rows with that region, wave, partner,
				          respondent or role left out, counted as
				          "excluded by FILE:LINE" (--exclude) */
} ctm_read_options;

#define CTM_READ_OPTIONS_VERSION 3
#define CTM_READ_OPTIONS_INIT \
	{ \
		CTM_READ_OPTIONS_VERSION, 0, CTM_AGGREGATE_FROM_RUBRIC, NULL, NULL, NULL, NULL, \
			NULL, NULL, NULL, 0, CTM_DUPLICATES_ERROR, 0, NULL, NULL, NULL, NULL \
	}

/**
 * Sets *opts to the defaults of CTM_READ_OPTIONS_INIT for the given version (pass
 * CTM_READ_OPTIONS_VERSION), for callers that cannot use the macro (other
 * languages' bindings). Returns 0, or CTM_EUSAGE when opts is NULL or the
 * version is not one this library knows (1 to CTM_READ_OPTIONS_VERSION).
 *
 * Every function taking a ctm_read_options follows one rule: NULL means the
 * defaults; a version from 1 to CTM_READ_OPTIONS_VERSION is read; any other
 * version (0: a struct never initialised) is CTM_EUSAGE.
 */
CTM_EXTERN(int) ctm_read_options_init(ctm_read_options *opts, unsigned int version);

/**
 * A new, empty data set for a rubric. The rubric is borrowed and must
 * outlive the data set. opts may be NULL for the defaults; it is not kept.
 * Reads the map file, if any (its problems go to ctx, which may be NULL).
 *
 * On success *out owns the data set: free it with ctm_dataset_free. Returns
 * 0; CTM_EUSAGE when out or rubric is NULL (not said in ctx), or when
 * opts->version is not from 1 to CTM_READ_OPTIONS_VERSION (said in ctx);
 * CTM_EIO when the map file cannot be opened or read; CTM_EINVALID when it
 * is invalid (empty, a header other than "header,id", a row of the wrong
 * width or malformed, an id that is not a column of the rubric); CTM_ENOMEM.
 * On failure *out is NULL, except on CTM_EUSAGE for a NULL out or rubric.
 */
CTM_EXTERN(int) ctm_dataset_new(ctm_dataset **out, const ctm_rubric *rubric,
				const ctm_read_options *opts, ctm_ctx *ctx);

/** Sets (or with NULL, removes) the function told how far the reading of a
 * file has come; user is passed to it, and both are kept until replaced.
 * Called from the thread that reads. ds must not be NULL. */
CTM_EXTERN(void) ctm_dataset_set_progress(ctm_dataset *ds, ctm_progress_fn fn, void *user);

/**
 * How many threads reading a file may use: 1 (the default) reads in order on
 * the caller's thread; 2 reads a large input (a regular file or a buffer of
 * 8 MiB or more; never standard input or a pipe) in two halves at once, the
 * later half on a thread of its own that ends before the read call returns;
 * 0 means 2 when the machine has two CPUs or more. A value above 2 counts as
 * 2. The results, diagnostics included, are the same either way. A NULL ds
 * is a no-op.
 */
CTM_EXTERN(void) ctm_dataset_set_threads(ctm_dataset *ds, unsigned threads);

/** Frees a data set and its exclusions. Results scored from it must be freed
 * first. Accepts NULL. */
CTM_EXTERN(void) ctm_dataset_free(ctm_dataset *ds);

/**
 * Reads one CSV file ("-" for standard input, named "<stdin>" in
 * diagnostics) into the data set, all of it, so that every problem of the file
 * is reported (up to the context's cap). Rows add to those of earlier files.
 *
 * Returns 0 (lenient: also when cells or rows were left out, as long as one
 * row of the file was read); CTM_EINVALID when any error was reported (an
 * empty file, a malformed header, a duplicate or missing required column, a
 * header without data rows, every data row of the file left out, and in
 * strict mode any invalid cell or row): the valid rows have still been
 * added, so the data set should then not be scored; CTM_EIO when the file
 * cannot be opened (a directory included) or read; CTM_ENOMEM (the data set
 * may hold part of the file); CTM_EUSAGE when ds or path is NULL (not said
 * in ctx). ctx may be NULL (see above).
 */
CTM_EXTERN(int) ctm_dataset_read_file(ctm_dataset *ds, const char *path, ctm_ctx *ctx);

/** As ctm_dataset_read_file, from a buffer of len bytes (not kept). name is
 * used in diagnostics (NULL: "<memory>"). CTM_EUSAGE when ds is NULL, or buf
 * is NULL with len > 0 (not said in ctx); buf NULL with len 0 is an empty
 * file (CTM_EINVALID). */
CTM_EXTERN(int) ctm_dataset_read_memory(ctm_dataset *ds, const char *name, const char *buf,
					size_t len, ctm_ctx *ctx);

/** The rubric the data set was made for; borrowed. */
CTM_EXTERN(const ctm_rubric *) ctm_dataset_rubric(const ctm_dataset *ds);

/** The aggregation in force (the rubric's unless forced). */
CTM_EXTERN(ctm_aggregate) ctm_dataset_aggregate(const ctm_dataset *ds);

/** Data rows accepted (respondents) over every file read. */
CTM_EXTERN(size_t) ctm_dataset_row_count(const ctm_dataset *ds);

/**
 * Ends reading: warns (into ctx) of every --aliases and --exclude line that
 * matched no row of the files read. Call once, after the last file.
 */
CTM_EXTERN(void) ctm_dataset_finish(const ctm_dataset *ds, ctm_ctx *ctx);

/** Nonzero when the data set reads leniently (ctm_read_options.lenient). */
CTM_EXTERN(int) ctm_dataset_lenient(const ctm_dataset *ds);

/** Groups (region, wave) seen so far. */
CTM_EXTERN(size_t) ctm_dataset_group_count(const ctm_dataset *ds);

/** One reason for leaving data out, with how often it happened and where first. */
typedef struct ctm_exclusion {
	const char *reason;     /**< e.g. "unknown level in a placement cell" */
	size_t count;           /**< cells or rows left out for this reason */
	int whole_rows;         /**< nonzero: count is rows, else cells */
	const char *first_file; /**< where it first happened */
	unsigned long first_line;
	unsigned long first_column;
	int cell; /**< nonzero: first_line and first_column are a spreadsheet
		   * cell's row and column (1 is A), first_file "book.xlsx:Sheet1" */
} ctm_exclusion;

/** Number of distinct exclusion reasons, in order of first occurrence. */
CTM_EXTERN(size_t) ctm_dataset_exclusion_count(const ctm_dataset *ds);
/** The i-th exclusion; borrowed, valid until the data set is freed or read
 * into again. NULL when i is out of range. Blank lines are counted here in
 * either mode; invalid cells and rows only by lenient reads (strict reads
 * report them as errors). */
CTM_EXTERN(const ctm_exclusion *) ctm_dataset_exclusion(const ctm_dataset *ds, size_t i);

/** Where exclusion e was first seen, after its file name: ":LINE:COLUMN", or
 * for a workbook's cell "!C12", into buf (at least 48 bytes; always
 * NUL-terminated when size > 0). Returns buf. */
CTM_EXTERN(char *) ctm_exclusion_position(const ctm_exclusion *e, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
