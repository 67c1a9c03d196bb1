/* Part 1 of the readiness report: the cover. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

/* One key figure: a small caption, a big value and a line under it, in a
 * framed tile whose top-left corner is (x, top). */
static int tile(ctm_report_state *rp, double x, double top, double w, double h, const char *caption,
		const char *value, const char *under, const ctm_draw_rgb *accent)
{
	ctm_draw_rgb frame = CTM_DRAW_RGB(0.8, 0.8, 0.8), bg = CTM_DRAW_RGB(0.975, 0.975, 0.975);
	ctm_draw_paint p = { .fill = &bg, .stroke = &frame, .width = 0.5 };
	ctm_draw_paint a = { .fill = accent };
	ctm_draw_text_style cs = { .size = 8.5, .color = CTM_REPORT_MUTED };
	ctm_draw_text_style vs = { .size = 26, .bold = 1 };
	ctm_draw_text_style us = { .size = 9, .color = CTM_DRAW_RGB(0.2, 0.2, 0.2) };
	int rc;

	if ((rc = ctm_draw__rect(rp->doc, x, top - h, w, h, &p)) < 0 ||
	    (rc = ctm_draw__rect(rp->doc, x, top - 4, w, 4, &a)) < 0 ||
	    (rc = ctm_draw__text_box(rp->doc, x + 10, top - 12, w - 20, caption, &cs, NULL)) < 0 ||
	    (rc = ctm_draw__text_at(rp->doc, x + 10, top - 56, value, &vs)) < 0 ||
	    (rc = ctm_draw__text_box(rp->doc, x + 10, top - 64, w - 20, under, &us, NULL)) < 0)
		return rc;
	return 0;
}

