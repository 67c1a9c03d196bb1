/*
 * The comparison report (PREFIX.pdf of `continuum compare`) and the
 * all-or-nothing save of the three outputs.
 *
 * Sections, each a level-1 bookmark: overview; stage and M by region and
 * wave; trends per region (small multiples); significant changes; ranking
 * per wave; variance between regions (ICC); method. Every number comes from
 * the ctm_comparison, so the PDF says what the CSV files say.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "continuum/compare.h"
#include "diag.h"
#include "draw.h"
#include "report_options.h"

/* ---- text helpers ---------------------------------------------------------- */

/* ---- the report ----------------------------------------------------------- */

typedef struct report {
	const ctm_comparison *c;
	const ctm_results *res;
	const ctm_rubric *rubric;
	ctm_draw_doc *doc;
	ctm_ctx *ctx;
	size_t regions, waves, dims, levels;
	size_t measures;               /* dimensions, then factors (ctm_comparison_measure_*) */
	int has_stage;                 /* the rubric has levelled questions: S and M */
	size_t series_from, series_to; /* the measures the trend charts draw */
	double y_lo, y_hi;             /* and their scale */
	const char *measure_word;      /* "dimension", "factor" or "dimension or factor" */
	const char *rank_words;        /* what the ranking is by, in words */
	const char *unit_word;         /* "partners" or "respondents" */
	/* the partnership's options (ctm_report_options version 3) */
	ctm_report_identity id;
	const char *title; /* id.title, or "Comparison of regions over time" */
	ctm_strbuf sb;
} report;

static const char *dim_name(const report *rp, size_t d)
{
	return ctm_comparison_measure_name(rp->c, d);
}

/* A measure's mean in a group, NaN when no unit has a value. */
static double measure_mean(const report *rp, const ctm_group *g, size_t m)
{
	const ctm_item_stats *st = ctm_comparison_measure_stats(rp->c, g, m);
	return st && st->n ? st->mean : NAN;
}

/* Region r's ranked score in wave w (NaN when it has no data then). */
static double ranked_score(const report *rp, size_t r, size_t w)
{
	for (size_t k = 0; k < ctm_comparison_ranking_count(rp->c, w); k++) {
		const ctm_rank *rk = ctm_comparison_ranking(rp->c, w, k);
		if (rk->region == r)
			return rk->score;
	}
	return NAN;
}

/* The level colour of a stage: level l of L on the shared viridis palette,
 * light grey for stage 0 (no level attained). */
static ctm_draw_rgb stage_fill(const report *rp, int stage)
{
	if (stage <= 0)
		return CTM_DRAW_LIGHT_GREY;
	return ctm_draw__palette((size_t)stage - 1, rp->levels);
}

static int para(report *rp, const char *text) { return ctm_draw__paragraph(rp->doc, text, NULL); }

/* The partnership's name, the date and the logo above the first heading,
 * when given (the logo at the right, the lines beside it narrower). */
static int identity(report *rp)
{
	ctm_draw_box box = ctm_draw__content(rp->doc);
	double y = 0, w = box.right - box.left, h = 0, lh = 0, lw = 0;
	ctm_draw_text_style org = { .size = 12, .bold = 1, .color = CTM_DRAW_RGB(0.35, 0.35, 0.35),
				    .max_lines = 2 };
	ctm_draw_text_style ds = { .size = 10.5, .color = CTM_DRAW_RGB(0.35, 0.35, 0.35) };
	int rc;

	if (!rp->id.organization && !rp->id.date && !rp->id.logo)
		return 0;
	if ((rc = ctm_draw__need(rp->doc, 80)) < 0)
		return rc;
	y = ctm_draw__cursor(rp->doc);
	if (rp->id.logo) {
		if ((rc = ctm_draw__image(rp->doc, rp->id.logo, rp->id.logo_size, rp->id.logo_path,
					  box.right - 150, y, 150, 56, &lw, &lh)) < 0)
			return rc;
		w -= lw + 18;
	}
	double top = y;
	if (rp->id.organization) {
		if ((rc = ctm_draw__text_box(rp->doc, box.left, y, w, rp->id.organization, &org, &h)) <
		    0)
			return rc;
		y -= h + 4;
	}
	if (rp->id.date) {
		const char *d = ctm_draw__printf(rp->doc, "Report of %s", rp->id.date);
		if ((rc = ctm_draw__text_box(rp->doc, box.left, y, w, d, &ds, &h)) < 0)
			return rc;
		y -= h + 4;
	}
	double used = top - y > lh ? top - y : lh;
	ctm_draw__advance(rp->doc, used + 12);
	return 0;
}

static int section_overview(report *rp)
{
	const ctm_rubric *r = rp->rubric;
	size_t tests = ctm_comparison_test_count(rp->c);
	size_t sig = ctm_comparison_significant_count(rp->c);
	int rc;

	if ((rc = identity(rp)) < 0 || (rc = ctm_draw__heading(rp->doc, 1, rp->title)) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb, "Rubric: %s (%s, version %s).\n", ctm_rubric_title(r),
			   ctm_rubric_id(r), ctm_rubric_version(r));
	ctm_strbuf__printf(&rp->sb, "%zu region%s, %zu wave%s (", rp->regions,
			   rp->regions == 1 ? "" : "s", rp->waves, rp->waves == 1 ? "" : "s");
	for (size_t w = 0; w < rp->waves; w++)
		ctm_strbuf__printf(&rp->sb, "%s%s", w ? ", " : "", ctm_comparison_wave(rp->c, w));
	ctm_strbuf__printf(&rp->sb, "), %zu groups scored; the units of analysis are %s.\n",
			   ctm_results_group_count(rp->res), rp->unit_word);
	ctm_strbuf__printf(
		&rp->sb,
		"%zu change%s in a %s's mean could be tested between consecutive "
		"waves; %zu %s significant at α\u00a0=\u00a0%.2f. Regions are ranked by %s.",
		tests, tests == 1 ? "" : "s", rp->measure_word, sig, sig == 1 ? "is" : "are",
		CTM_COMPARE_ALPHA, rp->rank_words);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return para(rp, rp->sb.s);
}

