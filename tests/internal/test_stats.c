/*
 * Unit tests for engine/stats.c. Expected values are worked by hand in the
 * comments, or come from scipy 1.10 (the call is quoted); no test runs Python.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "stats.h"
#include "text.h"

#define EPS 1e-6
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- mean ------------------------------------------------------------ */

Test(stats_mean, empty_is_nan) { cr_assert(isnan(ctm_stats__mean(NULL, 0))); }

Test(stats_mean, small_samples)
{
	const double one[] = { 4.0 };
	const double two[] = { 1.0, 2.0 };
	const double three[] = { 1.0, 2.0, 4.0 };

	cr_assert_float_eq(ctm_stats__mean(one, 1), 4.0, EPS);
	/* (1 + 2) / 2 = 1.5 */
	cr_assert_float_eq(ctm_stats__mean(two, 2), 1.5, EPS);
	/* (1 + 2 + 4) / 3 = 7/3 = 2.333333 */
	cr_assert_float_eq(ctm_stats__mean(three, 3), 7.0 / 3.0, EPS);
}

Test(stats_mean, constant_sample_is_exact)
{
	/* 0.1 + 0.1 + 0.1 = 0.30000000000000004 in doubles; / 3 would not give
	 * back 0.1, so the sd would be 1e-17 and not 0. */
	const double x[] = { 0.1, 0.1, 0.1 };

	cr_assert(ctm_stats__mean(x, 3) == 0.1);
}

/* ---- sd -------------------------------------------------------------- */

Test(stats_sd, fewer_than_two_is_nan)
{
	const double one[] = { 3.0 };

	cr_assert(isnan(ctm_stats__sd(NULL, 0)));
	cr_assert(isnan(ctm_stats__sd(one, 1)));
}

Test(stats_sd, small_samples)
{
	const double two[] = { 1.0, 2.0 };
	const double three[] = { 1.0, 2.0, 4.0 };

	/* mean 1.5; ((-0.5)^2 + 0.5^2) / 1 = 0.5; sqrt(0.5) = 0.707107 */
	cr_assert_float_eq(ctm_stats__sd(two, 2), sqrt(0.5), EPS);
	/* mean 7/3; ((-4/3)^2 + (-1/3)^2 + (5/3)^2) / 2 = (16+1+25)/9/2 = 7/3;
	 * sqrt(7/3) = 1.527525 */
	cr_assert_float_eq(ctm_stats__sd(three, 3), 1.527525, EPS);
}

Test(stats_sd, zero_variance_is_exactly_zero)
{
	const double x[] = { 0.1, 0.1, 0.1, 0.1 };
	const double y[] = { 5.0, 5.0 };

	cr_assert(ctm_stats__sd(x, 4) == 0.0);
	cr_assert(ctm_stats__sd(y, 2) == 0.0);
}

Test(stats_sd, large_offset_keeps_precision)
{
	/* Same deviations as 1, 2, 4 shifted by 1e9: sd = sqrt(7/3) = 1.527525.
	 * A one-pass sum of squares would lose about 7 digits here. */
	const double x[] = { 1e9 + 1.0, 1e9 + 2.0, 1e9 + 4.0 };

	cr_assert_float_eq(ctm_stats__sd(x, 3), 1.527525, EPS);
}

/* ---- median ---------------------------------------------------------- */

Test(stats_median, empty_is_nan) { cr_assert(isnan(ctm_stats__median(NULL, 0))); }

Test(stats_median, one_value)
{
	double x[] = { 3.5 };

	cr_assert_float_eq(ctm_stats__median(x, 1), 3.5, EPS);
}

Test(stats_median, odd_sorts_in_place)
{
	double x[] = { 3.0, 1.0, 2.0 };

	/* sorted 1, 2, 3: middle 2 */
	cr_assert_float_eq(ctm_stats__median(x, 3), 2.0, EPS);
	cr_assert(x[0] == 1.0 && x[1] == 2.0 && x[2] == 3.0);
}

