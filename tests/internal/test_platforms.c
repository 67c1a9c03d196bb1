/*
 * Survey platforms' exports read as they come (SPEC "Responses"): Qualtrics'
 * three header rows and their edge cases (a second row that is real data is
 * never skipped), headers matched by prompt or question text, answers given
 * as descriptors, platform system columns named in one warning, --map.
 * An export and the canonical file with the same answers must score to the
 * same bytes.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "continuum.h"
#include "test_rubrics.h"
#include "dataset_internal.h"

#define RUBRIC \
	CTM_TEST_HEAD \
	CTM_TEST_LEVELS3 \
	CTM_TEST_SCALE_YPN \
	"<dimensions>\n" \
	"<dimension id=\"d1\"><name>One</name><prompt>How do you plan?</prompt>\n" \
	"<descriptor level=\"1\">Each on its own.</descriptor>\n" \
	"<descriptor level=\"2\">We share plans,\n   now and then.</descriptor>\n" \
	"<descriptor level=\"3\">We plan together.</descriptor>\n" \
	"</dimension>\n" \
	"<dimension id=\"d2\"><name>Two</name><prompt>Who leads?</prompt>\n" \
	"<descriptor level=\"1\">Nobody.</descriptor>\n" \
	"<descriptor level=\"2\">Nobody.</descriptor>\n" \
	"</dimension>\n" \
	"</dimensions>\n" \
	"<questions>\n" \
	"<question id=\"q1\" level=\"1\" scale=\"ypn\">Do you meet?</question>\n" \
	"</questions>\n" \
	"</rubric>\n"

/* The canonical file every export below carries the answers of. */
#define CANONICAL \
	"region,wave,partner,respondent,role,d1,d2,q1\n" \
	"North,2024,Alpha,r1,manager,1,2,yes\n" \
	"North,2024,Beta,r2,frontline,3,3,partly\n" \
	"North,2024,Gamma,r3,frontline,2,1,no\n"

static ctm_ctx *ctx;
static ctm_rubric *rub;

static void setup(void)
{
	ctx = ctm_ctx_new();
	cr_assert_eq(ctm_rubric_load_memory(&rub, "t.xml", RUBRIC, strlen(RUBRIC), ctx), CTM_OK);
}

static void teardown(void)
{
	ctm_rubric_free(rub);
	ctm_ctx_free(ctx);
}

TestSuite(platforms, .init = setup, .fini = teardown);

static void dump(void)
{
	char buf[1024];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		cr_log_error("have: %s", buf);
	}
}

static int has_diag(const char *text)
{
	char buf[2048];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		if (strstr(buf, text))
			return 1;
	}
	return 0;
}

/* Reads csv (with an optional map file's content) and returns the score
 * table as text (caller frees), or NULL when reading failed; *rows gets the
 * rows read and *rc the read's return. */
static char *score_text(const char *csv, const char *map, int lenient, size_t *rows, int *rc)
{
	ctm_read_options ro = CTM_READ_OPTIONS_INIT;
	ctm_dataset *ds = NULL;
	ctm_results *res = NULL;
	char map_path[] = "/tmp/ctm-map-XXXXXX";
	char *text = NULL;
	size_t len = 0;

	ro.lenient = lenient;
	if (map) {
		int fd = mkstemp(map_path);
		cr_assert(fd >= 0);
		FILE *f = fdopen(fd, "w");
		fputs(map, f);
		fclose(f);
		ro.map_path = map_path;
	}
	cr_assert_eq(ctm_dataset_new(&ds, rub, &ro, ctx), CTM_OK);
	*rc = ctm_dataset_read_memory(ds, "e.csv", csv, strlen(csv), ctx);
	*rows = ctm_dataset_row_count(ds);
	if (*rc == CTM_OK && ctm_score_run(&res, ds, NULL, ctx) == CTM_OK) {
		FILE *out = open_memstream(&text, &len);
		cr_assert(out);
		cr_assert_eq(ctm_results_write(res, CTM_FORMAT_CSV, out, ctx), CTM_OK);
		fclose(out);
	}
	ctm_results_free(res);
	ctm_dataset_free(ds);
	if (map)
		remove(map_path);
	return text;
}

