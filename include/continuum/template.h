/*
 * continuum — the blank survey for a rubric (`continuum template`).
 *
 * Two outputs: the CSV header a survey export needs (the reserved columns,
 * then every dimension id and every question id, in rubric order), and a
 * printable PDF questionnaire (an introduction, fields for region, wave,
 * organization and role, each dimension's prompt with every level's
 * descriptor as a tick box, each question with its scale's options as tick
 * boxes). Answers collected with either need no column mapping: the ids are
 * the headers, and a form that copies the questionnaire's wording is matched
 * by its prompts, question texts and descriptors (see continuum/responses.h).
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
 * (reason in ctx, which may be NULL), CTM_EUSAGE when rubric or out is NULL.
 */
CTM_EXTERN(int) ctm_template_write_csv(const ctm_rubric *rubric, FILE *out, ctm_ctx *ctx);

/**
 * Draws the questionnaire and saves it to path atomically (a temporary file
 * renamed into place: a failure leaves nothing behind and an existing file
 * untouched), in the default font (DejaVu Sans). Returns 0, CTM_EWRITE,
 * CTM_EIO or CTM_EINVALID (the font), CTM_ENOMEM or CTM_EINTERNAL (libharu),
 * CTM_EUSAGE when rubric or path is NULL (or path is empty). The reason is in
 * ctx, which may be NULL.
 */
CTM_EXTERN(int) ctm_template_save_pdf(const ctm_rubric *rubric, const char *path, ctm_ctx *ctx);

/**
 * Writes PREFIX.csv and PREFIX.pdf, both or neither: the PDF is drawn and the
 * CSV written to a temporary first, then both are renamed into place; when
 * the second rename fails the first file is removed again (the previous
 * PREFIX.pdf, if any, is then gone too). Returns as ctm_template_save_pdf;
 * CTM_EUSAGE when rubric or prefix is NULL.
 */
CTM_EXTERN(int) ctm_template_save(const ctm_rubric *rubric, const char *prefix, ctm_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
