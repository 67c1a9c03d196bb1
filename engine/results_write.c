/*
 * The tidy table of docs/scoring.md, "The score table" as CSV, and the same numbers plus the gap
 * analysis as JSON. Numbers have 4 decimals; undefined is an empty cell (CSV)
 * or null (JSON).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "csv.h"
#include "format.h"
#include "continuum/compare.h"
#include "diag.h"
#include "score_internal.h"

/* ---- CSV ---- */

static void row_start(FILE *out, const ctm_group *g, const char *kind, const char *id)
{
	ctm_format__csv_field(out, g->region);
	fputc(',', out);
	ctm_format__csv_field(out, g->wave);
	fprintf(out, ",%s,", kind);
	ctm_format__csv_field(out, id);
}

/* n, mean, sd, median, ci_low, ci_high, rwg */
static void stats_cells(FILE *out, const ctm_item_stats *st, int with_rwg)
{
	fprintf(out, ",%zu", st->n);
	ctm_format__csv_number(out, st->mean);
	ctm_format__csv_number(out, st->sd);
	ctm_format__csv_number(out, st->median);
	ctm_format__csv_number(out, st->ci_low);
	ctm_format__csv_number(out, st->ci_high);
	if (with_rwg)
		ctm_format__csv_number(out, st->rwg);
	else
		fputc(',', out);
}

/* qs: room for the rubric's question statistics, computed group by group
 * (they are not kept with the results: score_internal.h). */
static int write_csv(const ctm_results *res, ctm_item_stats *qs, FILE *out)
{
	const ctm_rubric *r = res->rubric;

	fputs("region,wave,kind,id,n,mean,sd,median,ci_low,ci_high,rwg,level,target,gap\n", out);
	for (size_t gi = 0; gi < res->group_count; gi++) {
		const ctm_group *g = &res->groups[gi];
		if (ctm_group_questions(g, qs) != CTM_OK)
			return CTM_ENOMEM;
		for (size_t d = 0; d < g->dim_count; d++) {
			const ctm_item_stats *st = &g->dims[d];
			row_start(out, g, "dimension", r->dimensions[d].id);
			stats_cells(out, st, 1);
			fputc(',', out);
			if (st->level)
				fprintf(out, "%d", st->level);
			fprintf(out, ",%d", (int)st->target);
			ctm_format__csv_number(out, st->gap);
			fputc('\n', out);
		}
		for (size_t q = 0; q < g->question_count; q++) {
			const ctm_item_stats *st = &qs[q];
			row_start(out, g, "question", r->questions[q].id);
			stats_cells(out, st, 0);
			fputc(',', out);
			if (st->level) /* a statement's is empty */
				fprintf(out, "%d", st->level);
			fputs(",,\n", out);
		}
		for (size_t f = 0; f < g->factor_count; f++) {
			const ctm_item_stats *st = &g->factors[f];
			row_start(out, g, "factor", r->factors[f].id);
			stats_cells(out, st, 1);
			fputc(',', out);
			if (st->level)
				fprintf(out, "%d", st->level);
			fputs(",,\n", out);
		}
		for (size_t l = 1; l <= r->level_count; l++) {
			char id[8];
			snprintf(id, sizeof(id), "%zu", l);
			row_start(out, g, "level", id);
			fprintf(out, ",%zu", (size_t)g->attainment_n[l]);
			ctm_format__csv_number(out, g->attainment[l]);
			fprintf(out, ",,,,,,%zu,,\n", l);
		}
		if (!g->has_stage)
			continue; /* no levelled question: no stage */
		row_start(out, g, "stage", "overall");
		fprintf(out, ",%zu", g->units_answering);
		ctm_format__csv_number(out, g->maturity);
		fprintf(out, ",,,,,,%d,%d", g->stage, g->stage_target);
		ctm_format__csv_number(out, g->stage_gap);
		fputc('\n', out);
	}
	return CTM_OK;
}

/* ---- JSON ---- */

static void json_string(FILE *out, const char *s) { ctm_format__json_string(out, s); }

static void json_key(FILE *out, const char *key)
{
	json_string(out, key);
	fputc(':', out);
}

