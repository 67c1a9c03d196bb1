/*
 * continuum — the blank survey for a rubric (`continuum template`).
 *
 * Two outputs: the CSV header a survey export needs (the reserved columns,
 * then every dimension id and every question id, in rubric order), and a
 * printable PDF questionnaire (an introduction, fields for region, wave,
 * organization, role and an office-use respondent id, each dimension's
 * prompt with a tick box per level beside its descriptor, or the level's
 * name where the dimension has none, each question with its scale's options
 * as tick boxes). Answers collected with either need no column map: the ids
 * are the headers, and a form that copies the questionnaire's wording is
 * matched by its prompts, question texts and descriptors (see
 * continuum/responses.h).
 *
 * Same rubric, same bytes: nothing depends on the clock unless
 * SOURCE_DATE_EPOCH sets the PDF's date.
 */
#ifndef CONTINUUM_TEMPLATE_H
#define CONTINUUM_TEMPLATE_H

#include <stdio.h>

#include "continuum/common.h"
#include "continuum/error.h"
#include "continuum/rubric.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Writes the header line to out: region,wave,partner,respondent,role, every
 * dimension id, every question id, then a line break (LF), and flushes out
 * (borrowed, not closed). Returns 0, or CTM_EWRITE when out reports an error
 * (reason in ctx, which may be NULL), CTM_EUSAGE when rubric or out is NULL
 * (not said in ctx).
 */
CTM_EXTERN(int) ctm_template_write_csv(const ctm_rubric *rubric, FILE *out, ctm_ctx *ctx);

/**
 * Draws the questionnaire and saves it to path atomically (a temporary file
 * renamed into place: a failure leaves nothing behind and an existing file
 * untouched), in the default font (DejaVu Sans). Returns 0, CTM_EWRITE,
 * CTM_EIO or CTM_EINVALID (the font), CTM_ENOMEM or CTM_EINTERNAL (libharu,
 * or continuum's bug: a text it composed is not UTF-8, said as an internal
 * error), CTM_EUSAGE when rubric or path is NULL (or path is empty; not said
 * in ctx). The reason is in ctx, which may be NULL.
 */
CTM_EXTERN(int) ctm_template_save_pdf(const ctm_rubric *rubric, const char *path, ctm_ctx *ctx);

/**
 * Writes PREFIX.csv and PREFIX.pdf (prefix with those suffixes appended),
 * both or neither: the PDF is drawn and both files written to temporaries
 * first, then the two are renamed into place as a set (continuum/io.h): if
 * a rename fails, or a signal handler calls ctm_cleanup_temporaries
 * meanwhile, the file already renamed is taken back and the previous
 * versions, if any, put back. Returns as ctm_template_save_pdf; CTM_EUSAGE
 * when rubric or prefix is NULL (not said in ctx). An empty prefix is not
 * refused: it names ".csv" and ".pdf".
 */
CTM_EXTERN(int) ctm_template_save(const ctm_rubric *rubric, const char *prefix, ctm_ctx *ctx);

/** Questionnaire options. Start from CTM_TEMPLATE_OPTIONS_INIT. */
typedef struct ctm_template_options {
	unsigned int version; /**< CTM_TEMPLATE_OPTIONS_VERSION */
	int show_partners;    /**< nonzero: the reports will show every partner one
				    by one (--show-partners), and the promise to
				    respondents says so; 0: it promises what the
				    default reports do (a partner shown alone only
				    with min-n respondents) */
} ctm_template_options;

#define CTM_TEMPLATE_OPTIONS_VERSION 1
#define CTM_TEMPLATE_OPTIONS_INIT \
	{ \
		CTM_TEMPLATE_OPTIONS_VERSION, 0 \
	}

/**
 * As ctm_template_save, with options (NULL: the defaults; a version from 1
 * to CTM_TEMPLATE_OPTIONS_VERSION is read, any other is CTM_EUSAGE).
 */
CTM_EXTERN(int) ctm_template_save_with(const ctm_rubric *rubric, const char *prefix,
				       const ctm_template_options *opts, ctm_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
