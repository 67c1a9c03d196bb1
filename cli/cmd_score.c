/* continuum score -r RUBRIC [options] RESPONSES... [-o FILE] */
#include <stdio.h>
#include <string.h>

#include "session.h"

int cmd_score(int argc, char **argv)
{
	cli_option options[] = { CLI_SCORING_OPTIONS,
				 { "format", 0, 1, NULL, 0 },
				 { "jobs", 'j', 1, NULL, 0 } };
	const char *positional[argc > 0 ? argc : 1];
	cli_args args = { .options = options,
			  .option_count = sizeof(options) / sizeof(options[0]),
			  .positional = positional };
	cli_session s;
	ctm_format format = CTM_FORMAT_CSV;
	int status;

	memset(&s, 0, sizeof(s));
	status = cli_parse(&args, argc, argv, "score");
	if (status != EXIT_DONE)
		return status;
	cli_option *fmt = cli_find(&args, "format");
	if (fmt->value) {
		if (strcmp(fmt->value, "json") == 0)
			format = CTM_FORMAT_JSON;
		else if (strcmp(fmt->value, "csv") != 0) {
			fprintf(stderr, "continuum score: --format is 'csv' or 'json', not '%s'\n",
				fmt->value);
			return EXIT_USAGE;
		}
	}
	const char *jobs = cli_find(&args, "jobs")->value;
	if (jobs && cli_positive(jobs, "jobs", "score", 64) < 0)
		return EXIT_USAGE;
	const char *output = cli_find(&args, "output")->value;
	if (output && strcmp(output, "-") == 0)
		output = NULL; /* "-o -": standard output, as without -o */
	if (output && (status = cli_check_output_not_input(output, &args, "score")) != EXIT_DONE)
		return status;

	status = cli_session_run(&s, &args, "score");
	if (status != EXIT_DONE)
		goto cleanup;
	int rc = output ? ctm_results_save(s.results, format, output, s.ctx)
			: ctm_results_write(s.results, format, stdout, s.ctx);
	cli_print_diags(s.ctx);
	status = cli_exit_status(rc);

cleanup:
	cli_session_free(&s);
	return status;
}
