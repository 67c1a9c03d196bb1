/* The factors of the readiness report, after the diagnostic questions: a
 * profile of the factor means with their 95% intervals against the bands,
 * then each factor's statistics and the mean rating of each of its
 * statements; statements no factor rates are listed with their scores. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* ---- helpers the other parts share -------------------------------------------- */

void ctm_report__bands_sorted(const ctm_report_state *rp, size_t *order)
{
	size_t n = rp->bands < CTM_REPORT_MAX_LEVELS ? rp->bands : CTM_REPORT_MAX_LEVELS;

	/* Insertion sort: nine bands at most, and equal bounds keep rubric
	 * order (the loader refuses them anyway). */
	for (size_t i = 0; i < n; i++) {
		double m = ctm_band_min(ctm_rubric_band(rp->rubric, i));
		size_t k = i;
		while (k > 0 && ctm_band_min(ctm_rubric_band(rp->rubric, order[k - 1])) > m) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = i;
	}
}

const char *ctm_report__band_name(const ctm_report_state *rp, int level)
{
	if (level < 1 || (size_t)level > rp->bands)
		return "";
	return ctm_band_name(ctm_rubric_band(rp->rubric, (size_t)level - 1));
}

const char *ctm_report__factor_name(const ctm_report_state *rp, size_t f)
{
	return ctm_factor_name(ctm_rubric_factor(rp->rubric, f));
}

const char *ctm_report__value(char *buf, size_t size, double x)
{
	ctm_draw__number(buf, size, x, 2);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	return buf;
}

/* ---- local helpers ------------------------------------------------------------ */

/* The index (rubric order) of question q: the public API hands out items as
 * pointers, the group's values by index. */
static size_t question_index(const ctm_report_state *rp, const ctm_question *q)
{
	for (size_t i = 0; i < rp->questions; i++)
		if (ctm_rubric_question(rp->rubric, i) == q)
			return i;
	return SIZE_MAX;
}

/* The lowest and highest value of a scale's rated options (what a reversed
 * item is read against), and how many rated points it has. */
static void scale_range(const ctm_scale *sc, double *lo, double *hi, size_t *points)
{
	*lo = NAN;
	*hi = NAN;
	*points = 0;
	for (size_t i = 0; i < ctm_scale_option_count(sc); i++) {
		const ctm_option *op = ctm_scale_option(sc, i);
		double v = ctm_option_value(op);
		if (ctm_option_is_missing(op) || isnan(v))
			continue;
		if (!(*lo <= v))
			*lo = v;
		if (!(*hi >= v))
			*hi = v;
		(*points)++;
	}
}

/* Statement q's mean rating over the units that rated it, and how many. */
static double item_mean(const ctm_report_state *rp, size_t q, size_t *n)
{
	double sum = 0;

	*n = 0;
	for (size_t u = 0; u < rp->units; u++) {
		double v = ctm_group_unit_item_value(rp->g, u, q);
		if (isnan(v))
			continue;
		sum += v;
		(*n)++;
	}
	return *n ? sum / (double)*n : NAN;
}

/* The value range the factors share (the union of their items' ranges),
 * for the one axis of the profile. */
void ctm_report__rating_text(ctm_report_state *rp, const char *which)
{
	double lo, hi;
	int same;
	char a[32], b[32];

	ctm_report__factor_range(rp, &lo, &hi, &same);
	ctm_strbuf__printf(&rp->sb, " the %s rate", rp->units_word);
	if (same)
		ctm_strbuf__printf(&rp->sb, " from %s to %s", ctm_report__value(a, sizeof(a), lo),
				   ctm_report__value(b, sizeof(b), hi));
	ctm_strbuf__printf(&rp->sb,
			   ". A %s's value on a factor is the mean of its ratings of the "
			   "factor's statements%s%s",
			   rp->unit_word, which,
			   rp->reversed ? ", a reversed statement counted the other way round"
					: "");
}

void ctm_report__factor_range(const ctm_report_state *rp, double *lo, double *hi, int *same)
{
	*lo = NAN;
	*hi = NAN;
	*same = 1;
	for (size_t f = 0; f < rp->factors; f++) {
		const ctm_factor *fc = ctm_rubric_factor(rp->rubric, f);
		double a = ctm_factor_lowest(fc), b = ctm_factor_highest(fc);
		if (isnan(a) || isnan(b))
			continue;
		if (!isnan(*lo) && (a != *lo || b != *hi))
			*same = 0;
		*lo = isnan(*lo) ? a : fmin(*lo, a);
		*hi = isnan(*hi) ? b : fmax(*hi, b);
	}
	if (isnan(*lo)) {
		*lo = 0;
		*hi = 1;
	} else if (!(*hi > *lo)) {
		*hi = *lo + 1; /* one rated point: an axis still needs a length */
	}
}

