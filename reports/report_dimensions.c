/* Part 3 of the readiness report: each dimension in detail. A histogram of
 * where the units placed the partnership (their values rounded to a level),
 * the statistics of docs/scoring.md, and the warnings: low agreement, too few units. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define HIST_W 215.0
#define HIST_H 128.0

static int histogram(ctm_report_state *rp, size_t d, double left, double top)
{
	size_t counts[10] = { 0 }, maxc = 0;
	size_t L = rp->levels;
	int rc;

	for (size_t u = 0; u < rp->units; u++) {
		int l = ctm_report__round_level(rp, ctm_group_unit_value(rp->g, u, d));
		if (l > 0)
			counts[l]++;
	}
	for (size_t l = 1; l <= L; l++)
		if (counts[l] > maxc)
			maxc = counts[l];
	double ymax = maxc < 4 ? 4 : (double)maxc;
	double step = ceil(ymax / 4);
	ymax = step * ceil(ymax / step);
	double pl = left + 26, pr = left + HIST_W, pb = top - HIST_H + 22, pt = top - 8;
	ctm_draw_scale ys = { 0, ymax, pb, pt };
	ctm_draw_axis ax = { CTM_DRAW_AXIS_LEFT, pl, ys, step, 0, pr - pl, NULL, 7 };
	if ((rc = ctm_draw__axis_draw(rp->doc, &ax)) < 0)
		return rc;
	ctm_draw_stroke base = { CTM_DRAW_RGB(0.3, 0.3, 0.3), 0.6, 0 };
	if ((rc = ctm_draw__line(rp->doc, pl, pb, pr, pb, &base)) < 0)
		return rc;
	double slot = (pr - pl) / (double)L;
	ctm_draw_text_style cs = { .size = 7.5, .bold = 1, .align = CTM_DRAW_ALIGN_CENTER };
	ctm_draw_text_style xs = { .size = 7.5,
				   .align = CTM_DRAW_ALIGN_CENTER,
				   .color = CTM_REPORT_MUTED };
	for (size_t l = 1; l <= L; l++) {
		double cx = pl + slot * ((double)l - 0.5);
		char lab[32];
		ctm_draw_rgb fill = ctm_draw__palette(l - 1, L);
		ctm_draw_paint bp = { .fill = &fill };
		if (counts[l] && (rc = ctm_draw__vbar(rp->doc, &ys, cx, fmin(slot * 0.7, 30), 0,
						      (double)counts[l], &bp)) < 0)
			return rc;
		ctm_draw__format(lab, sizeof(lab), "%zu", counts[l]);
		if (counts[l] &&
		    (rc = ctm_draw__text_at(rp->doc, cx,
					    ctm_draw__scale_map(&ys, (double)counts[l]) + 2, lab,
					    &cs)) < 0)
			return rc;
		ctm_draw__format(lab, sizeof(lab), "%zu", l);
		if ((rc = ctm_draw__text_at(rp->doc, cx, pb - 9, lab, &xs)) < 0)
			return rc;
	}
	ctm_draw_text_style ts = { .size = 7.5,
				   .color = CTM_REPORT_MUTED,
				   .align = CTM_DRAW_ALIGN_CENTER };
	return ctm_draw__text_at(rp->doc, (pl + pr) / 2, pb - 19,
				 rp->partner_units ? "partners by level (values rounded)"
						   : "respondents by level (values rounded)",
				 &ts);
}

static int stats_table(ctm_report_state *rp, size_t d, double indent)
{
	const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
	char mean[32], median[32], sd[64], n[32], gap[32];
	const char *level = "", *ci = "", *rwg = "", *target = "";
	char a[32], b[32];
	int rc;

	if (st->n > 0)
		level = ctm_draw__printf(rp->doc, "%d · %s", st->level,
					 ctm_report__level_name(rp, st->level));
	else
		level = ctm_draw__printf(rp->doc, "—");
	ctm_draw__number(mean, sizeof(mean), st->mean, 2);
	ctm_draw__number(median, sizeof(median), st->median, 2);
	if (st->n < 2) {
		ctm_draw__format(sd, sizeof(sd), "—");
		ci = ctm_draw__printf(rp->doc, "—");
		rwg = ctm_draw__printf(rp->doc, "—");
	} else {
		ctm_draw__number(sd, sizeof(sd), st->sd, 2);
		ci = ctm_draw__printf(rp->doc, "%s to %s",
				      ctm_draw__number(a, sizeof(a), st->ci_low, 2),
				      ctm_draw__number(b, sizeof(b), st->ci_high, 2));
		rwg = ctm_draw__printf(rp->doc, "%s (%s)",
				       ctm_draw__number(a, sizeof(a), st->rwg, 2),
				       st->low_agreement ? "low agreement" : "consensus");
	}
	ctm_draw__format(n, sizeof(n), "%zu", st->n);
	if (!isnan(st->target))
		target = ctm_draw__printf(rp->doc, "%.0f · %s", st->target,
					  ctm_report__level_name(rp, (int)st->target));
	else
		target = ctm_draw__printf(rp->doc, "—");
	ctm_draw__number(gap, sizeof(gap), st->gap, 2);
	const char *nlabel = "";
	nlabel = ctm_draw__printf(rp->doc, "%s answering (n)",
				  rp->partner_units ? "Partners" : "Respondents");
	const char *rows[][2] = {
		{ "Level today", level },
		{ "Mean", mean },
		{ "Median", median },
		{ "Standard deviation", sd },
		{ "95% confidence interval", ci },
		{ "Agreement rwg", rwg },
		{ nlabel, n },
		{ "Target", target },
		{ "Gap to target", gap },
	};
	static const ctm_draw_column cols[] = {
		{ NULL, 0, 0.48, CTM_DRAW_ALIGN_LEFT },
		{ NULL, 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	ctm_draw_table_style ts = { .width = rp->box.right - rp->box.left - indent,
				    .indent = indent,
				    .size = 8.5,
				    .padding = 2.6,
				    .no_header = 1,
				    .zebra = 1 };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, 2, &ts)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_draw_rgb amber = CTM_REPORT_AMBER_FILL;
		int warn = i == 5 && st->low_agreement;
		ctm_draw_cell cells[2] = { { rows[i][0], NULL, 0 },
					   { rows[i][1], warn ? &amber : NULL, i == 1 || i == 0 } };
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			return rc;
	}
	return ctm_draw__table_end(rp->doc);
}

/* What follows a dimension's histogram: the descriptor of its level, the
 * note on a single answer, the warning of low agreement. */