static int section_grid(report *rp)
{
	if (!rp->has_stage)
		return 0; /* no S or M to tabulate: the ranking shows the means */
	ctm_draw_column *cols = NULL;
	ctm_draw_cell *cells = NULL;
	ctm_draw_rgb *fills = NULL;
	char(*texts)[48] = NULL;
	ctm_draw_legend_item *items = NULL;
	size_t ncols = rp->waves + 1;
	int rc = CTM_ENOMEM;

	if ((rc = ctm_draw__heading(rp->doc, 1, "Stage and maturity by region and wave")) < 0)
		return rc;
	if ((rc = para(rp,
		       "Each cell shows the stage S (the highest level whose diagnostic "
		       "questions are attained together with every level below it) and the "
		       "maturity index M = S + the attainment of the next level. The colour is "
		       "the stage's level; a dash means the region has no data in that wave.")) < 0)
		return rc;
	rc = CTM_ENOMEM;
	cols = calloc(ncols, sizeof(*cols));
	cells = calloc(ncols, sizeof(*cells));
	fills = calloc(ncols, sizeof(*fills));
	texts = calloc(ncols, sizeof(*texts));
	items = calloc(rp->levels + 1, sizeof(*items));
	if (!cols || !cells || !fills || !texts || !items)
		goto cleanup;

	/* The region column takes what the waves leave, at least a quarter. */
	cols[0] = (ctm_draw_column){ "Region", 0, rp->waves > 6 ? 0.25 : 0.3, CTM_DRAW_ALIGN_LEFT };
	for (size_t w = 0; w < rp->waves; w++)
		cols[w + 1] = (ctm_draw_column){ ctm_comparison_wave(rp->c, w), 0, 0,
						 CTM_DRAW_ALIGN_CENTER };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, ncols, NULL)) < 0)
		goto cleanup;
	for (size_t r = 0; r < rp->regions; r++) {
		cells[0] = (ctm_draw_cell){ ctm_comparison_region(rp->c, r), NULL, 1 };
		for (size_t w = 0; w < rp->waves; w++) {
			const ctm_group *g = ctm_comparison_group(rp->c, r, w);
			char m[32];
			if (!g) {
				cells[w + 1] = (ctm_draw_cell){ "—", NULL, 0 };
				continue;
			}
			ctm_draw__format(texts[w + 1], sizeof(texts[w + 1]), "S %d · M %s",
					 ctm_group_stage(g),
					 ctm_draw__number(m, sizeof(m), ctm_group_maturity(g), 2));
			fills[w + 1] = stage_fill(rp, ctm_group_stage(g));
			cells[w + 1] = (ctm_draw_cell){ texts[w + 1], &fills[w + 1], 0 };
		}
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			goto cleanup;
	}
	if ((rc = ctm_draw__table_end(rp->doc)) < 0)
		goto cleanup;

	/* The key: stage 0 and every level by name. */
	items[0] = (ctm_draw_legend_item){ "S 0: no level attained", CTM_DRAW_LIGHT_GREY, 0, 0 };
	for (size_t l = 1; l <= rp->levels && l < 10; l++) {
		const char *label = ctm_draw__printf(
			rp->doc, "S %zu: %s", l,
			ctm_level_name(ctm_rubric_level(rp->rubric, l - 1)));
		items[l] = (ctm_draw_legend_item){ label, stage_fill(rp, (int)l), 0, 0 };
	}
	ctm_draw_box box = ctm_draw__content(rp->doc);
	double h = 0;
	if ((rc = ctm_draw__need(rp->doc, 40)) < 0)
		goto cleanup;
	ctm_draw__advance(rp->doc, 4);
	if ((rc = ctm_draw__legend(rp->doc, box.left, ctm_draw__cursor(rp->doc),
				   box.right - box.left, items, rp->levels + 1, 8, &h)) < 0)
		goto cleanup;
	ctm_draw__advance(rp->doc, h + 12);
	rc = CTM_OK;

cleanup:
	free(cols);
	free(cells);
	free(fills);
	free(texts);
	free(items);
	return rc;
}

/* ---- trend charts ------------------------------------------------------------ */

/* Dimension series: the first six Okabe–Ito colours (the seventh, yellow, is
 * too pale on white; black is M's), with the marker shape changing every six
 * so that a rubric with more dimensions still tells them apart. */
static ctm_draw_rgb series_color(size_t d) { return ctm_draw__palette_categorical(d % 6); }

static ctm_draw_marker_shape series_shape(size_t d)
{
	static const ctm_draw_marker_shape shapes[] = {
		CTM_DRAW_MARK_CIRCLE,
		CTM_DRAW_MARK_TRIANGLE,
		CTM_DRAW_MARK_DIAMOND,
	};
	return shapes[(d / 6) % 3];
}