/* The colour of a factor's bar: its band's, by the bands' order of lower
 * bounds (so that the colour climbs with the band), grey in no band. */
static ctm_draw_rgb band_color(const ctm_report_state *rp, const size_t *order, int level)
{
	if (!rp->bands)
		return ctm_draw__palette(1, 5);
	for (size_t k = 0; k < rp->bands && k < CTM_REPORT_MAX_LEVELS; k++)
		if (order[k] + 1 == (size_t)level)
			return ctm_draw__palette(k, rp->bands < 2 ? 2 : rp->bands);
	return CTM_DRAW_GREY;
}

/* ---- the profile chart -------------------------------------------------------- */

#define NAME_W 150.0
#define ROW_MIN 24.0
#define BAND_LABEL_MIN 24.0 /* narrower band regions are named in the caption only */

typedef struct chart {
	double lo, hi;         /* the value axis */
	double plot_l, plot_r; /* the bars' extent on the page */
	double right_w;        /* the column of values and band names */
	double head_h;         /* band names above the rows */
	double label_size;     /* their font size */
	double total;          /* the rows' height */
	double *row_h;         /* each row's */
	size_t order[CTM_REPORT_MAX_LEVELS];
} chart;

/* A band's region on the axis, [*x0, *x1] in page coordinates; 0 when it
 * lies outside the axis. */
static int band_region(const ctm_report_state *rp, const chart *c, size_t k, double *x0, double *x1)
{
	ctm_draw_scale xs = { c->lo, c->hi, c->plot_l, c->plot_r };
	double a = ctm_band_min(ctm_rubric_band(rp->rubric, c->order[k]));
	double b = k + 1 < rp->bands ? ctm_band_min(ctm_rubric_band(rp->rubric, c->order[k + 1]))
				     : c->hi;
	a = fmax(a, c->lo);
	b = fmin(b, c->hi);
	if (!(b > a))
		return 0;
	*x0 = ctm_draw__scale_map(&xs, a);
	*x1 = ctm_draw__scale_map(&xs, b);
	return 1;
}

/* Plans the chart: its axis, its columns, the band names' size and height
 * and each row's height (c->row_h, allocated: the caller frees it). */
static int chart_plan(ctm_report_state *rp, chart *c)
{
	ctm_draw_text_style name_st = { .size = 9,
					.line_height = 1.15,
					.max_lines = CTM_REPORT_LABEL_LINES };
	ctm_draw_text_style warn_st = { .size = 7.5, .line_height = 1.15 };
	ctm_draw_text_style band_st = { .size = 7.5,
					.line_height = 1.1,
					.max_lines = CTM_REPORT_LABEL_LINES };
	ctm_draw_text_style value_st = { .size = 8.5, .bold = 1 };
	int same, rc;

	ctm_report__factor_range(rp, &c->lo, &c->hi, &same);
	ctm_report__bands_sorted(rp, c->order);
	/* The right column holds a value and the band's name: as wide as the
	 * widest name, within reason (a longer one wraps). */
	double w = 0;
	if ((rc = ctm_draw__text_width(rp->doc, "0.00", &value_st, &w)) < 0)
		return rc;
	for (size_t b = 0; b < rp->bands; b++) {
		double bw = 0;
		if ((rc = ctm_draw__text_width(rp->doc,
					       ctm_band_name(ctm_rubric_band(rp->rubric, b)),
					       &band_st, &bw)) < 0)
			return rc;
		w = fmax(w, bw);
	}
	c->right_w = fmin(fmax(w + 2, 34), 110);
	c->plot_l = rp->box.left + NAME_W + 10;
	c->plot_r = rp->box.right - c->right_w - 12;

	/* Band names above the plot, in their regions, one size for all. */
	c->label_size = 8;
	c->head_h = 0;
	for (size_t k = 0; k < rp->bands && k < CTM_REPORT_MAX_LEVELS; k++) {
		double x0, x1;
		if (band_region(rp, c, k, &x0, &x1) && x1 - x0 >= BAND_LABEL_MIN)
			c->label_size = fmin(
				c->label_size,
				ctm_report__fit_size(
					rp, ctm_band_name(ctm_rubric_band(rp->rubric, c->order[k])),
					x1 - x0 - 8, 8, 6));
	}
	for (size_t k = 0; k < rp->bands && k < CTM_REPORT_MAX_LEVELS; k++) {
		ctm_draw_text_style ls = { .size = c->label_size,
					   .bold = 1,
					   .line_height = 1.1,
					   .max_lines = CTM_REPORT_LABEL_LINES };
		double x0, x1, h = 0;
		if (!band_region(rp, c, k, &x0, &x1) || x1 - x0 < BAND_LABEL_MIN)
			continue;
		if ((rc = ctm_draw__text_measure(
			     rp->doc, x1 - x0 - 6,
			     ctm_band_name(ctm_rubric_band(rp->rubric, c->order[k])), &ls, &h)) < 0)
			return rc;
		c->head_h = fmax(c->head_h, h + 6);
	}

	if (!(c->row_h = calloc(rp->factors ? rp->factors : 1, sizeof(*c->row_h))))
		return CTM_ENOMEM;
	c->total = 0;
	for (size_t f = 0; f < rp->factors; f++) {
		const ctm_item_stats *st = ctm_group_factor(rp->g, f);
		double nh = 0, wh = 0, bh = 0;
		if ((rc = ctm_draw__text_measure(rp->doc, NAME_W, ctm_report__factor_name(rp, f),
						 &name_st, &nh)) < 0)
			return rc;
		if (st->low_agreement &&
		    (rc = ctm_draw__text_measure(rp->doc, NAME_W, "low agreement", &warn_st, &wh)) <
			    0)
			return rc;
		if (st->level > 0 &&
		    (rc = ctm_draw__text_measure(rp->doc, c->right_w,
						 ctm_report__band_name(rp, st->level), &band_st,
						 &bh)) < 0)
			return rc;
		c->row_h[f] = fmax(ROW_MIN, fmax(nh + wh + 8, 11 + bh + 8));
		c->total += c->row_h[f];
	}
	return 0;
}

