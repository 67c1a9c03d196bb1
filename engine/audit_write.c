/*
 * The audit written out: for people (a table per group, what was left out,
 * the findings) or as JSON (the same, every number and name).
 */
#include <stdio.h>
#include <string.h>

#include "continuum/audit.h"
#include "dataset_internal.h"
#include "format.h"

/* Text with control characters shown as \xNN: a name is never allowed to
 * move the terminal's cursor. */
static void put_text(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			fprintf(out, "\\x%02X", *p);
		else
			fputc(*p, out);
	}
}

static const char *item_id(const ctm_dataset *ds, size_t i)
{
	const ctm_rubric *r = ds->rubric;
	return i < ds->dims ? r->dimensions[i].id : r->questions[i - ds->dims].id;
}

static const char *kind_name(ctm_finding_kind k)
{
	switch (k) {
	case CTM_FINDING_NEAR_PARTNERS: return "near-partners";
	case CTM_FINDING_NEAR_REGIONS: return "near-regions";
	case CTM_FINDING_ONE_WAVE: return "one-wave-partner";
	case CTM_FINDING_WAVE_SPELLINGS: return "wave-spellings";
	case CTM_FINDING_TEST_ROW: return "test-row";
	case CTM_FINDING_REPEATED_INPUT: return "repeated-input";
	}
	return "finding";
}

static void write_text(const ctm_audit *a, const ctm_dataset *ds, FILE *out)
{
	size_t groups = ctm_audit_group_count(a);
	fprintf(out, "%zu row%s read in %zu group%s\n", ds->rows, ds->rows == 1 ? "" : "s", groups,
		groups == 1 ? "" : "s");
	for (size_t i = 0; i < groups; i++) {
		const ctm_group_quality *g = ctm_audit_group(a, i);
		fputs("\nRegion ", out);
		put_text(out, g->region);
		fputs(", wave ", out);
		put_text(out, g->wave);
		fprintf(out, ": %zu row%s, %zu partner%s", g->rows, g->rows == 1 ? "" : "s",
			g->partners, g->partners == 1 ? "" : "s");
		if (g->partners)
			fprintf(out, " (respondents per partner: %zu to %zu, median %g)",
				g->partner_rows_min, g->partner_rows_max, g->partner_rows_median);
		fputs("\n  answers per item:", out);
		for (size_t k = 0; k < g->item_count; k++) {
			fprintf(out, "%s %s %zu", k ? "," : "", item_id(ds, k), g->answers[k]);
		}
		fputc('\n', out);
	}
	size_t excl = ctm_dataset_exclusion_count(ds);
	fprintf(out, "\n%s\n", excl ? "Left out:" : "Nothing was left out.");
	for (size_t i = 0; i < excl; i++) {
		const ctm_exclusion *e = ctm_dataset_exclusion(ds, i);
		fprintf(out, "  %zu %s%s: ", e->count, e->whole_rows ? "row" : "cell",
			e->count == 1 ? "" : "s");
		put_text(out, e->reason);
		if (e->first_file) {
			fputs(" (first: ", out);
			put_text(out, e->first_file);
			char pos[48];
			fprintf(out, "%s)", ctm_exclusion_position(e, pos, sizeof(pos)));
		}
		fputc('\n', out);
	}
	size_t n = ctm_audit_finding_count(a);
	if (n == 0) {
		fputs("\nNo findings: no names near each other, no rows that look like tests, "
		      "no input given twice.\n",
		      out);
		return;
	}
	fprintf(out, "\nFindings (%zu):\n", n);
	for (size_t i = 0; i < n; i++) {
		const ctm_finding *f = ctm_audit_finding(a, i);
		fputs(f->changes_numbers ? "  ! " : "  - ", out);
		if (f->region && f->kind != CTM_FINDING_ONE_WAVE) {
			put_text(out, f->region);
			fputs(", ", out);
			put_text(out, f->wave);
			fputs(": ", out);
		}
		put_text(out, f->message);
		fputc('\n', out);
	}
	if (ctm_audit_more_test_rows(a))
		fprintf(out, "  ! and %zu more rows that look like tests\n",
			ctm_audit_more_test_rows(a));
	fputs("\n'!' marks what can change a number of the results: fix it with --aliases or "
	      "--exclude (continuum --help).\n",
	      out);
}

static void write_json(const ctm_audit *a, const ctm_dataset *ds, FILE *out)
{
	fprintf(out, "{\"rows\":%zu,\"groups\":[", ds->rows);
	for (size_t i = 0; i < ctm_audit_group_count(a); i++) {
		const ctm_group_quality *g = ctm_audit_group(a, i);
		fputs(i ? ",\n{" : "\n{", out);
		fputs("\"region\":", out);
		ctm_format__json_string(out, g->region);
		fputs(",\"wave\":", out);
		ctm_format__json_string(out, g->wave);
		fprintf(out, ",\"rows\":%zu,\"partners\":%zu", g->rows, g->partners);
		fprintf(out, ",\"respondents_per_partner\":{\"min\":%zu,\"median\":%g,\"max\":%zu}",
			g->partner_rows_min, g->partner_rows_median, g->partner_rows_max);
		fputs(",\"answers\":{", out);
		for (size_t k = 0; k < g->item_count; k++) {
			if (k)
				fputc(',', out);
			ctm_format__json_string(out, item_id(ds, k));
			fprintf(out, ":%zu", g->answers[k]);
		}
		fputs("}}", out);
	}
	fputs("],\n\"exclusions\":[", out);
	for (size_t i = 0; i < ctm_dataset_exclusion_count(ds); i++) {
		const ctm_exclusion *e = ctm_dataset_exclusion(ds, i);
		fputs(i ? ",\n{" : "\n{", out);
		fputs("\"reason\":", out);
		ctm_format__json_string(out, e->reason);
		fprintf(out, ",\"count\":%zu,\"of\":\"%s\",\"first_file\":", e->count,
			e->whole_rows ? "rows" : "cells");
		ctm_format__json_string(out, e->first_file);
		fprintf(out, ",\"first_line\":%lu,\"first_column\":%lu}", e->first_line,
			e->first_column);
	}
	fputs("],\n\"findings\":[", out);
	for (size_t i = 0; i < ctm_audit_finding_count(a); i++) {
		const ctm_finding *f = ctm_audit_finding(a, i);
		fputs(i ? ",\n{" : "\n{", out);
		fprintf(out, "\"kind\":\"%s\",\"changes_numbers\":%s", kind_name(f->kind),
			f->changes_numbers ? "true" : "false");
		const char *keys[5] = { "region", "wave", "a", "b", "file" };
		const char *vals[5] = { f->region, f->wave, f->a, f->b, f->file };
		for (int k = 0; k < 5; k++) {
			if (!vals[k])
				continue;
			fprintf(out, ",\"%s\":", keys[k]);
			ctm_format__json_string(out, vals[k]);
		}
		if (f->line)
			fprintf(out, ",\"line\":%lu", f->line);
		fputs(",\"message\":", out);
		ctm_format__json_string(out, f->message);
		fputc('}', out);
	}
	fprintf(out, "],\n\"more_test_rows\":%zu}\n", ctm_audit_more_test_rows(a));
}

int ctm_audit_write(const ctm_audit *a, const ctm_dataset *ds, int json, FILE *out)
{
	if (!a || !ds || !out)
		return CTM_EUSAGE;
	if (json)
		write_json(a, ds, out);
	else
		write_text(a, ds, out);
	return ferror(out) ? CTM_EIO : CTM_OK;
}
