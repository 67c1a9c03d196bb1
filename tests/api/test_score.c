/*
 * Scoring through the public API: every statistic of SPEC "Scoring (exact)"
 * and the tidy table of "Outputs", on inputs small enough to work out by
 * hand. Each expected number carries its arithmetic in a comment; none was
 * copied from the program's output.
 *
 * t quantiles used: t(0.975,1) = 12.7062, t(0.975,2) = 4.3027,
 * t(0.975,3) = 3.1824, t(0.975,4) = 2.7764.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "continuum.h"
#include "test_rubrics.h"

/* ---- rubrics ---- */

/* Five levels; three dimensions; questions q1, q2 at level 1, q3, q4 at
 * level 2, q5 at 3, q6 at 4, none at 5. SCORING is the <scoring> element. */
#define RUBRIC5(SCORING) \
	CTM_TEST_HEAD \
	CTM_TEST_LEVELS5 CTM_TEST_SCALE_YPN \
		"<dimensions>\n" \
		"<dimension id=\"d1\"><name>One</name><prompt>How do you plan?</prompt>\n" \
		"<descriptor level=\"1\">alone</descriptor><descriptor " \
		"level=\"2\">sharing</descriptor>\n" \
		"<descriptor level=\"3\">adjusting</descriptor><descriptor " \
		"level=\"4\">jointly</descriptor>\n" \
		"<descriptor level=\"5\">as one</descriptor></dimension>\n" \
		"<dimension id=\"d2\"><name>Two</name><prompt>How do you " \
		"share?</prompt></dimension>\n" \
		"<dimension id=\"d3\"><name>Three</name><prompt>How do you " \
		"fund?</prompt></dimension>\n" \
		"</dimensions>\n" \
		"<questions>\n" \
		"<question id=\"q1\" level=\"1\" scale=\"ypn\">Q one?</question>\n" \
		"<question id=\"q2\" level=\"1\" scale=\"ypn\">Q two?</question>\n" \
		"<question id=\"q3\" level=\"2\" scale=\"ypn\">Q three?</question>\n" \
		"<question id=\"q4\" level=\"2\" scale=\"ypn\">Q four?</question>\n" \
		"<question id=\"q5\" level=\"3\" scale=\"ypn\">Q five?</question>\n" \
		"<question id=\"q6\" level=\"4\" scale=\"ypn\">Q six?</question>\n" \
		"</questions>\n" SCORING "</rubric>\n"

#define DEFAULT5 RUBRIC5("<scoring attainment=\"0.75\" target=\"4\"/>\n")

/* Three levels, no target (so targets are L = 3), two dimensions, one
 * question per level. */
#define RUBRIC3(SCORING) \
	CTM_TEST_HEAD \
	"<levels>\n" \
	"<level value=\"1\" id=\"a\"><name>Alpha</name></level>\n" \
	"<level value=\"2\" id=\"b\"><name>Beta</name></level>\n" \
	"<level value=\"3\" id=\"c\"><name>Gamma</name></level>\n" \
	"</levels>\n" CTM_TEST_SCALE_YPN "<dimensions>\n" \
	"<dimension id=\"d\"><name>D</name><prompt>D?</prompt></dimension>\n" \
	"<dimension id=\"d2\"><name>D2</name><prompt>D2?</prompt></dimension>\n" \
	"</dimensions>\n" \
	"<questions>\n" \
	"<question id=\"qa\" level=\"1\" scale=\"ypn\">QA?</question>\n" \
	"<question id=\"qb\" level=\"2\" scale=\"ypn\">QB?</question>\n" \
	"<question id=\"qc\" level=\"3\" scale=\"ypn\">QC?</question>\n" \
	"</questions>\n" SCORING "</rubric>\n"

/* ---- fixture ---- */

static ctm_ctx *ctx;
static ctm_rubric *rub;
static ctm_dataset *ds;
static ctm_results *res;
static ctm_targets *tgs;
static ctm_read_options ropts;
static ctm_score_options sopts;

static void setup(void)
{
	ctx = ctm_ctx_new();
	ctm_read_options r = CTM_READ_OPTIONS_INIT;
	ctm_score_options s = CTM_SCORE_OPTIONS_INIT;
	ropts = r;
	sopts = s;
	rub = NULL;
	ds = NULL;
	res = NULL;
	tgs = NULL;
}

static void teardown(void)
{
	ctm_results_free(res);
	ctm_targets_free(tgs);
	ctm_dataset_free(ds);
	ctm_rubric_free(rub);
	ctm_ctx_free(ctx);
}

TestSuite(score, .init = setup, .fini = teardown);

static void dump_diags(void)
{
	char buf[1024];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		cr_log_error("%s", buf);
	}
}

static void use_rubric(const char *xml)
{
	int rc = ctm_rubric_load_memory(&rub, "t.xml", xml, strlen(xml), ctx);
	if (rc != CTM_OK)
		dump_diags();
	cr_assert_eq(rc, CTM_OK, "rubric does not load");
}

/* Reads one CSV text into the data set (made on first use); asserts success. */
static void read_ok(const char *name, const char *csv)
{
	if (!ds)
		cr_assert_eq(ctm_dataset_new(&ds, rub, &ropts, ctx), CTM_OK);
	int rc = ctm_dataset_read_memory(ds, name, csv, strlen(csv), ctx);
	if (rc != CTM_OK)
		dump_diags();
	cr_assert_eq(rc, CTM_OK, "%s does not read", name);
	cr_assert_eq(ctm_ctx_error_count(ctx), 0);
}

static void score(void)
{
	int rc = ctm_score_run(&res, ds, &sopts, ctx);
	if (rc != CTM_OK)
		dump_diags();
	cr_assert_eq(rc, CTM_OK);
}

/* Rubric, one file, scored. */
static void run(const char *xml, const char *csv)
{
	use_rubric(xml);
	read_ok("r.csv", csv);
	score();
}

static const ctm_group *grp(const char *region, const char *wave)
{
	const ctm_group *g = ctm_results_find_group(res, region, wave);
	cr_assert_not_null(g, "no group %s/%s", region, wave);
	return g;
}

static const ctm_item_stats *dim(const ctm_group *g, size_t d)
{
	const ctm_item_stats *st = ctm_group_dimension(g, d);
	cr_assert_not_null(st);
	return st;
}

static const ctm_item_stats *quest(const ctm_group *g, size_t q)
{
	const ctm_item_stats *st = ctm_group_question(g, q);
	cr_assert_not_null(st);
	return st;
}

/* Hand values carry 4 to 6 decimals and the t quantiles 4: 1e-4 is the
 * output's own precision. */