/* The band thresholds (dashed lines at the lower bounds inside the axis)
 * and the band names above the rows, from top down to bottom. */
static int chart_bands(ctm_report_state *rp, const chart *c, double top, double bottom)
{
	ctm_draw_scale xs = { c->lo, c->hi, c->plot_l, c->plot_r };
	ctm_draw_stroke ls = { CTM_REPORT_MUTED, 0.8, 3 };
	ctm_draw_text_style ts = { .size = c->label_size,
				   .bold = 1,
				   .line_height = 1.1,
				   .color = CTM_REPORT_MUTED,
				   .max_lines = CTM_REPORT_LABEL_LINES };
	int rc;

	for (size_t k = 0; k < rp->bands && k < CTM_REPORT_MAX_LEVELS; k++) {
		double m = ctm_band_min(ctm_rubric_band(rp->rubric, c->order[k])), x0, x1;
		if (m > c->lo && m < c->hi) {
			double x = ctm_draw__scale_map(&xs, m);
			if ((rc = ctm_draw__line(rp->doc, x, bottom, x, top, &ls)) < 0)
				return rc;
		}
		if (!band_region(rp, c, k, &x0, &x1) || x1 - x0 < BAND_LABEL_MIN)
			continue;
		if ((rc = ctm_draw__text_box(
			     rp->doc, x0 + 3, top - 1, x1 - x0 - 6,
			     ctm_band_name(ctm_rubric_band(rp->rubric, c->order[k])), &ts, NULL)) <
		    0)
			return rc;
	}
	return 0;
}

/* One factor's row: name (and a low-agreement line), bar from the axis'
 * start to the mean, interval whisker, and the value and band at the
 * right. */