/* The export scores to exactly the canonical file's bytes. */
static void same_as_canonical(const char *csv, const char *map)
{
	size_t rows, crows;
	int rc, crc;
	char *want = score_text(CANONICAL, NULL, 0, &crows, &crc);
	cr_assert_eq(crc, CTM_OK);
	char *got = score_text(csv, map, 0, &rows, &rc);
	if (rc != CTM_OK)
		dump();
	cr_assert_eq(rc, CTM_OK);
	cr_assert_eq(rows, crows, "rows read: %zu, canonical %zu", rows, crows);
	cr_assert_str_eq(got, want);
	free(want);
	free(got);
}

/* ---- Qualtrics ---- */

#define Q_ROW1 \
	"StartDate,EndDate,Status,Progress,Duration (in seconds),Finished,ResponseId," \
	"DistributionChannel,UserLanguage,region,wave,partner,respondent,role,Q1,Q2,Q3\n"
#define Q_ROW2 \
	"Start Date,End Date,Response Type,Progress,Duration (in seconds),Finished," \
	"Response ID,Distribution Channel,User Language,region,wave,Your organization," \
	"respondent,Your role,\"  how do YOU plan? \",Who leads?,Do you meet?\n"
#define Q_ROW3 \
	"\"{\"\"ImportId\"\":\"\"startDate\"\",\"\"timeZone\"\":\"\"America/Denver\"\"}\"," \
	"\"{\"\"ImportId\"\":\"\"endDate\"\",\"\"timeZone\"\":\"\"America/Denver\"\"}\"," \
	"\"{\"\"ImportId\"\":\"\"status\"\"}\",\"{\"\"ImportId\"\":\"\"progress\"\"}\"," \
	"\"{\"\"ImportId\"\":\"\"duration\"\"}\",\"{\"\"ImportId\"\":\"\"finished\"\"}\"," \
	"\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":" \
	"\"\"distributionChannel\"\"}\"," \
	"\"{\"\"ImportId\"\":\"\"userLanguage\"\"}\",\"{\"\"ImportId\"\":\"\"region\"\"}\"," \
	"\"{\"\"ImportId\"\":\"\"wave\"\"}\",\"{\"\"ImportId\"\":\"\"QID4\"\"}\"," \
	"\"{\"\"ImportId\"\":\"\"respondent\"\"}\",\"{\"\"ImportId\"\":\"\"QID5\"\"}\"," \
	"\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\"," \
	"\"{\"\"ImportId\"\":\"\"QID3\"\"}\"\n"
#define Q_SYS "2024-03-01 09:00:00,2024-03-01 09:10:00,IP Address,100,600,True,R_1,anonymous,EN,"
#define Q_DATA \
	Q_SYS "North,2024,Alpha,r1,manager,Each on its own.,Cooperation,Yes\n" Q_SYS \
	      "North,2024,Beta,r2,frontline,We plan together.,3,Partly\n" Q_SYS \
	      "North,2024,Gamma,r3,frontline,\"we share plans, now and THEN.\",Awareness,No\n"

/* partner and role come from row 2's texts, which need a map. */
#define Q_MAP "header,id\nYour organization,partner\nYour role,role\n"

Test(platforms, qualtrics_three_header_rows_score_as_canonical)
{
	same_as_canonical(Q_ROW1 Q_ROW2 Q_ROW3 Q_DATA, Q_MAP);
}