Test(stats_median, even_is_mean_of_middle_two)
{
	double two[] = { 3.0, 2.0 };
	double four[] = { 4.0, 1.0, 3.0, 2.0 };

	/* (2 + 3) / 2 = 2.5 */
	cr_assert_float_eq(ctm_stats__median(two, 2), 2.5, EPS);
	/* sorted 1, 2, 3, 4: (2 + 3) / 2 = 2.5 */
	cr_assert_float_eq(ctm_stats__median(four, 4), 2.5, EPS);
}

/* ---- t quantile -------------------------------------------------------- */

Test(stats_t975, known_quantiles)
{
	/* scipy.stats.t.ppf(0.975, df) */
	cr_assert_float_eq(ctm_stats__t975(1.0), 12.706204736432095, EPS);
	cr_assert_float_eq(ctm_stats__t975(2.0), 4.302652729911275, EPS);
	cr_assert_float_eq(ctm_stats__t975(10.0), 2.2281388519649385, EPS);
	cr_assert_float_eq(ctm_stats__t975(1000.0), 1.9623390808264074, EPS);
	/* non-integer df, as Welch gives: t.ppf(0.975, 2.5) */
	cr_assert_float_eq(ctm_stats__t975(2.5), 3.5746548420118773, EPS);
}

Test(stats_t975, out_of_domain_is_nan)
{
	cr_assert(isnan(ctm_stats__t975(0.0)));
	cr_assert(isnan(ctm_stats__t975(0.999)));
	cr_assert(isnan(ctm_stats__t975(-3.0)));
	cr_assert(isnan(ctm_stats__t975(NAN)));
	cr_assert(isnan(ctm_stats__t975(INFINITY)));
}

/* ---- confidence interval -------------------------------------------------- */

Test(stats_ci, fewer_than_two_is_nan)
{
	double lo = 0.0, hi = 0.0;

	ctm_stats__ci(3.0, NAN, 1, 1.0, 5.0, &lo, &hi);
	cr_assert(isnan(lo) && isnan(hi));
	ctm_stats__ci(3.0, 1.0, 1, 1.0, 5.0, &lo, &hi);
	cr_assert(isnan(lo) && isnan(hi));
	ctm_stats__ci(NAN, NAN, 0, 1.0, 5.0, &lo, &hi);
	cr_assert(isnan(lo) && isnan(hi));
}

Test(stats_ci, unclipped)
{
	double lo, hi;

	/* mean 3, sd 0.5, n 11: half = t(0.975, 10) * 0.5 / sqrt(11)
	 * = 2.2281389 * 0.5 / 3.3166248 = 0.3359046 */
	ctm_stats__ci(3.0, 0.5, 11, 1.0, 5.0, &lo, &hi);
	cr_assert_float_eq(lo, 3.0 - 0.3359046, EPS);
	cr_assert_float_eq(hi, 3.0 + 0.3359046, EPS);
}

Test(stats_ci, clipped_both_ends)
{
	double lo, hi;

	/* x = 1, 2, 4: mean 7/3, sd sqrt(7/3); half = 4.3026527 * 1.5275252 /
	 * sqrt(3) = 3.7945 -> (-1.461, 6.128), clipped to [1, 5] */
	ctm_stats__ci(7.0 / 3.0, sqrt(7.0 / 3.0), 3, 1.0, 5.0, &lo, &hi);
	cr_assert_float_eq(lo, 1.0, EPS);
	cr_assert_float_eq(hi, 5.0, EPS);
}

Test(stats_ci, clipped_one_end_and_unit_interval)
{
	double lo, hi;

	/* question scores on [0, 1]: mean 0.9, sd 0.2, n 4: half =
	 * t(0.975, 3) 3.1824463 * 0.2 / 2 = 0.3182446 -> (0.5817554, 1) */
	ctm_stats__ci(0.9, 0.2, 4, 0.0, 1.0, &lo, &hi);
	cr_assert_float_eq(lo, 0.9 - 0.3182446, EPS);
	cr_assert_float_eq(hi, 1.0, EPS);
}

Test(stats_ci, zero_sd_is_a_point)
{
	double lo, hi;

	ctm_stats__ci(4.0, 0.0, 6, 1.0, 5.0, &lo, &hi);
	cr_assert_float_eq(lo, 4.0, EPS);
	cr_assert_float_eq(hi, 4.0, EPS);
	/* NULL outputs are allowed */
	ctm_stats__ci(4.0, 1.0, 6, 1.0, 5.0, NULL, NULL);
}

