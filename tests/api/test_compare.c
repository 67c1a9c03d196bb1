/*
 * Comparison of regions over waves (SPEC "Comparison (compare)") through the
 * public API, on data small enough to work out by hand. Every expected number
 * carries its arithmetic; the reference values were checked with scipy during
 * development (the calls are quoted), never copied from this program.
 *
 * The main data set: a 5-level rubric with dimensions d, e, f, g and one
 * diagnostic question per level 1..3; one respondent per partner, so a
 * partner's value is its one answer.
 *
 *   region "2",  wave "2":  4 partners  d 1 2 2 3   e 2 2 2 2   f 2 2 2 2   g 3 - - -
 *   region "2",  wave "10": 5 partners  d 2 3 3 3 3 e 1 2 3 3 3 f 3 3 3 3 3 g 1 2 3 3 3
 *   region "10", wave "10": 3 partners  d 1 1 2     e 3 3 3     f 1 2 3     g 2 2 2
 *
 * Region "10" has one wave only: it has no pair and no rows. Wave "2" has
 * one region only: its ICCs are undefined. Natural order puts "2" before
 * "10" for both regions and waves (strcmp would not).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "continuum.h"
#include "test_rubrics.h"

#define RUBRIC \
	CTM_TEST_HEAD \
	"<levels>\n" \
	"<level value=\"1\" id=\"l1\"><name>One</name></level>\n" \
	"<level value=\"2\" id=\"l2\"><name>Two</name></level>\n" \
	"<level value=\"3\" id=\"l3\"><name>Three</name></level>\n" \
	"<level value=\"4\" id=\"l4\"><name>Four</name></level>\n" \
	"<level value=\"5\" id=\"l5\"><name>Five</name></level>\n" \
	"</levels>\n" \
	"<scales>\n<scale id=\"ypn\">\n" \
	"<option code=\"yes\" score=\"1\">Yes</option>\n" \
	"<option code=\"partly\" score=\"0.5\">Partly</option>\n" \
	"<option code=\"no\" score=\"0\">No</option>\n" \
	"</scale>\n</scales>\n" \
	"<dimensions>\n" \
	"<dimension id=\"d\"><name>Dee</name><prompt>D?</prompt></dimension>\n" \
	"<dimension id=\"e\"><name>Ee</name><prompt>E?</prompt></dimension>\n" \
	"<dimension id=\"f\"><name>Ef</name><prompt>F?</prompt></dimension>\n" \
	"<dimension id=\"g\"><name>Gee</name><prompt>G?</prompt></dimension>\n" \
	"</dimensions>\n" \
	"<questions>\n" \
	"<question id=\"qa\" level=\"1\" scale=\"ypn\">QA?</question>\n" \
	"<question id=\"qb\" level=\"2\" scale=\"ypn\">QB?</question>\n" \
	"<question id=\"qc\" level=\"3\" scale=\"ypn\">QC?</question>\n" \
	"</questions>\n<scoring attainment=\"0.75\"/>\n</rubric>\n"

/* Stage: wave "2" answers qa yes, qb no, qc no: A1 = 1, A2 = 0, so S = 1,
 * M = 1 + A2 = 1. Region "2" wave "10": qa yes, qb yes, qc partly: S = 2,
 * M = 2 + 0.5 = 2.5. Region "10": qa yes, qb partly, qc no: S = 1, M = 1.5. */
static const char DATA[] = "region,wave,partner,d,e,f,g,qa,qb,qc\n"
			   "2,2,P1,1,2,2,3,yes,no,no\n"
			   "2,2,P2,2,2,2,,yes,no,no\n"
			   "2,2,P3,2,2,2,,yes,no,no\n"
			   "2,2,P4,3,2,2,,yes,no,no\n"
			   "10,10,Q1,1,3,1,2,yes,partly,no\n"
			   "10,10,Q2,1,3,2,2,yes,partly,no\n"
			   "10,10,Q3,2,3,3,2,yes,partly,no\n"
			   "2,10,P1,2,1,3,1,yes,yes,partly\n"
			   "2,10,P2,3,2,3,2,yes,yes,partly\n"
			   "2,10,P3,3,3,3,3,yes,yes,partly\n"
			   "2,10,P4,3,3,3,3,yes,yes,partly\n"
			   "2,10,P5,3,3,3,3,yes,yes,partly\n";

