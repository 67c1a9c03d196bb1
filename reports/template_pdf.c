/*
 * The printable questionnaire of `continuum template`, and the save of both
 * outputs (PREFIX.csv, PREFIX.pdf) together.
 *
 * Layout, top to bottom: the rubric's title and source; "About this survey"
 * (what it is for, the rubric's description, how to answer, the levels of the
 * continuum); "About you" (lines to write region, wave, organization, role and
 * an office-use respondent id on); Part 1, one block per dimension: its name,
 * prompt, and a tick box per level with the level's value next to it and the
 * descriptor (or, where the rubric gives none, the level's name); Part 2, one
 * block per question: its text and a tick box per option of its scale; and a
 * note for whoever types the answers in. The value printed next to a box is
 * exactly what goes into the survey file, so transcribing needs no lookup.
 *
 * A block (dimension or question) is kept on one page when it fits on one;
 * a dimension taller than a page keeps its name, prompt and first level
 * together and never splits a level's descriptor.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "continuum/template.h"
#include "diag.h"
#include "draw.h"
#include "strbuf.h"

#define BODY_SIZE 10.0
#define BOX 9.5        /* tick box side, pt */
#define BOX_INDENT 6.0 /* from the left margin to the box */
#define VALUE_X 22.0   /* level value, from the left margin */
#define TEXT_X 36.0    /* descriptor text, from the left margin */
#define OPTION_GAP 5.0 /* between two levels' descriptors */
#define BLOCK_GAP 16.0 /* between two dimensions or questions */

typedef struct tpl {
	const ctm_rubric *r;
	ctm_draw_doc *doc;
	ctm_ctx *ctx;
	ctm_draw_box box; /* the content area */
	double width;     /* of the content area */
	int show_partners; /* the reports show every partner (the promise says so) */
} tpl;

static const ctm_draw_text_style body = { .size = BODY_SIZE };
/* The level value next to a box: smaller, but on the same line box as the
 * descriptor's first line (same line height in points), so both centre alike. */
static const ctm_draw_text_style value_style = {
	.size = 9, .bold = 1, .color = { 0.35, 0.35, 0.35 }, .line_height = 1.25 * BODY_SIZE / 9
};
static const ctm_draw_text_style name_style = {
	.size = 12, .bold = 1, .color = { 0.10, 0.23, 0.45 }, .line_height = 1.2
};
static const ctm_draw_text_style prompt_style = { .size = 10.5, .bold = 1 };

/* A tick box whose middle sits on the middle of a text line of style st
 * whose box top is y. */
static int tick_box(tpl *t, double x, double y, const ctm_draw_text_style *st)
{
	static const ctm_draw_rgb ink = { 0.15, 0.15, 0.15 };
	ctm_draw_paint paint = { .stroke = &ink, .width = 0.8 };
	double size = st && st->size > 0 ? st->size : 10.0;
	double lh = size * (st && st->line_height > 0 ? st->line_height : 1.25);
	return ctm_draw__rect(t->doc, x, y - lh / 2 - BOX / 2, BOX, BOX, &paint);
}