/* ---- rwg --------------------------------------------------------------- */

Test(stats_rwg, values_and_clipping)
{
	/* L = 5: uniform variance (25 - 1) / 12 = 2 */
	cr_assert_float_eq(ctm_stats__rwg(0.0, 5), 1.0, EPS);       /* 1 - 0/2, top end */
	cr_assert_float_eq(ctm_stats__rwg(1.0, 5), 0.5, EPS);       /* 1 - 1/2 */
	cr_assert_float_eq(ctm_stats__rwg(sqrt(0.6), 5), 0.7, EPS); /* 1 - 0.6/2 */
	cr_assert_float_eq(ctm_stats__rwg(sqrt(2.0), 5), 0.0, EPS); /* 1 - 2/2 */
	cr_assert_float_eq(ctm_stats__rwg(2.0, 5), 0.0, EPS);       /* 1 - 4/2 = -1 -> 0 */
	/* L = 4: (16 - 1) / 12 = 1.25; sd 0.5: 1 - 0.25/1.25 = 0.8 */
	cr_assert_float_eq(ctm_stats__rwg(0.5, 4), 0.8, EPS);
}

Test(stats_rwg, undefined)
{
	cr_assert(isnan(ctm_stats__rwg(NAN, 5)));
	cr_assert(isnan(ctm_stats__rwg(0.5, 1)));
	cr_assert(isnan(ctm_stats__rwg(0.5, 0)));
}

/* ---- rounding half up --------------------------------------------------- */

Test(stats_round, plain)
{
	cr_assert_eq(ctm_stats__round_half_up(1.0), 1);
	cr_assert_eq(ctm_stats__round_half_up(2.4), 2);
	cr_assert_eq(ctm_stats__round_half_up(2.4999), 2);
	cr_assert_eq(ctm_stats__round_half_up(2.5), 3);
	cr_assert_eq(ctm_stats__round_half_up(2.5000001), 3);
	cr_assert_eq(ctm_stats__round_half_up(4.75), 5);
	/* half up is towards +infinity */
	cr_assert_eq(ctm_stats__round_half_up(-0.5), 0);
	cr_assert_eq(ctm_stats__round_half_up(-2.5), -2);
}

Test(stats_round, floating_error_below_half)
{
	/* 1 + 8/6 and 1 + 22/6 are 2.333333333333333 and 4.666666666666666 in
	 * doubles; their sum / 2 is 3.4999999999999996, mathematically 7/2. */
	double a = 1.0 + 8.0 / 6.0, b = 1.0 + 22.0 / 6.0;
	double x[2];

	x[0] = a;
	x[1] = b;
	cr_assert_eq(ctm_stats__round_half_up((a + b) / 2.0), 4);
	cr_assert_eq(ctm_stats__round_half_up(ctm_stats__mean(x, 2)), 4);
	cr_assert_eq(ctm_stats__round_half_up(nextafter(2.5, 0.0)), 3);
	/* (2 + 3) / 2 is exact */
	cr_assert_eq(ctm_stats__round_half_up((2.0 + 3.0) / 2.0), 3);
	/* 1e-11 below counts as x.5; 1e-6 below is a real 2.499999 */
	cr_assert_eq(ctm_stats__round_half_up(2.5 - 1e-11), 3);
	cr_assert_eq(ctm_stats__round_half_up(2.5 - 1e-6), 2);
}

Test(stats_round, undefined_is_zero)
{
	cr_assert_eq(ctm_stats__round_half_up(NAN), 0);
	cr_assert_eq(ctm_stats__round_half_up(INFINITY), 0);
	cr_assert_eq(ctm_stats__round_half_up(-INFINITY), 0);
	cr_assert_eq(ctm_stats__round_half_up(1e300), 0);
}

/* ---- Welch ------------------------------------------------------------- */

