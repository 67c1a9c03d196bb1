/* Part 7 of the readiness report: method and data quality. The rubric and
 * the rules in force, the formulas in words, every exclusion with its reason
 * and the perception-versus-evidence flags. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "continuum/audit.h"
#include "report_internal.h"

static int settings(ctm_report_state *rp)
{
	const ctm_rubric *r = rp->rubric;
	char minn[32], rows[160];
	const char *idv = "", *theta = "", *stage_t = "", *agg = "";
	char v[32];
	ctm_strbuf dims_t = CTM_STRBUF_INIT, bands_t = CTM_STRBUF_INIT;
	int rc;

	idv = ctm_draw__printf(rp->doc, "%s, version %s", ctm_rubric_id(r), ctm_rubric_version(r));
	theta = ctm_draw__printf(rp->doc, "θ = %s", ctm_draw__number(v, sizeof(v), rp->theta, 2));
	stage_t = ctm_draw__printf(rp->doc, "level %d (%s)", ctm_group_stage_target(rp->g),
				   ctm_report__level_name(rp, ctm_group_stage_target(rp->g)));
	ctm_draw__format(minn, sizeof(minn), "%d respondents", rp->min_n);
	/* this group's own data first: another region's counts are not its */
	size_t people = ctm_group_respondent_count(rp->g), partners = ctm_group_partner_count(rp->g);
	ctm_draw__format(rows, sizeof(rows),
			 "this group: %zu respondent%s of %zu partner%s (all files read: %zu "
			 "respondents in %zu groups)",
			 people, people == 1 ? "" : "s", partners, partners == 1 ? "" : "s",
			 ctm_dataset_row_count(ctm_results_dataset(rp->res)),
			 ctm_results_group_count(rp->res));
	agg = ctm_draw__printf(rp->doc, "by %s: %s", rp->unit_word,
			       rp->partner_units
				       ? "a partner's value is the mean of its respondents' answers"
				       : "each respondent counts once");
	/* Per-dimension targets: one line when they are all the same. */
	int same = 1;
	double first = rp->dims ? ctm_group_dimension(rp->g, 0)->target : NAN;
	for (size_t d = 1; d < rp->dims; d++)
		same &= ctm_group_dimension(rp->g, d)->target == first;
	/* Lists of user texts of any length: built whole, never cut. */
	if (same) {
		ctm_strbuf__printf(&dims_t, "level %.0f for every dimension", first);
	} else {
		for (size_t d = 0; d < rp->dims; d++)
			ctm_strbuf__printf(&dims_t, "%s%s: %.0f", d ? "; " : "",
					   ctm_report__dim_name(rp, d),
					   ctm_group_dimension(rp->g, d)->target);
	}
	/* The bands, by ascending lower bound. */
	size_t order[CTM_REPORT_MAX_LEVELS];
	ctm_report__bands_sorted(rp, order);
	for (size_t k = 0; k < rp->bands; k++) {
		const ctm_band *b = ctm_rubric_band(r, order[k]);
		ctm_strbuf__printf(&bands_t, "%s%s from %s", k ? "; " : "", ctm_band_name(b),
				   ctm_report__value(v, sizeof(v), ctm_band_min(b)));
	}
	if (dims_t.failed || bands_t.failed) {
		rc = CTM_ENOMEM;
		goto cleanup;
	}
	/* Only the rules in force: a rubric without a stage has no threshold
	 * or stage target, one without dimensions no targets or role cells. */
	const char *table[][2] = {
		{ "Rubric", ctm_rubric_title(r) },
		{ "Rubric id and version", idv },
		{ "Source", ctm_rubric_source(r) },
		{ "Aggregation", agg },
		{ "Attainment threshold", rp->has_stage ? theta : NULL },
		{ "Stage target", rp->has_stage ? stage_t : NULL },
		{ "Dimension targets", rp->dims ? dims_t.s : NULL },
		{ "Bands of the factors", rp->bands ? bands_t.s : NULL },
		{ "Smallest role cell shown (min-n)", rp->dims ? minn : NULL },
		{ "Partners shown one by one",
		  ctm_results_show_partners(rp->res)
			  ? "every one, also those with fewer than min-n respondents "
			    "(--show-partners)"
			  : "those with at least min-n respondents; the others are only "
			    "counted" },
		{ "Data read", rows },
	};
	static const ctm_draw_column cols[] = {
		{ NULL, 170, 0, CTM_DRAW_ALIGN_LEFT },
		{ NULL, 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	ctm_draw_table_style ts = { .no_header = 1, .zebra = 1, .size = 8.5 };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, 2, &ts)) < 0)
		goto cleanup;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		ctm_draw_cell cells[2] = { { table[i][0], NULL, 1 }, { table[i][1], NULL, 0 } };
		if (table[i][1] && (rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			goto cleanup;
	}
	rc = ctm_draw__table_end(rp->doc);
cleanup:
	ctm_strbuf__free(&dims_t);
	ctm_strbuf__free(&bands_t);
	return rc;
}

