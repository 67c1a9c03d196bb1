/* Part 1 of the readiness report: the cover. */
#include <math.h>
#include <stdint.h>
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
	/* the name under the value has the two lines left in the tile */
	ctm_draw_text_style us = { .size = 9,
				   .color = CTM_DRAW_RGB(0.2, 0.2, 0.2),
				   .max_lines = 2 };
	double cw = 0;
	int rc;

	/* A caption wider than the tile is made smaller rather than wrapped
	 * into the value below it (at the smallest size it wraps). */
	if ((rc = ctm_draw__text_width(rp->doc, caption, &cs, &cw)) < 0)
		return rc;
	if (cw > w - 20)
		cs.size = fmax(6.5, cs.size * (w - 20) / cw);
	if ((rc = ctm_draw__rect(rp->doc, x, top - h, w, h, &p)) < 0 ||
	    (rc = ctm_draw__rect(rp->doc, x, top - 4, w, 4, &a)) < 0 ||
	    (rc = ctm_draw__text_box(rp->doc, x + 10, top - 12, w - 20, caption, &cs, NULL)) < 0 ||
	    (rc = ctm_draw__text_at(rp->doc, x + 10, top - 56, value, &vs)) < 0 ||
	    (rc = ctm_draw__text_box(rp->doc, x + 10, top - 64, w - 20, under, &us, NULL)) < 0)
		return rc;
	return 0;
}

/* The stage, the maturity index and the stage target, as three tiles whose
 * tops are at y. */
