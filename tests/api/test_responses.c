/*
 * Reading responses: every bad input of SPEC "Responses" with its message and
 * its file:line:column (line = the physical line where the field starts),
 * strict and lenient. Columns are worked out by hand next to each row.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "continuum.h"
#include "test_rubrics.h"

#define RUBRIC \
	CTM_TEST_HEAD \
	CTM_TEST_LEVELS5 \
	CTM_TEST_SCALE_YPN \
	"<dimensions>\n" \
	"<dimension id=\"d1\"><name>One</name><prompt>How do you plan?</prompt></dimension>\n" \
	"</dimensions>\n" \
	"<questions>\n" \
	"<question id=\"q1\" level=\"1\" scale=\"ypn\">Q one?</question>\n" \
	"</questions>\n" \
	"</rubric>\n"

/* region(1) wave(3) partner(5) respondent(7..8 for "x1") d1(10) q1(after d1) */
#define HEADER "region,wave,partner,respondent,d1,q1\n"

static ctm_ctx *ctx;
static ctm_rubric *rub;
static ctm_dataset *ds;
static ctm_read_options ropts;

static void setup(void)
{
	ctx = ctm_ctx_new();
	ctm_read_options r = CTM_READ_OPTIONS_INIT;
	ropts = r;
	ds = NULL;
	cr_assert_eq(ctm_rubric_load_memory(&rub, "t.xml", RUBRIC, strlen(RUBRIC), ctx), CTM_OK);
}

static void teardown(void)
{
	ctm_dataset_free(ds);
	ctm_rubric_free(rub);
	ctm_ctx_free(ctx);
}

TestSuite(responses, .init = setup, .fini = teardown);

static int read_len(const char *name, const char *csv, size_t len)
{
	if (!ds)
		cr_assert_eq(ctm_dataset_new(&ds, rub, &ropts, ctx), CTM_OK);
	return ctm_dataset_read_memory(ds, name, csv, len, ctx);
}

static int read_csv(const char *csv) { return read_len("r.csv", csv, strlen(csv)); }

static void dump(void)
{
	char buf[1024];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		cr_log_error("have: %s", buf);
	}
}

/* Asserts a diagnostic of severity sev at r.csv:line:column containing text. */
static void expect_diag(ctm_severity sev, unsigned long line, unsigned long column,
			const char *text)
{
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		const ctm_diag *d = ctm_ctx_get(ctx, i);
		if (d->severity == sev && d->line == line && d->column == column && d->file &&
		    strcmp(d->file, "r.csv") == 0 && strstr(d->message, text))
			return;
	}
	dump();
	cr_assert_fail("no %s at r.csv:%lu:%lu containing \"%s\"",
		       sev == CTM_SEV_ERROR ? "error" : "warning", line, column, text);
}

static void expect_error(unsigned long line, unsigned long column, const char *text)
{
	expect_diag(CTM_SEV_ERROR, line, column, text);
}

/* The formatted form too, as the command line prints it. */
static void expect_formatted(size_t i, const char *want)
{
	char buf[1024];
	const ctm_diag *d = ctm_ctx_get(ctx, i);
	cr_assert_not_null(d);
	ctm_diag_format(d, buf, sizeof(buf));
	cr_assert_str_eq(buf, want);
}

/* ---- strict ---- */

Test(responses, invalid_placement_cells)
{
	cr_assert_eq(read_csv(HEADER "R,1,A,x1,Unknown,yes\n" /* line 2, d1 at column 10 */
				     "R,1,A,x2,0,yes\n"
				     "R,1,A,x3,6,yes\n"
				     "R,1,A,x4,3.5,yes\n"
				     "R,1,A,x5,-1,yes\n"),
		     CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 5);
	expect_formatted(0, "r.csv:2:10: error: 'Unknown' is not a level for dimension 'd1': "
			    "expected 1-5 or a level's id or name");
	expect_error(3, 10, "'0' is not a level for dimension 'd1'");
	expect_error(4, 10, "'6' is not a level for dimension 'd1'");
	expect_error(5, 10, "'3.5' is not a level for dimension 'd1'");
	expect_error(6, 10, "'-1' is not a level for dimension 'd1'");
	cr_assert_eq(ctm_dataset_row_count(ds), 0, "bad rows are not counted");
}