#define PANEL_H 150.0
#define PANEL_GAP 18.0
#define WAVE_LABEL_W 80.0 /* pt a wave label may take beyond its own room */

/* One series over the waves the region has: line through consecutive points,
 * markers on each. xy has room for 2 * waves doubles. */
static int draw_series(report *rp, size_t r, size_t d, const ctm_draw_scale *xs,
		       const ctm_draw_scale *ys, double *xy)
{
	int is_m = d == CTM_CHANGE_STAGE, rc = 0;
	ctm_draw_rgb color = is_m ? CTM_DRAW_BLACK : series_color(d);
	ctm_draw_stroke st = { color, is_m ? 1.8 : 0.9, 0 };
	ctm_draw_paint mp = { &color, NULL, 0, 0, 0 };
	size_t n = 0;

	for (size_t w = 0; w < rp->waves; w++) {
		const ctm_group *g = ctm_comparison_group(rp->c, r, w);
		double v;
		if (!g)
			continue;
		v = is_m ? ctm_group_maturity(g) : measure_mean(rp, g, d);
		if (isnan(v))
			continue;
		xy[2 * n] = ctm_draw__scale_map(xs, (double)w);
		xy[2 * n + 1] = ctm_draw__scale_map(ys, v);
		n++;
	}
	if (n >= 2 && (rc = ctm_draw__polyline(rp->doc, xy, n, &st)) < 0)
		return rc;
	for (size_t k = 0; k < n; k++) {
		rc = ctm_draw__marker(rp->doc, xy[2 * k], xy[2 * k + 1], is_m ? 4.5 : 3.5,
				      is_m ? CTM_DRAW_MARK_SQUARE : series_shape(d), &mp);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int draw_panel(report *rp, size_t r, double x, double top, double width, double *xy)
{
	const char *name = ctm_comparison_region(rp->c, r);
	ctm_draw_text_style title = { .size = 9, .bold = 1 };
	double tw = 0;
	int rc;

	/* A long name shrinks to fit its panel rather than run into the next;
	 * at the smallest size, what is still too wide ends in "…". */
	if ((rc = ctm_draw__text_width(rp->doc, name, &title, &tw)) < 0)
		return rc;
	if (tw > width)
		title.size = fmax(5.5, 9 * width / tw);
	title.max_width = width;
	if ((rc = ctm_draw__text_at(rp->doc, x, top - title.size, name, &title)) < 0)
		return rc;

	double left = x + 24, right = x + width - 8;
	double bottom = top - PANEL_H + 16, ptop = top - 18;
	ctm_draw_scale ys = { rp->y_lo, rp->y_hi, bottom, ptop };
	ctm_draw_scale xs = { -0.5, (double)rp->waves - 0.5, left, right };
	ctm_draw_axis ya = { CTM_DRAW_AXIS_LEFT, left, ys, 1, 0, right - left, NULL, 7 };
	if ((rc = ctm_draw__axis_draw(rp->doc, &ya)) < 0)
		return rc;
	ctm_draw_stroke axis = { CTM_DRAW_RGB(0.25, 0.25, 0.25), 0.6, 0 };
	if ((rc = ctm_draw__line(rp->doc, left, bottom, right, bottom, &axis)) < 0)
		return rc;

	/* Wave labels: every k-th when they would touch each other. A label
	 * takes at most the room of a wave or WAVE_LABEL_W, whichever is more,
	 * and never more than its panel: a longer one ends in "…". */
	ctm_draw_text_style ls = { .size = 7,
				   .color = CTM_DRAW_RGB(0.25, 0.25, 0.25),
				   .align = CTM_DRAW_ALIGN_CENTER };
	double spacing = (right - left) / (double)rp->waves, maxw = 0;
	for (size_t w = 0; w < rp->waves; w++) {
		double lw = 0;
		if ((rc = ctm_draw__text_width(rp->doc, ctm_comparison_wave(rp->c, w), &ls, &lw)) <
		    0)
			return rc;
		maxw = fmax(maxw, lw);
	}
	maxw = fmin(maxw, fmax(spacing - 4, WAVE_LABEL_W));
	size_t every = (size_t)ceil((maxw + 4) / spacing);
	if (every < 1)
		every = 1;
	for (size_t w = 0; w < rp->waves; w += every) {
		double px = ctm_draw__scale_map(&xs, (double)w);
		ls.max_width = fmin(maxw, 2 * fmin(px - x, x + width - px));
		if ((rc = ctm_draw__line(rp->doc, px, bottom, px, bottom - 3, &axis)) < 0 ||
		    (rc = ctm_draw__text_at(rp->doc, px, bottom - 11, ctm_comparison_wave(rp->c, w),
					    &ls)) < 0)
			return rc;
	}
	for (size_t d = rp->series_from; d < rp->series_to; d++)
		if ((rc = draw_series(rp, r, d, &xs, &ys, xy)) < 0)
			return rc;
	return rp->has_stage ? draw_series(rp, r, CTM_CHANGE_STAGE, &xs, &ys, xy) : 0;
}

static int section_trends(report *rp)
{
	ctm_draw_legend_item *items = NULL;
	double *xy = NULL;
	int rc;

	/* The heading, its text, the legend and the first row of panels go
	 * together: a heading alone at the foot of a page says nothing. */
	if ((rc = ctm_draw__need(rp->doc, 150 + PANEL_H)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, "Trends by region")) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	if (rp->series_to > rp->series_from && rp->dims)
		ctm_strbuf__printf(&rp->sb,
				   "For each region, %seach dimension's mean placement over the "
				   "waves. Lines join the waves in which the region has data; the "
				   "scale runs from 0 to the top level.",
				   rp->has_stage
					   ? "the maturity index M (black squares, thick line) "
					     "and "
					   : "");
	else if (rp->series_to > rp->series_from)
		ctm_strbuf__printf(&rp->sb,
				   "For each region, %seach factor's mean over the waves, on the "
				   "factors' scale. Lines join the waves in which the region has "
				   "data.",
				   rp->has_stage
					   ? "the maturity index M (black squares, thick line) "
					     "and "
					   : "");
	else
		ctm_strbuf__printf(
			&rp->sb, "For each region, the maturity index M over the waves. Lines join "
				 "the waves in which the region has data; the scale runs from 0 to "
				 "the top level.");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = para(rp, rp->sb.s)) < 0)
		return rc;
	rc = CTM_ENOMEM;
	size_t nitems = 0;
	items = calloc(rp->measures + 1, sizeof(*items));
	xy = calloc(2 * rp->waves + 2, sizeof(*xy));
	if (!items || !xy)
		goto cleanup;
	if (rp->has_stage)
		items[nitems++] = (ctm_draw_legend_item){ "Maturity index M", CTM_DRAW_BLACK, 1,
							  0 };
	for (size_t d = rp->series_from; d < rp->series_to; d++)
		items[nitems++] = (ctm_draw_legend_item){ dim_name(rp, d), series_color(d), 2,
							  series_shape(d) };
	ctm_draw_box box = ctm_draw__content(rp->doc);
	double width = box.right - box.left, h = 0;
	if ((rc = ctm_draw__text_measure(rp->doc, width, "x", NULL, &h)) < 0 ||
	    (rc = ctm_draw__need(rp->doc, 30 + PANEL_H)) < 0 ||
	    (rc = ctm_draw__legend(rp->doc, box.left, ctm_draw__cursor(rp->doc), width, items,
				   nitems, 8, &h)) < 0)
		goto cleanup;
	ctm_draw__advance(rp->doc, h + 10);

	/* Two panels a row; a row never splits across pages. */
	double pw = (width - PANEL_GAP) / 2;
	for (size_t r = 0; r < rp->regions; r += 2) {
		if ((rc = ctm_draw__need(rp->doc, PANEL_H + 8)) < 0)
			goto cleanup;
		double top = ctm_draw__cursor(rp->doc);
		for (size_t k = 0; k < 2 && r + k < rp->regions; k++) {
			if ((rc = ctm_draw__bookmark(rp->doc, 2,
						     ctm_comparison_region(rp->c, r + k))) < 0 ||
			    (rc = draw_panel(rp, r + k, box.left + (double)k * (pw + PANEL_GAP),
					     top, pw, xy)) < 0)
				goto cleanup;
		}
		ctm_draw__advance(rp->doc, PANEL_H + 8);
	}
	rc = CTM_OK;

cleanup:
	free(items);
	free(xy);
	return rc;
}