static int stage_tiles(ctm_report_state *rp, double y)
{
	const ctm_group *g = rp->g;
	double left = rp->box.left, width = rp->box.right - rp->box.left;
	char s[32], m[32], t[32], gap[32];
	const char *under[3];
	int rc;

	int stage = ctm_group_stage(g), target = ctm_group_stage_target(g);
	ctm_draw__format(s, sizeof(s), "%d", stage);
	ctm_draw__number(m, sizeof(m), ctm_group_maturity(g), 2);
	ctm_draw__format(t, sizeof(t), "%d", target);
	under[0] = stage > 0 ? ctm_report__level_name(rp, stage) : "no level attained yet";
	under[1] = ctm_draw__printf(rp->doc, "on a scale from 0 to %zu", rp->levels);
	under[2] = ctm_draw__printf(rp->doc, "%s · gap %s", ctm_report__level_name(rp, target),
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
	return 0;
}

/* One tile of the profile: how many items (dimensions or factors) are in
 * one category (a level, a band, none). */
typedef struct profile_tile {
	char caption[96], value[24]; /* numbers and fixed words */
	const char *under;           /* a level's or band's name, whole */
	ctm_draw_rgb accent;
} profile_tile;

#define PROFILE_MAX (CTM_REPORT_MAX_LEVELS + 2)

/* The dimensions by level (their mean rounded half up), and those without
 * answers; the sentence under them names the largest gap. */
static int dimension_profile(ctm_report_state *rp, profile_tile *t, size_t *nt)
{
	size_t count[CTM_REPORT_MAX_LEVELS + 1] = { 0 }, none = 0, at_target = 0;
	char v[32];

	for (size_t d = 0; d < rp->dims; d++) {
		const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
		if (st->n == 0 || st->level < 1 || (size_t)st->level > rp->levels) {
			none++;
			continue;
		}
		count[st->level]++;
		at_target += st->gap == 0;
	}
	*nt = 0;
	for (size_t l = 1; l <= rp->levels && l <= CTM_REPORT_MAX_LEVELS; l++) {
		profile_tile *p = &t[(*nt)++];
		ctm_draw__format(p->caption, sizeof(p->caption), "Level %zu", l);
		ctm_draw__format(p->value, sizeof(p->value), "%zu", count[l]);
		p->under = ctm_report__level_name(rp, (int)l);
		p->accent = ctm_draw__palette(l - 1, rp->levels);
	}
	if (none) {
		profile_tile *p = &t[(*nt)++];
		ctm_draw__format(p->caption, sizeof(p->caption), "No answers");
		ctm_draw__format(p->value, sizeof(p->value), "%zu", none);
		p->under = "no placement";
		p->accent = CTM_REPORT_UNATTAINED;
	}
	ctm_strbuf__reset(&rp->sb);
	size_t np = ctm_group_priority_count(rp->g);
	if (np == 0) {
		ctm_strbuf__printf(&rp->sb, "%s",
				   none ? "No dimension with answers is below its target."
					: "Every dimension has reached its target.");
	} else {
		size_t d = ctm_group_priority(rp->g, 0);
		const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
		if (np == rp->dims)
			ctm_strbuf__printf(&rp->sb, "%s below target",
					   np == 1 ? "The dimension is" : "Every dimension is");
		else
			ctm_strbuf__printf(&rp->sb, "%zu of the %zu dimensions %s below target", np,
					   rp->dims, np == 1 ? "is" : "are");
		ctm_strbuf__printf(&rp->sb,
				   "; the largest gap is %s, on %s (level %d, target %.0f).",
				   ctm_draw__number(v, sizeof(v), st->gap, 2),
				   ctm_report__dim_name(rp, d), st->level, st->target);
		if (at_target)
			ctm_strbuf__printf(&rp->sb, " %zu %s reached %s target.", at_target,
					   at_target == 1 ? "has" : "have",
					   at_target == 1 ? "its" : "their");
	}
	return rp->sb.failed ? CTM_ENOMEM : 0;
}

/* The factors by band (in ascending order of the bands' lower bounds), those
 * below every band and those without answers; the sentence under them names
 * the highest and the lowest factor. */
static int factor_profile(ctm_report_state *rp, profile_tile *t, size_t *nt)
{
	size_t order[CTM_REPORT_MAX_LEVELS], count[CTM_REPORT_MAX_LEVELS + 1] = { 0 };
	size_t below = 0, none = 0, answered = 0;
	size_t hi = SIZE_MAX, lo = SIZE_MAX;
	char a[32], b[32];

	for (size_t f = 0; f < rp->factors; f++) {
		const ctm_item_stats *st = ctm_group_factor(rp->g, f);
		if (st->n == 0 || isnan(st->mean)) {
			none++;
			continue;
		}
		answered++;
		if (st->level >= 1 && (size_t)st->level <= rp->bands &&
		    st->level <= CTM_REPORT_MAX_LEVELS)
			count[st->level]++;
		else
			below++;
		if (hi == SIZE_MAX || st->mean > ctm_group_factor(rp->g, hi)->mean)
			hi = f;
		if (lo == SIZE_MAX || st->mean < ctm_group_factor(rp->g, lo)->mean)
			lo = f;
	}
	ctm_report__bands_sorted(rp, order);
	*nt = 0;
	if (rp->bands && below) {
		profile_tile *p = &t[(*nt)++];
		ctm_draw__format(
			p->caption, sizeof(p->caption), "Mean below %s",
			ctm_report__value(a, sizeof(a),
					  ctm_band_min(ctm_rubric_band(rp->rubric, order[0]))));
		ctm_draw__format(p->value, sizeof(p->value), "%zu", below);
		p->under = "in no band";
		p->accent = CTM_REPORT_UNATTAINED;
	}
	for (size_t k = 0; k < rp->bands && k < CTM_REPORT_MAX_LEVELS; k++) {
		const ctm_band *bd = ctm_rubric_band(rp->rubric, order[k]);
		profile_tile *p = &t[(*nt)++];
		ctm_report__value(a, sizeof(a), ctm_band_min(bd));
		if (k + 1 < rp->bands)
			ctm_draw__format(p->caption, sizeof(p->caption), "Mean %s to below %s", a,
					 ctm_report__value(b, sizeof(b),
							   ctm_band_min(ctm_rubric_band(
								   rp->rubric, order[k + 1]))));
		else
			ctm_draw__format(p->caption, sizeof(p->caption), "Mean from %s", a);
		ctm_draw__format(p->value, sizeof(p->value), "%zu", count[order[k] + 1]);
		p->under = ctm_band_name(bd);
		p->accent = ctm_draw__palette(k, rp->bands);
	}
	if (none) {
		profile_tile *p = &t[(*nt)++];
		ctm_draw__format(p->caption, sizeof(p->caption), "No answers");
		ctm_draw__format(p->value, sizeof(p->value), "%zu", none);
		p->under = "no value";
		p->accent = CTM_REPORT_UNATTAINED;
	}
	ctm_strbuf__reset(&rp->sb);
	if (answered == 0)
		ctm_strbuf__printf(&rp->sb,
				   "No %s rated a statement in this group, so no factor has a "
				   "value.",
				   rp->unit_word);
	else if (answered == 1)
		ctm_strbuf__printf(
			&rp->sb, "Only one factor has a value: %s, mean %s.",
			ctm_report__factor_name(rp, hi),
			ctm_draw__number(a, sizeof(a), ctm_group_factor(rp->g, hi)->mean, 2));
	else
		ctm_strbuf__printf(
			&rp->sb, "Highest mean: %s (%s). Lowest mean: %s (%s).",
			ctm_report__factor_name(rp, hi),
			ctm_draw__number(a, sizeof(a), ctm_group_factor(rp->g, hi)->mean, 2),
			ctm_report__factor_name(rp, lo),
			ctm_draw__number(b, sizeof(b), ctm_group_factor(rp->g, lo)->mean, 2));
	return rp->sb.failed ? CTM_ENOMEM : 0;
}

/* The most the key figures (stage_tiles or profile) take below their top:
 * the room the cover keeps for them under the rubric's source. */
static double key_figures_height(const ctm_report_state *rp)
{
	if (rp->has_stage)
		return 92 + 26 + (rp->prev ? 12 : 0);
	/* a tile per level or band, "below every band" and "no answers" */
	size_t items = rp->dims ? rp->levels + 1 : rp->bands + 2;
	if (items > PROFILE_MAX)
		items = PROFILE_MAX;
	double rows = (double)((items + 4) / 5);
	/* two lines of the bold line, the tiles, three lines of the sentence */
	return 2 * 10.5 * 1.25 + 10 + rows * (92 + 12) + 2 + 3 * 10 * 1.25 + 22;
}

/* Without a stage, the cover's headline is the profile: how many dimensions
 * stand at each level or, for an inventory of statements, how many factors
 * lie in each band, as tiles (at most five to a row) under a line saying
 * what they count, and a sentence under them. *y is the top, and ends below
 * it all. */
static int profile(ctm_report_state *rp, double *y)
{
	profile_tile t[PROFILE_MAX];
	ctm_draw_text_style ks = { .size = 10.5, .bold = 1, .color = CTM_DRAW_RGB(0.2, 0.2, 0.2) };
	ctm_draw_text_style ss = { .size = 10,
				   .color = CTM_DRAW_RGB(0.2, 0.2, 0.2),
				   .max_lines = 3 };
	double left = rp->box.left, width = rp->box.right - rp->box.left, h = 0;
	size_t nt = 0;
	int rc;

	ctm_strbuf__reset(&rp->sb);
	if (rp->dims)
		ctm_strbuf__printf(&rp->sb,
				   "Where the %zu dimensions stand: how many are placed at each "
				   "level (the mean placement rounded half up)",
				   rp->dims);
	else if (rp->factors && rp->bands)
		ctm_strbuf__printf(&rp->sb,
				   "Where the %zu factors stand: how many have their mean in each "
				   "band",
				   rp->factors);
	else if (rp->factors)
		ctm_strbuf__printf(&rp->sb, "The %zu factors", rp->factors);
	else
		return 0; /* statements only: they are listed further on */
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_draw__text_box(rp->doc, left, *y, width, rp->sb.s, &ks, &h)) < 0)
		return rc;
	*y -= h + 10;
	if ((rc = rp->dims ? dimension_profile(rp, t, &nt) : factor_profile(rp, t, &nt)) < 0)
		return rc;
	/* dimension_profile and factor_profile leave their sentence in rp->sb */
	size_t rows = (nt + 4) / 5, per_row = rows ? (nt + rows - 1) / rows : 0;
	double tw = per_row ? (width - 12 * (double)(per_row - 1)) / (double)per_row : 0, th = 92;
	for (size_t k = 0; k < nt; k++) {
		size_t r = k / per_row, c = k % per_row;
		if ((rc = tile(rp, left + (double)c * (tw + 12), *y - (double)r * (th + 12), tw, th,
			       t[k].caption, t[k].value, t[k].under, &t[k].accent)) < 0)
			return rc;
	}
	if (rows)
		*y -= (double)rows * (th + 12) + 2;
	if ((rc = ctm_draw__text_box(rp->doc, left, *y, width, rp->sb.s, &ss, &h)) < 0)
		return rc;
	*y -= h + 22;
	return 0;
}