Test(platforms, qualtrics_crlf_and_bom)
{
	const char *csv =
		"\xEF\xBB\xBF"
		"region,wave,partner,respondent,role,Q1,Q2,Q3\r\n"
		"Region,Wave,Partner,Respondent,Role,How do you plan?,Who leads?,Do you meet?\r\n"
		"\"{\"\"ImportId\"\":\"\"region\"\"}\",\"{\"\"ImportId\"\":\"\"wave\"\"}\","
		"\"{\"\"ImportId\"\":\"\"partner\"\"}\",\"{\"\"ImportId\"\":\"\"respondent\"\"}\","
		"\"{\"\"ImportId\"\":\"\"role\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\","
		"\"{\"\"ImportId\"\":\"\"QID2\"\"}\",\"{\"\"ImportId\"\":\"\"QID3\"\"}\"\r\n"
		"North,2024,Alpha,r1,manager,1,2,yes\r\n"
		"North,2024,Beta,r2,frontline,3,3,partly\r\n"
		"North,2024,Gamma,r3,frontline,2,1,no\r\n";
	same_as_canonical(csv, NULL);
}

Test(platforms, system_columns_in_one_warning)
{
	size_t rows;
	int rc;
	char *s = score_text(Q_ROW1 Q_ROW2 Q_ROW3 Q_DATA, Q_MAP, 0, &rows, &rc);
	free(s);
	cr_assert_eq(rc, CTM_OK);
	if (ctm_ctx_warning_count(ctx) != 1)
		dump();
	cr_assert_eq(ctm_ctx_warning_count(ctx), 1);
	cr_assert(
		has_diag("e.csv:1:1: warning: 9 survey platform columns are not used: StartDate, "
			 "EndDate, Status, Progress, Duration (in seconds), Finished, ResponseId, "
			 "DistributionChannel, UserLanguage"));
}

Test(platforms, second_row_that_is_data_is_kept)
{
	/* Row 2 is text-like (level names, labels) but row 3 is no ImportId row. */
	const char *csv = "region,wave,partner,respondent,role,d1,d2,q1\n"
			  "North,2024,Alpha,r1,manager,Awareness,Cooperation,Yes\n"
			  "North,2024,Beta,r2,frontline,3,3,partly\n"
			  "North,2024,Gamma,r3,frontline,2,1,no\n";
	same_as_canonical(csv, NULL);
}

Test(platforms, one_data_row_after_header_is_kept)
{
	size_t rows;
	int rc;
	char *s = score_text("region,wave,partner,d1\nNorth,2024,Alpha,2\n", NULL, 0, &rows, &rc);
	cr_assert_eq(rc, CTM_OK);
	cr_assert_eq(rows, 1);
	free(s);
}

Test(platforms, second_row_then_blank_line_is_data)
{
	size_t rows;
	int rc;
	char *s = score_text("region,wave,partner,d1\nNorth,2024,Alpha,2\n\nNorth,2024,Beta,3\n",
			     NULL, 0, &rows, &rc);
	cr_assert_eq(rc, CTM_OK);
	cr_assert_eq(rows, 2);
	free(s);
}

Test(platforms, second_row_with_errors_reported_once_at_its_line)
{
	size_t rows;
	int rc;
	char *s = score_text("region,wave,partner,d1\nNorth,2024,Alpha,7\nNorth,2024,Beta,3\n",
			     NULL, 0, &rows, &rc);
	cr_assert_null(s);
	cr_assert_eq(rc, CTM_EINVALID);
	cr_assert_eq(ctm_ctx_error_count(ctx), 1);
	cr_assert(has_diag("e.csv:2:18: error: '7' is not a level for dimension 'd1'"));
}

Test(platforms, import_row_right_after_header_is_skipped)
{
	size_t rows;
	int rc;
	char *s = score_text(
		"region,wave,partner,d1\n"
		"\"{\"\"ImportId\"\":\"\"region\"\"}\",,,\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\n"
		"North,2024,Alpha,2\n",
		NULL, 0, &rows, &rc);
	if (rc)
		dump();
	cr_assert_eq(rc, CTM_OK);
	cr_assert_eq(rows, 1);
	free(s);
}

