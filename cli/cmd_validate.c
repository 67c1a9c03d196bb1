/* continuum validate RUBRIC [RESPONSES...] */
#include <stdio.h>
#include <stdlib.h>

#include "session.h"

/* Reads every response file into one data set, as score would (so that a
 * respondent repeated across files is found), and prints every problem.
 * Returns an exit status. */
static int validate_responses(const ctm_rubric *rubric, cli_args *args, ctm_ctx *ctx)
{
	ctm_read_options ropts = CTM_READ_OPTIONS_INIT;
	ctm_dataset *ds = NULL;
	size_t files = args->positional_count - 1;
	size_t *rows = NULL;
	int failed = 0, rc;

	if ((rc = cli_read_options(args, &ropts, "validate")) != EXIT_DONE)
		return rc;
	rc = ctm_dataset_new(&ds, rubric, &ropts, ctx);
	if (rc != CTM_OK) {
		cli_print_diags(ctx);
		return cli_exit_status(rc);
	}
	rows = calloc(files, sizeof(*rows));
	if (!rows) {
		ctm_dataset_free(ds);
		fprintf(stderr, "continuum: out of memory\n");
		return EXIT_INVALID;
	}
	/* Every file is read, so that every problem of every file is reported. */
	for (size_t i = 0; i < files; i++) {
		size_t before = ctm_dataset_row_count(ds);
		rc = ctm_dataset_read_file(ds, args->positional[i + 1], ctx);
		rows[i] = ctm_dataset_row_count(ds) - before;
		if (rc == CTM_ENOMEM) {
			fprintf(stderr, "continuum: out of memory\n");
			failed = 1;
			break;
		}
		if (rc != CTM_OK)
			failed = 1;
	}
	ctm_dataset_finish(ds, ctx);
	cli_print_diags(ctx);
	if (!failed) {
		/* Lenient: what would be left out, so that nothing passes silently. */
		for (size_t i = 0; i < ctm_dataset_exclusion_count(ds); i++) {
			const ctm_exclusion *e = ctm_dataset_exclusion(ds, i);
			char where[48];
			fprintf(stderr, "%s%s: warning: %zu %s left out: %s\n", e->first_file,
				ctm_exclusion_position(e, where, sizeof(where)),
				e->count,
				e->whole_rows ? (e->count == 1 ? "row" : "rows")
					      : (e->count == 1 ? "cell" : "cells"),
				e->reason);
		}
		size_t total = ctm_dataset_row_count(ds), groups = ctm_dataset_group_count(ds);
		if (files == 1) {
			printf("%s: %zu row%s, %zu group%s, valid\n", args->positional[1], total,
			       total == 1 ? "" : "s", groups, groups == 1 ? "" : "s");
		} else {
			for (size_t i = 0; i < files; i++)
				printf("%s: %zu row%s, valid\n", args->positional[i + 1], rows[i],
				       rows[i] == 1 ? "" : "s");
			printf("in all: %zu row%s, %zu group%s, valid\n", total,
			       total == 1 ? "" : "s", groups, groups == 1 ? "" : "s");
		}
	}
	free(rows);
	ctm_dataset_free(ds);
	return failed ? EXIT_INVALID : EXIT_DONE;
}

int cmd_validate(int argc, char **argv)
{
	cli_option options[] = { CLI_READING_OPTIONS };
	const char *positional[argc > 0 ? argc : 1];
	cli_args args = { .options = options,
			  .option_count = sizeof(options) / sizeof(options[0]),
			  .positional = positional };
	ctm_ctx *ctx = NULL;
	ctm_rubric *rubric = NULL;
	int status;

	status = cli_parse(&args, argc, argv, "validate");
	if (status != EXIT_DONE)
		return status;
	if (args.positional_count < 1) {
		fprintf(stderr, "continuum validate: a rubric is required\n"
				"Usage: continuum validate RUBRIC [RESPONSES...]\n");
		return EXIT_USAGE;
	}
	ctx = ctm_ctx_new();
	if (!ctx) {
		fprintf(stderr, "continuum: out of memory\n");
		return EXIT_INVALID;
	}
	status = cli_load_rubric(&rubric, args.positional[0], ctx);
	if (status != EXIT_DONE)
		goto cleanup;
	printf("%s: valid rubric '%s' version %s: %zu levels, %zu dimensions, %zu questions\n",
	       args.positional[0], ctm_rubric_id(rubric), ctm_rubric_version(rubric),
	       ctm_rubric_level_count(rubric), ctm_rubric_dimension_count(rubric),
	       ctm_rubric_question_count(rubric));
	if (args.positional_count > 1)
		status = validate_responses(rubric, &args, ctx);

cleanup:
	ctm_rubric_free(rubric);
	ctm_ctx_free(ctx);
	return status;
}
