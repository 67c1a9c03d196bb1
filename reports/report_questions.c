/* Part 5 of the readiness report: the diagnostic questions. Attainment A_l
 * per level against θ, the inconsistency when a level is attained above one
 * that is not, and every question with its statistics. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

#define CHART_H 170.0

/* The level names' style under the chart's slots of width slot, and the
 * height of the tallest; the chart's height is CHART_H + that + 40. */
static int level_names(ctm_report_state *rp, double slot, ctm_draw_text_style *ns, double *names_h)
{
	int rc;

	*ns = (ctm_draw_text_style){ .size = 8,
				     .align = CTM_DRAW_ALIGN_CENTER,
				     .line_height = 1.15,
				     .color = CTM_DRAW_RGB(0.2, 0.2, 0.2),
				     .max_lines = CTM_REPORT_LABEL_LINES };
	*names_h = 0;
	for (size_t l = 1; l <= rp->levels; l++)
		ns->size = fmin(ns->size,
				ctm_report__fit_size(rp, ctm_report__level_name(rp, (int)l),
						     slot - 4, 8, 5.5));
	for (size_t l = 1; l <= rp->levels; l++) {
		double h = 0;
		if ((rc = ctm_draw__text_measure(rp->doc, slot - 4,
						 ctm_report__level_name(rp, (int)l), ns, &h)) < 0)
			return rc;
		*names_h = fmax(*names_h, h);
	}
	return 0;
}

