/* Part 2 of the readiness report: the summary. The continuum as a staircase
 * of its L levels with the stage and M marked, the dimension means with
 * their confidence intervals and targets, a radar profile, and the top
 * priorities in words. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define STEP_MAX_H 74.0

/* The centre for a label half_w wide, near cx, that keeps 2.5 pt clear of a
 * vertical line at xm and inside [lo, hi]: the M line runs down the stairs
 * and must not strike through a step's number or attainment. cx itself
 * when the line misses it, or when neither side has room. */
static double clear_of(double cx, double half_w, double xm, double lo, double hi)
{
	double gap = 2.5;
	if (isnan(xm) || cx + half_w < xm - gap || cx - half_w > xm + gap)
		return cx;
	double left = xm - gap - half_w, right = xm + gap + half_w;
	int left_fits = left - half_w >= lo, right_fits = right + half_w <= hi;
	if (left_fits && (!right_fits || cx - left <= right - cx))
		return left;
	return right_fits ? right : cx;
}

/* The staircase: step l (1..L) is filled in its level colour when attained
 * as part of the stage, the next step partly (A_{S+1}), the rest grey. M is
 * the position along the stairs: S whole steps plus a fraction of the next. */
static int draw_continuum(ctm_report_state *rp)
{
	const ctm_group *g = rp->g;
	size_t L = rp->levels;
	double left = rp->box.left, width = rp->box.right - rp->box.left;
	double w = width / (double)L, names_h = 0;
	ctm_draw_text_style ns = { .size = 8.5,
				   .align = CTM_DRAW_ALIGN_CENTER,
				   .line_height = 1.15,
				   .max_lines = CTM_REPORT_LABEL_LINES };
	int stage = ctm_group_stage(g), target = ctm_group_stage_target(g);
	double m = ctm_group_maturity(g);
	int rc;

	/* One size for every name: the largest at which each word fits its step. */
	for (size_t l = 1; l <= L; l++)
		ns.size = fmin(ns.size, ctm_report__fit_size(rp, ctm_report__level_name(rp, (int)l),
							     (w - 6) * 0.85, 8.5, 5.5));
	/* Plan the height: marker band, steps, the tallest level name, legend. */
	for (size_t l = 1; l <= L; l++) {
		double h = 0;
		if ((rc = ctm_draw__text_measure(rp->doc, w - 6, ctm_report__level_name(rp, (int)l),
						 &ns, &h)) < 0)
			return rc;
		names_h = fmax(names_h, h);
	}
	double total = 26 + STEP_MAX_H + 6 + names_h + 30;
	if ((rc = ctm_draw__need(rp->doc, total)) < 0)
		return rc;
	double top = ctm_draw__cursor(rp->doc);
	double steps_top = top - 26, base = steps_top - STEP_MAX_H;
	double xm = isnan(m) ? NAN : left + m * w;

	for (size_t l = 1; l <= L; l++) {
		double x = left + (double)(l - 1) * w;
		double h = STEP_MAX_H * (0.28 + 0.72 * (double)l / (double)L);
		double a = ctm_group_level_attainment(g, (int)l);
		int attained = (int)l <= stage;
		ctm_draw_rgb col = ctm_draw__palette(l - 1, L);
		ctm_draw_rgb fill = attained ? col : CTM_REPORT_UNATTAINED;
		ctm_draw_rgb edge = CTM_DRAW_WHITE;
		ctm_draw_paint p = { .fill = &fill, .stroke = &edge, .width = 1.5 };
		if ((rc = ctm_draw__rect(rp->doc, x, base, w, h, &p)) < 0)
			return rc;
		if ((int)l == stage + 1 && !isnan(a) && a > 0) {
			ctm_draw_paint part = { .fill = &col, .opacity = 0.45 };
			if ((rc = ctm_draw__rect(rp->doc, x + 0.75, base + 0.75,
						 (w - 1.5) * fmin(a, 1), h - 1.5, &part)) < 0)
				return rc;
		}
		ctm_draw_rgb ink = attained ? ctm_draw__contrast_text(col)
					    : CTM_DRAW_RGB(0.3, 0.3, 0.3);
		ctm_draw_text_style num = {
			.size = 12, .bold = 1, .color = ink, .align = CTM_DRAW_ALIGN_CENTER
		};
		ctm_draw_text_style tiny = { .size = 6.5,
					     .color = ink,
					     .align = CTM_DRAW_ALIGN_CENTER };
		char v[24];
		const char *lab = "", *av = "";
		lab = ctm_draw__printf(rp->doc, "%zu", l);
		if (isnan(a))
			av = ctm_draw__printf(rp->doc, "no data");
		else
			av = ctm_draw__printf(rp->doc, "%sA %s", attained ? "✓ " : "",
					      ctm_draw__number(v, sizeof(v), a, 2));
		double lab_w = 0, av_w = 0;
		if ((rc = ctm_draw__text_width(rp->doc, lab, &num, &lab_w)) < 0 ||
		    (rc = ctm_draw__text_width(rp->doc, av, &tiny, &av_w)) < 0)
			return rc;
		double lab_x = clear_of(x + w / 2, lab_w / 2, xm, x + 2, x + w - 2);
		double av_x = clear_of(x + w / 2, av_w / 2, xm, x + 2, x + w - 2);
		if ((rc = ctm_draw__text_at(rp->doc, lab_x, base + h - 15, lab, &num)) < 0 ||
		    (h > 30 &&
		     (rc = ctm_draw__text_at(rp->doc, av_x, base + 5, av, &tiny)) < 0))
			return rc;
		if ((rc = ctm_draw__text_box(rp->doc, x + 3, base - 5, w - 6,
					     ctm_report__level_name(rp, (int)l), &ns, NULL)) < 0)
			return rc;
	}

	/* The target: a dashed line at the end of the target step. */
	ctm_draw_stroke ts = { CTM_REPORT_TARGET, 1.4, 3 };
	double xt = left + (double)target * w;
	if (xt > rp->box.right - 1)
		xt = rp->box.right - 1;
	if ((rc = ctm_draw__line(rp->doc, xt, base, xt, steps_top + 2, &ts)) < 0)
		return rc;

	/* M: a line down the stairs under a marker and its value. */
	if (!isnan(m)) {
		ctm_draw_stroke ms = { CTM_DRAW_BLACK, 1.2, 0 };
		ctm_draw_rgb black = CTM_DRAW_BLACK;
		ctm_draw_paint mp = { .fill = &black };
		double tri[6] = {
			xm - 5, steps_top + 10, xm + 5, steps_top + 10, xm, steps_top + 1
		};
		char v[24];
		const char *lab = "";
		lab = ctm_draw__printf(rp->doc, "M = %s", ctm_draw__number(v, sizeof(v), m, 2));
		ctm_draw_text_style mt = { .size = 9, .bold = 1, .align = CTM_DRAW_ALIGN_CENTER };
		double lw = 0;
		if ((rc = ctm_draw__text_width(rp->doc, lab, &mt, &lw)) < 0)
			return rc;
		double lx = fmin(fmax(xm, left + lw / 2), rp->box.right - lw / 2);
		if ((rc = ctm_draw__line(rp->doc, xm, base, xm, steps_top + 1, &ms)) < 0 ||
		    (rc = ctm_draw__polygon(rp->doc, tri, 3, &mp)) < 0 ||
		    (rc = ctm_draw__text_at(rp->doc, lx, steps_top + 14, lab, &mt)) < 0)
			return rc;
	}

	char l1[96];
	const char *l0 = "";
	ctm_draw_legend_item items[3];
	char v[24];
	l0 = ctm_draw__printf(rp->doc, "maturity index M = %s",
			      ctm_draw__number(v, sizeof(v), m, 2));
	ctm_draw__format(l1, sizeof(l1), "stage target: level %d", target);
	items[0] = (ctm_draw_legend_item){ l0, CTM_DRAW_BLACK, 1, 0 };
	items[1] = (ctm_draw_legend_item){ l1, CTM_REPORT_TARGET, 1, 0 };
	items[2] = (ctm_draw_legend_item){ "level attained (A ≥ θ)", ctm_draw__palette(L / 2, L), 0,
					   0 };
	double lh = 0;
	if ((rc = ctm_draw__legend(rp->doc, left, base - 5 - names_h - 8, width, items, 3, 8,
				   &lh)) < 0)
		return rc;
	ctm_draw__set_cursor(rp->doc, base - 5 - names_h - 8 - lh - 10);
	return 0;
}