/* ---- tables ------------------------------------------------------------------ */

static int section_changes(report *rp)
{
	static const ctm_draw_column cols[] = {
		{ "Region", 0, 0.24, CTM_DRAW_ALIGN_LEFT },
		{ "Measure", 0, 0.28, CTM_DRAW_ALIGN_LEFT },
		{ "Waves", 0, 0.16, CTM_DRAW_ALIGN_LEFT },
		{ "From → to", 0, 0.13, CTM_DRAW_ALIGN_CENTER },
		{ "Δ", 0, 0.08, CTM_DRAW_ALIGN_RIGHT },
		{ "p", 0, 0, CTM_DRAW_ALIGN_RIGHT },
	};
	size_t tests = ctm_comparison_test_count(rp->c),
	       sig = ctm_comparison_significant_count(rp->c);
	int rc;

	if ((rc = ctm_draw__need(rp->doc, 130)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, "Significant changes")) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	if (sig == 0)
		ctm_strbuf__printf(&rp->sb,
				   "None of the %zu tested changes in a %s's mean is significant "
				   "at α\u00a0=\u00a0%.2f.",
				   tests, rp->measure_word, CTM_COMPARE_ALPHA);
	else
		ctm_strbuf__printf(
			&rp->sb,
			"%zu of the %zu tested changes in a %s's mean %s significant "
			"at α\u00a0=\u00a0%.2f (Welch's t-test on the %s' values, two-sided). "
			"Δ is the later mean minus the earlier one.",
			sig, tests, rp->measure_word, sig == 1 ? "is" : "are", CTM_COMPARE_ALPHA,
			rp->unit_word);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = para(rp, rp->sb.s)) < 0 || sig == 0)
		return rc;
	if ((rc = ctm_draw__table_begin(rp->doc, cols, 6, &(ctm_draw_table_style){ .zebra = 1 })) <
	    0)
		return rc;
	for (size_t i = 0; i < ctm_comparison_change_count(rp->c); i++) {
		const ctm_change *ch = ctm_comparison_change(rp->c, i);
		char a[32], b[32], delta[32], p[32];
		const char *waves = "", *fromto = "";
		if (ch->significant != 1)
			continue;
		waves = ctm_draw__printf(rp->doc, "%s → %s",
					 ctm_comparison_wave(rp->c, ch->from_wave),
					 ctm_comparison_wave(rp->c, ch->to_wave));
		fromto = ctm_draw__printf(rp->doc, "%s → %s",
					  ctm_draw__number(a, sizeof(a), ch->from, 2),
					  ctm_draw__number(b, sizeof(b), ch->to, 2));
		ctm_draw_cell cells[6] = {
			{ ctm_comparison_region(rp->c, ch->region), NULL, 0 },
			{ dim_name(rp, ch->dimension), NULL, 0 },
			{ waves, NULL, 0 },
			{ fromto, NULL, 0 },
			{ ctm_draw__signed_number(delta, sizeof(delta), ch->delta, 2), NULL, 1 },
			{ ctm_draw__p_value(p, sizeof(p), ch->p), NULL, 0 },
		};
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			return rc;
	}
	return ctm_draw__table_end(rp->doc);
}