Test(platforms, header_rows_only_is_no_answers)
{
	size_t rows;
	int rc;
	char *s = score_text(Q_ROW1 Q_ROW2 Q_ROW3, Q_MAP, 0, &rows, &rc);
	cr_assert_null(s);
	cr_assert_eq(rc, CTM_EINVALID);
	cr_assert(has_diag("no answers: the file has a header but no data rows"));
}

Test(platforms, half_import_row_is_not_a_header_row)
{
	/* One ImportId cell next to an answer: data, so the bad cell is reported
	 * and row 2 (text) is read as data too. */
	size_t rows;
	int rc;
	char *s = score_text("region,wave,partner,d1\n"
			     "North,2024,Alpha,2\n"
			     "North,2024,Beta,\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\n",
			     NULL, 0, &rows, &rc);
	cr_assert_null(s);
	cr_assert_eq(rc, CTM_EINVALID);
	cr_assert(has_diag("e.csv:3:17: error: '{\"ImportId\":\"QID1\"}' is not a level"));
}

Test(platforms, import_id_row_recognizer)
{
	ctm_csv_field f[3] = {
		{ "{\"ImportId\":\"QID1\"}", 19, 1, 1, 1 },
		{ "", 0, 1, 21, 0 },
		{ " { \"ImportId\" : \"startDate\",\"timeZone\":\"Z\"} ", 44, 1, 22, 1 },
	};
	cr_assert(ctm_columns__is_import_id_row(f, 3));
	cr_assert_not(ctm_columns__is_import_id_row(f + 1, 1), "an empty row is not one");
	ctm_csv_field g[2] = { f[0], { "QID1", 4, 1, 21, 0 } };
	cr_assert_not(ctm_columns__is_import_id_row(g, 2));
	ctm_csv_field h[1] = { { "{\"importid\":\"QID1\"}", 19, 1, 1, 1 } };
	cr_assert_not(ctm_columns__is_import_id_row(h, 1), "Qualtrics writes ImportId so");
	ctm_csv_field k[1] = { { "{\"ImportId\"}", 12, 1, 1, 1 } };
	cr_assert_not(ctm_columns__is_import_id_row(k, 1));
}

Test(platforms, row1_name_wins_over_row2_text)
{
	/* Column 6 is named d1 in row 1, though its row-2 text is d2's prompt. */
	const char *csv = "region,wave,partner,respondent,role,d1,Q9,q1\n"
			  "r,w,p,i,o,Who leads?,Who leads?,Do you meet?\n"
			  "\"{\"\"ImportId\"\":\"\"x\"\"}\",,,,,,,\n"
			  "North,2024,Alpha,r1,manager,1,2,yes\n"
			  "North,2024,Beta,r2,frontline,3,3,partly\n"
			  "North,2024,Gamma,r3,frontline,2,1,no\n";
	same_as_canonical(csv, NULL);
}

Test(platforms, lenient_qualtrics)
{
	size_t rows;
	int rc;
	char *s = score_text(Q_ROW1 Q_ROW2 Q_ROW3 Q_DATA, Q_MAP, 1, &rows, &rc);
	cr_assert_eq(rc, CTM_OK);
	cr_assert_eq(rows, 3);
	free(s);
}

/* ---- answers as descriptors ---- */

Test(platforms, shared_descriptor_is_ambiguous)
{
	size_t rows;
	int rc;
	char *s = score_text("region,wave,partner,d2\nNorth,2024,Alpha,Nobody.\n", NULL, 0, &rows,
			     &rc);
	cr_assert_null(s);
	cr_assert_eq(rc, CTM_EINVALID);
	cr_assert(has_diag("'Nobody.' is not a level for dimension 'd2'"));
}

/* ---- Google Forms, LimeSurvey, REDCap ---- */

