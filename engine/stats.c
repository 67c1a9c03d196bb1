/* Statistics for scoring: see stats.h for the definitions and edge cases. */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "stats.h"

/*
 * Slack for rounding a mean half up. Means of answers on a few levels are
 * ratios of small integers: a true mean this close below x.5 would need a
 * denominator near 1e9, so anything closer is floating-point error.
 */
#define ROUND_EPS 1e-9

/* Relative size below which a group mean's distance to the grand mean is
 * taken as rounding noise in the ICC (about 4500 ulps of the data's scale). */
#define ICC_EQUAL_EPS 1e-12

static pthread_once_t gsl_once = PTHREAD_ONCE_INIT;

static void gsl_handler_off(void) { gsl_set_error_handler_off(); }

void ctm_stats__init(void)
{
	/* pthread_once, not a plain call: the handler is a global that several
	 * scoring threads may reach at the same time. */
	pthread_once(&gsl_once, gsl_handler_off);
}

/*
 * Mean as sum / n, summed in the order given: the plain formula, so that the
 * result agrees to the last bit with an independent sum(x) / len(x) (a
 * refinement pass would be more accurate by an ulp, which is enough to flip
 * an exact tie such as 0.14375 when rounding to 4 decimals). A constant sample
 * returns its value unchanged, so that its residuals, and therefore its sd,
 * are exactly 0 rather than 1e-17, which would turn Welch's "both variances
 * 0" into a huge t.
 */
static double mean_of(const double *x, size_t n)
{
	double s = 0.0;
	int same = 1;

	for (size_t i = 0; i < n; i++) {
		s += x[i];
		if (x[i] != x[0])
			same = 0;
	}
	return same ? x[0] : s / (double)n;
}

/* Sum of squared deviations from m, corrected two-pass form (Chan, Golub and
 * LeVeque 1983): subtracting (sum of deviations)^2 / n removes most of the
 * error from m not being the exact mean. Never negative. */
static double sum_sq_dev(const double *x, size_t n, double m)
{
	double ss = 0.0, c = 0.0, d;
	size_t i;

	for (i = 0; i < n; i++) {
		d = x[i] - m;
		ss += d * d;
		c += d;
	}
	ss -= c * c / (double)n;
	return ss > 0.0 ? ss : 0.0;
}

double ctm_stats__mean(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	return mean_of(x, n);
}

double ctm_stats__sd(const double *x, size_t n)
{
	if (n < 2)
		return NAN;
	return sqrt(sum_sq_dev(x, n, mean_of(x, n)) / (double)(n - 1));
}

/* Total order with NaN last, so that qsort is well defined whatever it gets. */
static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	if (isnan(a))
		return isnan(b) ? 0 : 1;
	if (isnan(b))
		return -1;
	return (a > b) - (a < b);
}

double ctm_stats__median(double *x, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(x, n, sizeof(*x), cmp_double);
	if (n % 2)
		return x[n / 2];
	/* Halves first: cannot overflow, and exact for survey values. */
	return 0.5 * x[n / 2 - 1] + 0.5 * x[n / 2];
}

double ctm_stats__t975(double df)
{
	ctm_stats__init();
	if (!isfinite(df) || df < 1.0)
		return NAN;
	return gsl_cdf_tdist_Pinv(0.975, df);
}

void ctm_stats__ci(double mean, double sd, size_t n, double lo_clip, double hi_clip, double *lo,
		   double *hi)
{
	double l = NAN, h = NAN, half;

	if (n >= 2 && !isnan(mean) && !isnan(sd)) {
		half = ctm_stats__t975((double)(n - 1)) * sd / sqrt((double)n);
		l = mean - half;
		h = mean + half;
		/* Both ends into the range: a mean at the edge with sd 0 gives a
		 * zero-width interval there, never one that ends outside. */
		if (l < lo_clip)
			l = lo_clip;
		if (l > hi_clip)
			l = hi_clip;
		if (h < lo_clip)
			h = lo_clip;
		if (h > hi_clip)
			h = hi_clip;
	}
	if (lo)
		*lo = l;
	if (hi)
		*hi = h;
}

double ctm_stats__rwg(double sd, int levels)
{
	double expected, r;

	if (isnan(sd) || levels < 2)
		return NAN;
	/* Variance of a uniform answer over L levels: the "no agreement" null. */
	expected = ((double)levels * (double)levels - 1.0) / 12.0;
	r = 1.0 - sd * sd / expected;
	if (r < 0.0)
		r = 0.0;
	if (r > 1.0)
		r = 1.0;
	return r;
}

