/*
 * Exports as the survey platforms write them (issue 16): answer forms,
 * recodes, the REDCap dictionary, constants, incomplete rows, grid headers,
 * the other header layouts, items in no column and resubmissions. Every
 * expected mean is worked out by hand beside its row.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "continuum.h"
#include "test_rubrics.h"

#define RUBRIC \
	CTM_TEST_HEAD \
	CTM_TEST_LEVELS5 \
	CTM_TEST_SCALE_YPN \
	"<dimensions>\n" \
	"<dimension id=\"d1\"><name>Planning</name><prompt>How do you plan?</prompt>" \
	"<descriptor level=\"2\">We tell each other our plans.</descriptor></dimension>\n" \
	"<dimension id=\"d2\"><name>Leadership</name><prompt>Who leads?</prompt></dimension>\n" \
	"</dimensions>\n" \
	"<questions>\n" \
	"<question id=\"q1\" level=\"1\" scale=\"ypn\">Do partners know each other’s services?" \
	"</question>\n" \
	"</questions>\n" \
	"</rubric>\n"

static ctm_ctx *ctx;
static ctm_rubric *rub;
static ctm_dataset *ds;
static ctm_results *res;
static ctm_read_options ropts;
static char tmpdir[64];

static void setup(void)
{
	ctx = ctm_ctx_new();
	ctm_read_options r = CTM_READ_OPTIONS_INIT;
	ropts = r;
	ds = NULL;
	res = NULL;
	cr_assert_eq(ctm_rubric_load_memory(&rub, "t.xml", RUBRIC, strlen(RUBRIC), ctx), CTM_OK);
	strcpy(tmpdir, "/tmp/ctm-exports-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];
	ctm_results_free(res);
	ctm_dataset_free(ds);
	ctm_rubric_free(rub);
	ctm_ctx_free(ctx);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(exports, .init = setup, .fini = teardown);

static void dump(void)
{
	char buf[2048];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		cr_log_error("have: %s", buf);
	}
}

/* A file in the test's directory; its path (static until the next call). */
static const char *write_file(const char *name, const char *text)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int read_csv(const char *csv)
{
	if (!ds) {
		int rc = ctm_dataset_new(&ds, rub, &ropts, ctx);
		if (rc != CTM_OK)
			dump();
		cr_assert_eq(rc, CTM_OK);
	}
	/* (no dump here: Criterion counts a logged error as a failure) */
	return ctm_dataset_read_memory(ds, "r.csv", csv, strlen(csv), ctx);
}

static const ctm_group *score(const char *region, const char *wave)
{
	ctm_score_options so = CTM_SCORE_OPTIONS_INIT;
	so.min_n = 1;
	int rc = ctm_score_run(&res, ds, &so, ctx);
	if (rc != CTM_OK || ctm_ctx_error_count(ctx))
		dump();
	cr_assert_eq(rc, CTM_OK);
	cr_assert_eq(ctm_ctx_error_count(ctx), 0);
	const ctm_group *g = ctm_results_find_group(res, region, wave);
	cr_assert_not_null(g, "no group %s/%s", region, wave);
	return g;
}

#define NEAR(a, b) cr_assert(fabs((a) - (b)) < 1e-9, "%.12g != %.12g", (double)(a), (double)(b))

static int has_diag(ctm_severity sev, const char *text)
{
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		const ctm_diag *d = ctm_ctx_get(ctx, i);
		if (d->severity == sev && strstr(d->message, text))
			return 1;
	}
	return 0;
}

static size_t excluded(const char *reason_part)
{
	for (size_t i = 0; i < ctm_dataset_exclusion_count(ds); i++) {
		const ctm_exclusion *e = ctm_dataset_exclusion(ds, i);
		if (strstr(e->reason, reason_part))
			return e->count;
	}
	return 0;
}