#define NEAR(actual, expected) \
	cr_assert(fabs((double)(actual) - (double)(expected)) < 1e-4, "%s = %.6f, expected %.6f", \
		  #actual, (double)(actual), (double)(expected))
#define UNDEF(actual) \
	cr_assert(isnan(actual), "%s = %.6f, expected undefined", #actual, (double)(actual))

/* ---- placement statistics ---- */

Test(score, even_n_mean_sd_median_ci_rwg_level_gap)
{
	run(DEFAULT5, "region,wave,partner,d1,d2\n"
		      "R,1,A,1,2\n"
		      "R,1,B,2,3\n"
		      "R,1,C,4,3\n"
		      "R,1,D,5,4\n");
	const ctm_group *g = grp("R", "1");
	const ctm_item_stats *s = dim(g, 0);

	/* d1: 1 2 4 5 */
	cr_assert_eq(s->n, 4);
	NEAR(s->mean, 3.0);    /* 12 / 4 */
	NEAR(s->sd, 1.825742); /* (4+1+1+4)/3 = 3.333333; sqrt = 1.825742 */
	NEAR(s->median, 3.0);  /* (2 + 4) / 2 */
	/* half = 3.1824 * 1.825742 / 2 = 2.905118: [0.094882, 5.905118] clipped to [1, 5] */
	NEAR(s->ci_low, 1.0);
	NEAR(s->ci_high, 5.0);
	/* 1 - 3.333333 / ((25 - 1) / 12 = 2) = -0.666667, clipped to 0 */
	NEAR(s->rwg, 0.0);
	cr_assert(s->low_agreement);
	cr_assert_eq(s->level, 3);
	NEAR(s->target, 4.0); /* the rubric's */
	NEAR(s->gap, 1.0);    /* 4 - 3 */

	/* d2: 2 3 3 4 */
	s = dim(g, 1);
	NEAR(s->mean, 3.0);    /* 12 / 4 */
	NEAR(s->sd, 0.816497); /* (1+0+0+1)/3 = 0.666667; sqrt */
	NEAR(s->median, 3.0);  /* (3 + 3) / 2 */
	/* half = 3.1824 * 0.816497 / 2 = 1.299209 */
	NEAR(s->ci_low, 1.700791);
	NEAR(s->ci_high, 4.299209);
	NEAR(s->rwg, 0.666667); /* 1 - 0.666667 / 2 */
	cr_assert(s->low_agreement, "rwg 0.67 < 0.70 is low agreement");
	cr_assert_eq(s->level, 3);
}

Test(score, odd_n_median_and_ci_with_two_degrees_of_freedom)
{
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,A,3\n"
		      "R,1,B,2\n"
		      "R,1,C,3\n");
	const ctm_item_stats *s = dim(grp("R", "1"), 0);
	/* 2 3 3 */
	cr_assert_eq(s->n, 3);
	NEAR(s->mean, 2.666667); /* 8 / 3 */
	/* deviations -0.666667, 0.333333, 0.333333: (0.444444+0.111111+0.111111)/2
	 * = 0.333333; sqrt = 0.577350 */
	NEAR(s->sd, 0.577350);
	NEAR(s->median, 3.0); /* the middle one */
	/* half = 4.3027 * 0.577350 / sqrt(3) = 4.3027 / 3 = 1.434233 */
	NEAR(s->ci_low, 1.232433);
	NEAR(s->ci_high, 4.100900);
	NEAR(s->rwg, 0.833333); /* 1 - 0.333333 / 2 */
	cr_assert_not(s->low_agreement);
	cr_assert_eq(s->level, 3); /* 2.67 rounds to 3 */
	NEAR(s->gap, 1.333333);    /* 4 - 2.666667 */
}

Test(score, five_units_ci_with_four_degrees_of_freedom)
{
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,A,2\n"
		      "R,1,B,2\n"
		      "R,1,C,3\n"
		      "R,1,D,3\n"
		      "R,1,E,5\n");
	const ctm_item_stats *s = dim(grp("R", "1"), 0);
	/* 2 2 3 3 5: mean 15/5 = 3; squares 1+1+0+0+4 = 6; /4 = 1.5; sd 1.224745 */
	NEAR(s->mean, 3.0);
	NEAR(s->sd, 1.224745);
	NEAR(s->median, 3.0);
	/* half = 2.7764 * 1.224745 / sqrt(5) = 2.7764 * 0.547723 = 1.520698 */
	NEAR(s->ci_low, 1.479302);
	NEAR(s->ci_high, 4.520698);
	NEAR(s->rwg, 0.25); /* 1 - 1.5 / 2 */
}

Test(score, two_units_half_up_and_ci_clipped_on_both_sides)
{
	run(DEFAULT5, "region,wave,partner,d1,d2\n"
		      "R,1,A,1,2\n"
		      "R,1,B,2,3\n");
	const ctm_group *g = grp("R", "1");
	const ctm_item_stats *s = dim(g, 0);
	NEAR(s->mean, 1.5);
	NEAR(s->sd, 0.707107); /* 0.25 + 0.25 = 0.5 over 1 */
	NEAR(s->median, 1.5);  /* even n: mean of the two */
	/* half = 12.7062 * 0.707107 / sqrt(2) = 6.3531: [-4.8531, 7.8531] -> [1, 5] */
	NEAR(s->ci_low, 1.0);
	NEAR(s->ci_high, 5.0);
	NEAR(s->rwg, 0.75); /* 1 - 0.5 / 2 */
	cr_assert_not(s->low_agreement);
	cr_assert_eq(s->level, 2, "1.5 rounds half up to 2");
	cr_assert_eq(dim(g, 1)->level, 3, "2.5 rounds half up to 3");
}

Test(score, half_up_rounding_of_a_mean_of_unit_means)
{
	run(DEFAULT5, "region,wave,partner,d1,d2\n"
		      "R,1,A,3,4\n"
		      "R,1,A,4,5\n"
		      "R,1,B,4,4\n"
		      "R,1,B,3,5\n");
	const ctm_group *g = grp("R", "1");
	/* A: (3 + 4) / 2 = 3.5, B: (4 + 3) / 2 = 3.5: mean 3.5, sd 0 -> level 4 */
	NEAR(dim(g, 0)->mean, 3.5);
	NEAR(dim(g, 0)->sd, 0.0);
	cr_assert_eq(dim(g, 0)->level, 4);
	/* A: 4.5, B: 4.5 -> level 5 */
	cr_assert_eq(dim(g, 1)->level, 5);
	NEAR(dim(g, 1)->gap, 0.0); /* max(0, 4 - 4.5) */
}

Test(score, half_up_rounding_survives_floating_point_error)
{
	/* Unit means 4, 8/3, 5/3, 1, 8/3, 3 sum to exactly 15: mean 15 / 6 = 2.5,
	 * level 3. Summed in doubles they give 14.999999999999998 and a mean of
	 * 2.4999999999999996, which a bare floor(m + 0.5) would round to 2. */
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,P0,4\n"
		      "R,1,P1,3\n"
		      "R,1,P1,3\n"
		      "R,1,P1,2\n"
		      "R,1,P2,1\n"
		      "R,1,P2,2\n"
		      "R,1,P2,2\n"
		      "R,1,P3,1\n"
		      "R,1,P4,2\n"
		      "R,1,P4,3\n"
		      "R,1,P4,3\n"
		      "R,1,P5,3\n");
	const ctm_item_stats *s = dim(grp("R", "1"), 0);
	cr_assert_eq(s->n, 6);
	NEAR(s->mean, 2.5);
	cr_assert_eq(s->level, 3, "exactly 2.5 rounds half up to 3");
	/* median of 1, 5/3, 8/3, 8/3, 3, 4: (8/3 + 8/3) / 2 */
	NEAR(s->median, 2.666667);
}

Test(score, one_unit_leaves_sd_ci_rwg_undefined)
{
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,A,2\n");
	const ctm_item_stats *s = dim(grp("R", "1"), 0);
	cr_assert_eq(s->n, 1);
	NEAR(s->mean, 2.0);
	NEAR(s->median, 2.0);
	UNDEF(s->sd);
	UNDEF(s->ci_low);
	UNDEF(s->ci_high);
	UNDEF(s->rwg);
	cr_assert_not(s->low_agreement, "undefined rwg is not low agreement");
	cr_assert_eq(s->level, 2);
	NEAR(s->gap, 2.0); /* 4 - 2 */
}

Test(score, all_answers_missing)
{
	run(DEFAULT5, "region,wave,partner,d1,d2\n"
		      "R,1,A,NA,2\n"
		      "R,1,B,,2\n"
		      "R,1,C,n/a,2\n");
	const ctm_group *g = grp("R", "1");
	const ctm_item_stats *s = dim(g, 0);
	cr_assert_eq(s->n, 0);
	UNDEF(s->mean);
	UNDEF(s->sd);
	UNDEF(s->median);
	UNDEF(s->ci_low);
	UNDEF(s->ci_high);
	UNDEF(s->rwg);
	cr_assert_eq(s->level, 0, "no level without answers");
	NEAR(s->target, 4.0); /* still shown */
	UNDEF(s->gap);
	cr_assert_not(s->perception_flag);
	/* d3 has no column at all: the same */
	cr_assert_eq(dim(g, 2)->n, 0);
	UNDEF(dim(g, 2)->gap);
	/* never a priority: only d2 (gap 4 - 2 = 2) is */
	cr_assert_eq(ctm_group_priority_count(g), 1);
	cr_assert_eq(ctm_group_priority(g, 0), 1);
}