static int stage_words(ctm_report_state *rp)
{
	const ctm_group *g = rp->g;
	int S = ctm_group_stage(g), T = ctm_group_stage_target(g);
	char v[32], a[32], th[32], gap[32];
	size_t with_data = 0;

	for (size_t l = 1; l <= rp->levels; l++)
		with_data += ctm_group_level_n(g, (int)l) > 0;
	ctm_draw__number(th, sizeof(th), rp->theta, 2);
	ctm_strbuf__reset(&rp->sb);
	if (with_data == 0) {
		ctm_strbuf__printf(
			&rp->sb,
			"No diagnostic question was answered in this group, so no "
			"level can be shown to be attained: the stage is 0. The placements "
			"below still show where the %s put the partnership.",
			rp->units_word);
	} else if (S == 0) {
		ctm_strbuf__printf(
			&rp->sb,
			"Stage 0: the questions of level 1 (%s) are not attained "
			"yet (A₁ = %s, below θ = %s).",
			ctm_report__level_name(rp, 1),
			ctm_draw__number(a, sizeof(a), ctm_group_level_attainment(g, 1), 2), th);
	} else {
		if (S == 1)
			ctm_strbuf__printf(&rp->sb,
					   "Stage 1 (%s): the diagnostic questions of level 1 are "
					   "attained (A ≥ θ = %s)",
					   ctm_report__level_name(rp, 1), th);
		else
			ctm_strbuf__printf(&rp->sb,
					   "Stage %d (%s): the diagnostic questions of levels 1 "
					   "to %d are attained (A ≥ θ = %s)",
					   S, ctm_report__level_name(rp, S), S, th);
		if ((size_t)S < rp->levels) {
			double next = ctm_group_level_attainment(g, S + 1);
			if (isnan(next))
				ctm_strbuf__printf(&rp->sb,
						   "; level %d (%s) has no answered questions.",
						   S + 1, ctm_report__level_name(rp, S + 1));
			else
				ctm_strbuf__printf(&rp->sb,
						   "; those of level %d (%s) reach A = %s.", S + 1,
						   ctm_report__level_name(rp, S + 1),
						   ctm_draw__number(a, sizeof(a), next, 2));
		} else {
			ctm_strbuf__printf(&rp->sb, ": every level of the continuum.");
		}
	}
	ctm_strbuf__printf(&rp->sb, " Maturity index M = %s",
			   ctm_draw__number(v, sizeof(v), ctm_group_maturity(g), 2));
	ctm_strbuf__printf(&rp->sb,
			   " (the stage plus the attainment of the next level). Stage "
			   "target: level %d (%s); gap %s.",
			   T, ctm_report__level_name(rp, T),
			   ctm_draw__number(gap, sizeof(gap), ctm_group_stage_gap(g), 2));
	if (ctm_group_inconsistent(g))
		ctm_strbuf__printf(&rp->sb,
				   " A higher level is attained above one that is not: see "
				   "Diagnostic questions.");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__para(rp, rp->sb.s);
}