Test(exports, number_and_name_forms)
{
	/* d1: 3, 3, 3, 3, 2 (the descriptor, curly apostrophe-free, with a full stop)
	 * -> mean 14/5 = 2.8. d2: "Level 4", "4.0", "Collaboration (4)", 4 -> 4. */
	cr_assert_eq(read_csv("region,wave,partner,respondent,d1,d2\n"
			      "R,1,A,a1,3 - Coordination,Level 4\n"
			      "R,1,B,b1,3: coordination,4.0\n"
			      "R,1,C,c1,Coordination (3),Collaboration (4)\n"
			      "R,1,D,d1,3.00,4\n"
			      "R,1,E,e1,we tell each other our plans,\n"),
		     CTM_OK);
	const ctm_group *g = score("R", "1");
	NEAR(ctm_group_dimension(g, 0)->mean, 2.8);
	cr_assert_eq(ctm_group_dimension(g, 0)->n, 5);
	NEAR(ctm_group_dimension(g, 1)->mean, 4.0);
	cr_assert_eq(ctm_group_dimension(g, 1)->n, 4);
}

Test(exports, number_and_name_must_agree)
{
	cr_assert_eq(read_csv("region,wave,partner,d1\nR,1,A,3 - Integration\n"), CTM_EINVALID);
	cr_assert(has_diag(CTM_SEV_ERROR, "'3 - Integration' is not a level"));
	ctm_ctx_clear(ctx);
	cr_assert_eq(read_csv("region,wave,partner,d1\nR,1,A,3.5\n"), CTM_EINVALID);
	ctm_ctx_clear(ctx);
	cr_assert_eq(read_csv("region,wave,partner,d1\nR,1,A,Level 6\n"), CTM_EINVALID);
}

Test(exports, typographic_characters_fold)
{
	/* the header has a curly apostrophe as the rubric does, and a no-break
	 * space; the answer "Yes." ends in a full stop */
	cr_assert_eq(read_csv("region,wave,partner,Do partners know each other's\xC2\xA0services?\n"
			      "R,1,A,Yes.\n"
			      "R,1,B,\xE2\x80\x9CPartly\xE2\x80\x9D\n"),
		     CTM_EINVALID); /* curly quotes become straight ones: '"Partly"' */
	ctm_ctx_clear(ctx);
	ctm_dataset_free(ds);
	ds = NULL;
	cr_assert_eq(read_csv("region,wave,partner,Do partners know each other's\xC2\xA0services?\n"
			      "R,1,A,Yes.\n"
			      "R,1,B,no\n"),
		     CTM_OK);
	const ctm_group *g = score("R", "1");
	NEAR(ctm_group_question(g, 0)->mean, 0.5); /* (1 + 0) / 2 */
}

Test(exports, recode_file)
{
	ropts.recode_path = write_file("recode.csv", "item,from,to\n"
						     "*,AO01,1\n*,AO02,2\n*,AO03,Coordination\n"
						     "q1,Y,yes\nq1,N,No\nq1,-99,\n");
	/* d1: 1, 3 -> 2; q1: 1, 0, missing -> 0.5 over 2 */
	cr_assert_eq(read_csv("region,wave,partner,d1,q1\n"
			      "R,1,A,AO01,Y\n"
			      "R,1,B,AO03,N\n"
			      "R,1,C,,-99\n"),
		     CTM_OK);
	const ctm_group *g = score("R", "1");
	NEAR(ctm_group_dimension(g, 0)->mean, 2.0);
	NEAR(ctm_group_question(g, 0)->mean, 0.5);
	cr_assert_eq(ctm_group_question(g, 0)->n, 2);
}

Test(exports, recode_file_errors)
{
	ropts.recode_path = write_file("bad.csv", "item,from,to\n"
						  "nope,1,2\n"
						  "q1,Y,maybe\n"
						  "d1,,3\n");
	cr_assert_eq(ctm_dataset_new(&ds, rub, &ropts, ctx), CTM_EINVALID);
	cr_assert_null(ds);
	cr_assert_eq(ctm_ctx_error_count(ctx), 3);
	cr_assert(has_diag(CTM_SEV_ERROR, "'nope' is not an item id"));
	cr_assert(has_diag(CTM_SEV_ERROR, "'maybe' is not an answer to item 'q1'"));
	cr_assert(has_diag(CTM_SEV_ERROR, "'from' is empty"));
}