static int chart_row(ctm_report_state *rp, const chart *c, size_t f, double y)
{
	const ctm_item_stats *st = ctm_group_factor(rp->g, f);
	ctm_draw_scale xs = { c->lo, c->hi, c->plot_l, c->plot_r };
	ctm_draw_text_style name_st = { .size = 9,
					.line_height = 1.15,
					.max_lines = CTM_REPORT_LABEL_LINES };
	ctm_draw_text_style warn_st = { .size = 7.5,
					.color = CTM_REPORT_AMBER_TEXT,
					.line_height = 1.15 };
	ctm_draw_text_style vs = { .size = 8.5, .bold = 1, .align = CTM_DRAW_ALIGN_RIGHT };
	ctm_draw_text_style bs = { .size = 7.5,
				   .line_height = 1.1,
				   .align = CTM_DRAW_ALIGN_RIGHT,
				   .color = CTM_REPORT_MUTED,
				   .max_lines = CTM_REPORT_LABEL_LINES };
	int low = st->low_agreement, rc;
	double mid = y - c->row_h[f] / 2, nh = 0, wh = 0, bh = 0;
	char v[32];

	if ((rc = ctm_draw__text_measure(rp->doc, NAME_W, ctm_report__factor_name(rp, f), &name_st,
					 &nh)) < 0 ||
	    (low &&
	     (rc = ctm_draw__text_measure(rp->doc, NAME_W, "low agreement", &warn_st, &wh)) < 0))
		return rc;
	double ty = mid + (nh + wh) / 2 - 1;
	if ((rc = ctm_draw__text_box(rp->doc, rp->box.left, ty, NAME_W,
				     ctm_report__factor_name(rp, f), &name_st, NULL)) < 0 ||
	    (low && (rc = ctm_draw__text_box(rp->doc, rp->box.left, ty - nh, NAME_W,
					     "low agreement", &warn_st, NULL)) < 0))
		return rc;
	if (st->n == 0 || isnan(st->mean)) {
		ctm_draw_text_style ms = { .size = 8, .color = CTM_REPORT_MUTED };
		return ctm_draw__text_at(rp->doc, c->plot_l + 4, mid - 3, "no answers", &ms);
	}
	ctm_draw_rgb fill = band_color(rp, c->order, st->level);
	ctm_draw_paint bp = { .fill = &fill };
	if ((rc = ctm_draw__hbar(rp->doc, &xs, mid, 11, c->lo, st->mean, &bp)) < 0)
		return rc;
	if (!isnan(st->ci_low)) {
		ctm_draw_stroke ws = { CTM_DRAW_RGB(0.1, 0.1, 0.1), 0.9, 0 };
		if ((rc = ctm_draw__whisker(rp->doc, &xs, 1, mid, st->ci_low, st->ci_high, 7,
					    &ws)) < 0)
			return rc;
	}
	/* the region's previous survey: its mean as a dot on the bar */
	const ctm_item_stats *ps = rp->prev ? ctm_group_factor(rp->prev, f) : NULL;
	if (ps && ps->n > 0 && !isnan(ps->mean)) {
		ctm_draw_rgb pc = CTM_REPORT_PREVIOUS, white = CTM_DRAW_WHITE;
		ctm_draw_paint pp = { .fill = &pc, .stroke = &white, .width = 0.8 };
		if ((rc = ctm_draw__marker(rp->doc, ctm_draw__scale_map(&xs, ps->mean), mid, 7.5,
					   CTM_DRAW_MARK_CIRCLE, &pp)) < 0)
			return rc;
	}
	const char *band = st->level > 0 ? ctm_report__band_name(rp, st->level)
			 : rp->bands     ? "no band"
					 : NULL;
	if (band && (rc = ctm_draw__text_measure(rp->doc, c->right_w, band, &bs, &bh)) < 0)
		return rc;
	double block = 9 + (band ? bh + 1 : 0), top = mid + block / 2;
	if ((rc = ctm_draw__text_at(rp->doc, rp->box.right, top - 8,
				    ctm_draw__number(v, sizeof(v), st->mean, 2), &vs)) < 0)
		return rc;
	if (band && (rc = ctm_draw__text_box(rp->doc, rp->box.right - c->right_w, top - 10,
					     c->right_w, band, &bs, NULL)) < 0)
		return rc;
	return 0;
}