static int section_ranking(report *rp)
{
	static const ctm_draw_column stage_cols[] = {
		{ "Rank", 38, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Region", 0, 0.42, CTM_DRAW_ALIGN_LEFT },
		{ "Stage S", 50, 0, CTM_DRAW_ALIGN_CENTER },
		{ "M", 50, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Change in M", 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	static const ctm_draw_column score_cols[] = {
		{ "Rank", 38, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Region", 0, 0.46, CTM_DRAW_ALIGN_LEFT },
		{ "Mean", 60, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Change", 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	const ctm_draw_column *cols = rp->has_stage ? stage_cols : score_cols;
	size_t ncols = rp->has_stage ? 5 : 4;
	const char *heading = "";
	int rc;

	heading = ctm_draw__printf(rp->doc, "Ranking of regions by %s",
				   rp->has_stage ? "maturity" : "their mean");
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb,
			   "In each wave, the regions with data ordered by %s, highest first. "
			   "Regions whose %s is equal to 4 decimals share a rank. The change is "
			   "from the region's previous wave with data.",
			   rp->rank_words, rp->has_stage ? "M" : "mean");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_draw__heading(rp->doc, 1, heading)) < 0 || (rc = para(rp, rp->sb.s)) < 0)
		return rc;
	for (size_t w = 0; w < rp->waves; w++) {
		const char *head = "";
		head = ctm_draw__printf(rp->doc, "Wave %s", ctm_comparison_wave(rp->c, w));
		/* heading, table header and two rows on one page */
		if ((rc = ctm_draw__need(rp->doc, 90)) < 0 ||
		    (rc = ctm_draw__heading(rp->doc, 2, head)) < 0 ||
		    (rc = ctm_draw__table_begin(rp->doc, cols, ncols,
						&(ctm_draw_table_style){ .zebra = 1 })) < 0)
			return rc;
		for (size_t k = 0; k < ctm_comparison_ranking_count(rp->c, w); k++) {
			const ctm_rank *rk = ctm_comparison_ranking(rp->c, w, k);
			char rank[32], stage[16], m[32], d[32];
			const char *change;
			ctm_draw_rgb fill = stage_fill(rp, rk->stage);
			const ctm_group *prev = NULL;
			size_t pw = w;
			while (pw > 0 && !prev)
				prev = ctm_comparison_group(rp->c, rk->region, --pw);
			ctm_draw__format(rank, sizeof(rank), "%zu", rk->rank);
			ctm_draw__format(stage, sizeof(stage), "%d", rk->stage);
			if (prev)
				change = ctm_draw__printf(
					rp->doc, "%s since %s",
					ctm_draw__signed_number(
						d, sizeof(d),
						rk->score - ranked_score(rp, rk->region, pw), 2),
					ctm_comparison_wave(rp->c, pw));
			else
				change = "first wave";
			ctm_draw_cell stage_cells[5] = {
				{ rank, NULL, 0 },
				{ ctm_comparison_region(rp->c, rk->region), NULL, 0 },
				{ stage, &fill, 0 },
				{ ctm_draw__number(m, sizeof(m), rk->maturity, 2), NULL, 1 },
				{ change, NULL, 0 },
			};
			ctm_draw_cell score_cells[4] = {
				{ rank, NULL, 0 },
				{ ctm_comparison_region(rp->c, rk->region), NULL, 0 },
				{ ctm_draw__number(m, sizeof(m), rk->score, 2), NULL, 1 },
				{ change, NULL, 0 },
			};
			const ctm_draw_cell *cells = rp->has_stage ? stage_cells : score_cells;
			if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
				return rc;
		}
		if ((rc = ctm_draw__table_end(rp->doc)) < 0)
			return rc;
		ctm_draw__advance(rp->doc, 6);
	}
	return 0;
}

/* "about a third": the simple fraction nearest to x in (0, 1). */
static const char *fraction_words(double x)
{
	static const struct {
		double v;
		const char *words;
	} f[] = {
		{ 0.1, "about a tenth" },         { 0.2, "about a fifth" },
		{ 0.25, "about a quarter" },      { 1.0 / 3, "about a third" },
		{ 0.4, "about two fifths" },      { 0.5, "about half" },
		{ 0.6, "about three fifths" },    { 2.0 / 3, "about two thirds" },
		{ 0.75, "about three quarters" }, { 0.8, "about four fifths" },
		{ 0.9, "about nine tenths" },
	};
	size_t best = 0;
	if (x < 0.05)
		return "almost none";
	if (x >= 0.95)
		return "nearly all";
	for (size_t i = 1; i < sizeof(f) / sizeof(f[0]); i++)
		if (fabs(f[i].v - x) < fabs(f[best].v - x))
			best = i;
	return f[best].words;
}

static void icc_reading(report *rp, const ctm_icc *icc, char *buf, size_t size)
{
	char v1[32], v2[32];

	if (icc->regions < 2) {
		ctm_draw__format(buf, size, "Undefined: fewer than two regions have data.");
		return;
	}
	if (icc->units <= icc->regions) {
		ctm_draw__format(buf, size,
				 "Undefined: one %s per region leaves no variance within regions "
				 "(N\u00a0−\u00a0G\u00a0<\u00a01).",
				 rp->unit_word[0] == 'p' ? "partner" : "respondent");
		return;
	}
	if (isnan(icc->icc1)) {
		ctm_draw__format(buf, size, "Undefined: every region has the same mean (MSB = 0).");
		return;
	}
	ctm_draw__number(v1, sizeof(v1), icc->icc1, 2);
	ctm_draw__number(v2, sizeof(v2), icc->icc2, 2);
	const char *rel = icc->icc2 >= 0.7
				? "region means are reliable enough to tell regions apart"
			: icc->icc2 >= 0.5 ? "region means are only moderately reliable"
					   : "region means are too unreliable to rank regions";
	if (icc->icc1 <= 0)
		ctm_draw__format(buf, size,
				 "ICC(1) = %s: no more variance between regions than within them; "
				 "%s (ICC(2) = %s).",
				 v1, rel, v2);
	else
		ctm_draw__format(buf, size,
				 "ICC(1) = %s: %s of the variance in %s' values lies between "
				 "regions; %s (ICC(2) = %s).",
				 v1, fraction_words(icc->icc1), rp->unit_word, rel, v2);
}

static int section_icc(report *rp)
{
	static const ctm_draw_column cols[] = {
		{ "Measure", 0, 0.2, CTM_DRAW_ALIGN_LEFT },
		{ "G", 24, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "N", 30, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "ICC(1)", 40, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "ICC(2)", 40, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "What it means", 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	int rc;

	if ((rc = ctm_draw__heading(rp->doc, 1, "Variance between regions (ICC)")) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"How much of the spread in %s' values on a dimension or factor lies between "
		"regions rather than within them, per wave: ICC(1) is that share for a single "
		"%s's placement, ICC(2) the reliability of a region's mean (how well the "
		"regions' means can be told apart). G is the number of regions with data, N the "
		"number of %s.",
		rp->unit_word, rp->unit_word[0] == 'p' ? "partner" : "respondent", rp->unit_word);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = para(rp, rp->sb.s)) < 0)
		return rc;
	for (size_t w = 0; w < rp->waves; w++) {
		const char *head = "";
		head = ctm_draw__printf(rp->doc, "Wave %s", ctm_comparison_wave(rp->c, w));
		/* heading, table header and two rows on one page */
		if ((rc = ctm_draw__need(rp->doc, 90)) < 0 ||
		    (rc = ctm_draw__heading(rp->doc, 2, head)) < 0 ||
		    (rc = ctm_draw__table_begin(rp->doc, cols, 6,
						&(ctm_draw_table_style){ .zebra = 1 })) < 0)
			return rc;
		for (size_t d = 0; d < rp->measures; d++) {
			const ctm_icc *icc = ctm_comparison_icc(rp->c, w, d);
			char g[32], n[32], i1[32], i2[32], reading[512];
			ctm_draw__format(g, sizeof(g), "%zu", icc->regions);
			ctm_draw__format(n, sizeof(n), "%zu", icc->units);
			icc_reading(rp, icc, reading, sizeof(reading));
			ctm_draw_cell cells[6] = {
				{ dim_name(rp, d), NULL, 0 },
				{ g, NULL, 0 },
				{ n, NULL, 0 },
				{ ctm_draw__number(i1, sizeof(i1), icc->icc1, 2), NULL, 1 },
				{ ctm_draw__number(i2, sizeof(i2), icc->icc2, 2), NULL, 0 },
				{ reading, NULL, 0 },
			};
			if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
				return rc;
		}
		if ((rc = ctm_draw__table_end(rp->doc)) < 0)
			return rc;
		ctm_draw__advance(rp->doc, 6);
	}
	return 0;
}

static int section_method(report *rp)
{
	size_t tests = ctm_comparison_test_count(rp->c);
	const char *unit = rp->unit_word[0] == 'p' ? "partner" : "respondent";
	int rc;

	if ((rc = ctm_draw__heading(rp->doc, 1, "Method")) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb, "Units. Every number is computed over %s: %s", rp->unit_word,
		unit[0] == 'p'
			? "a partner's value on a dimension is the mean of its respondents' "
			  "answers, so "
			  "an organisation with ten respondents does not outweigh one with one."
			: "each respondent's answer counts once.");
	if (!rp->sb.failed && (rc = para(rp, rp->sb.s)) < 0)
		return rc;

	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"Changes. For each region and each pair of consecutive waves in which "
		"it has data, the change of a dimension's or a factor's mean, Δ = mean(later) − "
		"mean(earlier), is tested with Welch's t-test, which does not assume that "
		"the two waves have equal variances: t = Δ / √(s₁²/n₁ + s₂²/n₂), with the "
		"Welch–Satterthwaite degrees of freedom and a two-sided p. The test is "
		"undefined when either wave has fewer than two units with an answer, or "
		"when all units answered alike in both waves (both variances 0). A change "
		"is called significant when p\u00a0<\u00a0α\u00a0=\u00a0%.2f. p is shown to 4 "
		"decimals, and "
		"below 0.0001 as \"< 0.0001\" (0.0000 in the CSV file).%s",
		CTM_COMPARE_ALPHA,
		rp->has_stage ? " The stage S and the maturity index M come from the diagnostic "
				"questions and are compared descriptively: their change is not "
				"tested."
			      : "");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = para(rp, rp->sb.s)) < 0)
		return rc;

	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"Multiple comparisons. This comparison made %zu test%s. Even if nothing "
		"had changed anywhere, about 1 in %.0f tests would come out significant by chance "
		"(here about %.1f), so a single significant change is weak evidence on its own: "
		"look for changes that persist over waves or appear on several dimensions of "
		"the same region. No correction is applied; a Bonferroni-corrected threshold "
		"would be p < %.2g.",
		tests, tests == 1 ? "" : "s", 1 / CTM_COMPARE_ALPHA,
		CTM_COMPARE_ALPHA * (double)tests,
		tests ? CTM_COMPARE_ALPHA / (double)tests : CTM_COMPARE_ALPHA);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = para(rp, rp->sb.s)) < 0)
		return rc;

	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"Variance between regions. Per wave and dimension, a one-way analysis "
		"of variance of the %s' placements across the G regions with data (N units in "
		"all, n_g in region g, region means m_g, grand mean m). The mean square between "
		"regions MSB is Σ n_g (m_g − m)² divided by G\u00a0−\u00a01; the mean square "
		"within "
		"regions MSW is the sum of squared deviations of each unit from its region's "
		"mean divided by N\u00a0−\u00a0G; k = (N − Σ n_g²/N) / (G − 1) is the average "
		"region size "
		"adjusted for unequal sizes. ICC(1) = (MSB − MSW) / (MSB + (k − 1)·MSW): the "
		"share of the variance of one %s's placement that lies between regions (it can "
		"be negative when regions differ less than chance would make them). ICC(2) = "
		"(MSB − MSW) / MSB: the reliability of a region's mean. Both are undefined with "
		"fewer than two regions, with no variance left to estimate within regions "
		"(N\u00a0−\u00a0G\u00a0<\u00a01), or when all region means are equal (MSB = 0).",
		rp->unit_word, unit);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = para(rp, rp->sb.s)) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb,
			   "Ranking. In each wave the regions with data are ordered by %s, highest "
			   "first; regions equal to 4 decimals share a rank (1,\u00a02,\u00a02,"
			   "\u00a04).",
			   rp->rank_words);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return para(rp, rp->sb.s);
}

