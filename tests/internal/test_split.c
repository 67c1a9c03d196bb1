/*
 * Reading a file in two parts on two threads (engine/dataset.c) must give
 * exactly what reading it in order gives: every statistic, every unit and
 * role in its order, every exclusion and every diagnostic with its position.
 * The reference is the one-thread reading, which the other suites check
 * against hand computations; here each input is read once in order and then
 * split at every byte, from memory and from a file, and the two readings are
 * compared in full.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "continuum.h"
#include "test_rubrics.h"
#include "dataset_internal.h"

#define RUBRIC \
	CTM_TEST_HEAD \
	CTM_TEST_LEVELS3 \
	CTM_TEST_SCALE_YPN \
	"<dimensions>\n" \
	"<dimension id=\"d1\"><name>One</name><prompt>How do you plan?</prompt></dimension>\n" \
	"<dimension id=\"d2\"><name>Two</name><prompt>How do you lead?</prompt></dimension>\n" \
	"</dimensions>\n" \
	"<questions>\n" \
	"<question id=\"q1\" level=\"1\" scale=\"ypn\">Q one?</question>\n" \
	"<question id=\"q2\" level=\"2\" scale=\"ypn\">Q two?</question>\n" \
	"</questions>\n" \
	"<comments><comment id=\"c1\">What helps?</comment></comments>\n" \
	"</rubric>\n"

static ctm_rubric *rub;

static void setup(void)
{
	ctm_ctx *ctx = ctm_ctx_new();
	cr_assert_eq(ctm_rubric_load_memory(&rub, "t.xml", RUBRIC, strlen(RUBRIC), ctx), CTM_OK);
	ctm_ctx_free(ctx);
}

static void teardown(void) { ctm_rubric_free(rub); }

TestSuite(split, .init = setup, .fini = teardown);

/* Everything a reading leads to, as text. */
typedef struct dump {
	char *text;
	size_t len;
	FILE *out;
} dump;

static void dump_results(FILE *out, const ctm_results *res)
{
	for (size_t i = 0; i < ctm_results_group_count(res); i++) {
		const ctm_group *g = ctm_results_group(res, i);
		fprintf(out, "group %s/%s units %zu partners %zu respondents %zu stage %d\n",
			ctm_group_region(g), ctm_group_wave(g), ctm_group_units(g),
			ctm_group_partner_count(g), ctm_group_respondent_count(g),
			ctm_group_stage(g));
		for (size_t u = 0; u < ctm_group_units(g); u++) {
			fprintf(out, " unit %s:", ctm_group_unit_name(g, u));
			for (size_t d = 0; d < 4; d++)
				fprintf(out, " %.17g", ctm_group_unit_value(g, u, d));
			fputc('\n', out);
		}
		for (size_t r = 0; r < ctm_group_role_count(g); r++)
			fprintf(out, " role %s %zu %.17g %zu\n", ctm_group_role_name(g, r),
				ctm_group_role_respondents(g, r), ctm_group_role_mean(g, r, 0),
				ctm_group_role_n(g, r, 1));
		for (size_t k = 0; k < ctm_group_comment_count(g, 0); k++)
			fprintf(out, " comment [%s]\n", ctm_group_comment(g, 0, k));
	}
	cr_assert_eq(ctm_results_write(res, CTM_FORMAT_JSON, out, NULL), CTM_OK);
}

static void dump_reading(dump *d, ctm_dataset *ds, int rc, ctm_ctx *ctx)
{
	char buf[1024];

	fprintf(d->out, "rc %d rows %zu groups %zu\n", rc, ctm_dataset_row_count(ds),
		ctm_dataset_group_count(ds));
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		fprintf(d->out, "diag %s\n", buf);
	}
	for (size_t i = 0; i < ctm_dataset_exclusion_count(ds); i++) {
		const ctm_exclusion *e = ctm_dataset_exclusion(ds, i);
		fprintf(d->out, "excluded %s: %zu %d at %s:%lu:%lu\n", e->reason, e->count,
			e->whole_rows, e->first_file, e->first_line, e->first_column);
	}
	if (rc == CTM_OK) {
		ctm_results *res = NULL;
		ctm_ctx_clear(ctx);
		if (ctm_score_run(&res, ds, NULL, ctx) == CTM_OK)
			dump_results(d->out, res);
		ctm_results_free(res);
	}
}

typedef struct input {
	const char *csv;
	const char *second; /* a second file read after it, or NULL */
	int lenient;
	ctm_aggregate_choice aggregate;
	int split_first; /* split the first file (else the last) */
} input;

/* Reads the input (split at split_at, or in order when 0) and dumps it. With
 * use_files the CSVs are read from files, else from memory. Returns how many
 * parts read on the second thread were used. */