static int placements_rule(ctm_report_state *rp)
{
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"Placements. Each %s's value on a dimension is the mean of its "
		"respondents' answers (levels 1 to %zu); a %s without an answer is not "
		"counted. Over the n %s with a value: the mean; the sample standard deviation "
		"sd (n − 1 in the denominator); the median (the mean of the two middle values "
		"when n is even); the 95%% confidence interval, mean ∓ t(0.975, n − 1) · sd / "
		"√n, clipped to 1 to %zu; and the agreement rwg = 1 − sd² / ((L² − 1) / 12) "
		"with L = %zu levels, clipped to 0 to 1. sd, the interval and rwg need n ≥ 2. "
		"The level today is the mean rounded half up; the gap is the target minus the "
		"mean, or 0 when the mean has reached it. rwg below %.2f is reported as low "
		"agreement.",
		rp->unit_word, rp->levels, rp->unit_word, rp->units_word, rp->levels, rp->levels,
		CTM_CONSENSUS_RWG);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__para(rp, rp->sb.s);
}

static int questions_rule(ctm_report_state *rp)
{
	char th[32];

	ctm_draw__number(th, sizeof(th), rp->theta, 2);
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"Diagnostic questions. Each answer has a score from 0 to 1 given "
		"by its scale (answers marked as missing, such as “Don't know”, are left "
		"out). A question's attainment a is the mean over %s of each %s's mean "
		"score. A level's attainment A is the mean of a over its questions with "
		"answers. A level is attained when A ≥ θ = %s. The stage S is the largest "
		"level l such that levels 1 to l are all attained (0 when level 1 is not); "
		"the maturity index M = S + A of level S + 1 (just S at the top level or when "
		"that level has no answers). A level attained above one that is not is "
		"reported as an inconsistency.",
		rp->units_word, rp->unit_word, th);
	if (rp->statements)
		ctm_strbuf__printf(&rp->sb, " Statements (questions without a level) count in no "
					    "level's attainment.");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__para(rp, rp->sb.s);
}

/* The number of rated points A of factor f's rwg: the most of its items'
 * scales. */
static size_t factor_points(const ctm_report_state *rp, size_t f)
{
	const ctm_factor *fc = ctm_rubric_factor(rp->rubric, f);
	size_t most = 0;

	for (size_t k = 0; k < ctm_factor_item_count(fc); k++) {
		const ctm_scale *sc = ctm_question_scale(ctm_factor_item(fc, k));
		size_t points = 0;
		for (size_t i = 0; i < ctm_scale_option_count(sc); i++) {
			const ctm_option *op = ctm_scale_option(sc, i);
			points += !ctm_option_is_missing(op) && !isnan(ctm_option_value(op));
		}
		if (points > most)
			most = points;
	}
	return most;
}