Test(responses, unknown_option)
{
	cr_assert_eq(read_csv(HEADER "R,1,A,x1,3,maybe\n"), CTM_EINVALID);
	/* "R,1,A,x1,3," is 11 characters: q1 at 12 */
	expect_formatted(0, "r.csv:2:12: error: 'maybe' is not an answer to question 'q1': "
			    "expected one of yes, partly, no, dk (or their labels)");
	cr_assert_eq(ctm_ctx_error_count(ctx), 1);
}

Test(responses, every_bad_cell_of_a_row_and_of_a_file)
{
	cr_assert_eq(read_csv(HEADER "R,1,A,x1,9,maybe\n" /* d1 at 10, q1 at 12 */
				     "R,1,A,x2,3,yes\n"
				     "R,1,A,x3,zz,nope\n"), /* d1 at 10, q1 at 13 */
		     CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 4);
	expect_error(2, 10, "'9' is not a level");
	expect_error(2, 12, "'maybe' is not an answer");
	expect_error(4, 10, "'zz' is not a level");
	expect_error(4, 13, "'nope' is not an answer");
}

Test(responses, duplicate_respondent_within_a_group_only)
{
	cr_assert_eq(read_csv(HEADER "R,1,A,x1,3,yes\n"
				     "R,1,B,x1,3,yes\n"   /* same group: x1 at column 7 */
				     "R,2,B,x1,3,yes\n"   /* another wave: fine */
				     "S,1,B,x1,3,yes\n"), /* another region: fine */
		     CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 1);
	expect_error(3, 7, "duplicate respondent 'x1' in region 'R', wave '1'");
	expect_error(3, 7, "line 2");
}

Test(responses, rows_with_more_or_fewer_fields)
{
	cr_assert_eq(read_csv(HEADER
			      "R,1,A,x1,3,yes,extra\n" /* 15 characters, then the 7th field at 16 */
			      "R,1,A,x2,3\n"           /* ends after column 10: 11 */
			      "R,1,A,x3,3,yes\n"),
		     CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 2);
	expect_error(2, 16, "row has 7 fields, the header has 6");
	expect_error(3, 11, "row has 5 fields, the header has 6");
}

Test(responses, bad_utf8)
{
	cr_assert_eq(read_csv(HEADER "R,1,A\xff,x1,3,yes\n"), CTM_EINVALID);
	expect_error(2, 6, "invalid UTF-8");
	ctm_ctx_clear(ctx);
	/* a truncated two-byte sequence ("\xc3" then a comma) */
	cr_assert_eq(read_csv(HEADER "R,1,A\xc3,x2,3,yes\n"), CTM_EINVALID);
	expect_error(2, 6, "invalid UTF-8");
}

Test(responses, unterminated_quote)
{
	cr_assert_eq(read_csv(HEADER "R,1,A,x1,3,yes\n"
				     "R,1,\"B,x2,3,yes\n"), /* the quote opens at 3:5 */
		     CTM_EINVALID);
	expect_error(3, 5, "unterminated quoted field");
}

Test(responses, empty_file)
{
	cr_assert_eq(read_csv(""), CTM_EINVALID);
	expect_formatted(0,
			 "r.csv:1:1: error: the file is empty: expected a header row and answers");
	ctm_ctx_clear(ctx);
	cr_assert_eq(read_csv("\n\n"), CTM_EINVALID, "blank lines are empty too");
	expect_error(1, 1, "the file is empty");
}

Test(responses, header_only)
{
	cr_assert_eq(read_csv("region,wave,partner,d1\n"), CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 1);
	expect_error(1, 1, "no answers: the file has a header but no data rows");
	ctm_ctx_clear(ctx);
	cr_assert_eq(read_csv("region,wave,partner,d1"), CTM_EINVALID, "no final newline");
	expect_error(1, 1, "no answers");
}