Test(stats_welch, unequal_n_and_variances)
{
	double t, df, p;

	/* from: m 2.0 sd 0.5 n 5; to: m 3.0 sd 1.2 n 8.
	 * v1 = 0.25/5 = 0.05, v2 = 1.44/8 = 0.18; t = 1/sqrt(0.23) = 2.085144
	 * df = 0.23^2 / (0.05^2/4 + 0.18^2/7) = 0.0529 / 0.005253571 = 10.069341
	 * scipy.stats.ttest_ind_from_stats(2.0, 0.5, 5, 3.0, 1.2, 8,
	 *   equal_var=False) -> statistic -2.0851441405707476 (from - to),
	 *   pvalue 0.06345663049575498 */
	cr_assert_eq(ctm_stats__welch(2.0, 0.5, 5, 3.0, 1.2, 8, &t, &df, &p), 0);
	cr_assert_float_eq(t, 2.0851441405707476, EPS);
	cr_assert_float_eq(df, 10.069340584636299, EPS);
	cr_assert_float_eq(p, 0.06345663049575498, EPS);
}

Test(stats_welch, decrease_has_negative_t)
{
	double t, df, p;

	/* from 3.5 (sd 0.8, n 12) to 3.1 (sd 0.3, n 3): v1 = 0.64/12,
	 * v2 = 0.09/3 = 0.03; t = -0.4/sqrt(0.0833333) = -1.385641;
	 * df = 0.0833333^2 / (0.0533333^2/11 + 0.03^2/2) = 9.800428
	 * scipy ttest_ind_from_stats(3.5, 0.8, 12, 3.1, 0.3, 3,
	 *   equal_var=False) -> statistic 1.3856406460551014,
	 *   pvalue 0.19657647634149378 */
	cr_assert_eq(ctm_stats__welch(3.5, 0.8, 12, 3.1, 0.3, 3, &t, &df, &p), 0);
	cr_assert_float_eq(t, -1.3856406460551014, EPS);
	cr_assert_float_eq(df, 9.800427655024947, EPS);
	cr_assert_float_eq(p, 0.19657647634149378, EPS);
}

Test(stats_welch, one_zero_variance_is_defined)
{
	double t, df, p;

	/* from: 2.0, sd 0, n 4; to: 3.0, sd 1, n 6. v1 = 0, v2 = 1/6;
	 * t = 1/sqrt(1/6) = sqrt(6) = 2.449490; df = v2^2 / (v2^2/5) = 5
	 * scipy ttest_ind_from_stats(2.0, 0.0, 4, 3.0, 1.0, 6,
	 *   equal_var=False) -> statistic -2.449489742783178,
	 *   pvalue 0.057972773557539915 */
	cr_assert_eq(ctm_stats__welch(2.0, 0.0, 4, 3.0, 1.0, 6, &t, &df, &p), 0);
	cr_assert_float_eq(t, sqrt(6.0), EPS);
	cr_assert_float_eq(df, 5.0, EPS);
	cr_assert_float_eq(p, 0.057972773557539915, EPS);
}

Test(stats_welch, no_change_has_p_one)
{
	double t, df, p;

	/* t = 0, df = (0.5+0.5)^2 / (0.25/9 + 0.25/9) = 18, p = 2 * 0.5 = 1 */
	cr_assert_eq(ctm_stats__welch(3.0, sqrt(5.0), 10, 3.0, sqrt(5.0), 10, &t, &df, &p), 0);
	cr_assert_float_eq(t, 0.0, EPS);
	cr_assert_float_eq(df, 18.0, EPS);
	cr_assert_float_eq(p, 1.0, EPS);
}

Test(stats_welch, tiny_p_is_not_lost)
{
	double t, df, p;

	/* t = 2/sqrt(0.01/50 + 0.01/50) = 100, df = 98:
	 * scipy 2*stats.t.sf(100, 98) = 4.1e-99, far below what 1 - cdf keeps */
	cr_assert_eq(ctm_stats__welch(1.0, 0.1, 50, 3.0, 0.1, 50, &t, &df, &p), 0);
	cr_assert_float_eq(t, 100.0, EPS);
	cr_assert(p > 0.0 && p < 1e-90);
}

Test(stats_welch, both_zero_variances_undefined)
{
	double t = 0.0, df = 0.0, p = 0.0;

	cr_assert_eq(ctm_stats__welch(2.0, 0.0, 4, 3.0, 0.0, 6, &t, &df, &p), CTM_STAT_UNDEFINED);
	cr_assert(isnan(t) && isnan(df) && isnan(p));
}