static int factors_rule(ctm_report_state *rp)
{
	size_t points = factor_points(rp, 0);
	int same = 1;

	for (size_t f = 1; f < rp->factors; f++)
		same &= factor_points(rp, f) == points;
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"Factors. A %s's rating of a statement is the mean of its respondents' "
		"answers, each the value of the option chosen (answers marked as missing are "
		"left out).%s A %s's value on a factor is the "
		"mean of its ratings over the factor's statements it rated; a %s that rated "
		"none of them is not counted. Over the n %s with a value: the mean; the sample "
		"standard deviation sd (n − 1 in the denominator); the median; the 95%% "
		"confidence interval, mean ∓ t(0.975, n − 1) · sd / √n, clipped to the range "
		"of the values of the factor's statements; and the agreement rwg = 1 − sd² / "
		"((A² − 1) / 12), clipped to 0 to 1, with A the number of rated points of "
		"the scales of the factor's statements (the largest when they differ",
		rp->unit_word,
		rp->reversed ? " A reversed statement counts in its factor as the lowest plus the "
			       "highest value of its scale minus the rating."
			     : "",
		rp->unit_word, rp->unit_word, rp->units_word);
	if (same)
		ctm_strbuf__printf(&rp->sb, "; here A = %zu", points);
	ctm_strbuf__printf(&rp->sb,
			   "). sd, the interval and rwg need n ≥ 2; rwg below %.2f is reported "
			   "as low agreement. A statement's mean rating is the mean of the "
			   "ratings of the %s who rated it, as answered%s.",
			   CTM_CONSENSUS_RWG, rp->units_word,
			   rp->reversed ? " (before any reversal)" : "");
	if (rp->bands)
		ctm_strbuf__printf(&rp->sb,
				   " A factor is in the band with the highest lower bound at or "
				   "below its mean, and in none when its mean is below every "
				   "band's.");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__para(rp, rp->sb.s);
}

static int statements_rule(ctm_report_state *rp)
{
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb,
			   "Statements in no factor. Each answer has a score from 0 to 1 given "
			   "by its scale (answers marked as missing are left out). A statement's "
			   "mean score is the mean over %s of each %s's mean score; having no "
			   "level, it counts in no level's attainment.",
			   rp->units_word, rp->unit_word);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__para(rp, rp->sb.s);
}

/* The rules of the gap analysis and the flags, for what the rubric has:
 * dimensions (priorities, next steps, divergence), a stage (blocking
 * questions), both (perception against evidence). */
static int gaps_rule(ctm_report_state *rp)
{
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb, "Gaps.");
	if (rp->dims)
		ctm_strbuf__printf(&rp->sb,
				   " Priorities are the dimensions with a gap, the largest first, "
				   "then the lower agreement, then the rubric's order. The next "
				   "steps of a dimension are the descriptors of the levels above "
				   "today's up to the target.");
	if (rp->has_stage)
		ctm_strbuf__printf(&rp->sb,
				   " Blocking questions are those of the levels above the stage "
				   "up to the stage target whose a is below θ.");
	if (rp->dims)
		ctm_strbuf__printf(&rp->sb,
				   " A partner is divergent on a dimension when its value is 2 or "
				   "more levels from the median.");
	if (rp->dims && rp->has_stage)
		ctm_strbuf__printf(&rp->sb,
				   " A dimension whose level differs from the stage by 2 or more "
				   "is flagged as perception versus evidence: what partners say "
				   "about the partnership and what the diagnostic questions show "
				   "do not match.");
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__para(rp, rp->sb.s);
}

static int formulas(ctm_report_state *rp)
{
	int rc;

	if ((rc = ctm_draw__need(rp->doc, 120)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "How the numbers are computed")) < 0 ||
	    (rp->dims && (rc = placements_rule(rp)) < 0) ||
	    (rp->levelled && (rc = questions_rule(rp)) < 0) ||
	    (rp->factors && (rc = factors_rule(rp)) < 0) ||
	    (ctm_report__unfactored_statements(rp) && (rc = statements_rule(rp)) < 0) ||
	    ((rp->dims || rp->has_stage) && (rc = gaps_rule(rp)) < 0))
		return rc;
	return 0;
}

