/* libFuzzer target: a rubric loaded and validated from memory, as
 * `continuum validate` does with a file (same parser, schema and checks).
 * Every getter is walked so that a model that loads but is inconsistent
 * (a dangling scale, a level out of range) shows up under ASan. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "continuum/rubric.h"
#include "fuzz.h"

static size_t sink;

/* Touches every string so that ASan sees a read past its end. */
static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void walk(const ctm_rubric *r)
{
	size_t i, j;
	int l;

	touch(ctm_rubric_id(r));
	touch(ctm_rubric_version(r));
	touch(ctm_rubric_title(r));
	touch(ctm_rubric_source(r));
	touch(ctm_rubric_description(r));
	touch(ctm_rubric_lang(r));
	touch(ctm_rubric_path(r));
	sink += (size_t)ctm_rubric_target(r) + (size_t)ctm_rubric_min_n(r) +
		(size_t)ctm_rubric_aggregate(r) + (ctm_rubric_attainment(r) > 0.5);
	for (i = 0; i < ctm_rubric_level_count(r); i++) {
		const ctm_level *lv = ctm_rubric_level(r, i);
		sink += (size_t)ctm_level_value(lv);
		touch(ctm_level_id(lv));
		touch(ctm_level_name(lv));
		touch(ctm_level_summary(lv));
		touch(ctm_level_definition(lv));
	}
	for (i = 0; i < ctm_rubric_scale_count(r); i++) {
		const ctm_scale *sc = ctm_rubric_scale(r, i);
		touch(ctm_scale_id(sc));
		for (j = 0; j < ctm_scale_option_count(sc); j++) {
			const ctm_option *o = ctm_scale_option(sc, j);
			touch(ctm_option_code(o));
			touch(ctm_option_label(o));
			sink += (size_t)ctm_option_is_missing(o) + (ctm_option_score(o) > 0.5);
		}
	}
	for (i = 0; i < ctm_rubric_dimension_count(r); i++) {
		const ctm_dimension *d = ctm_rubric_dimension(r, i);
		touch(ctm_dimension_id(d));
		touch(ctm_dimension_name(d));
		touch(ctm_dimension_prompt(d));
		/* Out-of-range levels too: the getter must answer NULL, not read past. */
		for (l = -1; l <= (int)ctm_rubric_level_count(r) + 1; l++)
			touch(ctm_dimension_descriptor(d, l));
	}
	for (i = 0; i < ctm_rubric_question_count(r); i++) {
		const ctm_question *q = ctm_rubric_question(r, i);
		touch(ctm_question_id(q));
		touch(ctm_question_text(q));
		sink += (size_t)ctm_question_level(q);
		touch(ctm_scale_id(ctm_question_scale(q)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctm_ctx *ctx = ctm_ctx_new();
	ctm_rubric *r = NULL;
	size_t i;
	char line[512];

	if (!ctx)
		return 0;
	if (ctm_rubric_load_memory(&r, "fuzz.xml", (const char *)data, size, ctx) == CTM_OK)
		walk(r);
	/* Every diagnostic must format, truncated or not. */
	for (i = 0; i < ctm_ctx_count(ctx); i++)
		sink += ctm_diag_format(ctm_ctx_get(ctx, i), line, sizeof(line));
	ctm_rubric_free(r);
	ctm_ctx_free(ctx);
	return 0;
}