Test(responses, missing_required_columns)
{
	cr_assert_eq(read_csv("region,partner,d1\nR,A,3\n"), CTM_EINVALID);
	expect_formatted(0, "r.csv:1:1: error: required column 'wave' is missing from the header "
			    "(an export without it: --set wave=VALUE, or --map a column to it)");
	cr_assert_eq(ctm_ctx_error_count(ctx), 1);
	ctm_ctx_clear(ctx);
	cr_assert_eq(read_csv("d1\n3\n"), CTM_EINVALID);
	expect_error(1, 1, "required column 'region'");
	expect_error(1, 1, "required column 'wave'");
	expect_error(1, 1, "required column 'partner'");
}

Test(responses, duplicate_header_column)
{
	/* region(1-6) wave(8-11) partner(13-19) d1(21-22) D1 at 24 */
	cr_assert_eq(read_csv("region,wave,partner,d1,D1\nR,1,A,3,3\n"), CTM_EINVALID);
	expect_formatted(0, "r.csv:1:24: error: duplicate column 'd1': also column 4");
	ctm_ctx_clear(ctx);
	cr_assert_eq(read_csv("region,wave,Partner,partner\nR,1,A,B\n"), CTM_EINVALID);
	expect_error(1, 21, "duplicate column 'partner': also column 3");
}

Test(responses, empty_region_wave_partner)
{
	cr_assert_eq(read_csv(HEADER " ,1,A,x1,3,yes\n"  /* region blank at 1 */
				     "R,,A,x2,3,yes\n"   /* wave at 3 */
				     "R,1,,x3,3,yes\n"), /* partner at 5 */
		     CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 3);
	expect_error(2, 1, "empty region: every row needs a region, a wave and a partner");
	expect_error(3, 3, "empty wave");
	expect_error(4, 5, "empty partner");
}

Test(responses, errors_past_the_cap_are_counted)
{
	size_t cap = 160 * 20 + 64;
	char *buf = malloc(cap);
	cr_assert_not_null(buf);
	size_t len = (size_t)snprintf(buf, cap, HEADER);
	for (int i = 0; i < 150; i++)
		len += (size_t)snprintf(buf + len, cap - len, "R,1,A,x%d,9,yes\n", i);
	cr_assert_eq(read_len("r.csv", buf, len), CTM_EINVALID);
	free(buf);
	cr_assert_eq(ctm_ctx_count(ctx), CTM_CTX_DEFAULT_MAX_DIAGS);
	cr_assert_eq(ctm_ctx_error_count(ctx), 150);
	cr_assert_eq(ctm_ctx_dropped_count(ctx), 50);
	/* the first kept is the first row; x0..x9 are one digit: d1 at 10 */
	expect_error(2, 10, "'9' is not a level");
}

Test(responses, physical_line_after_quoted_newlines)
{
	cr_assert_eq(
		read_csv(
			HEADER
			"R,1,\"Part\nner\",x1,bad,yes\n"     /* "bad" on line 3: ner",x1, -> 9 */
			"R,1,A,x2,bad,yes\n"                 /* line 4, column 10 */
			"\"Multi\r\nline\",1,A,x3,3,bad\n"), /* line 6: line",1,A,x3,3, is 15 -> 16 */
		CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 3);
	expect_error(3, 9, "'bad' is not a level");
	expect_error(4, 10, "'bad' is not a level");
	expect_error(6, 16, "'bad' is not an answer");
}

Test(responses, crlf_files)
{
	cr_assert_eq(read_csv("region,wave,partner,respondent,d1,q1\r\n"
			      "R,1,A,x1,3,yes\r\n"
			      "R,1,B,x2,bad,yes\r\n"
			      "R,1,C,x3,3,no\r\n"),
		     CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 1, "the last field has no stray CR");
	expect_error(3, 10, "'bad' is not a level");
	ctm_ctx_clear(ctx);
	/* the good rows of a bad file are in the data set (it is not scored) */
	cr_assert_eq(ctm_dataset_row_count(ds), 2);
	cr_assert_eq(read_csv("region,wave,partner,respondent,d1,q1\r\n"
			      "R,2,A,x1,3,yes\r\n"
			      "R,2,B,x2,4,Partly"), /* no final line break */
		     CTM_OK);
	cr_assert_eq(ctm_dataset_row_count(ds), 4);
}

