/* Rubric loading: the shipped rubrics, every rule with its message and line,
 * and hostile XML. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "continuum.h"

static ctm_ctx *ctx;

static void setup(void) { ctx = ctm_ctx_new(); }
static void teardown(void) { ctm_ctx_free(ctx); }

TestSuite(rubric, .init = setup, .fini = teardown);

/* A valid rubric; tests splice a fragment into one of its slots. */
#define HEAD \
	"<?xml version=\"1.0\"?>\n" \
	"<rubric xmlns=\"urn:continuum:rubric:1\" id=\"t\" version=\"1.0\" xml:lang=\"en\">\n"
#define META "<title>T</title>\n<source>S</source>\n"
#define LEVELS \
	"<levels>\n" \
	"<level value=\"1\" id=\"low\"><name>Low</name></level>\n" \
	"<level value=\"2\" id=\"mid\"><name>Middle</name></level>\n" \
	"<level value=\"3\" id=\"high\"><name>High</name></level>\n" \
	"</levels>\n"
#define SCALES \
	"<scales>\n<scale id=\"yn\">\n" \
	"<option code=\"yes\" score=\"1\">Yes</option>\n" \
	"<option code=\"no\" score=\"0\">No</option>\n" \
	"<option code=\"dk\" missing=\"true\">Don't know</option>\n" \
	"</scale>\n</scales>\n"
#define DIMS \
	"<dimensions>\n<dimension id=\"d1\">\n<name>D one</name>\n" \
	"<prompt>Which fits?</prompt>\n<descriptor level=\"1\">one</descriptor>\n" \
	"</dimension>\n</dimensions>\n"
#define QUESTIONS \
	"<questions>\n<question id=\"q1\" level=\"1\" scale=\"yn\">Q one?</question>\n" \
	"</questions>\n"
#define TAIL "</rubric>\n"

static int load(const char *xml, ctm_rubric **out)
{
	return ctm_rubric_load_memory(out, "t.xml", xml, strlen(xml), ctx);
}

/* Asserts that some diagnostic is an error on `line` containing `text`. */
static void expect_error(unsigned long line, const char *text)
{
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		const ctm_diag *d = ctm_ctx_get(ctx, i);
		if (d->severity == CTM_SEV_ERROR && d->line == line && strstr(d->message, text) &&
		    d->file && strcmp(d->file, "t.xml") == 0)
			return;
	}
	char buf[512];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		cr_log_error("have: %s", buf);
	}
	cr_assert_fail("no error on line %lu containing \"%s\"", line, text);
}

static void expect_invalid(const char *xml, unsigned long line, const char *text)
{
	ctm_rubric *r = NULL;
	cr_assert_eq(load(xml, &r), CTM_EINVALID);
	cr_assert_null(r);
	expect_error(line, text);
}

Test(rubric, minimal_valid_rubric_and_getters)
{
	ctm_rubric *r = NULL;
	cr_assert_eq(load(HEAD META LEVELS SCALES DIMS QUESTIONS
			  "<scoring attainment=\"0.8\" target=\"2\" aggregate=\"respondent\" "
			  "min-n=\"3\"/>\n" TAIL,
			  &r),
		     CTM_OK);
	cr_assert_eq(ctm_ctx_error_count(ctx), 0);
	cr_assert_str_eq(ctm_rubric_id(r), "t");
	cr_assert_str_eq(ctm_rubric_lang(r), "en");
	cr_assert_eq(ctm_rubric_level_count(r), 3);
	cr_assert_str_eq(ctm_level_name(ctm_rubric_level(r, 1)), "Middle");
	cr_assert_eq(ctm_level_value(ctm_rubric_level(r, 2)), 3);
	cr_assert_null(ctm_rubric_level(r, 3));
	cr_assert_float_eq(ctm_rubric_attainment(r), 0.8, 1e-12);
	cr_assert_eq(ctm_rubric_target(r), 2);
	cr_assert_eq(ctm_rubric_min_n(r), 3);
	cr_assert_eq(ctm_rubric_aggregate(r), CTM_AGGREGATE_RESPONDENT);
	const ctm_dimension *d = ctm_rubric_dimension(r, 0);
	cr_assert_str_eq(ctm_dimension_descriptor(d, 1), "one");
	cr_assert_null(ctm_dimension_descriptor(d, 2));
	cr_assert_null(ctm_dimension_descriptor(d, 0));
	const ctm_question *q = ctm_rubric_question(r, 0);
	cr_assert_eq(ctm_question_level(q), 1);
	const ctm_scale *s = ctm_question_scale(q);
	cr_assert_str_eq(ctm_scale_id(s), "yn");
	cr_assert_eq(ctm_scale_option_count(s), 3);
	cr_assert(ctm_option_is_missing(ctm_scale_option(s, 2)));
	cr_assert(isnan(ctm_option_score(ctm_scale_option(s, 2))));
	cr_assert_str_eq(ctm_option_label(ctm_scale_option(s, 2)), "Don't know");
	ctm_rubric_free(r);
}