Test(exports, redcap_dictionary_zero_based_codes)
{
	ropts.redcap_dictionary_path = write_file(
		"dict.csv",
		"\"Variable / Field Name\",\"Form Name\",\"Section Header\",\"Field Type\","
		"\"Field Label\",\"Choices, Calculations, OR Slider Labels\"\n"
		"record_id,survey,,text,Record ID,\n"
		"plan,survey,,radio,\"How do you plan?\",\"0, Awareness | 1, Cooperation | 2, "
		"Coordination | 3, Collaboration | 4, Integration\"\n"
		"q1,survey,,yesno,\"Know?\",\n");
	/* plan is found by its label (the rubric's prompt); 0 -> 1, 4 -> 5: mean 3.
	 * q1 yesno: 1 Yes (1), 0 No (0): 0.5. The third row's form is not
	 * complete: left out. */
	cr_assert_eq(read_csv("record_id,region,wave,partner,plan,q1,survey_complete\n"
			      "1,R,1,A,0,1,2\n"
			      "2,R,1,B,4,0,2\n"
			      "3,R,1,C,2,1,0\n"),
		     CTM_OK);
	const ctm_group *g = score("R", "1");
	NEAR(ctm_group_dimension(g, 0)->mean, 3.0);
	NEAR(ctm_group_question(g, 0)->mean, 0.5);
	cr_assert_eq(excluded("REDCap form 'survey' not complete"), 1);
}

Test(exports, constants)
{
	ropts.set_region = "North Coast";
	ropts.set_wave = "2025-03";
	cr_assert_eq(read_csv("partner,d1\nA,2\nB,4\n"), CTM_OK);
	NEAR(ctm_group_dimension(score("North Coast", "2025-03"), 0)->mean, 3.0);
}

Test(exports, constant_and_column_clash)
{
	ropts.set_region = "North Coast";
	cr_assert_eq(read_csv("region,wave,partner,d1\nR,1,A,2\n"), CTM_EINVALID);
	cr_assert(has_diag(CTM_SEV_ERROR, "a constant region is set too"));
	cr_assert(!has_diag(CTM_SEV_ERROR, "is missing"), "not said twice");
}

Test(exports, qualtrics_incomplete_preview_test)
{
	/* rows: finished (3), unfinished, preview, test, finished (5) -> mean 4 */
	const char *csv = "ResponseId,Status,Finished,DistributionChannel,region,wave,partner,d1\n"
			  "R_1,IP Address,True,anonymous,R,1,A,3\n"
			  "R_2,IP Address,False,anonymous,R,1,B,1\n"
			  "R_3,Survey Preview,True,preview,R,1,C,1\n"
			  "R_4,0,True,test,R,1,D,1\n"
			  "R_5,0,1,anonymous,R,1,E,5\n";
	cr_assert_eq(read_csv(csv), CTM_OK);
	NEAR(ctm_group_dimension(score("R", "1"), 0)->mean, 4.0);
	cr_assert_eq(excluded("not finished"), 1);
	cr_assert_eq(excluded("(Status)"), 1);
	cr_assert_eq(excluded("(DistributionChannel)"), 1);
	cr_assert_eq(ctm_dataset_row_count(ds), 2);

	/* --keep-incomplete: all five */
	ctm_results_free(res);
	res = NULL;
	ctm_dataset_free(ds);
	ds = NULL;
	ropts.keep_incomplete = 1;
	cr_assert_eq(read_csv(csv), CTM_OK);
	cr_assert_eq(ctm_dataset_row_count(ds), 5);
	cr_assert_eq(ctm_dataset_exclusion_count(ds), 0);
}

Test(exports, limesurvey_unsubmitted)
{
	cr_assert_eq(read_csv("id,submitdate,lastpage,region,wave,partner,d1\n"
			      "1,2023-03-06 10:00:00,3,R,1,A,2\n"
			      "2,,1,R,1,B,5\n"),
		     CTM_OK);
	NEAR(ctm_group_dimension(score("R", "1"), 0)->mean, 2.0);
	cr_assert_eq(excluded("LimeSurvey response not submitted"), 1);
}

Test(exports, every_row_incomplete_is_an_error)
{
	cr_assert_eq(read_csv("submitdate,region,wave,partner,d1\n,R,1,A,2\n"), CTM_EINVALID);
	cr_assert(has_diag(CTM_SEV_ERROR, "all 1 data row was left out"));
}

