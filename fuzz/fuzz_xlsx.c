/* libFuzzer target: an Excel workbook (the whole input, a zip archive) read
 * as responses against the fixed rubric fuzz_rubric.xml, strictly and then
 * leniently, scored and written as JSON when it reads. Whatever the archive
 * or its XML holds, reading must end in a result or a located error: never
 * a crash, a hang, a leak or a large allocation (engine/xlsx.c bounds every
 * part, ratio and count). The corpus's seeds are small workbooks written by
 * tests/data/xlsx/make-workbooks.py. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "continuum/error.h"
#include "continuum/responses.h"
#include "continuum/rubric.h"
#include "continuum/score.h"
#include "fuzz.h"

extern const unsigned char ctm_fuzz_rubric[];
extern const size_t ctm_fuzz_rubric_len;

static ctm_rubric *rubric;
static FILE *devnull;

static int setup(void)
{
	ctm_ctx *ctx = ctm_ctx_new();
	int rc = -1;

	if (!ctx)
		return -1;
	if (ctm_rubric_load_memory(&rubric, "fuzz_rubric.xml", (const char *)ctm_fuzz_rubric,
				   ctm_fuzz_rubric_len, ctx) != CTM_OK)
		goto cleanup;
	if (!(devnull = fopen("/dev/null", "wb")))
		goto cleanup;
	rc = 0;
cleanup:
	ctm_ctx_free(ctx);
	return rc;
}

static void read_once(const uint8_t *data, size_t size, int lenient, const char *sheet)
{
	ctm_read_options ropts = CTM_READ_OPTIONS_INIT;
	ctm_ctx *ctx = ctm_ctx_new();
	ctm_dataset *ds = NULL;
	ctm_results *res = NULL;
	char line[512];

	ropts.lenient = lenient;
	ropts.sheet = sheet;
	if (!ctx || ctm_dataset_new(&ds, rubric, &ropts, ctx) != CTM_OK)
		goto cleanup;
	int rc = ctm_dataset_read_memory(ds, "fuzz.xlsx", (const char *)data, size, ctx);
	/* a failure is always said */
	if (rc != CTM_OK && rc != CTM_ENOMEM && ctm_ctx_error_count(ctx) == 0)
		abort();
	for (size_t i = 0; i < ctm_ctx_count(ctx); i++)
		ctm_diag_format(ctm_ctx_get(ctx, i), line, sizeof(line));
	if (rc == CTM_OK && ctm_score_run(&res, ds, NULL, ctx) == CTM_OK)
		ctm_results_write(res, CTM_FORMAT_JSON, devnull, ctx);

cleanup:
	ctm_results_free(res);
	ctm_dataset_free(ds);
	ctm_ctx_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The fixed rubric must load: a failure here is a bug, not an input. */
	if (!rubric && setup() != 0)
		abort();
	read_once(data, size, 0, NULL);
	read_once(data, size, 1, NULL);
	read_once(data, size, 0, "Data");
	return 0;
}