static void json_stats(FILE *out, const ctm_item_stats *st, int dimension)
{
	fprintf(out, "\"n\":%zu,", st->n);
	json_key(out, "mean");
	ctm_format__json_number(out, st->mean);
	fputc(',', out);
	json_key(out, "sd");
	ctm_format__json_number(out, st->sd);
	fputc(',', out);
	json_key(out, "median");
	ctm_format__json_number(out, st->median);
	fputc(',', out);
	json_key(out, "ci_low");
	ctm_format__json_number(out, st->ci_low);
	fputc(',', out);
	json_key(out, "ci_high");
	ctm_format__json_number(out, st->ci_high);
	fputc(',', out);
	if (dimension) {
		json_key(out, "rwg");
		ctm_format__json_number(out, st->rwg);
		fputc(',', out);
		if (st->level)
			fprintf(out, "\"level\":%d,", st->level);
		else
			fputs("\"level\":null,", out);
		fprintf(out, "\"target\":%d,", (int)st->target);
		json_key(out, "gap");
		ctm_format__json_number(out, st->gap);
		fputc(',', out);
		fprintf(out, "\"low_agreement\":%s,\"perception_flag\":%s",
			st->low_agreement ? "true" : "false",
			st->perception_flag ? "true" : "false");
	} else if (st->level) {
		fprintf(out, "\"level\":%d", st->level);
	} else {
		fputs("\"level\":null", out); /* a statement */
	}
}

/* A factor: its statistics, rwg and band (id and name, null when none). */
static void json_factor(FILE *out, const ctm_rubric *r, size_t f, const ctm_item_stats *st)
{
	const ctm_band *band = st->level ? &r->bands[st->level - 1] : NULL;

	json_key(out, "id");
	json_string(out, r->factors[f].id);
	fputc(',', out);
	json_stats(out, st, 0);
	fputc(',', out);
	json_key(out, "rwg");
	ctm_format__json_number(out, st->rwg);
	fputc(',', out);
	json_key(out, "band");
	if (band)
		json_string(out, band->id);
	else
		fputs("null", out);
	fputc(',', out);
	json_key(out, "band_name");
	if (band)
		json_string(out, band->name);
	else
		fputs("null", out);
}

/* The change since the region's previous wave, as compare computes it
 * (ctm_group_change): null for a region's first wave. */
static void write_change_json(const ctm_results *res, const ctm_group *g, FILE *out)
{
	const ctm_group *prev = ctm_results_previous_group(res, g);
	const ctm_rubric *r = res->rubric;
	ctm_change ch;

	json_key(out, "change");
	if (!prev) {
		fputs("null", out);
		return;
	}
	fputc('{', out);
	json_key(out, "from_wave");
	json_string(out, prev->wave);
	fputc(',', out);
	json_key(out, "stage");
	if (g->has_stage && ctm_group_change(prev, g, CTM_CHANGE_STAGE, &ch) == 0) {
		fprintf(out, "{\"stage_from\":%d,\"stage_to\":%d,", ch.stage_from, ch.stage_to);
		json_key(out, "from");
		ctm_format__json_number(out, ch.from);
		fputc(',', out);
		json_key(out, "to");
		ctm_format__json_number(out, ch.to);
		fputc(',', out);
		json_key(out, "delta");
		ctm_format__json_number(out, ch.delta);
		fputs("},", out);
	} else {
		fputs("null,", out);
	}
	fputs("\"measures\":[", out);
	for (size_t m = 0; m < g->dim_count + g->factor_count; m++) {
		if (ctm_group_change(prev, g, m, &ch) != 0)
			continue;
		int dim = m < g->dim_count;
		fputs(m ? ",{" : "{", out);
		json_key(out, "kind");
		json_string(out, dim ? "dimension" : "factor");
		fputc(',', out);
		json_key(out, "id");
		json_string(out, dim ? r->dimensions[m].id : r->factors[m - g->dim_count].id);
		fprintf(out, ",\"n_from\":%zu,\"n_to\":%zu,", ch.n_from, ch.n_to);
		static const char *const keys[] = { "from", "to", "delta", "t", "df", "p" };
		const double vals[] = { ch.from, ch.to, ch.delta, ch.t, ch.df, ch.p };
		for (size_t k = 0; k < 6; k++) {
			json_key(out, keys[k]);
			ctm_format__json_number(out, vals[k]);
			fputc(',', out);
		}
		json_key(out, "significant");
		fputs(ch.significant < 0 ? "null" : ch.significant ? "true" : "false", out);
		fputc('}', out);
	}
	fputs("]}", out);
}