Test(score, zero_variance)
{
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,A,3\n"
		      "R,1,B,3\n"
		      "R,1,C,3\n");
	const ctm_item_stats *s = dim(grp("R", "1"), 0);
	NEAR(s->sd, 0.0);
	NEAR(s->rwg, 1.0);    /* 1 - 0 / 2 */
	NEAR(s->ci_low, 3.0); /* half = 4.3027 * 0 = 0 */
	NEAR(s->ci_high, 3.0);
	NEAR(s->median, 3.0);
}

Test(score, zero_variance_at_the_edge_of_the_scale)
{
	run(DEFAULT5, "region,wave,partner,d1,q1\n"
		      "R,1,A,5,yes\n"
		      "R,1,B,5,yes\n");
	const ctm_group *g = grp("R", "1");
	NEAR(dim(g, 0)->ci_low, 5.0);
	NEAR(dim(g, 0)->ci_high, 5.0);
	NEAR(dim(g, 0)->gap, 0.0); /* max(0, 4 - 5) */
	cr_assert_eq(ctm_group_priority_count(g), 0);
	NEAR(quest(g, 0)->ci_low, 1.0);
	NEAR(quest(g, 0)->ci_high, 1.0);
}

/* ---- units ---- */

/* Partner A has three respondents (1, 1, 4), B one (5). */
#define THREE_AND_ONE \
	"region,wave,partner,respondent,d1\n" \
	"R,1,A,a1,1\n" \
	"R,1,A,a2,1\n" \
	"R,1,B,b1,5\n" \
	"R,1,A,a3,4\n"

Test(score, partner_units_count_once)
{
	run(DEFAULT5, THREE_AND_ONE);
	const ctm_group *g = grp("R", "1");
	const ctm_item_stats *s = dim(g, 0);
	/* units: A = (1 + 1 + 4) / 3 = 2, B = 5 */
	cr_assert_eq(s->n, 2);
	NEAR(s->mean, 3.5);    /* (2 + 5) / 2 */
	NEAR(s->sd, 2.121320); /* (2.25 + 2.25) / 1 = 4.5; sqrt */
	NEAR(s->median, 3.5);
	cr_assert_eq(s->level, 4);
	cr_assert_eq(ctm_group_unit_count(g), 2);
	cr_assert_eq(ctm_group_partner_count(g), 2);
	cr_assert_eq(ctm_group_respondent_count(g), 4);
	cr_assert_eq(ctm_group_units(g), 2);
	cr_assert_str_eq(ctm_group_unit_name(g, 0), "A");
	NEAR(ctm_group_unit_value(g, 0, 0), 2.0);
	NEAR(ctm_group_unit_value(g, 1, 0), 5.0);
}

Test(score, respondent_units_by_option)
{
	ropts.aggregate = CTM_AGGREGATE_BY_RESPONDENT;
	run(DEFAULT5, THREE_AND_ONE);
	const ctm_group *g = grp("R", "1");
	const ctm_item_stats *s = dim(g, 0);
	/* 1 1 4 5 */
	cr_assert_eq(s->n, 4);
	NEAR(s->mean, 2.75); /* 11 / 4 */
	/* deviations -1.75 -1.75 1.25 2.25: 3.0625*2 + 1.5625 + 5.0625 = 12.75; /3 = 4.25 */
	NEAR(s->sd, 2.061553);
	NEAR(s->median, 2.5); /* (1 + 4) / 2 */
	cr_assert_eq(s->level, 3);
	cr_assert_eq(ctm_group_unit_count(g), 4);
	cr_assert_eq(ctm_group_partner_count(g), 2);
	cr_assert_str_eq(ctm_group_unit_name(g, 2), "b1");
	/* divergent partners are for partner units only */
	cr_assert_eq(ctm_group_divergence_count(g), 0);
}

Test(score, respondent_units_from_the_rubric_and_rows_without_ids)
{
	run(RUBRIC5("<scoring aggregate=\"respondent\"/>\n"), "region,wave,partner,d1\n"
							      "R,1,A,1\n"
							      "R,1,A,1\n"
							      "R,1,B,5\n"
							      "R,1,A,4\n");
	const ctm_group *g = grp("R", "1");
	cr_assert_eq(ctm_dataset_aggregate(ds), CTM_AGGREGATE_RESPONDENT);
	NEAR(dim(g, 0)->mean, 2.75); /* 11 / 4, as above */
	cr_assert_eq(ctm_group_units(g), 4);
	cr_assert_str_eq(ctm_group_unit_name(g, 0), "row 1");
	cr_assert_str_eq(ctm_group_unit_name(g, 3), "row 4");
	/* no target in the rubric: L */
	NEAR(dim(g, 0)->target, 5.0);
	NEAR(dim(g, 0)->gap, 2.25); /* 5 - 2.75 */
}

Test(score, partner_option_overrides_a_respondent_rubric)
{
	ropts.aggregate = CTM_AGGREGATE_BY_PARTNER;
	run(RUBRIC5("<scoring aggregate=\"respondent\"/>\n"), THREE_AND_ONE);
	NEAR(dim(grp("R", "1"), 0)->mean, 3.5); /* (2 + 5) / 2 */
}

Test(score, a_unit_without_an_answer_to_an_item_is_not_counted)
{
	run(DEFAULT5, "region,wave,partner,d1,d2\n"
		      "R,1,A,1,\n"
		      "R,1,A,3,\n"
		      "R,1,B,4,2\n"
		      "R,1,C,,\n");
	const ctm_group *g = grp("R", "1");
	/* d1: A = 2, B = 4: mean 3; d2: B only */
	cr_assert_eq(dim(g, 0)->n, 2);
	NEAR(dim(g, 0)->mean, 3.0);
	cr_assert_eq(dim(g, 1)->n, 1);
	/* C answered nothing: not a unit of the stage row */
	cr_assert_eq(ctm_group_unit_count(g), 2);
	cr_assert_eq(ctm_group_partner_count(g), 3);
}

/* ---- questions, levels, stage ---- */

/* Four partners; see the arithmetic in the test below. */
#define STAGE_DATA \
	"region,wave,partner,d1,d2,q1,q2,q3,q4,q5,q6\n" \
	"R,1,A,3,2,yes,yes,yes,no,yes,no\n" \
	"R,1,B,3,2,yes,partly,yes,no,yes,no\n" \
	"R,1,C,3,2,yes,yes,partly,partly,yes,dk\n" \
	"R,1,D,4,2,partly,yes,no,yes,yes,NA\n"

