/* Part 6 of the readiness report: the units side by side. A unit × dimension
 * heat map of placements, the divergent partners, and the breakdown by role
 * with small cells suppressed (never printed as numbers). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

typedef char cell_text[48];

/* Columns: a first column of first_fraction, then one per dimension; the
 * dimension headers are names when they fit, else codes D1..Dn. */
static int dim_columns(ctm_report_state *rp, ctm_draw_column *cols, cell_text *heads,
		       const char *first, double first_fraction, const char *second,
		       double second_points, int *codes)
{
	double width = rp->box.right - rp->box.left;
	double rest = width * (1 - first_fraction) - second_points;
	double colw = rest / (double)rp->dims;
	size_t k = 0;

	*codes = ctm_report__dims_use_codes(rp, colw);
	cols[k++] = (ctm_draw_column){ first, 0, first_fraction, CTM_DRAW_ALIGN_LEFT };
	if (second)
		cols[k++] = (ctm_draw_column){ second, second_points, 0, CTM_DRAW_ALIGN_LEFT };
	for (size_t d = 0; d < rp->dims; d++) {
		ctm_draw__format(heads[d], sizeof(heads[d]), "D%zu", d + 1);
		cols[k++] = (ctm_draw_column){ *codes ? heads[d] : ctm_report__dim_name(rp, d), 0,
					       0, CTM_DRAW_ALIGN_CENTER };
	}
	return 0;
}

/* "7 partners with fewer than 5 respondents are not shown one by one ...". */
static const char *hidden_note(ctm_report_state *rp, size_t hidden)
{
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(&rp->sb,
			   "%zu %s%s with fewer than %d respondents %s not shown one by one: "
			   "their values would be a few people's answers (the group's results "
			   "include them; --show-partners shows every %s).",
			   hidden, rp->unit_word, hidden == 1 ? "" : "s", rp->min_n,
			   hidden == 1 ? "is" : "are", rp->unit_word);
	return rp->sb.failed ? "" : rp->sb.s;
}

static int heat_map(ctm_report_state *rp)
{
	ctm_draw_column *cols = NULL;
	ctm_draw_cell *cells = NULL;
	ctm_draw_rgb *fills = NULL;
	cell_text *texts = NULL, *heads = NULL;
	int rc = CTM_ENOMEM, codes = 0;
	size_t nc = rp->dims + 1;

	cols = calloc(nc, sizeof(*cols));
	cells = calloc(nc, sizeof(*cells));
	fills = calloc(nc, sizeof(*fills));
	texts = calloc(nc, sizeof(*texts));
	heads = calloc(nc, sizeof(*heads));
	if (!cols || !cells || !fills || !texts || !heads)
		goto cleanup;
	/* privacy: a unit of fewer than min-n respondents is only counted; with
	 * none to show, the count is all there is */
	size_t hidden = ctm_group_units_hidden(rp->res, rp->g);
	if (hidden == rp->units) {
		rc = ctm_report__para(rp, hidden_note(rp, hidden));
		goto cleanup;
	}
	const char *first = rp->partner_units ? "Partner" : "Respondent";
	double ff = rp->dims > 8 ? 0.26 : 0.3;
	dim_columns(rp, cols, heads, first, ff, NULL, 0, &codes);
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"Each cell is a %s's placement on a dimension (the mean of its "
		"respondents' answers), coloured on the level scale; “—” where it gave none.",
		rp->unit_word);
	if (rp->sb.failed)
		goto cleanup;
	if ((rc = ctm_report__caption(rp, rp->sb.s)) < 0 ||
	    (codes && (rc = ctm_report__dim_key(rp)) < 0) ||
	    (rc = ctm_report__value_legend(rp)) < 0)
		goto cleanup;
	if (hidden && (rc = ctm_report__para(rp, hidden_note(rp, hidden))) < 0)
		goto cleanup;
	ctm_draw_table_style ts = { .size = 8 };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, nc, &ts)) < 0)
		goto cleanup;
	for (size_t u = 0; u < rp->units; u++) {
		if (!ctm_group_unit_shown(rp->res, rp->g, u))
			continue;
		cells[0] = (ctm_draw_cell){ ctm_group_unit_name(rp->g, u), NULL, 0 };
		for (size_t d = 0; d < rp->dims; d++) {
			double v = ctm_group_unit_value(rp->g, u, d);
			ctm_draw__number(texts[d + 1], sizeof(texts[d + 1]), v, 1);
			fills[d + 1] = ctm_report__value_color(rp, v);
			cells[d + 1] = (ctm_draw_cell){ texts[d + 1],
							isnan(v) ? NULL : &fills[d + 1], 0 };
		}
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			goto cleanup;
	}
	rc = ctm_draw__table_end(rp->doc);