/* qs: the group's question statistics (ctm_group_questions). */
static void write_group_json(const ctm_results *res, const ctm_group *g, const ctm_item_stats *qs,
			     FILE *out)
{
	const ctm_rubric *r = res->rubric;

	fputs("{", out);
	json_key(out, "region");
	json_string(out, g->region);
	fputc(',', out);
	json_key(out, "wave");
	json_string(out, g->wave);
	fputc(',', out);
	fprintf(out, "\"partners\":%zu,\"respondents\":%zu,\"units\":%zu,", g->acc->partner_count,
		g->acc->respondent_count, g->units_answering);

	if (!g->has_stage) {
		fputs("\"stage\":null,", out); /* no levelled question */
	} else {
		fputs("\"stage\":{", out);
		fprintf(out, "\"stage\":%d,", g->stage);
		json_key(out, "maturity");
		ctm_format__json_number(out, g->maturity);
		fputc(',', out);
		fprintf(out, "\"target\":%d,", g->stage_target);
		json_key(out, "gap");
		ctm_format__json_number(out, g->stage_gap);
		fputc(',', out);
		fprintf(out, "\"inconsistent\":%s},", g->inconsistent ? "true" : "false");
	}

	fputs("\"levels\":[", out);
	for (size_t l = 1; l <= r->level_count; l++) {
		fprintf(out, "%s{\"level\":%zu,", l > 1 ? "," : "", l);
		json_key(out, "id");
		json_string(out, r->levels[l - 1].id);
		fputc(',', out);
		fprintf(out, "\"n\":%zu,", (size_t)g->attainment_n[l]);
		json_key(out, "attainment");
		ctm_format__json_number(out, g->attainment[l]);
		fprintf(out, ",\"attained\":%s}", g->attained[l] ? "true" : "false");
	}
	fputs("],", out);

	fputs("\"dimensions\":[", out);
	for (size_t d = 0; d < g->dim_count; d++) {
		const ctm_item_stats *st = &g->dims[d];
		fputs(d ? ",{" : "{", out);
		json_key(out, "id");
		json_string(out, r->dimensions[d].id);
		fputc(',', out);
		json_stats(out, st, 1);
		fputs(",\"next_steps\":[", out);
		int first = 1;
		for (int l = st->level + 1; st->level && l <= (int)st->target; l++) {
			const char *desc = r->dimensions[d].descriptors[l];
			fprintf(out, "%s{\"level\":%d,\"descriptor\":", first ? "" : ",", l);
			if (desc)
				json_string(out, desc);
			else
				fputs("null", out);
			fputc('}', out);
			first = 0;
		}
		fputs("]}", out);
	}
	fputs("],", out);

	fputs("\"questions\":[", out);
	for (size_t q = 0; q < g->question_count; q++) {
		fputs(q ? ",{" : "{", out);
		json_key(out, "id");
		json_string(out, r->questions[q].id);
		fputc(',', out);
		json_stats(out, &qs[q], 0);
		fputc('}', out);
	}
	fputs("],", out);

	fputs("\"factors\":[", out);
	for (size_t f = 0; f < g->factor_count; f++) {
		fputs(f ? ",{" : "{", out);
		json_factor(out, r, f, &g->factors[f]);
		fputc('}', out);
	}
	fputs("],", out);

	fputs("\"priorities\":[", out);
	for (size_t k = 0; k < g->priority_count; k++) {
		const ctm_item_stats *st = &g->dims[g->priorities[k]];
		fputs(k ? ",{" : "{", out);
		json_key(out, "dimension");
		json_string(out, r->dimensions[g->priorities[k]].id);
		fputc(',', out);
		json_key(out, "gap");
		ctm_format__json_number(out, st->gap);
		fputc('}', out);
	}
	fputs("],", out);

	fputs("\"blocking_questions\":[", out);
	for (size_t k = 0; k < g->blocking_count; k++) {
		const ctm_item_stats *st = &qs[g->blocking[k]];
		fputs(k ? ",{" : "{", out);
		json_key(out, "id");
		json_string(out, r->questions[g->blocking[k]].id);
		fprintf(out, ",\"level\":%d,", st->level);
		json_key(out, "mean");
		ctm_format__json_number(out, st->mean);
		fputc('}', out);
	}
	fputs("],", out);

	/* a partner of fewer than min-n respondents is not shown one by one */
	fputs("\"partners_not_shown\":", out);
	fprintf(out, "%zu,", g->partner_units ? ctm_group_units_hidden(res, g) : (size_t)0);
	fputs("\"divergent_partners\":[", out);
	for (size_t k = 0, shown = 0; k < g->divergence_count; k++) {
		const ctm_divergence *dv = &g->divergences[k];
		if (!ctm_group_unit_shown(res, g, dv->unit))
			continue;
		fputs(shown++ ? ",{" : "{", out);
		json_key(out, "partner");
		json_string(out, g->acc->unit_names[dv->unit]);
		fputc(',', out);
		json_key(out, "dimension");
		json_string(out, r->dimensions[dv->dimension].id);
		fputc(',', out);
		json_key(out, "value");
		ctm_format__json_number(out, dv->value);
		fputc(',', out);
		json_key(out, "median");
		ctm_format__json_number(out, dv->median);
		fputc('}', out);
	}
	fputs("],", out);

	fputs("\"roles\":[", out);
	for (size_t k = 0; k < g->acc->role_count; k++) {
		int hidden = g->role_suppressed[k];
		fputs(k ? ",{" : "{", out);
		json_key(out, "role");
		json_string(out, g->acc->role_names[k]);
		fputc(',', out);
		fprintf(out, "\"suppressed\":%s,", hidden ? "true" : "false");
		/* A suppressed cell shows no number at all, not even its size. */
		if (hidden) {
			fputs("\"respondents\":null,\"dimensions\":null}", out);
			continue;
		}
		fprintf(out, "\"respondents\":%zu,\"dimensions\":[", g->acc->role_respondents[k]);
		for (size_t d = 0; d < g->dim_count; d++) {
			fputs(d ? ",{" : "{", out);
			json_key(out, "id");
			json_string(out, r->dimensions[d].id);
			fprintf(out, ",\"n\":%zu,", ctm_group_role_n(g, k, d));
			json_key(out, "mean");
			ctm_format__json_number(out, ctm_group_role_mean(g, k, d));
			fputc('}', out);
		}
		fputs("]}", out);
	}
	fputs("],", out);
	write_change_json(res, g, out);
	fputc('}', out);
}

