/*
 * embed.c — a complete program that uses libcontinuum, to copy and change.
 *
 *   embed RUBRIC.xml RESPONSES.csv REPORT.pdf
 *
 * Loads a rubric, reads one survey export, scores every group (a region in
 * one survey wave), prints each group's overall stage and writes the PDF
 * report of the first group. The steps are the ones `continuum report` takes.
 *
 * Two habits of the library shape the code:
 *  - it never prints: every problem (with file, line and column) is kept in a
 *    ctm_ctx, and the program chooses what to show — here, all of it;
 *  - every call that can fail returns 0 (CTM_OK) or a negative ctm_error_code,
 *    and every object comes with a _free function that accepts NULL, so one
 *    cleanup path at the end frees whatever was made.
 *
 * Exit status: 0 done, 1 invalid input or a failure, 2 wrong arguments.
 */
#include <stdio.h>
#include <stdlib.h>

#include <continuum.h>

/* Prints the diagnostics a context holds ("file:line:column: error: ...") to
 * stderr, then forgets them so that the next step starts clean. */
static void print_diagnostics(ctm_ctx *ctx)
{
	char line[1024];

	for (size_t i = 0; i < ctm_ctx_count(ctx); i++) {
		/* ctm_diag_format cuts a long message to fit; enough for an example. */
		ctm_diag_format(ctm_ctx_get(ctx, i), line, sizeof(line));
		fprintf(stderr, "%s\n", line);
	}
	/* The context keeps the first 100 diagnostics and only counts the rest,
	 * so a file with a million bad cells costs a few lines. */
	if (ctm_ctx_dropped_count(ctx) > 0)
		fprintf(stderr, "(%zu more not shown)\n", ctm_ctx_dropped_count(ctx));
	ctm_ctx_clear(ctx);
}

/* The name of a stage: stage S is the level with value S, the highest level
 * the group has attained with every level below it; stage 0 is none. */
static const char *stage_name(const ctm_rubric *rubric, int stage)
{
	const ctm_level *level = stage > 0 ? ctm_rubric_level(rubric, (size_t)stage - 1) : NULL;
	return level ? ctm_level_name(level) : "none attained";
}

int main(int argc, char **argv)
{
	/* Everything the program owns, NULL until made, so that the cleanup
	 * below can free it whatever step failed. */
	ctm_ctx *ctx = NULL;
	ctm_rubric *rubric = NULL;
	ctm_dataset *responses = NULL;
	ctm_results *results = NULL;
	int status = 1, rc;

	if (argc != 4) {
		fprintf(stderr, "usage: %s RUBRIC.xml RESPONSES.csv REPORT.pdf\n", argv[0]);
		return 2;
	}
	const char *rubric_path = argv[1], *responses_path = argv[2], *report_path = argv[3];

	/* One context for the whole program; use one per thread. */
	ctx = ctm_ctx_new();
	if (!ctx) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}

	/* 1. The rubric: levels, dimensions, questions. It is checked against the
	 * schema compiled into the library, so no data files are needed. */
	rc = ctm_rubric_load(&rubric, rubric_path, ctx);
	print_diagnostics(ctx);
	if (rc != CTM_OK) {
		fprintf(stderr, "%s: %s\n", rubric_path, ctm_strerror(rc));
		goto cleanup;
	}

	/* 2. The responses. Reading is strict by default: every bad cell is
	 * reported and the read fails, but only after the whole file has been
	 * checked. Set read_options.lenient to score around bad cells instead.
	 * More files may be read into the same data set. */
	ctm_read_options read_options = CTM_READ_OPTIONS_INIT;
	rc = ctm_dataset_new(&responses, rubric, &read_options, ctx);
	if (rc == CTM_OK)
		rc = ctm_dataset_read_file(responses, responses_path, ctx);
	print_diagnostics(ctx); /* warnings too, e.g. a column the rubric does not use */
	if (rc != CTM_OK) {
		fprintf(stderr, "%s: %s\n", responses_path, ctm_strerror(rc));
		goto cleanup;
	}

	/* 3. Scores for every group, with the rubric's own target and settings. */
	ctm_score_options score_options = CTM_SCORE_OPTIONS_INIT;
	rc = ctm_score_run(&results, responses, &score_options, ctx);
	print_diagnostics(ctx);
	if (rc != CTM_OK) {
		fprintf(stderr, "scoring: %s\n", ctm_strerror(rc));
		goto cleanup;
	}

	/* 4. One line per group, in the library's order (region, then wave).
	 * The maturity index M = S + A(S+1) places the group between stages. */
	for (size_t i = 0; i < ctm_results_group_count(results); i++) {
		const ctm_group *group = ctm_results_group(results, i);
		int stage = ctm_group_stage(group);
		printf("%s %s: stage %d (%s), maturity %.4f, n = %zu\n", ctm_group_region(group),
		       ctm_group_wave(group), stage, stage_name(rubric, stage),
		       ctm_group_maturity(group), ctm_group_unit_count(group));
	}

	/* 5. The report of the first group. It is written to a temporary file and
	 * renamed into place, so a failure never leaves half a PDF behind.
	 * Strings are borrowed from results: print them before freeing it. */
	if (ctm_results_group_count(results) > 0) {
		const ctm_group *first = ctm_results_group(results, 0);
		ctm_report_options report_options = CTM_REPORT_OPTIONS_INIT;
		rc = ctm_report_write(results, first, report_path, &report_options, ctx);
		print_diagnostics(ctx);
		if (rc != CTM_OK) {
			fprintf(stderr, "%s: %s\n", report_path, ctm_strerror(rc));
			goto cleanup;
		}
		printf("wrote %s (%s %s)\n", report_path, ctm_group_region(first),
		       ctm_group_wave(first));
	}
	status = 0;

cleanup:
	/* In the reverse order of making: results point into the data set, and
	 * the data set into the rubric. Each _free accepts NULL. */
	ctm_results_free(results);
	ctm_dataset_free(responses);
	ctm_rubric_free(rubric);
	ctm_ctx_free(ctx);
	return status;
}