Test(stats_welch, fewer_than_two_undefined)
{
	double t = 0.0, df = 0.0, p = 0.0;

	cr_assert_eq(ctm_stats__welch(2.0, NAN, 1, 3.0, 1.0, 6, &t, &df, &p), CTM_STAT_UNDEFINED);
	cr_assert(isnan(t) && isnan(df) && isnan(p));
	t = df = p = 0.0;
	cr_assert_eq(ctm_stats__welch(2.0, 1.0, 6, 3.0, 1.0, 1, &t, &df, &p), CTM_STAT_UNDEFINED);
	cr_assert(isnan(t) && isnan(df) && isnan(p));
	cr_assert_eq(ctm_stats__welch(2.0, 1.0, 0, 3.0, 1.0, 0, NULL, NULL, NULL),
		     CTM_STAT_UNDEFINED);
}

Test(stats_welch, bad_arguments_undefined)
{
	double t, df, p;

	cr_assert_eq(ctm_stats__welch(NAN, 1.0, 5, 3.0, 1.0, 5, &t, &df, &p), CTM_STAT_UNDEFINED);
	cr_assert(isnan(t) && isnan(df) && isnan(p));
	cr_assert_eq(ctm_stats__welch(2.0, -1.0, 5, 3.0, 1.0, 5, &t, &df, &p), CTM_STAT_UNDEFINED);
	cr_assert_eq(ctm_stats__welch(2.0, INFINITY, 5, 3.0, 1.0, 5, &t, &df, &p),
		     CTM_STAT_UNDEFINED);
}

/* ---- ICC --------------------------------------------------------------- */

/*
 * Groups A = 1, 2, 3 (mean 2), B = 2, 3, 4 (mean 3), C = 4, 5 (mean 4.5).
 * N = 8, G = 3, grand mean m = 24/8 = 3.
 * SSB = 3(2-3)^2 + 3(3-3)^2 + 2(4.5-3)^2 = 3 + 0 + 4.5 = 7.5; MSB = 7.5/2 = 3.75
 * SSW = (1+0+1) + (1+0+1) + (0.25+0.25) = 4.5;         MSW = 4.5/5 = 0.9
 * k = (8 - (9 + 9 + 4)/8) / 2 = (8 - 2.75) / 2 = 2.625
 * ICC(1) = (3.75 - 0.9) / (3.75 + 1.625 * 0.9) = 2.85 / 5.2125 = 0.5467626
 * ICC(2) = 2.85 / 3.75 = 0.76
 */
static const double icc_values[] = { 1, 2, 3, 2, 3, 4, 4, 5 };

Test(stats_icc, three_groups_by_hand)
{
	const size_t sizes[] = { 3, 3, 2 };
	double i1, i2;

	cr_assert_eq(ctm_stats__icc(icc_values, sizes, 3, &i1, &i2), 0);
	cr_assert_float_eq(i1, 2.85 / 5.2125, EPS);
	cr_assert_float_eq(i1, 0.5467626, EPS);
	cr_assert_float_eq(i2, 0.76, EPS);
}

Test(stats_icc, empty_groups_are_skipped)
{
	/* Same data with two empty regions: G stays 3, result unchanged. */
	const size_t sizes[] = { 0, 3, 0, 3, 2, 0 };
	double i1, i2;

	cr_assert_eq(ctm_stats__icc(icc_values, sizes, 6, &i1, &i2), 0);
	cr_assert_float_eq(i1, 0.5467626, EPS);
	cr_assert_float_eq(i2, 0.76, EPS);
}

Test(stats_icc, negative_icc1)
{
	/* A = 1, 3 (mean 2), B = 2, 4 (mean 3); m = 2.5
	 * MSB = (2 * 0.25 + 2 * 0.25) / 1 = 1; MSW = (2 + 2) / 2 = 2
	 * k = (4 - 8/4) / 1 = 2
	 * ICC(1) = (1 - 2) / (1 + 1 * 2) = -1/3; ICC(2) = (1 - 2) / 1 = -1 */
	const double v[] = { 1, 3, 2, 4 };
	const size_t sizes[] = { 2, 2 };
	double i1, i2;

	cr_assert_eq(ctm_stats__icc(v, sizes, 2, &i1, &i2), 0);
	cr_assert_float_eq(i1, -1.0 / 3.0, EPS);
	cr_assert_float_eq(i2, -1.0, EPS);
}