Test(score, questions_levels_stage_maturity)
{
	run(DEFAULT5, STAGE_DATA);
	const ctm_group *g = grp("R", "1");

	/* q1: 1 1 1 0.5 */
	const ctm_item_stats *q = quest(g, 0);
	cr_assert_eq(q->n, 4);
	NEAR(q->mean, 0.875); /* 3.5 / 4 */
	/* deviations .125 .125 .125 -.375: .015625*3 + .140625 = .1875; /3 = .0625 */
	NEAR(q->sd, 0.25);
	NEAR(q->median, 1.0); /* (1 + 1) / 2 */
	/* half = 3.1824 * 0.25 / 2 = 0.3978: [0.4772, 1.2728] -> high clipped to 1 */
	NEAR(q->ci_low, 0.4772);
	NEAR(q->ci_high, 1.0);
	UNDEF(q->rwg);
	UNDEF(q->target);
	UNDEF(q->gap);
	cr_assert_eq(q->level, 1, "a question's level is its own");

	NEAR(quest(g, 1)->mean, 0.875); /* q2: 1 0.5 1 1 */
	NEAR(quest(g, 2)->mean, 0.625); /* q3: 1 1 0.5 0 = 2.5 / 4 */
	NEAR(quest(g, 3)->mean, 0.375); /* q4: 0 0 0.5 1 = 1.5 / 4 */
	NEAR(quest(g, 4)->mean, 1.0);   /* q5 */
	/* q6: no, no, dk (missing), NA (missing): n 2, 0 */
	q = quest(g, 5);
	cr_assert_eq(q->n, 2);
	NEAR(q->mean, 0.0);
	NEAR(q->sd, 0.0);
	NEAR(q->ci_low, 0.0);
	NEAR(q->ci_high, 0.0);
	cr_assert_eq(q->level, 4);

	/* A_l */
	NEAR(ctm_group_level_attainment(g, 1), 0.875); /* (0.875 + 0.875) / 2 */
	NEAR(ctm_group_level_attainment(g, 2), 0.5);   /* (0.625 + 0.375) / 2 */
	NEAR(ctm_group_level_attainment(g, 3), 1.0);
	NEAR(ctm_group_level_attainment(g, 4), 0.0);
	UNDEF(ctm_group_level_attainment(g, 5)); /* no question at 5 */
	cr_assert_eq(ctm_group_level_n(g, 1), 2);
	cr_assert_eq(ctm_group_level_n(g, 2), 2);
	cr_assert_eq(ctm_group_level_n(g, 3), 1);
	cr_assert_eq(ctm_group_level_n(g, 4), 1);
	cr_assert_eq(ctm_group_level_n(g, 5), 0);
	cr_assert(ctm_group_level_attained(g, 1));     /* 0.875 >= 0.75 */
	cr_assert_not(ctm_group_level_attained(g, 2)); /* 0.5 < 0.75 */
	cr_assert(ctm_group_level_attained(g, 3));
	cr_assert_not(ctm_group_level_attained(g, 4));
	cr_assert_not(ctm_group_level_attained(g, 5));

	cr_assert_eq(ctm_group_stage(g), 1);
	NEAR(ctm_group_maturity(g), 1.5); /* 1 + A_2 = 1 + 0.5 */
	cr_assert(ctm_group_inconsistent(g), "level 3 attained above unattained 2");
	cr_assert_eq(ctm_group_stage_target(g), 4); /* the rubric's */
	NEAR(ctm_group_stage_gap(g), 2.5);          /* 4 - 1.5 */
	cr_assert_eq(ctm_group_unit_count(g), 4);

	/* blocking: levels 2..4 with a_q < 0.75, by level then a_q:
	 * q4 (2, 0.375), q3 (2, 0.625), q6 (4, 0); q5 (3, 1) is not */
	cr_assert_eq(ctm_group_blocking_count(g), 3);
	cr_assert_eq(ctm_group_blocking(g, 0), 3);
	cr_assert_eq(ctm_group_blocking(g, 1), 2);
	cr_assert_eq(ctm_group_blocking(g, 2), 5);

	/* d1: 3 3 3 4: mean 3.25, sd sqrt((3 * 0.0625 + 0.5625) / 3) = 0.5,
	 * level 3, |3 - S| = 2: perception vs evidence */
	const ctm_item_stats *s = dim(g, 0);
	NEAR(s->mean, 3.25);
	NEAR(s->sd, 0.5);
	/* half = 3.1824 * 0.5 / 2 = 0.7956 */
	NEAR(s->ci_low, 2.4544);
	NEAR(s->ci_high, 4.0456);
	NEAR(s->rwg, 0.875); /* 1 - 0.25 / 2 */
	cr_assert(s->perception_flag);
	NEAR(s->gap, 0.75); /* 4 - 3.25 */
	/* d2: all 2, |2 - 1| = 1: no flag, gap 2 */
	cr_assert_not(dim(g, 1)->perception_flag);
	NEAR(dim(g, 1)->gap, 2.0);
	/* priorities by gap: d2 (2), d1 (0.75); d3 unanswered */
	cr_assert_eq(ctm_group_priority_count(g), 2);
	cr_assert_eq(ctm_group_priority(g, 0), 1);
	cr_assert_eq(ctm_group_priority(g, 1), 0);
}

/* The questions' statistics are computed when asked (not kept per group):
 * ctm_group_questions gives the hand values of the test above, afresh each
 * call, and asks nothing of ctm_group_question's copy. */
Test(score, questions_computed_afresh_match_the_hand_values)
{
	run(DEFAULT5, STAGE_DATA);
	const ctm_group *g = grp("R", "1");
	ctm_item_stats qs[6];

	cr_assert_eq(ctm_group_questions(g, qs), CTM_OK);
	cr_assert_eq(qs[0].n, 4);
	NEAR(qs[0].mean, 0.875);
	NEAR(qs[0].sd, 0.25);
	NEAR(qs[0].ci_low, 0.4772);
	NEAR(qs[0].ci_high, 1.0);
	cr_assert_eq(qs[0].level, 1);
	NEAR(qs[2].mean, 0.625);
	NEAR(qs[3].mean, 0.375);
	cr_assert_eq(qs[5].n, 2);
	NEAR(qs[5].mean, 0.0);
	cr_assert_eq(qs[5].level, 4);
	cr_assert_eq(ctm_group_questions(NULL, qs), CTM_EUSAGE);
	cr_assert_eq(ctm_group_questions(g, NULL), CTM_EUSAGE);
	cr_assert_null(ctm_group_question(g, 6), "out of range");
}

static void *ask_question(void *arg)
{
	return (void *)ctm_group_question(arg, 3);
}

/* Threads asking a group's first question at once all get one copy. */
Test(score, first_question_asked_from_threads_at_once)
{
	run(DEFAULT5, STAGE_DATA);
	const ctm_group *g = grp("R", "1");
	pthread_t t[4];
	void *got[4];

	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&t[i], NULL, ask_question, (void *)(uintptr_t)g), 0);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_join(t[i], &got[i]), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(got[i], ctm_group_question(g, 3), "one copy, kept");
		NEAR(((const ctm_item_stats *)got[i])->mean, 0.375); /* q4: 1.5 / 4 */
	}
}

Test(score, stage_target_from_the_option_limits_blocking_questions)
{
	sopts.target = 2;
	run(DEFAULT5, STAGE_DATA);
	const ctm_group *g = grp("R", "1");
	cr_assert_eq(ctm_group_stage_target(g), 2);
	NEAR(ctm_group_stage_gap(g), 0.5); /* 2 - 1.5 */
	/* levels 2..2 only: q4, q3 */
	cr_assert_eq(ctm_group_blocking_count(g), 2);
	cr_assert_eq(ctm_group_blocking(g, 0), 3);
	cr_assert_eq(ctm_group_blocking(g, 1), 2);
	/* every dimension's target is 2 too */
	NEAR(dim(g, 0)->target, 2.0);
	NEAR(dim(g, 0)->gap, 0.0); /* max(0, 2 - 3.25) */
	NEAR(dim(g, 1)->gap, 0.0); /* max(0, 2 - 2) */
	cr_assert_eq(ctm_group_priority_count(g), 0);
}

Test(score, stage_zero_when_level_one_is_not_attained)
{
	run(DEFAULT5, "region,wave,partner,q1,q2\n"
		      "R,1,A,yes,no\n"
		      "R,1,B,partly,no\n");
	const ctm_group *g = grp("R", "1");
	/* q1: (1 + 0.5) / 2 = 0.75, q2: 0: A_1 = 0.375 */
	NEAR(ctm_group_level_attainment(g, 1), 0.375);
	cr_assert_eq(ctm_group_stage(g), 0);
	NEAR(ctm_group_maturity(g), 0.375); /* 0 + A_1 */
	cr_assert_not(ctm_group_inconsistent(g));
	NEAR(ctm_group_stage_gap(g), 3.625); /* 4 - 0.375 */
	/* blocking: levels 1..4; q2 (0) only, q1 is 0.75 = θ, not below */
	cr_assert_eq(ctm_group_blocking_count(g), 1);
	cr_assert_eq(ctm_group_blocking(g, 0), 1);
}