int ctm_stats__round_half_up(double mean)
{
	double r;

	if (!isfinite(mean))
		return 0;
	r = floor(mean + 0.5 + ROUND_EPS);
	if (r < (double)INT_MIN || r > (double)INT_MAX)
		return 0;
	return (int)r;
}

int ctm_stats__welch(double m1, double s1, size_t n1, double m2, double s2, size_t n2, double *t,
		     double *df, double *p)
{
	double v1, v2, vmax, w1, w2, tt, dd, pp;
	int rc = CTM_STAT_UNDEFINED;

	tt = dd = pp = NAN;
	ctm_stats__init();
	if (n1 < 2 || n2 < 2)
		goto done;
	if (!isfinite(m1) || !isfinite(m2) || !isfinite(s1) || !isfinite(s2) || s1 < 0.0 ||
	    s2 < 0.0 || (s1 == 0.0 && s2 == 0.0))
		goto done;

	v1 = s1 * s1 / (double)n1;
	v2 = s2 * s2 / (double)n2;
	/* Scaled by the larger term so that tiny variances do not underflow
	 * to 0/0 in the Welch-Satterthwaite ratio. */
	vmax = v1 > v2 ? v1 : v2;
	if (!(vmax > 0.0) || !isfinite(vmax))
		goto done;
	w1 = v1 / vmax;
	w2 = v2 / vmax;
	dd = (w1 + w2) * (w1 + w2) / (w1 * w1 / (double)(n1 - 1) + w2 * w2 / (double)(n2 - 1));
	tt = (m2 - m1) / sqrt(v1 + v2);
	if (isnan(tt) || isnan(dd)) {
		tt = dd = NAN;
		goto done;
	}
	/* The upper tail directly: 1 - P(|t|) would lose every digit of a
	 * small p to cancellation. */
	if (isinf(tt))
		pp = 0.0;
	else
		pp = 2.0 * gsl_cdf_tdist_Q(fabs(tt), dd);
	if (pp > 1.0)
		pp = 1.0;
	rc = 0;
done:
	if (t)
		*t = tt;
	if (df)
		*df = dd;
	if (p)
		*p = pp;
	return rc;
}

int ctm_stats__icc(const double *values, const size_t *group_sizes, size_t groups, double *icc1,
		   double *icc2)
{
	double m, scale, ssb = 0.0, ssw = 0.0, sum_n2 = 0.0;
	double mg, d, msb, msw, k, r1 = NAN, r2 = NAN;
	size_t g, n, big_n = 0, big_g = 0, off = 0, i;
	int rc = CTM_STAT_UNDEFINED;

	for (g = 0; g < groups; g++) {
		n = group_sizes[g];
		if (n == 0)
			continue;
		if (big_n + n < big_n)
			goto done;
		big_n += n;
		big_g++;
	}
	if (big_g < 2 || big_n - big_g < 1)
		goto done;

	/* Empty groups own no values, so the non-empty ones still lie back to
	 * back in values[0 .. big_n). */
	m = mean_of(values, big_n);
	scale = 0.0;
	for (i = 0; i < big_n; i++)
		if (fabs(values[i]) > scale)
			scale = fabs(values[i]);

	for (g = 0; g < groups; g++) {
		n = group_sizes[g];
		if (n == 0)
			continue;
		mg = mean_of(values + off, n);
		d = mg - m;
		if (fabs(d) <= ICC_EQUAL_EPS * scale)
			d = 0.0;
		ssb += (double)n * d * d;
		ssw += sum_sq_dev(values + off, n, mg);
		sum_n2 += (double)n * (double)n;
		off += n;
	}
	if (!isfinite(ssb) || !isfinite(ssw) || ssb == 0.0)
		goto done;

	msb = ssb / (double)(big_g - 1);
	msw = ssw / (double)(big_n - big_g);
	k = ((double)big_n - sum_n2 / (double)big_n) / (double)(big_g - 1);
	/* k >= 1 when every counted group has a member (2ab >= a + b for
	 * a, b >= 1), so the ICC(1) denominator is at least MSB > 0. */
	r1 = (msb - msw) / (msb + (k - 1.0) * msw);
	r2 = (msb - msw) / msb;
	rc = 0;
done:
	if (icc1)
		*icc1 = r1;
	if (icc2)
		*icc2 = r2;
	return rc;
}