/* Draws the chart planned in c at the cursor. */
static int profile_chart(ctm_report_state *rp, const chart *c)
{
	int rc;

	/* The chart is kept whole unless it is taller than a page. */
	if ((rc = ctm_draw__need(rp->doc, c->head_h + c->total + 56)) < 0)
		return rc;
	double top = ctm_draw__cursor(rp->doc), rows_top = top - c->head_h;
	double bottom = rows_top - c->total;
	ctm_draw_scale xs = { c->lo, c->hi, c->plot_l, c->plot_r };
	double step = c->hi - c->lo <= 10 ? 1 : 0;
	ctm_draw_axis ax = { CTM_DRAW_AXIS_BOTTOM,
			     bottom,
			     xs,
			     step,
			     step == 1 ? 0 : -1,
			     c->total,
			     "mean rating (the factor's value)",
			     8 };
	if ((rc = ctm_draw__axis_draw(rp->doc, &ax)) < 0 ||
	    (rc = chart_bands(rp, c, top, bottom)) < 0)
		return rc;
	double y = rows_top;
	for (size_t f = 0; f < rp->factors; f++) {
		if ((rc = chart_row(rp, c, f, y)) < 0)
			return rc;
		y -= c->row_h[f];
	}
	ctm_draw__set_cursor(rp->doc, bottom - 30);
	ctm_draw_legend_item items[4] = {
		{ rp->bands ? "mean (bar, coloured by its band)" : "mean",
		  band_color(rp, c->order, rp->bands ? (int)c->order[rp->bands / 2] + 1 : 0), 0,
		  0 },
		{ "95% confidence interval", CTM_DRAW_BLACK, 1, 0 },
	};
	size_t ni = 2;
	if (rp->bands)
		items[ni++] = (ctm_draw_legend_item){ "a band's lower bound", CTM_REPORT_MUTED, 1, 0 };
	if (rp->prev)
		items[ni++] = (ctm_draw_legend_item){
			ctm_draw__printf(rp->doc, "mean in wave %s", ctm_group_wave(rp->prev)),
			CTM_REPORT_PREVIOUS, 2, CTM_DRAW_MARK_CIRCLE
		};
	double lh = 0;
	if ((rc = ctm_draw__legend(rp->doc, c->plot_l, ctm_draw__cursor(rp->doc),
				   rp->box.right - c->plot_l, items, ni, 8, &lh)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, lh + 10);
	return 0;
}

/* ---- each factor ------------------------------------------------------------- */

/* Part k of what is said of factor f composed in rp->sb: 0, its statistics
 * in a sentence, or why it has none (a box); 1, the warning of low
 * agreement. Returns 1 and the box's kind and title (NULL for a paragraph)
 * when the factor has that part, 0 when not. */
static int numbers_text(ctm_report_state *rp, size_t f, int k, int *kind, const char **title)
{
	const ctm_item_stats *st = ctm_group_factor(rp->g, f);
	char a[32], b[32], m[32], sd[32], rwg[32], lo[32], hi[32];
	const ctm_factor *fc = ctm_rubric_factor(rp->rubric, f);

	ctm_strbuf__reset(&rp->sb);
	*kind = CTM_REPORT_BOX_NOTE;
	*title = NULL;
	if (k == 1) {
		if (!st->low_agreement)
			return 0;
		*kind = CTM_REPORT_BOX_WARNING;
		*title = "Low agreement: partners do not see this the same way";
		ctm_strbuf__printf(&rp->sb,
				   "rwg = %s, below the consensus threshold of %.2f. The %s rate "
				   "this factor differently, so the mean hides real differences: "
				   "read its band with care and talk about why views differ.",
				   ctm_draw__number(rwg, sizeof(rwg), st->rwg, 2),
				   CTM_CONSENSUS_RWG, rp->units_word);
		return rp->sb.failed ? CTM_ENOMEM : 1;
	}
	if (st->n == 0 || isnan(st->mean)) {
		*title = "No answers";
		ctm_strbuf__printf(&rp->sb,
				   "No %s rated any statement of this factor in this wave, so it "
				   "has no value.",
				   rp->unit_word);
		return rp->sb.failed ? CTM_ENOMEM : 1;
	}
	ctm_strbuf__printf(&rp->sb, "Mean %s (scale %s to %s)",
			   ctm_draw__number(m, sizeof(m), st->mean, 2),
			   ctm_report__value(lo, sizeof(lo), ctm_factor_lowest(fc)),
			   ctm_report__value(hi, sizeof(hi), ctm_factor_highest(fc)));
	if (st->level > 0)
		ctm_strbuf__printf(&rp->sb, ", band %s", ctm_report__band_name(rp, st->level));
	else if (rp->bands)
		ctm_strbuf__printf(&rp->sb, ", below every band");
	if (st->n >= 2) {
		ctm_strbuf__printf(&rp->sb,
				   ". 95%% confidence interval %s to %s; median %s; standard "
				   "deviation %s",
				   ctm_draw__number(a, sizeof(a), st->ci_low, 2),
				   ctm_draw__number(b, sizeof(b), st->ci_high, 2),
				   ctm_draw__number(lo, sizeof(lo), st->median, 2),
				   ctm_draw__number(sd, sizeof(sd), st->sd, 2));
		if (!isnan(st->rwg))
			ctm_strbuf__printf(&rp->sb, "; agreement rwg %s (%s)",
					   ctm_draw__number(rwg, sizeof(rwg), st->rwg, 2),
					   st->low_agreement ? "low agreement" : "consensus");
		ctm_strbuf__printf(&rp->sb, "; %zu %s with a value.", st->n, rp->units_word);
	} else {
		ctm_strbuf__printf(
			&rp->sb,
			". Only one %s has a value: the standard deviation, the "
			"confidence interval and the agreement rwg need at least two, and "
			"the mean is that %s's view alone.",
			rp->unit_word, rp->unit_word);
	}
	return rp->sb.failed ? CTM_ENOMEM : 1;
}

#define NUMBERS_PARTS 2
#define ITEM_PAD 3.0 /* the table's default cell padding */

/* The height factor f takes: heading, description, numbers, warning and
 * its statements' table (rows measured in the statement column). */
static int factor_height(ctm_report_state *rp, size_t f, int any_reversed, double *height)
{
	const ctm_factor *fc = ctm_rubric_factor(rp->rubric, f);
	const char *desc = ctm_factor_description(fc);
	ctm_draw_text_style cs = { .size = 8.5 }, ps = { 0 }, ts = { .size = 8.5 };
	double width = rp->box.right - rp->box.left, h = 0;
	int rc;

	*height = 40; /* the heading and the space around it */
	if (desc) {
		if ((rc = ctm_draw__text_measure(rp->doc, width, desc, &cs, &h)) < 0)
			return rc;
		*height += h + 8.5 * 1.25 * 0.5;
	}
	for (int k = 0; k < NUMBERS_PARTS; k++) {
		int kind;
		const char *title;
		if ((rc = numbers_text(rp, f, k, &kind, &title)) <= 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		if (title)
			rc = ctm_report__box_height(rp, kind, title, rp->sb.s, &h);
		else if ((rc = ctm_draw__text_measure(rp->doc, width, rp->sb.s, &ps, &h)) == 0)
			h += 10 * 1.25 * 0.5;
		if (rc < 0)
			return rc;
		*height += h;
	}
	if (ctm_group_factor(rp->g, f)->n == 0)
		return 0;
	double col = width - 28 - 66 - (any_reversed ? 66 : 0) - 2 * ITEM_PAD;
	*height += 8.5 * 1.25 + 2 * ITEM_PAD + 8; /* the header row, the space after */
	for (size_t k = 0; k < ctm_factor_item_count(fc); k++) {
		const ctm_question *q = ctm_factor_item(fc, k);
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb, "%s%s", ctm_question_text(q),
				   ctm_factor_item_reversed(fc, k) ? " (reversed)" : "");
		if (rp->sb.failed)
			return CTM_ENOMEM;
		if ((rc = ctm_draw__text_measure(rp->doc, col, rp->sb.s, &ts, &h)) < 0)
			return rc;
		*height += h + 2 * ITEM_PAD;
	}
	return 0;
}

/* The factor's numbers, or why it has none, and its warning. */
static int factor_numbers(ctm_report_state *rp, size_t f)
{
	int rc;

	for (int k = 0; k < NUMBERS_PARTS; k++) {
		int kind;
		const char *title;
		if ((rc = numbers_text(rp, f, k, &kind, &title)) <= 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		if ((rc = title ? ctm_report__box(rp, kind, title, rp->sb.s)
				: ctm_report__para(rp, rp->sb.s)) < 0)
			return rc;
	}
	return 0;
}

/* The factor's statements: how many units rated each, its mean rating and,
 * when some statement of the rubric is reversed, what it counts as. */
static int factor_items(ctm_report_state *rp, size_t f, int any_reversed)
{
	static const ctm_draw_column cols[] = {
		{ "Statement", 0, 0, CTM_DRAW_ALIGN_LEFT },
		{ "n", 28, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Mean rating", 66, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Counted as", 66, 0, CTM_DRAW_ALIGN_RIGHT },
	};
	const ctm_factor *fc = ctm_rubric_factor(rp->rubric, f);
	ctm_draw_table_style ts = { .zebra = 1, .size = 8.5 };
	size_t nc = any_reversed ? 4 : 3;
	int rc;

	if ((rc = ctm_draw__table_begin(rp->doc, cols, nc, &ts)) < 0)
		return rc;
	for (size_t k = 0; k < ctm_factor_item_count(fc); k++) {
		const ctm_question *q = ctm_factor_item(fc, k);
		int rev = ctm_factor_item_reversed(fc, k);
		size_t n = 0, points = 0;
		double lo, hi, mean = item_mean(rp, question_index(rp, q), &n);
		char nn[32], mv[32], cv[32];
		scale_range(ctm_question_scale(q), &lo, &hi, &points);
		ctm_draw__format(nn, sizeof(nn), "%zu", n);
		ctm_draw__number(mv, sizeof(mv), mean, 2);
		ctm_draw__number(cv, sizeof(cv), rev ? lo + hi - mean : mean, 2);
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb, "%s%s", ctm_question_text(q), rev ? " (reversed)" : "");
		if (rp->sb.failed)
			return CTM_ENOMEM;
		ctm_draw_cell cells[4] = {
			{ rp->sb.s, NULL, 0 },
			{ nn, NULL, 0 },
			{ mv, NULL, !any_reversed },
			{ cv, NULL, 1 },
		};
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			return rc;
	}
	return ctm_draw__table_end(rp->doc);
}

static int factor(ctm_report_state *rp, size_t f, int any_reversed)
{
	const char *desc = ctm_factor_description(ctm_rubric_factor(rp->rubric, f));
	double h = 0;
	int rc;

	/* The factor whole on one page when it fits on one (a longer table
	 * breaks, its header repeated, after the start of it). */
	if ((rc = factor_height(rp, f, any_reversed, &h)) < 0 ||
	    (rc = ctm_draw__need(rp->doc, fmax(150, h))) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, ctm_report__factor_name(rp, f))) < 0 ||
	    (desc && (rc = ctm_report__caption(rp, desc)) < 0) || (rc = factor_numbers(rp, f)) < 0)
		return rc;
	if (ctm_group_factor(rp->g, f)->n == 0)
		return 0; /* nobody rated its statements: a table of zeros says nothing more */
	if ((rc = factor_items(rp, f, any_reversed)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 8);
	return 0;
}