Test(score, attainment_exactly_theta_attains)
{
	run(DEFAULT5, "region,wave,partner,q1,q2,q3\n"
		      "R,1,A,yes,yes,partly\n"
		      "R,1,B,partly,partly,yes\n");
	const ctm_group *g = grp("R", "1");
	/* q1 = q2 = 0.75: A_1 = 0.75 >= 0.75; q3 = 0.75: A_2 = 0.75 */
	cr_assert_eq(ctm_group_stage(g), 2);
	/* A_3 undefined (q5 has no data): M = S */
	NEAR(ctm_group_maturity(g), 2.0);
}

Test(score, attainment_exactly_theta_despite_floating_point_error)
{
	/* q1 unit scores: A (0.5 + 0.5 + 0) / 3 = 1/3, B 1, C 1, D (1 + 0 + 1) / 3
	 * = 2/3: a_q1 = (1/3 + 1 + 1 + 2/3) / 4 = 3 / 4 = θ exactly, though the
	 * doubles sum to 0.7499999999999999. A_1 = a_q1 >= θ: attained, S 1; A_2
	 * undefined: M = 1; and q1 is no blocking question. */
	sopts.target = 1;
	run(DEFAULT5, "region,wave,partner,q1\n"
		      "R,1,A,partly\n"
		      "R,1,A,partly\n"
		      "R,1,A,no\n"
		      "R,1,B,yes\n"
		      "R,1,C,yes\n"
		      "R,1,D,yes\n"
		      "R,1,D,no\n"
		      "R,1,D,yes\n");
	const ctm_group *g = grp("R", "1");
	NEAR(quest(g, 0)->mean, 0.75);
	cr_assert(ctm_group_level_attained(g, 1));
	cr_assert_eq(ctm_group_stage(g), 1);
	NEAR(ctm_group_maturity(g), 1.0);
	cr_assert_eq(ctm_group_blocking_count(g), 0);
}

Test(score, maturity_when_every_level_is_attained)
{
	run(RUBRIC3(""), "region,wave,partner,qa,qb,qc\n"
			 "R,1,A,yes,yes,yes\n"
			 "R,1,B,yes,partly,yes\n");
	const ctm_group *g = grp("R", "1");
	/* A_1 = 1, A_2 = 0.75, A_3 = 1: S = L = 3, M = S */
	cr_assert_eq(ctm_group_stage(g), 3);
	NEAR(ctm_group_maturity(g), 3.0);
	cr_assert_eq(ctm_group_stage_target(g), 3); /* no target: L */
	NEAR(ctm_group_stage_gap(g), 0.0);
	cr_assert_eq(ctm_group_blocking_count(g), 0);
	cr_assert_not(ctm_group_inconsistent(g));
}

Test(score, maturity_when_the_next_level_has_no_question)
{
	run(DEFAULT5, "region,wave,partner,q1,q2,q3,q4,q5,q6\n"
		      "R,1,A,yes,yes,yes,yes,yes,yes\n");
	const ctm_group *g = grp("R", "1");
	/* levels 1..4 attained, level 5 has no question: S = 4, M = 4 */
	cr_assert_eq(ctm_group_stage(g), 4);
	NEAR(ctm_group_maturity(g), 4.0);
	UNDEF(ctm_group_level_attainment(g, 5));
	NEAR(ctm_group_stage_gap(g), 0.0); /* max(0, 4 - 4) */
	/* n = 1: the question's sd and ci are undefined */
	UNDEF(quest(g, 0)->sd);
	UNDEF(quest(g, 0)->ci_low);
}

Test(score, a_level_without_answers_stops_the_stage)
{
	run(DEFAULT5, "region,wave,partner,q1,q2,q3,q4,q5\n"
		      "R,1,A,yes,yes,dk,,yes\n"
		      "R,1,B,yes,yes,NA,n/a,yes\n");
	const ctm_group *g = grp("R", "1");
	/* A_1 = 1; level 2's questions have no data: A_2 undefined, n 0 */
	UNDEF(ctm_group_level_attainment(g, 2));
	cr_assert_eq(ctm_group_level_n(g, 2), 0);
	cr_assert_eq(quest(g, 2)->n, 0);
	UNDEF(quest(g, 2)->mean);
	cr_assert_not(ctm_group_level_attained(g, 2));
	cr_assert_eq(ctm_group_stage(g), 1);
	NEAR(ctm_group_maturity(g), 1.0); /* A_2 undefined: M = S */
	/* level 3 (A_3 = 1) attained above the unassessed level 2 */
	cr_assert(ctm_group_level_attained(g, 3));
	cr_assert(ctm_group_inconsistent(g));
	/* questions without data never block */
	cr_assert_eq(ctm_group_blocking_count(g), 0);
}

/* ---- targets ---- */

Test(score, target_from_the_option_beats_the_rubric)
{
	sopts.target = 5;
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,A,2\n");
	const ctm_group *g = grp("R", "1");
	NEAR(dim(g, 0)->target, 5.0);
	NEAR(dim(g, 0)->gap, 3.0); /* 5 - 2 */
	cr_assert_eq(ctm_group_stage_target(g), 5);
}

Test(score, target_above_L_is_refused)
{
	use_rubric(DEFAULT5);
	read_ok("r.csv", "region,wave,partner,d1\nR,1,A,2\n");
	sopts.target = 6;
	cr_assert_eq(ctm_score_run(&res, ds, &sopts, ctx), CTM_EUSAGE);
	cr_assert_null(res);
	cr_assert_geq(ctm_ctx_error_count(ctx), 1);
}

Test(score, targets_file_region_rows_beat_generic_rows)
{
	use_rubric(DEFAULT5);
	const char *t = "dimension,target,region\n"
			"d1,2,North\n"
			"d1,5,\n"
			"d2,coord,\n"
			"d2,Collaboration,South\n";
	cr_assert_eq(ctm_targets_load_memory(&tgs, "t.csv", t, strlen(t), rub, ctx), CTM_OK);
	sopts.targets = tgs;
	sopts.target = 3;
	read_ok("r.csv", "region,wave,partner,d1,d2,d3\n"
			 "North,1,A,3,2,1\n"
			 "South,1,A,3,2,1\n");
	score();
	const ctm_group *n = grp("North", "1"), *s = grp("South", "1");
	NEAR(dim(n, 0)->target, 2.0); /* North's own row, though listed first */
	NEAR(dim(n, 0)->gap, 0.0);    /* max(0, 2 - 3) */
	NEAR(dim(s, 0)->target, 5.0); /* the generic row */
	NEAR(dim(s, 0)->gap, 2.0);    /* 5 - 3 */
	NEAR(dim(n, 1)->target, 3.0); /* "coord" is level 3 */
	NEAR(dim(s, 1)->target, 4.0); /* South: "Collaboration" by name */
	NEAR(dim(s, 1)->gap, 2.0);    /* 4 - 2 */
	NEAR(dim(n, 2)->target, 3.0); /* no row: --target */
	/* the stage target is --target, not --targets */
	cr_assert_eq(ctm_group_stage_target(n), 3);
}

/* ---- priorities, divergence ---- */

