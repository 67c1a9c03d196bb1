/*
 * continuum — the PDF readiness report of one group (region, wave).
 *
 * A report has up to eight parts, each a top-level bookmark: cover,
 * summary, dimensions, gap analysis, diagnostic questions, factors, partners
 * (respondents when they are the units), method and data quality. A part the
 * rubric gives nothing to is left out: no dimension, gap or partner pages
 * without dimensions, no diagnostic questions or stage without levelled
 * questions, no factors without factors. The numbers are those of
 * docs/scoring.md. Text is UTF-8 in an embedded TrueType font, charts are
 * vector drawings, pages are numbered and the document's title, subject and
 * keywords name the rubric, the region and the wave.
 *
 * Reports are reproducible: the same results give the same bytes. The PDF
 * holds no date unless the environment variable SOURCE_DATE_EPOCH gives one.
 * Reports of different groups may be written from several threads at once,
 * one ctm_ctx per thread (the results are only read).
 */
#ifndef CONTINUUM_REPORT_H
#define CONTINUUM_REPORT_H

#include "continuum/common.h"
#include "continuum/error.h"
#include "continuum/score.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Paper sizes; pages are always portrait. */
typedef enum ctm_paper {
	CTM_PAPER_A4 = 0,    /**< 210 x 297 mm, the default */
	CTM_PAPER_LETTER = 1 /**< 8.5 x 11 in */
} ctm_paper;

/** Sections a report may leave out (ctm_report_options.omit, --omit). */
enum {
	CTM_REPORT_OMIT_PARTNERS = 1u << 0,  /**< the units' heat map and divergent units */
	CTM_REPORT_OMIT_ROLES = 1u << 1,     /**< the views by role */
	CTM_REPORT_OMIT_QUESTIONS = 1u << 2, /**< the diagnostic questions part */
	CTM_REPORT_OMIT_COMMENTS = 1u << 3,  /**< "What partners said" */
	CTM_REPORT_OMIT_METHOD = 1u << 4     /**< method and data quality */
};
/** Every CTM_REPORT_OMIT_* bit. */
#define CTM_REPORT_OMIT_ALL 0x1Fu

#define CTM_REPORT_OPTIONS_VERSION 3

/** Report options. Start from CTM_REPORT_OPTIONS_INIT. */
typedef struct ctm_report_options {
	unsigned int version;  /**< CTM_REPORT_OPTIONS_VERSION */
	ctm_paper paper;       /**< CTM_PAPER_A4 or CTM_PAPER_LETTER */
	const char *font;      /**< regular TrueType font file; NULL: DejaVu Sans
				      (a subset installed in share/continuum/fonts,
				      the system's full DejaVu Sans for characters
				      it lacks, or the full face alone when no
				      subset is found). Read during the call, not
				      kept */
	const char *font_bold; /**< bold TrueType font file; NULL: DejaVu Sans
				      Bold when font is NULL, else font itself */
	/* ---- version 2 ---- */
	const struct ctm_audit *audit; /**< the audit of the results' data set
				      (ctm_audit_run), whose findings about the
				      group the method page lists; NULL: the report
				      audits the data set itself (give it when
				      writing many reports: one audit for all) */
	/* ---- version 3: the partnership's report ---- */
	const char *organization; /**< the partnership's (or agency's) name: on the
				      cover, in the running header and as the
				      PDF's author; NULL or "": none */
	const char *title;        /**< the report's title instead of "Readiness
				      report" (cover, header, PDF title); NULL or
				      "": the default */
	const char *date;         /**< the report's date, "YYYY-MM-DD" (a day of
				      the Gregorian calendar), printed on the
				      cover; NULL: none (the PDF holds no date of
				      its own: SOURCE_DATE_EPOCH decides that) */
	const char *logo;         /**< a PNG or JPEG file, scaled to fit the
				      cover's corner; read during the call */
	const char *notes;        /**< a plain UTF-8 text file, paragraphs
				      separated by blank lines, printed as
				      "Facilitator's summary" after the cover;
				      read during the call */
	unsigned int omit;        /**< CTM_REPORT_OMIT_* bits: sections left out */
} ctm_report_options;

