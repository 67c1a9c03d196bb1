/*
 * Internal: the statistics behind docs/scoring.md.
 *
 * Pure functions on plain arrays of doubles. None allocates and none keeps
 * state, except the one-time switch-off of GSL's error handler (see
 * ctm_stats__init). They are safe to call from several threads at once.
 *
 * Undefined results are NaN, never an error: the scoring code turns NaN into
 * an empty cell (null in JSON). Functions that produce several results at
 * once return 0 when they are defined and CTM_STAT_UNDEFINED otherwise, with
 * every output set to NaN, so a caller can branch without testing each one.
 *
 * Inputs are expected to be finite (values are means of survey answers);
 * functions that call GSL check their arguments first and return NaN for
 * non-finite ones, so GSL is never asked an out-of-domain question.
 */
#ifndef CTM_ENGINE_STATS_H
#define CTM_ENGINE_STATS_H

#include <stddef.h>

/*
 * Returned by the multi-output functions when the statistic is undefined.
 * Positive on purpose: it is a normal outcome, not a ctm_error_code.
 */
#define CTM_STAT_UNDEFINED 1

/*
 * Turns GSL's error handler off, once per process (pthread_once), because its
 * default handler calls abort() and the library must never abort. Every
 * function below that calls GSL calls this first, so calling it is optional.
 * Note the handler is process-wide: an application that also uses GSL and
 * wants its own handler should install it after the first call.
 */
void ctm_stats__init(void);

/* Arithmetic mean; NaN for n == 0. When all n values are equal the result is
 * exactly that value (no rounding drift, so a constant sample has sd 0). */
double ctm_stats__mean(const double *x, size_t n);

/* Sample standard deviation (divisor n - 1); NaN for n < 2. Corrected
 * two-pass algorithm; exactly 0 when all values are equal. */
double ctm_stats__sd(const double *x, size_t n);

/* Median; NaN for n == 0. Sorts x in place (ascending). For even n, the mean
 * of the two middle values. x must not hold NaN (the sort puts NaN last, so
 * the result is then not meaningful, but the call is still well defined). */
double ctm_stats__median(double *x, size_t n);

/* The 0.975 quantile of Student's t with df degrees of freedom (df need not
 * be an integer: Welch's df is not). NaN for df < 1 or non-finite df. */
double ctm_stats__t975(double df);

/*
 * 95% confidence interval of a mean: mean -/+ t975(n - 1) * sd / sqrt(n),
 * then each end clipped to [lo_clip, hi_clip]. Both ends NaN when n < 2 or
 * mean or sd is NaN. lo and hi may be NULL.
 */
void ctm_stats__ci(double mean, double sd, size_t n, double lo_clip, double hi_clip, double *lo,
		   double *hi);

/* Within-group agreement rwg = 1 - sd^2 / ((L^2 - 1) / 12), clipped to
 * [0, 1]. NaN when sd is NaN (n < 2) or levels < 2. */
double ctm_stats__rwg(double sd, int levels);

/*
 * A mean rounded half up to a level: floor(mean + 0.5), after allowing for
 * floating-point error: a mean within 1e-9 below x.5 counts as x.5. Means of
 * survey answers are ratios of small integers, so a true mean is never that
 * close to x.5 without being x.5, while in doubles the mean of 1 + 8/6 and
 * 1 + 22/6 (exactly 7/2) is 3.4999999999999996. Half up means towards
 * +infinity (-2.5 gives -2).
 * Returns 0 (no level) for NaN, infinities and values outside int.
 */
int ctm_stats__round_half_up(double mean);

/*
 * Welch's two-sample t-test from summary statistics; sample 1 is the earlier
 * wave ("from"), sample 2 the later ("to"), so t > 0 means the mean went up:
 *   t  = (m2 - m1) / sqrt(s1^2/n1 + s2^2/n2)
 *   df = (v1 + v2)^2 / (v1^2/(n1-1) + v2^2/(n2-1)),  v_i = s_i^2/n_i
 *   p  = 2 * Q_df(|t|), two-sided (upper tail from GSL, accurate for tiny p)
 * Defined when n1 >= 2, n2 >= 2 and at least one sd is > 0; with one sd 0 the
 * df is that of the other sample (n - 1). Returns 0, or CTM_STAT_UNDEFINED
 * with t, df and p all NaN (also for NaN, infinite or negative arguments).
 * Any output pointer may be NULL.
 */
int ctm_stats__welch(double m1, double s1, size_t n1, double m2, double s2, size_t n2, double *t,
		     double *df, double *p);

/*
 * Intraclass correlations from a one-way ANOVA (docs/scoring.md: variance between
 * regions). values holds the groups one after another, group_sizes[g] values
 * for group g. With N values, G groups, group means m_g and grand mean m:
 *   MSB = sum n_g (m_g - m)^2 / (G - 1),  MSW = sum sum (x - m_g)^2 / (N - G)
 *   k = (N - sum n_g^2 / N) / (G - 1)
 *   ICC(1) = (MSB - MSW) / (MSB + (k - 1) MSW),  ICC(2) = (MSB - MSW) / MSB
 * Groups of size 0 are skipped: they count neither in G nor in k (a region
 * with no units on a dimension says nothing about variance). Undefined when
 * G < 2, N - G < 1 or MSB = 0; a group mean within 1e-12 * max|x| of the
 * grand mean counts as equal to it, so that equal means computed along
 * different paths do not make a huge negative ICC out of rounding noise.
 * Returns 0, or CTM_STAT_UNDEFINED with both outputs NaN. ICC(1) may be
 * negative (less variance between groups than within). Outputs may be NULL.
 */
int ctm_stats__icc(const double *values, const size_t *group_sizes, size_t groups, double *icc1,
		   double *icc2);

#endif