Test(exports, grid_headers)
{
	/* Google Forms "[Row]" by the dimension's name and id; Qualtrics'
	 * "Question - Row" in the text row */
	cr_assert_eq(read_csv("region,wave,partner,Where do you stand? [Planning],"
			      "Where do you stand? [d2]\n"
			      "R,1,A,2,3\n"),
		     CTM_OK);
	const ctm_group *g = score("R", "1");
	NEAR(ctm_group_dimension(g, 0)->mean, 2.0);
	NEAR(ctm_group_dimension(g, 1)->mean, 3.0);
}

Test(exports, qualtrics_matrix_text_row)
{
	cr_assert_eq(read_csv("region,wave,partner,Q5_1,Q5_2\n"
			      "Region,Wave,Partner,Where - do you stand? - Planning,"
			      "Where - do you stand? - Who leads?\n"
			      "\"{\"\"ImportId\"\":\"\"r\"\"}\",\"{\"\"ImportId\"\":\"\"w\"\"}\","
			      "\"{\"\"ImportId\"\":\"\"p\"\"}\","
			      "{'ImportId': 'QID5_1'},{'ImportId': 'QID5_2'}\n"
			      "R,1,A,4,5\n"),
		     CTM_OK);
	const ctm_group *g = score("R", "1");
	NEAR(ctm_group_dimension(g, 0)->mean, 4.0);
	NEAR(ctm_group_dimension(g, 1)->mean, 5.0);
	cr_assert_eq(ctm_dataset_row_count(ds), 1, "the header rows are not data");
}

Test(exports, qualtrics_legacy_layout)
{
	cr_assert_eq(read_csv("V1,V2,V3,V10,Q1,Q2,Q3,Q4\n"
			      "ResponseID,ResponseSet,Status,Finished,region,wave,partner,"
			      "How do you plan?\n"
			      "R_1,Default,0,1,R,1,A,2\n"
			      "R_2,Default,1,1,R,1,B,5\n"),
		     CTM_OK);
	NEAR(ctm_group_dimension(score("R", "1"), 0)->mean, 2.0);
	cr_assert_eq(excluded("(Status)"), 1, "the preview row");
}

Test(exports, surveymonkey_two_rows)
{
	cr_assert_eq(read_csv("Respondent ID,Collector ID,region,wave,partner,Where do you stand?,"
			      ",Know?\n"
			      ",,Response,Response,Response,Planning,Leadership,Response\n"
			      "11,9,R,1,A,2,4,Yes\n"
			      "12,9,R,1,B,4,4,No\n"),
		     CTM_OK);
	const ctm_group *g = score("R", "1");
	NEAR(ctm_group_dimension(g, 0)->mean, 3.0);
	NEAR(ctm_group_dimension(g, 1)->mean, 4.0);
	cr_assert_eq(ctm_dataset_row_count(ds), 2);
}

Test(exports, no_item_matched_is_an_error)
{
	cr_assert_eq(read_csv("region,wave,partner,Plannin,Q 1\nR,1,A,3,yes\n"), CTM_EINVALID);
	cr_assert(has_diag(CTM_SEV_ERROR, "no column is an item of rubric 't'"));
	cr_assert(has_diag(CTM_SEV_ERROR, "'Plannin' (column 4)"), "the nearest header is named");
}

Test(exports, items_in_no_column_warned)
{
	cr_assert_eq(read_csv("region,wave,partner,d1,Q 1\nR,1,A,3,yes\n"), CTM_OK);
	cr_assert(has_diag(CTM_SEV_WARNING, "2 rubric items are in no column"));
	cr_assert(has_diag(CTM_SEV_WARNING, "'q1' (nearest unused: 'Q 1' (column 5))"));
}

Test(exports, duplicates_first)
{
	ropts.duplicates = CTM_DUPLICATES_FIRST;
	ropts.aggregate = CTM_AGGREGATE_BY_RESPONDENT;
	/* r1 = 2 (the first), r2 = 4: mean 3 */
	cr_assert_eq(read_csv("region,wave,partner,respondent,d1\n"
			      "R,1,A,r1,2\nR,1,A,r2,4\nR,1,A,r1,5\n"),
		     CTM_OK);
	NEAR(ctm_group_dimension(score("R", "1"), 0)->mean, 3.0);
	cr_assert_eq(excluded("the first one kept"), 1);
}