static size_t read_input(dump *d, const input *in, unsigned long long split_at, int use_files)
{
	ctm_read_options opts = CTM_READ_OPTIONS_INIT;
	ctm_dataset *ds = NULL;
	ctm_ctx *ctx = ctm_ctx_new();
	const char *texts[2] = { in->csv, in->second };
	int rc = CTM_OK;

	d->out = open_memstream(&d->text, &d->len);
	opts.lenient = in->lenient;
	opts.aggregate = in->aggregate;
	cr_assert_eq(ctm_dataset_new(&ds, rub, &opts, ctx), CTM_OK);
	for (int k = 0; k < 2 && texts[k]; k++) {
		size_t len = strlen(texts[k]);
		if (split_at && (in->split_first ? k == 0 : (k == 1 || !in->second)))
			ctm_dataset__set_split(ds, 0, split_at);
		else
			ctm_dataset_set_threads(ds, 1);
		int r;
		if (use_files) {
			/* the same name every time: it is in the diagnostics */
			char path[64];
			snprintf(path, sizeof(path), "/tmp/ctm-split-%ld-%d.csv", (long)getpid(),
				 k);
			FILE *f = fopen(path, "wb");
			cr_assert_not_null(f);
			cr_assert_eq(fwrite(texts[k], 1, len, f), len);
			cr_assert_eq(fclose(f), 0);
			r = ctm_dataset_read_file(ds, path, ctx);
			unlink(path);
		} else {
			r = ctm_dataset_read_memory(ds, k ? "b.csv" : "a.csv", texts[k], len, ctx);
		}
		if (r != CTM_OK)
			rc = r;
	}
	dump_reading(d, ds, rc, ctx);
	fclose(d->out);
	size_t merged = ds->parts_merged;
	ctm_dataset_free(ds);
	ctm_ctx_free(ctx);
	return merged;
}

/* File names differ between memory and file readings: compare each with its
 * own kind. Returns at how many split points the second part was used (the
 * rest fell back to reading in order). */
static size_t check_every_split(const input *in)
{
	size_t used = 0;

	for (int use_files = 0; use_files <= 1; use_files++) {
		dump want = { 0 };
		read_input(&want, in, 0, use_files);
		const char *split = in->second && !in->split_first ? in->second : in->csv;
		size_t len = strlen(split);
		for (unsigned long long at = 1; at <= len; at++) {
			dump got = { 0 };
			used += read_input(&got, in, at, use_files);
			if (strcmp(got.text, want.text) != 0) {
				cr_log_error("in order:\n%s", want.text);
				cr_log_error("split at %llu:\n%s", at, got.text);
				cr_assert_fail("split at byte %llu (%s) differs", at,
					       use_files ? "file" : "memory");
			}
			free(got.text);
		}
		free(want.text);
	}
	return used;
}

/* The second part must have been used at least at this many split points of
 * each kind (memory, file): otherwise the comparison proves nothing. */
static void check_used(size_t used, size_t records)
{
	cr_assert_geq(used, 2 * records, "only %zu splits used", used);
}

#define HEAD "region,wave,partner,respondent,role,d1,d2,q1,q2\n"
#define HEAD_C "region,wave,partner,respondent,role,d1,d2,q1,q2,c1\n"