#define NAME_W 150.0

/* The height of each row of the means chart (a name may wrap, a warning
 * adds a line) into row_h (rp->dims of them, may be NULL) and their sum. */
static int means_rows(ctm_report_state *rp, double *row_h, double *total)
{
	ctm_draw_text_style name_st = { .size = 9,
					.line_height = 1.15,
					.max_lines = CTM_REPORT_LABEL_LINES };
	ctm_draw_text_style warn_st = { .size = 7.5,
					.color = CTM_REPORT_AMBER_TEXT,
					.line_height = 1.15 };
	int rc;

	*total = 0;
	for (size_t d = 0; d < rp->dims; d++) {
		const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
		double h = 0, wh = 0;
		if ((rc = ctm_draw__text_measure(rp->doc, NAME_W, ctm_report__dim_name(rp, d),
						 &name_st, &h)) < 0)
			return rc;
		if (st->low_agreement &&
		    (rc = ctm_draw__text_measure(rp->doc, NAME_W, "low agreement", &warn_st, &wh)) <
			    0)
			return rc;
		double rh = fmax(22, h + wh + 8);
		if (row_h)
			row_h[d] = rh;
		*total += rh;
	}
	return 0;
}

/* Dimension means as horizontal bars from 1, with 95% CI whiskers and
 * target diamonds; a low-agreement line under the name. */
