/*
 * PREFIX.csv and PREFIX-regions.csv of docs/scoring.md, "Comparison". Numbers have
 * 4 decimals, undefined is an empty cell.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "continuum/compare.h"
#include "format.h"
#include "diag.h"

int ctm_comparison_write_csv(const ctm_comparison *c, FILE *out, ctm_ctx *ctx)
{
	fputs("region,id,from_wave,to_wave,n_from,n_to,from,to,delta,p,significant\n", out);
	for (size_t i = 0; i < ctm_comparison_change_count(c); i++) {
		const ctm_change *ch = ctm_comparison_change(c, i);
		ctm_format__csv_field(out, ctm_comparison_region(c, ch->region));
		fputc(',', out);
		ctm_format__csv_field(out, ch->dimension == CTM_CHANGE_STAGE
						   ? "stage"
						   : ctm_comparison_measure_id(c, ch->dimension));
		fputc(',', out);
		ctm_format__csv_field(out, ctm_comparison_wave(c, ch->from_wave));
		fputc(',', out);
		ctm_format__csv_field(out, ctm_comparison_wave(c, ch->to_wave));
		fprintf(out, ",%zu,%zu", ch->n_from, ch->n_to);
		ctm_format__csv_number(out, ch->from);
		ctm_format__csv_number(out, ch->to);
		ctm_format__csv_number(out, ch->delta);
		/* p is rounded like every number: a p below 0.00005 reads 0.0000,
		 * meaning p < 0.0001; significant is decided on the unrounded p. */
		ctm_format__csv_number(out, ch->p);
		fputs(ch->significant > 0 ? ",yes\n" : ch->significant == 0 ? ",no\n" : ",\n", out);
	}
	if (fflush(out) != 0 || ferror(out)) {
		ctm_diag__error(ctx, NULL, 0, 0, "cannot write the comparison table: %s",
				strerror(errno ? errno : EIO));
		return CTM_EWRITE;
	}
	return CTM_OK;
}

int ctm_comparison_write_regions_csv(const ctm_comparison *c, FILE *out, ctm_ctx *ctx)
{
	size_t measures = ctm_comparison_measure_count(c);

	fputs("wave,id,regions,units,icc1,icc2\n", out);
	for (size_t w = 0; w < ctm_comparison_wave_count(c); w++) {
		for (size_t d = 0; d < measures; d++) {
			const ctm_icc *icc = ctm_comparison_icc(c, w, d);
			ctm_format__csv_field(out, ctm_comparison_wave(c, w));
			fputc(',', out);
			ctm_format__csv_field(out, ctm_comparison_measure_id(c, d));
			fprintf(out, ",%zu,%zu", icc->regions, icc->units);
			ctm_format__csv_number(out, icc->icc1);
			ctm_format__csv_number(out, icc->icc2);
			fputc('\n', out);
		}
	}
	if (fflush(out) != 0 || ferror(out)) {
		ctm_diag__error(ctx, NULL, 0, 0, "cannot write the table of regions: %s",
				strerror(errno ? errno : EIO));
		return CTM_EWRITE;
	}
	return CTM_OK;
}