#define TAIL_PARTS 3

/* Part k of the tail of dimension d composed in rp->sb: 1 and a box's kind
 * and title (NULL for a caption) when the dimension has it, 0 when not. */
static int tail_text(ctm_report_state *rp, size_t d, int k, int *kind, const char **title)
{
	const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
	char a[32];

	ctm_strbuf__reset(&rp->sb);
	*kind = CTM_REPORT_BOX_NOTE;
	*title = NULL;
	if (k == 0) {
		const char *desc = st->level > 0
					 ? ctm_dimension_descriptor(
						   ctm_rubric_dimension(rp->rubric, d), st->level)
					 : NULL;
		if (!desc)
			return 0;
		ctm_strbuf__printf(&rp->sb, "Level %d reads: “%s”", st->level, desc);
	} else if (k == 1) {
		if (!(st->n == 1 && ctm_group_unit_count(rp->g) > 1))
			return 0;
		*title = "One answer only";
		ctm_strbuf__printf(
			&rp->sb,
			"Only one %s answered. The standard deviation, the confidence "
			"interval and the agreement rwg need at least two, so they are shown as "
			"“—”; the mean is that %s's view alone.",
			rp->unit_word, rp->unit_word);
	} else {
		if (!st->low_agreement)
			return 0;
		*kind = CTM_REPORT_BOX_WARNING;
		*title = "Low agreement: partners do not see this the same way";
		ctm_strbuf__printf(
			&rp->sb,
			"rwg = %s, below the consensus threshold of %.2f. The %s "
			"place the partnership at different levels, so the mean hides real "
			"differences: read the level with care and talk about why views differ.",
			ctm_draw__number(a, sizeof(a), st->rwg, 2), CTM_CONSENSUS_RWG,
			rp->units_word);
	}
	return rp->sb.failed ? CTM_ENOMEM : 1;
}