Test(stats_icc, no_within_variance_is_one)
{
	/* A = 2, 2; B = 4, 4: MSW = 0, MSB = 2*1 + 2*1 = 4 -> both 1 */
	const double v[] = { 2, 2, 4, 4 };
	const size_t sizes[] = { 2, 2 };
	double i1, i2;

	cr_assert_eq(ctm_stats__icc(v, sizes, 2, &i1, &i2), 0);
	cr_assert_float_eq(i1, 1.0, EPS);
	cr_assert_float_eq(i2, 1.0, EPS);
}

Test(stats_icc, fewer_than_two_groups_undefined)
{
	const size_t one[] = { 8 };
	const size_t one_with_empties[] = { 0, 8, 0 };
	double i1 = 0.0, i2 = 0.0;

	cr_assert_eq(ctm_stats__icc(icc_values, one, 1, &i1, &i2), CTM_STAT_UNDEFINED);
	cr_assert(isnan(i1) && isnan(i2));
	i1 = i2 = 0.0;
	cr_assert_eq(ctm_stats__icc(icc_values, one_with_empties, 3, &i1, &i2), CTM_STAT_UNDEFINED);
	cr_assert(isnan(i1) && isnan(i2));
	cr_assert_eq(ctm_stats__icc(NULL, NULL, 0, &i1, &i2), CTM_STAT_UNDEFINED);
}

Test(stats_icc, no_within_degrees_of_freedom_undefined)
{
	/* one value per group: N - G = 3 - 3 = 0 */
	const double v[] = { 1, 2, 3 };
	const size_t sizes[] = { 1, 1, 1 };
	double i1 = 0.0, i2 = 0.0;

	cr_assert_eq(ctm_stats__icc(v, sizes, 3, &i1, &i2), CTM_STAT_UNDEFINED);
	cr_assert(isnan(i1) && isnan(i2));
}

Test(stats_icc, equal_group_means_undefined)
{
	/* A = 1, 3 and B = 2, 2 both have mean 2: MSB = 0 */
	const double v[] = { 1, 3, 2, 2 };
	const size_t sizes[] = { 2, 2 };
	/* A = 1, 4/3 and B = 1, 2, 0.5 both have mean 7/6, but in doubles
	 * mean A is 1.1666666666666665 and mean B 1.1666666666666667: without
	 * the tolerance MSB is 1e-31 and ICC(2) comes out as -4e30. */
	const double w[] = { 1.0, 1.0 + 1.0 / 3.0, 1.0, 2.0, 0.5 };
	const size_t wsizes[] = { 2, 3 };
	/* all values equal */
	const double c[] = { 3, 3, 3, 3, 3 };
	const size_t csizes[] = { 2, 3 };
	double i1 = 0.0, i2 = 0.0;

	cr_assert_eq(ctm_stats__icc(v, sizes, 2, &i1, &i2), CTM_STAT_UNDEFINED);
	cr_assert(isnan(i1) && isnan(i2));
	cr_assert_eq(ctm_stats__icc(w, wsizes, 2, &i1, &i2), CTM_STAT_UNDEFINED);
	cr_assert_eq(ctm_stats__icc(c, csizes, 2, NULL, NULL), CTM_STAT_UNDEFINED);
}

/* ---- natural order ------------------------------------------------------ */

static int ncmp(const char *a, const char *b)
{
	int c = ctm_text__natural_compare(a, strlen(a), b, strlen(b));

	return (c > 0) - (c < 0);
}

struct ncase {
	const char *a, *b;
	int want;
};

