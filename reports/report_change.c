/* The change since the region's previous survey (its wave before this
 * one): the stage and M then and now, every dimension's and factor's mean
 * with Δ and Welch's p exactly as `compare` computes them
 * (ctm_group_change), and what moved significantly, in words. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "continuum/compare.h"
#include "report_internal.h"

/* A measure's name: a dimension's, or a factor's. */
static const char *measure_name(const ctm_report_state *rp, size_t m)
{
	return m < rp->dims ? ctm_report__dim_name(rp, m)
			    : ctm_report__factor_name(rp, m - rp->dims);
}

/* The stage and M then and now, in a sentence. */
static int stage_sentence(ctm_report_state *rp)
{
	ctm_change ch;
	char a[32], b[32], d[32];

	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb,
			   "The region's previous survey is wave %s, with %zu %s (%zu now).",
			   ctm_group_wave(rp->prev), ctm_group_unit_count(rp->prev), rp->units_word,
			   ctm_group_unit_count(rp->g));
	if (rp->has_stage && ctm_group_change(rp->prev, rp->g, CTM_CHANGE_STAGE, &ch) == 0) {
		const char *moved = ch.stage_to > ch.stage_from   ? "rose"
				    : ch.stage_to < ch.stage_from ? "fell"
								  : "stayed";
		ctm_strbuf__printf(&rp->sb, " The stage %s %s %d", moved,
				   ch.stage_to == ch.stage_from ? "at" : "from", ch.stage_from);
		if (ch.stage_to != ch.stage_from)
			ctm_strbuf__printf(&rp->sb, " to %d", ch.stage_to);
		ctm_strbuf__printf(&rp->sb, "; the maturity index M went from %s to %s (%s).",
				   ctm_draw__number(a, sizeof(a), ch.from, 2),
				   ctm_draw__number(b, sizeof(b), ch.to, 2),
				   ctm_draw__signed_number(d, sizeof(d), ch.delta, 2));
	}
	if (rp->sb.failed)
		return CTM_ENOMEM;
	return ctm_report__para(rp, rp->sb.s);
}

/* Every measure's change as a table, laid out whole (ctm_draw__table): its
 * header never alone at a page's foot, a continued part of 3 rows or more. */
static int change_table(ctm_report_state *rp, const ctm_change *changes, size_t measures)
{
	ctm_draw_column cols[6] = {
		{ rp->dims && rp->factors ? "Dimension or factor" : rp->dims ? "Dimension" : "Factor",
		  0, 0.34, CTM_DRAW_ALIGN_LEFT },
		{ NULL, 0, 0.14, CTM_DRAW_ALIGN_RIGHT },
		{ NULL, 0, 0.14, CTM_DRAW_ALIGN_RIGHT },
		{ "Change", 0, 0.12, CTM_DRAW_ALIGN_RIGHT },
		{ "p (Welch)", 0, 0.12, CTM_DRAW_ALIGN_RIGHT },
		{ "Significant", 0, 0, CTM_DRAW_ALIGN_LEFT },
	};
	ctm_draw_table_style ts = { .size = 8.5, .zebra = 1 };
	ctm_draw_cell *cells = calloc(measures ? measures * 6 : 1, sizeof(*cells));
	size_t rows = 0;
	int rc = CTM_OK;

	if (!cells)
		return CTM_ENOMEM;
	cols[1].header = ctm_draw__printf(rp->doc, "Mean %s", ctm_group_wave(rp->prev));
	cols[2].header = ctm_draw__printf(rp->doc, "Mean %s", ctm_group_wave(rp->g));
	for (size_t m = 0; m < measures; m++) {
		const ctm_change ch = changes[m];
		char a[32], b[32], d[32], p[32];
		const char *sig = ch.significant < 0 ? "not testable"
				  : ch.significant ? "yes"
						   : "no";
		/* the document keeps the texts for as long as the table needs them */
		ctm_draw_cell *row = &cells[rows++ * 6];
		row[0] = (ctm_draw_cell){ measure_name(rp, m), NULL, 0 };
		row[1] = (ctm_draw_cell){ ctm_draw__printf(rp->doc, "%s",
							   ctm_draw__number(a, sizeof(a), ch.from, 2)),
					  NULL, 0 };
		row[2] = (ctm_draw_cell){ ctm_draw__printf(rp->doc, "%s",
							   ctm_draw__number(b, sizeof(b), ch.to, 2)),
					  NULL, 0 };
		row[3] = (ctm_draw_cell){
			ctm_draw__printf(rp->doc, "%s",
					 ctm_draw__signed_number(d, sizeof(d), ch.delta, 2)),
			NULL, ch.significant > 0
		};
		row[4] = (ctm_draw_cell){ ctm_draw__printf(rp->doc, "%s",
							   ctm_draw__p_value(p, sizeof(p), ch.p)),
					  NULL, 0 };
		row[5] = (ctm_draw_cell){ sig, NULL, ch.significant > 0 };
	}
	if (rows)
		rc = ctm_draw__table(rp->doc, cols, 6, &ts, cells, rows);
	free(cells);
	return rc;
}