static ctm_ctx *ctx;
static ctm_rubric *rub;
static ctm_dataset *ds;
static ctm_results *res;
static ctm_comparison *cmp;

static void setup(void)
{
	ctx = ctm_ctx_new();
	rub = NULL;
	ds = NULL;
	res = NULL;
	cmp = NULL;
}

static void teardown(void)
{
	ctm_comparison_free(cmp);
	ctm_results_free(res);
	ctm_dataset_free(ds);
	ctm_rubric_free(rub);
	ctm_ctx_free(ctx);
}

TestSuite(compare, .init = setup, .fini = teardown);

static void compare_data(const char *data)
{
	cr_assert_eq(ctm_rubric_load_memory(&rub, "t.xml", RUBRIC, strlen(RUBRIC), ctx), 0);
	cr_assert_eq(ctm_dataset_new(&ds, rub, NULL, ctx), 0);
	cr_assert_eq(ctm_dataset_read_memory(ds, "r.csv", data, strlen(data), ctx), 0);
	cr_assert_eq(ctm_score_run(&res, ds, NULL, ctx), 0);
	cr_assert_eq(ctm_compare_run(&cmp, res, ctx), 0);
}

/* The text a writer produces, in a malloc'd string. */
static char *written(int (*writer)(const ctm_comparison *, FILE *, ctm_ctx *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(writer(cmp, f, ctx), 0);
	fclose(f);
	return buf;
}

#define EPS 1e-9

Test(compare, natural_order_of_regions_and_waves)
{
	compare_data(DATA);
	cr_assert_eq(ctm_comparison_region_count(cmp), 2);
	cr_assert_str_eq(ctm_comparison_region(cmp, 0), "2");
	cr_assert_str_eq(ctm_comparison_region(cmp, 1), "10");
	cr_assert_eq(ctm_comparison_wave_count(cmp), 2);
	cr_assert_str_eq(ctm_comparison_wave(cmp, 0), "2");
	cr_assert_str_eq(ctm_comparison_wave(cmp, 1), "10");
	cr_assert_null(ctm_comparison_group(cmp, 1, 0)); /* region 10 in wave 2 */
	cr_assert_not_null(ctm_comparison_group(cmp, 1, 1));
}

Test(compare, one_wave_region_has_no_rows)
{
	compare_data(DATA);
	/* one pair (region 2, wave 2 -> 10) x (stage + 4 dimensions) */
	cr_assert_eq(ctm_comparison_change_count(cmp), 5);
	for (size_t i = 0; i < 5; i++) {
		const ctm_change *ch = ctm_comparison_change(cmp, i);
		cr_assert_eq(ch->region, 0);
		cr_assert_eq(ch->from_wave, 0, "from wave \"2\"");
		cr_assert_eq(ch->to_wave, 1, "to wave \"10\"");
	}
	cr_assert_eq(ctm_comparison_change(cmp, 0)->dimension, CTM_CHANGE_STAGE);
	cr_assert_eq(ctm_comparison_change(cmp, 1)->dimension, 0);
	cr_assert_eq(ctm_comparison_change(cmp, 4)->dimension, 3);
}

Test(compare, stage_row)
{
	compare_data(DATA);
	const ctm_change *ch = ctm_comparison_change(cmp, 0);
	cr_assert_eq(ch->n_from, 4);
	cr_assert_eq(ch->n_to, 5);
	cr_assert_float_eq(ch->from, 1.0, EPS); /* S 1 + A2 0 */
	cr_assert_float_eq(ch->to, 2.5, EPS);   /* S 2 + A3 0.5 */
	cr_assert_float_eq(ch->delta, 1.5, EPS);
	cr_assert_eq(ch->stage_from, 1);
	cr_assert_eq(ch->stage_to, 2);
	cr_assert(isnan(ch->p));
	cr_assert_eq(ch->significant, -1);
}

/*
 * d: from 1 2 2 3 (mean 2, s1^2 = (1+0+0+1)/3 = 2/3, n1 = 4),
 *    to 2 3 3 3 3 (mean 2.8, s2^2 = (0.64+4*0.04)/4 = 0.2, n2 = 5).
 * v1 = (2/3)/4 = 1/6, v2 = 0.2/5 = 0.04, v1 + v2 = 0.206667
 * t = 0.8 / sqrt(0.206667) = 0.8 / 0.454606 = 1.759765
 * df = 0.206667^2 / ((1/6)^2/3 + 0.04^2/4) = 0.0427111 / 0.00965926 = 4.42178
 * p = 2 Q_t(1.759765; 4.42178) = 0.146385:
 *   scipy.stats.ttest_ind([2,3,3,3,3], [1,2,2,3], equal_var=False)
 *   -> statistic 1.7597653802562392, pvalue 0.14638538421711653
 */
Test(compare, welch_against_hand_computation)
{
	compare_data(DATA);
	const ctm_change *ch = ctm_comparison_change(cmp, 1);
	cr_assert_eq(ch->n_from, 4);
	cr_assert_eq(ch->n_to, 5);
	cr_assert_float_eq(ch->from, 2.0, EPS);
	cr_assert_float_eq(ch->to, 2.8, EPS);
	cr_assert_float_eq(ch->delta, 0.8, EPS);
	cr_assert_float_eq(ch->t, 1.7597653802562392, 1e-9);
	cr_assert_float_eq(ch->df, 4.42178, 1e-4);
	cr_assert_float_eq(ch->p, 0.14638538421711653, 1e-9);
	cr_assert_eq(ch->significant, 0);
}

/*
 * e: from 2 2 2 2 (sd 0), to 1 2 3 3 3 (mean 2.4, s^2 = (1.96+0.16+3*0.36)/4
 * = 0.8): one variance 0 is still a test. t = 0.4 / sqrt(0 + 0.8/5) = 1,
 * df = n2 - 1 = 4, p = 2 Q_t(1; 4) = 0.373901:
 *   scipy.stats.ttest_ind([1,2,3,3,3], [2,2,2,2], equal_var=False)
 *   -> statistic 0.9999999999999998, pvalue 0.373900966300059
 */
Test(compare, zero_variance_in_one_wave_is_defined)
{
	compare_data(DATA);
	const ctm_change *ch = ctm_comparison_change(cmp, 2);
	cr_assert_float_eq(ch->t, 1.0, 1e-12);
	cr_assert_float_eq(ch->df, 4.0, 1e-12);
	cr_assert_float_eq(ch->p, 0.373900966300059, 1e-9);
	cr_assert_eq(ch->significant, 0);
}

/* f: 2 2 2 2 then 3 3 3 3 3: both variances 0, so no test, though Δ = 1. */
Test(compare, zero_variance_in_both_is_undefined)
{
	compare_data(DATA);
	const ctm_change *ch = ctm_comparison_change(cmp, 3);
	cr_assert_float_eq(ch->delta, 1.0, EPS);
	cr_assert(isnan(ch->t) && isnan(ch->df) && isnan(ch->p));
	cr_assert_eq(ch->significant, -1);
}

/* g: one partner answered in wave "2" (n = 1 < 2): Δ = 2.4 - 3, no test. */
Test(compare, n_below_two_is_undefined)
{
	compare_data(DATA);
	const ctm_change *ch = ctm_comparison_change(cmp, 4);
	cr_assert_eq(ch->n_from, 1);
	cr_assert_float_eq(ch->delta, -0.6, EPS);
	cr_assert(isnan(ch->p));
	cr_assert_eq(ch->significant, -1);
	/* d and e were tested, f and g not; none significant */
	cr_assert_eq(ctm_comparison_test_count(cmp), 2);
	cr_assert_eq(ctm_comparison_significant_count(cmp), 0);
}

/* Wave "2" has region "2" only: G = 1, so every ICC is undefined. */
Test(compare, one_region_in_a_wave_has_no_icc)
{
	compare_data(DATA);
	for (size_t d = 0; d < 4; d++) {
		const ctm_icc *icc = ctm_comparison_icc(cmp, 0, d);
		cr_assert_eq(icc->regions, 1);
		cr_assert_eq(icc->units, d == 3 ? 1 : 4);
		cr_assert(isnan(icc->icc1) && isnan(icc->icc2));
	}
}

/*
 * Wave "10", d: region 2: 2 3 3 3 3 (n 5, mean 2.8); region 10: 1 1 2 (n 3,
 * mean 4/3). N = 8, G = 2, grand mean 18/8 = 2.25.
 * MSB = (5 * 0.55^2 + 3 * 0.916667^2) / 1 = 1.5125 + 2.520833 = 4.033333
 * MSW = (0.8 + (1/9 + 1/9 + 4/9)) / 6 = 1.466667 / 6 = 0.244444
 * k = (8 - (25 + 9) / 8) / 1 = 3.75
 * ICC(1) = 3.788889 / (4.033333 + 2.75 * 0.244444) = 3.788889 / 4.705556 = 0.805195
 * ICC(2) = 3.788889 / 4.033333 = 0.939394
 * e: 1 2 3 3 3 (2.4) and 3 3 3 (3): grand 2.625, MSB = 5*0.225^2 + 3*0.375^2
 *   = 0.675, MSW = 3.2/6 = 0.533333; ICC(1) = 0.141667/2.141667 = 0.066148,
 *   ICC(2) = 0.141667/0.675 = 0.209877
 * g: 1 2 3 3 3 (2.4) and 2 2 2 (2): grand 2.25, MSB = 0.1125 + 0.1875 = 0.3,
 *   MSW = 0.533333; ICC(1) = -0.233333/1.766667 = -0.132075 (negative: less
 *   between than within), ICC(2) = -0.233333/0.3 = -0.777778
 * The same in numpy (one-way ANOVA as above) gave 0.8051948051948051,
 * 0.9393939393939393; 0.06614785992217911, 0.20987654320987686;
 * -0.1320754716981133, -0.7777777777777785.
 */
Test(compare, icc_against_hand_computation)
{
	compare_data(DATA);
	const ctm_icc *d = ctm_comparison_icc(cmp, 1, 0);
	cr_assert_eq(d->regions, 2);
	cr_assert_eq(d->units, 8);
	cr_assert_float_eq(d->icc1, 0.8051948051948051, 1e-9);
	cr_assert_float_eq(d->icc2, 0.9393939393939393, 1e-9);
	const ctm_icc *e = ctm_comparison_icc(cmp, 1, 1);
	cr_assert_float_eq(e->icc1, 0.06614785992217911, 1e-9);
	cr_assert_float_eq(e->icc2, 0.20987654320987686, 1e-9);
	const ctm_icc *g = ctm_comparison_icc(cmp, 1, 3);
	cr_assert_float_eq(g->icc1, -0.1320754716981133, 1e-9);
	cr_assert_float_eq(g->icc2, -0.7777777777777785, 1e-9);
}

/* Ranking in wave "10": region 2 (M 2.5) before region 10 (M 1.5). */
Test(compare, ranking_by_maturity)
{
	compare_data(DATA);
	cr_assert_eq(ctm_comparison_ranking_count(cmp, 0), 1);
	cr_assert_eq(ctm_comparison_ranking_count(cmp, 1), 2);
	const ctm_rank *a = ctm_comparison_ranking(cmp, 1, 0),
		       *b = ctm_comparison_ranking(cmp, 1, 1);
	cr_assert_eq(a->region, 0);
	cr_assert_eq(a->rank, 1);
	cr_assert_float_eq(a->maturity, 2.5, EPS);
	cr_assert_eq(b->region, 1);
	cr_assert_eq(b->rank, 2);
	cr_assert_eq(b->stage, 1);
}

/* Equal M shares a rank, and the next rank skips: 1, 1, 3. Regions A and B
 * both answer qa yes, qb partly (M = 1.5); C answers qa yes, qb no (M = 1). */
Test(compare, ranking_ties_share_a_rank)
{
	compare_data("region,wave,partner,d,qa,qb\n"
		     "B,1,p,1,yes,partly\n"
		     "A,1,p,1,yes,partly\n"
		     "C,1,p,1,yes,no\n");
	cr_assert_eq(ctm_comparison_ranking_count(cmp, 0), 3);
	cr_assert_str_eq(ctm_comparison_region(cmp, ctm_comparison_ranking(cmp, 0, 0)->region),
			 "A");
	cr_assert_eq(ctm_comparison_ranking(cmp, 0, 0)->rank, 1);
	cr_assert_eq(ctm_comparison_ranking(cmp, 0, 1)->rank, 1);
	cr_assert_eq(ctm_comparison_ranking(cmp, 0, 2)->rank, 3);
	/* one partner per region: N - G = 0, so no ICC */
	cr_assert(isnan(ctm_comparison_icc(cmp, 0, 0)->icc1));
	cr_assert_eq(ctm_comparison_change_count(cmp), 0);
}

Test(compare, exact_csv)
{
	compare_data(DATA);
	char *csv = written(ctm_comparison_write_csv);
	cr_assert_str_eq(csv,
			 "region,id,from_wave,to_wave,n_from,n_to,from,to,delta,p,significant\n"
			 "2,stage,2,10,4,5,1.0000,2.5000,1.5000,,\n"
			 "2,d,2,10,4,5,2.0000,2.8000,0.8000,0.1464,no\n"
			 "2,e,2,10,4,5,2.0000,2.4000,0.4000,0.3739,no\n"
			 "2,f,2,10,4,5,2.0000,3.0000,1.0000,,\n"
			 "2,g,2,10,1,5,3.0000,2.4000,-0.6000,,\n");
	free(csv);
	char *regions = written(ctm_comparison_write_regions_csv);
	cr_assert_str_eq(regions, "wave,id,regions,units,icc1,icc2\n"
				  "2,d,1,4,,\n"
				  "2,e,1,4,,\n"
				  "2,f,1,4,,\n"
				  "2,g,1,1,,\n"
				  "10,d,2,8,0.8052,0.9394\n"
				  "10,e,2,8,0.0661,0.2099\n"
				  "10,f,2,8,0.5522,0.8222\n"
				  "10,g,2,8,-0.1321,-0.7778\n");
	free(regions);
}

/*
 * A p far below 0.00005 prints as 0.0000 (meaning p < 0.0001) and is
 * significant; a Δ that rounds to zero prints without a sign.
 * from 1 1 1 1 1 2 1 1 1 1, to 5 5 5 5 4 5 5 5 5 5:
 *   scipy.stats.ttest_ind(to, from, equal_var=False)
 *   -> statistic 26.87005768508881, pvalue 5.590485085858379e-16
 */
Test(compare, tiny_p_prints_as_zero_and_is_significant)
{
	static const int from[10] = { 1, 1, 1, 1, 1, 2, 1, 1, 1, 1 };
	static const int to[10] = { 5, 5, 5, 5, 4, 5, 5, 5, 5, 5 };
	char data[2048];
	size_t len = (size_t)snprintf(data, sizeof(data), "region,wave,partner,d\n");
	for (int i = 0; i < 10; i++)
		len += (size_t)snprintf(data + len, sizeof(data) - len, "R,1,p%d,%d\nR,2,p%d,%d\n",
					i, from[i], i, to[i]);
	compare_data(data);
	const ctm_change *ch = ctm_comparison_change(cmp, 1);
	cr_assert_float_eq(ch->t, 26.87005768508881, 1e-9);
	cr_assert(fabs(ch->p - 5.590485085858379e-16) < 1e-20, "p = %g", ch->p);
	cr_assert_eq(ch->significant, 1);
	char *csv = written(ctm_comparison_write_csv);
	cr_assert(strstr(csv, "R,d,1,2,10,10,1.1000,4.9000,3.8000,0.0000,yes\n"), "%s", csv);
	free(csv);
}

Test(compare, save_writes_three_files_or_none)
{
	char dir[] = "/tmp/ctm-compare-XXXXXX", prefix[256], path[300];
	cr_assert_not_null(mkdtemp(dir));
	compare_data(DATA);
	snprintf(prefix, sizeof(prefix), "%s/out", dir);
	cr_assert_eq(ctm_comparison_save(cmp, prefix, ctx), 0);
	static const char *const suffixes[] = { ".csv", "-regions.csv", ".pdf" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", prefix, suffixes[i]);
		cr_assert_eq(access(path, F_OK), 0, "%s", path);
		unlink(path);
	}
	/* a directory that does not exist: nothing written, CTM_EWRITE */
	snprintf(prefix, sizeof(prefix), "%s/missing/out", dir);
	cr_assert_eq(ctm_comparison_save(cmp, prefix, ctx), CTM_EWRITE);
	cr_assert_gt(ctm_ctx_error_count(ctx), 0);
	rmdir(dir);
}
