/*
 * Instruments of rated statements (docs/scoring.md, "Factors"): numeric
 * option codes, statements (no level), factors with a reversed item, bands
 * at their thresholds, a factor nobody answered, a rubric without levels.
 * Every expected number is worked out by hand in the comments.
 *
 * t quantiles: t(0.975,1) = 12.7062, t(0.975,2) = 4.3027.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "continuum.h"
#include "test_rubrics.h"

/* An agreement scale coded 1..5 (the values are the codes), 9 = not sure. */
#define AGREE5 "<scales>\n<scale id=\"agree5\">\n" \
	"<option code=\"1\">Strongly disagree</option>\n" \
	"<option code=\"2\">Disagree</option>\n" \
	"<option code=\"3\">Neither</option>\n" \
	"<option code=\"4\">Agree</option>\n" \
	"<option code=\"5\">Strongly agree</option>\n" \
	"<option code=\"9\" missing=\"true\">Not sure</option>\n" \
	"</scale>\n</scales>\n"

/* No levels, no dimensions: four statements, three factors. */
#define INVENTORY CTM_TEST_HEAD AGREE5 \
	"<questions>\n" \
	"<question id=\"s1\" scale=\"agree5\">Partners trust one another.</question>\n" \
	"<question id=\"s2\" scale=\"agree5\">Partners doubt each other's word.</question>\n" \
	"<question id=\"s3\" scale=\"agree5\">Every partner has a voice.</question>\n" \
	"<question id=\"s4\" scale=\"agree5\">Nobody answers this.</question>\n" \
	"</questions>\n" \
	"<factors>\n" \
	"<factor id=\"trust\"><name>Trust</name><item question=\"s1\"/>" \
	"<item question=\"s2\" reverse=\"true\"/></factor>\n" \
	"<factor id=\"voice\"><name>Voice</name><item question=\"s3\"/></factor>\n" \
	"<factor id=\"unanswered\"><name>Unanswered</name><item question=\"s4\"/></factor>\n" \
	"</factors>\n" \
	"<bands><band id=\"concern\" min=\"1\">Concern</band>" \
	"<band id=\"borderline\" min=\"3\">Borderline</band>" \
	"<band id=\"strength\" min=\"4\">Strength</band></bands>\n" \
	"</rubric>\n"

/*
 * Wave 1, partner units; a reversed value is 1 + 5 - x = 6 - x.
 *   A (two rows): s1 4, 5 -> 4.5; s2 2, 9 (missing) -> 2, reversed 4;
 *     trust (4.5 + 4) / 2 = 4.25; s3 3 -> voice 3.
 *   B: s1 3; s2 4 -> reversed 2; trust (3 + 2) / 2 = 2.5; s3 5 -> voice 5.
 *   C: s1 empty; s2 1 -> reversed 5; trust 5 (the one item it answered);
 *     no voice.
 *   trust: n 3, mean 11.75 / 3 = 3.916667 (borderline: 3 <= mean < 4);
 *     deviations 1/3, -17/12, 13/12: sd^2 = (1/9 + 289/144 + 169/144) / 2
 *     = 1.645833, sd 1.282900, median 4.25, rwg 1 - 1.645833 / ((25 - 1) / 12)
 *     = 0.177083; interval 3.916667 -+ 4.3027 * 1.282900 / sqrt(3)
 *     = 0.7298 .. 7.1036, clipped to [1, 5].
 *   voice: 3 and 5: mean exactly 4.0 -- the strength band's min: strength;
 *     sd sqrt(2) = 1.414214, rwg 1 - 2 / 2 = 0, interval 4 -+ 12.7062,
 *     clipped to [1, 5].
 * Wave 2: A s1 3, s2 3 -> trust 3; B s1 2, s2 2 -> reversed 4, trust 3:
 *   mean exactly 3.0 -- the borderline band's min; sd 0, rwg 1.
 *   A s3 2 -> voice 2 (n 1): concern; sd, interval and rwg undefined.
 */