/* What the report holds, in rp->sb: the parts report.c draws for this
 * rubric, in their order. */
static int contents(ctm_report_state *rp)
{
	const char *parts[12];
	size_t n = 0;
	unsigned both = CTM_REPORT_OMIT_PARTNERS | CTM_REPORT_OMIT_ROLES;

	if (rp->id.notes)
		parts[n++] = "the facilitator's summary";
	parts[n++] = "the summary";
	if (rp->prev)
		parts[n++] = ctm_draw__printf(rp->doc, "the change since wave %s",
					      ctm_group_wave(rp->prev));
	if (rp->dims) {
		parts[n++] = "each dimension in detail";
		parts[n++] = "the gaps to the targets and what the next level looks like";
	} else if (rp->has_stage) {
		parts[n++] = "the questions that block the next stage";
	}
	if (rp->levelled && !(rp->id.omit & CTM_REPORT_OMIT_QUESTIONS))
		parts[n++] = "the diagnostic questions";
	if (rp->factors)
		parts[n++] = "the factors and the ratings of their statements";
	else if (rp->statements)
		parts[n++] = "the statements";
	if (rp->dims && (rp->id.omit & both) != both)
		parts[n++] = NULL; /* the units' views: worded below */
	if (ctm_rubric_comment_count(rp->rubric) && !(rp->id.omit & CTM_REPORT_OMIT_COMMENTS))
		parts[n++] = rp->partner_units ? "what the partners said in their own words"
					       : "what the respondents said in their own words";
	if (!(rp->id.omit & CTM_REPORT_OMIT_METHOD))
		parts[n++] = "how every number was computed";

	ctm_strbuf__reset(&rp->sb);
	if (rp->levels && (rp->dims || rp->has_stage))
		ctm_strbuf__printf(
			&rp->sb,
			"This report shows where the partnership stands on the continuum "
			"from level 1 (%s) to level %zu (%s): ",
			ctm_report__level_name(rp, 1), rp->levels,
			ctm_report__level_name(rp, (int)rp->levels));
	else
		ctm_strbuf__printf(&rp->sb, "This report shows how the %s rate the partnership: ",
				   rp->units_word);
	for (size_t k = 0; k < n; k++) {
		ctm_strbuf__printf(&rp->sb, "%s", k == 0 ? "" : k + 1 == n ? ", and " : ", ");
		if (parts[k])
			ctm_strbuf__printf(&rp->sb, "%s", parts[k]);
		else
			ctm_strbuf__printf(&rp->sb, "the %s' views side by side", rp->units_word);
	}
	ctm_strbuf__printf(&rp->sb, ".");
	return rp->sb.failed ? CTM_ENOMEM : 0;
}

