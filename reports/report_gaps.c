/* Part 4 of the readiness report: gap analysis. For each priority, today's
 * descriptor beside the next level's, the further steps up to the target,
 * then, when the rubric has a stage, the diagnostic questions that block
 * the next one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const char *descriptor(const ctm_report_state *rp, size_t d, int level)
{
	const char *s = ctm_dimension_descriptor(ctm_rubric_dimension(rp->rubric, d), level);
	return s ? s : "(The rubric gives no descriptor for this level.)";
}

static int priority(ctm_report_state *rp, size_t k)
{
	size_t d = ctm_group_priority(rp->g, k);
	const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
	int today = st->level, target = (int)st->target;
	char gap[32], mean[32], rwg[32];
	const char *head = "", *left = "", *right = "";
	int rc;

	head = ctm_draw__printf(rp->doc, "%zu. %s", k + 1, ctm_report__dim_name(rp, d));
	/* A dimension at its target level has a note, not a table: the note
	 * goes with its heading and sentence (alone on the next page it would
	 * be the part's orphaned tail). */
	double keep = 150;
	if (today >= target) {
		const char *note = ctm_draw__printf(
			rp->doc,
			"The mean rounds to the target level already; the gap of %s "
			"closes as more %s see the partnership at level %d. Level %d reads: %s",
			ctm_draw__number(gap, sizeof(gap), st->gap, 2), rp->units_word, target,
			target, descriptor(rp, d, target));
		double nh = 0;
		if ((rc = ctm_report__box_height(rp, CTM_REPORT_BOX_NOTE, NULL, note, &nh)) < 0)
			return rc;
		keep = fmin(fmax(keep, 85 + nh), rp->box.top - rp->box.bottom);
	} else {
		/* and today's and the next level's descriptors (the table's one
		 * row, in half the width at 9.5 pt with 6 pt padding) with them */
		ctm_draw_text_style cs = { .size = 9.5, .line_height = 1.2 };
		double cw = (rp->box.right - rp->box.left) / 2 - 12, lh = 0, rh = 0;
		if ((rc = ctm_draw__text_measure(rp->doc, cw, descriptor(rp, d, today), &cs,
						 &lh)) < 0 ||
		    (rc = ctm_draw__text_measure(rp->doc, cw, descriptor(rp, d, today + 1), &cs,
						 &rh)) < 0)
			return rc;
		keep = fmin(fmax(keep, 85 + 2 * 9.5 * 1.2 + 24 + fmax(lh, rh)),
			    rp->box.top - rp->box.bottom);
	}
	if ((rc = ctm_draw__need(rp->doc, keep)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, head)) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb, "Mean %s, so today at level %d (%s); target level %d (%s); gap %s.",
		ctm_draw__number(mean, sizeof(mean), st->mean, 2), today,
		ctm_report__level_name(rp, today), target, ctm_report__level_name(rp, target),
		ctm_draw__number(gap, sizeof(gap), st->gap, 2));
	if (st->low_agreement)
		ctm_strbuf__printf(&rp->sb,
				   " Low agreement (rwg %s): the %s see this differently, so "
				   "start by agreeing where the partnership stands.",
				   ctm_draw__number(rwg, sizeof(rwg), st->rwg, 2), rp->units_word);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__para(rp, rp->sb.s)) < 0)
		return rc;

	if (today >= target) {
		/* The mean rounds to the target already: there is no next level
		 * to reach, only the remaining distance to close. */
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(
			&rp->sb,
			"The mean rounds to the target level already; the gap of %s "
			"closes as more %s see the partnership at level %d. Level %d reads: %s",
			gap, rp->units_word, target, target, descriptor(rp, d, target));
		if (rp->sb.failed)
			return CTM_ENOMEM;
		return ctm_report__box(rp, CTM_REPORT_BOX_NOTE, NULL, rp->sb.s);
	}

	ctm_draw_rgb lf = CTM_DRAW_RGB(0.96, 0.96, 0.96);
	left = ctm_draw__printf(rp->doc, "Today — level %d: %s", today,
				ctm_report__level_name(rp, today));
	right = ctm_draw__printf(rp->doc, "Next — level %d: %s", today + 1,
				 ctm_report__level_name(rp, today + 1));
	ctm_draw_column cols[2] = {
		{ left, 0, 0.5, CTM_DRAW_ALIGN_LEFT },
		{ right, 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	ctm_draw_table_style ts = { .size = 9.5, .padding = 6 };
	ctm_draw_rgb nf = CTM_DRAW_HEX(0xE6F2EA);
	ctm_draw_cell cells[2] = { { descriptor(rp, d, today), &lf, 0 },
				   { descriptor(rp, d, today + 1), &nf, 0 } };
	/* one call: the header never stays at a page's foot without its row */
	if ((rc = ctm_draw__table(rp->doc, cols, 2, &ts, cells, 1)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 6);

	if (target > today + 1) {
		ctm_draw_text_style hs = { .size = 9.5, .bold = 1 };
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb, "Further steps up to the target (level %d)", target);
		if (rp->sb.failed)
			return CTM_ENOMEM;
		if ((rc = ctm_draw__need(rp->doc, 50)) < 0 ||
		    (rc = ctm_draw__paragraph(rp->doc, rp->sb.s, &hs)) < 0)
			return rc;
		static const ctm_draw_column scols[2] = {
			{ NULL, 110, 0, CTM_DRAW_ALIGN_LEFT },
			{ NULL, 0, 0, CTM_DRAW_ALIGN_LEFT },
		};
		ctm_draw_table_style ss = { .size = 9, .padding = 4, .no_header = 1, .zebra = 1 };
		if ((rc = ctm_draw__table_begin(rp->doc, scols, 2, &ss)) < 0)
			return rc;
		for (int l = today + 2; l <= target; l++) {
			const char *lab = "";
			lab = ctm_draw__printf(rp->doc, "Level %d: %s", l,
					       ctm_report__level_name(rp, l));
			ctm_draw_cell c2[2] = { { lab, NULL, 1 },
						{ descriptor(rp, d, l), NULL, 0 } };
			if ((rc = ctm_draw__table_row(rp->doc, c2)) < 0)
				return rc;
		}
		if ((rc = ctm_draw__table_end(rp->doc)) < 0)
			return rc;
	}
	ctm_draw__advance(rp->doc, 10);
	return 0;
}

static int blocking(ctm_report_state *rp)
{
	size_t n = ctm_group_blocking_count(rp->g);
	int S = ctm_group_stage(rp->g), T = ctm_group_stage_target(rp->g);
	char th[32];
	int rc;

	if ((rc = ctm_draw__need(rp->doc, 110)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Questions that block the next stage")) < 0)
		return rc;
	ctm_draw__number(th, sizeof(th), rp->theta, 2);
	ctm_strbuf__reset(&rp->sb);
	if (S >= T)
		ctm_strbuf__printf(&rp->sb,
				   "The stage (%d) has reached its target (%d): no question "
				   "blocks it.",
				   S, T);
	else if (n == 0)
		ctm_strbuf__printf(&rp->sb,
				   "No answered question of levels %d to %d is below θ = %s; "
				   "the questions of those levels have no answers yet.",
				   S + 1, T, th);
	else
		ctm_strbuf__printf(
			&rp->sb,
			"The diagnostic questions of levels %d to %d (from the level "
			"above the stage to the stage target) whose attainment a is below "
			"θ = %s, by level, lowest first: these are what stands between the "
			"partnership and the next stage.",
			S + 1, T, th);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__para(rp, rp->sb.s)) < 0 || n == 0)
		return rc;
	static const ctm_draw_column cols[] = {
		{ "Level", 0, 0.16, CTM_DRAW_ALIGN_LEFT },
		{ "Question", 0, 0, CTM_DRAW_ALIGN_LEFT },
		{ "a", 40, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "n", 30, 0, CTM_DRAW_ALIGN_RIGHT },
	};
	ctm_draw_table_style ts = { .zebra = 1 };
	/* all rows first: the table breaks knowing how many follow */
	ctm_draw_cell *cells = calloc(n * 4, sizeof(*cells));
	if (!cells)
		return CTM_ENOMEM;
	for (size_t k = 0; k < n; k++) {
		size_t qi = ctm_group_blocking(rp->g, k);
		const ctm_question *q = ctm_rubric_question(rp->rubric, qi);
		const ctm_item_stats *st = &rp->qstats[qi];
		char a[32];
		ctm_draw_cell *row = cells + 4 * k;
		row[0] = (ctm_draw_cell){
			ctm_draw__printf(rp->doc, "%d · %s", ctm_question_level(q),
					 ctm_report__level_name(rp, ctm_question_level(q))),
			NULL, 0
		};
		row[1] = (ctm_draw_cell){ ctm_question_text(q), NULL, 0 };
		row[2] = (ctm_draw_cell){
			ctm_draw__printf(rp->doc, "%s", ctm_draw__number(a, sizeof(a), st->mean, 2)),
			NULL, 1
		};
		row[3] = (ctm_draw_cell){ ctm_draw__printf(rp->doc, "%zu", st->n), NULL, 0 };
	}
	rc = ctm_draw__table(rp->doc, cols, 4, &ts, cells, n);
	free(cells);
	return rc;
}

int ctm_report__gaps(ctm_report_state *rp)
{
	size_t n = ctm_group_priority_count(rp->g);
	int rc;

	/* Without a gap to detail the part is a sentence (no stage) or the
	 * blocking questions (no dimensions): it follows on the page before
	 * rather than standing alone on one. */
	int short_part = !rp->dims || (!rp->has_stage && n == 0);
	if ((rc = short_part ? ctm_draw__need(rp->doc, 110) : ctm_draw__page_add(rp->doc)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, "Gap analysis")) < 0)
		return rc;
	if (!rp->dims)
		return blocking(rp); /* a stage from questions alone: no placements */
	ctm_strbuf__reset(&rp->sb);
	size_t unanswered = 0;
	for (size_t d = 0; d < rp->dims; d++)
		unanswered += ctm_group_dimension(rp->g, d)->n == 0;
	if (n == 0)
		ctm_strbuf__printf(&rp->sb, "%s: there is no gap to close on the placements.",
				   unanswered
					   ? "Every dimension with answers has reached its target"
					   : "Every dimension has reached its target");
	else
		ctm_strbuf__printf(
			&rp->sb,
			"%zu dimension%s below target, the largest gap first (ties: "
			"the one with less agreement first). For each, what the partnership "
			"looks like today beside what the next level looks like, in the "
			"rubric's words, and the further steps up to the target.",
			n, n == 1 ? " is" : "s are");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__para(rp, rp->sb.s)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 4);
	for (size_t k = 0; k < n; k++)
		if ((rc = priority(rp, k)) < 0)
			return rc;
	/* Without diagnostic questions there is no stage, so nothing blocks it. */
	return rp->has_stage ? blocking(rp) : 0;
}