static int exclusions(ctm_report_state *rp)
{
	const ctm_dataset *ds = ctm_results_dataset(rp->res);
	size_t n = ctm_group_exclusion_count(rp->g), all = ctm_dataset_exclusion_count(ds);
	size_t rows = 0, cells = 0;
	int rc;

	if ((rc = ctm_draw__need(rp->doc, 90)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Data left out")) < 0)
		return rc;
	/* what the rest of the data lost, counted, never listed here: another
	 * region's rows are not this report's business */
	for (size_t i = 0; i < all; i++) {
		const ctm_exclusion *e = ctm_dataset_exclusion(ds, i);
		size_t mine = 0;
		for (size_t k = 0; k < n; k++)
			if (ctm_group_exclusion(rp->g, k)->reason == e->reason)
				mine = ctm_group_exclusion(rp->g, k)->count;
		*(e->whole_rows ? &rows : &cells) += e->count - mine;
	}
	ctm_strbuf__reset(&rp->sb);
	if (n == 0)
		ctm_strbuf__printf(&rp->sb, "No cell or row of this group was left out.");
	else if (ctm_dataset_lenient(ds))
		ctm_strbuf__printf(&rp->sb, "Responses read leniently: these invalid cells and rows "
					    "of this group were left out (cells counted as missing "
					    "answers), and the rows below.");
	else
		ctm_strbuf__printf(&rp->sb, "These rows of this group were left out.");
	if (rows || cells) {
		ctm_strbuf__printf(&rp->sb,
				   " Elsewhere in the files read (other groups, or rows of no "
				   "group such as a survey preview) ");
		if (rows)
			ctm_strbuf__printf(&rp->sb, "%zu row%s", rows, rows == 1 ? "" : "s");
		if (rows && cells)
			ctm_strbuf__printf(&rp->sb, " and ");
		if (cells)
			ctm_strbuf__printf(&rp->sb, "%zu cell%s", cells, cells == 1 ? "" : "s");
		ctm_strbuf__printf(&rp->sb, " %s left out: continuum audit lists them.",
				   rows + cells == 1 ? "was" : "were");
	}
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__para(rp, rp->sb.s)) < 0 || n == 0)
		return rc;
	static const ctm_draw_column cols[] = {
		{ "Reason", 0, 0, CTM_DRAW_ALIGN_LEFT },
		{ "Left out", 70, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "First seen", 0, 0.34, CTM_DRAW_ALIGN_LEFT },
	};
	ctm_draw_table_style ts = { .zebra = 1, .size = 8.5 };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, 3, &ts)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const ctm_exclusion *e = ctm_group_exclusion(rp->g, i);
		const char *count = "", *where = "";
		count = ctm_draw__printf(rp->doc, "%zu %s%s", e->count,
					 e->whole_rows ? "row" : "cell", e->count == 1 ? "" : "s");
		char pos[48];
		if (e->first_file)
			where = ctm_draw__printf(rp->doc, "%s%s", e->first_file,
						 ctm_exclusion_position(e, pos, sizeof(pos)));
		else
			where = ctm_draw__printf(rp->doc, "—");
		ctm_draw_cell cells_row[3] = { { e->reason, NULL, 0 },
					       { count, NULL, 1 },
					       { where, NULL, 0 } };
		if ((rc = ctm_draw__table_row(rp->doc, cells_row)) < 0)
			return rc;
	}
	return ctm_draw__table_end(rp->doc);
}

/* The audit's findings about this group, and those about every group (an
 * input given twice), so that a reader of the report knows what could move
 * its numbers (continuum audit has them all). */