static int draw_means(ctm_report_state *rp)
{
	double *row_h = NULL;
	int rc = CTM_OK;
	size_t L = rp->levels;
	ctm_draw_text_style name_st = { .size = 9,
					.line_height = 1.15,
					.max_lines = CTM_REPORT_LABEL_LINES };
	ctm_draw_text_style warn_st = { .size = 7.5,
					.color = CTM_REPORT_AMBER_TEXT,
					.line_height = 1.15 };

	if (!(row_h = calloc(rp->dims, sizeof(*row_h))))
		return CTM_ENOMEM;
	double plot_l = rp->box.left + NAME_W + 10, plot_r = rp->box.right - 36;
	double total = 0;
	if ((rc = means_rows(rp, row_h, &total)) < 0)
		goto cleanup;
	/* The chart is kept whole unless it is taller than a page. */
	if ((rc = ctm_draw__need(rp->doc, total + 50)) < 0)
		goto cleanup;
	double top = ctm_draw__cursor(rp->doc);
	double bottom = top - total;
	ctm_draw_scale xs = { 1, (double)L, plot_l, plot_r };
	ctm_draw_axis ax = { CTM_DRAW_AXIS_BOTTOM,     bottom, xs, 1, 0, total,
			     "mean placement (level)", 8 };
	if ((rc = ctm_draw__axis_draw(rp->doc, &ax)) < 0)
		goto cleanup;
	double y = top;
	for (size_t d = 0; d < rp->dims; d++) {
		const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
		double mid = y - row_h[d] / 2, nh = 0, wh = 0;
		char v[32];
		ctm_draw__text_measure(rp->doc, NAME_W, ctm_report__dim_name(rp, d), &name_st, &nh);
		if (st->low_agreement)
			ctm_draw__text_measure(rp->doc, NAME_W, "low agreement", &warn_st, &wh);
		double ty = mid + (nh + wh) / 2 - 1;
		if ((rc = ctm_draw__text_box(rp->doc, rp->box.left, ty, NAME_W,
					     ctm_report__dim_name(rp, d), &name_st, NULL)) < 0)
			goto cleanup;
		if (st->low_agreement &&
		    (rc = ctm_draw__text_box(rp->doc, rp->box.left, ty - nh, NAME_W,
					     "low agreement", &warn_st, NULL)) < 0)
			goto cleanup;
		if (st->n == 0 || isnan(st->mean)) {
			ctm_draw_text_style ms = { .size = 8, .color = CTM_REPORT_MUTED };
			if ((rc = ctm_draw__text_at(rp->doc, plot_l + 4, mid - 3, "no answers",
						    &ms)) < 0)
				goto cleanup;
		} else {
			ctm_draw_rgb fill = ctm_draw__palette(
				(size_t)(st->level > 0 ? st->level - 1 : 0), L);
			ctm_draw_paint bp = { .fill = &fill };
			if ((rc = ctm_draw__hbar(rp->doc, &xs, mid, 11, 1, st->mean, &bp)) < 0)
				goto cleanup;
			if (!isnan(st->ci_low)) {
				ctm_draw_stroke ws = { CTM_DRAW_RGB(0.1, 0.1, 0.1), 0.9, 0 };
				if ((rc = ctm_draw__whisker(rp->doc, &xs, 1, mid, st->ci_low,
							    st->ci_high, 7, &ws)) < 0)
					goto cleanup;
			}
			ctm_draw_text_style vs = { .size = 8.5,
						   .bold = 1,
						   .align = CTM_DRAW_ALIGN_RIGHT };
			if ((rc = ctm_draw__text_at(rp->doc, rp->box.right, mid - 3,
						    ctm_draw__number(v, sizeof(v), st->mean, 2),
						    &vs)) < 0)
				goto cleanup;
		}
		/* the region's previous survey: its mean as a dot on the bar */
		const ctm_item_stats *ps = rp->prev ? ctm_group_dimension(rp->prev, d) : NULL;
		if (ps && ps->n > 0 && !isnan(ps->mean)) {
			ctm_draw_rgb pc = CTM_REPORT_PREVIOUS, white = CTM_DRAW_WHITE;
			ctm_draw_paint pp = { .fill = &pc, .stroke = &white, .width = 0.8 };
			if ((rc = ctm_draw__marker(rp->doc, ctm_draw__scale_map(&xs, ps->mean), mid,
						   7.5, CTM_DRAW_MARK_CIRCLE, &pp)) < 0)
				goto cleanup;
		}
		if (!isnan(st->target)) {
			ctm_draw_rgb tc = CTM_REPORT_TARGET, white = CTM_DRAW_WHITE;
			ctm_draw_paint tp = { .fill = &tc, .stroke = &white, .width = 0.6 };
			if ((rc = ctm_draw__marker(rp->doc, ctm_draw__scale_map(&xs, st->target),
						   mid, 9, CTM_DRAW_MARK_DIAMOND, &tp)) < 0)
				goto cleanup;
		}
		y -= row_h[d];
	}
	ctm_draw__set_cursor(rp->doc, bottom - 30);
	ctm_draw_legend_item items[4] = {
		{ "mean (bar, coloured by its level)", ctm_draw__palette(L / 2, L), 0, 0 },
		{ "95% confidence interval", CTM_DRAW_BLACK, 1, 0 },
		{ "target", CTM_REPORT_TARGET, 2, CTM_DRAW_MARK_DIAMOND },
		{ NULL, CTM_REPORT_PREVIOUS, 2, CTM_DRAW_MARK_CIRCLE },
	};
	if (rp->prev)
		items[3].label = ctm_draw__printf(rp->doc, "mean in wave %s",
						  ctm_group_wave(rp->prev));
	double lh = 0;
	if ((rc = ctm_draw__legend(rp->doc, plot_l, ctm_draw__cursor(rp->doc),
				   rp->box.right - plot_l, items, rp->prev ? 4 : 3, 8, &lh)) < 0)
		goto cleanup;
	ctm_draw__advance(rp->doc, lh + 12);

cleanup:
	free(row_h);
	return rc;
}

#define RADAR_R 95.0
#define LABEL_W 112.0
#define KEY_NUM_W 14.0 /* the number before a name in the radar's key */

/* Where spoke d's label goes, for a radar centred on (cx, cy): its box's
 * left and top, and the alignment in it, for a label h tall and LABEL_W (or,
 * numbered, w) wide. Beside the rim: above it for the upper spokes, below for
 * the lower, centred beside it at the sides. */
static void radar_label_place(const ctm_report_state *rp, size_t d, double cx, double cy,
			      double w, double h, double *bx, double *by, ctm_draw_align *align)
{
	double ang = CTM_REPORT_PI / 2 - 2 * CTM_REPORT_PI * (double)d / (double)rp->dims;
	double c = cos(ang), s = sin(ang);
	double x = cx + (RADAR_R + 8) * c, y = cy + (RADAR_R + 8) * s;
	if (c > 0.2) {
		*align = CTM_DRAW_ALIGN_LEFT;
		*bx = x;
	} else if (c < -0.2) {
		*align = CTM_DRAW_ALIGN_RIGHT;
		*bx = x - w;
	} else {
		*align = CTM_DRAW_ALIGN_CENTER;
		*bx = x - w / 2;
	}
	*by = s > 0.2 ? y + h : s < -0.2 ? y : y + h / 2;
}

/* The radar's layout: whether the spokes carry numbers (with the names in a
 * key under the chart) instead of the names, the tallest spoke label, and
 * the key's height. Names are used while their boxes keep 2 pt apart; with
 * many dimensions, or long names, neighbouring boxes would be drawn over
 * each other (22 dimensions: a dozen collisions), and numbers stay legible
 * to about 40 spokes. */