#define CTM_REPORT_OPTIONS_INIT \
	{ \
		CTM_REPORT_OPTIONS_VERSION, CTM_PAPER_A4, NULL, NULL, NULL, NULL, NULL, NULL, \
			NULL, NULL, 0 \
	}

/**
 * Sets *opts to the defaults of CTM_REPORT_OPTIONS_INIT for the given version (pass
 * CTM_REPORT_OPTIONS_VERSION), for callers that cannot use the macro (other
 * languages' bindings). Returns 0, or CTM_EUSAGE when opts is NULL or the
 * version is not one this library knows (1 to CTM_REPORT_OPTIONS_VERSION).
 *
 * Every function taking a ctm_report_options follows one rule: NULL means the
 * defaults; a version from 1 to CTM_REPORT_OPTIONS_VERSION is read; any other
 * version (0: a struct never initialised) is CTM_EUSAGE.
 */
CTM_EXTERN(int) ctm_report_options_init(ctm_report_options *opts, unsigned int version);

/**
 * Checks opts as ctm_report_write will, before any report is drawn, so that a
 * batch fails at once rather than on every group: the version, the paper,
 * the date (a real day written YYYY-MM-DD), the omit bits, the logo (a
 * readable PNG or JPEG of sane size) and the notes (readable, UTF-8, no
 * control characters, not empty). NULL is the defaults (0).
 *
 * Returns 0, CTM_EUSAGE (a bad version, paper, date or omit bit), CTM_EIO (a
 * logo or notes file that cannot be read), CTM_EINVALID (a logo that is not
 * such an image; notes that are not plain UTF-8 text, said as
 * FILE:LINE:COLUMN for each fault), CTM_ENOMEM. The reasons are in ctx.
 */
CTM_EXTERN(int) ctm_report_options_check(const ctm_report_options *opts, ctm_ctx *ctx);

/**
 * Writes the readiness report of one group of res to path, atomically: the
 * document is drawn in memory, written to a temporary file in path's
 * directory and renamed over path, so a failure leaves no file (and an
 * existing file at path untouched).
 *
 * group must be one of res's groups (ctm_results_group or
 * ctm_results_find_group); opts may be NULL for the defaults. Nothing is
 * kept: the caller owns every argument.
 *
 * Returns 0, or: CTM_EUSAGE (res, group or path NULL, path empty, a group of
 * other results, an options version not from 1 to
 * CTM_REPORT_OPTIONS_VERSION, an unknown paper), CTM_EIO / CTM_EINVALID (a
 * font file unreadable or not a usable TrueType font), CTM_EWRITE (path
 * cannot be written; nothing left behind), CTM_ENOMEM, CTM_EINTERNAL (the PDF
 * library failed, or continuum's bug: a text it composed is not UTF-8, said
 * as an internal error). The reason is in ctx, which may be NULL.
 */
CTM_EXTERN(int) ctm_report_write(const ctm_results *res, const ctm_group *group, const char *path,
				 const ctm_report_options *opts, ctm_ctx *ctx);

/**
 * The file name of a group's report in a directory of reports:
 * "REGION_WAVE.pdf", where in REGION and WAVE every character that is not a
 * letter, a digit, '-' or '.' becomes one '-'. Letters are ASCII letters and
 * the letters of the Latin (with diacritics and macrons, also as combining
 * marks), Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, Thai, Georgian,
 * Hangul, kana and CJK blocks; they are kept as written (UTF-8). Invalid
 * UTF-8, control characters, '/', '\\' and NUL never survive, a leading '.'
 * becomes '-', an empty part becomes "-", and each part is cut (at a
 * character boundary) to at most 100 bytes, so the name is a single, visible
 * path component of at most 205 bytes that cannot leave the directory.
 *
 * Writes the name, NUL-terminated, into buf when size > 0 (cut if too short)
 * and returns the length the whole name needs, as snprintf does;
 * CTM_REPORT_FILE_NAME_MAX bytes are always enough. region and wave may be
 * any bytes; NULL counts as empty.
 */
CTM_EXTERN(size_t) ctm_report_file_name(const char *region, const char *wave, char *buf,
					size_t size);

/** A buffer size that always holds ctm_report_file_name's result. */
#define CTM_REPORT_FILE_NAME_MAX 256

#ifdef __cplusplus
}
#endif

#endif
