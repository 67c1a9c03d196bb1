/*
 * The blank survey's CSV header: the columns `continuum score` reads, in the
 * order a facilitator fills them (who answers first, then the items in rubric
 * order). The PDF questionnaire is drawn in reports/template_pdf.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "continuum/template.h"
#include "diag.h"
#include "format.h"
#include "rubric_internal.h"

int ctm_template_write_csv(const ctm_rubric *rubric, FILE *out, ctm_ctx *ctx)
{
	if (!rubric || !out)
		return CTM_EUSAGE;
	fputs("region,wave,partner,respondent,role", out);
	for (size_t i = 0; i < rubric->dimension_count; i++) {
		fputc(',', out);
		ctm_format__csv_field(out, rubric->dimensions[i].id);
	}
	for (size_t i = 0; i < rubric->question_count; i++) {
		fputc(',', out);
		ctm_format__csv_field(out, rubric->questions[i].id);
	}
	for (size_t i = 0; i < rubric->comment_count; i++) {
		fputc(',', out);
		ctm_format__csv_field(out, rubric->comments[i].id);
	}
	fputc('\n', out);
	if (fflush(out) != 0 || ferror(out)) {
		ctm_diag__error(ctx, NULL, 0, 0, "cannot write the survey header: %s",
				strerror(errno));
		return CTM_EWRITE;
	}
	return CTM_OK;
}