typedef struct radar_layout {
	int numbered;
	double label_h, key_h;
} radar_layout;

static const ctm_draw_text_style RADAR_LABEL = { .size = 8,
						 .line_height = 1.1,
						 .max_lines = CTM_REPORT_LABEL_LINES };
static const ctm_draw_text_style RADAR_NUMBER = { .size = 7.5, .bold = 1 };

static double key_col_w(const ctm_report_state *rp)
{
	return (rp->box.right - rp->box.left - 12) / 2;
}

static int radar_layout_of(ctm_report_state *rp, radar_layout *lay)
{
	double *h = NULL;
	int rc = CTM_OK;

	*lay = (radar_layout){ 0 };
	if (!(h = calloc(rp->dims, sizeof(*h))))
		return CTM_ENOMEM;
	for (size_t d = 0; d < rp->dims; d++) {
		if ((rc = ctm_draw__text_measure(rp->doc, LABEL_W, ctm_report__dim_name(rp, d),
						 &RADAR_LABEL, &h[d])) < 0)
			goto cleanup;
		lay->label_h = fmax(lay->label_h, h[d]);
	}
	for (size_t d = 0; d < rp->dims && !lay->numbered; d++) {
		for (size_t e = d + 1; e < rp->dims && !lay->numbered; e++) {
			double ax, ay, bx, by;
			ctm_draw_align al;
			radar_label_place(rp, d, 0, 0, LABEL_W, h[d], &ax, &ay, &al);
			radar_label_place(rp, e, 0, 0, LABEL_W, h[e], &bx, &by, &al);
			lay->numbered = ax < bx + LABEL_W + 2 && bx < ax + LABEL_W + 2 &&
					ay - h[d] < by + 2 && by - h[e] < ay + 2;
		}
	}
	if (lay->numbered) {
		/* the key: names in two columns, the first holding the odd half */
		double col[2] = { 0, 0 }, kw = key_col_w(rp) - KEY_NUM_W;
		size_t half = (rp->dims + 1) / 2;
		for (size_t d = 0; d < rp->dims; d++) {
			double nh = 0;
			if ((rc = ctm_draw__text_measure(rp->doc, kw, ctm_report__dim_name(rp, d),
							 &RADAR_LABEL, &nh)) < 0)
				goto cleanup;
			col[d >= half] += nh + 2;
		}
		lay->key_h = fmax(col[0], col[1]) + 6;
		lay->label_h = RADAR_NUMBER.size * 1.25;
	}
cleanup:
	free(h);
	return rc;
}

static int radar_height(ctm_report_state *rp, double *height)
{
	radar_layout lay;
	int rc;

	if (rp->dims < 3) {
		*height = 30;
		return 0;
	}
	if ((rc = radar_layout_of(rp, &lay)) < 0)
		return rc;
	*height = 2 * RADAR_R + 2 * (lay.label_h + 10) + 24 + lay.key_h;
	return 0;
}

/* The profile: means (filled) against targets (dashed) on one radar. The
 * spoke labels are wrapped boxes beside the rim, so long names stay on the
 * page; when they would run into each other the spokes are numbered and the
 * names listed in a key under the chart. */