Test(score, priorities_gap_then_rwg_then_rubric_order)
{
	run(DEFAULT5, "region,wave,partner,d1,d2,d3\n"
		      "G,1,A,2,1,2\n"
		      "G,1,B,2,3,2\n"
		      "H,1,A,2,1,2\n"
		      "H,1,B,2,3,\n");
	/* G: all means 2, gaps 4 - 2 = 2; rwg d1 = 1, d2 = 1 - 2 / 2 = 0, d3 = 1:
	 * d2 (rwg 0), then d1 and d3 in rubric order */
	const ctm_group *g = grp("G", "1");
	cr_assert_eq(ctm_group_priority_count(g), 3);
	cr_assert_eq(ctm_group_priority(g, 0), 1);
	cr_assert_eq(ctm_group_priority(g, 1), 0);
	cr_assert_eq(ctm_group_priority(g, 2), 2);
	/* H: d3 has n = 1 (rwg undefined): after every defined rwg */
	const ctm_group *h = grp("H", "1");
	cr_assert_eq(ctm_group_priority_count(h), 3);
	cr_assert_eq(ctm_group_priority(h, 0), 1);
	cr_assert_eq(ctm_group_priority(h, 1), 0);
	cr_assert_eq(ctm_group_priority(h, 2), 2);
	cr_assert_eq(ctm_group_priority(h, 3), SIZE_MAX);
}

Test(score, divergent_partners)
{
	run(DEFAULT5, "region,wave,partner,d1,d2\n"
		      "R,1,A,1,3\n"
		      "R,1,B,3,3\n"
		      "R,1,C,3,4\n"
		      "R,1,D,4,5\n"
		      "R,1,D,5,5\n");
	const ctm_group *g = grp("R", "1");
	/* d1 units 1, 3, 3, 4.5: median (3 + 3) / 2 = 3; |1 - 3| = 2 diverges,
	 * |4.5 - 3| = 1.5 does not. d2: 3 3 4 5, median 3.5, max |5 - 3.5| = 1.5 */
	cr_assert_eq(ctm_group_divergence_count(g), 1);
	const ctm_divergence *dv = ctm_group_divergence(g, 0);
	cr_assert_str_eq(ctm_group_unit_name(g, dv->unit), "A");
	cr_assert_eq(dv->dimension, 0);
	NEAR(dv->value, 1.0);
	NEAR(dv->median, 3.0);
}

Test(score, a_mean_exactly_at_the_target_is_no_priority)
{
	/* Units 15/3 = 5, 13/3 and 8/3 (rounded in doubles: 4.333..., 2.666...)
	 * sum to exactly 12: mean 4 = the target, gap max(0, 4 - 4) = 0. In
	 * doubles the mean is 3.9999999999999996 and the gap 4e-16: SPEC's
	 * "gap > 0" must still leave it out. */
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,A,5\n"
		      "R,1,A,5\n"
		      "R,1,A,5\n"
		      "R,1,B,4\n"
		      "R,1,B,4\n"
		      "R,1,B,5\n"
		      "R,1,C,2\n"
		      "R,1,C,3\n"
		      "R,1,C,3\n");
	const ctm_group *g = grp("R", "1");
	NEAR(dim(g, 0)->mean, 4.0);
	cr_assert_eq(dim(g, 0)->level, 4);
	cr_assert_eq(dim(g, 0)->gap, 0.0, "gap %.17g", dim(g, 0)->gap);
	cr_assert_eq(ctm_group_priority_count(g), 0);
}

Test(score, a_unit_exactly_two_levels_from_the_median_diverges)
{
	/* A = (3 + 4 + 4) / 3 = 11/3, B = C = 5/3: median 5/3, |11/3 - 5/3| = 2
	 * exactly (1.9999999999999998 in doubles). */
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,A,3\n"
		      "R,1,A,4\n"
		      "R,1,A,4\n"
		      "R,1,B,1\n"
		      "R,1,B,2\n"
		      "R,1,B,2\n"
		      "R,1,C,2\n"
		      "R,1,C,1\n"
		      "R,1,C,2\n");
	const ctm_group *g = grp("R", "1");
	NEAR(dim(g, 0)->median, 1.666667);
	cr_assert_eq(ctm_group_divergence_count(g), 1);
	cr_assert_str_eq(ctm_group_unit_name(g, ctm_group_divergence(g, 0)->unit), "A");
}

/* ---- role breakdown ---- */

/* manager 6, frontline 5, admin 2 respondents; all on partner P. */
static const char *roles_csv(char *buf, size_t size, int managers, int frontline, int admins)
{
	size_t len = (size_t)snprintf(buf, size, "region,wave,partner,role,d1\n");
	int id = 0;
	for (int i = 0; i < managers; i++)
		len += (size_t)snprintf(buf + len, size - len, "R,1,P%d,manager,%d\n", id++,
					i < 3 ? 2 : 4);
	for (int i = 0; i < frontline; i++)
		len += (size_t)snprintf(buf + len, size - len, "R,1,P%d,frontline,1\n", id++);
	for (int i = 0; i < admins; i++)
		len += (size_t)snprintf(buf + len, size - len, "R,1,P%d,admin,5\n", id++);
	cr_assert_lt(len, size);
	return buf;
}

Test(score, role_breakdown_complementary_suppression)
{
	char buf[2048];
	run(DEFAULT5, roles_csv(buf, sizeof(buf), 6, 5, 2));
	const ctm_group *g = grp("R", "1");
	cr_assert_eq(ctm_results_min_n(res), 5); /* the default */
	cr_assert_eq(ctm_group_role_count(g), 3);
	cr_assert_str_eq(ctm_group_role_name(g, 0), "manager");
	cr_assert_eq(ctm_group_role_respondents(g, 0), 6);
	cr_assert_not(ctm_group_role_suppressed(g, 0));
	/* managers: 2 2 2 4 4 4 -> 18 / 6 = 3 */
	NEAR(ctm_group_role_mean(g, 0, 0), 3.0);
	cr_assert_eq(ctm_group_role_n(g, 0, 0), 6);
	/* admin (2 < 5) is the only small cell: frontline (5, next smallest) too */
	cr_assert(ctm_group_role_suppressed(g, 2));
	cr_assert(ctm_group_role_suppressed(g, 1));
	UNDEF(ctm_group_role_mean(g, 1, 0));
	cr_assert_eq(ctm_group_role_n(g, 1, 0), 0);
	UNDEF(ctm_group_role_mean(g, 2, 0));
}

Test(score, role_breakdown_two_small_cells_need_no_complement)
{
	char buf[2048];
	run(DEFAULT5, roles_csv(buf, sizeof(buf), 6, 3, 2));
	const ctm_group *g = grp("R", "1");
	cr_assert_not(ctm_group_role_suppressed(g, 0));
	cr_assert(ctm_group_role_suppressed(g, 1));
	cr_assert(ctm_group_role_suppressed(g, 2));
}

Test(score, role_breakdown_min_n_from_the_option_and_the_rubric)
{
	char buf[2048];
	sopts.min_n = 2;
	run(DEFAULT5, roles_csv(buf, sizeof(buf), 6, 3, 2));
	const ctm_group *g = grp("R", "1");
	cr_assert_eq(ctm_results_min_n(res), 2);
	for (size_t r = 0; r < 3; r++)
		cr_assert_not(ctm_group_role_suppressed(g, r), "role %zu", r);
	NEAR(ctm_group_role_mean(g, 1, 0), 1.0);
	NEAR(ctm_group_role_mean(g, 2, 0), 5.0);
}

Test(score, role_breakdown_min_n_three_hides_one_and_its_complement)
{
	char buf[2048];
	run(RUBRIC5("<scoring min-n=\"3\"/>\n"), roles_csv(buf, sizeof(buf), 6, 3, 2));
	const ctm_group *g = grp("R", "1");
	cr_assert_eq(ctm_results_min_n(res), 3);
	/* admin 2 < 3 alone: frontline (3) hidden too, managers shown */
	cr_assert(ctm_group_role_suppressed(g, 2));
	cr_assert(ctm_group_role_suppressed(g, 1));
	cr_assert_not(ctm_group_role_suppressed(g, 0));
}

Test(score, respondents_without_a_role)
{
	run(RUBRIC5("<scoring min-n=\"1\"/>\n"), "region,wave,partner,role,d1\n"
						 "R,1,A,manager,2\n"
						 "R,1,B,,4\n");
	const ctm_group *g = grp("R", "1");
	cr_assert_eq(ctm_group_role_count(g), 2);
	cr_assert_str_eq(ctm_group_role_name(g, 1), "(no role)");
	NEAR(ctm_group_role_mean(g, 1, 0), 4.0);
}