/* A paragraph of body text, printf-formatted. */
static int body_paragraph(tpl *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int body_paragraph(tpl *t, const char *fmt, ...)
{
	ctm_strbuf text = CTM_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	ctm_strbuf__vprintf(&text, fmt, ap);
	va_end(ap);
	int rc = text.failed ? CTM_ENOMEM : ctm_draw__paragraph(t->doc, text.s, &body);
	ctm_strbuf__free(&text);
	return rc;
}

/* ---- introduction ---------------------------------------------------------- */

static int draw_title(tpl *t)
{
	/* a long title is shortened here: "About this survey" gives it whole */
	const ctm_draw_text_style title = { .size = 20,
					    .bold = 1,
					    .line_height = 1.2,
					    .color = { 0.10, 0.23, 0.45 },
					    .max_lines = 4 };
	const ctm_draw_text_style sub = { .size = 13, .color = { 0.30, 0.30, 0.30 } };
	const ctm_draw_text_style small = { .size = 9, .color = { 0.30, 0.30, 0.30 } };
	char *source = NULL;
	double h;
	int rc;

	if ((rc = ctm_draw__page_add(t->doc)) < 0)
		return rc;
	if ((rc = ctm_draw__bookmark(t->doc, 1, ctm_rubric_title(t->r))) < 0)
		return rc;
	double y = ctm_draw__cursor(t->doc);
	if ((rc = ctm_draw__text_box(t->doc, t->box.left, y, t->width, ctm_rubric_title(t->r),
				     &title, &h)) < 0)
		return rc;
	y -= h + 4;
	if ((rc = ctm_draw__text_box(t->doc, t->box.left, y, t->width, "Survey questionnaire", &sub,
				     &h)) < 0)
		return rc;
	y -= h + 4;
	/* Sources often end with a full stop of their own. */
	size_t slen = strlen(ctm_rubric_source(t->r));
	int stop = slen > 0 && ctm_rubric_source(t->r)[slen - 1] == '.';
	source = ctm_strbuf__format("Source: %s%s Rubric %s, version %s.", ctm_rubric_source(t->r),
				    stop ? "" : ".", ctm_rubric_id(t->r), ctm_rubric_version(t->r));
	if (!source)
		return CTM_ENOMEM;
	if ((rc = ctm_draw__text_measure(t->doc, t->width, source, &small, &h)) == 0) {
		if (y - h >= t->box.bottom) {
			rc = ctm_draw__text_box(t->doc, t->box.left, y, t->width, source, &small,
						&h);
			ctm_draw__set_cursor(t->doc, y - h - 6);
		} else {
			/* a source longer than the page flows onto the next */
			ctm_draw_text_style flow = small;
			flow.space_after = 6;
			ctm_draw__set_cursor(t->doc, y);
			rc = ctm_draw__paragraph(t->doc, source, &flow);
		}
	}
	free(source);
	return rc < 0 ? rc : CTM_OK;
}

/* Whether any scale of a question has an option marked missing ("Don't know"). */
static const ctm_option *missing_option(const ctm_rubric *r)
{
	for (size_t q = 0; q < ctm_rubric_question_count(r); q++) {
		const ctm_scale *sc = ctm_question_scale(ctm_rubric_question(r, q));
		for (size_t k = 0; sc && k < ctm_scale_option_count(sc); k++)
			if (ctm_option_is_missing(ctm_scale_option(sc, k)))
				return ctm_scale_option(sc, k);
	}
	return NULL;
}

static int draw_about(tpl *t)
{
	const ctm_rubric *r = t->r;
	int rc;

	if ((rc = ctm_draw__heading(t->doc, 1, "About this survey")) < 0)
		return rc;
	if (ctm_rubric_level_count(r) == 0)
		rc = body_paragraph(
			t,
			"This questionnaire asks how the partnership of organizations in "
			"your region rates itself on the %s. Your answers are combined "
			"with those of the other partners; the results show the "
			"partnership's strengths and what needs attention.",
			ctm_rubric_title(r));
	else
		rc = body_paragraph(
			t,
			"This questionnaire asks where the partnership of organizations in your "
			"region "
			"stands today on the %s: %zu levels, from %s (level 1) to %s (level %zu). "
			"Your answers are combined with those of the other partners; the results "
			"show where the partnership stands on each dimension, how far the partners "
			"agree, and what the next level would look like.",
			ctm_rubric_title(r), ctm_rubric_level_count(r),
			ctm_level_name(ctm_rubric_level(r, 0)),
			ctm_level_name(ctm_rubric_level(r, ctm_rubric_level_count(r) - 1)),
			ctm_rubric_level_count(r));
	if (rc < 0)
		return rc;
	if (ctm_rubric_description(r) &&
	    (rc = ctm_draw__paragraph(t->doc, ctm_rubric_description(r), &body)) < 0)
		return rc;

	if ((rc = ctm_draw__heading(t->doc, 2, "How to answer")) < 0)
		return rc;
	if (ctm_rubric_dimension_count(r)) {
		if ((rc = body_paragraph(
			     t,
			     "Part 1 has %zu dimension%s. For each, read the statements and tick "
			     "the one box whose statement best describes your partnership as it "
			     "is today, not as you would like it to be.",
			     ctm_rubric_dimension_count(r),
			     ctm_rubric_dimension_count(r) == 1 ? "" : "s")) < 0)
			return rc;
	}
	if (ctm_rubric_question_count(r)) {
		const ctm_option *dk = missing_option(r);
		if ((rc = body_paragraph(
			     t,
			     "Part %d has %zu question%s. Tick one answer for each; when "
			     "you cannot tell, %s%s%s rather than guess.",
			     ctm_rubric_dimension_count(r) ? 2 : 1, ctm_rubric_question_count(r),
			     ctm_rubric_question_count(r) == 1 ? "" : "s",
			     dk ? "tick \u201c" : "leave the question blank",
			     dk ? ctm_option_label(dk) : "", dk ? "\u201d" : "")) < 0)
			return rc;
	}
	if (t->show_partners)
		rc = body_paragraph(
			t,
			"There are no right or wrong answers. Results are reported for the "
			"partnership as a whole and for each organization: an organization's "
			"answers are shown on their own, also when only one of its people "
			"answered, and answers by role only for roles of at least %d "
			"respondents.",
			ctm_rubric_min_n(r));
	else
		rc = body_paragraph(
			t,
			"There are no right or wrong answers. Results are reported for the "
			"partnership as a whole: an organization's answers are shown on their "
			"own only when at least %d of its people answered, and answers by role "
			"only for roles of at least %d respondents.",
			ctm_rubric_min_n(r), ctm_rubric_min_n(r));
	if (rc < 0)
		return rc;
	/* what the report does with written answers (report_comments.c) */
	if (ctm_rubric_comment_count(r) &&
	    (rc = body_paragraph(t, "Written answers are printed in the report as you write "
				    "them, without your name, organization or role.")) < 0)
		return rc;

	if (ctm_rubric_level_count(r) == 0)
		return CTM_OK; /* statements only: no continuum to show */
	/* The continuum at a glance: the words the descriptors build on. Kept on
	 * one page: its rows measured as the table will wrap them (9 pt, 3 pt
	 * padding each side), plus the header row and the heading. */
	const ctm_draw_text_style cell = { .size = 9 };
	double table_h = 40 + 9 * 1.25 + 6;
	for (size_t l = 0; l < ctm_rubric_level_count(r); l++) {
		const ctm_level *lv = ctm_rubric_level(r, l);
		const char *what = ctm_level_summary(lv) ? ctm_level_summary(lv)
							 : ctm_level_definition(lv);
		double hn, hw = 0;
		if ((rc = ctm_draw__text_measure(t->doc, 110 - 6, ctm_level_name(lv), &cell, &hn)) <
			    0 ||
		    (what && (rc = ctm_draw__text_measure(t->doc, t->width - 150 - 6, what, &cell,
							  &hw)) < 0))
			return rc;
		table_h += (hn > hw ? hn : hw) + 6;
	}
	if ((rc = ctm_draw__need(t->doc, table_h)) < 0 ||
	    (rc = ctm_draw__heading(t->doc, 2, "The levels of the continuum")) < 0)
		return rc;
	const ctm_draw_column cols[] = {
		{ "Level", 40, 0, CTM_DRAW_ALIGN_CENTER },
		{ "Name", 110, 0, CTM_DRAW_ALIGN_LEFT },
		{ "What it means", 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	const ctm_draw_table_style ts = { .size = 9, .zebra = 1 };
	if ((rc = ctm_draw__table_begin(t->doc, cols, 3, &ts)) < 0)
		return rc;
	for (size_t l = 0; l < ctm_rubric_level_count(r); l++) {
		char value[8];
		const ctm_level *lv = ctm_rubric_level(r, l);
		ctm_draw__format(value, sizeof(value), "%d", ctm_level_value(lv));
		const char *what = ctm_level_summary(lv) ? ctm_level_summary(lv)
							 : ctm_level_definition(lv);
		const char *row[3] = { value, ctm_level_name(lv), what ? what : "" };
		if ((rc = ctm_draw__table_row_text(t->doc, row)) < 0)
			return rc;
	}
	return ctm_draw__table_end(t->doc);
}

/* ---- about you: lines to write on ------------------------------------------ */

static int draw_fields(tpl *t)
{
	static const struct {
		const char *label, *hint;
	} fields[] = {
		{ "Region", "the partnership being assessed" },
		{ "Survey wave", "e.g. 2024-03" },
		{ "Organization", "the organization you answer for" },
		{ "Your role", "e.g. manager, frontline" },
		{ "Respondent id", "office use" },
	};
	const ctm_draw_text_style label = { .size = BODY_SIZE, .bold = 1 };
	const ctm_draw_text_style hint = { .size = 8, .color = { 0.40, 0.40, 0.40 } };
	const ctm_draw_stroke line = { .color = { 0.35, 0.35, 0.35 }, .width = 0.6 };
	const double row = 30.0, line_x = t->box.left + 110;
	int rc;

	/* The heading (about 40 pt with its space) stays with its lines. */
	if ((rc = ctm_draw__need(t->doc, 40 + row * 5 + 8)) < 0 ||
	    (rc = ctm_draw__heading(t->doc, 1, "About you")) < 0)
		return rc;
	double y = ctm_draw__cursor(t->doc) - 8;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		double base = y - 16;
		if ((rc = ctm_draw__text_at(t->doc, t->box.left, base, fields[i].label, &label)) <
			    0 ||
		    (rc = ctm_draw__line(t->doc, line_x, base - 2, t->box.right, base - 2, &line)) <
			    0 ||
		    (rc = ctm_draw__text_at(t->doc, line_x, base - 11, fields[i].hint, &hint)) < 0)
			return rc;
		y -= row;
	}
	ctm_draw__set_cursor(t->doc, y - 4);
	return CTM_OK;
}

/* ---- part 1: dimensions ---------------------------------------------------- */

/* The text printed next to a level's box: its descriptor, else its name. */
static const char *level_text(const ctm_rubric *r, const ctm_dimension *d, size_t l)
{
	const char *s = ctm_dimension_descriptor(d, (int)l + 1);
	return s ? s : ctm_level_name(ctm_rubric_level(r, l));
}

static int draw_dimension(tpl *t, size_t i)
{
	const ctm_rubric *r = t->r;
	const ctm_dimension *d = ctm_rubric_dimension(r, i);
	const double text_w = t->width - TEXT_X;
	double name_h, prompt_h, first_h = 0, total, h;
	char *name = NULL;
	int rc;

	/* Numbered, unless the rubric numbers its dimensions itself ("1. Trust"). */
	if (ctm_dimension_name(d)[0] >= '0' && ctm_dimension_name(d)[0] <= '9')
		name = ctm_strbuf__format("%s", ctm_dimension_name(d));
	else
		name = ctm_strbuf__format("%zu. %s", i + 1, ctm_dimension_name(d));
	if (!name)
		return CTM_ENOMEM;
	if ((rc = ctm_draw__text_measure(t->doc, t->width, name, &name_style, &name_h)) < 0 ||
	    (rc = ctm_draw__text_measure(t->doc, t->width, ctm_dimension_prompt(d), &prompt_style,
					 &prompt_h)) < 0)
		goto cleanup;
	total = name_h + 3 + prompt_h + 6;
	for (size_t l = 0; l < ctm_rubric_level_count(r); l++) {
		if ((rc = ctm_draw__text_measure(t->doc, text_w, level_text(r, d, l), &body, &h)) <
		    0)
			goto cleanup;
		if (l == 0)
			first_h = h;
		total += h + OPTION_GAP;
	}
	/* The whole block on one page when it fits on one; else at least the
	 * name, the prompt and the first level together. */
	double page_h = t->box.top - t->box.bottom;
	if ((rc = ctm_draw__need(t->doc,
				 BLOCK_GAP + (total <= page_h - BLOCK_GAP
						      ? total
						      : name_h + 3 + prompt_h + 6 + first_h))) < 0)
		goto cleanup;
	if (ctm_draw__cursor(t->doc) < t->box.top)
		ctm_draw__advance(t->doc, BLOCK_GAP);
	if ((rc = ctm_draw__bookmark(t->doc, 2, name)) < 0)
		goto cleanup;
	double y = ctm_draw__cursor(t->doc);
	if ((rc = ctm_draw__text_box(t->doc, t->box.left, y, t->width, name, &name_style, &h)) < 0)
		goto cleanup;
	y -= h + 3;
	if ((rc = ctm_draw__text_box(t->doc, t->box.left, y, t->width, ctm_dimension_prompt(d),
				     &prompt_style, &h)) < 0)
		goto cleanup;
	ctm_draw__set_cursor(t->doc, y - h - 6);

	for (size_t l = 0; l < ctm_rubric_level_count(r); l++) {
		const char *text = level_text(r, d, l);
		char value[8];
		if ((rc = ctm_draw__text_measure(t->doc, text_w, text, &body, &h)) < 0 ||
		    (rc = ctm_draw__need(t->doc, h)) < 0)
			goto cleanup;
		y = ctm_draw__cursor(t->doc);
		ctm_draw__format(value, sizeof(value), "%d",
				 ctm_level_value(ctm_rubric_level(r, l)));
		if ((rc = tick_box(t, t->box.left + BOX_INDENT, y, &body)) < 0 ||
		    (rc = ctm_draw__text_box(t->doc, t->box.left + VALUE_X, y, TEXT_X - VALUE_X,
					     value, &value_style, NULL)) < 0 ||
		    (rc = ctm_draw__text_box(t->doc, t->box.left + TEXT_X, y, text_w, text, &body,
					     &h)) < 0)
			goto cleanup;
		ctm_draw__set_cursor(t->doc, y - h - OPTION_GAP);
	}
	rc = CTM_OK;

cleanup:
	free(name);
	return rc;
}

/* ---- part 2: questions ----------------------------------------------------- */

/* Lays out the options of a question in rows across the width: each one a
 * box and its label. A label wider than a row wraps, alone, over as many
 * rows as its lines need. With draw unset, only counts the rows. */
static int option_rows(tpl *t, const ctm_scale *sc, double y, int draw, size_t *rows)
{
	const double row_h = BODY_SIZE * 1.25 + 6, left = t->box.left + TEXT_X;
	double x = left;
	int rc;

	*rows = sc && ctm_scale_option_count(sc) ? 1 : 0;
	for (size_t k = 0; sc && k < ctm_scale_option_count(sc); k++) {
		const char *label = ctm_option_label(ctm_scale_option(sc, k));
		double w;
		if ((rc = ctm_draw__text_width(t->doc, label, &body, &w)) < 0)
			return rc;
		double need = BOX + 5 + w;
		if (x > left && x + need > t->box.right) {
			x = left;
			(*rows)++;
		}
		if (draw) {
			double top = y - (double)(*rows - 1) * row_h;
			double avail = t->box.right - (x + BOX + 5);
			if ((rc = tick_box(t, x, top, &body)) < 0 ||
			    (rc = ctm_draw__text_box(t->doc, x + BOX + 5, top, avail, label, &body,
						     NULL)) < 0)
				return rc;
		}
		if (x + need > t->box.right) {
			/* wrapped: the next option starts below its last line */
			double h = 0;
			if ((rc = ctm_draw__text_measure(t->doc, t->box.right - (x + BOX + 5),
							 label, &body, &h)) < 0)
				return rc;
			*rows += (size_t)ceil((h - BODY_SIZE * 1.25) / row_h - 1e-9);
			x = t->box.right;
			continue;
		}
		x += need + 22;
	}
	return CTM_OK;
}

static int draw_question(tpl *t, size_t i)
{
	const ctm_question *q = ctm_rubric_question(t->r, i);
	const double row_h = BODY_SIZE * 1.25 + 6;
	/* The number on the question's first line box (10.5 pt text). */
	const ctm_draw_text_style num = { .size = BODY_SIZE,
					  .bold = 1,
					  .color = { 0.10, 0.23, 0.45 },
					  .line_height = 1.25 * 10.5 / BODY_SIZE };
	double text_h;
	size_t rows;
	char number[24];
	int rc;

	if ((rc = ctm_draw__text_measure(t->doc, t->width - TEXT_X, ctm_question_text(q),
					 &prompt_style, &text_h)) < 0 ||
	    (rc = option_rows(t, ctm_question_scale(q), 0, 0, &rows)) < 0)
		return rc;
	if ((rc = ctm_draw__need(t->doc, BLOCK_GAP + text_h + 4 + (double)rows * row_h)) < 0)
		return rc;
	if (ctm_draw__cursor(t->doc) < t->box.top)
		ctm_draw__advance(t->doc, BLOCK_GAP - 4);
	double y = ctm_draw__cursor(t->doc);
	ctm_draw__format(number, sizeof(number), "Q%zu", i + 1);
	if ((rc = ctm_draw__text_box(t->doc, t->box.left, y, TEXT_X, number, &num, NULL)) < 0 ||
	    (rc = ctm_draw__text_box(t->doc, t->box.left + TEXT_X, y, t->width - TEXT_X,
				     ctm_question_text(q), &prompt_style, &text_h)) < 0)
		return rc;
	y -= text_h + 4;
	if ((rc = option_rows(t, ctm_question_scale(q), y, 1, &rows)) < 0)
		return rc;
	ctm_draw__set_cursor(t->doc, y - (double)rows * row_h);
	return CTM_OK;
}

/* ---- part 3: in your own words ---------------------------------------------- */

#define ANSWER_LINES 5
#define ANSWER_PITCH 20.0 /* between two writing lines */

/* An open-text prompt and a framed box of ruled lines to write in. */
static int draw_comment(tpl *t, size_t i)
{
	const ctm_comment *c = ctm_rubric_comment(t->r, i);
	const double box_h = ANSWER_LINES * ANSWER_PITCH + 6;
	ctm_draw_rgb frame = { 0.55, 0.55, 0.55 }, rule = { 0.82, 0.82, 0.82 };
	ctm_draw_paint fp = { .stroke = &frame, .width = 0.6 };
	ctm_draw_stroke rs = { rule, 0.4, 0 };
	double text_h;
	int rc;

	if ((rc = ctm_draw__text_measure(t->doc, t->width, ctm_comment_prompt(c), &prompt_style,
					 &text_h)) < 0 ||
	    (rc = ctm_draw__need(t->doc, BLOCK_GAP + text_h + 6 + box_h)) < 0)
		return rc;
	if (ctm_draw__cursor(t->doc) < t->box.top)
		ctm_draw__advance(t->doc, BLOCK_GAP - 4);
	double y = ctm_draw__cursor(t->doc);
	if ((rc = ctm_draw__text_box(t->doc, t->box.left, y, t->width, ctm_comment_prompt(c),
				     &prompt_style, &text_h)) < 0)
		return rc;
	y -= text_h + 6;
	if ((rc = ctm_draw__rect(t->doc, t->box.left, y - box_h, t->width, box_h, &fp)) < 0)
		return rc;
	for (int k = 1; k <= ANSWER_LINES; k++) {
		double ly = y - (double)k * ANSWER_PITCH;
		if ((rc = ctm_draw__line(t->doc, t->box.left + 8, ly, t->box.right - 8, ly, &rs)) < 0)
			return rc;
	}
	ctm_draw__set_cursor(t->doc, y - box_h);
	return CTM_OK;
}

/* ---- office use ------------------------------------------------------------ */

static const char office_text[] =
	"Enter each questionnaire as one row of the survey file written next to this "
	"questionnaire by continuum template (its header names every column). Write "
	"region, wave, organization (column partner), respondent id and role as "
	"written. For a dimension, enter the number printed next to the ticked box; "
	"for a question, the ticked answer as printed or its code below. Leave the "
	"cell empty when no box, or more than one, is ticked. A written answer goes "
	"into its own column as written.";

/* Whether scale s is used by a question (only those are listed). */
static int scale_used(const ctm_rubric *r, const ctm_scale *sc)
{
	for (size_t q = 0; q < ctm_rubric_question_count(r); q++)
		if (ctm_question_scale(ctm_rubric_question(r, q)) == sc)
			return 1;
	return 0;
}

static int draw_office(tpl *t)
{
	const ctm_rubric *r = t->r;
	double para_h;
	size_t rows = 1;
	int rc;

	/* One block: heading, note and code table on the same page (a table row
	 * of 9 pt text with 3 pt padding is under 18 pt high). */
	for (size_t s = 0; s < ctm_rubric_scale_count(r); s++)
		if (scale_used(r, ctm_rubric_scale(r, s)))
			rows += ctm_scale_option_count(ctm_rubric_scale(r, s));
	if ((rc = ctm_draw__text_measure(t->doc, t->width, office_text, &body, &para_h)) < 0 ||
	    (rc = ctm_draw__need(
		     t->doc, 50 + para_h + 10 +
				     (ctm_rubric_question_count(r) ? (double)rows * 18 : 0))) < 0)
		return rc;
	if ((rc = ctm_draw__heading(t->doc, 1, "For the person entering the answers")) < 0 ||
	    (rc = ctm_draw__paragraph(t->doc, office_text, &body)) < 0)
		return rc;
	if (!ctm_rubric_question_count(r))
		return CTM_OK;
	const ctm_draw_column cols[] = {
		{ "Scale", 0, 0.25, CTM_DRAW_ALIGN_LEFT },
		{ "Answer", 0, 0.45, CTM_DRAW_ALIGN_LEFT },
		{ "Code", 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	const ctm_draw_table_style ts = { .size = 9, .zebra = 1, .width = t->width * 0.8 };
	if ((rc = ctm_draw__table_begin(t->doc, cols, 3, &ts)) < 0)
		return rc;
	for (size_t s = 0; s < ctm_rubric_scale_count(r); s++) {
		const ctm_scale *sc = ctm_rubric_scale(r, s);
		int used = scale_used(r, sc);
		for (size_t k = 0; used && k < ctm_scale_option_count(sc); k++) {
			const char *row[3] = { k == 0 ? ctm_scale_id(sc) : "",
					       ctm_option_label(ctm_scale_option(sc, k)),
					       ctm_option_code(ctm_scale_option(sc, k)) };
			if ((rc = ctm_draw__table_row_text(t->doc, row)) < 0)
				return rc;
		}
	}
	return ctm_draw__table_end(t->doc);
}

/* ---- the document ---------------------------------------------------------- */

static int draw_questionnaire(ctm_draw_doc **out, const ctm_rubric *r, int show_partners,
			      ctm_ctx *ctx)
{
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
	char *title = NULL, *subject = NULL, *footer = NULL, *part = NULL;
	tpl t;
	int rc = CTM_ENOMEM;

	*out = NULL;
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.ctx = ctx;
	t.show_partners = show_partners;
	title = ctm_strbuf__format("%s — survey questionnaire", ctm_rubric_title(r));
	subject = ctm_strbuf__format("Blank survey for rubric %s %s (continuum template)",
				     ctm_rubric_id(r), ctm_rubric_version(r));
	footer = ctm_strbuf__format("%s %s · continuum template", ctm_rubric_id(r),
				    ctm_rubric_version(r));
	if (!title || !subject || !footer)
		goto cleanup;
	o.title = title;
	o.subject = subject;
	o.footer = footer;
	o.keywords = "continuum, survey, questionnaire";
	if ((rc = ctm_draw__doc_new(&t.doc, &o, ctx)) < 0)
		goto cleanup;
	t.box = ctm_draw__content(t.doc);
	t.width = t.box.right - t.box.left;
	if ((rc = draw_title(&t)) < 0 || (rc = ctm_draw__set_header(t.doc, title)) < 0 ||
	    (rc = draw_about(&t)) < 0 || (rc = draw_fields(&t)) < 0)
		goto cleanup;
	if (ctm_rubric_dimension_count(r)) {
		/* A part starts where there is room for its heading and a block. */
		if ((rc = ctm_draw__need(t.doc, 260)) < 0 ||
		    (rc = ctm_draw__heading(t.doc, 1, "Part 1: Where the partnership stands")) <
			    0 ||
		    (rc = ctm_draw__paragraph(t.doc, "Tick one box for each dimension.", &body)) <
			    0)
			goto cleanup;
		for (size_t i = 0; i < ctm_rubric_dimension_count(r); i++)
			if ((rc = draw_dimension(&t, i)) < 0)
				goto cleanup;
	}
	if (ctm_rubric_question_count(r)) {
		part = ctm_strbuf__format("Part %d: Questions",
					  ctm_rubric_dimension_count(r) ? 2 : 1);
		if (!part) {
			rc = CTM_ENOMEM;
			goto cleanup;
		}
		if ((rc = ctm_draw__need(t.doc, 200)) < 0 ||
		    (rc = ctm_draw__heading(t.doc, 1, part)) < 0 ||
		    (rc = ctm_draw__paragraph(t.doc, "Tick one answer for each question.", &body)) <
			    0)
			goto cleanup;
		for (size_t i = 0; i < ctm_rubric_question_count(r); i++)
			if ((rc = draw_question(&t, i)) < 0)
				goto cleanup;
	}
	if (ctm_rubric_comment_count(r)) {
		free(part);
		part = ctm_strbuf__format("Part %d: In your own words",
					  1 + (ctm_rubric_dimension_count(r) != 0) +
						  (ctm_rubric_question_count(r) != 0));
		if (!part) {
			rc = CTM_ENOMEM;
			goto cleanup;
		}
		if ((rc = ctm_draw__need(t.doc, 200)) < 0 ||
		    (rc = ctm_draw__heading(t.doc, 1, part)) < 0 ||
		    (rc = ctm_draw__paragraph(t.doc, "Write as much or as little as you like.",
					      &body)) < 0)
			goto cleanup;
		for (size_t i = 0; i < ctm_rubric_comment_count(r); i++)
			if ((rc = draw_comment(&t, i)) < 0)
				goto cleanup;
	}
	if ((rc = draw_office(&t)) < 0)
		goto cleanup;

cleanup:
	rc = ctm_draw__doc_hand_over(&t.doc, out, rc, 0, ctx, "the questionnaire");
	free(title);
	free(subject);
	free(footer);
	free(part);
	return rc;
}

int ctm_template_save_pdf(const ctm_rubric *rubric, const char *path, ctm_ctx *ctx)
{
	ctm_draw_doc *doc = NULL;
	int rc;

	if (!rubric || !path)
		return CTM_EUSAGE;
	if ((rc = draw_questionnaire(&doc, rubric, 0, ctx)) == CTM_OK)
		rc = ctm_draw__doc_save(doc, path);
	ctm_draw__doc_free(doc);
	return rc;
}

int ctm_template_save(const ctm_rubric *rubric, const char *prefix, ctm_ctx *ctx)
{
	return ctm_template_save_with(rubric, prefix, NULL, ctx);
}

int ctm_template_save_with(const ctm_rubric *rubric, const char *prefix,
			   const ctm_template_options *opts, ctm_ctx *ctx)
{
	enum { CSV, PDF, FILES };
	static const char *const suffixes[FILES] = { ".csv", ".pdf" };
	ctm_draw_doc *doc = NULL;
	ctm_atomic set[FILES];
	int rc = CTM_OK;

	memset(set, 0, sizeof(set));
	if (!rubric || !prefix)
		return CTM_EUSAGE;
	/* The PDF drawn in memory first; then both files written to temporaries
	 * and committed as one set: both new, or both as they were. */
	if (opts && ctm_diag__check_version(ctx, "ctm_template_save_with", opts->version,
					    CTM_TEMPLATE_OPTIONS_VERSION) < 0)
		return CTM_EUSAGE;
	if ((rc = draw_questionnaire(&doc, rubric, opts && opts->show_partners, ctx)) < 0)
		goto cleanup;
	if ((rc = ctm_atomic__begin_set(set, FILES, prefix, suffixes, ctx)) < 0)
		goto cleanup;
	size_t since = ctm_ctx_count(ctx);
	if ((rc = ctm_template_write_csv(rubric, set[CSV].file, ctx)) < 0) {
		ctm_diag__name_file(ctx, since, set[CSV].path); /* the writer has a stream */
		goto cleanup;
	}
	if ((rc = ctm_draw__doc_write(doc, set[PDF].file, set[PDF].path)) < 0)
		goto cleanup;
	rc = ctm_atomic__commit_set(set, FILES, ctx);

cleanup:
	for (size_t i = 0; i < FILES; i++)
		ctm_atomic__abort(&set[i]);
	ctm_draw__doc_free(doc);
	return rc;
}