static int draw_radar(ctm_report_state *rp)
{
	double *means = NULL, *targets = NULL;
	int rc = CTM_OK;

	if (rp->dims < 3)
		return ctm_report__caption(
			rp, "A radar profile needs at least three dimensions; the bars "
			    "above show them all.");
	means = calloc(rp->dims, sizeof(*means));
	targets = calloc(rp->dims, sizeof(*targets));
	if (!means || !targets) {
		rc = CTM_ENOMEM;
		goto cleanup;
	}
	int any_target = 0;
	for (size_t d = 0; d < rp->dims; d++) {
		const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
		means[d] = st->mean;
		targets[d] = st->target;
		any_target |= !isnan(st->target);
	}
	/* Label boxes: the tallest leaves room above and below. */
	radar_layout lay;
	double height = 0;
	if ((rc = radar_layout_of(rp, &lay)) < 0 || (rc = radar_height(rp, &height)) < 0)
		goto cleanup;
	if ((rc = ctm_draw__need(rp->doc, height)) < 0)
		goto cleanup;
	double top = ctm_draw__cursor(rp->doc);
	ctm_draw_radar rad = { (rp->box.left + rp->box.right) / 2,
			       top - lay.label_h - 10 - RADAR_R,
			       RADAR_R,
			       rp->dims,
			       0,
			       (double)rp->levels,
			       (int)rp->levels,
			       NULL,
			       8 };
	if ((rc = ctm_draw__radar_grid(rp->doc, &rad)) < 0)
		goto cleanup;
	if (any_target) {
		ctm_draw_rgb tc = CTM_REPORT_TARGET;
		ctm_draw_paint tp = { .stroke = &tc, .width = 1.2, .dash = 3 };
		if ((rc = ctm_draw__radar_polygon(rp->doc, &rad, targets, &tp)) < 0)
			goto cleanup;
	}
	ctm_draw_rgb mc = ctm_draw__palette(1, 5), ml = ctm_draw__palette(1, 5);
	ctm_draw_paint mp = { .fill = &mc, .stroke = &ml, .width = 1.4, .opacity = 0.3 };
	if ((rc = ctm_draw__radar_polygon(rp->doc, &rad, means, &mp)) < 0)
		goto cleanup;
	for (size_t d = 0; d < rp->dims; d++) {
		const char *text = lay.numbered ? ctm_draw__printf(rp->doc, "%zu", d + 1)
						: ctm_report__dim_name(rp, d);
		ctm_draw_text_style st = lay.numbered ? RADAR_NUMBER : RADAR_LABEL;
		double w = lay.numbered ? 24 : LABEL_W, h = 0, bx, by;
		if ((rc = ctm_draw__text_measure(rp->doc, w, text, &st, &h)) < 0)
			goto cleanup;
		radar_label_place(rp, d, rad.cx, rad.cy, w, h, &bx, &by, &st.align);
		if ((rc = ctm_draw__text_box(rp->doc, bx, by, w, text, &st, NULL)) < 0)
			goto cleanup;
	}
	ctm_draw__set_cursor(rp->doc, top - (height - lay.key_h) + 22);
	ctm_draw_legend_item items[2] = {
		{ "mean placement", ml, 0, 0 },
		{ "target", CTM_REPORT_TARGET, 1, 0 },
	};
	double lh = 0;
	if ((rc = ctm_draw__legend(rp->doc, rad.cx - 80, ctm_draw__cursor(rp->doc), 200, items,
				   any_target ? 2 : 1, 8, &lh)) < 0)
		goto cleanup;
	ctm_draw__advance(rp->doc, lh + 10);
	if (lay.numbered) {
		/* the key, in the order of the spokes: down the left column, then
		 * down the right */
		size_t half = (rp->dims + 1) / 2;
		double kw = key_col_w(rp), y0 = ctm_draw__cursor(rp->doc), y = y0;
		for (size_t d = 0; d < rp->dims; d++) {
			double x = d < half ? rp->box.left : rp->box.left + kw + 12, nh = 0;
			if (d == half)
				y = y0;
			const char *num = ctm_draw__printf(rp->doc, "%zu", d + 1);
			ctm_draw_text_style ns = RADAR_NUMBER;
			ns.size = RADAR_LABEL.size;
			ns.line_height = RADAR_LABEL.line_height;
			if ((rc = ctm_draw__text_box(rp->doc, x, y, KEY_NUM_W, num, &ns, NULL)) < 0 ||
			    (rc = ctm_draw__text_box(rp->doc, x + KEY_NUM_W, y, kw - KEY_NUM_W,
						     ctm_report__dim_name(rp, d), &RADAR_LABEL,
						     &nh)) < 0)
				goto cleanup;
			y -= nh + 2;
		}
		ctm_draw__set_cursor(rp->doc, y0 - lay.key_h);
	}

cleanup:
	free(means);
	free(targets);
	return rc;
}

static int priorities(ctm_report_state *rp)
{
	size_t n = ctm_group_priority_count(rp->g);
	const char *texts[3] = { NULL, NULL, NULL };
	double keep = 0;
	int rc;

	/* The three go with their heading, on one page: a list split at the
	 * foot of the summary leaves a line or two alone before the next part. */
	for (size_t k = 0; k < n && k < 3; k++) {
		size_t d = ctm_group_priority(rp->g, k);
		const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
		char gap[32], rwg[32], mean[32];
		double h = 0;
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb,
				   "%zu.  %s: today at level %d (%s), target %.0f — gap %s", k + 1,
				   ctm_report__dim_name(rp, d), st->level,
				   ctm_report__level_name(rp, st->level), st->target,
				   ctm_draw__number(gap, sizeof(gap), st->gap, 2));
		ctm_strbuf__printf(&rp->sb, " (mean %s).",
				   ctm_draw__number(mean, sizeof(mean), st->mean, 2));
		if (st->low_agreement)
			ctm_strbuf__printf(
				&rp->sb, " The %s do not agree on where this stands (rwg %s).",
				rp->units_word, ctm_draw__number(rwg, sizeof(rwg), st->rwg, 2));
		if (rp->sb.failed)
			return CTM_ENOMEM;
		texts[k] = ctm_draw__printf(rp->doc, "%s", rp->sb.s);
		if ((rc = ctm_draw__text_measure(rp->doc, rp->box.right - rp->box.left, texts[k],
						 NULL, &h)) < 0)
			return rc;
		keep += h + 6.25; /* and the paragraph's space after */
	}
	if ((rc = ctm_draw__need(rp->doc, fmin(keep + 45, rp->box.top - rp->box.bottom))) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Top priorities")) < 0)
		return rc;
	if (n == 0)
		return ctm_report__para(
			rp, "No dimension is below its target: every mean placement has "
			    "reached it.");
	for (size_t k = 0; k < n && k < 3; k++)
		if ((rc = ctm_report__para(rp, texts[k])) < 0)
			return rc;
	if (n > 3) {
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb, "%zu more dimension%s below target: see Gap analysis.",
				   n - 3, n - 3 == 1 ? " is" : "s are");
		if (rp->sb.failed)
			return CTM_ENOMEM;
		return ctm_report__caption(rp, rp->sb.s);
	}
	return 0;
}