/* ---- answers ---- */

Test(score, levels_by_value_id_and_name_ignoring_case)
{
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,A,COORDINATION\n"
		      "R,1,B,coord\n"
		      "R,1,C, Integ \n"
		      "R,1,D,awareness\n"
		      "R,1,E,02\n");
	const ctm_item_stats *s = dim(grp("R", "1"), 0);
	/* 3 3 5 1 2 = 14 / 5 */
	cr_assert_eq(s->n, 5);
	NEAR(s->mean, 2.8);
	NEAR(s->median, 3.0);
}

Test(score, options_by_code_and_label_and_missing_markers)
{
	run(DEFAULT5, "region,wave,partner,q1\n"
		      "R,1,A,YES\n"
		      "R,1,B,Partly\n"
		      "R,1,C,nO\n"
		      "R,1,D,PARTLY\n"
		      "R,1,E,Don't know\n"
		      "R,1,F,DK\n"
		      "R,1,G,N/A\n"
		      "R,1,H,na\n"
		      "R,1,I,\n");
	const ctm_item_stats *s = quest(grp("R", "1"), 0);
	/* 1 + 0.5 + 0 + 0.5 = 2 over 4; the rest missing */
	cr_assert_eq(s->n, 4);
	NEAR(s->mean, 0.5);
	/* every row still counts as a respondent */
	cr_assert_eq(ctm_group_respondent_count(grp("R", "1")), 9);
}

Test(score, columns_by_prompt_and_text_and_id_case)
{
	run(DEFAULT5, "Region,WAVE,partner,  how do you PLAN?  ,Q ONE?,D2\n"
		      "R,1,A,4,yes,2\n");
	const ctm_group *g = grp("R", "1");
	NEAR(dim(g, 0)->mean, 4.0);
	NEAR(dim(g, 1)->mean, 2.0);
	NEAR(quest(g, 0)->mean, 1.0);
}

/* ---- groups and files ---- */

Test(score, groups_in_natural_order)
{
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "r10,2024-10,A,1\n"
		      "r2,10,A,1\n"
		      "r10,2024-03,A,1\n"
		      "r2,2,A,1\n");
	cr_assert_eq(ctm_results_group_count(res), 4);
	static const char *const want[4][2] = {
		{ "r2", "2" },
		{ "r2", "10" },
		{ "r10", "2024-03" },
		{ "r10", "2024-10" },
	};
	for (size_t i = 0; i < 4; i++) {
		const ctm_group *g = ctm_results_group(res, i);
		cr_assert_str_eq(ctm_group_region(g), want[i][0], "group %zu", i);
		cr_assert_str_eq(ctm_group_wave(g), want[i][1], "group %zu", i);
	}
}

Test(score, several_files_make_one_data_set)
{
	use_rubric(DEFAULT5);
	read_ok("a.csv", "region,wave,partner,respondent,d1\n"
			 "R,1,A,x1,1\n"
			 "R,1,B,x2,2\n");
	/* columns in another order, one more group */
	read_ok("b.csv", "d1,partner,wave,region,respondent\n"
			 "4,A,1,R,x3\n"
			 "5,C,2,R,x1\n");
	score();
	cr_assert_eq(ctm_dataset_row_count(ds), 4);
	cr_assert_eq(ctm_results_group_count(res), 2);
	const ctm_item_stats *s = dim(grp("R", "1"), 0);
	/* A = (1 + 4) / 2 = 2.5, B = 2: mean 2.25 */
	cr_assert_eq(s->n, 2);
	NEAR(s->mean, 2.25);
	NEAR(dim(grp("R", "2"), 0)->mean, 5.0);
}

Test(score, duplicate_respondent_across_files)
{
	use_rubric(DEFAULT5);
	read_ok("a.csv", "region,wave,partner,respondent,d1\nR,1,A,x1,1\n");
	const char *b = "region,wave,partner,respondent,d1\nR,1,B,x1,2\n";
	cr_assert_eq(ctm_dataset_read_memory(ds, "b.csv", b, strlen(b), ctx), CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 1);
	/* the first error (the rubric's other items in no column are a warning) */
	const ctm_diag *d = NULL;
	for (size_t i = 0; !d && i < ctm_ctx_count(ctx); i++)
		if (ctm_ctx_get(ctx, i)->severity == CTM_SEV_ERROR)
			d = ctm_ctx_get(ctx, i);
	cr_assert(d);
	cr_assert_str_eq(d->file, "b.csv");
	cr_assert_eq(d->line, 2);
	cr_assert_eq(d->column, 7); /* "R,1,B,x1": x1 starts at 7 */
	cr_assert(strstr(d->message, "duplicate respondent 'x1'"), "%s", d->message);
}

Test(score, empty_data_set_is_not_scored)
{
	use_rubric(DEFAULT5);
	cr_assert_eq(ctm_dataset_new(&ds, rub, NULL, ctx), CTM_OK);
	cr_assert_eq(ctm_score_run(&res, ds, NULL, ctx), CTM_EINVALID);
	cr_assert_null(res);
}

/* ---- outputs ---- */

static char *write_to_string(ctm_format format)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	cr_assert_eq(ctm_results_write(res, format, f, ctx), CTM_OK);
	fclose(f);
	return text;
}

/* Partners A (d 1, qa yes), B (d 2, qa no), C (qa yes only); RUBRIC3: L = 3,
 * no target (L), θ 0.75.
 * d:  n 2, mean 1.5, sd sqrt(0.5) = 0.707107, median 1.5,
 *     half = 12.7062 * 0.707107 / sqrt(2) = 6.3531 -> [1, 3] clipped,
 *     rwg 1 - 0.5 / ((9 - 1) / 12 = 0.666667) = 0.25, level 2 (1.5 up),
 *     target 3, gap 1.5
 * d2: no column: n 0, target 3, the rest empty
 * qa: 1 0 1: n 3, mean 2/3 = 0.666667, sd sqrt(0.666667 / 2) = 0.577350,
 *     median 1, half = 4.3027 / 3 = 1.434233 -> [-0.767566, 2.100900] -> [0, 1]
 * qb, qc: n 0, levels 2, 3
 * levels: A_1 = 0.666667 (n 1) < 0.75; A_2, A_3 undefined (n 0)
 * stage: n 3 units, S 0, M = 0 + 0.666667, target 3, gap 3 - 0.666667 = 2.333333 */
#define TINY_CSV \
	"region,wave,partner,d,qa\n" \
	"\"Zürich, Nord\",1,A,1,yes\n" \
	"\"Zürich, Nord\",1,B,2,no\n" \
	"\"Zürich, Nord\",1,C,,yes\n"

Test(score, csv_output_exactly)
{
	run(RUBRIC3(""), TINY_CSV);
	char *text = write_to_string(CTM_FORMAT_CSV);
	cr_assert_str_eq(
		text,
		"region,wave,kind,id,n,mean,sd,median,ci_low,ci_high,rwg,level,target,gap\n"
		"\"Zürich, "
		"Nord\",1,dimension,d,2,1.5000,0.7071,1.5000,1.0000,3.0000,0.2500,2,3,1.5000\n"
		"\"Zürich, Nord\",1,dimension,d2,0,,,,,,,,3,\n"
		"\"Zürich, Nord\",1,question,qa,3,0.6667,0.5774,1.0000,0.0000,1.0000,,1,,\n"
		"\"Zürich, Nord\",1,question,qb,0,,,,,,,2,,\n"
		"\"Zürich, Nord\",1,question,qc,0,,,,,,,3,,\n"
		"\"Zürich, Nord\",1,level,1,1,0.6667,,,,,,1,,\n"
		"\"Zürich, Nord\",1,level,2,0,,,,,,,2,,\n"
		"\"Zürich, Nord\",1,level,3,0,,,,,,,3,,\n"
		"\"Zürich, Nord\",1,stage,overall,3,0.6667,,,,,,0,3,2.3333\n");
	free(text);
}