/* What the statements' table means: n, the mean rating and, with reversed
 * statements, what they count as (with the number itself when every
 * reversed statement's scale gives the same). */
static int items_caption(ctm_report_state *rp, int *any_reversed)
{
	double sum = NAN;
	int same = 1;

	*any_reversed = 0;
	for (size_t f = 0; f < rp->factors; f++) {
		const ctm_factor *fc = ctm_rubric_factor(rp->rubric, f);
		for (size_t k = 0; k < ctm_factor_item_count(fc); k++) {
			double lo, hi;
			size_t points;
			if (!ctm_factor_item_reversed(fc, k))
				continue;
			scale_range(ctm_question_scale(ctm_factor_item(fc, k)), &lo, &hi, &points);
			if (*any_reversed && lo + hi != sum)
				same = 0;
			sum = lo + hi;
			*any_reversed = 1;
		}
	}
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb,
			   "Under each factor, its statements: n is the number of %s who rated "
			   "the statement, and its mean rating the mean of their ratings (a "
			   "%s's rating is the mean of its respondents' answers).",
			   rp->units_word, rp->unit_word);
	if (*any_reversed) {
		char v[32];
		if (same)
			ctm_strbuf__printf(
				&rp->sb,
				" A reversed statement is worded against its factor: it "
				"counts in the factor as %s minus its rating (Counted as).",
				ctm_report__value(v, sizeof(v), sum));
		else
			ctm_strbuf__printf(
				&rp->sb,
				" A reversed statement is worded against its factor: it "
				"counts in the factor as the lowest plus the highest value "
				"of its scale minus its rating (Counted as).");
	}
	if (rp->sb.failed)
		return CTM_ENOMEM;
	/* with the first factor's start, which it explains */
	ctm_draw_text_style cs = { .size = 8.5 };
	double h = 0;
	int rc;
	if ((rc = ctm_draw__text_measure(rp->doc, rp->box.right - rp->box.left, rp->sb.s, &cs,
					 &h)) < 0 ||
	    (rc = ctm_draw__need(rp->doc, h + 150)) < 0)
		return rc;
	return ctm_report__caption(rp, rp->sb.s);
}