#define DATA "region,wave,partner,s1,s2,s3,s4\n" \
	"R,1,A,4,2,3,\n" \
	"R,1,A,5,9,,\n" \
	"R,1,B,3,4,5,\n" \
	"R,1,C,,1,,9\n" \
	"R,2,A,3,3,2,\n" \
	"R,2,B,2,2,,\n"

#define NEAR(a, b) cr_assert_float_eq((a), (b), 1e-4, "%s = %f, expected %f", #a, (double)(a), (double)(b))

static ctm_ctx *ctx;
static ctm_rubric *rub;
static ctm_dataset *ds;
static ctm_results *res;

static void dump(void)
{
	char buf[1024];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		cr_log_error("%s", buf);
	}
}

static void run(const char *xml, const char *csv)
{
	ctx = ctm_ctx_new();
	int rc = ctm_rubric_load_memory(&rub, "t.xml", xml, strlen(xml), ctx);
	if (rc)
		dump();
	cr_assert_eq(rc, CTM_OK);
	cr_assert_eq(ctm_dataset_new(&ds, rub, NULL, ctx), CTM_OK);
	rc = ctm_dataset_read_memory(ds, "d.csv", csv, strlen(csv), ctx);
	if (rc)
		dump();
	cr_assert_eq(rc, CTM_OK);
	cr_assert_eq(ctm_score_run(&res, ds, NULL, ctx), CTM_OK);
}

static void teardown(void)
{
	ctm_results_free(res);
	ctm_dataset_free(ds);
	ctm_rubric_free(rub);
	ctm_ctx_free(ctx);
	res = NULL;
	ds = NULL;
	rub = NULL;
	ctx = NULL;
}

TestSuite(factors, .fini = teardown);

static const ctm_item_stats *factor(const char *wave, size_t f)
{
	const ctm_group *g = ctm_results_find_group(res, "R", wave);
	cr_assert_not_null(g);
	return ctm_group_factor(g, f);
}

static char *table(ctm_format format)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cr_assert_eq(ctm_results_write(res, format, f, ctx), CTM_OK);
	fclose(f);
	return text;
}

Test(factors, the_inventory_loads)
{
	run(INVENTORY, DATA);
	cr_assert_eq(ctm_rubric_level_count(rub), 0);
	cr_assert_eq(ctm_rubric_levelled_question_count(rub), 0);
	cr_assert_eq(ctm_rubric_factor_count(rub), 3);
	const ctm_factor *trust = ctm_rubric_factor(rub, 0);
	cr_assert_str_eq(ctm_factor_id(trust), "trust");
	cr_assert_eq(ctm_factor_item_count(trust), 2);
	cr_assert_not(ctm_factor_item_reversed(trust, 0));
	cr_assert(ctm_factor_item_reversed(trust, 1));
	NEAR(ctm_factor_lowest(trust), 1.0);
	NEAR(ctm_factor_highest(trust), 5.0);
	const ctm_option *o = ctm_scale_option(ctm_rubric_scale(rub, 0), 3);
	NEAR(ctm_option_value(o), 4.0); /* the numeric code is the value */
	cr_assert(isnan(ctm_option_score(o)), "no score given");
	cr_assert_eq(ctm_rubric_band_count(rub), 3);
	NEAR(ctm_band_min(ctm_rubric_band(rub, 1)), 3.0);
}