static int write_json(const ctm_results *res, ctm_item_stats *qs, FILE *out)
{
	const ctm_rubric *r = res->rubric;
	const ctm_dataset *ds = res->ds;

	fputs("{\"rubric\":{", out);
	json_key(out, "id");
	json_string(out, r->id);
	fputc(',', out);
	json_key(out, "version");
	json_string(out, r->version);
	fputc(',', out);
	json_key(out, "title");
	json_string(out, r->title);
	fputs("},", out);
	fprintf(out, "\"aggregate\":\"%s\",",
		res->aggregate == CTM_AGGREGATE_PARTNER ? "partner" : "respondent");
	json_key(out, "attainment");
	ctm_format__json_number(out, r->attainment);
	fputc(',', out);
	fprintf(out, "\"min_n\":%d,\"rows\":%zu,", res->min_n, ds->rows);
	fputs("\"groups\":[\n", out);
	for (size_t i = 0; i < res->group_count; i++) {
		if (ctm_group_questions(&res->groups[i], qs) != CTM_OK)
			return CTM_ENOMEM;
		if (i)
			fputs(",\n", out);
		write_group_json(res, &res->groups[i], qs, out);
	}
	fputs("\n],\"exclusions\":[", out);
	for (size_t i = 0; i < ds->exclusion_count; i++) {
		const ctm_exclusion *e = &ds->exclusions[i];
		fputs(i ? ",{" : "{", out);
		json_key(out, "reason");
		json_string(out, e->reason);
		fputc(',', out);
		fprintf(out, "\"count\":%zu,\"of\":\"%s\",", e->count,
			e->whole_rows ? "rows" : "cells");
		json_key(out, "first_file");
		json_string(out, e->first_file);
		fprintf(out, ",\"first_line\":%lu,\"first_column\":%lu}", e->first_line,
			e->first_column);
	}
	fputs("]}\n", out);
	return CTM_OK;
}

int ctm_results_write(const ctm_results *res, ctm_format format, FILE *out, ctm_ctx *ctx)
{
	if (!res || !out)
		return CTM_EUSAGE;
	size_t Q = res->rubric->question_count;
	ctm_item_stats *qs = malloc((Q ? Q : 1) * sizeof(*qs));
	int rc = !qs ? CTM_ENOMEM
		     : format == CTM_FORMAT_JSON ? write_json(res, qs, out)
						 : write_csv(res, qs, out);
	free(qs);
	if (rc != CTM_OK)
		return rc;
	if (fflush(out) != 0 || ferror(out)) {
		ctm_diag__error(ctx, NULL, 0, 0, "cannot write the results: %s",
				strerror(errno ? errno : EIO));
		return CTM_EWRITE;
	}
	return CTM_OK;
}

int ctm_results_save(const ctm_results *res, ctm_format format, const char *path, ctm_ctx *ctx)
{
	ctm_atomic a;
	int rc;

	if (!res || !path)
		return CTM_EUSAGE;
	rc = ctm_atomic__begin(&a, path, ctx);
	if (rc != CTM_OK)
		return rc;
	size_t since = ctm_ctx_count(ctx);
	rc = ctm_results_write(res, format, a.file, ctx);
	ctm_diag__name_file(ctx, since, path);
	if (rc == CTM_OK)
		rc = ctm_atomic__commit(&a, ctx);
	ctm_atomic__abort(&a);
	return rc;
}