/* ---- statements in no factor ------------------------------------------------- */

static int in_a_factor(const ctm_report_state *rp, const ctm_question *q)
{
	for (size_t f = 0; f < rp->factors; f++) {
		const ctm_factor *fc = ctm_rubric_factor(rp->rubric, f);
		for (size_t k = 0; k < ctm_factor_item_count(fc); k++)
			if (ctm_factor_item(fc, k) == q)
				return 1;
	}
	return 0;
}

size_t ctm_report__unfactored_statements(const ctm_report_state *rp)
{
	size_t n = 0;

	for (size_t i = 0; i < rp->questions; i++) {
		const ctm_question *q = ctm_rubric_question(rp->rubric, i);
		n += ctm_question_level(q) == 0 && !in_a_factor(rp, q);
	}
	return n;
}

/* Statements (no level) that no factor rates count nowhere but their own
 * score: listed with it, so that no answer goes unreported. */
static int other_statements(ctm_report_state *rp)
{
	static const ctm_draw_column cols[] = {
		{ "Statement", 0, 0, CTM_DRAW_ALIGN_LEFT },
		{ "n", 28, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Mean score", 66, 0, CTM_DRAW_ALIGN_RIGHT },
	};
	ctm_draw_table_style ts = { .zebra = 1, .size = 8.5 };
	size_t n = ctm_report__unfactored_statements(rp);
	int rc;

	if (n == 0)
		return 0;
	if ((rc = ctm_draw__need(rp->doc, 110)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, rp->factors ? 2 : 1,
				    rp->factors ? "Statements in no factor" : "Statements")) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb,
			   "%s statement%s no level and no factor, so %s in no level's "
			   "attainment and no factor. n is the number of %s with a scored "
			   "answer; the mean score (0 to 1) is the mean of each %s's mean answer "
			   "score.",
			   n == 1 ? "This" : "These", n == 1 ? " has" : "s have",
			   n == 1 ? "it counts" : "they count", rp->units_word, rp->unit_word);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__caption(rp, rp->sb.s)) < 0 ||
	    (rc = ctm_draw__table_begin(rp->doc, cols, 3, &ts)) < 0)
		return rc;
	for (size_t i = 0; i < rp->questions; i++) {
		const ctm_question *q = ctm_rubric_question(rp->rubric, i);
		const ctm_item_stats *st = &rp->qstats[i];
		char nn[32], a[32];
		if (ctm_question_level(q) != 0 || in_a_factor(rp, q))
			continue;
		ctm_draw__format(nn, sizeof(nn), "%zu", st->n);
		ctm_draw_cell cells[3] = {
			{ ctm_question_text(q), NULL, 0 },
			{ nn, NULL, 0 },
			{ ctm_draw__number(a, sizeof(a), st->mean, 2), NULL, 1 },
		};
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			return rc;
	}
	return ctm_draw__table_end(rp->doc);
}