int ctm_report__cover(ctm_report_state *rp)
{
	const ctm_rubric *r = rp->rubric;
	const ctm_group *g = rp->g;
	double left = rp->box.left, width = rp->box.right - rp->box.left, h = 0;
	char s[32], m[32], t[32], gap[32], buf[512], under[3][256];
	int rc;

	if ((rc = ctm_draw__page_add(rp->doc)) < 0 ||
	    (rc = ctm_draw__bookmark(rp->doc, 1, "Cover")) < 0)
		return rc;
	double y = rp->box.top - 30;
	ctm_draw_rgb band = ctm_draw__palette(1, 5);
	ctm_draw_paint bp = { .fill = &band };
	if ((rc = ctm_draw__rect(rp->doc, left, y + 14, 60, 5, &bp)) < 0)
		return rc;
	ctm_draw_text_style kicker = { .size = 12, .bold = 1, .color = CTM_REPORT_MUTED };
	ctm_draw_text_style big = { .size = 30, .bold = 1, .line_height = 1.15 };
	ctm_draw_text_style sub = { .size = 16, .color = CTM_DRAW_RGB(0.2, 0.2, 0.2) };
	ctm_draw_text_style rub = { .size = 13,
				    .bold = 1,
				    .color = CTM_DRAW_RGB(0.15, 0.15, 0.15) };
	if ((rc = ctm_draw__text_box(rp->doc, left, y, width, "Readiness report", &kicker, &h)) < 0)
		return rc;
	y -= h + 14;
	if ((rc = ctm_draw__text_box(rp->doc, left, y, width, ctm_group_region(g), &big, &h)) < 0)
		return rc;
	y -= h + 6;
	snprintf(buf, sizeof(buf), "Survey wave %s", ctm_group_wave(g));
	if ((rc = ctm_draw__text_box(rp->doc, left, y, width, buf, &sub, &h)) < 0)
		return rc;
	y -= h + 26;
	if ((rc = ctm_draw__text_box(rp->doc, left, y, width, ctm_rubric_title(r), &rub, &h)) < 0)
		return rc;
	y -= h + 4;
	ctm_draw_text_style small = { .size = 9.5, .color = CTM_REPORT_MUTED };
	if ((rc = ctm_draw__text_box(rp->doc, left, y, width, ctm_rubric_source(r), &small, &h)) <
	    0)
		return rc;
	y -= h + 26;

	/* Key figures. */
	int stage = ctm_group_stage(g), target = ctm_group_stage_target(g);
	snprintf(s, sizeof(s), "%d", stage);
	ctm_draw__number(m, sizeof(m), ctm_group_maturity(g), 2);
	snprintf(t, sizeof(t), "%d", target);
	snprintf(under[0], sizeof(under[0]), "%s",
		 stage > 0 ? ctm_report__level_name(rp, stage) : "no level attained yet");
	snprintf(under[1], sizeof(under[1]), "on a scale from 0 to %zu", rp->levels);
	snprintf(under[2], sizeof(under[2]), "%s · gap %s", ctm_report__level_name(rp, target),
		 ctm_draw__number(gap, sizeof(gap), ctm_group_stage_gap(g), 2));
	double tw = (width - 2 * 12) / 3, th = 92;
	ctm_draw_rgb acc0 = stage > 0 ? ctm_draw__palette((size_t)stage - 1, rp->levels)
				      : CTM_REPORT_UNATTAINED;
	ctm_draw_rgb acc1 = CTM_DRAW_BLACK, acc2 = CTM_REPORT_TARGET;
	if ((rc = tile(rp, left, y, tw, th, "Stage on the continuum", s, under[0], &acc0)) < 0 ||
	    (rc = tile(rp, left + tw + 12, y, tw, th, "Maturity index M", m, under[1], &acc1)) <
		    0 ||
	    (rc = tile(rp, left + 2 * (tw + 12), y, tw, th, "Stage target", t, under[2], &acc2)) <
		    0)
		return rc;
	y -= th + 26;

	/* The facts of the data. */
	ctm_draw__set_cursor(rp->doc, y);
	static const ctm_draw_column cols[] = {
		{ NULL, 150, 0, CTM_DRAW_ALIGN_LEFT },
		{ NULL, 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	ctm_draw_table_style ts = { .size = 10, .padding = 4, .no_header = 1, .zebra = 1 };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, 2, &ts)) < 0)
		return rc;
	char rubric[512], partners[64], respondents[64], units[160], dims[64], qs[64];
	snprintf(rubric, sizeof(rubric), "%s, version %s", ctm_rubric_id(r), ctm_rubric_version(r));
	snprintf(partners, sizeof(partners), "%zu", ctm_group_partner_count(g));
	snprintf(respondents, sizeof(respondents), "%zu", ctm_group_respondent_count(g));
	snprintf(units, sizeof(units), "%s: %zu with at least one answer", rp->units_word,
		 ctm_group_unit_count(g));
	snprintf(dims, sizeof(dims), "%zu dimensions, %zu levels", rp->dims, rp->levels);
	snprintf(qs, sizeof(qs), "%zu", rp->questions);
	const char *rows[][2] = {
		{ "Region", ctm_group_region(g) },
		{ "Survey wave (date of the data)", ctm_group_wave(g) },
		{ "Partners", partners },
		{ "Respondents", respondents },
		{ "Units of analysis", units },
		{ "Rubric", rubric },
		{ "Placement items", dims },
		{ "Diagnostic questions", qs },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_draw_cell cells[2] = { { rows[i][0], NULL, 1 }, { rows[i][1], NULL, 0 } };
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			return rc;
	}
	if ((rc = ctm_draw__table_end(rp->doc)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 18);

	ctm_draw_text_style note = { .size = 9, .color = CTM_REPORT_MUTED };
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"This report shows where the partnership stands on the continuum "
		"from level 1 (%s) to level %zu (%s): the summary, each dimension in detail, "
		"the gaps to the targets and what the next level looks like, the diagnostic "
		"questions, the %s' views side by side, and how every number was computed.",
		ctm_report__level_name(rp, 1), rp->levels,
		ctm_report__level_name(rp, (int)rp->levels), rp->units_word);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_draw__paragraph(rp->doc, rp->sb.s, &note);
}
