/*
 * continuum — comparison of regions over survey waves (the rules:
 * docs/scoring.md, "Comparison").
 *
 * From scored results: for each region and each pair of consecutive waves it
 * has (natural order), the change of the maturity index M (when the rubric
 * has levelled questions) and of every measure's mean -- the dimensions, then
 * the factors -- with Welch's t-test on the unit values; across the regions
 * of one wave, the share of variance between regions (ICC(1), ICC(2)) per
 * measure, and the ranking of regions by what the rubric measures
 * (ctm_comparison_rank_by).
 *
 * Undefined values are NaN (test with isnan).
 *
 * A comparison borrows the results it was made from (and their data set and
 * rubric), which must outlive it. It is never changed once made. No function
 * below but ctm_comparison_free accepts a NULL comparison; pointers and
 * strings they return are borrowed and live as long as the comparison
 * (names: as long as the results).
 */
#ifndef CONTINUUM_COMPARE_H
#define CONTINUUM_COMPARE_H

#include <stdio.h>

#include "continuum/common.h"
#include "continuum/error.h"
#include "continuum/report.h"
#include "continuum/score.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ctm_comparison ctm_comparison;

/** A change's measure is the stage (M) rather than a dimension. */
#define CTM_CHANGE_STAGE ((size_t)-1)

/** The significance level of the Welch tests. */
#define CTM_COMPARE_ALPHA 0.05

/** One row of PREFIX.csv (ctm_comparison_save): one measure between two
 * consecutive waves of a region. */
typedef struct ctm_change {
	size_t region;    /**< region index (ctm_comparison_region) */
	size_t from_wave; /**< wave indexes (ctm_comparison_wave) */
	size_t to_wave;
	size_t dimension; /**< the measure: a dimension (0..D-1, rubric order), a
			       factor (D + its index), or CTM_CHANGE_STAGE */
	size_t n_from;    /**< units with a value (stage: units answering) */
	size_t n_to;
	double from; /**< mean (stage: M); NaN when n is 0 */
	double to;
	double delta;    /**< to - from */
	double t;        /**< Welch's t, degrees of freedom and two-sided p; */
	double df;       /**< NaN for the stage and when the test is */
	double p;        /**< undefined (either n < 2, or both sd 0) */
	int significant; /**< 1 when p < CTM_COMPARE_ALPHA, 0 when not,
				  -1 when p is undefined */
	int stage_from;  /**< stage rows: S in each wave; else 0 */
	int stage_to;
} ctm_change;

/**
 * The change of one measure from group `from` to group `to` (two groups of
 * the same results, e.g. ctm_results_previous_group(res, to) and to), as
 * compare computes its rows: measure is a dimension (0..D-1), a factor
 * (D + its index) or CTM_CHANGE_STAGE (only when the rubric has a stage).
 * *out is filled as a row of ctm_comparison_change, its region and wave
 * indexes 0. Returns 0, or CTM_EUSAGE (NULL, groups of different rubrics,
 * no such measure).
 */
CTM_EXTERN(int) ctm_group_change(const ctm_group *from, const ctm_group *to, size_t measure,
				 ctm_change *out);

/** ICC of one measure (dimension or factor) across the regions of one wave. */
typedef struct ctm_icc {
	size_t wave;      /**< wave index */
	size_t dimension; /**< the measure, as in ctm_change */
	size_t regions;   /**< G: regions with data on the measure */
	size_t units;     /**< N: unit values over those regions */
	double icc1;      /**< NaN when G < 2, N - G < 1 or MSB = 0 */
	double icc2;
} ctm_icc;

/** What regions are ranked by: the rubric's stage when it has levelled
 * questions (M), else the mean of its dimension means, else the mean of its
 * factor means (over those with data in the group). */
typedef enum ctm_rank_by {
	CTM_RANK_BY_MATURITY = 0,
	CTM_RANK_BY_DIMENSION_MEAN = 1,
	CTM_RANK_BY_FACTOR_MEAN = 2
} ctm_rank_by;