Test(rubric, defaults_without_scoring_element)
{
	ctm_rubric *r = NULL;
	cr_assert_eq(load(HEAD META LEVELS DIMS TAIL, &r), CTM_OK);
	cr_assert_float_eq(ctm_rubric_attainment(r), 0.75, 1e-12);
	cr_assert_eq(ctm_rubric_target(r), 0);
	cr_assert_eq(ctm_rubric_min_n(r), 5);
	cr_assert_eq(ctm_rubric_aggregate(r), CTM_AGGREGATE_PARTNER);
	ctm_rubric_free(r);
}

Test(rubric, text_white_space_is_collapsed)
{
	ctm_rubric *r = NULL;
	cr_assert_eq(
		load(HEAD
		     "<title>\n   Two\n   lines  </title>\n<source>S</source>\n" LEVELS DIMS TAIL,
		     &r),
		CTM_OK);
	cr_assert_str_eq(ctm_rubric_title(r), "Two lines");
	ctm_rubric_free(r);
}

Test(rubric, level_hole)
{
	/* line 6 is the second <level> */
	expect_invalid(HEAD META
		       "<levels>\n<level value=\"1\" id=\"a\"><name>A</name></level>\n"
		       "<level value=\"3\" id=\"b\"><name>B</name></level>\n</levels>\n" DIMS TAIL,
		       7,
		       "level values must run 1..L in document order without holes: found value 3 "
		       "where 2 was expected");
}

Test(rubric, level_out_of_order)
{
	expect_invalid(HEAD META
		       "<levels>\n<level value=\"2\" id=\"a\"><name>A</name></level>\n"
		       "<level value=\"1\" id=\"b\"><name>B</name></level>\n</levels>\n" DIMS TAIL,
		       6, "found value 2 where 1 was expected");
}

Test(rubric, duplicate_level_name_case_insensitive)
{
	expect_invalid(
		HEAD META
		"<levels>\n<level value=\"1\" id=\"a\"><name>Same</name></level>\n"
		"<level value=\"2\" id=\"b\"><name>SAME</name></level>\n</levels>\n" DIMS TAIL,
		7, "level 2's name 'SAME' is also the name of level 1 (line 6)");
}

Test(rubric, numeric_level_name)
{
	expect_invalid(HEAD META
		       "<levels>\n<level value=\"1\" id=\"a\"><name>2</name></level>\n"
		       "<level value=\"2\" id=\"b\"><name>B</name></level>\n</levels>\n" DIMS TAIL,
		       6, "level name '2' must not be a number");
}

Test(rubric, too_few_levels_schema)
{
	expect_invalid(HEAD META "<levels>\n<level value=\"1\" id=\"a\"><name>A</name></level>\n"
				 "</levels>\n" DIMS TAIL,
		       5, "levels");
}

Test(rubric, duplicate_item_ids_across_dimensions_and_questions)
{
	/* HEAD lines 1-2, META 3-4, LEVELS 5-9, SCALES 10-16, DIMS 17-23 (d1 on 18):
	 * <questions> on 24, the question on 25 */
	expect_invalid(HEAD META LEVELS SCALES DIMS
		       "<questions>\n<question id=\"d1\" level=\"1\" scale=\"yn\">Q?</question>\n"
		       "</questions>\n" TAIL,
		       25, "duplicate id 'd1': already used by a dimension on line 18");
}

Test(rubric, duplicate_dimension_ids)
{
	expect_invalid(HEAD META LEVELS
		       "<dimensions>\n"
		       "<dimension id=\"x\"><name>A</name><prompt>A?</prompt></dimension>\n"
		       "<dimension id=\"x\"><name>B</name><prompt>B?</prompt></dimension>\n"
		       "</dimensions>\n" TAIL,
		       12, "duplicate id 'x': already used by a dimension on line 11");
}