Test(score, csv_output_orders_groups_naturally)
{
	run(RUBRIC3(""), "region,wave,partner,d\n"
			 "R,10,A,3\n"
			 "R,9,A,1\n");
	char *text = write_to_string(CTM_FORMAT_CSV);
	/* wave 9 before wave 10; each group: 2 dimensions, 3 questions, 3 levels,
	 * stage = 9 rows. Wave 9: d = 1 (n 1), gap 3 - 1 = 2; M 0 */
	const char *w9 = strstr(text, "R,9,dimension,d,1,1.0000,,1.0000,,,,1,3,2.0000\n");
	const char *w10 = strstr(text, "R,10,dimension,d,1,3.0000,,3.0000,,,,3,3,0.0000\n");
	cr_assert_not_null(w9, "%s", text);
	cr_assert_not_null(w10, "%s", text);
	cr_assert_lt(w9, w10);
	cr_assert_not_null(strstr(text, "R,9,stage,overall,1,0.0000,,,,,,0,3,3.0000\n"), "%s",
			   text);
	free(text);
}

Test(score, json_output_has_the_same_numbers)
{
	run(RUBRIC3(""), TINY_CSV);
	char *text = write_to_string(CTM_FORMAT_JSON);
	static const char *const want[] = {
		"\"region\":\"Zürich, Nord\"",
		"\"wave\":\"1\"",
		"\"aggregate\":\"partner\"",
		"\"stage\":{\"stage\":0,\"maturity\":0.6667,\"target\":3,\"gap\":2.3333,"
		"\"inconsistent\":false}",
		"\"id\":\"d\",\"n\":2,\"mean\":1.5000,\"sd\":0.7071,\"median\":1.5000,"
		"\"ci_low\":1.0000,\"ci_high\":3.0000,\"rwg\":0.2500,\"level\":2,\"target\":3,"
		"\"gap\":1.5000",
		"\"id\":\"d2\",\"n\":0,\"mean\":null,\"sd\":null,\"median\":null,\"ci_low\":null,"
		"\"ci_high\":null,\"rwg\":null,\"level\":null,\"target\":3,\"gap\":null",
		"\"id\":\"qa\",\"n\":3,\"mean\":0.6667,\"sd\":0.5774,\"median\":1.0000,"
		"\"ci_low\":0.0000,\"ci_high\":1.0000,\"level\":1",
		"{\"level\":1,\"id\":\"a\",\"n\":1,\"attainment\":0.6667,\"attained\":false}",
		"{\"level\":2,\"id\":\"b\",\"n\":0,\"attainment\":null,\"attained\":false}",
		"\"priorities\":[{\"dimension\":\"d\",\"gap\":1.5000}]",
		/* blocking: levels 1..3 with a_q < 0.75 and data: qa */
		"\"blocking_questions\":[{\"id\":\"qa\",\"level\":1,\"mean\":0.6667}]",
		/* next steps of d: levels 3..3 (level 2, target 3); no descriptor */
		"\"next_steps\":[{\"level\":3,\"descriptor\":null}]",
		"\"exclusions\":[]",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert_not_null(strstr(text, want[i]), "JSON lacks %s:\n%s", want[i], text);
	/* balanced brackets outside strings: a cheap well-formedness check */
	int depth = 0, in_str = 0;
	for (const char *p = text; *p; p++) {
		if (in_str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_str = 0;
			continue;
		}
		if (*p == '"')
			in_str = 1;
		else if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			cr_assert_geq(--depth, 0);
	}
	cr_assert_eq(depth, 0);
	cr_assert_not(in_str);
	free(text);
}

Test(score, json_next_steps_are_the_descriptors_up_to_the_target)
{
	run(DEFAULT5, "region,wave,partner,d1\n"
		      "R,1,A,2\n");
	char *text = write_to_string(CTM_FORMAT_JSON);
	/* level 2, target 4: levels 3 and 4 */
	cr_assert_not_null(strstr(text,
				  "\"next_steps\":[{\"level\":3,\"descriptor\":\"adjusting\"},"
				  "{\"level\":4,\"descriptor\":\"jointly\"}]"),
			   "%s", text);
	free(text);
}

Test(score, save_writes_the_file_atomically)
{
	run(RUBRIC3(""), TINY_CSV);
	char dir[] = "/tmp/ctm-score-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	cr_assert_eq(ctm_results_save(res, CTM_FORMAT_CSV, path, ctx), CTM_OK);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	char line[256];
	cr_assert_not_null(fgets(line, sizeof(line), f));
	cr_assert_str_eq(
		line, "region,wave,kind,id,n,mean,sd,median,ci_low,ci_high,rwg,level,target,gap\n");
	fclose(f);
	remove(path);
	cr_assert_eq(remove(dir), 0, "only out.csv was in the directory");
	snprintf(path, sizeof(path), "/nonexistent-ctm/dir/out.csv");
	cr_assert_eq(ctm_results_save(res, CTM_FORMAT_CSV, path, ctx), CTM_EWRITE);
}

/* ---- thresholds decided exactly (docs/scoring.md, "Readings") ---- */

Test(score, rwg_of_exactly_the_consensus_threshold_is_consensus)
{
	/* L = 3; five units at 1, 2, 2, 2, 2: mean 1.8, sd^2 = (0.64 + 4 * 0.04)
	 * / 4 = 0.2, rwg = 1 - 0.2 / ((9 - 1) / 12) = 1 - 0.3 = 0.70 exactly
	 * (0.6999999999999998 in doubles): consensus, not low agreement. */
	run(RUBRIC3(""), "region,wave,partner,d\n"
			 "R,1,A,1\n"
			 "R,1,B,2\n"
			 "R,1,C,2\n"
			 "R,1,D,2\n"
			 "R,1,E,2\n");
	const ctm_item_stats *s = dim(grp("R", "1"), 0);
	NEAR(s->rwg, 0.70);
	cr_assert_not(s->low_agreement, "rwg = 0.70 is consensus (rwg >= 0.70)");
}

Test(score, equal_gaps_in_exact_arithmetic_are_ordered_by_rwg)
{
	/* L = 5, target 4. d1: units A = (3+3+2)/3 = 8/3 and B = 2; mean 7/3,
	 * gap 5/3, sd^2 = (2/3)^2 / 2 = 2/9, rwg = 1 - (2/9) / 2 = 8/9.
	 * d2: A = (4+3+3)/3 = 10/3, B = 2, C = (2+2+1)/3 = 5/3; mean 7/3, gap
	 * 5/3, deviations 1, -1/3, -2/3: sd^2 = (14/9) / 2 = 7/9, rwg = 1 -
	 * (7/9) / 2 = 11/18. Equal gaps: the lower rwg (d2) first. */
	run(DEFAULT5, "region,wave,partner,d1,d2\n"
		      "R,1,A,3,4\n"
		      "R,1,A,3,3\n"
		      "R,1,A,2,3\n"
		      "R,1,B,2,2\n"
		      "R,1,C,,2\n"
		      "R,1,C,,2\n"
		      "R,1,C,,1\n");
	const ctm_group *g = grp("R", "1");
	NEAR(dim(g, 0)->gap, 5.0 / 3);
	NEAR(dim(g, 1)->gap, 5.0 / 3);
	NEAR(dim(g, 0)->rwg, 8.0 / 9);
	NEAR(dim(g, 1)->rwg, 11.0 / 18);
	cr_assert_eq(ctm_group_priority_count(g), 2);
	cr_assert_eq(ctm_group_priority(g, 0), 1, "d2 (rwg 0.61) before d1 (rwg 0.89)");
	cr_assert_eq(ctm_group_priority(g, 1), 0);
}
