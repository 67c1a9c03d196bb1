/* continuum — command-line front end: dispatches to one subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "help.h"
#include "signals.h"

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} command;

static const command commands[] = {
	{ "validate", cmd_validate }, { "score", cmd_score },       { "report", cmd_report },
	{ "compare", cmd_compare },   { "template", cmd_template }, { "audit", cmd_audit },
};

int main(int argc, char **argv)
{
	/* First, so that no output can be left half-written by a Ctrl-C. */
	cli_signals_install();
	if (argc < 2) {
		fputs(cli_help_main, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2) {
			if (cli_help_print(argv[2], stdout))
				return EXIT_DONE;
		}
		fputs(cli_help_main, stdout);
		return EXIT_DONE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("continuum %s\n", ctm_version());
		return EXIT_DONE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			for (int k = 2; k < argc; k++) {
				if (strcmp(argv[k], "--") == 0)
					break;
				if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
					cli_help_print(commands[i].name, stdout);
					return EXIT_DONE;
				}
			}
			return commands[i].run(argc - 2, argv + 2);
		}
	}
	fprintf(stderr, "continuum: unknown command '%s'\nTry 'continuum --help'.\n", argv[1]);
	return EXIT_USAGE;
}