static int findings(ctm_report_state *rp)
{
	const ctm_dataset *ds = ctm_results_dataset(rp->res);
	const char *region = ctm_group_region(rp->g), *wave = ctm_group_wave(rp->g);
	ctm_audit *own = NULL;
	size_t shown = 0;
	int rc = rp->audit ? CTM_OK : ctm_audit_run(&own, ds, NULL);
	const ctm_audit *audit = rp->audit ? rp->audit : own;

	if (rc != CTM_OK)
		return rc;
	for (size_t i = 0; rc >= 0 && i < ctm_audit_finding_count(audit); i++) {
		const ctm_finding *f = ctm_audit_finding(audit, i);
		int ours = f->region && strcmp(f->region, region) == 0 &&
			   (f->kind == CTM_FINDING_ONE_WAVE || strcmp(f->wave, wave) == 0);
		if (!ours && f->kind != CTM_FINDING_REPEATED_INPUT)
			continue;
		if (shown++ == 0 &&
		    ((rc = ctm_draw__need(rp->doc, 60)) < 0 ||
		     (rc = ctm_draw__heading(rp->doc, 2, "Checks of the data")) < 0 ||
		     (rc = ctm_report__para(
			      rp, "What continuum audit found in this group's data that can move "
				  "its numbers or their comparison; fix it with --aliases or "
				  "--exclude and make the report again.")) < 0))
			break;
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb, "• %s", f->message);
		if (rp->sb.failed)
			rc = CTM_ENOMEM;
		else
			rc = ctm_report__para(rp, rp->sb.s);
	}
	ctm_audit_free(own);
	return rc < 0 ? rc : 0;
}

static int perception(ctm_report_state *rp)
{
	size_t flagged = 0;
	int S = ctm_group_stage(rp->g), rc;

	for (size_t d = 0; d < rp->dims; d++)
		flagged += ctm_group_dimension(rp->g, d)->perception_flag != 0;
	ctm_strbuf__reset(&rp->sb);
	if (flagged == 0) {
		ctm_strbuf__printf(
			&rp->sb,
			"Every dimension's level is within one level of the stage "
			"(%d): the placements and the diagnostic questions tell the same story.",
			S);
	} else {
		ctm_strbuf__printf(&rp->sb,
				   "The level of %zu dimension%s is 2 or more levels from the "
				   "stage S = %d, which the diagnostic questions show: ",
				   flagged, flagged == 1 ? "" : "s", S);
		size_t k = 0;
		for (size_t d = 0; d < rp->dims; d++) {
			const ctm_item_stats *st = ctm_group_dimension(rp->g, d);
			if (!st->perception_flag)
				continue;
			ctm_strbuf__printf(&rp->sb, "%s%s (level %d)", k++ ? "; " : "",
					   ctm_report__dim_name(rp, d), st->level);
		}
		ctm_strbuf__printf(&rp->sb,
				   ". What the %s say about the partnership and what their "
				   "answers to the diagnostic questions show do not match there.",
				   rp->units_word);
	}
	if (rp->sb.failed)
		return CTM_ENOMEM;
	/* the heading goes with what it heads: measured first */
	double h = 0;
	if (flagged == 0)
		rc = ctm_draw__text_measure(rp->doc, rp->box.right - rp->box.left, rp->sb.s, NULL,
					    &h);
	else
		rc = ctm_report__box_height(rp, CTM_REPORT_BOX_WARNING,
					    "Perception versus evidence", rp->sb.s, &h);
	if (rc < 0 || (rc = ctm_draw__need(rp->doc, 40 + fmin(h, 200))) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Perception and evidence")) < 0)
		return rc;
	if (flagged == 0)
		return ctm_report__para(rp, rp->sb.s);
	return ctm_report__box(rp, CTM_REPORT_BOX_WARNING, "Perception versus evidence", rp->sb.s);
}

int ctm_report__method(ctm_report_state *rp)
{
	int rc;

	/* An inventory's factors end anywhere on their last page, often with a
	 * single factor on it: the method follows there when its start fits
	 * (the rubric table), rather than leaving that factor alone. */
	if ((rc = rp->dims ? ctm_draw__page_add(rp->doc) : ctm_draw__need(rp->doc, 260)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, "Method and data quality")) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Rubric and rules")) < 0 || (rc = settings(rp)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 8);
	if ((rc = formulas(rp)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 4);
	if ((rc = exclusions(rp)) < 0 || (rc = findings(rp)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 8);
	/* Perception is placements against the stage: it needs both. */
	return rp->dims && rp->has_stage ? perception(rp) : 0;
}