Test(rubric, reserved_column_name)
{
	expect_invalid(HEAD META LEVELS
		       "<dimensions>\n"
		       "<dimension id=\"Region\"><name>A</name><prompt>A?</prompt></dimension>\n"
		       "</dimensions>\n" TAIL,
		       11, "dimension id 'Region' is a reserved column name");
}

Test(rubric, question_unknown_scale)
{
	expect_invalid(HEAD META LEVELS SCALES DIMS
		       "<questions>\n<question id=\"q9\" level=\"1\" scale=\"nope\">Q?</question>\n"
		       "</questions>\n" TAIL,
		       25, "question 'q9' uses scale 'nope', which is not defined");
}

Test(rubric, question_level_beyond_l)
{
	expect_invalid(HEAD META LEVELS SCALES DIMS
		       "<questions>\n<question id=\"q9\" level=\"4\" scale=\"yn\">Q?</question>\n"
		       "</questions>\n" TAIL,
		       25, "question 'q9' is at level 4, but the rubric has 3 levels");
}

Test(rubric, descriptor_level_beyond_l)
{
	expect_invalid(
		HEAD META LEVELS
		"<dimensions>\n<dimension id=\"x\"><name>A</name><prompt>A?</prompt>\n"
		"<descriptor level=\"5\">five</descriptor>\n</dimension>\n</dimensions>\n" TAIL,
		12, "descriptor for level 5 in dimension 'x', but the rubric has 3 levels");
}

Test(rubric, duplicate_descriptor_level)
{
	expect_invalid(
		HEAD META LEVELS
		"<dimensions>\n<dimension id=\"x\"><name>A</name><prompt>A?</prompt>\n"
		"<descriptor level=\"2\">a</descriptor>\n<descriptor level=\"2\">b</descriptor>\n"
		"</dimension>\n</dimensions>\n" TAIL,
		13, "second descriptor for level 2 in dimension 'x' (first on line 12)");
}

Test(rubric, option_score_out_of_range)
{
	expect_invalid(
		HEAD META LEVELS
		"<scales>\n<scale id=\"s\">\n"
		"<option code=\"a\" score=\"1.5\">A</option>\n</scale>\n</scales>\n" DIMS TAIL,
		12, "score");
}

Test(rubric, option_without_score_or_missing)
{
	expect_invalid(HEAD META LEVELS
		       "<scales>\n<scale id=\"s\">\n"
		       "<option code=\"a\">A</option>\n</scale>\n</scales>\n" DIMS TAIL,
		       12, "option 'a' needs a score in [0,1], a value, or missing=\"true\"");
}

Test(rubric, option_codes_are_any_text_without_surrounding_space)
{
	/* numbers are codes like any other (a Likert scale coded 1..5) */
	ctm_rubric *r = NULL;
	const char *xml = HEAD META LEVELS
		"<scales>\n<scale id=\"s\">\n"
		"<option code=\"1\" score=\"0\">Disagree</option>\n"
		"<option code=\"2 - agree\" score=\"1\">Agree</option>\n</scale>\n</scales>\n"
		DIMS TAIL;
	cr_assert_eq(ctm_rubric_load_memory(&r, "t.xml", xml, strlen(xml), ctx), CTM_OK);
	ctm_rubric_free(r);
	expect_invalid(HEAD META LEVELS
		       "<scales>\n<scale id=\"s\">\n"
		       "<option code=\" 1\" score=\"0\">A</option>\n</scale>\n</scales>\n" DIMS TAIL,
		       12, "' 1' is not valid: an option code is any non-empty text without white "
			   "space at either end");
}

Test(rubric, option_with_score_and_missing)
{
	expect_invalid(HEAD META LEVELS
		       "<scales>\n<scale id=\"s\">\n"
		       "<option code=\"a\" score=\"1\" "
		       "missing=\"true\">A</option>\n</scale>\n</scales>\n" DIMS TAIL,
		       12, "option 'a' has both a score and missing=\"true\"");
}

Test(rubric, option_label_equal_to_other_code)
{
	expect_invalid(
		HEAD META LEVELS
		"<scales>\n<scale id=\"s\">\n"
		"<option code=\"yes\" score=\"1\">Yes</option>\n"
		"<option code=\"no\" score=\"0\">YES</option>\n</scale>\n</scales>\n" DIMS TAIL,
		13, "option label 'YES' is also the code of option 'yes'");
}