/* Draws the whole report into a new document; *out owns it. */
static int draw_report(ctm_draw_doc **out, const ctm_comparison *c,
		       const ctm_report_options *opts, ctm_ctx *ctx)
{
	report rp;
	ctm_draw_options o = CTM_DRAW_OPTIONS_INIT;
	char *title = NULL, *subject = NULL, *footer = NULL;
	int rc = CTM_ENOMEM;

	*out = NULL;
	memset(&rp, 0, sizeof(rp));
	if (opts) {
		o.paper = opts->paper == CTM_PAPER_LETTER ? CTM_DRAW_LETTER : CTM_DRAW_A4;
		o.font = opts->font;
		o.font_bold = opts->font && !opts->font_bold ? opts->font : opts->font_bold;
	}
	if ((rc = ctm_report__identity_load(&rp.id, opts, ctx)) < 0)
		goto cleanup;
	rc = CTM_ENOMEM;
	rp.title = rp.id.title ? rp.id.title : "Comparison of regions over time";
	rp.c = c;
	rp.ctx = ctx;
	rp.res = ctm_comparison_results(c);
	rp.rubric = ctm_results_rubric(rp.res);
	rp.regions = ctm_comparison_region_count(c);
	rp.waves = ctm_comparison_wave_count(c);
	rp.dims = ctm_rubric_dimension_count(rp.rubric);
	rp.levels = ctm_rubric_level_count(rp.rubric);
	rp.measures = ctm_comparison_measure_count(c);
	rp.has_stage = ctm_rubric_levelled_question_count(rp.rubric) > 0;
	/* The trend charts draw the dimensions on the levels' scale, or (a
	 * rubric without dimensions) the factors on theirs. */
	rp.series_from = 0;
	rp.series_to = rp.dims;
	rp.y_lo = 0;
	rp.y_hi = (double)rp.levels;
	if (!rp.dims && rp.measures) {
		rp.series_from = 0;
		rp.series_to = rp.measures;
		rp.y_lo = INFINITY;
		rp.y_hi = -INFINITY;
		for (size_t f = 0; f < rp.measures; f++) {
			const ctm_factor *fc = ctm_rubric_factor(rp.rubric, f);
			rp.y_lo = fmin(rp.y_lo, ctm_factor_lowest(fc));
			rp.y_hi = fmax(rp.y_hi, ctm_factor_highest(fc));
		}
	}
	rp.measure_word = !rp.dims && rp.measures ? "factor"
			: rp.measures > rp.dims   ? "dimension or factor"
						  : "dimension";
	switch (ctm_comparison_rank_by(c)) {
	case CTM_RANK_BY_MATURITY: rp.rank_words = "the maturity index M"; break;
	case CTM_RANK_BY_DIMENSION_MEAN:
		rp.rank_words = "the mean of their dimension means (the rubric has no stage)";
		break;
	case CTM_RANK_BY_FACTOR_MEAN:
		rp.rank_words = "the mean of their factor means (the rubric has no stage)";
		break;
	}
	rp.unit_word = ctm_dataset_aggregate(ctm_results_dataset(rp.res)) ==
				       CTM_AGGREGATE_RESPONDENT
			     ? "respondents"
			     : "partners";

	ctm_strbuf t = { 0 }, s = { 0 }, f = { 0 };
	ctm_strbuf__printf(&t, "%s%s%s — %s", rp.id.organization ? rp.id.organization : "",
			   rp.id.organization ? " · " : "", rp.title, ctm_rubric_title(rp.rubric));
	ctm_strbuf__printf(&s, "continuum compare: %zu regions, %zu waves, rubric %s %s",
			   rp.regions, rp.waves, ctm_rubric_id(rp.rubric),
			   ctm_rubric_version(rp.rubric));
	ctm_strbuf__printf(&f, "continuum compare · %s %s", ctm_rubric_id(rp.rubric),
			   ctm_rubric_version(rp.rubric));
	title = t.s;
	subject = s.s;
	footer = f.s;
	if (t.failed || s.failed || f.failed)
		goto cleanup;
	o.title = title;
	o.subject = subject;
	o.footer = footer;
	o.keywords = "continuum, comparison, Welch, ICC";
	o.author = rp.id.organization ? rp.id.organization : "continuum";
	if ((rc = ctm_draw__doc_new(&rp.doc, &o, ctx)) < 0)
		goto cleanup;
	if ((rc = ctm_draw__set_header(rp.doc, title)) < 0 || (rc = section_overview(&rp)) < 0 ||
	    (rp.id.notes && (rc = ctm_report__notes_page(rp.doc, rp.id.notes)) < 0) ||
	    (rc = section_grid(&rp)) < 0 || (rc = section_trends(&rp)) < 0 ||
	    (rc = section_changes(&rp)) < 0 || (rc = section_ranking(&rp)) < 0 ||
	    (rc = section_icc(&rp)) < 0 ||
	    (!(rp.id.omit & CTM_REPORT_OMIT_METHOD) && (rc = section_method(&rp)) < 0))
		goto cleanup;

cleanup:
	rc = ctm_draw__doc_hand_over(&rp.doc, out, rc, rp.sb.failed, ctx, "the comparison report");
	ctm_strbuf__free(&rp.sb);
	ctm_report__identity_free(&rp.id);
	free(title);
	free(subject);
	free(footer);
	return rc;
}

