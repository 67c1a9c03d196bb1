/* continuum validate RUBRIC [RESPONSES...] */
#include <stdio.h>

#include "cli.h"

int cmd_validate(int argc, char **argv)
{
	cli_option options[] = {
		{ "map", 0, 1, NULL, 0 },
	};
	const char *positional[argc > 0 ? argc : 1];
	cli_args args = { options, sizeof(options) / sizeof(options[0]), positional, 0 };
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
	if (args.positional_count == 1)
		printf("%s: valid rubric '%s' version %s: %zu levels, %zu dimensions, "
				"%zu questions\n",
			args.positional[0], ctm_rubric_id(rubric), ctm_rubric_version(rubric),
			ctm_rubric_level_count(rubric), ctm_rubric_dimension_count(rubric),
			ctm_rubric_question_count(rubric));

cleanup:
	ctm_rubric_free(rubric);
	ctm_ctx_free(ctx);
	return status;
}