Test(rubric, duplicate_scale_id)
{
	expect_invalid(
		HEAD META LEVELS
		"<scales>\n<scale id=\"s\"><option code=\"a\" score=\"1\">A</option></scale>\n"
		"<scale id=\"s\"><option code=\"a\" "
		"score=\"1\">A</option></scale>\n</scales>\n" DIMS TAIL,
		12, "duplicate scale id 's' (first defined on line 11)");
}

Test(rubric, attainment_out_of_range)
{
	expect_invalid(HEAD META LEVELS DIMS "<scoring attainment=\"0\"/>\n" TAIL, 17,
		       "attainment");
	ctm_ctx_clear(ctx);
	expect_invalid(HEAD META LEVELS DIMS "<scoring attainment=\"1.01\"/>\n" TAIL, 17,
		       "attainment");
}

Test(rubric, target_beyond_l)
{
	expect_invalid(HEAD META LEVELS DIMS "<scoring target=\"4\"/>\n" TAIL, 17,
		       "target 4 is not a level of this rubric (1..3)");
}

Test(rubric, same_prompt_twice)
{
	expect_invalid(HEAD META LEVELS
		       "<dimensions>\n"
		       "<dimension id=\"a\"><name>A</name><prompt>Which?</prompt></dimension>\n"
		       "<dimension id=\"b\"><name>B</name><prompt>which?</prompt></dimension>\n"
		       "</dimensions>\n" TAIL,
		       12, "dimension 'b' has the same prompt as dimension 'a' (line 11)");
}

Test(rubric, nothing_to_score)
{
	expect_invalid(HEAD META LEVELS TAIL, 2, "the rubric has no dimensions and no questions");
}

Test(rubric, every_problem_is_reported)
{
	ctm_rubric *r = NULL;
	cr_assert_eq(load(HEAD META LEVELS SCALES
			  "<dimensions>\n"
			  "<dimension id=\"role\"><name>A</name><prompt>A?</prompt></dimension>\n"
			  "<dimension id=\"b\"><name>B</name><prompt>B?</prompt><descriptor "
			  "level=\"9\">x</descriptor></dimension>\n"
			  "</dimensions>\n<questions>\n"
			  "<question id=\"q1\" level=\"7\" scale=\"none\">Q?</question>\n"
			  "</questions>\n<scoring target=\"5\"/>\n" TAIL,
			  &r),
		     CTM_EINVALID);
	expect_error(18, "reserved column name");
	expect_error(19, "descriptor for level 9");
	expect_error(22, "is at level 7");
	expect_error(22, "scale 'none'");
	expect_error(24, "target 5");
	cr_assert_geq(ctm_ctx_error_count(ctx), 5);
}

Test(rubric, wrong_namespace_and_missing_attributes)
{
	expect_invalid("<rubric xmlns=\"urn:other\" id=\"t\"/>", 1, "rubric");
	ctm_ctx_clear(ctx);
	expect_invalid(HEAD META
		       "<levels>\n<level value=\"1\"><name>A</name></level>\n"
		       "<level value=\"2\" id=\"b\"><name>B</name></level>\n</levels>\n" DIMS TAIL,
		       6, "id");
}

Test(rubric, malformed_xml_is_located)
{
	expect_invalid(HEAD META "<levels>\n<level value=\"1\" id=\"a\"><name>A</nam></level>\n", 6,
		       "Opening and ending tag mismatch: name line 6 and nam");
}

Test(rubric, empty_and_missing_files)
{
	ctm_rubric *r = NULL;
	cr_assert_eq(ctm_rubric_load_memory(&r, "t.xml", "", 0, ctx), CTM_EINVALID);
	expect_error(0, "empty");
	cr_assert_eq(ctm_rubric_load(&r, "/nonexistent/rubric.xml", ctx), CTM_EIO);
	cr_assert_null(r);
}

Test(rubric, gzip_is_not_decompressed)
{
	/* The gzip magic: xmlReadFile would inflate it; we read bytes as they are. */
	static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03";
	ctm_rubric *r = NULL;
	cr_assert_eq(ctm_rubric_load_memory(&r, "t.xml", gz, sizeof(gz) - 1, ctx), CTM_EINVALID);
}

/* ---- hostile XML ---- */