/* What moved significantly, one line each, or that nothing did. */
static int significant_list(ctm_report_state *rp, const ctm_change *changes, size_t measures)
{
	size_t tests = 0, sig = 0;
	ctm_strbuf list = CTM_STRBUF_INIT;
	double intro_h = 0, list_h = 0;
	int rc;

	for (size_t m = 0; m < measures; m++) {
		const ctm_change ch = changes[m];
		char a[32], b[32], p[32];
		if (ch.significant < 0)
			continue;
		tests++;
		sig += (size_t)ch.significant;
		if (ch.significant)
			ctm_strbuf__printf(&list, "%s•  %s %s from %s to %s (p = %s).",
					   list.len ? "\n" : "", measure_name(rp, m),
					   ch.delta > 0 ? "rose" : "fell",
					   ctm_draw__number(a, sizeof(a), ch.from, 2),
					   ctm_draw__number(b, sizeof(b), ch.to, 2),
					   ctm_draw__p_value(p, sizeof(p), ch.p));
	}
	ctm_strbuf__reset(&rp->sb);
	if (sig == 0)
		ctm_strbuf__printf(&rp->sb,
				   "No mean changed significantly (p < %.2f) since wave %s: %s.",
				   CTM_COMPARE_ALPHA, ctm_group_wave(rp->prev),
				   tests ? "the differences are within what chance alone gives with "
					   "this many answers"
					 : "no change could be tested (a test needs two values or "
					   "more in each wave)");
	else /* as compare's method says: one test per measure, none corrected */
		ctm_strbuf__printf(&rp->sb,
				   "%zu of the %zu changes that could be tested %s significant "
				   "(p < %.2f). Each is tested on its own (Welch's t-test on the "
				   "%s' values, as in continuum compare); with many measures, one "
				   "may pass by chance.",
				   sig, tests, sig == 1 ? "is" : "are", CTM_COMPARE_ALPHA,
				   rp->units_word);
	rc = CTM_ENOMEM;
	if (rp->sb.failed || list.failed)
		goto cleanup;
	/* the heading, the sentence and the list together when they fit a page:
	 * no line of it left alone on the next */
	double width = rp->box.right - rp->box.left;
	if ((rc = ctm_draw__text_measure(rp->doc, width, rp->sb.s, NULL, &intro_h)) < 0 ||
	    (list.len && (rc = ctm_draw__text_measure(rp->doc, width, list.s, NULL, &list_h)) < 0) ||
	    (rc = ctm_draw__need(rp->doc,
				 fmin(40 + intro_h + list_h + 12, rp->box.top - rp->box.bottom))) <
		    0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "What moved significantly")) < 0 ||
	    (rc = ctm_report__para(rp, rp->sb.s)) < 0 ||
	    (list.len && (rc = ctm_report__para(rp, list.s)) < 0))
		goto cleanup;
	rc = CTM_OK;

cleanup:
	ctm_strbuf__free(&list);
	return rc;
}

int ctm_report__change(ctm_report_state *rp)
{
	size_t measures = rp->dims + rp->factors;
	ctm_change *changes = NULL;
	int rc;

	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb, "Change since wave %s", ctm_group_wave(rp->prev));
	if (rp->sb.failed)
		return CTM_ENOMEM;
	const char *heading = ctm_draw__printf(rp->doc, "%s", rp->sb.s);
	if ((rc = ctm_draw__need(rp->doc, 160)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, heading)) < 0 || (rc = stage_sentence(rp)) < 0)
		return rc;
	if (!measures)
		return 0;
	/* each measure's change once, for the table and the list */
	if (!(changes = calloc(measures, sizeof(*changes))))
		return CTM_ENOMEM;
	for (size_t m = 0; m < measures; m++)
		(void)ctm_group_change(rp->prev, rp->g, m, &changes[m]); /* m is a measure */
	ctm_draw__advance(rp->doc, 4);
	if ((rc = change_table(rp, changes, measures)) == 0) {
		ctm_draw__advance(rp->doc, 10);
		rc = significant_list(rp, changes, measures);
	}
	free(changes);
	return rc;
}
