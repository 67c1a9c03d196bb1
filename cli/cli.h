/* The command-line front end's shared pieces. Only public headers here. */
#ifndef CTM_CLI_H
#define CTM_CLI_H

#include <stdio.h>
#include "continuum.h"

/* Exit statuses (README, "Usage"). */
enum { EXIT_DONE = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_WRITE = 3 };

/* The most option values one command line may give (--set region=...
 * --set wave=... are two). */
#define CLI_MAX_VALUES 64

/* A parsed command line: options with values, flags, positional arguments. */
typedef struct cli_option {
	const char *long_name; /* "target" for --target */
	char short_name;       /* 'o' for -o, or 0 */
	int takes_value;
	const char *value; /* set by cli_parse; last one wins */
	int seen;
} cli_option;

/* One value given to an option, kept in the order given. */
typedef struct cli_value {
	const cli_option *option;
	const char *value;
} cli_value;

typedef struct cli_args {
	cli_option *options;
	size_t option_count;
	const char **positional;
	size_t positional_count;
	cli_value values[CLI_MAX_VALUES]; /* every value given, for repeated options */
	size_t value_count;
} cli_args;

/* Parses argv (after the subcommand). Prints a usage error and returns 2 on a
 * bad option; 0 otherwise. positional must have room for argc entries. */
int cli_parse(cli_args *args, int argc, char **argv, const char *command);

cli_option *cli_find(cli_args *args, const char *long_name);

/* The i-th value given to option long_name (every --set, in order), or NULL
 * after the last. */
const char *cli_value_at(const cli_args *args, const char *long_name, size_t i);

/* Prints every diagnostic kept in ctx to stderr, the errors first, then a
 * count of the errors and of the warnings not kept. */
void cli_print_diags(const ctm_ctx *ctx);

/* Maps a library return code to an exit status. */
int cli_exit_status(int rc);

/* Loads the rubric named by -r/--rubric (or the first positional), printing
 * its problems. Returns an exit status. */
int cli_load_rubric(ctm_rubric **out, const char *path, ctm_ctx *ctx);

/*
 * The options of reading responses (CLI_READING_OPTIONS in session.h) into
 * ropts: EXIT_DONE, or EXIT_USAGE with the problem said ("continuum
 * COMMAND: ...").
 */
int cli_read_options(cli_args *args, ctm_read_options *ropts, const char *command);

int cmd_validate(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