cleanup:
	free(cols);
	free(cells);
	free(fills);
	free(texts);
	free(heads);
	return rc;
}

static int divergent(ctm_report_state *rp)
{
	size_t n = ctm_group_divergence_count(rp->g);
	int rc;

	if ((rc = ctm_draw__need(rp->doc, 90)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Divergent partners")) < 0)
		return rc;
	if (!rp->partner_units)
		return ctm_report__para(
			rp, "Divergence is reported for partner units only; this report "
			    "counts respondents as units.");
	size_t shown = 0;
	for (size_t k = 0; k < n; k++)
		shown += ctm_group_unit_shown(rp->res, rp->g, ctm_group_divergence(rp->g, k)->unit);
	if (n == 0)
		return ctm_report__para(
			rp, "No partner's placement is 2 or more levels from the median on "
			    "any dimension.");
	if (shown == 0) {
		ctm_strbuf__reset(&rp->sb);
		ctm_strbuf__printf(&rp->sb,
				   "%zu placement%s of partners with fewer than %d respondents %s "
				   "2 or more levels from the median: not shown one by one, as "
				   "they would be a few people's answers.",
				   n, n == 1 ? "" : "s", rp->min_n, n == 1 ? "is" : "are");
		return rp->sb.failed ? CTM_ENOMEM : ctm_report__para(rp, rp->sb.s);
	}
	if ((rc = ctm_report__para(
		     rp, "Partners whose placement on a dimension is 2 or more levels from "
			 "the median of all partners: worth a conversation, since they see "
			 "the partnership differently from the rest.")) < 0)
		return rc;
	static const ctm_draw_column cols[] = {
		{ "Partner", 0, 0.3, CTM_DRAW_ALIGN_LEFT },
		{ "Dimension", 0, 0, CTM_DRAW_ALIGN_LEFT },
		{ "Placement", 66, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Median", 54, 0, CTM_DRAW_ALIGN_RIGHT },
		{ "Difference", 70, 0, CTM_DRAW_ALIGN_RIGHT },
	};
	ctm_draw_table_style ts = { .zebra = 1, .size = 8.5 };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, 5, &ts)) < 0)
		return rc;
	for (size_t k = 0; k < n; k++) {
		const ctm_divergence *dv = ctm_group_divergence(rp->g, k);
		char v[32], m[32], diff[32];
		if (!ctm_group_unit_shown(rp->res, rp->g, dv->unit))
			continue;
		ctm_draw__number(diff, sizeof(diff), dv->value - dv->median, 2);
		if (dv->value > dv->median) {
			memmove(diff + 1, diff, strlen(diff) + 1);
			diff[0] = '+';
		}
		ctm_draw_cell cells[5] = {
			{ ctm_group_unit_name(rp->g, dv->unit), NULL, 0 },
			{ ctm_report__dim_name(rp, dv->dimension), NULL, 0 },
			{ ctm_draw__number(v, sizeof(v), dv->value, 2), NULL, 1 },
			{ ctm_draw__number(m, sizeof(m), dv->median, 2), NULL, 0 },
			{ diff, NULL, 0 },
		};
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			return rc;
	}
	return ctm_draw__table_end(rp->doc);
}