Test(factors, means_reversals_and_bands)
{
	run(INVENTORY, DATA);
	const ctm_item_stats *t = factor("1", 0);
	cr_assert_eq(t->n, 3);
	NEAR(t->mean, 3.916667);
	NEAR(t->sd, 1.282900);
	NEAR(t->median, 4.25);
	NEAR(t->rwg, 0.177083);
	NEAR(t->ci_low, 1.0);
	NEAR(t->ci_high, 5.0);
	cr_assert_eq(t->level, 2, "borderline");
	cr_assert(isnan(t->target) && isnan(t->gap));

	/* A's rated value on s2 is 2 (its second answer is "not sure"), before
	 * the reversal; C never rated s1 */
	const ctm_group *g1 = ctm_results_find_group(res, "R", "1");
	NEAR(ctm_group_unit_item_value(g1, 0, 1), 2.0);
	NEAR(ctm_group_unit_item_value(g1, 0, 0), 4.5);
	cr_assert(isnan(ctm_group_unit_item_value(g1, 2, 0)));
	NEAR(ctm_group_unit_factor_value(g1, 0, 0), 4.25);
	NEAR(ctm_group_unit_factor_value(g1, 2, 0), 5.0);

	const ctm_item_stats *v = factor("1", 1);
	cr_assert_eq(v->n, 2);
	NEAR(v->mean, 4.0);
	NEAR(v->sd, 1.414214);
	NEAR(v->rwg, 0.0);
	cr_assert_eq(v->level, 3, "a mean of exactly 4.0 is a strength");
}

Test(factors, a_mean_of_exactly_three_is_borderline)
{
	run(INVENTORY, DATA);
	const ctm_item_stats *t = factor("2", 0);
	cr_assert_eq(t->n, 2);
	NEAR(t->mean, 3.0);
	NEAR(t->sd, 0.0);
	NEAR(t->rwg, 1.0);
	cr_assert_eq(t->level, 2, "a mean of exactly 3.0 is borderline");
	const ctm_item_stats *v = factor("2", 1);
	cr_assert_eq(v->n, 1);
	cr_assert_eq(v->level, 1, "concern");
	cr_assert(isnan(v->sd) && isnan(v->rwg) && isnan(v->ci_low));
}

Test(factors, the_table_has_factor_rows_and_no_stage)
{
	run(INVENTORY, DATA);
	char *csv = table(CTM_FORMAT_CSV);
	/* statements: an empty level; the question rows count scores, and
	 * these options have none */
	cr_assert_not_null(strstr(csv, "\nR,1,question,s1,0,,,,,,,,,\n"), "%s", csv);
	cr_assert_not_null(strstr(csv, "\nR,1,factor,trust,3,3.9167,1.2829,4.2500,1.0000,5.0000,"
				       "0.1771,2,,\n"),
			   "%s", csv);
	cr_assert_not_null(strstr(csv, "\nR,1,factor,voice,2,4.0000,1.4142,4.0000,1.0000,5.0000,"
				       "0.0000,3,,\n"),
			   "%s", csv);
	cr_assert_not_null(strstr(csv, "\nR,1,factor,unanswered,0,,,,,,,,,\n"), "%s", csv);
	cr_assert_not_null(strstr(csv, "\nR,2,factor,voice,1,2.0000,,2.0000,,,,1,,\n"), "%s",
			   csv);
	cr_assert_null(strstr(csv, ",stage,"), "no levelled question: no stage row");
	cr_assert_null(strstr(csv, "\nR,1,level,"), "no levels: no level rows");
	free(csv);
	char *json = table(CTM_FORMAT_JSON);
	cr_assert_not_null(strstr(json, "\"band\":\"borderline\",\"band_name\":\"Borderline\""));
	cr_assert_not_null(strstr(json, "\"stage\":null"));
	free(json);
	const ctm_group *g = ctm_results_find_group(res, "R", "1");
	cr_assert_not(ctm_group_has_stage(g));
	cr_assert(isnan(ctm_group_maturity(g)));
}

/* A rubric with levels, a levelled question on a numeric-coded scale, and
 * a statement on the same scale: the statement is in no level's A_l. */
