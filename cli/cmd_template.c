/* continuum template -r RUBRIC -o PREFIX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

int cmd_template(int argc, char **argv)
{
	cli_option options[] = { { "rubric", 'r', 1, NULL, 0 },
				 { "output", 'o', 1, NULL, 0 },
				 { "show-partners", 0, 0, NULL, 0 } };
	const char *positional[argc > 0 ? argc : 1];
	cli_args args = { .options = options,
			  .option_count = sizeof(options) / sizeof(options[0]),
			  .positional = positional };
	ctm_ctx *ctx = NULL;
	ctm_rubric *rubric = NULL;
	char *csv_path = NULL, *pdf_path = NULL;
	int status;

	status = cli_parse(&args, argc, argv, "template");
	if (status != EXIT_DONE)
		return status;
	const char *rubric_path = cli_find(&args, "rubric")->value;
	const char *prefix = cli_find(&args, "output")->value;
	/* The rubric may also come as the one positional argument, as validate takes it. */
	size_t used = 0;
	if (!rubric_path && args.positional_count > 0)
		rubric_path = args.positional[used++];
	if (args.positional_count > used) {
		fprintf(stderr, "continuum template: unexpected argument '%s'\n",
			args.positional[used]);
		return EXIT_USAGE;
	}
	if (!rubric_path) {
		fprintf(stderr, "continuum template: a rubric is required (-r RUBRIC)\n");
		return EXIT_USAGE;
	}
	if (!prefix || !*prefix) {
		fprintf(stderr, "continuum template: an output prefix is required (-o PREFIX)\n");
		return EXIT_USAGE;
	}
	if ((status = cli_check_prefix(prefix, "template")) != EXIT_DONE)
		return status;
	size_t len = strlen(prefix);
	csv_path = malloc(len + 5);
	pdf_path = malloc(len + 5);
	ctx = ctm_ctx_new();
	if (!csv_path || !pdf_path || !ctx) {
		fprintf(stderr, "continuum: out of memory\n");
		status = EXIT_INVALID;
		goto cleanup;
	}
	memcpy(csv_path, prefix, len);
	memcpy(csv_path + len, ".csv", 5);
	memcpy(pdf_path, prefix, len);
	memcpy(pdf_path + len, ".pdf", 5);
	if ((status = cli_check_output_not_input(csv_path, &args, "template")) != EXIT_DONE ||
	    (status = cli_check_output_not_input(pdf_path, &args, "template")) != EXIT_DONE)
		goto cleanup;

	status = cli_load_rubric(&rubric, rubric_path, ctx);
	if (status != EXIT_DONE)
		goto cleanup;
	ctm_template_options topts = CTM_TEMPLATE_OPTIONS_INIT;
	topts.show_partners = cli_find(&args, "show-partners")->seen;
	int rc = ctm_template_save_with(rubric, prefix, &topts, ctx);
	cli_print_diags(ctx);
	if (rc == CTM_ENOMEM)
		fprintf(stderr, "continuum: out of memory\n");
	status = cli_exit_status(rc);

cleanup:
	ctm_rubric_free(rubric);
	ctm_ctx_free(ctx);
	free(csv_path);
	free(pdf_path);
	return status;
}
