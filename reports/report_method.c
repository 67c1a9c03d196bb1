/* Part 7 of the readiness report: method and data quality. The rubric and
 * the rules in force, the formulas in words, every exclusion with its reason
 * and the perception-versus-evidence flags. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

static int settings(ctm_report_state *rp)
{
	const ctm_rubric *r = rp->rubric;
	char idv[512], theta[64], stage_t[256], dims_t[1024], minn[32], rows[64], agg[160];
	char v[32];
	int rc;

	snprintf(idv, sizeof(idv), "%s, version %s", ctm_rubric_id(r), ctm_rubric_version(r));
	snprintf(theta, sizeof(theta), "θ = %s", ctm_draw__number(v, sizeof(v), rp->theta, 2));
	snprintf(stage_t, sizeof(stage_t), "level %d (%s)", ctm_group_stage_target(rp->g),
		 ctm_report__level_name(rp, ctm_group_stage_target(rp->g)));
	snprintf(minn, sizeof(minn), "%d respondents", rp->min_n);
	snprintf(rows, sizeof(rows), "%zu respondents in %zu groups",
		 ctm_dataset_row_count(ctm_results_dataset(rp->res)),
		 ctm_results_group_count(rp->res));
	snprintf(agg, sizeof(agg), "by %s: %s", rp->unit_word,
		 rp->partner_units ? "a partner's value is the mean of its respondents' answers"
				   : "each respondent counts once");
	/* Per-dimension targets: one line when they are all the same. */
	int same = 1;
	double first = rp->dims ? ctm_group_dimension(rp->g, 0)->target : NAN;
	for (size_t d = 1; d < rp->dims; d++)
		same &= ctm_group_dimension(rp->g, d)->target == first;
	if (same) {
		snprintf(dims_t, sizeof(dims_t), "level %.0f for every dimension", first);
	} else {
		size_t len = 0;
		dims_t[0] = '\0';
		for (size_t d = 0; d < rp->dims && len < sizeof(dims_t) - 1; d++) {
			int n = snprintf(dims_t + len, sizeof(dims_t) - len, "%s%s: %.0f",
					 d ? "; " : "", ctm_report__dim_name(rp, d),
					 ctm_group_dimension(rp->g, d)->target);
			if (n < 0)
				break;
			len += (size_t)n;
		}
	}
	const char *table[][2] = {
		{ "Rubric", ctm_rubric_title(r) },
		{ "Rubric id and version", idv },
		{ "Source", ctm_rubric_source(r) },
		{ "Aggregation", agg },
		{ "Attainment threshold", theta },
		{ "Stage target", stage_t },
		{ "Dimension targets", dims_t },
		{ "Smallest role cell shown (min-n)", minn },
		{ "Data read", rows },
	};
	static const ctm_draw_column cols[] = {
		{ NULL, 170, 0, CTM_DRAW_ALIGN_LEFT },
		{ NULL, 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	ctm_draw_table_style ts = { .no_header = 1, .zebra = 1, .size = 8.5 };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, 2, &ts)) < 0)
		return rc;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		ctm_draw_cell cells[2] = { { table[i][0], NULL, 1 }, { table[i][1], NULL, 0 } };
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			return rc;
	}
	return ctm_draw__table_end(rp->doc);
}

static int formulas(ctm_report_state *rp)
{
	char th[32];
	int rc;

	ctm_draw__number(th, sizeof(th), rp->theta, 2);
	if ((rc = ctm_draw__need(rp->doc, 120)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "How the numbers are computed")) < 0)
		return rc;
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
	if ((rc = ctm_report__para(rp, rp->sb.s)) < 0)
		return rc;
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
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__para(rp, rp->sb.s)) < 0)
		return rc;
	return ctm_report__para(
		rp, "Gaps. Priorities are the dimensions with a gap, the largest first, "
		    "then the lower agreement, then the rubric's order. The next steps of "
		    "a dimension are the descriptors of the levels above today's up to the "
		    "target. Blocking questions are those of the levels above the stage up "
		    "to the stage target whose a is below θ. A partner is divergent on a "
		    "dimension when its value is 2 or more levels from the median. A "
		    "dimension whose level differs from the stage by 2 or more is flagged "
		    "as perception versus evidence: what partners say about the "
		    "partnership and what the diagnostic questions show do not match.");
}

static int exclusions(ctm_report_state *rp)
{
	const ctm_dataset *ds = ctm_results_dataset(rp->res);
	size_t n = ctm_dataset_exclusion_count(ds);
	int rc;

	if ((rc = ctm_draw__need(rp->doc, 90)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Data left out")) < 0)
		return rc;
	if (n == 0)
		return ctm_report__para(
			rp, "No cell or row of the responses was left out: every answer "
			    "read was valid.");
	if ((rc = ctm_report__para(
		     rp, "Responses read leniently: these invalid cells and rows were "
			 "left out (cells counted as missing answers), over the whole data "
			 "set, not only this group.")) < 0)
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
		const ctm_exclusion *e = ctm_dataset_exclusion(ds, i);
		char count[64], where[1024];
		snprintf(count, sizeof(count), "%zu %s%s", e->count, e->whole_rows ? "row" : "cell",
			 e->count == 1 ? "" : "s");
		if (e->first_file)
			snprintf(where, sizeof(where), "%s:%lu:%lu", e->first_file, e->first_line,
				 e->first_column);
		else
			snprintf(where, sizeof(where), "—");
		ctm_draw_cell cells[3] = { { e->reason, NULL, 0 },
					   { count, NULL, 1 },
					   { where, NULL, 0 } };
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			return rc;
	}
	return ctm_draw__table_end(rp->doc);
}

static int perception(ctm_report_state *rp)
{
	size_t flagged = 0;
	int S = ctm_group_stage(rp->g), rc;

	for (size_t d = 0; d < rp->dims; d++)
		flagged += ctm_group_dimension(rp->g, d)->perception_flag != 0;
	if ((rc = ctm_draw__need(rp->doc, 80)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Perception and evidence")) < 0)
		return rc;
	ctm_strbuf__reset(&rp->sb);
	if (flagged == 0) {
		ctm_strbuf__printf(
			&rp->sb,
			"Every dimension's level is within one level of the stage "
			"(%d): the placements and the diagnostic questions tell the same story.",
			S);
		if (rp->sb.failed)
			return CTM_ENOMEM;
		return ctm_report__para(rp, rp->sb.s);
	}
	ctm_strbuf__printf(&rp->sb,
			   "The level of %zu dimension%s is 2 or more levels from the stage "
			   "S = %d, which the diagnostic questions show: ",
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
			   ". What the %s say about the partnership and what their answers "
			   "to the diagnostic questions show do not match there.",
			   rp->units_word);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__box(rp, CTM_REPORT_BOX_WARNING, "Perception versus evidence", rp->sb.s);
}

int ctm_report__method(ctm_report_state *rp)
{
	int rc;

	if ((rc = ctm_draw__page_add(rp->doc)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, "Method and data quality")) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Rubric and rules")) < 0 || (rc = settings(rp)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 8);
	if ((rc = formulas(rp)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 4);
	if ((rc = exclusions(rp)) < 0)
		return rc;
	ctm_draw__advance(rp->doc, 8);
	return perception(rp);
}