static int attainment_chart(ctm_report_state *rp)
{
	size_t L = rp->levels;
	double left = rp->box.left, right = rp->box.right, names_h = 0;
	double pl = left + 34, pr = right - 40;
	double slot = (pr - pl) / (double)L;
	ctm_draw_text_style ns;
	int rc;

	if ((rc = level_names(rp, slot, &ns, &names_h)) < 0 ||
	    (rc = ctm_draw__need(rp->doc, CHART_H + names_h + 40)) < 0)
		return rc;
	double top = ctm_draw__cursor(rp->doc), pt = top - 18, pb = top - CHART_H;
	ctm_draw_scale ys = { 0, 1, pb, pt };
	ctm_draw_axis ax = { CTM_DRAW_AXIS_LEFT, pl, ys, 0.25, 2, pr - pl, NULL, 7.5 };
	if ((rc = ctm_draw__axis_draw(rp->doc, &ax)) < 0)
		return rc;
	ctm_draw_text_style at = { .size = 8,
				   .color = CTM_REPORT_MUTED,
				   .align = CTM_DRAW_ALIGN_CENTER };
	/* turned upwards, the letters rise to the left of the baseline: their
	 * ascent (0.93 em) must stay right of the margin */
	if ((rc = ctm_draw__text_rotated(rp->doc, left + 8, (pb + pt) / 2, 90, "attainment A",
					 &at)) < 0)
		return rc;
	ctm_draw_stroke base = { CTM_DRAW_RGB(0.3, 0.3, 0.3), 0.6, 0 };
	if ((rc = ctm_draw__line(rp->doc, pl, pb, pr, pb, &base)) < 0)
		return rc;
	for (size_t l = 1; l <= L; l++) {
		double a = ctm_group_level_attainment(rp->g, (int)l);
		double cx = pl + slot * ((double)l - 0.5);
		int attained = ctm_group_level_attained(rp->g, (int)l);
		ctm_draw_rgb fill = attained ? ctm_draw__palette(l - 1, L)
					     : CTM_DRAW_RGB(0.78, 0.78, 0.78);
		ctm_draw_paint bp = { .fill = &fill };
		if (isnan(a)) {
			ctm_draw_text_style ms = { .size = 7.5,
						   .color = CTM_REPORT_MUTED,
						   .align = CTM_DRAW_ALIGN_CENTER };
			if ((rc = ctm_draw__text_at(rp->doc, cx, pb + 4, "no data", &ms)) < 0)
				return rc;
		} else if ((rc = ctm_draw__vbar(rp->doc, &ys, cx, fmin(slot * 0.6, 46), 0, a,
						&bp)) < 0) {
			return rc;
		}
		char lab[32];
		ctm_draw_text_style ls = { .size = 8.5, .bold = 1, .align = CTM_DRAW_ALIGN_CENTER };
		ctm_draw__format(lab, sizeof(lab), "%zu", l);
		if ((rc = ctm_draw__text_at(rp->doc, cx, pb - 10, lab, &ls)) < 0 ||
		    (rc = ctm_draw__text_box(rp->doc, cx - slot / 2 + 2, pb - 13, slot - 4,
					     ctm_report__level_name(rp, (int)l), &ns, NULL)) < 0)
			return rc;
	}
	/* θ over the bars, labelled at the right end */
	double yt = ctm_draw__scale_map(&ys, rp->theta);
	ctm_draw_stroke ts = { CTM_REPORT_TARGET, 1.2, 4 };
	char th[48], v[32];
	ctm_draw__format(th, sizeof(th), "θ = %s", ctm_draw__number(v, sizeof(v), rp->theta, 2));
	ctm_draw_text_style tl = { .size = 8, .bold = 1, .color = CTM_REPORT_TARGET };
	if ((rc = ctm_draw__line(rp->doc, pl, yt, pr, yt, &ts)) < 0 ||
	    (rc = ctm_draw__text_at(rp->doc, pr + 3, yt - 3, th, &tl)) < 0)
		return rc;
	/* Values last, on a white ground, legible where θ's line crosses them. */
	for (size_t l = 1; l <= L; l++) {
		double a = ctm_group_level_attainment(rp->g, (int)l);
		double cx = pl + slot * ((double)l - 0.5), vw = 0, vy;
		ctm_draw_text_style vs = { .size = 8, .bold = 1, .align = CTM_DRAW_ALIGN_CENTER };
		ctm_draw_rgb white = CTM_DRAW_WHITE;
		ctm_draw_paint wp = { .fill = &white };
		if (isnan(a))
			continue;
		ctm_draw__number(v, sizeof(v), a, 2);
		vy = ctm_draw__scale_map(&ys, a) + 3;
		if ((rc = ctm_draw__text_width(rp->doc, v, &vs, &vw)) < 0 ||
		    (rc = ctm_draw__rect(rp->doc, cx - vw / 2 - 1.5, vy - 2, vw + 3, 9.5, &wp)) <
			    0 ||
		    (rc = ctm_draw__text_at(rp->doc, cx, vy, v, &vs)) < 0)
			return rc;
	}
	ctm_draw__set_cursor(rp->doc, pb - 14 - names_h - 6);
	ctm_draw_legend_item items[3] = {
		{ "attained as part of the stage, or above it", ctm_draw__palette(L / 2, L), 0, 0 },
		{ "not attained", CTM_DRAW_RGB(0.78, 0.78, 0.78), 0, 0 },
		{ "attainment threshold θ", CTM_REPORT_TARGET, 1, 0 },
	};
	double lh = 0;
	if ((rc = ctm_draw__legend(rp->doc, pl, ctm_draw__cursor(rp->doc), pr - pl, items, 3, 8,
				   &lh)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, lh + 10);
	return 0;
}

static int question_table(ctm_report_state *rp)
{
	static const ctm_draw_column cols[] = {
		{ "Question", 0, 0, CTM_DRAW_ALIGN_LEFT },
		{ "Level", 40, 0, CTM_DRAW_ALIGN_CENTER },
		{ "n", 28, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "a", 38, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "95% CI", 74, 0, CTM_DRAW_ALIGN_CENTER },
	};
	ctm_draw_table_style ts = { .zebra = 1, .size = 8.5 };
	int rc;

	/* the heading with its caption, the table's header and its first three
	 * rows (the question wraps in what the four number columns leave) */
	ctm_draw_text_style qs = { .size = 8.5, .line_height = 1.2 };
	double keep = 60, qw = rp->box.right - rp->box.left - 180 - 6;
	for (size_t i = 0, shown = 0; i < rp->questions && shown < 3; i++) {
		const ctm_question *q = ctm_rubric_question(rp->rubric, i);
		double qh = 0;
		if (ctm_question_level(q) == 0)
			continue;
		if ((rc = ctm_draw__text_measure(rp->doc, qw, ctm_question_text(q), &qs, &qh)) < 0)
			return rc;
		keep += qh + 6;
		shown++;
	}
	if ((rc = ctm_draw__need(rp->doc, fmin(keep, rp->box.top - rp->box.bottom))) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Questions")) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb,
			   "a is the mean over %s of each %s's mean answer score (0 to 1); "
			   "values below θ are shaded.",
			   rp->units_word, rp->unit_word);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__caption(rp, rp->sb.s)) < 0)
		return rc;
	/* all rows first: the table breaks knowing how many follow */
	ctm_draw_cell *cells = calloc(rp->questions ? rp->questions * 5 : 1, sizeof(*cells));
	ctm_draw_rgb low = CTM_DRAW_HEX(0xF3E3D6);
	size_t nrows = 0;
	if (!cells)
		return CTM_ENOMEM;
	for (size_t i = 0; i < rp->questions; i++) {
		const ctm_question *q = ctm_rubric_question(rp->rubric, i);
		const ctm_item_stats *st = &rp->qstats[i];
		if (ctm_question_level(q) == 0)
			continue; /* a statement: in no level's attainment (see Factors) */
		char a[32], lo[32], hi[32];
		const char *ci = "";
		const char *text = ctm_question_text(q); /* whole, of any length: the cell wraps */
		if (isnan(st->ci_low))
			ci = ctm_draw__printf(rp->doc, "—");
		else
			ci = ctm_draw__printf(rp->doc, "%s – %s",
					      ctm_draw__number(lo, sizeof(lo), st->ci_low, 2),
					      ctm_draw__number(hi, sizeof(hi), st->ci_high, 2));
		int below = !isnan(st->mean) && st->mean < rp->theta;
		ctm_draw_cell *row = cells + 5 * nrows++;
		row[0] = (ctm_draw_cell){ text, NULL, 0 };
		row[1] = (ctm_draw_cell){ ctm_draw__printf(rp->doc, "%d", ctm_question_level(q)),
					  NULL, 0 };
		row[2] = (ctm_draw_cell){ ctm_draw__printf(rp->doc, "%zu", st->n), NULL, 0 };
		row[3] = (ctm_draw_cell){
			ctm_draw__printf(rp->doc, "%s", ctm_draw__number(a, sizeof(a), st->mean, 2)),
			below ? &low : NULL, 1
		};
		row[4] = (ctm_draw_cell){ ci, NULL, 0 };
	}
	rc = ctm_draw__table(rp->doc, cols, 5, &ts, cells, nrows);
	free(cells);
	return rc;
}