/* ---- the part ---------------------------------------------------------------- */

static int intro(ctm_report_state *rp)
{
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb, "Each factor groups statements that");
	ctm_report__rating_text(rp, " it rated");
	ctm_strbuf__printf(&rp->sb,
			   ". Each bar is a factor's mean over the "
			   "%s with a value, and the whisker its 95%% confidence interval%s.",
			   rp->units_word,
			   rp->bands ? "; the dashed lines are the bands' lower bounds" : "");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__para(rp, rp->sb.s);
}

/* The bands' names and bounds, and how a mean is read (lo: where the axis
 * starts, below which no mean can lie). */
static int bands_caption(ctm_report_state *rp, double lo)
{
	size_t order[CTM_REPORT_MAX_LEVELS];
	char v[32];

	if (!rp->bands)
		return 0;
	ctm_report__bands_sorted(rp, order);
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb, "Bands:");
	for (size_t k = 0; k < rp->bands && k < CTM_REPORT_MAX_LEVELS; k++)
		ctm_strbuf__printf(
			&rp->sb, "%s %s from %s", k ? "," : "",
			ctm_band_name(ctm_rubric_band(rp->rubric, order[k])),
			ctm_report__value(v, sizeof(v),
					  ctm_band_min(ctm_rubric_band(rp->rubric, order[k]))));
	ctm_strbuf__printf(&rp->sb,
			   ". A factor is in the band with the highest lower bound at or below "
			   "its mean");
	double first = ctm_band_min(ctm_rubric_band(rp->rubric, order[0]));
	if (first > lo)
		ctm_strbuf__printf(&rp->sb, "; a mean below %s is in no band",
				   ctm_report__value(v, sizeof(v), first));
	ctm_strbuf__printf(&rp->sb, ".");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__caption(rp, rp->sb.s);
}

int ctm_report__factors(ctm_report_state *rp)
{
	chart c = { 0 };
	int any_reversed = 0, rc;

	if (!rp->factors)
		return other_statements(rp);
	/* The heading and the introduction go with the whole chart. */
	if ((rc = chart_plan(rp, &c)) < 0 ||
	    (rc = ctm_draw__need(rp->doc, fmin(c.head_h + c.total + 56 + 110,
					       rp->box.top - rp->box.bottom))) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, "Factors")) < 0 || (rc = intro(rp)) < 0 ||
	    (rc = profile_chart(rp, &c)) < 0 || (rc = bands_caption(rp, c.lo)) < 0)
		goto cleanup;
	ctm_draw__advance(rp->doc, 6);
	if ((rc = items_caption(rp, &any_reversed)) < 0)
		goto cleanup;
	ctm_draw__advance(rp->doc, 4);
	for (size_t f = 0; f < rp->factors; f++)
		if ((rc = factor(rp, f, any_reversed)) < 0)
			goto cleanup;
	rc = other_statements(rp);

cleanup:
	free(c.row_h);
	return rc;
}