int ctm_report__cover(ctm_report_state *rp)
{
	const ctm_rubric *r = rp->rubric;
	const ctm_group *g = rp->g;
	double left = rp->box.left, width = rp->box.right - rp->box.left, h = 0;
	const char *buf = "";
	int rc;

	if ((rc = ctm_draw__page_add(rp->doc)) < 0 ||
	    (rc = ctm_draw__bookmark(rp->doc, 1, "Cover")) < 0)
		return rc;
	double y = rp->box.top - 30;
	ctm_draw_rgb band = ctm_draw__palette(1, 5);
	ctm_draw_paint bp = { .fill = &band };
	if ((rc = ctm_draw__rect(rp->doc, left, y + 14, 60, 5, &bp)) < 0)
		return rc;
	/* The cover is one page: a long region, wave, title or source is
	 * shortened here with "…" (the table below, and the method part, give
	 * them whole), the source to the lines that leave the key figures
	 * their room above the footer. */
	ctm_draw_text_style kicker = { .size = 12, .bold = 1, .color = CTM_REPORT_MUTED };
	ctm_draw_text_style big = { .size = 30, .bold = 1, .line_height = 1.15, .max_lines = 2 };
	ctm_draw_text_style sub = { .size = 16,
				    .color = CTM_DRAW_RGB(0.2, 0.2, 0.2),
				    .max_lines = 2 };
	ctm_draw_text_style rub = {
		.size = 13, .bold = 1, .color = CTM_DRAW_RGB(0.15, 0.15, 0.15), .max_lines = 3
	};
	/* The partnership's logo in the top right corner, scaled to fit; the
	 * lines beside it are narrower, and the region starts below it. */
	double head_w = width, logo_bottom = y;
	if (rp->id.logo) {
		double lw = 0, lh = 0, max_w = 150, max_h = 56;
		if ((rc = ctm_draw__image(rp->doc, rp->id.logo, rp->id.logo_size, rp->id.logo_path,
					  rp->box.right - max_w, rp->box.top, max_w, max_h, &lw,
					  &lh)) < 0)
			return rc;
		/* drawn at the right edge: the box's slack lies to its left */
		head_w = width - lw - 18;
		logo_bottom = rp->box.top - lh - 12;
	}
	/* The organization, when given, heads the cover; the title follows. */
	ctm_draw_text_style org = { .size = 12, .bold = 1, .color = CTM_REPORT_MUTED,
				    .max_lines = 2 };
	ctm_draw_text_style named = { .size = 14, .bold = 1, .color = CTM_DRAW_RGB(0.2, 0.2, 0.2),
				      .max_lines = 2 };
	if (rp->id.organization) {
		if ((rc = ctm_draw__text_box(rp->doc, left, y, head_w, rp->id.organization, &org,
					     &h)) < 0)
			return rc;
		y -= h + 6;
		if ((rc = ctm_draw__text_box(rp->doc, left, y, head_w, rp->title, &named, &h)) < 0)
			return rc;
	} else {
		kicker.max_lines = 2;
		if ((rc = ctm_draw__text_box(rp->doc, left, y, head_w, rp->title, &kicker, &h)) < 0)
			return rc;
	}
	y -= h + 14;
	if (y > logo_bottom)
		y = logo_bottom;
	if ((rc = ctm_draw__text_box(rp->doc, left, y, width, ctm_group_region(g), &big, &h)) < 0)
		return rc;
	y -= h + 6;
	buf = ctm_draw__printf(rp->doc, "Survey wave %s", ctm_group_wave(g));
	if ((rc = ctm_draw__text_box(rp->doc, left, y, width, buf, &sub, &h)) < 0)
		return rc;
	if (rp->id.date) {
		ctm_draw_text_style ds = { .size = 11, .color = CTM_REPORT_MUTED };
		y -= h + 4;
		buf = ctm_draw__printf(rp->doc, "Report of %s", rp->id.date);
		if ((rc = ctm_draw__text_box(rp->doc, left, y, width, buf, &ds, &h)) < 0)
			return rc;
	}
	y -= h + 26;
	if ((rc = ctm_draw__text_box(rp->doc, left, y, width, ctm_rubric_title(r), &rub, &h)) < 0)
		return rc;
	y -= h + 4;
	ctm_draw_text_style small = { .size = 9.5, .color = CTM_REPORT_MUTED };
	double room = y - 26 - key_figures_height(rp) - rp->box.bottom;
	double small_lh = small.size * 1.25; /* the default line height */
	small.max_lines = room > small_lh ? (size_t)(room / small_lh) : 1;
	if ((rc = ctm_draw__text_box(rp->doc, left, y, width, ctm_rubric_source(r), &small, &h)) <
	    0)
		return rc;
	y -= h + 26;

	/* Key figures: the stage when there is one, else the profile. */
	if (rp->has_stage) {
		if ((rc = stage_tiles(rp, y)) < 0)
			return rc;
		y -= 92 + 12;
		/* today's beside the previous survey's, when the region has one */
		if (rp->prev) {
			ctm_draw_text_style ps = { .size = 9.5, .color = CTM_REPORT_MUTED };
			char m[32];
			buf = ctm_draw__printf(
				rp->doc, "In wave %s, the region's previous survey: stage %d, M %s.",
				ctm_group_wave(rp->prev), ctm_group_stage(rp->prev),
				ctm_draw__number(m, sizeof(m), ctm_group_maturity(rp->prev), 2));
			if ((rc = ctm_draw__text_box(rp->doc, left, y, width, buf, &ps, &h)) < 0)
				return rc;
			y -= h;
		}
		y -= 14;
	} else if ((rc = profile(rp, &y)) < 0) {
		return rc;
	}

	/* The facts of the data. */
	ctm_draw__set_cursor(rp->doc, y);
	static const ctm_draw_column cols[] = {
		{ NULL, 150, 0, CTM_DRAW_ALIGN_LEFT },
		{ NULL, 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	ctm_draw_table_style ts = { .size = 10, .padding = 4, .no_header = 1, .zebra = 1 };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, 2, &ts)) < 0)
		return rc;
	char partners[64], respondents[64], dims[64], qs[64], stm[160];
	const char *rubric = "", *units = "";
	rubric = ctm_draw__printf(rp->doc, "%s, version %s", ctm_rubric_id(r),
				  ctm_rubric_version(r));
	ctm_draw__format(partners, sizeof(partners), "%zu", ctm_group_partner_count(g));
	ctm_draw__format(respondents, sizeof(respondents), "%zu", ctm_group_respondent_count(g));
	units = ctm_draw__printf(rp->doc, "%s: %zu with at least one answer", rp->units_word,
				 ctm_group_unit_count(g));
	if (rp->dims)
		ctm_draw__format(dims, sizeof(dims), "%zu dimensions, %zu levels", rp->dims,
				 rp->levels);
	else
		ctm_draw__format(dims, sizeof(dims), "no dimensions, %zu levels", rp->levels);
	ctm_draw__format(qs, sizeof(qs), "%zu", rp->levelled);
	int n = snprintf(stm, sizeof(stm), "%zu", rp->statements);
	if (rp->factors && n > 0 && (size_t)n < sizeof(stm))
		n += snprintf(stm + n, sizeof(stm) - (size_t)n, " in %zu factor%s", rp->factors,
			      rp->factors == 1 ? "" : "s");
	if (rp->bands && n > 0 && (size_t)n < sizeof(stm))
		ctm_draw__format(stm + n, sizeof(stm) - (size_t)n, ", read in %zu band%s",
				 rp->bands, rp->bands == 1 ? "" : "s");
	/* Only what the rubric has: a row "0" would read as a gap in the data. */
	const char *rows[][2] = {
		{ "Region", ctm_group_region(g) },
		{ "Survey wave (date of the data)", ctm_group_wave(g) },
		{ "Partners", partners },
		{ "Respondents", respondents },
		{ "Units of analysis", units },
		{ "Rubric", rubric },
		{ "Placement items", rp->levels ? dims : NULL },
		{ "Diagnostic questions", rp->levelled ? qs : NULL },
		{ "Statements", rp->statements ? stm : NULL },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_draw_cell cells[2] = { { rows[i][0], NULL, 1 }, { rows[i][1], NULL, 0 } };
		if (rows[i][1] && (rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			return rc;
	}
	if ((rc = ctm_draw__table_end(rp->doc)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 18);

	ctm_draw_text_style note = { .size = 9, .color = CTM_REPORT_MUTED };
	if ((rc = contents(rp)) < 0)
		return rc;
	return ctm_draw__paragraph(rp->doc, rp->sb.s, &note);
}