Test(split, sorted_partners_lf)
{
	input in = { HEAD "North,2024,Clinic,r1,manager,1,2,yes,no\n"
			  "North,2024,Clinic,r2,frontline,2,2,partly,yes\n"
			  "North,2024,Shelter,r3,manager,3,coordination,no,dk\n"
			  "North,2024,Shelter,r4,,Awareness,2,YES,partly\n"
			  "North,2025,Clinic,r1,manager,2,3,yes,yes\n"
			  "South,2024,Clinic,r1,manager,1,1,no,no\n"
			  "South,2024,School,r9,frontline,,3,dk,yes\n"
			  "North,2024,Clinic,r5,manager,3,3,yes,yes\n",
		     NULL, 0, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	check_used(check_every_split(&in), 7);
}

Test(split, crlf_quotes_blank_lines_and_utf8)
{
	input in = { "\xEF\xBB\xBF" HEAD
		     "\"Ōtautahi\",2024,\"Clinic, \"\"East\"\"\",r1,manager,1,2,yes,no\r\n"
		     "Ōtautahi,2024,\"Shelter\r\nannex\",r2,\"front\nline\",2,2,partly,yes\r\n"
		     "\r\n"
		     "Ōtautahi,2024,Clinic,r3,manager,3,3,no,dk\r\n"
		     "Zürich,2024,\"a\nb\nc\",r4,,1,1,yes,yes\r\n"
		     "\n"
		     "Zürich,2024,Clinic,r5,manager,2,2,no,partly",
		     NULL, 0, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	check_used(check_every_split(&in), 3);
}

Test(split, lone_cr_line_breaks)
{
	input in = { HEAD "A,1,P,r1,m,1,2,yes,no\rA,1,Q,r2,m,2,3,no,no\rB,1,P,r3,m,3,3,yes,yes\r",
		     NULL, 0, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	/* a split is only made after an LF */
	cr_assert_eq(check_every_split(&in), 0);
}

Test(split, errors_in_either_part)
{
	/* a duplicate respondent across the halves, bad cells, a short row,
	 * a stray quote, a missing key */
	input in = { HEAD "A,1,P,r1,m,1,2,yes,no\n"
			  "A,1,P,r2,m,7,2,yes,no\n"
			  "A,1,Q,r3,m,1,2,maybe,no\n"
			  "A,1,Q,r4,m,1\n"
			  "B,1,P,r1,m,1,2,yes,no\n"
			  "B,1,P,r5,m,1,2,y\"es,no\n"
			  ",1,P,r6,m,1,2,yes,no\n"
			  "A,1,Z,r1,m,2,2,no,no\n",
		     NULL, 0, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	/* every later part has an error or shares r1 with the first: none is used,
	 * and reading on in order reports it all */
	check_every_split(&in);
}

Test(split, lenient_exclusions)
{
	input in = { HEAD "A,1,P,r1,m,1,2,yes,no\n"
			  "A,1,P,r2,m,7,2,yes,no\n"
			  "\n"
			  "A,1,Q,r3,m,1,2,maybe,no\n"
			  "A,1,Q,r4,m,1\n"
			  "B,1,P,r5,m,1,2,y\"es,no\n"
			  "A,1,P,r2,m,2,2,no,no\n"
			  "B,1,Q,r8,m,9,2,yes,no\n"
			  ",1,P,r6,m,1,2,yes,no\n",
		     NULL, 1, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	check_used(check_every_split(&in), 2);
}

Test(split, respondent_units_with_and_without_ids)
{
	input in = { HEAD "A,1,P,,m,1,2,yes,no\n"
			  "A,1,P,R0001,m,2,2,yes,no\n"
			  "A,1,Q,,,3,1,no,no\n"
			  "A,1,Q,R0002,m,1,3,partly,yes\n"
			  "B,1,P,,m,2,2,yes,no\n"
			  "A,1,P,,m,3,3,yes,yes\n"
			  "A,1,P,R0003,m,1,1,no,no\n",
		     NULL, 0, CTM_AGGREGATE_BY_RESPONDENT, 0 };
	check_used(check_every_split(&in), 6);
}

Test(split, duplicates_against_an_earlier_file)
{
	/* the second file, split, repeats R0002 (numbered ids) and x (an exact
	 * id) of the first; its later rows merge onto the first file's ids
	 * (the reader looks two records ahead for Qualtrics' header rows before
	 * a split is made: the duplicates come after those) */
	input in = { HEAD
		     "A,1,P,R0001,m,1,2,yes,no\nA,1,P,R0002,m,1,2,yes,no\nA,1,Q,x,m,2,2,no,no\n",
		     HEAD "A,1,P,R0007,m,2,2,yes,no\nB,1,Q,z,m,1,1,no,no\nA,1,P,R0006,m,1,1,no,no\n"
			  "A,1,P,R0002,m,2,2,yes,no\nA,1,Q,x,m,1,1,no,no\n"
			  "A,1,P,R0003,m,2,2,yes,no\nA,1,Q,R0005,m,3,3,yes,no\n"
			  "B,1,P,x,m,1,1,yes,yes\nA,1,Q,y,m,1,1,no,no\nA,1,Q,R0004,m,1,1,no,no\n",
		     0, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	check_used(check_every_split(&in), 3);
}

Test(split, later_file_duplicates_a_merged_part)
{
	/* the first file is split; the second repeats ids of either part */
	input in = { HEAD
		     "A,1,P,R0001,m,1,2,yes,no\nA,1,P,R0002,m,1,2,yes,no\nA,1,Q,x,m,2,2,no,no\n"
		     "A,1,Q,R0004,m,3,3,yes,no\nA,1,Q,y,m,1,1,no,no\nB,1,Q,R0002,m,1,1,no,no\n",
		     HEAD
		     "A,1,P,R0003,m,2,2,yes,no\nA,1,P,R0004,m,2,2,yes,no\nA,1,Q,y,m,1,1,no,no\n"
		     "B,1,P,R0002,m,1,1,yes,yes\nA,1,Q,R0001,m,1,1,no,no\n",
		     0, CTM_AGGREGATE_FROM_RUBRIC, 1 };
	check_used(check_every_split(&in), 4);
}

Test(split, qualtrics_header_rows)
{
	input in = { "region,wave,partner,d1,d2,q1,q2\n"
		     "Region,Wave,Partner,How do you plan?,How do you lead?,Q one?,Q two?\n"
		     "\"{\"\"ImportId\"\":\"\"a\"\"}\",\"{\"\"ImportId\"\":\"\"b\"\"}\","
		     "\"{\"\"ImportId\"\":\"\"c\"\"}\",\"{\"\"ImportId\"\":\"\"d\"\"}\","
		     "\"{\"\"ImportId\"\":\"\"e\"\"}\",\"{\"\"ImportId\"\":\"\"f\"\"}\","
		     "\"{\"\"ImportId\"\":\"\"g\"\"}\"\n"
		     "A,1,P,1,2,yes,no\nA,1,Q,2,3,no,partly\nA,2,P,3,3,yes,yes\n",
		     NULL, 0, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	check_used(check_every_split(&in), 2);
}

/* A file too small for the threshold is read on one thread (nothing to
 * compare there), and threads = 2 on a large file gives the same results as
 * threads = 1: the path the command line takes. */
Test(split, large_file_two_threads)
{
	size_t cap = 12u << 20;
	char *csv = malloc(cap);
	size_t len = (size_t)snprintf(csv, cap, "%s", HEAD);
	static const char *const answers[] = { "yes", "no", "partly", "dk", "", "Yes" };
	for (unsigned i = 0; len < (9u << 20); i++)
		len += (size_t)snprintf(
			csv + len, cap - len, "R%u,%u,Partner %u,id%07u,%s,%u,%u,%s,%s\n",
			i / 50000, i / 20000 % 3, i / 97 % 40, i, i % 3 ? "manager" : "frontline",
			i % 3 + 1, i % 7 % 3 + 1, answers[i % 6], answers[i / 6 % 6]);
	char path[] = "/tmp/ctm-split-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, csv, len), (ssize_t)len);
	close(fd);

	char *text[2];
	for (unsigned threads = 1; threads <= 2; threads++) {
		ctm_ctx *ctx = ctm_ctx_new();
		ctm_dataset *ds = NULL;
		size_t n;
		dump d = { 0 };
		cr_assert_eq(ctm_dataset_new(&ds, rub, NULL, ctx), CTM_OK);
		ctm_dataset_set_threads(ds, threads);
		d.out = open_memstream(&d.text, &n);
		dump_reading(&d, ds, ctm_dataset_read_file(ds, path, ctx), ctx);
		fclose(d.out);
		text[threads - 1] = d.text;
		ctm_dataset_free(ds);
		ctm_ctx_free(ctx);
	}
	unlink(path);
	cr_assert(strncmp(text[0], "rc 0 rows ", 10) == 0, "%.200s", text[0]);
	cr_assert_str_eq(text[0], text[1]);
	free(text[0]);
	free(text[1]);
	free(csv);
}

/* No row read (blank lines only; every row left out): "no answers" points at
 * the last record, which the second part read (found by fuzz_responses). */
Test(split, no_answers_at_the_last_record)
{
	input blank = { HEAD "\n\n\r\n\n\n", NULL, 0, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	check_used(check_every_split(&blank), 2);
	input excluded = { HEAD "A,1,P,r1,m,9,2,yes,no,extra\n\nA,1,P\n,1,P,r2,m,1,1,no,no\n", NULL,
			   1, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	check_used(check_every_split(&excluded), 2);
}

Test(split, comments_in_either_part)
{
	/* open-text answers of a group in both parts, with quoted line breaks,
	 * NA and blanks, are the same set whichever part read them */
	input in = { HEAD_C "A,1,P,r1,m,1,2,yes,no,\"plan\nmore\"\n"
			    "A,1,P,r2,m,2,2,yes,no,NA\n"
			    "A,1,Q,r3,m,1,2,no,no,  Budget  \n"
			    "B,1,P,r4,m,1,2,yes,no,\n"
			    "A,1,Q,r5,m,3,3,yes,yes,apples\n"
			    "B,1,Q,r6,m,1,1,no,no,\"a, b\"\n",
		     NULL, 0, CTM_AGGREGATE_FROM_RUBRIC, 0 };
	check_used(check_every_split(&in), 4);
	dump d = { 0 };
	read_input(&d, &in, 0, 0);
	/* byte order: "Budget" < "apples" < "plan\nmore"; NA and blanks none */
	cr_assert(strstr(d.text, " comment [Budget]\n comment [apples]\n comment [plan\nmore]\n"),
		  "%s", d.text);
	cr_assert(strstr(d.text, "group B/1") && strstr(d.text, " comment [a, b]\n"), "%s", d.text);
	cr_assert_null(strstr(d.text, "[NA]"));
	free(d.text);
}