Test(stats_natural, table)
{
	/* want follows the Python key [(0, int(t), "") if t.isdigit() else
	 * (1, 0, t) for t in re.findall(r"\d+|\D+", s)], ties by shorter run */
	static const struct ncase cases[] = {
		{ "2", "10", -1 },
		{ "10", "2", 1 },
		{ "9", "10", -1 },
		{ "2024-03", "2024-10", -1 },
		{ "2024-3", "2024-10", -1 },
		{ "x2", "x10", -1 },
		{ "x10", "x10", 0 },
		{ "wave2", "wave10", -1 },
		{ "A", "a", -1 },   /* 'A' 0x41 < 'a' 0x61 */
		{ "Zug", "a", -1 }, /* upper case before lower, as Python */
		{ "", "", 0 },
		{ "", "a", -1 },
		{ "", "0", -1 },
		{ "a", "", 1 },
		{ "1a", "a", -1 }, /* digit run before text run */
		{ "a", "1a", 1 },
		{ "1a", "9", -1 },  /* 1 < 9 before looking at "a" */
		{ "a", "a1", -1 },  /* fewer runs first */
		{ "a1", "a!", -1 }, /* run "a" is a prefix of run "a!" */
		{ "a1b2", "a!", -1 },
		{ "Zü", "Zug", 1 }, /* U+00FC > 'g' */
		{ "Zü", "Zürich", -1 },
		{ "Zürich", "a", -1 }, /* "Z" < "a" decides */
		/* leading zeros: equal numbers, so the rest decides first */
		{ "02", "2", 1 },
		{ "2", "02", -1 },
		{ "0", "00", -1 },
		{ "009", "10", -1 },
		{ "02b", "2a", 1 }, /* "b" > "a" before the zeros count */
		{ "a01b", "a1b", 1 },
		{ "a01b1", "a1b2", -1 },  /* 1 < 2 beats the zero tie */
		{ "01a02", "001a2", -1 }, /* first differing spelling: "01" */
		{ "2024-03", "2024-3", 1 },
		/* longer than any integer type */
		{ "99999999999999999999999", "100000000000000000000000", -1 },
		{ "r123456789012345678901234567890x", "r123456789012345678901234567891", -1 },
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		cr_assert_eq(ncmp(cases[i].a, cases[i].b), cases[i].want,
			     "compare(\"%s\", \"%s\") should be %d", cases[i].a, cases[i].b,
			     cases[i].want);
		cr_assert_eq(ncmp(cases[i].b, cases[i].a), -cases[i].want,
			     "compare(\"%s\", \"%s\") should be %d", cases[i].b, cases[i].a,
			     -cases[i].want);
	}
}

Test(stats_natural, lengths_not_nul)
{
	/* Only the given bytes count, and NULL with length 0 is empty. */
	cr_assert_eq(ctm_text__natural_compare("x10yyy", 3, "x10", 3), 0);
	cr_assert(ctm_text__natural_compare("x2zz", 2, "x10", 3) < 0);
	cr_assert_eq(ctm_text__natural_compare(NULL, 0, NULL, 0), 0);
	cr_assert(ctm_text__natural_compare(NULL, 0, "a", 1) < 0);
	/* an embedded NUL is a byte like any other */
	cr_assert(ctm_text__natural_compare("a\0b", 3, "a", 1) > 0);
}

static int qsort_natural(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;

	return ctm_text__natural_compare(a, strlen(a), b, strlen(b));
}

Test(stats_natural, sorts_like_python)
{
	/* sorted(names, key=the Python key above), with the five pairs whose
	 * keys tie ("0"/"00", "9"/"009", "2024-3"/"2024-03", "a1b"/"a01b",
	 * "wave2"/"wave02") put shorter spelling first */
	static const char *const want[] = {
		"",
		"0",
		"00",
		"1a",
		"9",
		"009",
		"10",
		"2024-3",
		"2024-03",
		"2024-10",
		"99999999999999999999999",
		"100000000000000000000000",
		"A",
		"Wave1",
		"Zug",
		"Zü",
		"Zürich",
		"a",
		"a1",
		"a1b",
		"a01b",
		"a01b1",
		"a1b2",
		"a!",
		"b",
		"wave",
		"wave2",
		"wave02",
		"wave10",
		"x2",
		"x10",
	};
	const char *got[NELEM(want)];
	size_t i;

	/* start from reversed order so that the sort has work to do */
	for (i = 0; i < NELEM(want); i++)
		got[i] = want[NELEM(want) - 1 - i];
	qsort(got, NELEM(got), sizeof(got[0]), qsort_natural);
	for (i = 0; i < NELEM(want); i++)
		cr_assert_str_eq(got[i], want[i], "position %zu", i);
}
