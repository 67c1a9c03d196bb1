/* Help texts; the man page (continuum.1) says the same. */
#ifndef CTM_CLI_HELP_H
#define CTM_CLI_HELP_H

extern const char cli_help_main[];
#include <stdio.h>

/* Prints the help of one subcommand to out: 1, or 0 when there is none. */
int cli_help_print(const char *command, FILE *out);

#endif
