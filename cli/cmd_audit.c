/* continuum audit -r RUBRIC [options] RESPONSES... [--format text|json] */
#include <stdio.h>
#include <string.h>

#include "session.h"

int cmd_audit(int argc, char **argv)
{
	cli_option options[] = { CLI_SCORING_OPTIONS, { "format", 0, 1, NULL, 0 } };
	const char *positional[argc > 0 ? argc : 1];
	cli_args args = { .options = options,
			  .option_count = sizeof(options) / sizeof(options[0]),
			  .positional = positional };
	cli_session s;
	int json = 0, status;

	memset(&s, 0, sizeof(s));
	status = cli_parse(&args, argc, argv, "audit");
	if (status != EXIT_DONE)
		return status;
	if (cli_find(&args, "output")->value) {
		fprintf(stderr, "continuum audit: the audit is written to standard output (no "
				"-o; redirect it: > FILE)\n");
		return EXIT_USAGE;
	}
	cli_option *fmt = cli_find(&args, "format");
	if (fmt->value) {
		if (strcmp(fmt->value, "json") == 0)
			json = 1;
		else if (strcmp(fmt->value, "text") != 0) {
			fprintf(stderr, "continuum audit: --format is 'text' or 'json', not '%s'\n",
				fmt->value);
			return EXIT_USAGE;
		}
	}
	/* the findings are the output here, not warnings (the session audits) */
	status = cli_session_run(&s, &args, "audit");
	if (status != EXIT_DONE)
		goto cleanup;
	int rc = ctm_audit_write(s.audit, s.dataset, json, stdout);
	if (rc == CTM_OK && fflush(stdout) != 0)
		rc = CTM_EIO;
	cli_print_diags(s.ctx);
	status = cli_exit_status(rc);

cleanup:
	cli_session_free(&s);
	return status;
}
