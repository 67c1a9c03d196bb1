/* Private to reports/report*.c: the readiness report being drawn and the
 * helpers its parts share. Each part is one function drawing one top-level
 * section at the layout cursor; report.c calls them in their fixed order. */
#ifndef CTM_REPORTS_REPORT_INTERNAL_H
#define CTM_REPORTS_REPORT_INTERNAL_H

#include <stddef.h>

#include "continuum/report.h"
#include "continuum/rubric.h"
#include "continuum/score.h"
#include "draw.h"
#include "report_options.h"

typedef struct ctm_report_state {
	const ctm_results *res;
	const ctm_group *g;
	const ctm_group *prev; /* the region's previous wave, or NULL */
	const struct ctm_audit *audit; /* the caller's, or NULL (the report audits) */
	const ctm_rubric *rubric;
	ctm_draw_doc *doc;
	ctm_ctx *ctx;
	size_t levels, dims, questions;
	ctm_item_stats *qstats; /* [questions]: ctm_group_questions, for this report */
	size_t levelled;        /* questions with a level: the diagnostic questions */
	size_t statements;      /* questions without a level */
	size_t factors, bands;  /* ctm_rubric_factor_count, ctm_rubric_band_count */
	int has_stage;          /* ctm_group_has_stage: some question has a level */
	int reversed;           /* some factor has a reverse-scored item */
	size_t units;           /* ctm_group_units */
	int partner_units;      /* units are partners (not respondents) */
	const char *units_word; /* "partners" or "respondents" */
	const char *unit_word;  /* "partner" or "respondent" */
	double theta;
	int min_n;
	/* the partnership's options (ctm_report_options version 3) */
	ctm_report_identity id;
	const char *title; /* id.title, or "Readiness report" */
	ctm_draw_box box; /* the content area */
	ctm_strbuf sb;    /* scratch text, reset by whoever uses it */
} ctm_report_state;

/* Colours used across the parts, so that one thing looks the same on every
 * page. */
#define CTM_REPORT_AMBER_FILL CTM_DRAW_HEX(0xFFF1CC)
#define CTM_REPORT_AMBER_LINE CTM_DRAW_HEX(0xC98A00)
#define CTM_REPORT_AMBER_TEXT CTM_DRAW_HEX(0x7A4F00)
#define CTM_REPORT_NOTE_FILL CTM_DRAW_HEX(0xEEF3F8)
#define CTM_REPORT_NOTE_LINE CTM_DRAW_HEX(0x8AA4BF)
#define CTM_REPORT_TARGET CTM_DRAW_HEX(0xD55E00) /* Okabe–Ito vermillion */
#define CTM_REPORT_MUTED CTM_DRAW_RGB(0.35, 0.35, 0.35)
#define CTM_REPORT_PREVIOUS CTM_DRAW_RGB(0.2, 0.2, 0.2) /* the previous wave's mean */
#define CTM_REPORT_UNATTAINED CTM_DRAW_RGB(0.86, 0.86, 0.86)
#define CTM_REPORT_PI 3.14159265358979323846
/* The most lines of a name that labels a chart's bar, step or spoke; a longer
 * one ends in "…" there (tables and headings give it whole), so that a chart
 * keeps its size on the page. */
#define CTM_REPORT_LABEL_LINES 3
/* The most levels a rubric has, and the most bands (the schema's limits). */
#define CTM_REPORT_MAX_LEVELS 9

/* Name of level value l (1..L), or "" outside. */
const char *ctm_report__level_name(const ctm_report_state *rp, int l);
const char *ctm_report__dim_name(const ctm_report_state *rp, size_t d);

/* A paragraph in the default style. */
int ctm_report__para(ctm_report_state *rp, const char *text);
/* A paragraph in a smaller, muted style (explanations under charts). */
int ctm_report__caption(ctm_report_state *rp, const char *text);

/* Kinds of boxed note. */
enum { CTM_REPORT_BOX_WARNING = 0, CTM_REPORT_BOX_NOTE = 1 };
/* A framed, filled box across the content width (less indent) at the cursor,
 * holding wrapped text whose first line, if title is not NULL, is the bold
 * title; kept whole on one page (a box taller than a page flows as plain
 * paragraphs instead). The cursor ends below it. */
int ctm_report__box(ctm_report_state *rp, int kind, const char *title, const char *text);
/* The height ctm_report__box takes below the cursor, its space after
 * included, into *height. */
int ctm_report__box_height(ctm_report_state *rp, int kind, const char *title, const char *text,
			   double *height);

/* The font size, at most size and at least min, at which the longest word of
 * text fits width (bold faces are wider: callers pass a little less). */
double ctm_report__fit_size(ctm_report_state *rp, const char *text, double width, double size,
			    double min);

/* A half-up rounding of a unit value to a level 1..L (0 for NaN). */
int ctm_report__round_level(const ctm_report_state *rp, double v);

/* Column headers for dimensions in narrow tables: the names when every
 * column is at least min_width wide, else "D1".."Dn" with a key printed by
 * ctm_report__dim_key. */
int ctm_report__dims_use_codes(const ctm_report_state *rp, double column_width);
int ctm_report__dim_key(ctm_report_state *rp);
/* Colour of a unit value v on the level scale 1..L. */
ctm_draw_rgb ctm_report__value_color(const ctm_report_state *rp, double v);
/* Legend of the value colours: one swatch per level value. */
int ctm_report__value_legend(ctm_report_state *rp);

/* Factors and bands (report_factors.c). The bands' indexes (rubric order)
 * by ascending lower bound into order (rp->bands of them, at most
 * CTM_REPORT_MAX_LEVELS); the name of the band at 1-based position level (as
 * ctm_item_stats.level of a factor has it), or "" for none; the factor's
 * name. */
void ctm_report__bands_sorted(const ctm_report_state *rp, size_t *order);
const char *ctm_report__band_name(const ctm_report_state *rp, int level);
const char *ctm_report__factor_name(const ctm_report_state *rp, size_t f);
/* Statements (questions without a level) that no factor rates. */
size_t ctm_report__unfactored_statements(const ctm_report_state *rp);
/* A value of a rating scale or a band's bound with the decimals it needs
 * (at most 2): "3", "3.5", "3.25"; an em dash when undefined. Returns buf. */
const char *ctm_report__value(char *buf, size_t size, double x);


int ctm_report__cover(ctm_report_state *rp);

int ctm_report__summary(ctm_report_state *rp);
/* The change since the region's previous wave (rp->prev not NULL). */
int ctm_report__change(ctm_report_state *rp);
int ctm_report__dimensions(ctm_report_state *rp);
int ctm_report__gaps(ctm_report_state *rp);
int ctm_report__questions(ctm_report_state *rp);
/* The value range over the factors' scales (0..1 when none has one), and
 * whether every factor has that same range. */
void ctm_report__factor_range(const ctm_report_state *rp, double *lo, double *hi, int *same);
/* Appends to rp->sb " the UNITS rate[ from LO to HI]. A UNIT's value on a
 * factor is the mean of its ratings of the factor's statements{which}[, a
 * reversed statement counted the other way round]": how factor values are
 * made, said alike in the summary and the factor section. */
void ctm_report__rating_text(ctm_report_state *rp, const char *which);

int ctm_report__factors(ctm_report_state *rp);
int ctm_report__partners(ctm_report_state *rp);
/* "What partners said": the open-text answers (report_comments.c). */
int ctm_report__comments(ctm_report_state *rp);
int ctm_report__method(ctm_report_state *rp);

#endif