Test(rubric, external_entity_leaks_nothing)
{
	const char *xml = "<?xml version=\"1.0\"?>\n"
			  "<!DOCTYPE rubric [ <!ENTITY x SYSTEM \"file:///etc/passwd\"> ]>\n"
			  "<rubric xmlns=\"urn:continuum:rubric:1\" id=\"t\" version=\"1\">"
			  "<title>&x;</title></rubric>\n";
	ctm_rubric *r = NULL;
	cr_assert_eq(load(xml, &r), CTM_EINVALID);
	expect_error(2, "a DOCTYPE is not allowed");
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++)
		cr_assert_null(strstr(ctm_ctx_get(ctx, i)->message, "root:"));
}

Test(rubric, external_dtd_is_not_fetched)
{
	const char *xml = "<?xml version=\"1.0\"?>\n"
			  "<!DOCTYPE rubric SYSTEM \"http://127.0.0.1:9/x.dtd\">\n"
			  "<rubric xmlns=\"urn:continuum:rubric:1\" id=\"t\" version=\"1\"/>\n";
	ctm_rubric *r = NULL;
	cr_assert_eq(load(xml, &r), CTM_EINVALID);
	expect_error(2, "DOCTYPE");
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

Test(rubric, entity_bomb_refused)
{
	const char *xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
			  "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
			  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
			  "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
			  "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
			  "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
			  "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
			  "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
			  "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
			  "]>\n<rubric xmlns=\"urn:continuum:rubric:1\" id=\"t\" "
			  "version=\"1\"><title>&h;</title></rubric>\n";
	struct timespec t0;
	ctm_rubric *r = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(load(xml, &r), CTM_EINVALID);
	/* Generous for sanitizer builds; an expanding parser takes minutes. */
	cr_assert_lt(seconds_since(&t0), 2.0);
	expect_error(2, "DOCTYPE");
}

Test(rubric, quadratic_blowup_refused)
{
	size_t n = 100000;
	size_t cap = n * 4 + 512;
	char *xml = malloc(cap);
	char *p = xml;
	p += sprintf(p, "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"");
	for (size_t i = 0; i < 50000; i++)
		*p++ = 'a';
	p += sprintf(
		p,
		"\">]>\n<rubric xmlns=\"urn:continuum:rubric:1\" id=\"t\" version=\"1\"><title>");
	for (size_t i = 0; i < 10000; i++)
		p += sprintf(p, "&a;");
	p += sprintf(p, "</title></rubric>\n");
	cr_assert_lt((size_t)(p - xml), cap);

	struct timespec t0;
	ctm_rubric *r = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(ctm_rubric_load_memory(&r, "t.xml", xml, (size_t)(p - xml), ctx),
		     CTM_EINVALID);
	cr_assert_lt(seconds_since(&t0), 2.0);
	expect_error(2, "DOCTYPE");
	free(xml);
}

Test(rubric, deep_nesting_refused_fast)
{
	size_t depth = 200000;
	char *xml = malloc(depth * 7 + 1);
	char *p = xml;
	for (size_t i = 0; i < depth; i++) {
		memcpy(p, "<a>", 3);
		p += 3;
	}
	for (size_t i = 0; i < depth; i++) {
		memcpy(p, "</a>", 4);
		p += 4;
	}
	struct timespec t0;
	ctm_rubric *r = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(ctm_rubric_load_memory(&r, "t.xml", xml, (size_t)(p - xml), ctx),
		     CTM_EINVALID);
	cr_assert_lt(seconds_since(&t0), 2.0);
	expect_error(1, "nested deeper than 64 levels");
	free(xml);
}

Test(rubric, oversized_input_refused)
{
	size_t n = (size_t)CTM_RUBRIC_MAX_BYTES + 1;
	char *xml = malloc(n);
	memset(xml, ' ', n);
	ctm_rubric *r = NULL;
	cr_assert_eq(ctm_rubric_load_memory(&r, "t.xml", xml, n, ctx), CTM_EINVALID);
	expect_error(0, "larger than");
	free(xml);
}

/* ---- shipped rubrics ---- */

Test(rubric, every_shipped_rubric_loads)
{
	DIR *dir = opendir(CTM_RUBRICS_DIR);
	struct dirent *e;
	int count = 0;
	cr_assert_not_null(dir);
	while ((e = readdir(dir))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", CTM_RUBRICS_DIR, e->d_name);
		ctm_rubric *r = NULL;
		int rc = ctm_rubric_load(&r, path, ctx);
		char buf[1024];
		for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
			ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
			cr_log_error("%s", buf);
		}
		cr_expect_eq(rc, CTM_OK, "%s does not load", e->d_name);
		cr_expect_eq(ctm_ctx_count(ctx), 0, "%s has diagnostics", e->d_name);
		if (r) {
			cr_expect_not_null(ctm_rubric_source(r));
			/* a continuum of 2..9 levels, or an inventory of statements
			 * (no levels, no dimensions, no levelled question) */
			if (ctm_rubric_level_count(r) == 0) {
				cr_expect_eq(ctm_rubric_dimension_count(r), 0, "%s", e->d_name);
				cr_expect_eq(ctm_rubric_levelled_question_count(r), 0, "%s",
					     e->d_name);
				cr_expect_gt(ctm_rubric_factor_count(r), 0, "%s", e->d_name);
			} else {
				cr_expect_geq(ctm_rubric_level_count(r), 2, "%s", e->d_name);
			}
		}
		ctm_rubric_free(r);
		ctm_ctx_clear(ctx);
		count++;
	}
	closedir(dir);
	cr_assert_geq(count, 1);
}

/* ---- text that is not UTF-8, limits (issue: nothing that breaks on valid text) ---- */

Test(rubric, a_declared_encoding_other_than_utf8_is_refused)
{
	expect_invalid("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
		       "<rubric xmlns=\"urn:continuum:rubric:1\" id=\"t\" version=\"1.0\">\n" META
			       LEVELS DIMS TAIL,
		       1, "declares encoding \"ISO-8859-1\": rubrics are UTF-8");
}

Test(rubric, bytes_that_are_not_utf8_are_refused_where_they_are)
{
	/* "Zürich" in Latin-1: 0xFC alone on line 4 */
	expect_invalid(HEAD "<title>Z\xfcrich</title>\n<source>S</source>\n" LEVELS DIMS TAIL, 3,
		       "invalid UTF-8 at offset");
	ctm_ctx_clear(ctx);
	static const char utf16[] = "\xff\xfe<\0r\0";
	ctm_rubric *r = NULL;
	cr_assert_eq(ctm_rubric_load_memory(&r, "t.xml", utf16, sizeof(utf16) - 1, ctx),
		     CTM_EINVALID);
	expect_error(1, "the file is UTF-16");
}

Test(rubric, nothing_hides_behind_a_nul_byte)
{
	static const char xml[] = HEAD META LEVELS DIMS TAIL "\0<junk/>";
	ctm_rubric *r = NULL;
	cr_assert_eq(ctm_rubric_load_memory(&r, "t.xml", xml, sizeof(xml) - 1, ctx), CTM_EINVALID);
	cr_assert_null(r);
	expect_error(18, "NUL byte at offset"); /* after the 17 lines of the rubric */
}

Test(rubric, min_n_above_its_limit_is_an_error)
{
	expect_invalid(HEAD META LEVELS DIMS "<scoring min-n=\"1000001\"/>\n" TAIL, 17,
		       "min-n 1000001 is above the limit of 1000000");
}

/* ---- size: checks cost a hash lookup per item, not a comparison per pair (issue 21) ---- */

/* A rubric built in memory, one element a line. */
typedef struct gen {
	char *s;
	size_t len, cap;
} gen;

static void gen_add(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gen_add(gen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	cr_assert_geq(n, 0);
	if (g->len + (size_t)n + 1 > g->cap) {
		g->cap = (g->len + (size_t)n + 1) * 2;
		g->s = realloc(g->s, g->cap);
		cr_assert_not_null(g->s);
	}
	va_start(ap, fmt);
	vsnprintf(g->s + g->len, g->cap - g->len, fmt, ap);
	va_end(ap);
	g->len += (size_t)n;
}

/* Lines 1-5: the prolog, title and source, two levels, scale yn. */
#define GEN_HEAD_LINES 5
static void gen_head(gen *g)
{
	gen_add(g, "<?xml version=\"1.0\"?>\n"
		   "<rubric xmlns=\"urn:continuum:rubric:1\" id=\"big\" version=\"1\">\n"
		   "<title>T</title><source>S</source>\n"
		   "<levels><level value=\"1\" id=\"low\"><name>Low</name></level>"
		   "<level value=\"2\" id=\"high\"><name>High</name></level></levels>\n"
		   "<scales><scale id=\"yn\"><option code=\"y\" score=\"1\">Yes</option>"
		   "<option code=\"n\" score=\"0\">No</option></scale></scales>\n");
}

/* n questions q0..q<n-1> (question i on line GEN_HEAD_LINES + 2 + i), alone
 * or after the dimensions; their texts all differ. */
static void gen_questions(gen *g, size_t n)
{
	gen_add(g, "<questions>\n");
	for (size_t i = 0; i < n; i++)
		gen_add(g,
			"<question id=\"q%zu\" level=\"1\" scale=\"yn\">Question %zu?</question>\n",
			i, i);
	gen_add(g, "</questions>\n");
}

static int gen_load(gen *g, ctm_rubric **out)
{
	gen_add(g, "</rubric>\n");
	int rc = ctm_rubric_load_memory(out, "t.xml", g->s, g->len, ctx);
	free(g->s);
	g->s = NULL;
	g->len = g->cap = 0;
	return rc;
}

/* The diagnostics are exactly these errors, in this order. */
static void expect_errors(const unsigned long *lines, const char *const *messages, size_t n)
{
	char buf[512];
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		ctm_diag_format(ctm_ctx_get(ctx, i), buf, sizeof(buf));
		cr_log_info("have: %s", buf);
	}
	cr_assert_eq(ctm_ctx_count(ctx), n);
	cr_assert_eq(ctm_ctx_error_count(ctx), n);
	for (size_t i = 0; i < n; i++) {
		const ctm_diag *d = ctm_ctx_get(ctx, i);
		cr_expect_eq(d->severity, CTM_SEV_ERROR, "diagnostic %zu", i);
		cr_expect_eq(d->line, lines[i], "diagnostic %zu: line %lu", i, d->line);
		cr_expect_str_eq(d->message, messages[i], "diagnostic %zu", i);
	}
}

Test(rubric, duplicate_ids_among_thousands_are_all_reported)
{
	/* 2500 dimensions d0.. (dimension i on line 7 + i), then 2500
	 * questions (question i on line 2509 + i); three of the 5000 ids are
	 * taken: dimension 2000 and question 100 take d5's, question 2499 q3's. */
	gen g = { NULL, 0, 0 };
	gen_head(&g);
	gen_add(&g, "<dimensions>\n");
	for (size_t i = 0; i < 2500; i++)
		gen_add(&g,
			"<dimension id=\"d%zu\"><name>D %zu</name><prompt>Prompt %zu?</prompt>"
			"</dimension>\n",
			i == 2000 ? (size_t)5 : i, i, i);
	gen_add(&g, "</dimensions>\n<questions>\n");
	for (size_t i = 0; i < 2500; i++) {
		char id[32];
		snprintf(id, sizeof(id), i == 100 ? "d5" : "q%zu", i == 2499 ? (size_t)3 : i);
		gen_add(&g,
			"<question id=\"%s\" level=\"1\" scale=\"yn\">Question %zu?</question>\n",
			id, i);
	}
	gen_add(&g, "</questions>\n");
	ctm_rubric *r = NULL;
	cr_assert_eq(gen_load(&g, &r), CTM_EINVALID);
	cr_assert_null(r);
	static const unsigned long lines[] = { 2007, 2609, 2609, 5008 };
	static const char *const messages[] = {
		"duplicate id 'd5': already used by a dimension on line 12",
		"duplicate id 'd5': already used by a dimension on line 12",
		"duplicate id 'd5': already used by a dimension on line 2007",
		"duplicate id 'q3': already used by a question on line 2512",
	};
	expect_errors(lines, messages, 4);
}

/* valgrind (which runs these suites too) is some fifty times slower. */
static double time_allowed(double seconds)
{
	const char *preload = getenv("LD_PRELOAD");
	return preload && strstr(preload, "vgpreload") ? seconds * 50 : seconds;
}

Test(rubric, thousands_of_copies_of_one_id_are_counted_fast)
{
	/* 20000 dimensions with one id and one prompt: each clashes with every
	 * one before it twice (199990000 pairs each), all counted, the first
	 * hundred kept. Comparing every pair took minutes. */
	const size_t n = 20000;
	gen g = { NULL, 0, 0 };
	gen_head(&g);
	gen_add(&g, "<dimensions>\n");
	for (size_t i = 0; i < n; i++)
		gen_add(&g,
			"<dimension id=\"x\"><name>D</name><prompt>Same?</prompt></dimension>\n");
	gen_add(&g, "</dimensions>\n");
	struct timespec t0;
	ctm_rubric *r = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(gen_load(&g, &r), CTM_EINVALID);
	cr_assert_lt(seconds_since(&t0), time_allowed(5.0));
	cr_assert_null(r);
	/* and one more: 20000 items need more columns than a record holds */
	cr_assert_eq(ctm_ctx_error_count(ctx), n * (n - 1) + 1);
	cr_assert_eq(ctm_ctx_count(ctx), CTM_CTX_DEFAULT_MAX_DIAGS);
	cr_assert_eq(ctm_ctx_dropped_count(ctx), n * (n - 1) + 1 - CTM_CTX_DEFAULT_MAX_DIAGS);
	/* dimension 2 (line 8) against 1, dimension 3 against 1 and 2, ... */
	const ctm_diag *d = ctm_ctx_get(ctx, 0);
	cr_assert_eq(d->line, 8);
	cr_assert_str_eq(d->message, "duplicate id 'x': already used by a dimension on line 7");
	d = ctm_ctx_get(ctx, 1);
	cr_assert_eq(d->line, 8);
	cr_assert_str_eq(d->message, "dimension 'x' has the same prompt as dimension 'x' (line 7): "
				     "a survey column could not tell them apart");
	d = ctm_ctx_get(ctx, 3);
	cr_assert_eq(d->line, 9);
	cr_assert_str_eq(d->message, "duplicate id 'x': already used by a dimension on line 8");
	d = ctm_ctx_get(ctx, 5);
	cr_assert_eq(d->line, 9);
	cr_assert_str_eq(d->message, "dimension 'x' has the same prompt as dimension 'x' (line 8): "
				     "a survey column could not tell them apart");
}

Test(rubric, more_items_than_a_responses_record_holds_are_refused)
{
	/* A survey file has a column per item and the five reserved columns,
	 * and a record holds at most 10000 fields (the CSV reader's limit). */
	ctm_rubric *r = NULL;
	gen g = { NULL, 0, 0 };
	gen_head(&g);
	gen_questions(&g, 9995);
	cr_assert_eq(gen_load(&g, &r), CTM_OK);
	cr_assert_eq(ctm_ctx_count(ctx), 0);
	cr_assert_eq(ctm_rubric_question_count(r), 9995);
	ctm_rubric_free(r);

	r = NULL;
	gen_head(&g);
	gen_questions(&g, 9996);
	cr_assert_eq(gen_load(&g, &r), CTM_EINVALID);
	cr_assert_null(r);
	static const unsigned long line[] = { 2 };
	static const char *const message[] = {
		"the rubric has 9996 dimensions, questions and comments: a survey file for it "
		"would need more than 10000 columns, the most a responses record may hold"
	};
	expect_errors(line, message, 1);

	/* dimensions count as much as questions */
	ctm_ctx_clear(ctx);
	gen_head(&g);
	gen_add(&g, "<dimensions>\n");
	for (size_t i = 0; i < 5000; i++)
		gen_add(&g,
			"<dimension id=\"d%zu\"><name>D</name><prompt>Prompt %zu?</prompt>"
			"</dimension>\n",
			i, i);
	gen_add(&g, "</dimensions>\n");
	gen_questions(&g, 4996);
	cr_assert_eq(gen_load(&g, &r), CTM_EINVALID);
	static const char *const mixed[] = {
		"the rubric has 9996 dimensions, questions and comments: a survey file for it "
		"would need more than 10000 columns, the most a responses record may hold"
	};
	expect_errors(line, mixed, 1);
}

Test(rubric, duplicate_band_id)
{
	/* The schema's xs:unique on band ids, said by the loader (libxml2's
	 * identity constraints are not evaluated). */
	expect_invalid(
		HEAD META
		"<scales>\n<scale id=\"agree\">\n"
		"<option code=\"1\">Disagree</option>\n<option code=\"2\">Agree</option>\n"
		"</scale>\n</scales>\n"
		"<questions>\n<question id=\"s1\" scale=\"agree\">S one</question>\n"
		"</questions>\n"
		"<factors>\n<factor id=\"f\"><name>F</name><item question=\"s1\"/></factor>\n"
		"</factors>\n"
		"<bands>\n<band id=\"low\" min=\"1\">Low</band>\n"
		"<band id=\"low\" min=\"1.5\">High</band>\n</bands>\n" TAIL,
		19, "duplicate band id 'low' (first defined on line 18)");
}