/* The summary of an inventory of statements (no dimensions, no stage): how
 * the factors are made, how many lie in each band, and the lowest-rated
 * ones in words; the factor profile follows in the factors part. */
static int inventory(ctm_report_state *rp)
{
	size_t order[CTM_REPORT_MAX_LEVELS], count[CTM_REPORT_MAX_LEVELS + 1] = { 0 };
	size_t answered = 0, below = 0, none = 0;
	char a[32];
	int rc;

	ctm_strbuf__reset(&rp->sb);
	if (!rp->factors) {
		ctm_strbuf__printf(&rp->sb,
				   "The %s has %zu statement%s and no factors: each statement's "
				   "answers are summed up under Statements.",
				   ctm_rubric_title(rp->rubric), rp->statements,
				   rp->statements == 1 ? "" : "s");
		if (rp->sb.failed)
			return CTM_ENOMEM;
		return ctm_report__para(rp, rp->sb.s);
	}
	ctm_strbuf__printf(&rp->sb, "The %s has %zu statement%s in %zu factor%s, which",
			   ctm_rubric_title(rp->rubric), rp->statements,
			   rp->statements == 1 ? "" : "s", rp->factors,
			   rp->factors == 1 ? "" : "s");
	ctm_report__rating_text(rp, "");
	ctm_strbuf__printf(&rp->sb, "; a factor's mean is the mean of those values over the %s.",
			   rp->units_word);
	ctm_report__bands_sorted(rp, order);
	if (rp->bands) {
		ctm_strbuf__printf(&rp->sb, " The bands read a factor's mean:");
		for (size_t k = 0; k < rp->bands; k++)
			ctm_strbuf__printf(&rp->sb, "%s %s from %s", k ? "," : "",
					   ctm_band_name(ctm_rubric_band(rp->rubric, order[k])),
					   ctm_report__value(a, sizeof(a),
							     ctm_band_min(ctm_rubric_band(
								     rp->rubric, order[k]))));
		ctm_strbuf__printf(&rp->sb, ".");
	}
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__para(rp, rp->sb.s)) < 0)
		return rc;

	/* The answered factors by band, and the three lowest means (ties in
	 * rubric order) and the highest, for the words below. */
	size_t low[3], nlow = 0, top = SIZE_MAX;
	for (size_t f = 0; f < rp->factors; f++) {
		const ctm_item_stats *st = ctm_group_factor(rp->g, f);
		if (st->n == 0 || isnan(st->mean)) {
			none++;
			continue;
		}
		answered++;
		if (st->level >= 1 && (size_t)st->level <= rp->bands)
			count[st->level]++;
		else
			below++;
		if (top == SIZE_MAX || st->mean > ctm_group_factor(rp->g, top)->mean)
			top = f;
	}
	while (nlow < 3 && nlow < answered) {
		size_t best = SIZE_MAX;
		for (size_t f = 0; f < rp->factors; f++) {
			const ctm_item_stats *st = ctm_group_factor(rp->g, f);
			int taken = st->n == 0 || isnan(st->mean);
			for (size_t k = 0; k < nlow; k++)
				taken |= low[k] == f;
			if (!taken &&
			    (best == SIZE_MAX || st->mean < ctm_group_factor(rp->g, best)->mean))
				best = f;
		}
		low[nlow++] = best;
	}
	if (rp->bands) {
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb, "Factors by band, the highest first:");
		for (size_t k = rp->bands; k-- > 0;)
			ctm_strbuf__printf(&rp->sb, " %s %zu%s",
					   ctm_band_name(ctm_rubric_band(rp->rubric, order[k])),
					   count[order[k] + 1], k ? "," : "");
		if (below)
			ctm_strbuf__printf(&rp->sb, "; below every band %zu", below);
		if (none)
			ctm_strbuf__printf(&rp->sb, "; without answers %zu", none);
		ctm_strbuf__printf(&rp->sb, ".");
		if (rp->sb.failed)
			return CTM_ENOMEM;
		if ((rc = ctm_report__para(rp, rp->sb.s)) < 0)
			return rc;
	}

	if ((rc = ctm_draw__heading(rp->doc, 2, "Lowest-rated factors")) < 0)
		return rc;
	if (answered == 0) {
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb,
				   "No %s rated a statement in this group, so no factor has a "
				   "value.",
				   rp->unit_word);
		if (rp->sb.failed)
			return CTM_ENOMEM;
		return ctm_report__para(rp, rp->sb.s);
	}
	for (size_t k = 0; k < nlow; k++) {
		size_t f = low[k];
		const ctm_item_stats *st = ctm_group_factor(rp->g, f);
		char lo_s[32], hi_s[32], rwg[32];
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb, "%s: mean %s", ctm_report__factor_name(rp, f),
				   ctm_draw__number(a, sizeof(a), st->mean, 2));
		if (!isnan(st->ci_low))
			ctm_strbuf__printf(&rp->sb, " (95%% confidence interval %s to %s)",
					   ctm_draw__number(lo_s, sizeof(lo_s), st->ci_low, 2),
					   ctm_draw__number(hi_s, sizeof(hi_s), st->ci_high, 2));
		if (st->level > 0)
			ctm_strbuf__printf(&rp->sb, ", band %s",
					   ctm_report__band_name(rp, st->level));
		else if (rp->bands)
			ctm_strbuf__printf(&rp->sb, ", below every band");
		ctm_strbuf__printf(&rp->sb, ".");
		if (st->n == 1)
			ctm_strbuf__printf(&rp->sb, " Only one %s rated it.", rp->unit_word);
		if (st->low_agreement)
			ctm_strbuf__printf(&rp->sb, " The %s do not agree on it (rwg %s).",
					   rp->units_word,
					   ctm_draw__number(rwg, sizeof(rwg), st->rwg, 2));
		if (rp->sb.failed)
			return CTM_ENOMEM;
		if ((rc = ctm_report__para(rp, rp->sb.s)) < 0)
			return rc;
	}
	if (answered > nlow) {
		size_t f = top;
		const ctm_item_stats *st = ctm_group_factor(rp->g, f);
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb, "The highest-rated factor is %s (mean %s",
				   ctm_report__factor_name(rp, f),
				   ctm_draw__number(a, sizeof(a), st->mean, 2));
		if (st->level > 0)
			ctm_strbuf__printf(&rp->sb, ", band %s",
					   ctm_report__band_name(rp, st->level));
		ctm_strbuf__printf(&rp->sb, "). Every factor, and each of its statements, "
					    "follows under Factors.");
		if (rp->sb.failed)
			return CTM_ENOMEM;
		return ctm_report__caption(rp, rp->sb.s);
	}
	return 0;
}