/* The height of the tail of dimension d, as drawn below the histogram. */
static int tail_height(ctm_report_state *rp, size_t d, double *height)
{
	ctm_draw_text_style cs = { .size = 8.5 };
	int rc;

	*height = 0;
	for (int k = 0; k < TAIL_PARTS; k++) {
		int kind;
		const char *title;
		double h = 0;
		if ((rc = tail_text(rp, d, k, &kind, &title)) <= 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		if (title)
			rc = ctm_report__box_height(rp, kind, title, rp->sb.s, &h);
		else if ((rc = ctm_draw__text_measure(rp->doc, rp->box.right - rp->box.left,
						      rp->sb.s, &cs, &h)) == 0)
			h += 8.5 * 1.25 * 0.5; /* a paragraph's space after */
		if (rc < 0)
			return rc;
		*height += h;
	}
	return 0;
}

/* What the statistics table takes beyond one line per row: the level
 * names of "Level today" and "Target" may wrap in their column (the rest
 * are numbers), and the table then runs below the histogram. */
static int stats_extra(ctm_report_state *rp, size_t d, double *extra)
{
	const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
	ctm_draw_text_style cs = { .size = 8.5 };
	double indent = HIST_W + 24, w = (rp->box.right - rp->box.left - indent) * 0.52 - 2 * 2.6;
	int levels[2] = { st->n > 0 ? st->level : 0, isnan(st->target) ? 0 : (int)st->target };
	int rc;

	*extra = 0;
	for (int k = 0; k < 2; k++) {
		double h = 0;
		if (levels[k] < 1)
			continue;
		const char *text = ctm_draw__printf(rp->doc, "%d · %s", levels[k],
						    ctm_report__level_name(rp, levels[k]));
		if ((rc = ctm_draw__text_measure(rp->doc, w, text, &cs, &h)) < 0)
			return rc;
		if (h > 8.5 * 1.25)
			*extra += h - 8.5 * 1.25;
	}
	/* the table is a little taller than the histogram already */
	*extra = fmax(0, *extra - 8);
	return 0;
}

static int dimension(ctm_report_state *rp, size_t d)
{
	const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
	double tail = 0, extra = 0;
	int rc;

	/* Heading, histogram and table (a little taller than the histogram)
	 * together, and with them what is said under them, so that a warning
	 * never heads a page of its own. */
	if ((rc = tail_height(rp, d, &tail)) < 0 || (rc = stats_extra(rp, d, &extra)) < 0 ||
	    (rc = ctm_draw__need(rp->doc, HIST_H + 56 + extra + tail)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, ctm_report__dim_name(rp, d))) < 0)
		return rc;
	if (st->n == 0) {
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb,
				   "No %s answered this dimension in this wave, so it has no "
				   "placement.",
				   rp->unit_word);
		if (rp->sb.failed)
			return CTM_ENOMEM;
		return ctm_report__box(rp, CTM_REPORT_BOX_NOTE, "No answers", rp->sb.s);
	}
	if ((rc = ctm_draw__need(rp->doc, HIST_H + 6 + extra)) < 0)
		return rc;
	double top = ctm_draw__cursor(rp->doc);
	if ((rc = histogram(rp, d, rp->box.left, top)) < 0 ||
	    (rc = stats_table(rp, d, HIST_W + 24)) < 0)
		return rc;
	double below = fmin(ctm_draw__cursor(rp->doc), top - HIST_H);
	ctm_draw__set_cursor(rp->doc, below - 6);

	for (int k = 0; k < TAIL_PARTS; k++) {
		int kind;
		const char *title;
		if ((rc = tail_text(rp, d, k, &kind, &title)) <= 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		if ((rc = title ? ctm_report__box(rp, kind, title, rp->sb.s)
				: ctm_report__caption(rp, rp->sb.s)) < 0)
			return rc;
	}
	ctm_draw__advance(rp->doc, 6);
	return 0;
}

int ctm_report__dimensions(ctm_report_state *rp)
{
	double tail = 0, intro = 0;
	int rc;

	double extra = 0;
	if ((rc = tail_height(rp, 0, &tail)) < 0 || (rc = stats_extra(rp, 0, &extra)) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"For each dimension: how many %s placed the partnership at each "
		"level (a %s's value is the mean of its respondents' answers, rounded half up "
		"to a level), and the statistics of the placements. The level today is the "
		"mean rounded half up. Agreement rwg runs from 0 (no agreement) to 1 (all "
		"alike); below %.2f the %s do not see the dimension the same way.",
		rp->units_word, rp->unit_word, CTM_CONSENSUS_RWG, rp->units_word);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_draw__text_measure(rp->doc, rp->box.right - rp->box.left, rp->sb.s, NULL,
					 &intro)) < 0)
		return rc;
	/* Without a stage the summary is charts alone and ends anywhere on its
	 * page: the details follow on it when the heading, this introduction
	 * and the whole first dimension fit, rather than leaving the rest of it
	 * empty. */
	if ((rc = rp->has_stage
			? ctm_draw__page_add(rp->doc)
			: ctm_draw__need(rp->doc, 40 + intro + 8 + HIST_H + 56 + extra + tail)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, "Dimensions in detail")) < 0 ||
	    (rc = ctm_report__para(rp, rp->sb.s)) < 0)
		return rc;
	/* A group of one says so once, not under every dimension. */
	if (ctm_group_unit_count(rp->g) == 1) {
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(
			&rp->sb,
			"Only one %s answered in this group. The standard deviation, "
			"the confidence interval and the agreement rwg need at least two, so "
			"they are shown as “—”; each mean is that %s's view alone.",
			rp->unit_word, rp->unit_word);
		if (rp->sb.failed)
			return CTM_ENOMEM;
		if ((rc = ctm_report__box(rp, CTM_REPORT_BOX_NOTE, "One answer only", rp->sb.s)) <
		    0)
			return rc;
	}
	for (size_t d = 0; d < rp->dims; d++)
		if ((rc = dimension(rp, d)) < 0)
			return rc;
	return 0;
}