/** One place in a wave's ranking of regions. */
typedef struct ctm_rank {
	size_t region;   /**< region index */
	size_t rank;     /**< 1-based; ties (scores equal to 4 decimals) share
				  the best rank, the next rank skips ("1, 2, 2, 4") */
	int stage;       /**< S (0 without a stage) */
	double maturity; /**< M (NaN without a stage) */
	double score;    /**< what is ranked (ctm_comparison_rank_by); NaN last */
} ctm_rank;

/**
 * Compares every region over its waves. results is borrowed and must
 * outlive the comparison.
 *
 * On success *out owns the comparison: free it with ctm_comparison_free.
 * Returns 0, CTM_ENOMEM (said in ctx), or CTM_EUSAGE when out or results is
 * NULL (said in ctx). ctx may be NULL.
 */
CTM_EXTERN(int) ctm_compare_run(ctm_comparison **out, const ctm_results *results, ctm_ctx *ctx);

/** Frees a comparison. Accepts NULL. */
CTM_EXTERN(void) ctm_comparison_free(ctm_comparison *c);

/** The results the comparison was made from; borrowed. */
CTM_EXTERN(const ctm_results *) ctm_comparison_results(const ctm_comparison *c);

/** Regions and waves of the data set, each in natural order; names borrowed
 * from the results, NULL when the index is out of range. */
CTM_EXTERN(size_t) ctm_comparison_region_count(const ctm_comparison *c);
CTM_EXTERN(const char *) ctm_comparison_region(const ctm_comparison *c, size_t r);
CTM_EXTERN(size_t) ctm_comparison_wave_count(const ctm_comparison *c);
CTM_EXTERN(const char *) ctm_comparison_wave(const ctm_comparison *c, size_t w);
/** The group of region r in wave w, or NULL when the region has no data then
 * (or r or w is out of range); borrowed from the results. */
CTM_EXTERN(const ctm_group *) ctm_comparison_group(const ctm_comparison *c, size_t r, size_t w);

/** Rows of PREFIX.csv in their order: region, waves, stage, dimensions.
 * ctm_comparison_change is borrowed, NULL when i is out of range. */
CTM_EXTERN(size_t) ctm_comparison_change_count(const ctm_comparison *c);
CTM_EXTERN(const ctm_change *) ctm_comparison_change(const ctm_comparison *c, size_t i);
/** What the ranking is by (see ctm_rank_by). */
CTM_EXTERN(ctm_rank_by) ctm_comparison_rank_by(const ctm_comparison *c);
/** Measures: the rubric's dimensions, then its factors. Their ids (unique
 * in a rubric) and names are borrowed from the rubric; NULL when m is out of
 * range. */
CTM_EXTERN(size_t) ctm_comparison_measure_count(const ctm_comparison *c);
CTM_EXTERN(const char *) ctm_comparison_measure_id(const ctm_comparison *c, size_t m);
CTM_EXTERN(const char *) ctm_comparison_measure_name(const ctm_comparison *c, size_t m);
CTM_EXTERN(int) ctm_comparison_measure_is_factor(const ctm_comparison *c, size_t m);
/** A measure's statistics in a group of the results: dimension m, or factor
 * m - D; borrowed, NULL when m is out of range. */
CTM_EXTERN(const ctm_item_stats *) ctm_comparison_measure_stats(const ctm_comparison *c,
								const ctm_group *g, size_t m);

/** Welch tests with a defined p (the number of tests made). */
CTM_EXTERN(size_t) ctm_comparison_test_count(const ctm_comparison *c);
/** Of which significant. */
CTM_EXTERN(size_t) ctm_comparison_significant_count(const ctm_comparison *c);

/** ICC of wave w and measure d (dimensions, then factors); borrowed. NULL
 * when w or d is out of range. */
CTM_EXTERN(const ctm_icc *) ctm_comparison_icc(const ctm_comparison *c, size_t w, size_t d);

/** Regions of wave w (those with a group), best score first
 * (ctm_comparison_rank_by; 0 when w is out of range); entry k borrowed, NULL
 * when out of range. */
CTM_EXTERN(size_t) ctm_comparison_ranking_count(const ctm_comparison *c, size_t w);
CTM_EXTERN(const ctm_rank *) ctm_comparison_ranking(const ctm_comparison *c, size_t w, size_t k);