Test(responses, utf8_bom)
{
	cr_assert_eq(read_csv("\xEF\xBB\xBFregion,wave,partner,d1\nZürich,1,Señora,3\n"), CTM_OK);
	/* only the rubric's items not in the file are said */
	cr_assert_eq(ctm_ctx_count(ctx), 1, "the BOM is not part of 'region'");
	expect_diag(CTM_SEV_WARNING, 1, 1, "in no column");
	cr_assert_eq(ctm_dataset_row_count(ds), 1);
	cr_assert_eq(ctm_dataset_group_count(ds), 1);
}

Test(responses, unknown_columns_warned_once_in_one_line)
{
	/* region,wave,partner = 19 characters: comment at 21; then d1 at 29, notes at 32 */
	cr_assert_eq(read_csv("region,wave,partner,comment,d1,notes\n"
			      "R,1,A,hi,3,x\n"
			      "R,1,B,ho,4,y\n"
			      "R,1,C,hu,5,z\n"),
		     CTM_OK);
	cr_assert_eq(ctm_ctx_error_count(ctx), 0);
	/* and one for the rubric's items in no column */
	cr_assert_eq(ctm_ctx_warning_count(ctx), 3);
	/* the second is of the same kind: folded into the first */
	cr_assert_eq(ctm_ctx_count(ctx), 2);
	expect_diag(CTM_SEV_WARNING, 1, 1, "in no column");
	cr_assert_eq(ctm_ctx_dropped_count(ctx), 0);
	expect_diag(CTM_SEV_WARNING, 1, 21, "column 'comment' is not used");
	cr_assert_eq(ctm_ctx_get(ctx, 0)->repeats, 1);
	expect_formatted(0, "r.csv:1:21: warning: column 'comment' is not used: not a rubric "
			    "item or a known column (and 1 more like it)");
	cr_assert_eq(ctm_dataset_row_count(ds), 3);
}

Test(responses, errors_past_a_hundred_unknown_columns_are_all_kept)
{
	/* 150 unknown columns u0..u149 after d1, 3 bad cells: the errors are kept
	 * whatever the warnings, the warnings are one line */
	size_t cap = 8192;
	char *buf = malloc(cap);
	cr_assert_not_null(buf);
	size_t len = (size_t)snprintf(buf, cap, "region,wave,partner,respondent,d1,q1");
	for (int i = 0; i < 150; i++)
		len += (size_t)snprintf(buf + len, cap - len, ",u%d", i);
	len += (size_t)snprintf(buf + len, cap - len, "\n");
	for (int r = 0; r < 3; r++) {
		len += (size_t)snprintf(buf + len, cap - len, "R,1,A,x%d,9,yes", r);
		for (int i = 0; i < 150; i++)
			len += (size_t)snprintf(buf + len, cap - len, ",");
		len += (size_t)snprintf(buf + len, cap - len, "\n");
	}
	cr_assert_lt(len, cap);
	ctm_ctx_set_max_diags(ctx, 100);
	cr_assert_eq(read_len("r.csv", buf, len), CTM_EINVALID);
	free(buf);
	cr_assert_eq(ctm_ctx_error_count(ctx), 3);
	cr_assert_eq(ctm_ctx_warning_count(ctx), 150);
	cr_assert_eq(ctm_ctx_count(ctx), 4);
	cr_assert_eq(ctm_ctx_dropped_count(ctx), 0);
	expect_error(2, 10, "'9' is not a level");
	expect_error(3, 10, "'9' is not a level");
	expect_error(4, 10, "'9' is not a level");
	/* the header: region,wave,partner,respondent,d1,q1 = 36 characters, u0 at 38 */
	expect_diag(CTM_SEV_WARNING, 1, 38, "column 'u0' is not used");
	cr_assert_eq(ctm_ctx_get(ctx, 0)->repeats, 149);
}