int ctm_report__summary(ctm_report_state *rp)
{
	int rc;

	if ((rc = ctm_draw__page_add(rp->doc)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, "Summary")) < 0)
		return rc;
	/* the whole group is a few people: its results are their answers */
	size_t people = ctm_group_respondent_count(rp->g);
	if (people < (size_t)rp->min_n) {
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb,
				   "Only %zu %s answered in this group, fewer than %d: every "
				   "result below is a few people's answers, and says little "
				   "about the partnership as a whole. Share it with care.",
				   people, people == 1 ? "person" : "people", rp->min_n);
		if (rp->sb.failed)
			return CTM_ENOMEM;
		if ((rc = ctm_report__box(rp, CTM_REPORT_BOX_WARNING, "Few respondents",
					  rp->sb.s)) < 0)
			return rc;
	}
	if (!rp->dims && !rp->has_stage)
		return inventory(rp);
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb, "The %s runs from level 1 (%s) to level %zu (%s).",
			   ctm_rubric_title(rp->rubric), ctm_report__level_name(rp, 1), rp->levels,
			   ctm_report__level_name(rp, (int)rp->levels));
	if (rp->has_stage)
		ctm_strbuf__printf(&rp->sb,
				   " The stage is the highest level whose diagnostic questions are "
				   "attained together with every level below it.");
	else
		ctm_strbuf__printf(&rp->sb,
				   " It has no diagnostic questions, so there is no stage to "
				   "report: the summary shows where the %s place the partnership "
				   "on each of its %zu dimensions.",
				   rp->units_word, rp->dims);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__para(rp, rp->sb.s)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 4);
	if (rp->has_stage && ((rc = draw_continuum(rp)) < 0 || (rc = stage_words(rp)) < 0))
		return rc;
	if (!rp->dims)
		return 0; /* a stage from questions alone: no placements to chart */
	/* Each chart goes with its heading. When the bars do not fit below the
	 * continuum but the radar does, the radar comes first rather than
	 * leaving half a page empty. */
	double chart = 0, radar = 0;
	if ((rc = means_rows(rp, NULL, &chart)) < 0 || (rc = radar_height(rp, &radar)) < 0)
		return rc;
	double room = ctm_draw__cursor(rp->doc) - rp->box.bottom;
	int radar_first = chart + 110 > room && radar + 40 <= room;
	for (int k = 0; k < 2; k++) {
		if ((k == 0) == radar_first) {
			if ((rc = ctm_draw__need(rp->doc, radar + 40)) < 0 ||
			    (rc = ctm_draw__heading(rp->doc, 2, "Profile")) < 0 ||
			    (rc = draw_radar(rp)) < 0)
				return rc;
			continue;
		}
		if ((rc = ctm_draw__need(rp->doc,
					 fmin(chart + 110, rp->box.top - rp->box.bottom))) < 0 ||
		    (rc = ctm_draw__heading(rp->doc, 2, "Dimensions at a glance")) < 0)
			return rc;
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(
			&rp->sb,
			"Each bar is the mean of the %s' placements on a dimension, "
			"from level 1; the whisker is its 95%% confidence interval and the "
			"diamond the target.",
			rp->units_word);
		if (rp->prev)
			ctm_strbuf__printf(&rp->sb,
					   " The dot is the mean in wave %s, the region's "
					   "previous survey.",
					   ctm_group_wave(rp->prev));
		if (rp->sb.failed)
			return CTM_ENOMEM;
		if ((rc = ctm_report__caption(rp, rp->sb.s)) < 0 || (rc = draw_means(rp)) < 0)
			return rc;
	}
	return priorities(rp);
}