int ctm_comparison_save_pdf(const ctm_comparison *c, const char *path, ctm_ctx *ctx)
{
	return ctm_comparison_save_pdf_with(c, path, NULL, ctx);
}

int ctm_comparison_save(const ctm_comparison *c, const char *prefix, ctm_ctx *ctx)
{
	return ctm_comparison_save_with(c, prefix, NULL, ctx);
}

int ctm_comparison_save_pdf_with(const ctm_comparison *c, const char *path,
				 const ctm_report_options *opts, ctm_ctx *ctx)
{
	ctm_draw_doc *doc = NULL;
	int rc;

	if ((rc = ctm_report__options_usable(opts, "ctm_comparison_save_with", ctx)) < 0)
		return rc;
	if ((rc = draw_report(&doc, c, opts, ctx)) == CTM_OK)
		rc = ctm_draw__doc_save(doc, path);
	ctm_draw__doc_free(doc);
	return rc;
}

int ctm_comparison_save_with(const ctm_comparison *c, const char *prefix,
			     const ctm_report_options *opts, ctm_ctx *ctx)
{
	enum { CHANGES, REGIONS, PDF, FILES };
	static const char *const suffixes[FILES] = { ".csv", "-regions.csv", ".pdf" };
	ctm_draw_doc *doc = NULL;
	ctm_atomic set[FILES];
	int rc = CTM_OK;

	memset(set, 0, sizeof(set));
	if (!c || !prefix || !*prefix) {
		ctm_diag__error(ctx, NULL, 0, 0,
				"ctm_comparison_save: a comparison and a prefix are required");
		return CTM_EUSAGE;
	}
	/* The PDF is drawn in memory before any file is made; then the three
	 * are written to temporaries and committed as one set, so that a failure
	 * or a signal leaves the previous three whole. */
	if ((rc = ctm_report__options_usable(opts, "ctm_comparison_save_with", ctx)) < 0)
		return rc;
	if ((rc = draw_report(&doc, c, opts, ctx)) < 0)
		goto cleanup;
	if ((rc = ctm_atomic__begin_set(set, FILES, prefix, suffixes, ctx)) < 0)
		goto cleanup;
	/* The writers are given streams: their messages get the path here. */
	size_t since = ctm_ctx_count(ctx);
	if ((rc = ctm_comparison_write_csv(c, set[CHANGES].file, ctx)) < 0) {
		ctm_diag__name_file(ctx, since, set[CHANGES].path);
		goto cleanup;
	}
	if ((rc = ctm_comparison_write_regions_csv(c, set[REGIONS].file, ctx)) < 0) {
		ctm_diag__name_file(ctx, since, set[REGIONS].path);
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