Test(responses, errors_name_the_file_they_are_in)
{
	cr_assert_eq(read_csv(HEADER "R,1,A,x1,3,yes\n"), CTM_OK);
	const char *b = HEADER "R,1,B,x2,7,yes\n";
	cr_assert_eq(read_len("second.csv", b, strlen(b)), CTM_EINVALID);
	expect_formatted(0, "second.csv:2:10: error: '7' is not a level for dimension 'd1': "
			    "expected 1-5 or a level's id or name");
}

/* ---- lenient ---- */

static const ctm_exclusion *exclusion(const char *reason_part)
{
	for (size_t i = 0; i < ctm_dataset_exclusion_count(ds); i++) {
		const ctm_exclusion *e = ctm_dataset_exclusion(ds, i);
		if (strstr(e->reason, reason_part))
			return e;
	}
	cr_assert_fail("no exclusion \"%s\"", reason_part);
	return NULL;
}

static void expect_exclusion(const char *reason_part, size_t count, int rows, unsigned long line,
			     unsigned long column)
{
	const ctm_exclusion *e = exclusion(reason_part);
	cr_assert_eq(e->count, count, "%s: count %zu", e->reason, e->count);
	cr_assert_eq(e->whole_rows, rows, "%s", e->reason);
	cr_assert_str_eq(e->first_file, "r.csv");
	cr_assert_eq(e->first_line, line, "%s: line %lu", e->reason, e->first_line);
	cr_assert_eq(e->first_column, column, "%s: column %lu", e->reason, e->first_column);
}

Test(responses, lenient_counts_exclusions_and_scores)
{
	ropts.lenient = 1;
	cr_assert_eq(read_csv(HEADER "R,1,A,x1,Unknown,yes\n" /* 2: d1 cell out (2:10), q1 kept */
				     "R,1,B,x2,2,maybe\n"     /* 3: q1 cell out (3:12), d1 kept */
				     "R,1,C,x3,3,yes,extra\n" /* 4: row out (width, 4:16) */
				     "R,1,A,x1,4,no\n"        /* 5: row out (duplicate x1, 5:7) */
				     ",1,D,x5,5,no\n"         /* 6: row out (no region, 6:1) */
				     "R,1,E\xff,x6,5,no\n"    /* 7: row out (UTF-8, 7:6) */
				     "R,1,F,x7,6,no\n"        /* 8: d1 cell out, q1 kept */
				     "R,1,G,x8,4,partly\n"),  /* 9: fine */
		     CTM_OK);
	cr_assert_eq(ctm_ctx_error_count(ctx), 0);
	cr_assert_eq(ctm_dataset_exclusion_count(ds), 6);
	expect_exclusion("not a level", 2, 0, 2, 10);
	expect_exclusion("not an option", 1, 0, 3, 12);
	expect_exclusion("more or fewer fields", 1, 1, 4, 16);
	expect_exclusion("duplicate respondent", 1, 1, 5, 7);
	expect_exclusion("without region, wave or partner", 1, 1, 6, 1);
	expect_exclusion("UTF-8", 1, 1, 7, 6);
	/* order of first occurrence */
	cr_assert(strstr(ctm_dataset_exclusion(ds, 0)->reason, "not a level"));
	cr_assert(strstr(ctm_dataset_exclusion(ds, 5)->reason, "UTF-8"));
	/* rows 2, 3, 8, 9 kept */
	cr_assert_eq(ctm_dataset_row_count(ds), 4);

	ctm_results *res = NULL;
	cr_assert_eq(ctm_score_run(&res, ds, NULL, ctx), CTM_OK);
	const ctm_group *g = ctm_results_find_group(res, "R", "1");
	cr_assert_not_null(g);
	/* d1: B 2, G 4 (A and F's cells were left out): n 2, mean 3 */
	const ctm_item_stats *d = ctm_group_dimension(g, 0);
	cr_assert_eq(d->n, 2);
	cr_assert_float_eq(d->mean, 3.0, 1e-9);
	/* q1: A 1, F 0, G 0.5 (B's left out): n 3, mean 0.5 */
	const ctm_item_stats *q = ctm_group_question(g, 0);
	cr_assert_eq(q->n, 3);
	cr_assert_float_eq(q->mean, 0.5, 1e-9);
	ctm_results_free(res);
}