#define MIXED CTM_TEST_HEAD CTM_TEST_LEVELS3 \
	"<scales>\n<scale id=\"a5\">\n" \
	"<option code=\"1\" score=\"0\">SD</option>\n" \
	"<option code=\"2\" score=\"0.25\">D</option>\n" \
	"<option code=\"3\" score=\"0.5\">N</option>\n" \
	"<option code=\"4\" score=\"0.75\">A</option>\n" \
	"<option code=\"5\" score=\"1\">SA</option>\n" \
	"</scale>\n</scales>\n" \
	"<questions>\n" \
	"<question id=\"q1\" level=\"1\" scale=\"a5\">Q one?</question>\n" \
	"<question id=\"s1\" scale=\"a5\">S one.</question>\n" \
	"</questions>\n" \
	"<factors><factor id=\"f\"><name>F</name><item question=\"s1\"/></factor></factors>\n" \
	"</rubric>\n"

Test(factors, a_statement_is_in_no_levels_attainment)
{
	/* q1: A 5 (score 1), B 4 (0.75): a_q = 0.875 = A_1 >= 0.75: S = 1,
	 * M = 1 (A_2 undefined). s1: A 1 (score 0), B 1: a_s = 0 -- a level-1
	 * question at 0 would have left level 1 unattained. Factor f: values 1, 1:
	 * mean 1. */
	run(MIXED, "region,wave,partner,q1,s1\nR,1,A,5,1\nR,1,B,4,1\n");
	const ctm_group *g = ctm_results_find_group(res, "R", "1");
	cr_assert(ctm_group_has_stage(g));
	NEAR(ctm_group_level_attainment(g, 1), 0.875);
	cr_assert_eq(ctm_group_level_n(g, 1), 1, "the statement is not counted");
	cr_assert_eq(ctm_group_stage(g), 1);
	NEAR(ctm_group_maturity(g), 1.0);
	NEAR(ctm_group_question(g, 1)->mean, 0.0);
	cr_assert_eq(ctm_group_question(g, 1)->level, 0);
	NEAR(ctm_group_factor(g, 0)->mean, 1.0);
	char *csv = table(CTM_FORMAT_CSV);
	cr_assert_not_null(strstr(csv, "\nR,1,question,s1,2,0.0000,0.0000,0.0000,0.0000,0.0000,,,,\n"),
			   "%s", csv);
	cr_assert_not_null(strstr(csv, "\nR,1,stage,overall,2,1.0000,,,,,,1,3,2.0000\n"), "%s", csv);
	free(csv);
}

static int load_fails_with(const char *xml, const char *text)
{
	ctm_rubric *r = NULL;
	ctx = ctm_ctx_new();
	int rc = ctm_rubric_load_memory(&r, "t.xml", xml, strlen(xml), ctx);
	ctm_rubric_free(r);
	int found = 0;
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++)
		if (strstr(ctm_ctx_get(ctx, i)->message, text))
			found = 1;
	if (!found)
		dump();
	return rc == CTM_EINVALID && found;
}

Test(factors, a_factor_item_needs_values_on_its_scale)
{
	cr_assert(load_fails_with(CTM_TEST_HEAD CTM_TEST_LEVELS3 CTM_TEST_SCALE_YPN
				  "<questions><question id=\"s\" scale=\"ypn\">S.</question>"
				  "</questions><factors><factor id=\"f\"><name>F</name>"
				  "<item question=\"s\"/></factor></factors></rubric>",
				  "needs a value"));
}

Test(factors, a_levelled_question_needs_scores)
{
	cr_assert(load_fails_with(CTM_TEST_HEAD CTM_TEST_LEVELS3 AGREE5
				  "<questions><question id=\"q\" level=\"1\" scale=\"agree5\">Q?"
				  "</question></questions></rubric>",
				  "needs a score"));
}

Test(factors, dimensions_need_levels)
{
	cr_assert(load_fails_with(CTM_TEST_HEAD "<dimensions><dimension id=\"d\"><name>D</name>"
						"<prompt>P?</prompt></dimension></dimensions></rubric>",
				  "no <levels>"));
}