Test(exports, duplicates_last_by_file_order)
{
	ropts.duplicates = CTM_DUPLICATES_LAST;
	ropts.aggregate = CTM_AGGREGATE_BY_RESPONDENT;
	/* r1 = 5 (the later), r2 = 4: mean 4.5 */
	cr_assert_eq(read_csv("region,wave,partner,respondent,d1\n"
			      "R,1,A,r1,2\nR,1,A,r2,4\nR,1,A,r1,5\n"),
		     CTM_OK);
	const ctm_group *g = score("R", "1");
	NEAR(ctm_group_dimension(g, 0)->mean, 4.5);
	cr_assert_eq(ctm_group_dimension(g, 0)->n, 2);
	cr_assert_eq(excluded("respondent 'r1' on line 2 replaced by line 4"), 1);
	cr_assert_eq(ctm_dataset_row_count(ds), 2);
}

Test(exports, duplicates_last_by_time)
{
	ropts.duplicates = CTM_DUPLICATES_LAST;
	ropts.aggregate = CTM_AGGREGATE_BY_PARTNER;
	/* US-order times (SurveyMonkey): line 4's 3/5/2023 is before line 2's
	 * 3/6/2023, so line 2 stays: A = 2, B = 4 -> 3 */
	cr_assert_eq(read_csv("region,wave,partner,respondent,End Date,d1\n"
			      "R,1,A,r1,03/06/2023 10:10:00 AM,2\n"
			      "R,1,B,r2,03/06/2023 10:10:00 AM,4\n"
			      "R,1,A,r1,03/05/2023 11:10:00 PM,5\n"),
		     CTM_OK);
	NEAR(ctm_group_dimension(score("R", "1"), 0)->mean, 3.0);
	cr_assert_eq(excluded("an earlier submission than line 2's"), 1);
}

Test(exports, duplicates_error_by_default)
{
	cr_assert_eq(read_csv("region,wave,partner,respondent,d1\nR,1,A,r1,2\nR,1,A,r1,5\n"),
		     CTM_EINVALID);
	cr_assert(has_diag(CTM_SEV_ERROR, "duplicate respondent 'r1'"));
}

Test(exports, options_version_1_still_read)
{
	/* a caller built against version 1 sets only the first four fields */
	ctm_read_options v1;
	memset(&v1, 0xAB, sizeof(v1)); /* what lies past a version-1 struct */
	cr_assert_eq(ctm_read_options_init(&v1, 1), CTM_OK);
	cr_assert_eq(v1.version, 1);
	cr_assert_eq(v1.map_path, NULL);
	cr_assert_eq(*(unsigned char *)&v1.recode_path, 0xAB, "version 2's fields not written");
	v1.recode_path = "/nonexistent";
	cr_assert_eq(ctm_dataset_new(&ds, rub, &v1, ctx), CTM_OK, "and not read");
}

Test(exports, qualtrics_embedded_data_is_a_platform_column)
{
	/* "Segment" is embedded data (its ImportId is no QID): named with the
	 * platform's columns, not warned about on its own */
	cr_assert_eq(read_csv("region,wave,partner,Segment,Q1\n"
			      "Region,Wave,Partner,Segment,How do you plan?\n"
			      "\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\","
			      "\"{\"\"ImportId\"\":\"\"QID3\"\"}\",\"{\"\"ImportId\"\":\"\"Segment\"\"}\","
			      "\"{\"\"ImportId\"\":\"\"QID4\"\"}\"\n"
			      "R,1,A,gold,4\n"),
		     CTM_OK);
	cr_assert(has_diag(CTM_SEV_WARNING, "1 survey platform column is not used: Segment"));
	cr_assert(!has_diag(CTM_SEV_WARNING, "column 'Segment' is not used"));
	NEAR(ctm_group_dimension(score("R", "1"), 0)->mean, 4.0);
}