Test(responses, lenient_still_refuses_an_empty_file_and_a_bad_header)
{
	ropts.lenient = 1;
	cr_assert_eq(read_csv(""), CTM_EINVALID);
	cr_assert_eq(read_csv("region,partner,d1\nR,A,3\n"), CTM_EINVALID);
	expect_error(1, 1, "required column 'wave'");
}

/* Without a context the errors still decide: invalid input is never taken
 * for want of somewhere to report it. */
Test(responses, invalid_without_a_context)
{
	const char *csv = HEADER "R,1,P,x1,banana,yes\n";
	cr_assert_eq(ctm_dataset_new(&ds, rub, &ropts, NULL), CTM_OK);
	cr_assert_eq(ctm_dataset_read_memory(ds, "r.csv", csv, strlen(csv), NULL), CTM_EINVALID);
	cr_assert_eq(ctm_dataset_row_count(ds), 0);

	ctm_targets *t = NULL;
	const char *targets = "dimension,target\nd1,9\n";
	cr_assert_eq(ctm_targets_load_memory(&t, "t.csv", targets, strlen(targets), rub, NULL),
		     CTM_EINVALID);
	cr_assert_null(t);
	targets = "dimension,target\nd1,2\n";
	cr_assert_eq(ctm_targets_load_memory(&t, "t.csv", targets, strlen(targets), rub, NULL),
		     CTM_OK);
	ctm_targets_free(t);
}

/* A respondent repeated in a later file: the message names the first file. */
Test(responses, duplicate_across_files_names_the_first)
{
	const char *a = HEADER "R,1,P,x1,1,yes\nR,1,P,x2,2,no\n";
	const char *b = HEADER "R,1,Q,x3,1,yes\nR,1,Q,x2,2,no\n";
	cr_assert_eq(read_len("a.csv", a, strlen(a)), CTM_OK);
	cr_assert_eq(read_len("r.csv", b, strlen(b)), CTM_EINVALID);
	expect_error(3, 7,
		     "duplicate respondent 'x2' in region 'R', wave '1' (first in a.csv, line 3)");
}

/* --lenient with every row left out: said so, not "no data rows". */
Test(responses, lenient_every_row_left_out)
{
	ropts.lenient = 1;
	cr_assert_eq(read_csv(HEADER "R,1,P,x1,1,yes,extra\n\nR,1,,x2,1,yes\n"), CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 1);
	expect_error(4, 1, "no answers: all 2 data rows were left out (see the exclusions)");
}

Test(responses, control_characters_in_a_cell_are_escaped_in_messages)
{
	/* d1 at column 10 of line 2: ESC [ 3 1 m r e d */
	cr_assert_eq(read_csv(HEADER "R,1,A,x1,\x1b[31mred,yes\n"), CTM_EINVALID);
	expect_error(2, 10, "'\\x1b[31mred' is not a level");
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++)
		cr_assert_null(strchr(ctm_ctx_get(ctx, i)->message, '\x1b'), "raw ESC");
}

/* ---- wide files (issue 21): every header matched by a lookup, not a walk ---- */

typedef struct text_buf {
	char *s;
	size_t len, cap;
} text_buf;

