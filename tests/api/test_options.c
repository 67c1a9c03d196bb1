/*
 * Versioned option structs (the public headers): the _init functions
 * beside the _INIT macros, and the one rule every function taking a struct
 * follows (NULL: defaults; version 1 to current; anything else CTM_EUSAGE).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "continuum.h"
#include "test_rubrics.h"

#define RUBRIC \
	CTM_TEST_HEAD CTM_TEST_LEVELS3 \
		"<dimensions>\n<dimension " \
		"id=\"d1\"><name>One</name><prompt>P?</prompt></dimension>\n" \
		"</dimensions>\n</rubric>\n"
#define DATA "region,wave,partner,d1\nR,1,A,2\nR,1,B,3\n"

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

TestSuite(options, .init = setup, .fini = teardown);

/* Whether some diagnostic of ctx holds text. */
static int said(const char *text)
{
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++)
		if (strstr(ctm_ctx_get(ctx, i)->message, text))
			return 1;
	return 0;
}

Test(options, init_functions_give_the_macros_defaults)
{
	ctm_read_options r, r0 = CTM_READ_OPTIONS_INIT;
	ctm_score_options s, s0 = CTM_SCORE_OPTIONS_INIT;
	ctm_report_options p, p0 = CTM_REPORT_OPTIONS_INIT;

	memset(&r, 0x55, sizeof(r));
	memset(&s, 0x55, sizeof(s));
	memset(&p, 0x55, sizeof(p));
	cr_assert_eq(ctm_read_options_init(&r, CTM_READ_OPTIONS_VERSION), CTM_OK);
	cr_assert_eq(ctm_score_options_init(&s, CTM_SCORE_OPTIONS_VERSION), CTM_OK);
	cr_assert_eq(ctm_report_options_init(&p, CTM_REPORT_OPTIONS_VERSION), CTM_OK);
	cr_assert_eq(r.version, CTM_READ_OPTIONS_VERSION);
	cr_assert_eq(r.lenient, r0.lenient);
	cr_assert_eq(r.aggregate, r0.aggregate);
	cr_assert_null(r.map_path);
	cr_assert_eq(s.version, CTM_SCORE_OPTIONS_VERSION);
	cr_assert_eq(s.target, s0.target);
	cr_assert_null(s.targets);
	cr_assert_eq(s.min_n, s0.min_n);
	cr_assert_eq(p.version, CTM_REPORT_OPTIONS_VERSION);
	cr_assert_eq(p.paper, p0.paper);
	cr_assert_null(p.font);
	cr_assert_null(p.font_bold);
}

Test(options, init_functions_refuse_unknown_versions_and_null)
{
	ctm_read_options r;
	ctm_score_options s;
	ctm_report_options p;

	cr_assert_eq(ctm_read_options_init(&r, 0), CTM_EUSAGE);
	cr_assert_eq(ctm_read_options_init(&r, CTM_READ_OPTIONS_VERSION + 1), CTM_EUSAGE);
	cr_assert_eq(ctm_read_options_init(NULL, CTM_READ_OPTIONS_VERSION), CTM_EUSAGE);
	cr_assert_eq(ctm_score_options_init(&s, 0), CTM_EUSAGE);
	cr_assert_eq(ctm_score_options_init(&s, CTM_SCORE_OPTIONS_VERSION + 1), CTM_EUSAGE);
	cr_assert_eq(ctm_score_options_init(NULL, CTM_SCORE_OPTIONS_VERSION), CTM_EUSAGE);
	cr_assert_eq(ctm_report_options_init(&p, 0), CTM_EUSAGE);
	cr_assert_eq(ctm_report_options_init(&p, CTM_REPORT_OPTIONS_VERSION + 1), CTM_EUSAGE);
	cr_assert_eq(ctm_report_options_init(NULL, CTM_REPORT_OPTIONS_VERSION), CTM_EUSAGE);
}

Test(options, a_struct_never_initialised_is_refused_by_name)
{
	ctm_read_options r = CTM_READ_OPTIONS_INIT;
	ctm_score_options s = CTM_SCORE_OPTIONS_INIT;
	ctm_report_options p = CTM_REPORT_OPTIONS_INIT;
	ctm_dataset *ds = NULL;
	ctm_results *res = NULL;

	r.version = 0;
	cr_assert_eq(ctm_dataset_new(&ds, rub, &r, ctx), CTM_EUSAGE);
	cr_assert(said("ctm_dataset_new: options version 0"));
	cr_assert_eq(ctm_dataset_new(&ds, rub, NULL, ctx), CTM_OK, "NULL: the defaults");
	cr_assert_eq(ctm_dataset_read_memory(ds, "d.csv", DATA, strlen(DATA), ctx), CTM_OK);

	s.version = 0;
	cr_assert_eq(ctm_score_run(&res, ds, &s, ctx), CTM_EUSAGE);
	cr_assert(said("ctm_score_run: options version 0"));
	s.version = CTM_SCORE_OPTIONS_VERSION + 1;
	cr_assert_eq(ctm_score_run(&res, ds, &s, ctx), CTM_EUSAGE);
	cr_assert_eq(ctm_score_run(&res, ds, NULL, ctx), CTM_OK);

	p.version = 0;
	cr_assert_eq(
		ctm_report_write(res, ctm_results_group(res, 0), "/nonexistent/x.pdf", &p, ctx),
		CTM_EUSAGE, "version 0 is refused before anything is drawn");
	cr_assert(said("ctm_report_write: options version 0"));

	ctm_results_free(res);
	ctm_dataset_free(ds);
}