/* The introduction to the chart, in rp->sb (th: θ as printed). */
static int intro_text(ctm_report_state *rp, const char *th)
{
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"The attainment A of a level is the mean of its questions' a. A "
		"level is attained when A ≥ θ = %s; the stage is the highest level attained "
		"together with every level below it.",
		th);
	return rp->sb.failed ? CTM_ENOMEM : 0;
}

int ctm_report__questions(ctm_report_state *rp)
{
	size_t with_data = 0;
	char th[32];
	int rc;

	for (size_t i = 0; i < rp->questions; i++)
		with_data += ctm_question_level(ctm_rubric_question(rp->rubric, i)) > 0 &&
			     rp->qstats[i].n > 0;
	ctm_draw__number(th, sizeof(th), rp->theta, 2);
	/* With answers, the heading and the introduction go with the whole
	 * chart; without, with the note that says so. */
	double need = 260;
	if (with_data) {
		double slot = (rp->box.right - 40 - (rp->box.left + 34)) / (double)rp->levels;
		double names_h = 0, intro = 0;
		ctm_draw_text_style ns;
		if ((rc = intro_text(rp, th)) < 0 ||
		    (rc = level_names(rp, slot, &ns, &names_h)) < 0 ||
		    (rc = ctm_draw__text_measure(rp->doc, rp->box.right - rp->box.left, rp->sb.s,
						 NULL, &intro)) < 0)
			return rc;
		need = fmax(need, 45 + intro + 8 + CHART_H + names_h + 40);
	}
	if ((rc = ctm_draw__need(rp->doc, need)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, "Diagnostic questions")) < 0)
		return rc;
	if (rp->levelled == 0)
		return ctm_report__para(
			rp, "This rubric has no diagnostic questions, so no level can be "
			    "attained: the stage is 0.");
	if (with_data == 0) {
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(
			&rp->sb,
			"None of the rubric's %zu diagnostic questions was answered in "
			"this group, so the attainment of every level is undefined and the "
			"stage is 0. Ask the %s to answer the diagnostic questions in the next "
			"wave: the stage and the maturity index come from them.",
			rp->levelled, rp->units_word);
		if (rp->sb.failed)
			return CTM_ENOMEM;
		return ctm_report__box(rp, CTM_REPORT_BOX_NOTE, "No diagnostic answers", rp->sb.s);
	}
	if ((rc = intro_text(rp, th)) < 0 || (rc = ctm_report__para(rp, rp->sb.s)) < 0 ||
	    (rc = attainment_chart(rp)) < 0)
		return rc;
	if (ctm_group_inconsistent(rp->g)) {
		int S = ctm_group_stage(rp->g);
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(
			&rp->sb,
			"Level %d is not attained, yet a higher level is. The stage "
			"stops at %d because every level up to the stage must be attained; the "
			"answers about the higher level may describe practice that rests on a "
			"weak base, or the questions of level %d may be read differently.",
			S + 1, S, S + 1);
		if (rp->sb.failed)
			return CTM_ENOMEM;
		if ((rc = ctm_report__box(rp, CTM_REPORT_BOX_WARNING, "Inconsistent attainment",
					  rp->sb.s)) < 0)
			return rc;
	}
	return question_table(rp);
}