static void buf_add(text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_add(text_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	cr_assert_geq(n, 0);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		cr_assert_not_null(b->s);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* The header of the wide test: region, wave, partner, respondent, then the
 * 2n items named a third by id, a third by id in capitals, a third by
 * prompt or text (lower case, blanks around and doubled). */
static void wide_header(text_buf *csv, size_t n)
{
	buf_add(csv, "region,wave,partner,respondent");
	for (size_t i = 0; i < 2 * n; i++) {
		char kind = i < n ? 'd' : 'q';
		size_t k = i < n ? i : i - n;
		if (k % 3 == 0)
			buf_add(csv, ",%c%zu", kind, k);
		else if (k % 3 == 1)
			buf_add(csv, ",%c%zu", kind - 32, k);
		else
			buf_add(csv, ",  %s  %zu? ", kind == 'd' ? "prompt" : "question", k);
	}
}

/* A row answering dimension i with 1 + i % 5 and question i yes or no. */
static void wide_row(text_buf *csv, size_t n, const char *respondent)
{
	buf_add(csv, "R,1,P,%s", respondent);
	for (size_t i = 0; i < n; i++)
		buf_add(csv, ",%zu", 1 + i % 5);
	for (size_t i = 0; i < n; i++)
		buf_add(csv, ",%s", i % 2 ? "no" : "yes");
}

Test(responses, thousands_of_columns_by_id_case_and_text)
{
	const size_t n = 3000; /* dimensions d0.., and as many questions q0.. */
	text_buf x = { NULL, 0, 0 }, csv = { NULL, 0, 0 };
	buf_add(&x, "%s", CTM_TEST_HEAD CTM_TEST_LEVELS5 CTM_TEST_SCALE_YPN "<dimensions>\n");
	for (size_t i = 0; i < n; i++)
		buf_add(&x,
			"<dimension id=\"d%zu\"><name>D</name><prompt>Prompt %zu?</prompt>"
			"</dimension>\n",
			i, i);
	buf_add(&x, "</dimensions>\n<questions>\n");
	for (size_t i = 0; i < n; i++)
		buf_add(&x,
			"<question id=\"q%zu\" level=\"1\" scale=\"ypn\">Question "
			"%zu?</question>\n",
			i, i);
	buf_add(&x, "</questions>\n</rubric>\n");
	ctm_rubric *wide = NULL;
	cr_assert_eq(ctm_rubric_load_memory(&wide, "wide.xml", x.s, x.len, ctx), CTM_OK);
	free(x.s);

	/* Q7 (column 4 + n + 8, named "Q7") once more at the end */
	wide_header(&csv, n);
	size_t q7_again = csv.len + 2;
	buf_add(&csv, ",Q7\n");
	wide_row(&csv, n, "x1");
	buf_add(&csv, ",yes\n");
	ctm_dataset *wds = NULL;
	cr_assert_eq(ctm_dataset_new(&wds, wide, NULL, ctx), CTM_OK);
	cr_assert_eq(ctm_dataset_read_memory(wds, "r.csv", csv.s, csv.len, ctx), CTM_EINVALID);
	char want[128];
	snprintf(want, sizeof(want), "duplicate column 'q7': also column %zu", 4 + n + 8);
	expect_error(1, q7_again, want);
	cr_assert_eq(ctm_ctx_count(ctx), 1);
	ctm_dataset_free(wds);
	free(csv.s);

	/* without it, every column is its item */
	ctm_ctx_clear(ctx);
	csv = (text_buf){ NULL, 0, 0 };
	wide_header(&csv, n);
	buf_add(&csv, "\n");
	wide_row(&csv, n, "x1");
	buf_add(&csv, "\n");
	wds = NULL;
	cr_assert_eq(ctm_dataset_new(&wds, wide, NULL, ctx), CTM_OK);
	cr_assert_eq(ctm_dataset_read_memory(wds, "r.csv", csv.s, csv.len, ctx), CTM_OK);
	cr_assert_eq(ctm_ctx_count(ctx), 0);
	ctm_results *res = NULL;
	cr_assert_eq(ctm_score_run(&res, wds, NULL, ctx), CTM_OK);
	const ctm_group *g = ctm_results_find_group(res, "R", "1");
	cr_assert_not_null(g);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(ctm_group_dimension(g, i)->n, 1, "d%zu", i);
		cr_assert_float_eq(ctm_group_dimension(g, i)->mean, (double)(1 + i % 5), 1e-12,
				   "d%zu", i);
		cr_assert_float_eq(ctm_group_question(g, i)->mean, i % 2 ? 0.0 : 1.0, 1e-12, "q%zu",
				   i);
	}
	ctm_results_free(res);
	ctm_dataset_free(wds);
	free(csv.s);
	ctm_rubric_free(wide);
}