Test(platforms, google_forms_titles_and_labels)
{
	const char *csv = "Timestamp,Email address,Region,Wave,Partner,Respondent,Role,"
			  "How do you plan? ,WHO LEADS?,  Do you  meet?\n"
			  "2024/03/01 9:00:00 AM GMT+1,a@x.org,North,2024,Alpha,r1,manager,"
			  "Each on its own.,Cooperation,Yes\n"
			  "2024/03/01 9:05:00 AM GMT+1,b@x.org,North,2024,Beta,r2,frontline,"
			  "We plan together.,Coordination,Partly\n"
			  "2024/03/01 9:07:00 AM GMT+1,c@x.org,North,2024,Gamma,r3,frontline,"
			  "\"We share plans, now and then.\",Awareness,No\n";
	same_as_canonical(csv, NULL);
	cr_assert(has_diag("2 survey platform columns are not used: Timestamp, Email address"));
}

Test(platforms, limesurvey_codes_with_map)
{
	const char *csv = "id,submitdate,lastpage,startlanguage,seed,startdate,datestamp,ipaddr,"
			  "refurl,G1Q1,G1Q2,G1Q3,G1Q4,G2Q1,G2Q2,G3Q1\n"
			  "1,2024-03-01 09:10,3,en,123,2024-03-01 09:00,2024-03-01 09:10,,,"
			  "North,2024,Alpha,manager,1,2,yes\n"
			  "2,2024-03-01 09:20,3,en,456,2024-03-01 09:05,2024-03-01 09:20,,,"
			  "North,2024,Beta,frontline,3,3,partly\n"
			  "3,2024-03-01 09:30,3,en,789,2024-03-01 09:15,2024-03-01 09:30,,,"
			  "North,2024,Gamma,frontline,2,1,no\n";
	const char *map = "header,id\nG1Q1,region\nG1Q2,wave\nG1Q3,partner\nG1Q4,role\n"
			  "G2Q1,d1\nG2Q2,d2\nG3Q1,q1\nid,respondent\n";
	/* The canonical file's respondent ids are r1..r3: same units, same scores. */
	same_as_canonical(csv, map);
	cr_assert(has_diag("8 survey platform columns are not used: submitdate, lastpage, "
			   "startlanguage, seed, startdate, datestamp, ipaddr, refurl"));
}

Test(platforms, redcap_with_map)
{
	const char *csv =
		"record_id,redcap_event_name,redcap_survey_identifier,"
		"partnership_survey_timestamp,site,round,org_name,job_role,plan,lead,meet,"
		"partnership_survey_complete\n"
		"1,baseline_arm_1,,2024-03-01 09:10:00,North,2024,Alpha,manager,1,2,yes,2\n"
		"2,baseline_arm_1,,2024-03-01 09:20:00,North,2024,Beta,frontline,3,3,partly,2\n"
		"3,baseline_arm_1,,2024-03-01 09:30:00,North,2024,Gamma,frontline,2,1,no,2\n";
	const char *map = "header,id\nsite,region\nround,wave\norg_name,partner\njob_role,role\n"
			  "plan,d1\nlead,d2\nmeet,q1\n";
	same_as_canonical(csv, map);
	cr_assert_eq(ctm_ctx_warning_count(ctx), 1);
	cr_assert(has_diag("5 survey platform columns are not used: record_id, redcap_event_name, "
			   "redcap_survey_identifier, partnership_survey_timestamp, "
			   "partnership_survey_complete"));
}

Test(platforms, unknown_column_still_warned_on_its_own)
{
	size_t rows;
	int rc;
	char *s = score_text("region,wave,partner,d1,Remarks,Timestamp\nNorth,2024,Alpha,2,ok,x\n",
			     NULL, 0, &rows, &rc);
	cr_assert_eq(rc, CTM_OK);
	free(s);
	cr_assert(has_diag("e.csv:1:24: warning: column 'Remarks' is not used"));
	cr_assert(has_diag("e.csv:1:32: warning: 1 survey platform column is not used: Timestamp"));
}
