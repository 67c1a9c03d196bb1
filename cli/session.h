/* What score, report and compare share: options, inputs, scoring. */
#ifndef CTM_CLI_SESSION_H
#define CTM_CLI_SESSION_H

#include "cli.h"

/* The options every scoring command takes; index into CLI_SCORING_OPTIONS. */
/* clang-format off */
#define CLI_READING_OPTIONS \
	{ "lenient", 0, 0, NULL, 0 }, { "map", 0, 1, NULL, 0 }, \
	{ "recode", 0, 1, NULL, 0 }, { "redcap-dictionary", 0, 1, NULL, 0 }, \
	{ "set", 0, 1, NULL, 0 }, { "keep-incomplete", 0, 0, NULL, 0 }, \
	{ "duplicates", 0, 1, NULL, 0 }, { "delimiter", 0, 1, NULL, 0 }, \
	{ "encoding", 0, 1, NULL, 0 }, { "sheet", 0, 1, NULL, 0 }, \
	{ "aliases", 0, 1, NULL, 0 }, { "exclude", 0, 1, NULL, 0 }
#define CLI_SCORING_OPTIONS \
	{ "rubric", 'r', 1, NULL, 0 }, { "output", 'o', 1, NULL, 0 }, \
	{ "aggregate", 0, 1, NULL, 0 }, { "target", 0, 1, NULL, 0 }, \
	{ "targets", 0, 1, NULL, 0 }, { "min-n", 0, 1, NULL, 0 }, \
	{ "show-partners", 0, 0, NULL, 0 }, \
	CLI_READING_OPTIONS
/* clang-format on */

typedef struct cli_session {
	ctm_ctx *ctx;
	ctm_rubric *rubric;
	ctm_dataset *dataset;
	ctm_targets *targets;
	ctm_results *results;
	ctm_audit *audit; /* of the data set read: its warnings, the reports' pages */
} cli_session;

/*
 * Parses the shared options, loads the rubric, reads every response file,
 * scores. Prints every diagnostic. Returns an exit status; on anything but
 * EXIT_DONE nothing should be written.
 */
int cli_session_run(cli_session *s, cli_args *args, const char *command);

void cli_session_free(cli_session *s);

/* Refuses an output path that is one of the inputs (or the rubric). */
int cli_check_output_not_input(const char *output, cli_args *args, const char *command);
/* A PREFIX for PREFIX.csv and PREFIX.pdf that names a directory ("out/",
 * an existing directory) would make hidden files (out/.csv): a usage error.
 * EXIT_DONE or EXIT_USAGE (said). */
int cli_check_prefix(const char *prefix, const char *command);
/* The bold face next to a chosen regular one: "X.ttf" -> "X-Bold.ttf" when
 * that file exists, else NULL; the caller frees it. */
char *cli_bold_beside(const char *font);

/* The options that make a report the partnership's, into *ro: --organization,
 * --title, --date, --logo, --notes and --omit (sections of omit_allowed, a
 * CTM_REPORT_OMIT_* mask), whichever the command has. The logo and notes are
 * read and checked now. EXIT_DONE, or the exit status of the error said. */
#define CLI_REPORT_OPTIONS \
	{ "organization", 0, 1, NULL, 0 }, { "title", 0, 1, NULL, 0 }, \
	{ "date", 0, 1, NULL, 0 }, { "logo", 0, 1, NULL, 0 }, \
	{ "notes", 0, 1, NULL, 0 }, { "omit", 0, 1, NULL, 0 }
int cli_report_options(cli_args *args, ctm_report_options *ro, unsigned int omit_allowed,
		       const char *command);

/* Parses a positive integer option; prints a usage error and returns -1. */
long cli_positive(const char *value, const char *name, const char *command, long max);

#endif
