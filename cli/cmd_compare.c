/* continuum compare -r RUBRIC [options] RESPONSES... -o PREFIX */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

/* The three outputs of PREFIX, each checked against the inputs. */
static int check_outputs(const char *prefix, cli_args *args)
{
	static const char *const suffixes[] = { ".csv", "-regions.csv", ".pdf" };
	size_t len = strlen(prefix);
	int status = EXIT_DONE;

	for (size_t i = 0; i < 3 && status == EXIT_DONE; i++) {
		char *path = malloc(len + strlen(suffixes[i]) + 1);
		if (!path) {
			fprintf(stderr, "continuum: out of memory\n");
			return EXIT_INVALID;
		}
		memcpy(path, prefix, len);
		strcpy(path + len, suffixes[i]);
		status = cli_check_output_not_input(path, args, "compare");
		free(path);
	}
	return status;
}

int cmd_compare(int argc, char **argv)
{
	cli_option options[] = { CLI_SCORING_OPTIONS, { "paper", 0, 1, NULL, 0 },
				 CLI_REPORT_OPTIONS };
	ctm_report_options ro = CTM_REPORT_OPTIONS_INIT;
	const char *positional[argc > 0 ? argc : 1];
	cli_args args = { .options = options,
			  .option_count = sizeof(options) / sizeof(options[0]),
			  .positional = positional };
	cli_session s;
	ctm_comparison *cmp = NULL;
	int status;

	memset(&s, 0, sizeof(s));
	status = cli_parse(&args, argc, argv, "compare");
	if (status != EXIT_DONE)
		return status;
	const char *prefix = cli_find(&args, "output")->value;
	if (!prefix || !*prefix) {
		fprintf(stderr, "continuum compare: an output prefix is required (-o PREFIX)\n");
		return EXIT_USAGE;
	}
	const char *paper = cli_find(&args, "paper")->value;
	if (paper && strcmp(paper, "a4") != 0 && strcmp(paper, "letter") != 0) {
		fprintf(stderr, "continuum compare: --paper is 'a4' or 'letter', not '%s'\n",
			paper);
		return EXIT_USAGE;
	}
	if (paper && strcmp(paper, "letter") == 0)
		ro.paper = CTM_PAPER_LETTER;
	/* a comparison has no partners, roles, questions or comments sections */
	if ((status = cli_report_options(&args, &ro, CTM_REPORT_OMIT_METHOD, "compare")) !=
		    EXIT_DONE ||
	    (status = cli_check_prefix(prefix, "compare")) != EXIT_DONE ||
	    (status = check_outputs(prefix, &args)) != EXIT_DONE)
		return status;

	status = cli_session_run(&s, &args, "compare");
	if (status != EXIT_DONE)
		goto cleanup;
	int rc = ctm_compare_run(&cmp, s.results, s.ctx);
	if (rc == CTM_OK)
		rc = ctm_comparison_save_with(cmp, prefix, &ro, s.ctx);
	cli_print_diags(s.ctx);
	if (rc == CTM_ENOMEM)
		fprintf(stderr, "continuum: out of memory\n");
	status = cli_exit_status(rc);

cleanup:
	ctm_comparison_free(cmp);
	cli_session_free(&s);
	return status;
}