static int roles(ctm_report_state *rp)
{
	ctm_draw_column *cols = NULL;
	ctm_draw_cell *cells = NULL;
	cell_text *texts = NULL, *heads = NULL;
	size_t nr = ctm_group_role_count(rp->g), nc = rp->dims + 2;
	int rc, codes = 0;
	char supp[64], supp2[64], who[32];

	if ((rc = ctm_draw__need(rp->doc, 100)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 2, "Views by role")) < 0)
		return rc;
	if (nr == 0 || (nr == 1 && strcmp(ctm_group_role_name(rp->g, 0), "(no role)") == 0))
		return ctm_report__para(
			rp, "The responses carry no role, so there is no breakdown by role.");
	ctm_strbuf__reset(&rp->sb);
	ctm_strbuf__printf(
		&rp->sb,
		"The mean placement per dimension among the respondents of each "
		"role. To protect respondents, a role with fewer than %d respondents is "
		"suppressed and shown without numbers; when only one role would be, the next "
		"smallest is suppressed too, so that the hidden one cannot be worked out from "
		"the total.",
		rp->min_n);
	if (rp->sb.failed)
		return CTM_ENOMEM;
	if ((rc = ctm_report__para(rp, rp->sb.s)) < 0)
		return rc;
	rc = CTM_ENOMEM;
	cols = calloc(nc, sizeof(*cols));
	cells = calloc(nc, sizeof(*cells));
	texts = calloc(nc, sizeof(*texts));
	heads = calloc(nc, sizeof(*heads));
	if (!cols || !cells || !texts || !heads)
		goto cleanup;
	dim_columns(rp, cols, heads, "Role", 0.2, "Respondents", 112, &codes);
	if (codes && (rc = ctm_report__dim_key(rp)) < 0)
		goto cleanup;
	ctm_draw__format(supp, sizeof(supp), "suppressed (n < %d)", rp->min_n);
	ctm_draw__format(supp2, sizeof(supp2), "suppressed (protects a smaller role)");
	ctm_draw_table_style ts = { .size = 8, .zebra = 1 };
	if ((rc = ctm_draw__table_begin(rp->doc, cols, nc, &ts)) < 0)
		goto cleanup;
	for (size_t r = 0; r < nr; r++) {
		int s = ctm_group_role_suppressed(rp->g, r);
		size_t resp = ctm_group_role_respondents(rp->g, r);
		cells[0] = (ctm_draw_cell){ ctm_group_role_name(rp->g, r), NULL, 1 };
		if (s) {
			cells[1] = (ctm_draw_cell){ resp < (size_t)rp->min_n ? supp : supp2, NULL,
						    0 };
		} else {
			ctm_draw__format(who, sizeof(who), "%zu", resp);
			cells[1] = (ctm_draw_cell){ who, NULL, 0 };
		}
		for (size_t d = 0; d < rp->dims; d++) {
			if (s)
				ctm_draw__format(texts[d], sizeof(texts[d]), "·");
			else
				ctm_draw__number(texts[d], sizeof(texts[d]),
						 ctm_group_role_mean(rp->g, r, d), 2);
			cells[d + 2] = (ctm_draw_cell){ texts[d], NULL, 0 };
		}
		if ((rc = ctm_draw__table_row(rp->doc, cells)) < 0)
			goto cleanup;
	}
	rc = ctm_draw__table_end(rp->doc);

cleanup:
	free(cols);
	free(cells);
	free(texts);
	free(heads);
	return rc;
}

int ctm_report__partners(ctm_report_state *rp)
{
	int rc;

	if ((rc = ctm_draw__page_add(rp->doc)) < 0 ||
	    (rc = ctm_draw__heading(rp->doc, 1, rp->partner_units ? "Partners" : "Respondents")) <
		    0)
		return rc;
	/* --omit partners or roles leaves that half out (report.c skips the
	 * part when both are) */
	if (!(rp->id.omit & CTM_REPORT_OMIT_PARTNERS)) {
		if ((rc = ctm_draw__heading(rp->doc, 2, "Placements side by side")) < 0 ||
		    (rc = heat_map(rp)) < 0)
			return rc;
		ctm_draw__advance(rp->doc, 8);
		if ((rc = divergent(rp)) < 0)
			return rc;
		ctm_draw__advance(rp->doc, 8);
	}
	return rp->id.omit & CTM_REPORT_OMIT_ROLES ? 0 : roles(rp);
}