Test(factors, a_factor_names_a_question_that_exists)
{
	cr_assert(load_fails_with(CTM_TEST_HEAD AGREE5
				  "<questions><question id=\"s\" scale=\"agree5\">S.</question>"
				  "</questions><factors><factor id=\"f\"><name>F</name>"
				  "<item question=\"nope\"/></factor></factors></rubric>",
				  "not defined"));
}

/* ---- compare: factors are measures like dimensions ---- */

/*
 * Factor "voice" (s3 alone). Region R, wave 1: partners at 1, 2, 3 (mean 2,
 * s^2 = 1); wave 2: 3, 4, 5 (mean 4, s^2 = 1). Welch: t = 2 / sqrt(1/3 +
 * 1/3) = 2.449490, df = (2/3)^2 / ((1/3)^2 / 2 * 2) = 4, two-sided p =
 * 0.070484 (scipy.stats.t.sf(2.449490, 4) * 2): not significant.
 * Region S, wave 1: 3, 4, 5. ICC of wave 1 over R and S: group means 2 and
 * 4, grand mean 3; MSB = 3 * (1 + 1) / 1 = 6, MSW = (2 + 2) / (6 - 2) = 1,
 * k = (6 - 18 / 6) / 1 = 3; ICC(1) = (6 - 1) / (6 + 2 * 1) = 0.625, ICC(2) =
 * (6 - 1) / 6 = 0.833333. Ranking of wave 1 by the mean of the factor means
 * (no stage; trust has no answers, so voice alone): S (4) before R (2).
 */
#define WAVES "region,wave,partner,s3\n" \
	"R,1,A,1\nR,1,B,2\nR,1,C,3\n" \
	"R,2,A,3\nR,2,B,4\nR,2,C,5\n" \
	"S,1,D,3\nS,1,E,4\nS,1,F,5\n"

Test(factors, compare_tests_factor_changes_and_their_icc)
{
	ctm_comparison *c = NULL;
	run(INVENTORY, WAVES);
	cr_assert_eq(ctm_compare_run(&c, res, ctx), CTM_OK);
	cr_assert_eq(ctm_comparison_measure_count(c), 3);
	cr_assert_str_eq(ctm_comparison_measure_id(c, 1), "voice");
	cr_assert(ctm_comparison_measure_is_factor(c, 1));
	cr_assert_eq(ctm_comparison_rank_by(c), CTM_RANK_BY_FACTOR_MEAN);
	/* no stage row: one row per factor for R's one pair of waves */
	cr_assert_eq(ctm_comparison_change_count(c), 3);
	const ctm_change *ch = ctm_comparison_change(c, 1);
	cr_assert_eq(ch->dimension, 1);
	NEAR(ch->from, 2.0);
	NEAR(ch->to, 4.0);
	NEAR(ch->delta, 2.0);
	NEAR(ch->t, 2.449490);
	NEAR(ch->df, 4.0);
	NEAR(ch->p, 0.070484);
	cr_assert_eq(ch->significant, 0);
	const ctm_icc *icc = ctm_comparison_icc(c, 0, 1);
	cr_assert_eq(icc->regions, 2);
	cr_assert_eq(icc->units, 6);
	NEAR(icc->icc1, 0.625);
	NEAR(icc->icc2, 0.833333);
	const ctm_rank *first = ctm_comparison_ranking(c, 0, 0);
	cr_assert_str_eq(ctm_comparison_region(c, first->region), "S");
	NEAR(first->score, 4.0);
	cr_assert(isnan(first->maturity));

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cr_assert_eq(ctm_comparison_write_csv(c, f, ctx), CTM_OK);
	fclose(f);
	cr_assert_not_null(strstr(text, "\nR,voice,1,2,3,3,2.0000,4.0000,2.0000,0.0705,no\n"), "%s",
			   text);
	cr_assert_null(strstr(text, ",stage,"), "no stage rows");
	free(text);
	ctm_comparison_free(c);
}