/**
 * Writes PREFIX.csv's content:
 * region,id,from_wave,to_wave,n_from,n_to,from,to,delta,p,significant
 * Numbers have 4 decimals, as printf's "%.4f" writes them (the nearest
 * 4-decimal value of the double; docs/scoring.md), never "-0.0000";
 * undefined is an empty cell. p is rounded like every other number, so a p
 * below 0.00005 shows as 0.0000: it means "p < 0.0001", never exactly 0, and
 * the significant column (decided on the unrounded p) says yes. Likewise a p
 * in [0.04995, 0.05) shows as 0.0500 with significant = yes. The stream is
 * borrowed, flushed and not closed; it must not be NULL. Returns 0 or
 * CTM_EWRITE when the stream reports an error (said in ctx, which may be
 * NULL).
 */
CTM_EXTERN(int) ctm_comparison_write_csv(const ctm_comparison *c, FILE *out, ctm_ctx *ctx);

/**
 * Writes PREFIX-regions.csv's content: wave,id,regions,units,icc1,icc2, one
 * row per wave (natural order) and dimension (rubric order). As
 * ctm_comparison_write_csv for the stream and the return codes.
 */
CTM_EXTERN(int) ctm_comparison_write_regions_csv(const ctm_comparison *c, FILE *out, ctm_ctx *ctx);

/**
 * Renders the comparison report (PDF): stage and M by region and wave, trend
 * charts, significant changes, rankings, ICC, method, in the default font
 * (DejaVu Sans). Saved atomically to path (a temporary renamed into place; a
 * failure leaves no file and an existing one untouched). Returns 0,
 * CTM_EUSAGE when path is NULL or empty (found only after the report is
 * drawn; not said in ctx), CTM_EWRITE (path cannot be written), CTM_EIO or
 * CTM_EINVALID (the font cannot be read or used), CTM_ENOMEM, CTM_EINTERNAL
 * (libharu failed, or continuum's bug: a text it composed is not UTF-8,
 * said as an internal error); the reason is in ctx, which may be NULL.
 */
CTM_EXTERN(int) ctm_comparison_save_pdf(const ctm_comparison *c, const char *path, ctm_ctx *ctx);

/**
 * Writes PREFIX.csv, PREFIX-regions.csv and PREFIX.pdf (prefix with those
 * suffixes appended), all or none: the PDF is drawn and both tables written
 * to temporary files first, then the three are renamed into place as a set
 * (continuum/io.h): if any rename fails, or a signal handler calls
 * ctm_cleanup_temporaries meanwhile, the files already renamed are taken
 * back and the previous versions, if any, put back, so the three are as
 * they were. prefix must not be NULL; an empty prefix is not refused (it
 * names ".csv", "-regions.csv" and ".pdf"). Returns 0, CTM_EWRITE, CTM_EIO
 * or CTM_EINVALID (the font), CTM_ENOMEM or CTM_EINTERNAL, as
 * ctm_comparison_save_pdf; the reason is in ctx, which may be NULL.
 */
CTM_EXTERN(int) ctm_comparison_save(const ctm_comparison *c, const char *prefix, ctm_ctx *ctx);

/**
 * As ctm_comparison_save_pdf and ctm_comparison_save, with the report
 * options that apply to a comparison: the paper, the fonts, and (version 3)
 * the organization, title, date and logo at the head of the first page, the
 * notes as "Facilitator's summary" after the overview, and
 * CTM_REPORT_OMIT_METHOD (the comparison has no partners, roles, questions
 * or comments sections: those bits leave nothing out). opts may be NULL
 * (the defaults); ctm_report_options_check tells of a bad one beforehand.
 * Returns as those functions do, and CTM_EUSAGE for options
 * ctm_report_options_check refuses, CTM_EIO or CTM_EINVALID for a logo or
 * notes file that cannot be read or used.
 */
CTM_EXTERN(int) ctm_comparison_save_pdf_with(const ctm_comparison *c, const char *path,
					     const ctm_report_options *opts, ctm_ctx *ctx);
CTM_EXTERN(int) ctm_comparison_save_with(const ctm_comparison *c, const char *prefix,
					 const ctm_report_options *opts, ctm_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
