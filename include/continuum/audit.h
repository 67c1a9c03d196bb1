/**
 * @file audit.h
 * What in the responses read may move a result without anyone noticing: the
 * data-quality table per group and the findings of `continuum audit`.
 */
#ifndef CONTINUUM_AUDIT_H
#define CONTINUUM_AUDIT_H

#include <stddef.h>
#include <stdio.h>

#include "continuum/error.h"
#include "continuum/common.h"
#include "continuum/responses.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a finding is about. */
typedef enum ctm_finding_kind {
	/** two partners of a group whose names are near each other: one partner
	 * typed two ways counts twice (a, b the names) */
	CTM_FINDING_NEAR_PARTNERS = 1,
	/** two regions whose names are near each other (a, b) */
	CTM_FINDING_NEAR_REGIONS,
	/** a partner (a) answering in only one wave (wave) of a region with more */
	CTM_FINDING_ONE_WAVE,
	/** two waves that look like one date written two ways (a, b) */
	CTM_FINDING_WAVE_SPELLINGS,
	/** a row that looks like a test: its partner or respondent named so, or
	 * every answer the top (or bottom) one (a the partner, file and line) */
	CTM_FINDING_TEST_ROW,
	/** an input given twice, read once (a the input, b the one read before) */
	CTM_FINDING_REPEATED_INPUT
} ctm_finding_kind;

/** One finding; strings are owned by the audit. */
typedef struct ctm_finding {
	ctm_finding_kind kind;
	const char *region; /**< the group's region, or NULL (not one group's) */
	const char *wave;   /**< the group's wave (or, ONE_WAVE, the only wave), or NULL */
	const char *a, *b;  /**< the names concerned (b may be NULL) */
	const char *file;   /**< where (TEST_ROW), or NULL */
	unsigned long line;
	/** nonzero when the finding can change a number of the results (near
	 * partners, test rows, repeated inputs): score, report and compare warn */
	int changes_numbers;
	const char *message; /**< one line, UTF-8, e.g. "partners 'Dept. of Health' and
				  'Department of Health' may be one (abbreviation)" */
} ctm_finding;

/** One group's data-quality figures. */
typedef struct ctm_group_quality {
	const char *region, *wave;
	size_t rows;                 /**< rows read into it */
	size_t partners;             /**< distinct partners */
	size_t partner_rows_min;     /**< respondents (rows) per partner: fewest */
	double partner_rows_median;  /**< median */
	size_t partner_rows_max;     /**< most */
	const size_t *answers;       /**< answers per item (dimensions, then questions) */
	size_t item_count;
} ctm_group_quality;

typedef struct ctm_audit ctm_audit;

/**
 * Audits the responses read into ds. Returns 0 with *out set (free with
 * ctm_audit_free), CTM_ENOMEM or CTM_EUSAGE. Cost: linear in the rows read
 * (done while reading) and in names; names of one group are compared in
 * pairs up to 2,000 partners, beyond that only by their punctuation-free key.
 */
CTM_EXTERN(int) ctm_audit_run(ctm_audit **out, const ctm_dataset *ds, ctm_ctx *ctx);
CTM_EXTERN(void) ctm_audit_free(ctm_audit *audit);

/** Findings, in order: repeated inputs, then per group (in the results'
 * order), then across groups. */
CTM_EXTERN(size_t) ctm_audit_finding_count(const ctm_audit *audit);
CTM_EXTERN(const ctm_finding *) ctm_audit_finding(const ctm_audit *audit, size_t i);
/** Rows that looked like tests beyond those named one by one (the first
 * 1,000 are findings). */
CTM_EXTERN(size_t) ctm_audit_more_test_rows(const ctm_audit *audit);

/** Groups in natural order of region, then wave. */
CTM_EXTERN(size_t) ctm_audit_group_count(const ctm_audit *audit);
CTM_EXTERN(const ctm_group_quality *) ctm_audit_group(const ctm_audit *audit, size_t i);

/**
 * Writes the audit of ds: for people (json 0: a table per group, what was
 * left out, the findings, names with control characters escaped) or as JSON
 * (json nonzero). 0, CTM_EUSAGE or CTM_EIO (a write failed).
 */
CTM_EXTERN(int) ctm_audit_write(const ctm_audit *audit, const ctm_dataset *ds, int json,
				FILE *out);

#ifdef __cplusplus
}
#endif

#endif
